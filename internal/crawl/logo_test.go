package crawl

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/imageprep"
)

// wideLogo draws a 2:1 transparent logo: an opaque magenta bar in the middle and
// nothing around it, so the saved file shows whether transparency and colour survived.
func wideLogo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < h*3/4; y++ {
		for x := w / 8; x < w*7/8; x++ {
			img.SetRGBA(x, y, color.RGBA{230, 0, 200, 255})
		}
	}
	return img
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s is not a PNG", path)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkWideLogo: transparent corners, magenta middle, w×h.
func checkWideLogo(t *testing.T, path string, w, h int) {
	t.Helper()
	img := readPNG(t, path)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("logo is %v, want %d×%d", b, w, h)
	}
	if _, _, _, a := img.At(2, 2).RGBA(); a != 0 {
		t.Errorf("corner alpha %d, want transparent", a>>8)
	}
	c := color.NRGBAModel.Convert(img.At(w/2, h/2)).(color.NRGBA)
	if c.A != 255 || c.R < 200 || c.G > 30 || c.B < 170 {
		t.Errorf("middle %v, want opaque magenta", c)
	}
}

// logoSite serves a home page whose header logo is files["/logo.png"], plus photos.
func logoSite(t *testing.T, head string, files map[string][]byte) *httptest.Server {
	t.Helper()
	page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>카페 로고</title>` + head + `</head><body>
<header><a class="logo" href="/"><img src="/logo.png" alt="카페 로고"></a></header>
<h1>카페 로고</h1><p>로고가 있는 작은 카페입니다. 매일 아침 커피를 내립니다.</p>
<img src="/latte.jpg" alt="라떼"><img src="/interior.jpg" alt="실내"></body></html>`
	files["/latte.jpg"] = crawltest.JPEG(crawltest.Scene("latte", 1, 900, 600), 80)
	files["/interior.jpg"] = crawltest.JPEG(crawltest.Scene("interior", 2, 900, 600), 80)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(page))
			return
		}
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCrawlSavesLogo: the header logo is saved as a transparent PNG, capped at
// MaxLogoSide, described in Result.Logo, and kept out of the photos.
func TestCrawlSavesLogo(t *testing.T) {
	t.Parallel()
	srv := logoSite(t, "", map[string][]byte{"/logo.png": crawltest.PNG(wideLogo(2400, 1200))})
	opts := testOptions(t)
	res, err := Crawl(context.Background(), srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	l := res.Logo
	if l == nil {
		t.Fatal("no logo")
	}
	if l.Path != filepath.Join(opts.OutDir, "logo.png") || l.URL != srv.URL+"/logo.png" || l.Width != 1024 || l.Height != 512 {
		t.Errorf("logo %+v", l)
	}
	checkWideLogo(t, l.Path, 1024, 512)
	for _, im := range res.Images {
		if strings.HasSuffix(im.SourceURL, "/logo.png") {
			t.Errorf("the logo is among the photos: %+v", im)
		}
	}
	if len(res.Images) != 2 {
		t.Errorf("%d photos, want 2", len(res.Images))
	}
	if res.LogoURL != srv.URL+"/logo.png" || len(res.Profile.Colors) == 0 {
		t.Errorf("colours %v from %q", res.Profile.Colors, res.LogoURL)
	}
	ents, _ := os.ReadDir(opts.OutDir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

// TestCrawlLogoChoice: which candidate becomes the saved logo when some cannot be.
func TestCrawlLogoChoice(t *testing.T) {
	t.Parallel()
	touch := `<link rel="apple-touch-icon" sizes="180x180" href="/touch.png">`
	big := crawltest.PNG(crawltest.Logo(180, color.NRGBA{20, 60, 140, 255}, color.NRGBA{250, 240, 220, 255}))
	tests := []struct {
		name     string
		head     string
		logo     []byte
		wantURL  string // "" for no logo saved
		wantSide int
		colours  string // the candidate the brand colours come from
	}{
		{"tiny logo gives colours, touch icon is shown", touch,
			crawltest.PNG(crawltest.Logo(32, color.NRGBA{200, 30, 30, 255}, color.NRGBA{255, 255, 255, 255})), "/touch.png", 180, "/logo.png"},
		{"tiny logo and no icon: colours only", "",
			crawltest.PNG(crawltest.Logo(32, color.NRGBA{200, 30, 30, 255}, color.NRGBA{255, 255, 255, 255})), "", 0, "/logo.png"},
		{"pixel bomb is skipped for the icon", touch, crawltest.PNGHeaderBomb(100000, 100000), "/touch.png", 180, "/touch.png"},
		{"damaged logo is skipped", touch, crawltest.PNG(wideLogo(400, 200))[:300], "/touch.png", 180, "/touch.png"},
		{"HTML served as the logo", touch, []byte("<!doctype html><p>not found</p>"), "/touch.png", 180, "/touch.png"},
		{"fully transparent logo is no logo", "", crawltest.PNG(image.NewRGBA(image.Rect(0, 0, 300, 100))), "", 0, ""},
		{"JPEG logo upright per EXIF", "",
			crawltest.WithOrientation(crawltest.JPEG(crawltest.StoredFor(crawltest.Quadrants(300, 200), 6), 95), 6), "/logo.png", 300, "/logo.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := logoSite(t, tt.head, map[string][]byte{"/logo.png": tt.logo, "/touch.png": big})
			res, err := Crawl(context.Background(), srv.URL, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			if want := srv.URL + tt.colours; tt.colours == "" && res.LogoURL != "" || tt.colours != "" && res.LogoURL != want {
				t.Errorf("colours from %q, want %q", res.LogoURL, tt.colours)
			}
			if tt.wantURL == "" {
				if res.Logo != nil {
					t.Errorf("logo %+v, want none", res.Logo)
				}
				return
			}
			if res.Logo == nil || res.Logo.URL != srv.URL+tt.wantURL || max(res.Logo.Width, res.Logo.Height) != tt.wantSide {
				t.Fatalf("logo %+v, want %s with long side %d", res.Logo, tt.wantURL, tt.wantSide)
			}
			img := readPNG(t, res.Logo.Path)
			if tt.wantURL == "/logo.png" { // the quadrants: red must be top left once upright
				if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 200 || !crawltest.Near(img, 20, 20, crawltest.QuadrantColors[0]) || !crawltest.Near(img, 280, 180, crawltest.QuadrantColors[2]) {
					t.Errorf("logo %v not upright: %v at top left", b, img.At(20, 20))
				}
			}
		})
	}
}

// TestCrawlDirLogo: a saved site's logo and a photo folder's logo.png are saved too,
// the folder's even when business.json names the colours.
func TestCrawlDirLogo(t *testing.T) {
	t.Parallel()
	t.Run("saved site", func(t *testing.T) {
		t.Parallel()
		out := t.TempDir()
		res, err := CrawlDir(context.Background(), "testdata/sites/cafe-ko", Options{OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		if res.Logo == nil || res.Logo.URL != "images/logo.png" || res.Logo.Path != filepath.Join(out, LogoFile) {
			t.Fatalf("logo %+v", res.Logo)
		}
		img := readPNG(t, res.Logo.Path)
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("the round logo's corner is not transparent")
		}
	})
	t.Run("photo folder with colours", func(t *testing.T) {
		t.Parallel()
		dir, out := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(dir, "business.json"), []byte(`{"name": "달빛 베이커리", "colors": ["#123456"]}`))
		writeFile(t, filepath.Join(dir, "01-bread.jpg"), crawltest.JPEG(crawltest.Scene("bakery", 1, 900, 600), 70))
		writeFile(t, filepath.Join(dir, "brand-logo.png"), crawltest.PNG(wideLogo(800, 400)))
		res, err := CrawlDir(context.Background(), dir, Options{OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		if res.Logo == nil || res.Logo.URL != "brand-logo.png" || res.Logo.Width != 800 || res.Logo.Height != 400 {
			t.Fatalf("logo %+v", res.Logo)
		}
		checkWideLogo(t, res.Logo.Path, 800, 400)
		if len(res.Profile.Colors) != 1 || res.Profile.Colors[0] != "#123456" || res.LogoURL != "" {
			t.Errorf("colours %v from %q, want business.json's", res.Profile.Colors, res.LogoURL)
		}
		if len(res.Images) != 1 {
			t.Errorf("images %+v", res.Images)
		}
	})
	t.Run("no out dir: described, not written", func(t *testing.T) {
		t.Parallel()
		res, err := CrawlDir(context.Background(), "testdata/sites/cafe-ko", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Logo == nil || res.Logo.Path != "" || res.Logo.Width != 240 {
			t.Errorf("logo %+v", res.Logo)
		}
	})
}

func TestPrepareLogo(t *testing.T) {
	t.Parallel()
	quad := crawltest.StoredFor(crawltest.Quadrants(300, 200), 8)
	tests := []struct {
		name string
		data []byte
		w, h int
		err  error
	}{
		{"transparent PNG capped", crawltest.PNG(wideLogo(3000, 1500)), 1024, 512, nil},
		{"transparent PNG as is", crawltest.PNG(wideLogo(400, 200)), 400, 200, nil},
		{"GIF", crawltest.GIF(crawltest.Logo(128, color.NRGBA{20, 60, 140, 255}, color.NRGBA{250, 240, 220, 255})), 128, 128, nil},
		{"JPEG turned upright", crawltest.WithOrientation(crawltest.JPEG(quad, 95), 8), 300, 200, nil},
		{"too small", crawltest.PNG(wideLogo(48, 24)), 0, 0, ErrLogoTooSmall},
		{"fully transparent", crawltest.PNG(image.NewRGBA(image.Rect(0, 0, 300, 300))), 0, 0, ErrLogoTooSmall},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), 0, 0, imageprep.ErrSVG},
		{"text", []byte("just some text named logo.png"), 0, 0, imageprep.ErrNotImage},
		{"truncated", crawltest.PNG(wideLogo(400, 200))[:200], 0, 0, imageprep.ErrNotImage},
		{"pixel bomb", crawltest.PNGHeaderBomb(30000, 30000), 0, 0, imageprep.ErrTooManyPixels},
		{"too many bytes", append(crawltest.PNG(wideLogo(400, 200)), make([]byte, imageprep.DefaultMaxImageBytes)...), 0, 0, imageprep.ErrImageTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := filepath.Join(t.TempDir(), "logo.png")
			w, h, err := PrepareLogo(bytes.NewReader(tt.data), dst)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.HasPrefix(err.Error(), "crawl: prepare logo") {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if _, err := os.Stat(dst); !os.IsNotExist(err) {
					t.Error("a file was written")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w != tt.w || h != tt.h {
				t.Fatalf("size %d×%d, want %d×%d", w, h, tt.w, tt.h)
			}
			img := readPNG(t, dst)
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("file is %v, reported %d×%d", b, w, h)
			}
			switch tt.name {
			case "transparent PNG capped", "transparent PNG as is":
				checkWideLogo(t, dst, w, h)
			case "JPEG turned upright":
				if !crawltest.Near(img, 20, 20, crawltest.QuadrantColors[0]) || !crawltest.Near(img, 280, 20, crawltest.QuadrantColors[1]) || !crawltest.Near(img, 280, 180, crawltest.QuadrantColors[2]) {
					t.Errorf("not upright: %v %v %v", img.At(20, 20), img.At(280, 20), img.At(280, 180))
				}
			}
		})
	}
}
