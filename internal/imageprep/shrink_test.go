package imageprep

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"testing"

	"golang.org/x/image/draw"
)

func TestShrinkArea(t *testing.T) {
	t.Parallel()
	// A smooth gradient with a transparent band: the area mean matches Catmull-Rom's
	// result closely, flat colour stays exact, and transparency stays premultiplied.
	src := image.NewNRGBA(image.Rect(0, 0, 997, 661))
	for y := range 661 {
		for x := range 997 {
			a := uint8(255)
			if y > 500 {
				a = 0
			}
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / 996), uint8(y * 255 / 660), 90, a})
		}
	}
	for _, size := range []image.Point{{320, 212}, {500, 331}, {997, 661}, {41, 27}} {
		got := ShrinkArea(src, size.X, size.Y)
		ref := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		draw.CatmullRom.Scale(ref, ref.Rect, src, src.Rect, draw.Src, nil)
		var worst float64
		for y := range size.Y * 70 / 100 { // away from the edge of the transparent band
			for x := range size.X {
				g, r := got.RGBAAt(x, y), ref.RGBAAt(x, y)
				worst = math.Max(worst, math.Abs(float64(g.R)-float64(r.R))+math.Abs(float64(g.G)-float64(r.G)))
				if g.B != 90 || g.A != 255 {
					t.Fatalf("%v: flat blue %v at %d,%d", size, g, x, y)
				}
			}
		}
		if worst > 6 {
			t.Errorf("%v: differs from Catmull-Rom by up to %.0f levels", size, worst)
		}
		if c := got.RGBAAt(size.X/2, size.Y-1); c.A != 0 || c.R != 0 {
			t.Errorf("%v: transparent corner %v", size, c)
		}
	}
}

// TestNormalizeImageMemory: shrinking a camera original just under the pixel cap takes
// about the result's size, not half a gigabyte. Not parallel: it counts the process's
// allocations.
func TestNormalizeImageMemory(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 6400, 6500), image.YCbCrSubsampleRatio420)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out := Normalize(img, 1, DefaultMaxLongSide)
	runtime.ReadMemStats(&after)
	if out.Rect.Dx() != 2520 || out.Rect.Dy() != 2560 {
		t.Fatalf("size %v", out.Rect)
	}
	if got := (after.TotalAlloc - before.TotalAlloc) >> 20; got > 40 {
		t.Errorf("normalizing allocated %d MB, want about the 25 MB result", got)
	}
}
