package video

import (
	"context"
	"math"
	"sync"

	"github.com/o2sound/o2sound/internal/video/raster"
)

// picturePrep decodes and prepares the pictures in the order the timeline first shows
// them, one at a time ahead of the frames, so encoding starts at once and memory holds
// only prepared canvases, never more than one decoded original.
type picturePrep struct {
	paths    []string
	w, h     int
	slots    []pictureSlot
	fallback *canvas // shown if a picture fails to decode after passing the header check
}

type pictureSlot struct {
	once sync.Once
	done chan struct{}
	c    *canvas
}

func newPicturePrep(paths []string, w, h int, first, brand *canvas) *picturePrep {
	p := &picturePrep{paths: paths, w: w, h: h, slots: make([]pictureSlot, len(paths)), fallback: brand}
	for i := range p.slots {
		p.slots[i].done = make(chan struct{})
	}
	if first != nil {
		p.finish(first.image, first)
		p.fallback = first
	}
	return p
}

func (p *picturePrep) finish(i int, c *canvas) {
	p.slots[i].once.Do(func() {
		p.slots[i].c = c
		close(p.slots[i].done)
	})
}

// run prepares every picture the timeline uses, in order of first appearance.
func (p *picturePrep) run(ctx context.Context, tl timeline) {
	for _, s := range tl.shots {
		if ctx.Err() != nil {
			return
		}
		if s.content.kind != contentImage {
			continue
		}
		i := s.content.index
		select {
		case <-p.slots[i].done:
			continue
		default:
		}
		var c *canvas
		if img, err := loadImage(p.paths[i]); err == nil {
			c = newImageCanvas(img, p.w, p.h)
			c.image = i
		}
		p.finish(i, c)
	}
}

// get waits for picture i.
func (p *picturePrep) get(ctx context.Context, i int) (*canvas, error) {
	select {
	case <-p.slots[i].done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c := p.slots[i].c; c != nil {
		return c, nil
	}
	return p.fallback, nil
}

// canvasFor returns the canvas and lettering of shot i.
func (r *renderer) canvasFor(ctx context.Context, i int) (*canvas, *raster.Overlay, error) {
	c := r.tl.shots[i].content
	if c.kind == contentCard {
		a := r.cards[min(c.index, len(r.cards)-1)]
		return a.bg, a.text, nil
	}
	cv, err := r.pics.get(ctx, c.index)
	return cv, nil, err
}

// painter draws frames of a renderer. Each rendering goroutine has its own, since the
// sampler and the scratch frame are per-frame working memory.
type painter struct {
	*renderer
	smp     raster.Sampler
	scratch *raster.YUV
}

func (r *renderer) newPainter() *painter {
	return &painter{renderer: r, scratch: raster.NewYUV(r.w, r.h)}
}

// moveSlot is a shot's move, planned once its canvas is ready by whichever painter
// first draws it.
type moveSlot struct {
	once sync.Once
	m    motion
}

// drawShot draws shot i as it is at frame f, zoomed further by mul.
func (r *painter) drawShot(ctx context.Context, dst *raster.YUV, i, f int, mul float64) error {
	cv, text, err := r.canvasFor(ctx, i)
	if err != nil {
		return err
	}
	s := r.tl.shots[i]
	span := r.tl.moveSpan(i)
	slot := &r.moves[i]
	slot.once.Do(func() { slot.m = planMove(cv, s.style, float64(span)/fps) })
	e := float64(f-s.start) / float64(max(1, span-1))
	r.smp.ResampleYUV(dst, cv.pic, slot.m.at(e, mul))
	if text != nil {
		text.Draw(dst, 256)
	}
	return nil
}

// drawFrame draws frame f: the shot on screen, its incoming transition, the caption.
func (r *painter) drawFrame(ctx context.Context, dst *raster.YUV, f int) error {
	i := r.tl.shotAt(f)
	s := r.tl.shots[i]
	into := f - s.start
	var err error
	if i > 0 && into < s.in.frames {
		p := float64(into+1) / float64(s.in.frames+1)
		err = r.drawTransition(ctx, dst, i, f, p)
	} else {
		err = r.drawShot(ctx, dst, i, f, 1)
	}
	if err != nil {
		return err
	}
	r.drawCaption(dst, f)
	return nil
}

func smoothstep(p float64) float64 { return p * p * (3 - 2*p) }

// alpha256 converts a mix fraction to the 0..256 weights the blenders take.
func alpha256(a float64) uint32 { return uint32(math.Round(clampF(a, 0, 1) * 256)) }

// drawTransition draws frame f inside shot i's incoming transition at progress p in (0, 1).
// The outgoing shot keeps moving underneath, so no motion stops at a cut.
func (r *painter) drawTransition(ctx context.Context, dst *raster.YUV, i, f int, p float64) error {
	tr := r.tl.shots[i].in
	q := smoothstep(p)
	switch tr.kind {
	case transDip:
		// Out to the colour in the first half, in from it in the second.
		shot, a := i-1, p*2
		if p >= 0.5 {
			shot, a = i, (1-p)*2
		}
		if err := r.drawShot(ctx, dst, shot, f, 1); err != nil {
			return err
		}
		for k, pl := range dst.Planes() {
			raster.BlendValue(pl.Pix, [3]byte{r.dip.Y, r.dip.Cb, r.dip.Cr}[k], alpha256(smoothstep(a)))
		}
		return nil
	case transZoom:
		// The old picture rushes toward the viewer while the new one settles out of a
		// zoom; the dissolve is concentrated in the middle where both move fastest.
		if err := r.drawShot(ctx, dst, i-1, f, 1+0.6*q*q); err != nil {
			return err
		}
		if err := r.drawShot(ctx, r.scratch, i, f, 1+0.35*(1-q)*(1-q)); err != nil {
			return err
		}
		raster.Blend(dst.Buf, r.scratch.Buf, alpha256(smoothstep(clampF((p-0.2)/0.6, 0, 1))))
		return nil
	}
	if err := r.drawShot(ctx, dst, i-1, f, 1); err != nil {
		return err
	}
	if err := r.drawShot(ctx, r.scratch, i, f, 1); err != nil {
		return err
	}
	switch tr.kind {
	case transPush:
		push(dst, r.scratch, q, tr.vertical)
	case transWipe:
		wipe(dst, r.scratch, q, tr.vertical)
	default: // crossfade
		raster.Blend(dst.Buf, r.scratch.Buf, alpha256(p))
	}
	return nil
}

// push moves a (in dst) off towards the left (or top) by fraction q of the frame while b
// follows it in from the right (or bottom). Offsets are even so chroma moves with luma.
func push(dst, b *raster.YUV, q float64, vertical bool) {
	for k, pl := range dst.Planes() {
		src := b.Planes()[k]
		if vertical {
			off := int(math.Round(q*float64(dst.H)/2)) * 2
			if k > 0 {
				off /= 2
			}
			keep := pl.H - off
			copy(pl.Pix, pl.Pix[off*pl.W:]) // old picture up
			copy(pl.Pix[keep*pl.W:], src.Pix[:off*pl.W])
			continue
		}
		off := int(math.Round(q*float64(dst.W)/2)) * 2
		if k > 0 {
			off /= 2
		}
		keep := pl.W - off
		for y := 0; y < pl.H; y++ {
			row := pl.Row(y)
			copy(row, row[off:]) // old picture left
			copy(row[keep:], src.Row(y)[:off])
		}
	}
}

// wipe reveals b over dst behind a soft edge that sweeps left to right (or top to bottom)
// as q goes from 0 to 1.
func wipe(dst, b *raster.YUV, q float64, vertical bool) {
	var alphas []uint32
	for k, pl := range dst.Planes() {
		src := b.Planes()[k]
		n := pl.W
		if vertical {
			n = pl.H
		}
		soft := max(2, n/8)
		edge := q*float64(n+soft) - float64(soft) // leading edge of the soft band
		alphas = alphas[:0]
		for i := 0; i < n; i++ {
			// Fully b before the band, fully dst after it.
			alphas = append(alphas, alpha256(1-(float64(i)-edge)/float64(soft)))
		}
		for y := 0; y < pl.H; y++ {
			if vertical {
				raster.Blend(pl.Row(y), src.Row(y), alphas[y])
				continue
			}
			d, s := pl.Row(y), src.Row(y)
			for x, a := range alphas {
				if a != 0 {
					d[x] = byte((uint32(d[x])*(256-a) + uint32(s[x])*a + 128) >> 8)
				}
			}
		}
	}
}

// captionFade is how many frames a caption takes to fade in and out.
const captionFade = 4

func (r *renderer) drawCaption(dst *raster.YUV, f int) {
	for _, c := range r.tl.captions {
		if f < c.start || f >= c.end {
			continue
		}
		ov := r.captions[c.line]
		if ov == nil {
			return
		}
		a := min(float64(f-c.start+1), float64(c.end-f)) / captionFade
		ov.Draw(dst, alpha256(a))
		return
	}
}
