package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// siteServer serves a fixture site. HTML goes out as plain "text/html" so the page's
// own <meta charset> decides, as on most small-business hosting.
func siteServer(t testing.TB, name string) *httptest.Server {
	t.Helper()
	files := http.FileServer(http.Dir(filepath.Join("testdata", "sites", name)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
			w.Header().Set("Content-Type", "text/html")
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// testOptions reach loopback (the httptest server) like CRAWL_ALLOW_PRIVATE_NETWORKS.
func testOptions(t testing.TB) Options {
	return Options{
		Fetch:  fetch.Options{AllowPrivateNetworks: true, Timeout: 5 * time.Second},
		OutDir: t.TempDir(),
	}
}

// goldenJSON compares v, as indented JSON, with testdata/golden/name (or rewrites it).
func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking):\n%s", name, got)
	}
}

// normalize makes a Result stable across runs: the server's random port becomes SITE,
// paths lose their temp directory, and JPEG sizes (encoder-version dependent) are
// checked and zeroed.
func normalize(t *testing.T, res *Result, base string) *Result {
	t.Helper()
	out := *res
	fix := func(s string) string { return strings.ReplaceAll(s, base, "http://SITE") }
	out.Profile.URL = fix(out.Profile.URL)
	out.Profile.ThumbnailURL = fix(out.Profile.ThumbnailURL)
	out.LogoURL = fix(out.LogoURL)
	if res.Logo != nil {
		l := *res.Logo
		if l.Path != "" {
			if _, err := os.Stat(l.Path); err != nil {
				t.Errorf("logo %s: %v", l.Path, err)
			}
			l.Path = filepath.Base(l.Path)
		}
		l.URL = fix(l.URL)
		out.Logo = &l
	}
	out.Pages = nil
	for _, p := range res.Pages {
		out.Pages = append(out.Pages, fix(p))
	}
	out.Images = nil
	for _, im := range res.Images {
		if im.Path != "" {
			st, err := os.Stat(im.Path)
			if err != nil || st.Size() != im.Bytes || im.Bytes == 0 {
				t.Errorf("image %s: file %v, size %d, reported %d", im.Path, err, sizeOf(st), im.Bytes)
			}
			im.Path = filepath.Base(im.Path)
		}
		im.Bytes = 0
		im.SourceURL = fix(im.SourceURL)
		out.Images = append(out.Images, im)
	}
	out.Dropped = nil
	for _, d := range res.Dropped {
		d.SourceURL, d.Detail = fix(d.SourceURL), fix(d.Detail)
		out.Dropped = append(out.Dropped, d)
	}
	return &out
}

func sizeOf(st os.FileInfo) int64 {
	if st == nil {
		return -1
	}
	return st.Size()
}

// TestCrawlFixtures crawls each fixture site and compares the whole result (profile,
// kept images with scores, dropped images with reasons) with its golden file, then
// checks the properties that matter most by hand, so a careless -update shows.
func TestCrawlFixtures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		site  string
		check func(t *testing.T, r *Result)
	}{
		{"cafe-ko", func(t *testing.T, r *Result) {
			p := r.Profile
			want := map[string]string{"name": "카페 블루문", "category": "CafeOrCoffeeShop", "phone": "02-1234-5678",
				"area": "강남구 역삼동", "language": "ko", "url": "https://bluemoon.cafe/"}
			got := map[string]string{"name": p.Name, "category": p.Category, "phone": p.Phone, "area": p.Area, "language": p.Language, "url": p.URL}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if !strings.Contains(p.Address, "역삼동 123-45") || p.Colors[0] != "#1f3a5f" || len(p.Colors) < 2 {
				t.Errorf("address %q colors %v", p.Address, p.Colors)
			}
			if len(p.Hashtags) < 3 || p.Hashtags[0] != "카페" || !contains(p.Hashtags, "브런치") || !contains(p.Hashtags, "디저트") {
				t.Errorf("hashtags %v", p.Hashtags)
			}
			if len(r.Images) != 6 || !strings.HasSuffix(r.Images[0].SourceURL, "/images/latte.jpg") {
				t.Errorf("images %+v", r.Images)
			}
			wantDropped(t, r, map[string]string{"/images/logo.png": ReasonLogo, "/images/instagram.png": ReasonIcon})
			if len(r.Pages) != 3 {
				t.Errorf("pages %v", r.Pages)
			}
		}},
		{"euckr", func(t *testing.T, r *Result) {
			p := r.Profile
			if p.Name != "행복한 빵집" || p.Address != "서울시 마포구 연남동 223-14" || p.Phone != "02-333-1234" ||
				p.Category != "Bakery" || p.Language != "ko" || p.Area != "마포구 연남동" {
				t.Errorf("profile %+v", p)
			}
			if len(r.Images) != 2 {
				t.Errorf("images %+v", r.Images)
			}
			wantDropped(t, r, map[string]string{"wcs.naver.net/wcslog.gif?id=abc": ReasonTracking, "/images/top_logo.gif": ReasonLogo})
		}},
		{"og-en", func(t *testing.T, r *Result) {
			p := r.Profile
			if p.Name != "Harbor Flowers" || p.Category != "Florist" || p.Language != "en" || p.Phone != "+1-207-555-0142" ||
				p.Address != "12 Dock Street, Portland, ME 04101" {
				t.Errorf("profile %+v", p)
			}
			if p.ThumbnailURL != "https://cdn.example.test/not-fetched-in-tests.jpg" {
				t.Errorf("thumbnail %q", p.ThumbnailURL)
			}
			if len(p.Hashtags) < 3 || p.Hashtags[0] != "florist" {
				t.Errorf("hashtags %v", p.Hashtags)
			}
			wantDropped(t, r, map[string]string{"https://cdn.example.test/not-fetched-in-tests.jpg": ReasonDownload})
		}},
		{"lazy", func(t *testing.T, r *Result) {
			var kept []string
			for _, im := range r.Images {
				kept = append(kept, im.SourceURL[strings.LastIndex(im.SourceURL, "/")+1:])
			}
			for _, name := range []string{"garden.jpg", "latte-large.jpg", "dessert.webp", "bakery.jpg", "hero-bg.jpg"} {
				if !contains(kept, name) {
					t.Errorf("kept %v, want %s among them", kept, name)
				}
			}
			if len(kept) != 5 {
				t.Errorf("kept %v", kept)
			}
			wantDropped(t, r, map[string]string{
				"/images/latte-small.jpg": ReasonDuplicate, "/images/sprite.png": ReasonIcon,
				"/images/ic_phone.png": ReasonIcon, "/images/kakao-icon.png": ReasonIcon,
				"/images/logo.svg": ReasonSVG, "/images/thumb.jpg": ReasonTooSmall,
				"/images/banner.jpg": ReasonAspect, "/images/coming-soon.jpg": ReasonFlat,
				"/images/huge.png": ReasonPixels, "/images/missing.jpg": ReasonDownload,
				"/private/secret.jpg": ReasonRobots, "/images/not-really.jpg": ReasonNotImage,
				"google-analytics.com/collect?v=1&t=pageview": ReasonTracking, "/images/pixel.gif": ReasonTracking,
			})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.site, func(t *testing.T) {
			t.Parallel()
			srv := siteServer(t, tc.site)
			res, err := Crawl(context.Background(), srv.URL+"/", testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, res)
			goldenJSON(t, tc.site+".json", normalize(t, res, srv.URL))
		})
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// wantDropped checks that each URL suffix was dropped for the given reason.
func wantDropped(t *testing.T, r *Result, want map[string]string) {
	t.Helper()
	for suffix, reason := range want {
		found := false
		for _, d := range r.Dropped {
			if strings.HasSuffix(d.SourceURL, suffix) {
				found = true
				if d.Reason != reason {
					t.Errorf("%s dropped as %q (%s), want %q", suffix, d.Reason, d.Detail, reason)
				}
			}
		}
		if !found {
			t.Errorf("%s not dropped; dropped: %+v", suffix, r.Dropped)
		}
	}
}

func TestCrawlScriptOnlyPage(t *testing.T) {
	t.Parallel()
	srv := siteServer(t, "spa")
	_, err := Crawl(context.Background(), srv.URL+"/", testOptions(t))
	var ce *fetch.Error
	if !errors.As(err, &ce) || ce.Code != o2sound.CodeCrawlNothingUsable {
		t.Fatalf("got %v, want %s", err, o2sound.CodeCrawlNothingUsable)
	}
	if strings.Contains(ce.Message, "CRAWL") || len(ce.Message) < 40 {
		t.Errorf("message %q is not a plain user-facing sentence", ce.Message)
	}
}
