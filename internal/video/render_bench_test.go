package video

import (
	"context"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/video/raster"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// BenchmarkDrawFrames draws every frame of a 30 s 1080p slideshow without encoding: the
// Go side's whole share of a render.
func BenchmarkDrawFrames(b *testing.B) {
	dir := b.TempDir()
	imgs, err := videotest.WriteImages(dir, 8)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		start := time.Now()
		r, err := newRenderer(SlideshowInput{Images: imgs, Plan: videotest.Plan(30), Profile: videotest.Profile(), Aspect: Landscape, Scale: 1, Out: "x.mp4"})
		if err != nil {
			b.Fatal(err)
		}
		prep := time.Since(start)
		go r.pics.run(context.Background(), r.tl)
		buf := raster.NewYUV(r.w, r.h)
		pt := r.newPainter()
		for f := 0; f < r.tl.frames; f++ {
			if err := pt.drawFrame(context.Background(), buf, f); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(prep.Seconds(), "prep-s")
		b.ReportMetric(float64(r.tl.frames)/time.Since(start).Seconds(), "fps")
	}
}
