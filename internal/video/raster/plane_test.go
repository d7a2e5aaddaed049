package raster

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// referenceSample is the textbook bilinear sample of a plane at (x, y), edges clamped.
func referenceSample(p Plane, x, y float64) float64 {
	x = math.Max(0, math.Min(float64(p.W-1), x))
	y = math.Max(0, math.Min(float64(p.H-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, p.W-1), min(y0+1, p.H-1)
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 { return float64(p.Pix[y*p.W+x]) }
	top := at(x0, y0)*(1-fx) + at(x1, y0)*fx
	bot := at(x0, y1)*(1-fx) + at(x1, y1)*fx
	return top*(1-fy) + bot*fy
}

func TestResampleMatchesReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	src := NewPlane(203, 117)
	for i := range src.Pix {
		src.Pix[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name string
		dw   int
		dh   int
		v    View
	}{
		{"identity", 203, 117, View{0, 0, 203, 117}},
		{"zoom in sub-pixel", 160, 90, View{10.37, 5.81, 120.5, 67.78}},
		{"zoom out", 64, 36, View{0, 0, 203, 114.2}},
		{"past the edges clamps", 50, 50, View{-10, -10, 230, 140}},
		{"tiny view", 37, 21, View{100.5, 50.25, 3.3, 2.1}},
		{"odd widths exercise the tail", 33, 7, View{1.1, 2.2, 150.3, 80.1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := NewPlane(tt.dw, tt.dh)
			var s Sampler
			s.resample(dst, src, tt.v)
			sx, sy := tt.v.W/float64(tt.dw), tt.v.H/float64(tt.dh)
			worst := 0.0
			for v := 0; v < tt.dh; v++ {
				for u := 0; u < tt.dw; u++ {
					want := referenceSample(src, tt.v.X+(float64(u)+0.5)*sx-0.5, tt.v.Y+(float64(v)+0.5)*sy-0.5)
					worst = math.Max(worst, math.Abs(float64(dst.Pix[v*tt.dw+u])-want))
				}
			}
			// 8-bit weights: within 1.5 levels of exact bilinear.
			if worst > 1.5 {
				t.Errorf("differs from bilinear by up to %.2f levels", worst)
			}
			if tt.name == "identity" {
				for i := range src.Pix {
					if dst.Pix[i] != src.Pix[i] {
						t.Fatalf("identity view changed pixel %d", i)
					}
				}
			}
		})
	}
}

// TestResampleSmoothMotion moves a view by a tenth of a pixel per frame over a hard edge:
// the edge's position in the output must advance every step, never stall then jump, which
// is the wobble whole-pixel cropping (zoompan) shows.
func TestResampleSmoothMotion(t *testing.T) {
	t.Parallel()
	src := NewPlane(100, 4)
	for y := 0; y < 4; y++ {
		for x := 50; x < 100; x++ {
			src.Pix[y*100+x] = 200
		}
	}
	dst := NewPlane(60, 2)
	var s Sampler
	prev := -1.0
	for k := 0; k < 30; k++ {
		s.resample(dst, src, View{X: 10 + float64(k)*0.1, Y: 0, W: 60, H: 4})
		// Centre of mass of the bright part of the row locates the edge sub-pixel.
		var sum float64
		for _, v := range dst.Pix[:60] {
			sum += float64(v)
		}
		edge := 60 - sum/200
		if prev >= 0 {
			step := prev - edge
			if step < 0.05 || step > 0.15 {
				t.Fatalf("frame %d: edge moved %.3f px, want 0.1", k, step)
			}
		}
		prev = edge
	}
}

func TestBlend(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d, s byte
		a    uint32
		want byte
	}{
		{0, 255, 0, 0}, {0, 255, 256, 255}, {0, 255, 128, 128}, {200, 100, 64, 175}, {10, 10, 99, 10},
	} {
		d := []byte{tt.d}
		Blend(d, []byte{tt.s}, tt.a)
		if d[0] != tt.want {
			t.Errorf("blend(%d, %d, %d) = %d, want %d", tt.d, tt.s, tt.a, d[0], tt.want)
		}
		d[0] = tt.d
		BlendValue(d, tt.s, tt.a)
		if d[0] != tt.want {
			t.Errorf("blendValue(%d, %d, %d) = %d, want %d", tt.d, tt.s, tt.a, d[0], tt.want)
		}
	}
}

func TestColourConversionRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []color.RGBA{{0, 0, 0, 255}, {255, 255, 255, 255}, {255, 0, 0, 255}, {0, 255, 0, 255},
		{0, 0, 255, 255}, {122, 59, 29, 255}, {244, 197, 66, 255}} {
		y := RGBToYCC(c.R, c.G, c.B)
		r, g, b := YCCToRGB(y)
		if absDiff(r, c.R) > 2 || absDiff(g, c.G) > 2 || absDiff(b, c.B) > 2 {
			t.Errorf("%v → %v → %d,%d,%d", c, y, r, g, b)
		}
	}
	if c := RGBToYCC(0, 0, 0); c != (YCC{16, 128, 128}) {
		t.Errorf("black = %v, want limited-range 16,128,128", c)
	}
	if c := RGBToYCC(255, 255, 255); c != (YCC{235, 128, 128}) {
		t.Errorf("white = %v, want 235,128,128", c)
	}
}

func TestOverlayComposite(t *testing.T) {
	t.Parallel()
	f := NewYUV(8, 8)
	f.Fill(YCC{16, 128, 128})
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 255, 255, 255, 255
	}
	img.Pix[3] = 0 // one transparent pixel
	img.Pix[0], img.Pix[1], img.Pix[2] = 0, 0, 0
	ov := NewOverlay(img, 2, 2)
	ov.Draw(f, 256)
	if got := f.Y.Pix[2*8+3]; got != 235 {
		t.Errorf("opaque white pixel Y = %d, want 235", got)
	}
	if got := f.Y.Pix[2*8+2]; got != 16 {
		t.Errorf("transparent pixel Y = %d, want the frame's 16", got)
	}
	if got := f.Y.Pix[0]; got != 16 {
		t.Errorf("pixel outside the overlay changed: %d", got)
	}
	g := NewYUV(8, 8)
	g.Fill(YCC{16, 128, 128})
	ov.Draw(g, 128)
	if got := g.Y.Pix[3*8+3]; got < 120 || got > 130 {
		t.Errorf("half-opacity white over black Y = %d, want ~126", got)
	}
	// Overlays hanging off the frame are clipped, not a panic.
	(&Overlay{X: 6, Y: 6, y_: ov.y_, cb: ov.cb, cr: ov.cr, a: ov.a, a2: ov.a2}).Draw(f, 256)
	(&Overlay{X: -2, Y: -2, y_: ov.y_, cb: ov.cb, cr: ov.cr, a: ov.a, a2: ov.a2}).Draw(f, 256)
}

// TestVectorPassesMatchGo runs the AVX2 passes and the Go loops on the same random input:
// they must agree byte for byte, so every machine renders the same video.
func TestVectorPassesMatchGo(t *testing.T) {
	t.Parallel()
	if !useAVX2 {
		t.Skip("no AVX2 on this machine")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{16, 17, 31, 64, 100, 1921} {
		a, b := make([]byte, n), make([]byte, n)
		for i := range a {
			a[i], b[i] = byte(rng.IntN(256)), byte(rng.IntN(256))
		}
		for _, w := range []uint32{0, 1, 64, 127, 128} {
			got, want := make([]uint16, n+1), make([]uint16, n+1)
			lerpRows(got[:n], a, b, w)
			lerpRowsGo(want[:n], a, b, w)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("lerpRows n=%d w=%d: [%d] = %d, want %d", n, w, i, got[i], want[i])
				}
			}
			// Horizontal pass over that row with random indices and weights.
			m := n + n/3
			xi, wp := make([]int32, m), make([]uint32, m)
			for u := range xi {
				xi[u] = int32(rng.IntN(n))
				hw := uint32(rng.IntN(257))
				wp[u] = (256 - hw) | hw<<16
			}
			got[n] = got[n-1]
			outV, outG := make([]byte, m), make([]byte, m)
			hpass(outV, got, xi, wp)
			hpassGo(outG, got, xi, wp)
			for u := range outG {
				if outV[u] != outG[u] {
					t.Fatalf("hpass n=%d: [%d] = %d, want %d", n, u, outV[u], outG[u])
				}
			}
			bv, bg := append([]byte(nil), a...), append([]byte(nil), a...)
			Blend(bv, b, 1+(2*w)%255)
			blendGo(bg, b, 1+(2*w)%255)
			for i := range bg {
				if bv[i] != bg[i] {
					t.Fatalf("blend n=%d a=%d: [%d] = %d, want %d", n, 1+(2*w)%255, i, bv[i], bg[i])
				}
			}
		}
	}
}

// BenchmarkSamplerGo is BenchmarkSampler without the vector passes, for comparison.
func BenchmarkSamplerGo(b *testing.B) {
	if !useAVX2 {
		b.Skip("the Go passes are what BenchmarkSampler measures here")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	BenchmarkSampler(b)
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
