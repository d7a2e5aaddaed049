//go:build ignore

// Command gen writes the binary fixtures of the crawler's test sites: procedurally drawn
// photos, logos, icons and hostile files, plus the EUC-KR page (from gen/euckr.html).
// Run it from internal/crawl:
//
//	go run testdata/gen/main.go
//
// dessert.webp is encoded by ffmpeg (libwebp), since Go has no WebP encoder; only this
// generator needs ffmpeg, the tests read the committed file.
package main

import (
	"context"
	"image/color"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
)

const sites = "testdata/sites"

func write(rel string, data []byte) {
	p := filepath.Join(sites, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%-40s %7d bytes", rel, len(data))
}

func photo(kind string, seed int64, w, h int) []byte {
	return crawltest.JPEG(crawltest.Scene(kind, seed, w, h), 75)
}

func main() {
	navy, gold := color.NRGBA{31, 58, 95, 255}, color.NRGBA{232, 184, 74, 255}

	// A Korean café with JSON-LD.
	write("cafe-ko/images/latte.jpg", photo("latte", 1, 960, 640))
	write("cafe-ko/images/interior.jpg", photo("interior", 1, 640, 427))
	write("cafe-ko/images/storefront.jpg", photo("storefront", 1, 640, 427))
	write("cafe-ko/images/dessert.jpg", photo("dessert", 1, 640, 427))
	write("cafe-ko/images/brunch.jpg", photo("brunch", 1, 640, 427))
	write("cafe-ko/images/beans.jpg", photo("beans", 1, 640, 427))
	write("cafe-ko/images/logo.png", crawltest.PNG(crawltest.Logo(240, navy, gold)))
	write("cafe-ko/images/touch-icon.png", crawltest.PNG(crawltest.Logo(180, navy, gold)))
	write("cafe-ko/images/instagram.png", crawltest.PNG(crawltest.Icon(24, color.NRGBA{200, 60, 140, 255})))

	// A Korean bakery in EUC-KR with no structured data.
	src, err := os.ReadFile("testdata/gen/euckr.html")
	if err != nil {
		log.Fatal(err)
	}
	enc, err := korean.EUCKR.NewEncoder().Bytes(src)
	if err != nil {
		log.Fatal(err)
	}
	write("euckr/index.html", enc)
	write("euckr/images/bread.jpg", photo("bakery", 2, 640, 427))
	write("euckr/images/beans.jpg", photo("beans", 3, 640, 427))
	write("euckr/images/top_logo.gif", crawltest.GIF(crawltest.Banner(200, 60, 4)))

	// An English florist with only OpenGraph tags.
	write("og-en/images/flowers.jpg", photo("flowers", 1, 640, 427))
	write("og-en/images/terrace.jpg", photo("terrace", 1, 640, 427))

	// Lazy loading, icons, pixels, duplicates and worse.
	write("lazy/images/hero-bg.jpg", photo("city", 1, 640, 427))
	write("lazy/images/garden.jpg", photo("terrace", 5, 640, 427))
	large := crawltest.Scene("latte", 7, 640, 427)
	write("lazy/images/latte-large.jpg", crawltest.JPEG(large, 80))
	write("lazy/images/latte-small.jpg", crawltest.JPEG(crawltest.Resize(large, 560, 373), 55))
	write("lazy/images/bakery.jpg", photo("bakery", 9, 640, 427))
	write("lazy/images/dessert-fallback.jpg", photo("dessert", 4, 640, 427))
	write("lazy/images/sprite.png", crawltest.PNG(crawltest.Banner(1200, 100, 1)))
	write("lazy/images/ic_phone.png", crawltest.PNG(crawltest.Icon(48, color.NRGBA{40, 160, 90, 255})))
	write("lazy/images/kakao-icon.png", crawltest.PNG(crawltest.Icon(64, color.NRGBA{250, 225, 0, 255})))
	write("lazy/images/logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="green"/></svg>`))
	write("lazy/images/thumb.jpg", photo("storefront", 3, 200, 133))
	write("lazy/images/banner.jpg", crawltest.JPEG(crawltest.Banner(1600, 200, 2), 75))
	write("lazy/images/coming-soon.jpg", crawltest.JPEG(crawltest.Flat(800, 600, color.NRGBA{240, 240, 240, 255}), 75))
	write("lazy/images/huge.png", crawltest.PNGHeaderBomb(100000, 100000))
	write("lazy/images/not-really.jpg", []byte("<!DOCTYPE html><html><body>Not found</body></html>"))
	write("lazy/images/pixel.gif", crawltest.Pixel())
	write("lazy/images/placeholder.gif", crawltest.Pixel())
	write("lazy/private/secret.jpg", photo("flowers", 8, 640, 427))

	png := filepath.Join(os.TempDir(), "o2sound-dessert.png")
	if err := os.WriteFile(png, crawltest.PNG(crawltest.Scene("dessert", 4, 640, 427)), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(png)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := filepath.Join(sites, "lazy/images/dessert.webp")
	cmd := exec.CommandContext(ctx, "ffmpeg", "-loglevel", "error", "-y", "-i", png, "-c:v", "libwebp", "-quality", "70", out)
	cmd.WaitDelay = 5 * time.Second
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("ffmpeg webp: %v", err)
	}
	log.Printf("%-40s written by ffmpeg", "lazy/images/dessert.webp")
}
