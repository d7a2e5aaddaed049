package artwork

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/video/videotest"
)

// TestLogoBadgeReadsOnItsOwnColour: a logo the colour of the card (the usual case, the
// card colours come from the logo) is set on a plate it stands out from.
func TestLogoBadgeReadsOnItsOwnColour(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		logo, ring color.RGBA
		wantPlate  color.RGBA
	}{
		{"dark logo", color.RGBA{0x1f, 0x2a, 0x44, 255}, color.RGBA{0x1f, 0x2a, 0x44, 255}, White},
		{"white logo", White, color.RGBA{240, 240, 240, 255}, Ink},
		{"yellow logo", color.RGBA{0xf4, 0xc5, 0x42, 255}, color.RGBA{0xff, 0xe0, 0x80, 255}, Ink},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, err := videotest.WriteLogo(t.TempDir(), 300, 300, tt.logo, tt.ring)
			if err != nil {
				t.Fatal(err)
			}
			logo, err := LoadLogo(path)
			if err != nil {
				t.Fatal(err)
			}
			badge := logoBadge(logo, 120, 60)
			b := badge.Rect
			if b.Dx() > 120 || b.Dy() > 60 || b.Dy() < 55 {
				t.Fatalf("badge %v, want within 120×60 and filling its height", b)
			}
			corner := badge.RGBAAt(0, 0)
			if corner.A > 40 {
				t.Errorf("corner %v: the plate is not rounded", corner)
			}
			plate := badge.RGBAAt(b.Dx()/2, 2)
			if plate != tt.wantPlate {
				t.Errorf("plate %v, want %v", plate, tt.wantPlate)
			}
			mid := badge.RGBAAt(b.Dx()/2, b.Dy()/2)
			if c := contrast(mid, plate); c < 3 {
				t.Errorf("logo %v on plate %v: contrast %.2f", mid, plate, c)
			}
		})
	}
}

func TestLoadLogoErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tiny, err := videotest.WriteLogo(t.TempDir(), 8, 8, videotest.Magenta, videotest.Magenta)
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.png")
	writePNGFile(t, empty, image.NewRGBA(image.Rect(0, 0, 100, 100)))
	text := filepath.Join(dir, "text.png")
	if err := os.WriteFile(text, []byte("not a picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]string{"missing": filepath.Join(dir, "none.png"), "tiny": tiny, "transparent": empty, "text": text} {
		if _, err := LoadLogo(p); err == nil || !strings.HasPrefix(err.Error(), "video: logo") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func writePNGFile(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
