package artwork

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"net/url"
	"strings"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/video/raster"
)

// CardKind is what a generated card says.
type CardKind int

const (
	CardOpening CardKind = iota // business name and tagline
	CardClosing                 // name, address, phone, URL, hashtags
	CardAbout                   // the description (used when there are too few images)
	CardTopics                  // category, area and keywords (likewise)
)

// Layout is the frame geometry text is placed in, shared by cards and captions so card
// lettering never sits where a caption will appear.
type Layout struct {
	w, h       int
	m          float64 // the short side; type sizes are fractions of it
	textW      int     // widest line of text
	captionBot int     // bottom edge of the caption block
	cardTop    int     // card text is centred in [cardTop, cardBot]
	cardBot    int
}

func NewLayout(w, h int) Layout {
	l := Layout{w: w, h: h, m: float64(min(w, h))}
	l.textW = int(float64(w) * 0.86)
	if h > w {
		// Portrait apps cover the bottom fifth with their own controls.
		l.captionBot = int(float64(h) * 0.78)
	} else {
		l.captionBot = int(float64(h) * 0.92)
	}
	l.cardTop = int(float64(h) * 0.07)
	l.cardBot = l.captionBot - int(l.m*0.16)
	return l
}

// block is one run of lines in one style, stacked on a card.
type block struct {
	text     string
	size     float64 // preferred size as a fraction of the short side
	minSize  float64
	maxLines int
	accent   bool
	gapAfter float64 // space after, as a fraction of the short side
	rule     bool    // draw an accent rule after the block
}

// cardBlocks decides what a card says. Empty fields are skipped; the name is never empty.
func cardBlocks(kind CardKind, p business.Profile) []block {
	var bs []block
	add := func(b block) {
		if strings.TrimSpace(b.text) != "" {
			bs = append(bs, b)
		}
	}
	switch kind {
	case CardOpening:
		add(block{text: p.Name, size: 0.13, minSize: 0.07, maxLines: 2, gapAfter: 0.035, rule: p.Tagline != ""})
		add(block{text: p.Tagline, size: 0.055, minSize: 0.04, maxLines: 3})
	case CardClosing:
		add(block{text: p.Name, size: 0.085, minSize: 0.055, maxLines: 2, gapAfter: 0.03, rule: true})
		add(block{text: p.Address, size: 0.045, minSize: 0.035, maxLines: 2, gapAfter: 0.012})
		add(block{text: p.Phone, size: 0.05, minSize: 0.04, maxLines: 1, gapAfter: 0.012})
		add(block{text: displayURL(p.URL), size: 0.045, minSize: 0.035, maxLines: 1, gapAfter: 0.03})
		add(block{text: hashtags(p.Hashtags), size: 0.045, minSize: 0.035, maxLines: 2, accent: true})
	case CardAbout:
		add(block{text: p.Name, size: 0.06, minSize: 0.045, maxLines: 1, gapAfter: 0.03, accent: true})
		text := p.Description
		if text == "" {
			text = p.Tagline
		}
		add(block{text: text, size: 0.065, minSize: 0.045, maxLines: 5})
	case CardTopics:
		head := strings.TrimSpace(strings.Join(nonEmpty(p.Category, p.Area), " · "))
		add(block{text: head, size: 0.055, minSize: 0.04, maxLines: 2, gapAfter: 0.03, accent: true, rule: true})
		add(block{text: strings.Join(p.Keywords, " · "), size: 0.07, minSize: 0.045, maxLines: 4})
	}
	if len(bs) == 0 {
		bs = append(bs, block{text: p.Name, size: 0.12, minSize: 0.06, maxLines: 2})
	}
	return bs
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// displayURL drops the scheme, "www." and a trailing slash: what people type.
func displayURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	s := strings.TrimPrefix(u.Host, "www.") + strings.TrimSuffix(u.EscapedPath(), "/")
	if p, err := url.PathUnescape(s); err == nil {
		s = p
	}
	return s
}

func hashtags(tags []string) string {
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t), "#"))
		if t != "" {
			out = append(out, "#"+strings.ReplaceAll(t, " ", ""))
		}
	}
	return strings.Join(out, " ")
}

// HasContent reports whether a fallback card kind would say more than the name.
func HasContent(kind CardKind, p business.Profile) bool {
	switch kind {
	case CardAbout:
		return p.Description != "" || p.Tagline != ""
	case CardTopics:
		return len(p.Keywords) > 0 || p.Category != "" || p.Area != ""
	}
	return true
}

// CardText lays a card's blocks out, centred, on a transparent w×h layer, under
// the logo when there is one.
func CardText(tf *Typeface, kind CardKind, p business.Profile, pal Palette, l Layout, logo *image.RGBA) *image.RGBA {
	type rendered struct {
		img  *image.RGBA
		b    block
		gap  int
		rule bool
	}
	// lay renders the blocks with every size and gap scaled by k.
	lay := func(k float64) (rs []rendered, total int) {
		for _, b := range cardBlocks(kind, p) {
			text := tf.Clean(b.text)
			if text == "" {
				continue
			}
			lines, size := fitText(tf, text, k*b.size*l.m, k*b.minSize*l.m, l.textW, b.maxLines)
			fill := pal.text
			if b.accent {
				fill = pal.accent
			}
			img := renderText(tf, lines, TextStyle{
				Size: size, Fill: fill, Spacing: 1.22,
				Shadow: max(1, int(size/28)),
			})
			gap := int(k * b.gapAfter * l.m)
			rule := 0
			if b.rule {
				rule = int(l.m*0.012) + gap
			}
			rs = append(rs, rendered{img: img, b: b, gap: gap + rule, rule: b.rule})
			total += img.Rect.Dy() + gap + rule
		}
		return rs, total
	}
	// The stack may run past cardBot a little but must end above a caption's plate;
	// a card with too much to say is set smaller until it does (down to 70%).
	limit := l.captionBot - int(l.m*0.12) - l.cardTop
	// The logo heads the stack, as large as the room the text leaves allows, within a
	// fifth of the short side on the title card (more in a tall frame) and less on the
	// busier end card, and never so small it cannot be made out.
	most, least, logoGap := 0.2, int(l.m*0.11), int(l.m*0.04)
	switch {
	case kind == CardClosing:
		most = 0.15
	case l.h > l.w:
		most = 0.26 // a tall frame has the height to spare
	}
	need := 0
	if logo != nil {
		need = least + logoGap
	}
	var rs []rendered
	var total int
	for _, k := range []float64{1, 0.925, 0.85, 0.775, 0.7} {
		if rs, total = lay(k); total+need <= limit {
			break
		}
	}
	if logo != nil {
		bh := max(least, min(l.cardBot-l.cardTop-total-logoGap, int(l.m*most)))
		badge := logoBadge(logo, min(l.textW, int(l.m*0.6)), bh)
		rs = append([]rendered{{img: badge, gap: logoGap}}, rs...)
		total += badge.Rect.Dy() + logoGap
	}
	layer := image.NewRGBA(image.Rect(0, 0, l.w, l.h))
	y := l.cardTop + max(0, (l.cardBot-l.cardTop-total)/2)
	for _, r := range rs {
		x := (l.w - r.img.Rect.Dx()) / 2
		draw.Draw(layer, r.img.Rect.Add(image.Pt(x, y)), r.img, image.Point{}, draw.Over)
		y += r.img.Rect.Dy()
		if r.rule {
			y += r.gap / 2
			rw, rh := int(l.m*0.14), max(2, int(l.m*0.008))
			bar := image.Rect((l.w-rw)/2, y, (l.w+rw)/2, y+rh)
			draw.Draw(layer, bar, image.NewUniform(pal.accent), image.Point{}, draw.Src)
			y += r.gap - r.gap/2
		} else {
			y += r.gap
		}
	}
	return layer
}

// CardBackground paints a card's background at w×h: the brand gradient with two soft
// accent glows, or, given a photo, the photo blurred and washed in the brand colour.
func CardBackground(pal Palette, w, h int, photo *image.RGBA, variant int) *image.RGBA {
	if photo != nil {
		pw, ph := photo.Rect.Dx(), photo.Rect.Dy()
		cover := math.Max(float64(w)/float64(pw), float64(h)/float64(ph))
		crop := image.Rect(0, 0, int(float64(w)/cover), int(float64(h)/cover))
		crop = crop.Add(image.Pt((pw-crop.Dx())/2, (ph-crop.Dy())/2))
		small := raster.Resize(raster.Crop(photo, crop), max(8, w/12), max(8, h/12))
		raster.Blur(small, max(1, small.Rect.Dx()/30))
		img := raster.Resize(small, w, h)
		raster.Tint(img, pal.bg, 0.78)
		return img
	}
	// The gradient has no detail, so it is painted at a quarter size and enlarged.
	full := image.Rect(0, 0, w, h)
	w, h = max(2, w/4), max(2, h/4)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	// Glow centres move with the variant so consecutive cards do not look identical.
	gx := [...]float64{0.85, 0.15, 0.8, 0.2}[variant%4]
	gy := [...]float64{0.8, 0.25, 0.2, 0.85}[variant%4]
	r1 := 0.55 * math.Hypot(float64(w), float64(h))
	for y := 0; y < h; y++ {
		t := float64(y) / float64(max(1, h-1))
		for x := 0; x < w; x++ {
			s := 0.6*t + 0.4*float64(x)/float64(max(1, w-1))
			c := Mix(pal.bg, pal.BgDeep, s)
			d := math.Hypot(float64(x)-gx*float64(w), float64(y)-gy*float64(h)) / r1
			if d < 1 {
				g := (1 - d) * (1 - d) * 0.22
				c = Mix(c, pal.accent, g)
			}
			o := img.Pix[y*img.Stride+x*4:]
			o[0], o[1], o[2], o[3] = c.R, c.G, c.B, 0xff
		}
	}
	return raster.Resize(img, full.Dx(), full.Dy())
}

func Mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 0xff}
}

func AlphaBounds(img *image.RGBA) image.Rectangle {
	b := img.Rect
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			if row[x*4+3] != 0 {
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
