package video

import (
	"context"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/o2sound/o2sound/internal/ffmpeg"
	"github.com/o2sound/o2sound/internal/video/raster"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

func inside(v raster.View, c *canvas) bool {
	const eps = 1e-6
	return v.X >= -eps && v.Y >= -eps && v.X+v.W <= float64(c.pic.W)+eps && v.Y+v.H <= float64(c.pic.H)+eps
}

// TestMovesStayInsideAndNeverStretch checks every move over every kind of picture: the
// view never leaves the canvas (which would show its clamped edge as smeared bars) and
// always has the frame's shape (so nothing is stretched), including under a zoom-through.
func TestMovesStayInsideAndNeverStretch(t *testing.T) {
	t.Parallel()
	paths := testImages(t, image.Pt(1200, 800), image.Pt(600, 900), image.Pt(1500, 400), image.Pt(500, 500), image.Pt(300, 1400), image.Pt(250, 200))
	for _, a := range []Aspect{Landscape, Portrait, Square} {
		w, h, _ := a.Size(0.25)
		frameAR := float64(w) / float64(h)
		for _, p := range paths {
			img, err := loadImage(p)
			if err != nil {
				t.Fatal(err)
			}
			c := newImageCanvas(img, w, h)
			c.image = 0
			for _, style := range []moveStyle{moveZoomIn, moveZoomOut, movePanForward, movePanBack} {
				for _, secs := range []float64{0.5, 2, 4, 12} {
					m := planMove(c, style, secs)
					for k := 0; k <= 20; k++ {
						for _, mul := range []float64{1, 1.35, 1.6} {
							v := m.at(float64(k)/20, mul)
							if !inside(v, c) {
								t.Fatalf("%s %v style %d %vs: view %+v leaves canvas %dx%d", a, img.Rect.Size(), style, secs, v, c.pic.W, c.pic.H)
							}
							if ar := v.W / v.H; math.Abs(ar-frameAR) > 1e-9 {
								t.Fatalf("%s: view aspect %v, frame %v: stretched", a, ar, frameAR)
							}
						}
					}
				}
			}
		}
	}
}

// TestFillKeepsWholePicture checks the blurred-fill layout: a picture far from the frame's
// shape is shown whole, unstretched, with no black anywhere in the frame.
func TestFillKeepsWholePicture(t *testing.T) {
	t.Parallel()
	paths := testImages(t, image.Pt(1500, 400))
	img, err := loadImage(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	w, h, _ := Portrait.Size(0.25)
	c := newImageCanvas(img, w, h)
	if !c.fill {
		t.Fatal("a 15:4 picture in a 9:16 frame should use the blurred fill")
	}
	dst := raster.NewYUV(w, h)
	var s raster.Sampler
	s.ResampleYUV(dst, c.pic, c.base)
	savePNG(t, "fill.png", raster.ToRGBA(dst))
	assertNoBlackBars(t, dst)
	// The disc in the middle of the picture stays round: measure its width and height.
	cx, cy := w/2, h/2
	run := func(dx, dy int) int {
		n := 0
		for x, y := cx, cy; x >= 0 && y >= 0 && x < w && y < h && dst.Y.Pix[y*w+x] > 220; x, y = x+dx, y+dy {
			n++
		}
		return n
	}
	horiz, vert := run(1, 0)+run(-1, 0), run(0, 1)+run(0, -1)
	if horiz < 10 || math.Abs(float64(horiz-vert)) > 2 {
		t.Errorf("disc is %d wide and %d tall: stretched", horiz, vert)
	}
}

// assertNoBlackBars fails if any edge row or column of the frame is (nearly) black.
func assertNoBlackBars(t *testing.T, f *raster.YUV) {
	t.Helper()
	dark := func(vals func(i int) byte, n int) bool {
		for i := 0; i < n; i++ {
			if vals(i) > 24 {
				return false
			}
		}
		return true
	}
	edges := map[string]bool{
		"top":    dark(func(i int) byte { return f.Y.Pix[i] }, f.W),
		"bottom": dark(func(i int) byte { return f.Y.Pix[(f.H-1)*f.W+i] }, f.W),
		"left":   dark(func(i int) byte { return f.Y.Pix[i*f.W] }, f.H),
		"right":  dark(func(i int) byte { return f.Y.Pix[i*f.W+f.W-1] }, f.H),
	}
	for side, bad := range edges {
		if bad {
			t.Errorf("black bar at the %s", side)
		}
	}
}

func TestUsableImages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := testImages(t, image.Pt(400, 300))[0]
	small := testImages(t, image.Pt(150, 120))[0]
	corrupt := filepath.Join(dir, "corrupt.jpg")
	b, _ := os.ReadFile(good)
	os.WriteFile(corrupt, b[:len(b)/3], 0o644) // valid header, truncated data
	text := filepath.Join(dir, "page.jpg")
	os.WriteFile(text, []byte("<html>"), 0o644)
	for path, want := range map[string]bool{good: true, small: false, text: false, filepath.Join(dir, "none.jpg"): false, corrupt: true} {
		if got := usableImage(path); got != want {
			t.Errorf("usableImage(%s) = %v, want %v", filepath.Base(path), got, want)
		}
	}
	if _, err := loadImage(corrupt); err == nil {
		t.Error("truncated JPEG decoded without error")
	}
}

// TestFewImagesBuildsFromCards renders with no, two, and broken images: the video is
// made of generated cards instead of failing.
func TestFewImagesBuildsFromCards(t *testing.T) {
	t.Parallel()
	two := testImages(t, image.Pt(800, 600), image.Pt(700, 700))
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.jpg")
	b, _ := os.ReadFile(two[0])
	os.WriteFile(broken, b[:len(b)/4], 0o644)
	tests := []struct {
		name   string
		images []string
	}{
		{"no images", nil},
		{"two images", two},
		{"three listed, one unreadable", []string{two[0], broken, two[1]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan := testPlan(120, 4, 8, "첫 줄", "둘째 줄")
			out := filepath.Join(t.TempDir(), "cards.mp4")
			in := SlideshowInput{Images: tt.images, Plan: plan, Profile: videotest.Bakery(), Aspect: Square, Scale: 0.2, Out: out}
			r, err := newRenderer(in)
			if err != nil {
				t.Fatal(err)
			}
			cards := 0
			for _, s := range r.tl.shots[1 : len(r.tl.shots)-1] {
				if s.content.kind == contentCard {
					cards++
				}
			}
			if len(tt.images) < 3 && cards == 0 {
				t.Error("no generated cards in the middle of the video")
			}
			if err := r.encode(context.Background(), out, nil, nil); err != nil {
				t.Fatal(err)
			}
			info, err := ffmpeg.Probe(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := info.Video(); v.NbFrames != int64(r.tl.frames) {
				t.Errorf("%d frames, want %d", v.NbFrames, r.tl.frames)
			}
		})
	}
}
