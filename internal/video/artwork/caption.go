package artwork

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Caption is one sung line as drawn, before it is placed on frames: the plate with its
// lettering, where it goes, and the glyph coverage, which tests use to measure the text
// against what surrounds it.
type Caption struct {
	Image    *image.RGBA  // plate and lettering, premultiplied
	At       image.Point  // Image's top-left in the frame
	Glyphs   *image.Alpha // the lettering's coverage
	GlyphsAt image.Point  // Glyphs' origin inside Image
	Size     float64      // the type size in pixels
	Border   int          // the outline's width in pixels
}

// NewCaption lays out one lyric line for a frame of layout l: white lettering with a thin
// ink outline on a rounded plate of the brand's deep colour, a strip of the caption
// accent along its foot, at most two lines, centred above the caption baseline. The
// plate, not the outline, is what keeps the text readable on a white or busy photo.
func NewCaption(tf *Typeface, pal Palette, l Layout, text string) *Caption {
	text = tf.Clean(text)
	if text == "" {
		return nil
	}
	lines, size := fitText(tf, text, l.m*0.062, l.m*0.042, l.textW, 2)
	st := TextStyle{Size: size, Fill: White, Spacing: 1.2, Outline: max(1, int(size/14)), Edge: Ink}
	mask := textMask(tf, lines, st)
	gb := alphaBoundsMask(mask)
	if gb.Empty() {
		return nil
	}
	padX, padY := int(size*0.5+0.5), int(size*0.4+0.5)
	strip := max(2, int(size*0.08+0.5))
	plateRect := image.Rect(0, 0, gb.Dx()+2*padX, gb.Dy()+2*padY+strip)
	img := image.NewRGBA(plateRect)
	radius := size * 0.3
	pc := pal.plate
	roundedRect(img, plateRect, radius, color.RGBA{pc.R, pc.G, pc.B, uint8(math.Round(plateAlpha * 255))})
	// The accent strip runs along the plate's foot between the rounded corners.
	ac := pal.captionAccent
	draw.Draw(img, image.Rect(int(radius), plateRect.Max.Y-strip, plateRect.Max.X-int(radius), plateRect.Max.Y),
		image.NewUniform(ac), image.Point{}, draw.Over)
	letters := PaintText(mask, st)
	off := image.Pt(padX-gb.Min.X, padY-gb.Min.Y) // mask origin inside the plate
	draw.Draw(img, letters.Rect.Add(off), letters, image.Point{}, draw.Over)

	x, y := (l.w-plateRect.Dx())/2, l.captionBot-plateRect.Dy()
	return &Caption{Image: img, At: image.Pt(x, y), Glyphs: mask, GlyphsAt: off, Size: size, Border: st.Outline}
}
