package api

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestErrorCodesMatchTheREADME checks the one registry of error codes against the
// README's error tables: every code in one is in the other, with the same status.
func TestErrorCodesMatchTheREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z]+_\\d{3})` \\| ([^|]+) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	seen := map[string]bool{}
	for _, c := range o2sound.Codes {
		if seen[c.Code] {
			t.Errorf("%s is in the registry twice", c.Code)
		}
		seen[c.Code] = true
		doc, ok := documented[c.Code]
		if !ok {
			t.Errorf("%s (%d) is not in the README's error tables", c.Code, c.Status)
			continue
		}
		if strings.HasPrefix(c.Code, "CRAWL_") {
			continue // the crawler's table gives meanings; they all answer 422
		}
		if !strings.Contains(doc, strconv.Itoa(c.Status)) {
			t.Errorf("%s: the registry says %d, the README %q", c.Code, c.Status, doc)
		}
	}
	for code := range documented {
		if !seen[code] {
			t.Errorf("the README documents %s, which the registry does not have", code)
		}
	}
}
