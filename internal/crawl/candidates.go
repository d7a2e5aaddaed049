package crawl

import (
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/sitefacts"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Where a candidate was found, in decreasing order of how much the owner chose it.
const (
	originOG         = "og:image"
	originJSONLD     = "json-ld"
	originLink       = "link" // <a href> to a full-size image around a thumbnail
	originImg        = "img"
	originPicture    = "picture"
	originBackground = "background"
	originCSS        = "css"
	originFile       = "file" // a photo in a local folder
)

var originPrior = map[string]float64{
	originOG: 1.0, originJSONLD: 0.9, originLink: 0.8, originImg: 0.7, originPicture: 0.7,
	originBackground: 0.6, originCSS: 0.4, originFile: 0.8,
}

// candidate is an image reference found on a page, before it is downloaded.
type candidate struct {
	URL     string
	Alt     string
	Origin  string
	Order   int // position across the crawl: page index × 10000 + position on the page
	DeclW   int // width/height attributes, 0 if absent
	DeclH   int
	Hints   string // lower-cased class, id, alt and file name of the image itself
	Context string // lower-cased class and id of its two nearest ancestors
	Chrome  bool   // inside header/nav/footer/aside
}

// maxCandidatesPerPage bounds what one page can make us consider; the rest are counted.
const maxCandidatesPerPage = 400

// lazyAttrs hold the real source when src is a placeholder.
var lazyAttrs = []string{"data-src", "data-lazy-src", "data-original", "data-lazy", "data-url",
	"data-echo", "data-original-src", "data-full", "data-full-src", "data-hi-res", "data-large",
	"data-zoom-image", "data-img", "data-image", "data-orig-file", "data-large-file"}

var lazySrcsetAttrs = []string{"data-srcset", "data-lazy-srcset", "data-original-set"}

var bgAttrs = []string{"data-bg", "data-background", "data-background-image", "data-bg-src", "data-image-src"}

var cssURLRE = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)`)

var cssBackgroundRE = regexp.MustCompile(`background(?:-image)?\s*:[^;{}]*`)

// extractCandidates lists the image references on a page in document order, with the
// owner-chosen ones (og:image, JSON-LD) first. overflow counts what the cap left out.
func extractCandidates(doc *html.Node, pageURL *url.URL, meta *sitefacts.Page, pageIndex int) (cands []candidate, overflow int) {
	base := htmltext.BaseURL(doc, pageURL)
	seen := map[string]int{}
	pos := 0
	add := func(c candidate) {
		u, ok := htmltext.ResolveRef(base, c.URL)
		if !ok {
			return
		}
		c.URL = u.String()
		if i, dup := seen[c.URL]; dup {
			// The same picture referenced twice: keep the first place, learn its alt text.
			if cands[i].Alt == "" {
				cands[i].Alt = c.Alt
			}
			return
		}
		if len(cands) >= maxCandidatesPerPage {
			overflow++
			return
		}
		pos++
		c.Order = pageIndex*10000 + pos
		c.Hints = strings.ToLower(strings.TrimSpace(c.Hints + " " + c.Alt + " " + fileStem(u)))
		c.Context = strings.ToLower(c.Context)
		seen[c.URL] = len(cands)
		cands = append(cands, c)
	}
	if meta != nil {
		if meta.OGImage != "" {
			add(candidate{URL: meta.OGImage, Origin: originOG})
		}
		if meta.LD != nil {
			for _, im := range meta.LD.Images {
				add(candidate{URL: im, Origin: originJSONLD})
			}
			if meta.LD.Logo != "" {
				add(candidate{URL: meta.LD.Logo, Origin: originJSONLD, Hints: "logo"})
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Picture:
				if c, ok := pictureCandidate(n); ok {
					add(c)
				}
				return // its <img> is part of the picture
			case atom.Img:
				if c, ok := imgCandidate(n); ok {
					if href := linkedImage(n); href != "" {
						add(candidate{URL: href, Alt: c.Alt, Origin: originLink, Hints: c.Hints, Context: c.Context, Chrome: c.Chrome})
					}
					add(c)
				}
			case atom.Style:
				for _, u := range cssBackgroundURLs(htmltext.NodeText(n)) {
					add(candidate{URL: u, Origin: originCSS})
				}
			case atom.Script, atom.Noscript, atom.Template, atom.Svg:
				// <noscript> repeats lazy images without the lazy attributes; the lazy
				// attributes already gave us those.
				return
			}
			if style := htmltext.Attr(n, "style"); style != "" {
				for _, u := range cssBackgroundURLs(style) {
					add(candidate{URL: u, Origin: originBackground, Hints: ownHints(n), Context: contextHints(n), Chrome: htmltext.InChrome(n)})
				}
			}
			if n.DataAtom != atom.Img {
				for _, k := range bgAttrs {
					if v := htmltext.Attr(n, k); v != "" {
						add(candidate{URL: v, Origin: originBackground, Hints: ownHints(n), Context: contextHints(n), Chrome: htmltext.InChrome(n)})
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return cands, overflow
}

// imgCandidate picks an <img>'s real source: the largest srcset entry, else a lazy-load
// attribute, else src (which, on a lazy page, is often a 1×1 placeholder).
func imgCandidate(n *html.Node) (candidate, bool) {
	c := candidate{Origin: originImg, Alt: htmltext.CollapseSpace(htmltext.Attr(n, "alt")), Hints: ownHints(n), Context: contextHints(n), Chrome: htmltext.InChrome(n)}
	c.DeclW, _ = strconv.Atoi(strings.TrimSuffix(htmltext.Attr(n, "width"), "px"))
	c.DeclH, _ = strconv.Atoi(strings.TrimSuffix(htmltext.Attr(n, "height"), "px"))
	if t := htmltext.Attr(n, "title"); t != "" && c.Alt == "" {
		c.Alt = htmltext.CollapseSpace(t)
	}
	for _, k := range append([]string{"srcset"}, lazySrcsetAttrs...) {
		if u := largestSrcset(htmltext.Attr(n, k)); u != "" {
			c.URL = u
			return c, true
		}
	}
	for _, k := range lazyAttrs {
		if v := htmltext.Attr(n, k); v != "" && !strings.HasPrefix(v, "data:") {
			c.URL = v
			return c, true
		}
	}
	if src := htmltext.Attr(n, "src"); src != "" && !strings.HasPrefix(src, "data:") {
		c.URL = src
		return c, true
	}
	return c, false
}

// pictureCandidate picks the largest decodable source of a <picture>; AVIF and JXL
// sources are skipped because we cannot decode them, SVG because it is not a photo.
func pictureCandidate(p *html.Node) (candidate, bool) {
	var img *html.Node
	bestURL, bestW := "", -1
	for n := range p.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Source:
			typ := strings.ToLower(htmltext.Attr(n, "type"))
			if strings.Contains(typ, "avif") || strings.Contains(typ, "jxl") || strings.Contains(typ, "svg") {
				continue
			}
			set := htmltext.Attr(n, "srcset")
			if set == "" {
				set = htmltext.Attr(n, "data-srcset")
			}
			if u, w := largestSrcsetWidth(set); u != "" && w > bestW {
				bestURL, bestW = u, w
			}
		case atom.Img:
			img = n
		}
	}
	var c candidate
	ok := false
	if img != nil {
		c, ok = imgCandidate(img)
	} else {
		c = candidate{Hints: ownHints(p), Context: contextHints(p), Chrome: htmltext.InChrome(p)}
	}
	c.Origin = originPicture
	if bestURL != "" {
		c.URL, ok = bestURL, true
	}
	return c, ok
}

// linkedImage is the href of an <a> around the image when it points at an image file:
// galleries link thumbnails to the full-size photo.
func linkedImage(img *html.Node) string {
	for p, depth := img.Parent, 0; p != nil && depth < 3; p, depth = p.Parent, depth+1 {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			href := htmltext.Attr(p, "href")
			if looksLikeImageURL(href) {
				return href
			}
			return ""
		}
	}
	return ""
}

func looksLikeImageURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".jpg", ".jpeg", ".png", ".webp", ".gif":
		return true
	}
	return false
}

// largestSrcset returns the URL of the widest srcset candidate.
func largestSrcset(set string) string {
	u, _ := largestSrcsetWidth(set)
	return u
}

// largestSrcsetWidth parses a srcset ("a.jpg 640w, b.jpg 1280w" or "a.jpg 1x, b.jpg 2x")
// the way the HTML spec does: a URL runs to whitespace, and a comma ends a candidate
// only after the descriptors, so URLs with commas in them survive.
func largestSrcsetWidth(set string) (string, int) {
	bestURL, best := "", -1
	s := set
	for len(s) > 0 {
		s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
		if s == "" {
			break
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		desc := ""
		if strings.HasSuffix(u, ",") {
			u = strings.TrimRight(u, ",")
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			desc = strings.TrimSpace(s[:i])
			s = s[i:]
		}
		if u == "" || strings.HasPrefix(u, "data:") {
			continue
		}
		w := 1 // no descriptor means 1x
		for _, d := range strings.Fields(desc) {
			switch {
			case strings.HasSuffix(d, "w"):
				if v, err := strconv.Atoi(strings.TrimSuffix(d, "w")); err == nil {
					w = v
				}
			case strings.HasSuffix(d, "x"):
				if v, err := strconv.ParseFloat(strings.TrimSuffix(d, "x"), 64); err == nil && v > 0 && v < 100 {
					w = int(v * 1000) // rank densities above any width a 1x source declares
				}
			}
		}
		if w > best {
			bestURL, best = u, w
		}
	}
	return bestURL, best
}

// cssBackgroundURLs finds url(…) values inside background declarations only, so fonts
// and cursors in a stylesheet are not mistaken for photos.
func cssBackgroundURLs(css string) []string {
	if len(css) > 256<<10 {
		css = css[:256<<10]
	}
	var out []string
	for _, decl := range cssBackgroundRE.FindAllString(css, 200) {
		for _, m := range cssURLRE.FindAllStringSubmatch(decl, 10) {
			for _, g := range m[1:] {
				if g = strings.TrimSpace(g); g != "" && !strings.HasPrefix(g, "data:") {
					out = append(out, g)
				}
			}
		}
	}
	return out
}

// ownHints are an element's class, id and role: what the site calls the image.
func ownHints(n *html.Node) string {
	var parts []string
	for _, k := range []string{"class", "id", "role", "itemprop"} {
		if v := htmltext.Attr(n, k); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// contextHints are the class and id of the two nearest ancestors: a logo is often an
// <img> inside <a class="logo">.
func contextHints(n *html.Node) string {
	var parts []string
	for p, depth := n.Parent, 0; p != nil && depth < 2; p, depth = p.Parent, depth+1 {
		if p.Type == html.ElementNode {
			parts = append(parts, ownHints(p))
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func fileStem(u *url.URL) string {
	base := path.Base(u.Path)
	if ext := path.Ext(base); ext != "" {
		base = strings.TrimSuffix(base, ext)
	}
	if base == "." || base == "/" {
		return ""
	}
	if s, err := url.PathUnescape(base); err == nil {
		base = s
	}
	return base
}

// sortForDownload orders candidates by how promising they look before any download,
// so the download budget goes to the owner's chosen images and the page's content first.
func sortForDownload(cands []candidate) {
	prio := func(c candidate) float64 {
		p := originPrior[c.Origin]
		if c.Chrome {
			p -= 0.3
		}
		return p
	}
	sort.SliceStable(cands, func(i, j int) bool {
		pi, pj := prio(cands[i]), prio(cands[j])
		if pi != pj {
			return pi > pj
		}
		return cands[i].Order < cands[j].Order
	})
}
