package artwork

import (
	"image/color"
	"testing"
)

func TestPaletteIsReadable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		brand []string
		bg    string // expected background when the brand colour is kept as is
	}{
		{"dark brand", []string{"#7a3b1d", "#f4c542"}, "#7a3b1d"},
		{"light brand", []string{"#fff8e7", "#c0392b"}, "#fff8e7"},
		{"mid-tone red", []string{"#ff0000"}, ""},
		{"mid grey", []string{"#808080", "#818181"}, ""},
		{"short form", []string{"#0a3"}, ""},
		{"garbage then a colour", []string{"blue", "#12", "#223344"}, "#223344"},
		{"none", nil, "#1f2a44"},
		{"white and yellow", []string{"#ffffff", "#ffff00"}, "#ffffff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewPalette(tt.brand)
			for name, bg := range map[string]color.RGBA{"bg": p.bg, "bgDeep": p.BgDeep} {
				if c := contrast(p.text, bg); c < minTextContrast {
					t.Errorf("text %v on %s %v: contrast %.2f < %.1f", p.text, name, bg, c, minTextContrast)
				}
				if c := contrast(p.accent, bg); c < minAccentContrast {
					t.Errorf("accent %v on %s %v: contrast %.2f < %.1f", p.accent, name, bg, c, minAccentContrast)
				}
			}
			// Captions: white on the plate over a white photo, the accent over both extremes.
			for _, photo := range []color.RGBA{White, {0, 0, 0, 0xff}} {
				under := over(p.plate, plateAlpha, photo)
				if c := contrast(White, under); c < minPlateContrast {
					t.Errorf("caption on plate %v over %v: contrast %.2f < %.1f", p.plate, photo, c, minPlateContrast)
				}
				if c := contrast(p.captionAccent, under); c < minAccentContrast {
					t.Errorf("caption accent %v on plate over %v: contrast %.2f", p.captionAccent, photo, c)
				}
			}
			if tt.bg != "" {
				want, _ := parseHexColor(tt.bg)
				if p.bg != want {
					t.Errorf("bg %v, want the brand colour %v", p.bg, want)
				}
			}
		})
	}
}

func TestParseHexColor(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		c  color.RGBA
		ok bool
	}{
		"#7a3b1d": {color.RGBA{0x7a, 0x3b, 0x1d, 0xff}, true},
		"7A3B1D":  {color.RGBA{0x7a, 0x3b, 0x1d, 0xff}, true},
		"#fff":    {color.RGBA{0xff, 0xff, 0xff, 0xff}, true},
		" #000 ":  {color.RGBA{0, 0, 0, 0xff}, true},
		"#12345":  {}, "#gggggg": {}, "": {}, "rgb(1,2,3)": {},
	}
	for in, want := range tests {
		c, ok := parseHexColor(in)
		if ok != want.ok || c != want.c {
			t.Errorf("parseHexColor(%q) = %v, %v; want %v, %v", in, c, ok, want.c, want.ok)
		}
	}
}

func FuzzParseHexColor(f *testing.F) {
	f.Add("#7a3b1d")
	f.Add("#fff")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseHexColor(s)
		if ok && c.A != 0xff {
			t.Fatalf("parsed %q with alpha %d", s, c.A)
		}
		p := NewPalette([]string{s})
		if contrast(p.text, p.bg) < minTextContrast {
			t.Fatalf("palette from %q unreadable", s)
		}
	})
}

// TestCaptionAccentIsTheBrand: the caption accent is a brand colour whenever one can be
// read on the plate, and keeps the brand's hue when none can.
func TestCaptionAccentIsTheBrand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		brand []string
		want  string // "" when only the hue is kept
	}{
		{"second brand colour light enough", []string{"#7a3b1d", "#f4c542"}, "#f4c542"},
		{"first brand colour light enough", []string{"#ffd166", "#073b4c"}, "#ffd166"},
		{"none light enough", []string{"#1f2a44", "#5a1010"}, ""},
		{"no brand", nil, "#f2b134"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewPalette(tt.brand)
			if tt.want != "" {
				want, _ := parseHexColor(tt.want)
				if p.captionAccent != want {
					t.Errorf("caption accent %v, want %v", p.captionAccent, want)
				}
				return
			}
			first, _ := parseHexColor(tt.brand[0])
			// Lightened toward white: each channel moves up in proportion, so the
			// largest channel of the brand colour stays the largest.
			a := p.captionAccent
			if !(a.R >= first.R && a.G >= first.G && a.B >= first.B) || (first.B > first.R && a.B < a.R) {
				t.Errorf("caption accent %v is not %v lightened", a, first)
			}
		})
	}
}
