package artwork

import (
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Palette is the colours of the cards, taken from the brand colours when they are readable.
type Palette struct {
	bg     color.RGBA // card background
	BgDeep color.RGBA // the darker end of the background gradient
	text   color.RGBA // main lettering, readable on bg
	accent color.RGBA // rules and hashtags, readable on bg

	// Captions sit on a translucent plate in the brand's deepest colour, dark enough
	// that white text on it reads over a white photo; the caption accent is the brand
	// colour that stands out on that plate.
	plate         color.RGBA
	captionAccent color.RGBA
}

// plateAlpha is the caption plate's opacity: enough to carry white text over any photo
// while the picture still shows through.
const plateAlpha = 0.75

// minPlateContrast is what white caption text must reach on the plate laid over pure
// white, the worst photo there is. It is above WCAG's 4.5 so that anti-aliasing,
// 4:2:0 chroma and x264 cannot take the text under it.
const minPlateContrast = 7.0

// over is c at opacity a laid over the opaque colour under.
func over(c color.RGBA, a float64, under color.RGBA) color.RGBA {
	return Mix(under, c, a)
}

// Fallbacks when a business has no usable brand colours: a deep navy with warm gold.
var (
	defaultBg     = color.RGBA{0x1f, 0x2a, 0x44, 0xff}
	defaultAccent = color.RGBA{0xf2, 0xb1, 0x34, 0xff}
	White         = color.RGBA{0xff, 0xff, 0xff, 0xff}
	Ink           = color.RGBA{0x14, 0x14, 0x18, 0xff}
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

// Luminance is WCAG relative Luminance.
func Luminance(c color.RGBA) float64 {
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
	la, lb := Luminance(a), Luminance(b)
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

// NewPalette builds card colours from brand colours ("#rrggbb", most important first).
// The first parseable colour is the background; the text is white or ink, whichever
// reads better; the accent is the next brand colour that stands out against the
// background, or else the text colour.
func NewPalette(brand []string) Palette {
	var cs []color.RGBA
	for _, s := range brand {
		if c, ok := parseHexColor(s); ok {
			cs = append(cs, c)
		}
	}
	p := Palette{bg: defaultBg}
	if len(cs) > 0 {
		p.bg = cs[0]
	}
	// The text is chosen against bg; the gradient's other end moves away from the text
	// colour (darker under white, lighter under ink), so contrast only grows along it.
	switch {
	case contrast(White, p.bg) >= minTextContrast:
		p.text, p.BgDeep = White, scaleColor(p.bg, 0.55)
	case contrast(Ink, p.bg) >= minTextContrast:
		// Dark text on a light brand colour: the gradient runs lighter, not darker.
		p.text, p.BgDeep = Ink, Mix(p.bg, White, 0.3)
	default:
		// A mid-tone neither colour reads on: keep the hue, darken until white does.
		for contrast(White, p.bg) < minTextContrast {
			p.bg = scaleColor(p.bg, 0.9)
		}
		p.text, p.BgDeep = White, scaleColor(p.bg, 0.55)
	}
	p.accent = p.text
	candidates := append(cs[min(1, len(cs)):], defaultAccent)
	if len(cs) == 0 {
		candidates = []color.RGBA{defaultAccent}
	}
	for _, c := range candidates {
		if contrast(c, p.bg) >= minAccentContrast && contrast(c, p.BgDeep) >= minAccentContrast {
			p.accent = c
			break
		}
	}
	p.plate, p.captionAccent = captionColors(cs, p)
	return p
}

// captionColors picks the caption plate (the card background's deep end, darkened
// until white text on the plate reads over a white photo) and the caption accent: the
// first brand colour that stands out on the plate over both white and black photos,
// else the first brand colour lightened until it does; the default gold without any.
func captionColors(brand []color.RGBA, p Palette) (plate, accent color.RGBA) {
	plate = p.BgDeep
	if Luminance(p.bg) < Luminance(plate) {
		plate = p.bg // light brands run their gradient lighter; take the darker end
	}
	for i := 0; i < 40 && contrast(White, over(plate, plateAlpha, White)) < minPlateContrast; i++ {
		plate = scaleColor(plate, 0.85)
	}
	readable := func(c color.RGBA) bool {
		return contrast(c, over(plate, plateAlpha, White)) >= minAccentContrast &&
			contrast(c, over(plate, plateAlpha, color.RGBA{0, 0, 0, 0xff})) >= minAccentContrast
	}
	for _, c := range brand {
		if readable(c) {
			return plate, c
		}
	}
	if len(brand) > 0 {
		// No brand colour is light enough: keep the first one's hue, lightened.
		accent = brand[0]
		for i := 0; i < 20 && !readable(accent); i++ {
			accent = Mix(accent, White, 0.2)
		}
		return plate, accent
	}
	if readable(p.accent) {
		return plate, p.accent
	}
	return plate, defaultAccent
}
