package video

import (
	"image"

	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/raster"
)

// captionArt is one sung line as placed on frames: the overlay, and the glyph coverage
// with its place in the frame, which tests use to measure the text against what
// surrounds it.
type captionArt struct {
	ov     *raster.Overlay
	glyphs *image.Alpha
	at     image.Point // the frame position of glyphs' origin
	size   float64     // the type size in pixels
	border int         // the outline's width in pixels
}

// captionArt draws one lyric line (artwork.NewCaption) and converts it for the frames;
// the overlay's position is rounded to even pixels, and the glyphs move with it.
func (r *renderer) captionArt(text string) *captionArt {
	c := artwork.NewCaption(r.tf, r.pal, r.lay, text)
	if c == nil {
		return nil
	}
	ov := raster.NewOverlay(c.Image, c.At.X, c.At.Y)
	return &captionArt{ov: ov, glyphs: c.Glyphs, at: image.Pt(ov.X, ov.Y).Add(c.GlyphsAt), size: c.Size, border: c.Border}
}

// captionOverlay is captionArt's overlay alone, which is all the frames need.
func (r *renderer) captionOverlay(text string) *raster.Overlay {
	if a := r.captionArt(text); a != nil {
		return a.ov
	}
	return nil
}
