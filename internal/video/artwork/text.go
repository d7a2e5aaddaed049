package artwork

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/o2sound/o2sound/internal/video/raster"
)

// FontDir is where Debian's fonts-nanum package installs its fonts; the project's install
// script installs that package.
const FontDir = "/usr/share/fonts/truetype/nanum"

// fontCandidates are tried in order when no font path is given: bold faces with Hangul and
// Latin that stay legible over photos.
var fontCandidates = []string{
	FontDir + "/NanumSquareB.ttf",
	FontDir + "/NanumGothicBold.ttf",
	FontDir + "/NanumBarunGothicBold.ttf",
	FontDir + "/NanumGothic.ttf",
}

// ErrNoFont is returned when no usable font with Hangul is found.
var ErrNoFont = errors.New("video: no Hangul font found: install fonts-nanum (scripts/install-deps.sh) or set FontPath")

// Typeface is a parsed font. sfnt.Font is safe for concurrent use only through separate
// Buffers, so glyph lookups take a lock; faces are made per drawing.
type Typeface struct {
	path string
	f    *opentype.Font
	mu   sync.Mutex
	buf  sfnt.Buffer
}

var fontCache sync.Map // path → *typeface

// LoadFont opens the font at path, or the first installed Nanum font when path is empty.
// The font must cover both Hangul and Latin.
func LoadFont(path string) (*Typeface, error) { return loadFontFrom(path, fontCandidates) }

func loadFontFrom(path string, candidates []string) (*Typeface, error) {
	paths := candidates
	if path != "" {
		paths = []string{path}
	}
	var firstErr error
	for _, p := range paths {
		if tf, ok := fontCache.Load(p); ok {
			return tf.(*Typeface), nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			if path != "" {
				return nil, fmt.Errorf("video: font: %w", err)
			}
			continue
		}
		f, err := opentype.Parse(b)
		if err != nil {
			firstErr = fmt.Errorf("video: font %s: %w", p, err)
			continue
		}
		tf := &Typeface{path: p, f: f}
		if !tf.has('가') || !tf.has('A') {
			firstErr = fmt.Errorf("video: font %s lacks Hangul or Latin glyphs", p)
			continue
		}
		actual, _ := fontCache.LoadOrStore(p, tf)
		return actual.(*Typeface), nil
	}
	if firstErr != nil && path != "" {
		return nil, firstErr
	}
	if firstErr != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoFont, firstErr)
	}
	return nil, ErrNoFont
}

func (t *Typeface) has(r rune) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, err := t.f.GlyphIndex(&t.buf, r)
	return err == nil && i != 0
}

func (t *Typeface) face(size float64) font.Face {
	f, err := opentype.NewFace(t.f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil { // only fails for a non-positive size, which callers never pass
		panic(fmt.Sprintf("video: face size %v: %v", size, err))
	}
	return f
}

// isEmoji reports runes that are pictographs, their modifiers or joiners. A text font has
// no glyphs for them and would draw empty boxes.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, // mahjong … symbols and pictographs extended-A
		r >= 0x2600 && r <= 0x27BF,   // misc symbols, dingbats
		r >= 0x2B00 && r <= 0x2BFF,   // arrows and stars used as emoji
		r >= 0xFE00 && r <= 0xFE0F,   // variation selectors
		r >= 0xE0020 && r <= 0xE007F, // tag characters (flag sequences)
		r == 0x200D, r == 0x20E3, r == 0x3030, r == 0x303D:
		return true
	}
	return false
}

// Clean strips emoji, control characters and anything the font cannot draw, and
// collapses runs of white space, so no empty boxes ever reach the screen.
func (t *Typeface) Clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case isEmoji(r), unicode.IsControl(r), !t.has(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrap breaks text into lines no wider than maxW, at spaces where possible and between
// characters where a single word is too long (long URLs, Hangul runs without spaces).
func wrap(face font.Face, text string, maxW int) []string {
	limit := fixed.I(maxW)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if font.MeasureString(face, try) <= limit {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		for font.MeasureString(face, word) > limit {
			cut := fitPrefix(face, word, limit)
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitPrefix returns the byte length of the longest prefix of s (at least one rune) that
// fits in limit.
func fitPrefix(face font.Face, s string, limit fixed.Int26_6) int {
	cut := 0
	for i, r := range s {
		end := i + len(string(r))
		if cut > 0 && font.MeasureString(face, s[:end]) > limit {
			break
		}
		cut = end
	}
	return cut
}

// fitText picks the largest size from size down to minSize at which text wraps into at most
// maxLines lines of width maxW. At minSize, extra lines are dropped and the last ends in "…".
func fitText(tf *Typeface, text string, size, minSize float64, maxW, maxLines int) ([]string, float64) {
	for {
		face := tf.face(size)
		lines := wrap(face, text, maxW)
		if len(lines) <= maxLines || size <= minSize {
			if len(lines) > maxLines {
				lines = lines[:maxLines]
				last := lines[maxLines-1]
				for last != "" && font.MeasureString(face, last+"…") > fixed.I(maxW) {
					_, n := lastRune(last)
					last = strings.TrimRight(last[:len(last)-n], " ")
				}
				lines[maxLines-1] = last + "…"
			}
			return lines, size
		}
		size = max(minSize, size*0.9)
	}
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, 0
	}
	return r[len(r)-1], len(string(r[len(r)-1]))
}

// TextStyle is how a block of text is drawn.
type TextStyle struct {
	Size    float64
	Fill    color.RGBA
	Outline int        // outline radius in pixels; 0 for none
	Edge    color.RGBA // outline colour
	Shadow  int        // shadow offset and blur in pixels; 0 for none
	Spacing float64    // line height as a multiple of size
}

// renderText draws centred lines into a new transparent RGBA picture just large enough
// to hold them with their outline and shadow.
func renderText(tf *Typeface, lines []string, st TextStyle) *image.RGBA {
	return PaintText(textMask(tf, lines, st), st)
}

// textMask draws the glyph coverage of centred lines, with room around them for the
// style's outline and shadow.
func textMask(tf *Typeface, lines []string, st TextStyle) *image.Alpha {
	face := tf.face(st.Size)
	m := face.Metrics()
	lineH := int(st.Size*st.Spacing + 0.5)
	if st.Spacing == 0 {
		lineH = m.Height.Ceil()
	}
	maxW := 0
	for _, l := range lines {
		maxW = max(maxW, font.MeasureString(face, l).Ceil())
	}
	pad := st.Outline + 2*st.Shadow + 2
	w := maxW + 2*pad
	h := lineH*(len(lines)-1) + m.Ascent.Ceil() + m.Descent.Ceil() + 2*pad
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := &font.Drawer{Dst: mask, Src: image.Opaque, Face: face}
	for i, l := range lines {
		lw := font.MeasureString(face, l)
		d.Dot = fixed.Point26_6{
			X: fixed.I(w)/2 - lw/2,
			Y: fixed.I(pad+i*lineH) + m.Ascent,
		}
		d.DrawString(l)
	}
	return mask
}

// PaintText paints a glyph mask in the style: shadow, outline, then the fill.
func PaintText(mask *image.Alpha, st TextStyle) *image.RGBA {
	out := image.NewRGBA(mask.Rect)
	if st.Shadow > 0 {
		sh := Dilate(mask, st.Outline)
		sh = boxBlurAlpha(sh, st.Shadow)
		paintMask(out, sh, color.RGBA{0, 0, 0, 150}, st.Shadow, st.Shadow)
	}
	if st.Outline > 0 {
		paintMask(out, Dilate(mask, st.Outline), st.Edge, 0, 0)
	}
	paintMask(out, mask, st.Fill, 0, 0)
	return out
}

// paintMask composites colour c through mask, offset by (dx, dy), over dst.
func paintMask(dst *image.RGBA, mask *image.Alpha, c color.RGBA, dx, dy int) {
	r := dst.Rect.Intersect(mask.Rect.Add(image.Pt(dx, dy)))
	draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, mask, r.Min.Sub(image.Pt(dx, dy)), draw.Over)
}

// Dilate grows a mask by r pixels with a separable max filter (a square brush; at outline
// sizes of a few pixels the corners are not visible).
func Dilate(m *image.Alpha, r int) *image.Alpha {
	if r <= 0 {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	tmp := image.NewAlpha(m.Rect)
	out := image.NewAlpha(m.Rect)
	for y := 0; y < h; y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+w]
		dst := tmp.Pix[y*tmp.Stride : y*tmp.Stride+w]
		for x := range dst {
			var v byte
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				v = max(v, src[k])
			}
			dst[x] = v
		}
	}
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			var v byte
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				v = max(v, tmp.Pix[k*tmp.Stride+x])
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// boxBlurAlpha blurs a mask with two passes of a box filter of radius r (close to Gaussian).
func boxBlurAlpha(m *image.Alpha, r int) *image.Alpha {
	out := image.NewAlpha(m.Rect)
	copy(out.Pix, m.Pix)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for range 2 {
		raster.BoxBlur(out.Pix, w, h, out.Stride, r)
	}
	return out
}

// CheckFont reports whether the font at path (or, when path is empty, an installed
// Nanum font) loads and covers Hangul and Latin, so a process can refuse to start
// rather than fail every video.
func CheckFont(path string) error {
	_, err := LoadFont(path)
	return err
}
