package raster

// Frames are drawn straight into yuv420p planes, the layout x264 reads from the pipe, so a
// frame is never converted from RGB: images are converted once when they are prepared and
// every frame after that is bilinear resampling of bytes.

// Plane is one 8-bit image plane.
type Plane struct {
	W, H int
	Pix  []byte // row-major, stride W
}

func NewPlane(w, h int) Plane { return Plane{W: w, H: h, Pix: make([]byte, w*h)} }

func (p Plane) Row(y int) []byte { return p.Pix[y*p.W : (y+1)*p.W] }

// YUV is a yuv420p picture: Y at full size, Cb and Cr at half size in each direction.
// Width and height are even.
type YUV struct {
	W, H      int
	Y, Cb, Cr Plane
	Buf       []byte
}

// NewYUV allocates a picture whose planes share one buffer in pipe order (Y, Cb, Cr).
func NewYUV(w, h int) *YUV {
	n := w * h
	buf := make([]byte, n*3/2)
	cw, ch := w/2, h/2
	return &YUV{
		W: w, H: h, Buf: buf,
		Y:  Plane{W: w, H: h, Pix: buf[:n]},
		Cb: Plane{W: cw, H: ch, Pix: buf[n : n+cw*ch]},
		Cr: Plane{W: cw, H: ch, Pix: buf[n+cw*ch:]},
	}
}

func (f *YUV) Planes() [3]*Plane { return [3]*Plane{&f.Y, &f.Cb, &f.Cr} }

// Fill paints the whole picture one colour.
func (f *YUV) Fill(c YCC) {
	fillBytes(f.Y.Pix, c.Y)
	fillBytes(f.Cb.Pix, c.Cb)
	fillBytes(f.Cr.Pix, c.Cr)
}

func fillBytes(b []byte, v byte) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for i := 1; i < len(b); i *= 2 {
		copy(b[i:], b[:i])
	}
}

// View is the rectangle of a source picture shown in a frame, in source luma pixels.
// The frame pixel (u, v) shows source point (X + (u+0.5)*W/frameW - 0.5, Y + …).
type View struct{ X, Y, W, H float64 }

// Sampler holds the per-frame scratch of the bilinear resampler so that drawing a frame
// allocates nothing.
type Sampler struct {
	xi  []int32  // per destination column: left source column, relative to the span start
	wp  []uint32 // per destination column: weights (256−w) | w<<16 of the left and right column
	row []uint16 // source row span, vertically interpolated, scaled by 128
}

// resample draws the source region r of src into all of dst with sub-pixel bilinear
// interpolation. It is separable: each destination row first blends the two source rows
// it falls between over the span of columns it needs (7-bit weights, so a blended sample
// fits a signed 16-bit lane), then blends each pair of neighbours horizontally (8-bit
// weights). Both passes have an AVX2 version (one gather and one multiply-add per eight
// pixels) that gives the same bytes as the Go loops. Points outside src are clamped to
// its edge.
func (s *Sampler) resample(dst, src Plane, r View) {
	if dst.W == 0 || dst.H == 0 {
		return
	}
	sx := r.W / float64(dst.W)
	sy := r.H / float64(dst.H)
	if cap(s.xi) < dst.W {
		s.xi = make([]int32, dst.W)
		s.wp = make([]uint32, dst.W)
	}
	xi, wp := s.xi[:dst.W], s.wp[:dst.W]
	maxX := src.W - 1
	lo, hi := maxX, 0
	for u := range xi {
		fx := r.X + (float64(u)+0.5)*sx - 0.5
		i, w := split(fx, maxX, 256)
		xi[u], wp[u] = int32(i), (256-w)|w<<16
		lo = min(lo, i)
		hi = max(hi, min(i+1, maxX))
	}
	for u := range xi {
		xi[u] -= int32(lo)
	}
	n := hi - lo + 1 // source columns used
	// One more for the clamp column after the span; the vector pass reads pairs.
	if cap(s.row) < n+1 {
		s.row = make([]uint16, n+1)
	}
	row := s.row[:n+1]
	maxY := src.H - 1
	for v := 0; v < dst.H; v++ {
		fy := r.Y + (float64(v)+0.5)*sy - 0.5
		j, wy := split(fy, maxY, 128)
		j1 := min(j+1, maxY)
		lerpRows(row[:n], src.Pix[j*src.W+lo:j*src.W+lo+n], src.Pix[j1*src.W+lo:j1*src.W+lo+n], wy)
		row[n] = row[n-1] // so index n-1 has a right neighbour
		hpass(dst.Pix[v*dst.W:(v+1)*dst.W], row, xi, wp)
	}
}

// lerpRows writes a·(128−w) + b·w for each sample into row; w in 0..128.
func lerpRows(row []uint16, a, b []byte, w uint32) {
	n := len(a)
	k := 0
	if useAVX2 && n >= 16 {
		k = n &^ 15
		lerpRowsAVX2(&row[0], &a[0], &b[0], k, uint64(128-w), uint64(w))
	}
	lerpRowsGo(row[k:n], a[k:n], b[k:n], w)
}

func lerpRowsGo(row []uint16, a, b []byte, w uint32) {
	wa := 128 - w
	b = b[:len(a)]
	row = row[:len(a)]
	for k, av := range a {
		row[k] = uint16(uint32(av)*wa + uint32(b[k])*w)
	}
}

// hpass writes out[u] = (row[xi[u]]·(256−w) + row[xi[u]+1]·w) / 2^15, rounded, where
// wp[u] = (256−w) | w<<16.
func hpass(out []byte, row []uint16, xi []int32, wp []uint32) {
	n := len(out)
	k := 0
	if useAVX2 && n >= 8 {
		k = n &^ 7
		hpassAVX2(&out[0], &row[0], &xi[0], &wp[0], k)
	}
	hpassGo(out[k:n], row, xi[k:n], wp[k:n])
}

func hpassGo(out []byte, row []uint16, xi []int32, wp []uint32) {
	wp = wp[:len(xi)]
	out = out[:len(xi)]
	for u, i := range xi {
		w := wp[u]
		p0 := uint32(row[i])
		p1 := uint32(row[i+1])
		out[u] = byte((p0*(w&0xffff) + p1*(w>>16) + 1<<14) >> 15)
	}
}

// split turns a source coordinate into an integer index in [0, max] and the weight, out
// of one, of the next index, clamping at the edges.
func split(f float64, max int, one float64) (int, uint32) {
	if f <= 0 {
		return 0, 0
	}
	i := int(f)
	if i >= max {
		return max, 0
	}
	return i, uint32((f-float64(i))*one + 0.5)
}

// ResampleYUV draws region r (in luma pixels) of src into dst, all three planes.
// Chroma planes are center-sited at half resolution, so the same view halves.
func (s *Sampler) ResampleYUV(dst, src *YUV, r View) {
	s.resample(dst.Y, src.Y, r)
	c := View{X: r.X / 2, Y: r.Y / 2, W: r.W / 2, H: r.H / 2}
	s.resample(dst.Cb, src.Cb, c)
	s.resample(dst.Cr, src.Cr, c)
}

// Blend sets dst = dst + (src - dst) * a / 256 for every byte; a in 0..256.
func Blend(dst, src []byte, a uint32) {
	if a == 0 {
		return
	}
	if a >= 256 {
		copy(dst, src)
		return
	}
	src = src[:len(dst)]
	k := 0
	if useAVX2 && len(dst) >= 16 {
		k = len(dst) &^ 15
		blendAVX2(&dst[0], &src[0], k, uint64(a))
	}
	blendGo(dst[k:], src[k:], a)
}

func blendGo(dst, src []byte, a uint32) {
	src = src[:len(dst)]
	na := 256 - a
	for i, d := range dst {
		dst[i] = byte((uint32(d)*na + uint32(src[i])*a + 128) >> 8)
	}
}

// BlendValue sets dst = dst + (v - dst) * a / 256; a in 0..256.
func BlendValue(dst []byte, v byte, a uint32) {
	if a == 0 {
		return
	}
	na := 256 - min(a, 256)
	add := uint32(v)*min(a, 256) + 128
	for i, d := range dst {
		dst[i] = byte((uint32(d)*na + add) >> 8)
	}
}
