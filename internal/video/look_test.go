package video

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"testing"

	"github.com/o2sound/o2sound/internal/video/raster"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// TestLookAtFrames draws selected frames of a slideshow to PNGs for a person to inspect.
// It runs only when VIDEO_FRAMES names a directory.
func TestLookAtFrames(t *testing.T) {
	t.Parallel()
	if os.Getenv("VIDEO_FRAMES") == "" {
		t.Skip("set VIDEO_FRAMES=/some/dir to write frames")
	}
	for _, a := range []Aspect{Landscape, Portrait, Square} {
		imgs := testImages(t, image.Pt(1200, 800), image.Pt(600, 900), image.Pt(1500, 400), image.Pt(1000, 1000))
		plan := withSections(testPlan(120, 4, 12), 2, 8, 2)
		plan.Lines = testPlan(120, 4, 8, "달빛 아래 빵 굽는 냄새 😀", "Fresh bread every morning on the corner street", "역삼동 골목 끝 작은 가게").Lines
		logo := testLogo(t, 300, 300, color.RGBA{0x7a, 0x3b, 0x1d, 0xff}, color.RGBA{0xf4, 0xc5, 0x42, 0xff})
		r, err := newRenderer(SlideshowInput{Images: imgs, Plan: plan, Profile: videotest.Bakery(), Aspect: a, Scale: 0.5, Out: "x.mp4", Logo: logo})
		if err != nil {
			t.Fatal(err)
		}
		go r.pics.run(context.Background(), r.tl)
		buf := raster.NewYUV(r.w, r.h)
		pt := r.newPainter()
		for i, s := range r.tl.shots {
			t.Logf("%s shot %d: frames %d-%d content %+v in %v/%d", a, i, s.start, s.end, s.content, s.in.kind, s.in.frames)
		}
		frames := []int{10, 100, 130, 190, 250, 300, 400, 470, r.tl.thumb}
		for _, s := range r.tl.shots[1:] {
			frames = append(frames, s.start+s.in.frames/2) // mid-transition
		}
		for _, f := range frames {
			if f >= r.tl.frames {
				continue
			}
			if err := pt.drawFrame(context.Background(), buf, f); err != nil {
				t.Fatal(err)
			}
			savePNG(t, fmt.Sprintf("%s-%03d.png", map[Aspect]string{Landscape: "land", Portrait: "port", Square: "sq"}[a], f), raster.ToRGBA(buf))
		}
	}
}
