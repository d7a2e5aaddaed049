package video

import (
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/o2sound/o2sound/internal/songplan"
	"github.com/o2sound/o2sound/internal/video/artwork"
	"github.com/o2sound/o2sound/internal/video/videotest"
)

// testPlan builds a plan of n bars at tempo with sections of two bars and one lyric line
// per bar from the second bar, the way the music package lays plans out.
func testPlan(tempo, beatsPerBar, n int, lines ...string) *songplan.Plan {
	p := &songplan.Plan{Seed: 7, Genre: "pop", Tempo: tempo, BeatsPerBar: beatsPerBar, Key: "C major"}
	beat := 60 / float64(tempo)
	bar := beat * float64(beatsPerBar)
	for i := 0; i < n; i++ {
		b := songplan.Bar{Index: i, Start: float64(i) * bar, Chord: "C"}
		for k := 0; k < beatsPerBar; k++ {
			b.Beats = append(b.Beats, b.Start+float64(k)*beat)
		}
		p.Bars = append(p.Bars, b)
	}
	names := []string{"intro", "verse", "chorus", "outro"}
	for i := 0; i < n; i += 2 {
		name := names[min(i/2, len(names)-1)]
		if i+2 >= n {
			name = "outro"
		}
		bars := min(2, n-i)
		p.Sections = append(p.Sections, songplan.Section{Name: name, StartBar: i, Bars: bars,
			Start: float64(i) * bar, End: float64(i+bars) * bar})
	}
	for i := range p.Bars {
		p.Bars[i].Section = p.Sections[i/2].Name
	}
	for i, l := range lines {
		b := i + 1
		if b >= n {
			break
		}
		p.Lines = append(p.Lines, songplan.Line{Section: p.Bars[b].Section, Text: l,
			Start: float64(b)*bar + beat*0.5, End: float64(b+1)*bar - beat*0.25})
	}
	p.Duration = float64(n) * bar
	return p
}

// withSections replaces a plan's sections with runs of the given numbers of bars.
func withSections(p *songplan.Plan, lengths ...int) *songplan.Plan {
	names := []string{"intro", "verse", "chorus", "bridge", "outro"}
	p.Sections = nil
	bar := p.BarSeconds()
	start := 0
	for i, n := range lengths {
		name := names[min(i, len(names)-1)]
		if i == len(lengths)-1 {
			name = "outro"
		}
		p.Sections = append(p.Sections, songplan.Section{Name: name, StartBar: start, Bars: n,
			Start: float64(start) * bar, End: float64(start+n) * bar})
		for b := start; b < start+n && b < len(p.Bars); b++ {
			p.Bars[b].Section = name
		}
		start += n
	}
	return p
}

// testImages writes JPEGs of the given sizes: each a distinct hue with bands and a disc,
// so shots differ clearly for scene detection and stretching would be visible (discs
// would become ellipses).
func testImages(t testing.TB, sizes ...image.Point) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, sz := range sizes {
		img := image.NewRGBA(image.Rect(0, 0, sz.X, sz.Y))
		hue := float64(i) * 137.5
		base := hsv(hue, 0.65, 0.85)
		dark := hsv(hue+40, 0.8, 0.35)
		r := float64(min(sz.X, sz.Y)) * 0.3
		cx, cy := float64(sz.X)*0.5, float64(sz.Y)*0.5
		for y := 0; y < sz.Y; y++ {
			for x := 0; x < sz.X; x++ {
				c := base
				if (x/(sz.X/12+1))%2 == 0 {
					c = artwork.Mix(base, dark, 0.35)
				}
				if math.Hypot(float64(x)-cx, float64(y)-cy) < r {
					c = color.RGBA{250, 250, 245, 255}
				}
				img.SetRGBA(x, y, c)
			}
		}
		p := filepath.Join(dir, "img"+string(rune('a'+i))+".jpg")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	return paths
}

func hsv(h, s, v float64) color.RGBA {
	h = math.Mod(h, 360)
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return color.RGBA{uint8((r + m) * 255), uint8((g + m) * 255), uint8((b + m) * 255), 255}
}

// savePNG writes img to path when the VIDEO_FRAMES environment variable names a
// directory; it is how frames are looked at by eye during development.
func savePNG(t testing.TB, name string, img image.Image) {
	dir := os.Getenv("VIDEO_FRAMES")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// testLogo writes a w×h transparent PNG logo (videotest.WriteLogo) into a temporary
// directory.
func testLogo(t testing.TB, w, h int, c, ring color.RGBA) string {
	t.Helper()
	p, err := videotest.WriteLogo(t.TempDir(), w, h, c, ring)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
