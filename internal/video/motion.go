package video

import (
	"math"

	"github.com/o2sound/o2sound/internal/video/raster"
)

// motion is a Ken Burns move over a canvas: the view's centre slides linearly from c0 to
// c1 while its zoom (relative to the canvas's base view) changes geometrically from z0 to
// z1, which reads as a steady speed. If both end views are inside the canvas every view
// in between is too: the view's edges are concave functions of the move's progress.
type motion struct {
	c0x, c0y, c1x, c1y float64
	z0, z1             float64
	bw, bh             float64 // base view size
}

// at returns the view at progress e in [0, 1], zoomed further by mul ≥ 1 about its centre.
func (m motion) at(e, mul float64) raster.View {
	e = clampF(e, 0, 1)
	z := m.z0 * math.Pow(m.z1/m.z0, e) * mul
	cx := m.c0x + (m.c1x-m.c0x)*e
	cy := m.c0y + (m.c1y-m.c0y)*e
	w, h := m.bw/z, m.bh/z
	return raster.View{X: cx - w/2, Y: cy - h/2, W: w, H: h}
}

// planMove turns a shot's style into a concrete move over canvas c lasting seconds.
// Speeds are bounded per second so that long shots drift rather than rush and short ones
// still visibly move.
func planMove(c *canvas, style moveStyle, seconds float64) motion {
	cw, ch := float64(c.pic.W), float64(c.pic.H)
	b := c.base
	m := motion{bw: b.W, bh: b.H, z0: 1, z1: 1}
	bx, by := b.X+b.W/2, b.Y+b.H/2
	m.c0x, m.c1x, m.c0y, m.c1y = bx, bx, by, by

	zoomRoom := zoomHeadroom
	if c.fill || c.image < 0 {
		zoomRoom = 1.06 // blurred-fill pictures and cards: a gentle breath, not a dive
	}
	zoomTo := math.Min(zoomRoom, 1+0.05*seconds)

	spareX, spareY := (cw-b.W)/b.W, (ch-b.H)/b.H
	canPan := !c.fill && c.image >= 0 && math.Max(spareX, spareY) >= 0.06
	if (style == movePanForward || style == movePanBack) && !canPan {
		style = moveZoomIn
		if seconds > 0 && int(seconds*10)%2 == 1 { // vary the fallback without more state
			style = moveZoomOut
		}
	}
	switch style {
	case moveZoomIn:
		m.z1 = zoomTo
	case moveZoomOut:
		m.z0 = zoomTo
	case movePanForward, movePanBack:
		// A slight zoom gives the pan room across the short axis too.
		const z = 1.03
		m.z0, m.z1 = z, z
		alongX := spareX >= spareY
		dim, full, c := b.W, cw, bx
		if !alongX {
			dim, full, c = b.H, ch, by
		}
		half := dim / z / 2
		travel := math.Min(full-2*half, dim*0.07*seconds)
		from, to := c-travel/2, c+travel/2
		// Slide the path into the canvas if the interest is near an edge.
		if from < half {
			from, to = half, half+travel
		}
		if to > full-half {
			from, to = full-half-travel, full-half
		}
		if style == movePanBack {
			from, to = to, from
		}
		if alongX {
			m.c0x, m.c1x = from, to
		} else {
			m.c0y, m.c1y = from, to
		}
	}
	// Guard the ends against rounding: keep each end view inside the canvas.
	m.c0x, m.c0y = keepInside(m.c0x, m.c0y, b.W/m.z0, b.H/m.z0, cw, ch)
	m.c1x, m.c1y = keepInside(m.c1x, m.c1y, b.W/m.z1, b.H/m.z1, cw, ch)
	return m
}

func keepInside(cx, cy, w, h, cw, ch float64) (float64, float64) {
	return clampF(cx, w/2, math.Max(w/2, cw-w/2)), clampF(cy, h/2, math.Max(h/2, ch-h/2))
}
