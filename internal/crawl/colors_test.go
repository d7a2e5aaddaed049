package crawl

import (
	"image"
	"image/color"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
)

func TestDominantColors(t *testing.T) {
	t.Parallel()
	navy, gold := color.NRGBA{31, 58, 95, 255}, color.NRGBA{232, 184, 74, 255}
	got := dominantColors(crawltest.Logo(240, navy, gold), 3)
	if len(got) < 2 {
		t.Fatalf("colours %v", got)
	}
	for i, want := range []color.NRGBA{navy, gold} {
		c, _ := hexRGB(got[i])
		if colorDistance(c, [3]int{int(want.R), int(want.G), int(want.B)}) > 30 {
			t.Errorf("colour %d = %s, want about %v", i, got[i], want)
		}
	}
	// A black-and-white logo still has colours: its neutrals.
	bw := dominantColors(crawltest.Logo(100, color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}), 3)
	if len(bw) == 0 {
		t.Error("no colours for a black-and-white logo")
	}
	if dominantColors(image.NewNRGBA(image.Rect(0, 0, 10, 10)), 3) != nil {
		t.Error("colours for a transparent image")
	}
}
