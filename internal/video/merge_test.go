package video

import (
	"context"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// testAudio writes a sine tone of the given length as WAV with ffmpeg.
func testAudio(t testing.TB, seconds float64) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "song.wav")
	_, err := ffmpeg.Produce(context.Background(), out, func(tmp string) ([]string, error) {
		return ffmpeg.New().InputLavfi("sine=f=330:r=44100", ffmpeg.Duration(seconds)).Output(tmp).Build()
	}, ffmpeg.RunOptions{}, ffmpeg.Expect{Audio: true})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMergeFitsAnySongLength(t *testing.T) {
	t.Parallel()
	imgs := testImages(t, image.Pt(900, 600), image.Pt(800, 800), image.Pt(700, 500))
	plan := testPlan(120, 4, 4, "달빛 아래", "Fresh bread")
	slides := filepath.Join(t.TempDir(), "slides.mp4")
	err := RenderSlideshow(context.Background(), SlideshowInput{
		Images: imgs, Plan: plan, Profile: videotest.Bakery(), Aspect: Landscape, Scale: 0.25, Out: slides,
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		audio float64
		fit   Fit
	}{
		{"plan length", plan.Duration, FitExact},
		{"half a frame longer", plan.Duration + 0.01, FitExact},
		{"longer song", 11.3, FitStretch},
		{"slightly shorter", 7.2, FitSqueeze},
		{"much shorter", 3.1, FitCut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out := filepath.Join(dir, "final.mp4")
			thumb := filepath.Join(dir, "thumb.jpg")
			res, err := Merge(context.Background(), MergeInput{Video: slides, Audio: testAudio(t, tt.audio), Out: out, Thumbnail: thumb})
			if err != nil {
				t.Fatal(err)
			}
			if res.Fit != tt.fit {
				t.Errorf("fit %s, want %s", res.Fit, tt.fit)
			}
			info, err := ffmpeg.Probe(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := info.Video()
			a, ok := info.Audio()
			if !ok || a.CodecName != "aac" || v.CodecName != "h264" || v.Profile != "High" || v.PixFmt != "yuv420p" || v.FrameRate != fps {
				t.Errorf("streams %+v %+v", v, a)
			}
			want := math.Round(tt.audio*fps) / fps
			if math.Abs(v.Duration-want) > 1.0/fps || math.Abs(a.Duration-want) > 1.0/fps || math.Abs(v.Duration-a.Duration) > 1.0/fps {
				t.Errorf("video %.4fs audio %.4fs, want both %.4fs ±1 frame", v.Duration, a.Duration, want)
			}
			if v.NbFrames != int64(math.Round(tt.audio*fps)) {
				t.Errorf("%d frames, want %v", v.NbFrames, math.Round(tt.audio*fps))
			}
			if ok, err := ffmpeg.MoovBeforeMdat(out); !ok || err != nil {
				t.Errorf("moov before mdat: %v %v", ok, err)
			}
			f, err := os.Open(thumb)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cfg, err := jpeg.DecodeConfig(f)
			if err != nil || cfg.Width != 480 || cfg.Height != 270 {
				t.Errorf("thumbnail %+v %v", cfg, err)
			}
			if res.Width != 480 || res.Height != 270 || res.Thumbnail != thumb {
				t.Errorf("result %+v", res)
			}
			assertFiles(t, dir, "final.mp4", "song.wav", "thumb.jpg")
		})
	}
}

func assertFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	got := map[string]bool{}
	for _, e := range ents {
		got[e.Name()] = true
	}
	for _, n := range names {
		delete(got, n)
	}
	for n := range got {
		if n != "song.wav" {
			t.Errorf("unexpected file %s", n)
		}
	}
}

// TestMergeForeignVideo merges a video O2Sound did not render: baseline profile, 25 fps,
// no thumbnail mark. It is re-encoded to the house format and ffmpeg picks the thumbnail.
func TestMergeForeignVideo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "foreign.mp4")
	_, err := ffmpeg.Produce(context.Background(), src, func(tmp string) ([]string, error) {
		return ffmpeg.New().InputLavfi("testsrc2=s=320x240:r=25", ffmpeg.Duration(3)).
			OutputOptions(ffmpeg.VideoCodec("libx264"), ffmpeg.Preset("ultrafast"), ffmpeg.PixFmt("yuv420p")).
			Output(tmp).Build()
	}, ffmpeg.RunOptions{}, ffmpeg.Expect{Video: true})
	if err != nil {
		t.Fatal(err)
	}
	var fracs []float64
	res, err := Merge(context.Background(), MergeInput{
		Video: src, Audio: testAudio(t, 3), Out: filepath.Join(dir, "out.mp4"), Thumbnail: filepath.Join(dir, "t.jpg"),
		Progress: func(f float64) { fracs = append(fracs, f) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Fit != FitStretch || res.Speed != 1 || res.FPS != fps || res.Frames != 90 || res.Width != 320 {
		t.Errorf("result %+v", res)
	}
	if math.Abs(res.ThumbnailAt-1) > 0.01 {
		t.Errorf("thumbnail at %v, want ffmpeg's pick from a third of the way in (1s)", res.ThumbnailAt)
	}
	if len(fracs) == 0 || fracs[len(fracs)-1] != 1 {
		t.Errorf("progress %v", fracs)
	}
}

func TestMergeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	audio := testAudio(t, 1)
	for _, in := range []MergeInput{
		{Audio: audio, Out: filepath.Join(dir, "o.mp4")},
		{Video: audio, Audio: audio, Out: filepath.Join(dir, "o.mp4")}, // no video stream
		{Video: filepath.Join(dir, "none.mp4"), Audio: audio, Out: filepath.Join(dir, "o.mp4")},
	} {
		if _, err := Merge(context.Background(), in); err == nil || !strings.HasPrefix(err.Error(), "video: merge") {
			t.Errorf("Merge(%+v) = %v", in, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "o.mp4")); err == nil {
		t.Error("a failed merge left an output")
	}
}
