package imageprep

import (
	"image"
	"math"

	"golang.org/x/image/draw"
)

// ShrinkArea resamples img down to dw×dh by area averaging: each output pixel is the
// mean of the source area it covers, which is the proper filter for shrinking (no
// aliasing, no ringing). It streams: besides the result it holds one source row and two
// rows of sums, whatever the source's size. draw.CatmullRom.Scale, used before, keeps a
// dw×sh buffer of four float64s — 525 MB for a 41 MP camera original, on top of the
// decoded image, and two such decodes at once took the server past 2 GB. The result is
// premultiplied RGBA, as image.RGBA is.
func ShrinkArea(img image.Image, dw, dh int) *image.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	if sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 {
		return dst
	}
	cols := areaSpans(sw, dw)
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	hrow := make([]float32, dw*4)
	acc := make([]float32, dw*4)
	fy := float64(sh) / float64(dh)
	inv := float32(1 / fy)
	d := 0 // the output row being summed
	emit := func() {
		out := dst.Pix[d*dst.Stride : d*dst.Stride+dw*4]
		for i, v := range acc {
			out[i] = uint8(math.Min(255, float64(v*inv)+0.5))
			acc[i] = 0
		}
		d++
	}
	for y := 0; y < sh && d < dh; y++ {
		draw.Draw(row, row.Rect, img, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		for x, c := range cols {
			var r, g, bl, a float32
			p := row.Pix[c.first*4:]
			for k, w := range c.weights {
				q := p[k*4 : k*4+4]
				r += w * float32(q[0])
				g += w * float32(q[1])
				bl += w * float32(q[2])
				a += w * float32(q[3])
			}
			h := hrow[x*4 : x*4+4]
			h[0], h[1], h[2], h[3] = r, g, bl, a
		}
		// Source row y covers [y, y+1); output row d covers [d·fy, (d+1)·fy).
		for top := float64(y); top < float64(y+1)-1e-9 && d < dh; {
			end := math.Min(float64(y+1), float64(d+1)*fy)
			w := float32(end - top)
			for i, v := range hrow {
				acc[i] += w * v
			}
			top = end
			if end >= float64(d+1)*fy-1e-9 {
				emit()
			}
		}
	}
	for d < dh { // float rounding left the last row a hair short
		emit()
	}
	return dst
}

// areaSpan is the source columns one output column averages, with their weights (the
// share of each source pixel the output pixel covers, divided by its width).
type areaSpan struct {
	first   int
	weights []float32
}

func areaSpans(sw, dw int) []areaSpan {
	f := float64(sw) / float64(dw)
	spans := make([]areaSpan, dw)
	for x := range spans {
		from, to := float64(x)*f, math.Min(float64(x+1)*f, float64(sw))
		first := int(math.Floor(from))
		s := areaSpan{first: first}
		for i := first; float64(i) < to-1e-9 && i < sw; i++ {
			overlap := math.Min(to, float64(i+1)) - math.Max(from, float64(i))
			s.weights = append(s.weights, float32(overlap/f))
		}
		spans[x] = s
	}
	return spans
}

// overWhite composites premultiplied pixels onto white in place: a transparent PNG must
// not turn black in a JPEG.
func overWhite(img *image.RGBA) {
	for i := 0; i+3 < len(img.Pix); i += 4 {
		p := img.Pix[i : i+4]
		t := 255 - int(p[3])
		for c := range 3 { // rounding may leave a colour a step above its alpha
			p[c] = uint8(min(255, int(p[c])+t))
		}
		p[3] = 255
	}
}
