package video

import (
	"image/color"
	"math"
	"strconv"
	"strings"
)

// palette is the colours of the cards, taken from the brand colours when they are readable.
type palette struct {
	bg     color.RGBA // card background
	bgDeep color.RGBA // the darker end of the background gradient
	text   color.RGBA // main lettering, readable on bg
	accent color.RGBA // rules and hashtags, readable on bg
}

// Fallbacks when a business has no usable brand colours: a deep navy with warm gold.
var (
	defaultBg     = color.RGBA{0x1f, 0x2a, 0x44, 0xff}
	defaultAccent = color.RGBA{0xf2, 0xb1, 0x34, 0xff}
	white         = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink           = color.RGBA{0x14, 0x14, 0x18, 0xff}
)

// minTextContrast is WCAG's AA ratio for normal text; accents only need 3 (large text).
const (
	minTextContrast   = 4.5
	minAccentContrast = 3.0
)

// parseHexColor reads "#rrggbb" or "#rgb" (the # optional).
func parseHexColor(s string) (color.RGBA, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return color.RGBA{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, true
}

// luminance is WCAG relative luminance.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		f := float64(v) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// contrast is the WCAG contrast ratio of two colours, 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// scaleColor multiplies a colour's channels by f (darkens for f < 1).
func scaleColor(c color.RGBA, f float64) color.RGBA {
	s := func(v uint8) uint8 { return uint8(math.Min(255, float64(v)*f+0.5)) }
	return color.RGBA{s(c.R), s(c.G), s(c.B), 0xff}
}

// newPalette builds card colours from brand colours ("#rrggbb", most important first).
// The first parseable colour is the background; the text is white or ink, whichever
// reads better; the accent is the next brand colour that stands out against the
// background, or else the text colour.
func newPalette(brand []string) palette {
	var cs []color.RGBA
	for _, s := range brand {
		if c, ok := parseHexColor(s); ok {
			cs = append(cs, c)
		}
	}
	p := palette{bg: defaultBg}
	if len(cs) > 0 {
		p.bg = cs[0]
	}
	// The text is chosen against bg; the gradient's other end moves away from the text
	// colour (darker under white, lighter under ink), so contrast only grows along it.
	switch {
	case contrast(white, p.bg) >= minTextContrast:
		p.text, p.bgDeep = white, scaleColor(p.bg, 0.55)
	case contrast(ink, p.bg) >= minTextContrast:
		// Dark text on a light brand colour: the gradient runs lighter, not darker.
		p.text, p.bgDeep = ink, mix(p.bg, white, 0.3)
	default:
		// A mid-tone neither colour reads on: keep the hue, darken until white does.
		for contrast(white, p.bg) < minTextContrast {
			p.bg = scaleColor(p.bg, 0.9)
		}
		p.text, p.bgDeep = white, scaleColor(p.bg, 0.55)
	}
	p.accent = p.text
	candidates := append(cs[min(1, len(cs)):], defaultAccent)
	if len(cs) == 0 {
		candidates = []color.RGBA{defaultAccent}
	}
	for _, c := range candidates {
		if contrast(c, p.bg) >= minAccentContrast && contrast(c, p.bgDeep) >= minAccentContrast {
			p.accent = c
			break
		}
	}
	return p
}
