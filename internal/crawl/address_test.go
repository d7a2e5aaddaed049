package crawl

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestUSBusinessSite is the gym from issue 12: an English site in Austin, TX whose
// address block starts with the business's name.
func TestUSBusinessSite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), []byte(`<!doctype html><html><head>
<title>Ironbark Strength Club | Barbell gym in East Austin</title>
<meta name="description" content="A barbell gym for strength training, powerlifting and coached classes in East Austin.">
<link rel="canonical" href="https://ironbarkstrength.example.com/">
</head><body>
<header><a href="tel:+1-512-555-0100">Corporate line</a></header>
<h1>Ironbark Strength Club</h1>
<p>Strength training, powerlifting and coached classes for every level, six days a week.</p>
<h2>Call us: (512) 555-0147</h2>
<footer><address>Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702</address>
<p>© 2024 Ironbark Strength Club LLC. All rights reserved.</p></footer>
</body></html>`))
	res, err := CrawlDir(context.Background(), dir, Options{MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	if p.Name != "Ironbark Strength Club" {
		t.Errorf("name %q", p.Name)
	}
	if p.Address != "2315 E Cesar Chavez St, Suite B, Austin, TX 78702" || p.Area != "Austin" {
		t.Errorf("address %q area %q", p.Address, p.Area)
	}
	if p.PhoneE164 != "+15125550147" || p.Country != "US" || p.Phone != "+1-512-555-0147" {
		t.Errorf("phone %q %q country %q", p.Phone, p.PhoneE164, p.Country)
	}
	if p.Language != "en" {
		t.Errorf("language %q", p.Language)
	}
	for _, h := range p.Hashtags {
		for _, bad := range []string{"suite", "78702", "tx", "2315", "chavez"} {
			if strings.Contains(h, bad) {
				t.Errorf("hashtag %q holds an address fragment (%s): %v", h, bad, p.Hashtags)
			}
		}
	}
	if !slices.ContainsFunc(p.Hashtags, func(h string) bool { return strings.EqualFold(h, "austin") }) {
		t.Errorf("hashtags %v lack the area", p.Hashtags)
	}
}
