package video

import (
	"context"
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

func TestRenderSlideshowAspects(t *testing.T) {
	t.Parallel()
	imgs := testImages(t, image.Pt(900, 600), image.Pt(500, 750), image.Pt(1200, 360), image.Pt(640, 640))
	tests := []struct {
		aspect Aspect
		w, h   int
	}{
		{Landscape, 480, 270},
		{Portrait, 270, 480},
		{Square, 270, 270},
	}
	for _, tt := range tests {
		t.Run(tt.aspect.String(), func(t *testing.T) {
			t.Parallel()
			plan := testPlan(120, 4, 4, "달빛 아래 빵 굽는 냄새", "Fresh bread every morning")
			out := filepath.Join(t.TempDir(), "slides.mp4")
			var mu sync.Mutex
			var last float64
			err := RenderSlideshow(context.Background(), SlideshowInput{
				Images: imgs, Plan: plan, Profile: videotest.Bakery(), Aspect: tt.aspect, Scale: 0.25, Out: out,
				Progress: func(f float64) { mu.Lock(); last = f; mu.Unlock() },
			})
			if err != nil {
				t.Fatal(err)
			}
			info, err := ffmpeg.Probe(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := info.Video()
			if !ok {
				t.Fatal("no video stream")
			}
			wantFrames := int64(math.Round(plan.Duration * fps))
			if v.CodecName != "h264" || v.Profile != "High" || v.PixFmt != "yuv420p" ||
				v.Width != tt.w || v.Height != tt.h || v.FrameRate != fps || v.NbFrames != wantFrames {
				t.Errorf("stream %+v, want h264 High yuv420p %dx%d 30 fps %d frames", v, tt.w, tt.h, wantFrames)
			}
			if math.Abs(v.Duration-plan.Duration) > 1.0/fps {
				t.Errorf("duration %v, want %v ±1 frame", v.Duration, plan.Duration)
			}
			if _, ok := info.Audio(); ok {
				t.Error("slideshow has an audio stream")
			}
			if ok, err := ffmpeg.MoovBeforeMdat(out); err != nil || !ok {
				t.Errorf("moov before mdat = %v, %v", ok, err)
			}
			if !strings.HasPrefix(info.Tags["comment"], thumbTag) {
				t.Errorf("no thumbnail tag in %v", info.Tags)
			}
			if last != 1 {
				t.Errorf("last progress %v, want 1", last)
			}
		})
	}
}

func TestRenderSlideshowErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := SlideshowInput{Plan: testPlan(120, 4, 2), Profile: videotest.Bakery(), Aspect: Landscape, Scale: 0.1, Out: filepath.Join(dir, "o.mp4")}
	tests := []struct {
		name   string
		modify func(*SlideshowInput)
		want   string
	}{
		{"no plan", func(in *SlideshowInput) { in.Plan = nil }, "no song plan"},
		{"bad tempo", func(in *SlideshowInput) { in.Plan = testPlan(7, 4, 2) }, "tempo 7"},
		{"no out", func(in *SlideshowInput) { in.Out = "" }, "no output path"},
		{"no name", func(in *SlideshowInput) { in.Profile.Name = " " }, "no name"},
		{"bad aspect", func(in *SlideshowInput) { in.Aspect = "4:3" }, `aspect "4:3"`},
		{"bad scale", func(in *SlideshowInput) { in.Scale = 2 }, "scale 2"},
		{"missing font", func(in *SlideshowInput) { in.FontPath = filepath.Join(dir, "none.ttf") }, "font"},
		{"not a font", func(in *SlideshowInput) { in.FontPath = "slideshow_test.go" }, "font"},
		{"missing output dir", func(in *SlideshowInput) { in.Out = filepath.Join(dir, "no", "o.mp4") }, "temp file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := good
			tt.modify(&in)
			err := RenderSlideshow(context.Background(), in)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "video: ") {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRenderSlideshowCancel(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- RenderSlideshow(ctx, SlideshowInput{
			Plan: testPlan(120, 4, 60), Profile: videotest.Bakery(), Aspect: Landscape, Scale: 0.25,
			Out: filepath.Join(dir, "o.mp4"), Progress: func(float64) { once.Do(func() { close(started) }) },
		})
	}()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("no progress")
	}
	cancel()
	at := time.Now()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RenderSlideshow did not return after cancel")
	}
	if d := time.Since(at); d > time.Second {
		t.Errorf("returned %v after cancel", d)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("left behind %v", ents)
	}
}
