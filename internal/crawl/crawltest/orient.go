package crawltest

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// StoredFor is how a camera stores upright for EXIF orientation o: it maps each stored pixel to the upright pixel it shows, per EXIF:
// 1 row0 top/col0 left, 2 top/right, 3 bottom/right, 4 bottom/left, 5 left/top,
// 6 right/top, 7 right/bottom, 8 left/bottom.
func StoredFor(up *image.RGBA, o int) *image.RGBA {
	W, H := up.Bounds().Dx(), up.Bounds().Dy()
	sw, sh := W, H
	if o >= 5 {
		sw, sh = H, W
	}
	dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			var X, Y int
			switch o {
			case 1:
				X, Y = sx, sy
			case 2:
				X, Y = W-1-sx, sy
			case 3:
				X, Y = W-1-sx, H-1-sy
			case 4:
				X, Y = sx, H-1-sy
			case 5:
				X, Y = sy, sx
			case 6:
				X, Y = W-1-sy, sx
			case 7:
				X, Y = W-1-sy, H-1-sx
			case 8:
				X, Y = sy, H-1-sx
			}
			dst.Set(sx, sy, up.At(X, Y))
		}
	}
	return dst
}

// QuadrantColors are Quadrants' colours: top left, top right, bottom right, bottom left.
var QuadrantColors = [4]color.NRGBA{{220, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 220, 255}, {230, 220, 30, 255}}

// Near reports whether the pixel at (x, y) is close to c (JPEG is lossy).
func Near(img image.Image, x, y int, c color.NRGBA) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	d := func(a uint32, b uint8) int { v := int(a>>8) - int(b); return max(v, -v) }
	return d(r, c.R) < 40 && d(g, c.G) < 40 && d(b, c.B) < 40
}

// FixturePages are the fixture sites' HTML files (internal/crawl/testdata/sites), the
// fuzzers' seed corpus; the path is found from any package directory under internal.
func FixturePages(tb testing.TB) [][]byte {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	paths, _ := filepath.Glob(filepath.Join(filepath.Dir(here), "..", "testdata", "sites", "*", "*.html"))
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
