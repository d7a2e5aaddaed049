package artwork

import (
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/video/raster"
	"github.com/o2sound/o2sound/internal/video/videotest"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/math/fixed"
)

func mustFont(t testing.TB) *Typeface {
	t.Helper()
	tf, err := LoadFont("")
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

func TestLoadFont(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	latin := filepath.Join(dir, "go.ttf")
	if err := os.WriteFile(latin, goregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "junk.ttf")
	os.WriteFile(garbage, []byte("not a font"), 0o644)
	tests := []struct {
		name, path, want string
	}{
		{"installed default", "", ""},
		{"explicit Nanum", FontDir + "/NanumGothic.ttf", ""},
		{"missing file", filepath.Join(dir, "none.ttf"), "no such file"},
		{"not a font", garbage, "font"},
		{"no Hangul", latin, "lacks Hangul"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tf, err := LoadFont(tt.path)
			if tt.want == "" {
				if err != nil || !tf.has('한') {
					t.Fatalf("loadFont(%q) = %v", tt.path, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "video: ") {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNoFontInstalled(t *testing.T) {
	t.Parallel()
	_, err := loadFontFrom("", []string{filepath.Join(t.TempDir(), "NanumGone.ttf")})
	if !errors.Is(err, ErrNoFont) || !strings.Contains(err.Error(), "fonts-nanum") {
		t.Errorf("err = %v, want ErrNoFont saying how to fix it", err)
	}
}

func p2(name string) business.Profile { return business.Profile{Name: name} }

func TestClean(t *testing.T) {
	t.Parallel()
	tf := mustFont(t)
	tests := map[string]string{
		"매일 아침 구운 빵 🍞 Fresh":          "매일 아침 구운 빵 Fresh",
		"  spaced \t out\n text ":     "spaced out text",
		"👨‍👩‍👧 family ❤️ love ✨":      "family love",
		"flag 🇰🇷 and keycap 1️⃣ done": "flag and keycap 1 done",
		"control\x07char":             "controlchar",
		"카페 ☕ 라떼":                     "카페 라떼",
		"#해시태그 @mention 100% & more":  "#해시태그 @mention 100% & more",
		"":                            "",
	}
	for in, want := range tests {
		if got := tf.Clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	tf := mustFont(f)
	f.Add("매일 아침 🍞 bread")
	f.Add("👨‍👩‍👧\u200d\ufe0f")
	f.Fuzz(func(t *testing.T, s string) {
		out := tf.Clean(s)
		for _, r := range out {
			if isEmoji(r) || (r != ' ' && !tf.has(r)) {
				t.Fatalf("clean(%q) kept %U", s, r)
			}
		}
		if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
			t.Fatalf("clean(%q) = %q has stray spaces", s, out)
		}
	})
}

func TestWrapAndFit(t *testing.T) {
	t.Parallel()
	tf := mustFont(t)
	face := tf.face(40)
	tests := []struct {
		name     string
		text     string
		maxW     int
		maxLines int
	}{
		{"short", "달빛 베이커리", 800, 2},
		{"words", "Fresh bread every morning on the corner street near the station", 500, 3},
		{"hangul without spaces", strings.Repeat("가나다라마바사", 8), 400, 3},
		{"long url", "https://www.moonlight-bakery.example/menu/today/breads", 300, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines := wrap(face, tt.text, tt.maxW)
			if strings.Join(lines, "") != strings.ReplaceAll(tt.text, " ", "") && strings.Join(lines, " ") != tt.text {
				t.Errorf("wrap lost text: %q", lines)
			}
			for _, l := range lines {
				if w := font.MeasureString(face, l); w > fixed.I(tt.maxW) {
					t.Errorf("line %q is %d px, max %d", l, w.Ceil(), tt.maxW)
				}
			}
			fitted, size := fitText(tf, tt.text, 40, 20, tt.maxW, tt.maxLines)
			if len(fitted) > tt.maxLines || size < 20 || size > 40 {
				t.Errorf("fitText: %d lines at %v", len(fitted), size)
			}
			for _, l := range fitted {
				if w := font.MeasureString(tf.face(size), l); w > fixed.I(tt.maxW) {
					t.Errorf("fitted line %q is %d px, max %d", l, w.Ceil(), tt.maxW)
				}
			}
		})
	}
	// Text that cannot fit even at the smallest size ends in an ellipsis.
	lines, _ := fitText(tf, strings.Repeat("아주 긴 문장 ", 40), 40, 30, 300, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("overflow lines %q, want two ending in …", lines)
	}
}

// inkIn counts pixels of r in img that differ from the background colour.
func inkIn(img *image.RGBA, r image.Rectangle, bg color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if absDiff(c.R, bg.R)+absDiff(c.G, bg.G)+absDiff(c.B, bg.B) > 60 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestHangulRenders draws Hangul and checks that it leaves ink: a font without Hangul
// would draw nothing (clean would drop the runes) or empty boxes.
func TestHangulRenders(t *testing.T) {
	t.Parallel()
	tf := mustFont(t)
	for _, s := range []string{"가", "달빛 베이커리", "Bakery", "역삼동 123-45"} {
		img := renderText(tf, []string{tf.Clean(s)}, TextStyle{Size: 48, Fill: White, Spacing: 1.2})
		if n := inkIn(img, img.Rect, color.RGBA{}); n < 50*len([]rune(s))/2 {
			t.Errorf("%q left only %d pixels of ink", s, n)
		}
	}
	// A lone Hangul syllable must not look like a box: a box's outline is ink on all four
	// edges of its bounds with an empty inside; '가' has strokes that do not close.
	img := renderText(tf, []string{"가"}, TextStyle{Size: 64, Fill: White})
	b := AlphaBounds(img)
	inner := image.Rect(b.Min.X+b.Dx()/4, b.Min.Y+b.Dy()/4, b.Max.X-b.Dx()/4, b.Max.Y-b.Dy()/4)
	if inkIn(img, inner, color.RGBA{}) == 0 {
		t.Error("'가' has an empty middle, like a missing-glyph box")
	}
}

func TestCardRendersTextInBrandColours(t *testing.T) {
	t.Parallel()
	tf := mustFont(t)
	p := videotest.Bakery()
	for _, a := range halfFrames {
		w, h := a.w, a.h
		l := NewLayout(w, h)
		pal := NewPalette(p.Colors)
		for _, kind := range []CardKind{CardOpening, CardClosing, CardAbout, CardTopics} {
			bg := CardBackground(pal, w, h, nil, int(kind))
			layer := CardText(tf, kind, p, pal, l, nil)
			card := image.NewRGBA(bg.Rect)
			copy(card.Pix, bg.Pix)
			drawOver(card, layer)
			text := AlphaBounds(layer)
			if text.Empty() {
				t.Fatalf("%s card %d has no text", a.name, kind)
			}
			if text.Min.X < 0 || text.Max.X > w || text.Min.Y < l.cardTop-10 || text.Max.Y > l.captionBot {
				t.Errorf("%s card %d text %v outside the card area (caption line at %d)", a.name, kind, text, l.captionBot)
			}
			// Text pixels stand out from the background around them.
			if n := inkIn(card, text, pal.bg); n < text.Dx()*text.Dy()/40 {
				t.Errorf("%s card %d: only %d text pixels in %v", a.name, kind, n, text)
			}
		}
	}
}

func drawOver(dst, src *image.RGBA) {
	for i := 0; i+3 < len(dst.Pix); i += 4 {
		a := uint32(src.Pix[i+3])
		for c := 0; c < 3; c++ {
			dst.Pix[i+c] = uint8(uint32(src.Pix[i+c]) + uint32(dst.Pix[i+c])*(255-a)/255)
		}
	}
}

func TestCardBlocks(t *testing.T) {
	t.Parallel()
	p := videotest.Bakery()
	closing := cardBlocks(CardClosing, p)
	var texts []string
	for _, b := range closing {
		texts = append(texts, b.text)
	}
	got := strings.Join(texts, "|")
	want := "달빛 베이커리 Moonlight Bakery|서울특별시 강남구 역삼동 123-45|02-555-0123|moonlight-bakery.example|#달빛베이커리 #역삼동빵집 #sourdough"
	if got != want {
		t.Errorf("closing card\n got %s\nwant %s", got, want)
	}
	// A bare profile still gets a card with the name.
	bare := cardBlocks(CardClosing, p2("Solo"))
	if len(bare) != 1 || bare[0].text != "Solo" {
		t.Errorf("bare closing card %+v", bare)
	}
	if HasContent(CardAbout, p2("x")) || HasContent(CardTopics, p2("x")) {
		t.Error("empty profile has fallback content")
	}
}

func TestDisplayURLAndHashtags(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://www.cafe.example/":             "cafe.example",
		"http://shop.example/menu/":             "shop.example/menu",
		"https://빵집.example/%EB%A9%94%EB%89%B4": "빵집.example/메뉴",
		"cafe.example":                          "cafe.example",
		"":                                      "",
	} {
		if got := displayURL(in); got != want {
			t.Errorf("displayURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := hashtags([]string{"#카페", " 라떼 아트 ", "", "##x"}); got != "#카페 #라떼아트 #x" {
		t.Errorf("hashtags = %q", got)
	}
}

func BenchmarkOverlay(b *testing.B) {
	tf := mustFont(b)
	img := renderText(tf, []string{"달빛 아래 빵 굽는 냄새", "Fresh bread every morning"}, TextStyle{Size: 67, Fill: White, Outline: 4, Edge: Ink, Shadow: 4, Spacing: 1.2})
	ov := raster.NewOverlay(img, 100, 800)
	f := raster.NewYUV(1920, 1080)
	for b.Loop() {
		ov.Draw(f, 200)
	}
}

// TestCardWithLogoKeepsClearOfCaptions: with the logo added, a full title or end card
// (long name, two-line address, many hashtags) stays inside the card area and above
// where a one-line caption's plate sits, in every aspect.
func TestCardWithLogoKeepsClearOfCaptions(t *testing.T) {
	t.Parallel()
	tf := mustFont(t)
	path, err := videotest.WriteLogo(t.TempDir(), 400, 200, videotest.Magenta, Ink)
	if err != nil {
		t.Fatal(err)
	}
	logo, err := LoadLogo(path)
	if err != nil {
		t.Fatal(err)
	}
	p := videotest.Bakery()
	p.Address = "서울특별시 강남구 역삼동 123-45 달빛빌딩 1층 101호 (역삼역 3번 출구에서 걸어서 5분)"
	p.Hashtags = []string{"달빛베이커리", "역삼동빵집", "sourdough", "천연발효", "크루아상", "강남빵집", "아침빵"}
	for _, a := range halfFrames {
		for _, kind := range []CardKind{CardOpening, CardClosing} {
			w, h := a.w, a.h
			l := NewLayout(w, h)
			pal := NewPalette(p.Colors)
			layer := CardText(tf, kind, p, pal, l, logo)
			bg := CardBackground(pal, w, h, nil, int(kind))
			drawOver(bg, layer)
			all := AlphaBounds(layer)
			captionTop := l.captionBot - int(l.m*0.12)
			if all.Min.Y < l.cardTop-10 || all.Max.Y > captionTop || all.Min.X < 0 || all.Max.X > w {
				t.Errorf("%s card %d: lettering and logo %v outside the card area (top %d, captions from %d)", a.name, kind, all, l.cardTop, captionTop)
			}
			// The logo is the topmost thing on the card.
			top := -1
			for y := all.Min.Y; y < all.Max.Y && top < 0; y++ {
				for x := 0; x < w; x++ {
					if c := layer.RGBAAt(x, y); videotest.IsMagenta(c.R, c.G, c.B) && c.A == 255 {
						top = y
						break
					}
				}
			}
			if top < 0 || top > all.Min.Y+int(l.m*0.1) {
				t.Errorf("%s card %d: logo starts at row %d, the card's content at %d", a.name, kind, top, all.Min.Y)
			}
		}
	}
}

// halfFrames are the three frame shapes at half size, as the slideshow sizes them.
var halfFrames = []struct {
	name string
	w, h int
}{{"16:9", 960, 540}, {"9:16", 540, 960}, {"1:1", 540, 540}}
