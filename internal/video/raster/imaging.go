package raster

import (
	"image"
	"image/color"
	"math"
)

// Image preparation runs once per image, so it favours quality (area averaging when
// shrinking) over speed; the per-frame path never calls it.

// contrib is one output sample's source taps.
type contrib struct {
	start   int
	weights []float32
}

// contributions computes separable resampling weights from n source samples to m: area
// averaging (a box filter as wide as one output sample) when shrinking, linear
// interpolation when enlarging.
func contributions(n, m int) []contrib {
	out := make([]contrib, m)
	scale := float64(n) / float64(m)
	for i := range out {
		center := (float64(i) + 0.5) * scale
		if scale <= 1 {
			x := center - 0.5
			j := int(math.Floor(x))
			f := float32(x - float64(j))
			j0, j1 := clampIndex(j, n), clampIndex(j+1, n)
			if j0 == j1 {
				out[i] = contrib{start: j0, weights: []float32{1}}
			} else {
				out[i] = contrib{start: j0, weights: []float32{1 - f, f}}
			}
			continue
		}
		lo, hi := center-scale/2, center+scale/2
		j0, j1 := int(math.Floor(lo)), int(math.Ceil(hi))
		j0, j1 = max(j0, 0), min(j1, n)
		ws := make([]float32, j1-j0)
		var sum float32
		for j := j0; j < j1; j++ {
			cover := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
			if cover > 0 {
				ws[j-j0] = float32(cover)
				sum += float32(cover)
			}
		}
		for k := range ws {
			ws[k] /= sum
		}
		out[i] = contrib{start: j0, weights: ws}
	}
	return out
}

// Resize resamples an opaque picture to w×h.
func Resize(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	cx := contributions(sw, w)
	cy := contributions(sh, h)
	// Horizontal pass into float rows, then vertical pass into the result.
	tmp := make([]float32, w*sh*3)
	for y := 0; y < sh; y++ {
		row := src.Pix[y*src.Stride:]
		for x, c := range cx {
			var r, g, b float32
			for k, wt := range c.weights {
				p := row[(c.start+k)*4:]
				r += wt * float32(p[0])
				g += wt * float32(p[1])
				b += wt * float32(p[2])
			}
			t := tmp[(y*w+x)*3:]
			t[0], t[1], t[2] = r, g, b
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y, c := range cy {
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			var r, g, b float32
			for k, wt := range c.weights {
				t := tmp[((c.start+k)*w+x)*3:]
				r += wt * t[0]
				g += wt * t[1]
				b += wt * t[2]
			}
			o := out[x*4:]
			o[0], o[1], o[2], o[3] = to8(r), to8(g), to8(b), 0xff
		}
	}
	return dst
}

func to8(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// Crop copies the region r of src, alpha included, into a new picture.
func Crop(src *image.RGBA, r image.Rectangle) *image.RGBA {
	r = r.Intersect(src.Rect)
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+r.Dx()*4], src.Pix[src.PixOffset(r.Min.X, r.Min.Y+y):])
	}
	return dst
}

// Blur blurs an opaque picture with three box passes of radius r per channel.
func Blur(img *image.RGBA, r int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ch := make([]byte, w*h)
	for c := 0; c < 3; c++ {
		for i := range ch {
			ch[i] = img.Pix[i*4+c]
		}
		for range 3 {
			BoxBlur(ch, w, h, w, r)
		}
		for i, v := range ch {
			img.Pix[i*4+c] = v
		}
	}
}

// Tint mixes every pixel toward colour c by amount a in [0, 1].
func Tint(img *image.RGBA, c color.RGBA, a float64) {
	m := uint32(a*256 + 0.5)
	k := 256 - m
	for i := 0; i+3 < len(img.Pix); i += 4 {
		img.Pix[i] = uint8((uint32(img.Pix[i])*k + uint32(c.R)*m) >> 8)
		img.Pix[i+1] = uint8((uint32(img.Pix[i+1])*k + uint32(c.G)*m) >> 8)
		img.Pix[i+2] = uint8((uint32(img.Pix[i+2])*k + uint32(c.B)*m) >> 8)
	}
}

// FromRGBA converts an opaque RGBA picture with even dimensions to yuv420p, averaging
// each 2×2 block for chroma.
func FromRGBA(img *image.RGBA) *YUV {
	w, h := img.Rect.Dx()&^1, img.Rect.Dy()&^1
	f := NewYUV(w, h)
	cw := w / 2
	for y := 0; y < h; y += 2 {
		r0 := img.Pix[y*img.Stride:]
		r1 := img.Pix[(y+1)*img.Stride:]
		for x := 0; x < w; x += 2 {
			var cb, cr uint32
			for k, p := range [4][]byte{r0[x*4:], r0[x*4+4:], r1[x*4:], r1[x*4+4:]} {
				c := RGBToYCC(p[0], p[1], p[2])
				f.Y.Pix[(y+k/2)*w+x+k%2] = c.Y
				cb += uint32(c.Cb)
				cr += uint32(c.Cr)
			}
			f.Cb.Pix[(y/2)*cw+x/2] = byte((cb + 2) / 4)
			f.Cr.Pix[(y/2)*cw+x/2] = byte((cr + 2) / 4)
		}
	}
	return f
}

// ToRGBA converts a yuv420p picture back to RGBA (thumbnails, tests, debugging).
func ToRGBA(f *YUV) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, f.W, f.H))
	cw := f.W / 2
	for y := 0; y < f.H; y++ {
		for x := 0; x < f.W; x++ {
			k := (y/2)*cw + x/2
			r, g, b := YCCToRGB(YCC{f.Y.Pix[y*f.W+x], f.Cb.Pix[k], f.Cr.Pix[k]})
			o := img.Pix[y*img.Stride+x*4:]
			o[0], o[1], o[2], o[3] = r, g, b, 0xff
		}
	}
	return img
}

// BoxBlur blurs one 8-bit plane in place, horizontally then vertically, with a
// running sum so the cost does not depend on r.
func BoxBlur(pix []byte, w, h, stride, r int) {
	if r <= 0 {
		return
	}
	n := max(w, h)
	line := make([]int32, n)
	div := int32(2*r + 1)
	pass := func(count, length int, at func(i, k int) int) {
		for i := 0; i < count; i++ {
			for k := 0; k < length; k++ {
				line[k] = int32(pix[at(i, k)])
			}
			var sum int32
			for k := -r; k <= r; k++ {
				sum += line[clampIndex(k, length)]
			}
			for k := 0; k < length; k++ {
				pix[at(i, k)] = byte((sum + div/2) / div)
				sum += line[clampIndex(k+r+1, length)] - line[clampIndex(k-r, length)]
			}
		}
	}
	pass(h, w, func(y, x int) int { return y*stride + x })
	pass(w, h, func(x, y int) int { return y*stride + x })
}

// clampIndex clamps i to an index of a run of n ≥ 1 samples: edges repeat.
func clampIndex(i, n int) int { return max(0, min(i, n-1)) }
