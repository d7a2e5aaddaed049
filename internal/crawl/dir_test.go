package crawl

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCrawlDirSavedSite reads the Korean café fixture from disk. Its absolute links to
// https://bluemoon.cafe/… map onto the folder, so the JSON-LD logo is found offline.
func TestCrawlDirSavedSite(t *testing.T) {
	t.Parallel()
	res, err := CrawlDir(context.Background(), "testdata/sites/cafe-ko", Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	if p.Name != "카페 블루문" || p.Phone != "02-1234-5678" || p.URL != "https://bluemoon.cafe/" || len(res.Images) != 6 {
		t.Errorf("profile %+v, %d images", p, len(res.Images))
	}
	if res.LogoURL != "images/logo.png" {
		t.Errorf("logo %q", res.LogoURL)
	}
	for _, pg := range res.Pages {
		if strings.Contains(pg, "://") {
			t.Errorf("page %q should be a path inside the folder", pg)
		}
	}
	goldenJSON(t, "cafe-ko-dir.json", normalize(t, res, "file://"))
}

// TestCrawlDirStaysInside: references that leave the folder, by .. or symlink or
// absolute path, and remote images, are dropped; nothing outside is read.
func TestCrawlDirStaysInside(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	site := filepath.Join(root, "site")
	secret := filepath.Join(root, "secret.jpg")
	writeFile(t, secret, crawltest.JPEG(crawltest.Scene("city", 1, 640, 427), 70))
	writeFile(t, filepath.Join(site, "photo.jpg"), crawltest.JPEG(crawltest.Scene("latte", 1, 640, 427), 70))
	if err := os.Symlink(secret, filepath.Join(site, "link.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(site, "up")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(site, "index.html"), []byte(`<html><head><title>Dalbit Cafe</title></head><body>
		<h1>Dalbit Cafe</h1><p>A tiny coffee shop with a big window and slow mornings.</p>
		<img src="photo.jpg" alt="latte">
		<img src="../secret.jpg"><img src="/../../secret.jpg"><img src="%2e%2e/secret.jpg">
		<img src="link.jpg"><img src="up/secret.jpg"><img src="file:///etc/passwd">
		<img src="https://example.com/remote.jpg"><img src="http://127.0.0.1:1/x.jpg">
		<a href="../secret.html">about</a><a href="up/site/index.html">menu</a>
	</body></html>`))
	res, err := CrawlDir(context.Background(), site, Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 1 || res.Images[0].SourceURL != "photo.jpg" {
		t.Errorf("kept %+v", res.Images)
	}
	if len(res.Pages) != 1 {
		t.Errorf("pages %v", res.Pages)
	}
	// The three ../ spellings all clamp to the folder's own (absent) secret.jpg.
	want := map[string]string{
		"secret.jpg": ReasonDownload, "link.jpg": ReasonOutsideSite, "up/secret.jpg": ReasonOutsideSite,
		"etc/passwd": ReasonDownload, "https://example.com/remote.jpg": ReasonOutsideSite,
		"http://127.0.0.1:1/x.jpg": ReasonOutsideSite,
	}
	got := map[string]string{}
	for _, d := range res.Dropped {
		got[d.SourceURL] = d.Reason
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dropped %v, want %v", got, want)
	}
}

func TestCrawlDirPhotoFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "business.json"), []byte(`{
		"name": "달빛 베이커리",
		"description": "연남동에서 천연 발효종으로 빵을 굽는 작은 베이커리입니다. 크루아상과 식빵이 인기입니다.",
		"address": "서울시 마포구 연남동 223-14",
		"phone": "+82 2 333 1234"
	}`))
	writeFile(t, filepath.Join(dir, "01-bread.jpg"), crawltest.JPEG(crawltest.Scene("bakery", 1, 900, 600), 70))
	writeFile(t, filepath.Join(dir, "02-beans.png"), crawltest.PNG(crawltest.Scene("beans", 2, 600, 400)))
	writeFile(t, filepath.Join(dir, "03-store.jpg"), crawltest.JPEG(crawltest.Scene("storefront", 1, 900, 600), 70))
	writeFile(t, filepath.Join(dir, "04-store-copy.jpg"), crawltest.JPEG(crawltest.Scene("storefront", 1, 700, 467), 50))
	writeFile(t, filepath.Join(dir, "logo.png"), crawltest.PNG(crawltest.Logo(200, color.NRGBA{120, 40, 30, 255}, color.NRGBA{250, 230, 200, 255})))
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("not a photo"))
	writeFile(t, filepath.Join(dir, ".hidden.jpg"), []byte("x"))
	res, err := CrawlDir(context.Background(), dir, Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	if p.Name != "달빛 베이커리" || p.Category != "Bakery" || p.Language != "ko" || p.Area != "마포구 연남동" || p.Phone != "02-333-1234" {
		t.Errorf("profile %+v", p)
	}
	if len(p.Hashtags) < 3 || p.Hashtags[0] != "베이커리" {
		t.Errorf("hashtags %v", p.Hashtags)
	}
	var kept []string
	for _, im := range res.Images {
		kept = append(kept, im.SourceURL)
		if _, err := os.Stat(im.Path); err != nil {
			t.Error(err)
		}
	}
	if strings.Join(kept, ",") != "01-bread.jpg,03-store.jpg,02-beans.png" && strings.Join(kept, ",") != "01-bread.jpg,02-beans.png,03-store.jpg" {
		t.Errorf("kept %v", kept)
	}
	wantDropped(t, res, map[string]string{"logo.png": ReasonLogo, "04-store-copy.jpg": ReasonDuplicate})
	if res.LogoURL != "logo.png" || len(p.Colors) == 0 {
		t.Errorf("logo %q colours %v", res.LogoURL, p.Colors)
	}
}

func TestCrawlDirErrors(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	typo := t.TempDir()
	writeFile(t, filepath.Join(typo, "business.json"), []byte(`{"name":"X","adress":"typo"}`))
	noName := t.TempDir()
	writeFile(t, filepath.Join(noName, "business.json"), []byte(`{"description":"no name"}`))
	file := filepath.Join(t.TempDir(), "f.txt")
	writeFile(t, file, []byte("x"))
	cases := map[string]string{
		empty:                 o2sound.CodeCrawlNothingUsable,
		typo:                  o2sound.CodeCrawlInvalidURL,
		noName:                o2sound.CodeCrawlInvalidURL,
		file:                  o2sound.CodeCrawlInvalidURL,
		"/no/such/dir/at/all": o2sound.CodeCrawlInvalidURL,
	}
	for dir, code := range cases {
		_, err := CrawlDir(context.Background(), dir, Options{})
		if got := fetch.ErrorCode(err); got != code {
			t.Errorf("%s: got %v, want %s", dir, err, code)
		}
	}
}
