// Package videotest makes stand-in inputs for the video stage: photo-like JPEGs, a
// synthetic song plan and a business profile. Benchmarks and tests use them where the
// crawler and the composer would otherwise be needed.
package videotest

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/songplan"
)

// Plan is a synthetic song plan of about seconds: tempo 120, 4/4, eight-bar sections and
// a lyric line every two bars.
func Plan(seconds float64) *songplan.Plan {
	const tempo, beats = 120, 4
	bar := 60.0 / tempo * beats
	n := max(1, int(math.Round(seconds/bar)))
	p := &songplan.Plan{Seed: 42, Genre: "pop", Mood: "bright", Tempo: tempo, BeatsPerBar: beats, Key: "D major",
		Progression: []string{"D", "A", "Bm", "G"}, Duration: float64(n) * bar}
	names := []string{"intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus", "outro"}
	for i := 0; i < n; i++ {
		sec := names[min(i/8, len(names)-1)]
		b := songplan.Bar{Index: i, Start: float64(i) * bar, Chord: p.Progression[i%4], Section: sec}
		for k := 0; k < beats; k++ {
			b.Beats = append(b.Beats, b.Start+float64(k)*60/tempo)
		}
		p.Bars = append(p.Bars, b)
		if i%8 == 0 {
			p.Sections = append(p.Sections, songplan.Section{Name: sec, StartBar: i, Bars: min(8, n-i),
				Start: b.Start, End: float64(min(i+8, n)) * bar})
		}
	}
	lyrics := []string{"골목 끝 작은 빵집에 불이 켜지면", "Fresh bread in the morning light",
		"달빛처럼 부드러운 크루아상", "Come and stay a while with us"}
	for i, k := 2, 0; i+2 <= n-2; i, k = i+2, k+1 {
		p.Lines = append(p.Lines, songplan.Line{Section: p.Bars[i].Section, Text: lyrics[k%len(lyrics)],
			Start: float64(i) * bar, End: float64(i+2)*bar - 0.25})
	}
	return p
}

// Profile is the business the benchmark's cards advertise.
func Profile() business.Profile {
	return business.Profile{
		Name: "달빛 베이커리", Tagline: "매일 아침 천연발효 빵", Address: "서울특별시 강남구 역삼동 123-45",
		Phone: "02-555-0123", URL: "https://moonlight-bakery.example", Hashtags: []string{"역삼동빵집", "sourdough"},
		Colors: []string{"#7a3b1d", "#f4c542"}, Language: "ko",
	}
}

// WriteImages writes n photo-like JPEGs (smooth colour fields with fine texture, in the
// sizes and shapes websites use) so x264 sees content like real photos, not flat colour.
func WriteImages(dir string, n int) ([]string, error) {
	sizes := []image.Point{{1600, 1067}, {1200, 1600}, {1600, 900}, {1400, 1400}, {2000, 1000}, {1280, 960}}
	var paths []string
	for i := 0; i < n; i++ {
		sz := sizes[i%len(sizes)]
		img := photo(sz.X, sz.Y, uint64(i+1))
		p := filepath.Join(dir, fmt.Sprintf("photo%02d.jpg", i))
		f, err := os.Create(p)
		if err != nil {
			return nil, fmt.Errorf("videotest: %w", err)
		}
		err = jpeg.Encode(f, img, &jpeg.Options{Quality: 88})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("videotest: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// photo paints overlapping soft blobs of colour over a gradient, hard-edged blocks (some
// finely striped) over those, and grain over everything.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 99))
	type blob struct{ x, y, r, cr, cg, cb float64 }
	var blobs []blob
	for range 14 {
		blobs = append(blobs, blob{rng.Float64() * float64(w), rng.Float64() * float64(h),
			(0.08 + rng.Float64()*0.25) * float64(max(w, h)), rng.Float64() * 255, rng.Float64() * 255, rng.Float64() * 255})
	}
	top := [3]float64{rng.Float64() * 255, rng.Float64() * 255, rng.Float64() * 255}
	// Hard-edged shapes stand in for the edges real photos have (furniture, windows,
	// signs); without them x264 finds the frames far easier than real ones.
	type rect struct {
		r       image.Rectangle
		c       [3]float64
		striped bool
	}
	var rects []rect
	for range 10 {
		x, y := rng.IntN(w), rng.IntN(h)
		rw, rh := w/20+rng.IntN(w/5), h/20+rng.IntN(h/5)
		rects = append(rects, rect{image.Rect(x, y, x+rw, y+rh),
			[3]float64{rng.Float64() * 255, rng.Float64() * 255, rng.Float64() * 255}, rng.IntN(2) == 0})
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		t := float64(y) / float64(h)
		for x := 0; x < w; x++ {
			r, g, b := top[0]*(1-t)+40*t, top[1]*(1-t)+30*t, top[2]*(1-t)+20*t
			for _, bl := range blobs {
				dx, dy := float64(x)-bl.x, float64(y)-bl.y
				d2 := (dx*dx + dy*dy) / (bl.r * bl.r)
				if d2 < 1 {
					a := (1 - d2) * (1 - d2) * 0.8
					r, g, b = r+(bl.cr-r)*a, g+(bl.cg-g)*a, b+(bl.cb-b)*a
				}
			}
			for _, rc := range rects {
				if !(image.Point{x, y}).In(rc.r) {
					continue
				}
				if rc.striped && (x/3+y/7)%4 == 0 {
					r, g, b = r*0.4, g*0.4, b*0.4
				} else {
					r, g, b = (r+rc.c[0])/2, (g+rc.c[1])/2, (b+rc.c[2])/2
				}
			}
			grain := (rng.Float64() - 0.5) * 18
			o := img.Pix[y*img.Stride+x*4:]
			o[0], o[1], o[2], o[3] = clamp(r+grain), clamp(g+grain), clamp(b+grain), 255
		}
	}
	return img
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }

// Magenta is the colour test logos are drawn in: no photo or card here uses it, so a
// logo can be found on decoded frames.
var Magenta = color.RGBA{255, 0, 255, 255}

// IsMagenta reports whether a decoded pixel is Magenta, allowing for x264 and 4:2:0.
func IsMagenta(r, g, b uint8) bool { return r > 200 && b > 200 && g < 70 }

// WriteLogo writes dir/logo.png, a w×h logo: a disc of c with a ring of ring around it,
// the rest transparent, the way logos are saved by the crawler.
func WriteLogo(dir string, w, h int, c, ring color.RGBA) (string, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)/2
	r := math.Min(cx, cy) * 0.95
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			switch {
			case d < r*0.75:
				img.SetRGBA(x, y, c)
			case d < r:
				img.SetRGBA(x, y, ring)
			}
		}
	}
	p := filepath.Join(dir, "logo.png")
	f, err := os.Create(p)
	if err != nil {
		return "", fmt.Errorf("videotest: %w", err)
	}
	err = png.Encode(f, img)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("videotest: %w", err)
	}
	return p, nil
}

// Bakery is a Korean bakery with everything a card can show: tagline, description,
// keywords, hashtags, address, phone, URL and two brand colours.
func Bakery() business.Profile {
	return business.Profile{
		Name:        "달빛 베이커리 Moonlight Bakery",
		Tagline:     "매일 아침 구운 빵 🍞 Fresh every morning",
		Description: "동네에서 가장 오래된 빵집. 천연 발효종으로 매일 새벽 빵을 굽습니다.",
		Keywords:    []string{"천연발효", "크루아상", "sourdough"},
		Hashtags:    []string{"달빛베이커리", "역삼동빵집", "sourdough"},
		Category:    "Bakery",
		Address:     "서울특별시 강남구 역삼동 123-45",
		Area:        "강남구 역삼동",
		Phone:       "02-555-0123",
		URL:         "https://www.moonlight-bakery.example/",
		Language:    "ko",
		Colors:      []string{"#7a3b1d", "#f4c542"},
	}
}
