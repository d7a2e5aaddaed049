package raster

import (
	"image"
)

// Overlay is a pre-converted transparent picture (text, a card's lettering) placed on a
// frame: straight Y'CbCr with alpha, chroma and its alpha at half size. Converting once
// means compositing a caption costs one blend per byte per frame.
type Overlay struct {
	X, Y       int // top-left in the frame, even
	y_, cb, cr Plane
	a, a2      Plane // alpha for luma and for chroma
}

// NewOverlay converts a premultiplied RGBA picture placed at (x, y) in the frame. The
// position is rounded down to even coordinates so chroma lines up.
func NewOverlay(img *image.RGBA, x, y int) *Overlay {
	b := img.Rect
	w, h := (b.Dx()+1)&^1, (b.Dy()+1)&^1
	o := &Overlay{
		X: x &^ 1, Y: y &^ 1,
		y_: NewPlane(w, h), a: NewPlane(w, h),
		cb: NewPlane(w/2, h/2), cr: NewPlane(w/2, h/2), a2: NewPlane(w/2, h/2),
	}
	// Straight colour per pixel, kept for the chroma pass.
	cbFull := make([]uint16, w*h)
	crFull := make([]uint16, w*h)
	for py := 0; py < b.Dy(); py++ {
		for px := 0; px < b.Dx(); px++ {
			i := img.PixOffset(b.Min.X+px, b.Min.Y+py)
			al := img.Pix[i+3]
			if al == 0 {
				continue
			}
			un := func(v uint8) uint8 { return uint8((uint32(v)*255 + uint32(al)/2) / uint32(al)) }
			c := RGBToYCC(un(img.Pix[i]), un(img.Pix[i+1]), un(img.Pix[i+2]))
			k := py*w + px
			o.y_.Pix[k], o.a.Pix[k] = c.Y, al
			cbFull[k], crFull[k] = uint16(c.Cb), uint16(c.Cr)
		}
	}
	for cy := 0; cy < h/2; cy++ {
		for cx := 0; cx < w/2; cx++ {
			var sa, scb, scr uint32
			for _, k := range [4]int{(2*cy)*w + 2*cx, (2*cy)*w + 2*cx + 1, (2*cy+1)*w + 2*cx, (2*cy+1)*w + 2*cx + 1} {
				al := uint32(o.a.Pix[k])
				sa += al
				scb += al * uint32(cbFull[k])
				scr += al * uint32(crFull[k])
			}
			k := cy*(w/2) + cx
			if sa == 0 {
				o.cb.Pix[k], o.cr.Pix[k] = 128, 128
				continue
			}
			o.a2.Pix[k] = byte((sa + 2) / 4)
			o.cb.Pix[k] = byte((scb + sa/2) / sa)
			o.cr.Pix[k] = byte((scr + sa/2) / sa)
		}
	}
	return o
}

// Draw composites the overlay onto f with an overall opacity in 0..256.
func (o *Overlay) Draw(f *YUV, opacity uint32) {
	if opacity == 0 {
		return
	}
	compositePlane(f.Y, o.y_, o.a, o.X, o.Y, opacity)
	compositePlane(f.Cb, o.cb, o.a2, o.X/2, o.Y/2, opacity)
	compositePlane(f.Cr, o.cr, o.a2, o.X/2, o.Y/2, opacity)
}

func compositePlane(dst, src, alpha Plane, x0, y0 int, opacity uint32) {
	opacity = min(opacity, 256)
	for sy := max(0, -y0); sy < src.H && y0+sy < dst.H; sy++ {
		sx0 := max(0, -x0)
		sx1 := min(src.W, dst.W-x0)
		if sx1 <= sx0 {
			return
		}
		s := src.Pix[sy*src.W+sx0 : sy*src.W+sx1]
		a := alpha.Pix[sy*alpha.W+sx0 : sy*alpha.W+sx1]
		d := dst.Pix[(y0+sy)*dst.W+x0+sx0 : (y0+sy)*dst.W+x0+sx1]
		a = a[:len(s)]
		d = d[:len(s)]
		for i, sv := range s {
			av := uint32(a[i])
			if av == 0 {
				continue
			}
			av = ((av + 1) * opacity) >> 8 // alpha 0..255 × opacity/256, mapped to 0..256
			dv := uint32(d[i])
			d[i] = byte((dv*(256-av) + uint32(sv)*av + 128) >> 8)
		}
	}
}
