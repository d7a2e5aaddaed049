package artwork

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"

	xdraw "golang.org/x/image/draw"
)

// The brand in the video: the business's logo on the title and end cards, and the
// sung-line captions on a plate in the brand's colours.

// minLogoSide is the smallest logo worth showing; the crawler saves nothing smaller
// than 64 px on the long side, so this only refuses nonsense.
const minLogoSide = 16

// maxLogoPixels bounds what is decoded, as for photos, so a hostile file cannot take the
// memory budget.
const maxLogoPixels = 40 << 20

// LoadLogo decodes a logo (PNG or JPEG) keeping its transparency, after checking its
// header, so a hostile file cannot take the memory budget.
func LoadLogo(path string) (*image.RGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("video: logo: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("video: logo %s: %w", path, err)
	}
	if cfg.Width*cfg.Height > maxLogoPixels || max(cfg.Width, cfg.Height) < minLogoSide {
		return nil, fmt.Errorf("video: logo %s: %dx%d is not a usable size", path, cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, fmt.Errorf("video: logo: %w", err)
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("video: logo %s: %w", path, err)
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	if AlphaBounds(rgba).Empty() {
		return nil, fmt.Errorf("video: logo %s is fully transparent", path)
	}
	return rgba, nil
}

// logoBadge sets the logo, fitted into maxW×maxH, on a rounded plate. The plate is
// white or ink, whichever more of the logo's own pixels stand out against: cards take
// their colours from the logo, so the logo on the bare card would often vanish into
// it, but on its plate it reads on any background, photo or brand colour.
func logoBadge(logo *image.RGBA, maxW, maxH int) *image.RGBA {
	pad := max(2, int(float64(min(maxW, maxH))*0.1))
	boxW, boxH := max(1, maxW-2*pad), max(1, maxH-2*pad)
	lw0, lh0 := float64(logo.Rect.Dx()), float64(logo.Rect.Dy())
	s := math.Min(float64(boxW)/lw0, float64(boxH)/lh0)
	lw, lh := max(1, int(lw0*s+0.5)), max(1, int(lh0*s+0.5))
	scaled := image.NewRGBA(image.Rect(0, 0, lw, lh))
	// BiLinear has no negative lobes, so premultiplied colour never overshoots alpha.
	xdraw.BiLinear.Scale(scaled, scaled.Rect, logo, logo.Rect, xdraw.Src, nil)

	plate := White
	if standOut(scaled, Ink) > standOut(scaled, White) {
		plate = Ink
	}
	badge := image.NewRGBA(image.Rect(0, 0, lw+2*pad, lh+2*pad))
	roundedRect(badge, badge.Rect, float64(pad)*1.2, plate)
	draw.Draw(badge, scaled.Rect.Add(image.Pt(pad, pad)), scaled, image.Point{}, draw.Over)
	return badge
}

// standOut counts the logo's visible pixels that differ from bg by a 3:1 contrast.
func standOut(img *image.RGBA, bg color.RGBA) int {
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		a := img.Pix[i+3]
		if a < 128 {
			continue
		}
		un := func(v uint8) uint8 { return uint8(min(255, (uint32(v)*255+uint32(a)/2)/uint32(a))) }
		if contrast(color.RGBA{un(img.Pix[i]), un(img.Pix[i+1]), un(img.Pix[i+2]), 0xff}, bg) >= 3 {
			n++
		}
	}
	return n
}

// roundedRect paints an anti-aliased rounded rectangle of colour c (its alpha is the
// opacity) over dst.
func roundedRect(dst *image.RGBA, r image.Rectangle, radius float64, c color.RGBA) {
	x0, y0, x1, y1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	radius = math.Min(radius, math.Min(x1-x0, y1-y0)/2)
	ca := float64(c.A) / 255
	for y := r.Min.Y; y < r.Max.Y; y++ {
		fy := float64(y) + 0.5
		for x := r.Min.X; x < r.Max.X; x++ {
			fx := float64(x) + 0.5
			// Distance outside the rounded shape (negative inside).
			qx := math.Max(math.Max(x0+radius-fx, fx-(x1-radius)), 0)
			qy := math.Max(math.Max(y0+radius-fy, fy-(y1-radius)), 0)
			d := math.Hypot(qx, qy) - radius
			cov := math.Max(0, math.Min(1, 0.5-d)) * ca
			if cov <= 0 {
				continue
			}
			a := uint32(cov*255 + 0.5)
			o := dst.Pix[dst.PixOffset(x, y):]
			// Premultiplied "over".
			o[0] = uint8((uint32(c.R)*a + uint32(o[0])*(255-a) + 127) / 255)
			o[1] = uint8((uint32(c.G)*a + uint32(o[1])*(255-a) + 127) / 255)
			o[2] = uint8((uint32(c.B)*a + uint32(o[2])*(255-a) + 127) / 255)
			o[3] = uint8(a + (uint32(o[3])*(255-a)+127)/255)
		}
	}
}

func alphaBoundsMask(m *image.Alpha) image.Rectangle {
	b := m.Rect
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			if row[x] != 0 {
				minX, maxX = min(minX, b.Min.X+x), max(maxX, b.Min.X+x+1)
				minY, maxY = min(minY, y), max(maxY, y+1)
			}
		}
	}
	if minX >= maxX {
		return image.Rectangle{}
	}
	return image.Rect(minX, minY, maxX, maxY)
}
