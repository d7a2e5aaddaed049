package artwork

import (
	"slices"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/business"
)

// TestEndCardPhone checks, without OCR, what text the end card of issue 12's Austin
// gym draws: the lines its blocks are set in, after the font's clean-up, in every
// shape. The number is the national form the workflow hands over, on one line; the
// area on the topics card is the locality, not a suite.
func TestEndCardPhone(t *testing.T) {
	t.Parallel()
	tf, err := LoadFont("")
	if err != nil {
		t.Fatal(err)
	}
	p := business.Profile{Name: "Ironbark Strength Club", Category: "ExerciseGym", Area: "Austin",
		Address: "2315 E Cesar Chavez St, Suite B, Austin, TX 78702", Phone: "(512) 555-0147", PhoneE164: "+15125550147",
		Country: "US", URL: "https://ironbarkstrength.example.com/", Hashtags: []string{"austin", "barbell"}, Language: "en"}
	drawn := func(kind CardKind, l Layout) [][]string {
		var out [][]string
		for _, b := range cardBlocks(kind, p) {
			text := tf.Clean(b.text)
			if text == "" {
				continue
			}
			lines, _ := fitText(tf, text, b.size*l.m, b.minSize*l.m, l.textW, b.maxLines)
			out = append(out, lines)
		}
		return out
	}
	for _, size := range [][2]int{{480, 270}, {270, 480}, {360, 360}, {1920, 1080}} {
		l := NewLayout(size[0], size[1])
		end := drawn(CardClosing, l)
		if !slices.ContainsFunc(end, func(lines []string) bool { return slices.Equal(lines, []string{"(512) 555-0147"}) }) {
			t.Errorf("%dx%d end card draws %q, want the line (512) 555-0147", size[0], size[1], end)
		}
		for _, lines := range end {
			if s := strings.Join(lines, " "); strings.Contains(s, "+1") || strings.Contains(s, "5125550147") {
				t.Errorf("%dx%d end card draws E.164: %q", size[0], size[1], s)
			}
		}
		if top := drawn(CardTopics, l); len(top) == 0 || !strings.Contains(strings.Join(top[0], " "), "Austin") || strings.Contains(strings.Join(top[0], " "), "Suite") {
			t.Errorf("%dx%d topics card heads with %q", size[0], size[1], top)
		}
	}
}
