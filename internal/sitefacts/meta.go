package sitefacts

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/o2sound/o2sound/internal/htmltext"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page is everything one page says about the business, before pages are merged.
type Page struct {
	URL        string
	LangAttr   string
	Title      string
	SiteName   string // og:site_name
	OGTitle    string
	OGDesc     string
	OGURL      string
	OGImage    string
	MetaDesc   string
	Keywords   []string
	AppName    string
	ThemeColor string // "#rrggbb"
	Canonical  string
	LD         *ldBusiness
	Headings   []string
	Paragraphs []string
	Text       string
	Address    string // an <address> element or an address pattern in the text
	// AddressLocality is the town of Address when the pattern knew it.
	AddressLocality string
	// Micro is a microdata or RDFa PostalAddress (itemprop/property="streetAddress" …).
	Micro ldAddress
	// Phones are the numbers as written, best first: those in headings or after a
	// "Tel"/"전화" label, then tel: links, then any number in the text.
	Phones []string
	// Declared are the numbers the markup says are numbers (tel: links, microdata
	// telephone): kept as written even when no numbering plan knows them.
	Declared []string
	Links    []Link
	Icons    []Icon
	// Copyright holds the names in the page's copyright lines ("© 2024 Brand GmbH").
	Copyright []string
	// LogoAlts are the alt texts of the site's logo images, "logo" words removed.
	LogoAlts []string
	// Next is where a page that is only a shell sends visitors: a meta refresh or the
	// main frame of a frameset (both common on older Korean sites).
	Next string
}

type Link struct {
	URL  string
	Text string
}

type Icon struct {
	URL  string
	Size int // the largest side from sizes="…", 0 if unknown
	Rel  string
}

// Caps that keep a hostile page's cost bounded.
const (
	maxTextBytes  = 64 << 10
	maxLinks      = 300
	maxHeadings   = 12
	maxParagraphs = 6
)

// ExtractPage reads a parsed page.
func ExtractPage(doc *html.Node, pageURL *url.URL) *Page {
	base := htmltext.BaseURL(doc, pageURL)
	m := &Page{URL: pageURL.String()}
	var ldScripts []string
	var frames []string
	var headline, telLinks []string
	seenLinks := map[string]bool{}
	resolve := func(ref string) string {
		if u, ok := htmltext.ResolveRef(base, ref); ok {
			return u.String()
		}
		return ""
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		readAddressProp(n, &m.Micro)
		if hasToken(strings.ToLower(htmltext.Attr(n, "itemprop")), "telephone") {
			if t := htmltext.CollapseSpace(firstNonEmpty(htmltext.Attr(n, "content"), htmltext.TextOf(n, 100))); formatPhone(t) != "" {
				headline = append(headline, t)
				m.Declared = append(m.Declared, t)
			}
		}
		switch n.DataAtom {
		case atom.Html:
			if m.LangAttr == "" {
				m.LangAttr = htmltext.Attr(n, "lang")
			}
		case atom.Title:
			if m.Title == "" && n.Namespace == "" { // not an <svg><title>
				m.Title = htmltext.CollapseSpace(htmltext.NodeText(n))
			}
		case atom.Meta:
			m.readMeta(n, resolve)
		case atom.Link:
			rel := strings.ToLower(htmltext.Attr(n, "rel"))
			href := htmltext.Attr(n, "href")
			switch {
			case hasToken(rel, "canonical"):
				if m.Canonical == "" {
					m.Canonical = resolve(href)
				}
			case hasToken(rel, "icon") || hasToken(rel, "apple-touch-icon") || hasToken(rel, "apple-touch-icon-precomposed") || hasToken(rel, "mask-icon"):
				if u := resolve(href); u != "" && len(m.Icons) < 20 {
					m.Icons = append(m.Icons, Icon{URL: u, Size: iconSize(htmltext.Attr(n, "sizes")), Rel: rel})
				}
			case hasToken(rel, "image_src"):
				if m.OGImage == "" {
					m.OGImage = resolve(href)
				}
			}
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(htmltext.Attr(n, "type")), "application/ld+json") {
				ldScripts = append(ldScripts, htmltext.NodeText(n))
			}
		case atom.H1, atom.H2, atom.H3:
			t := htmltext.CollapseSpace(htmltext.TextOf(n, 400))
			if len(m.Headings) < maxHeadings && t != "" && n.DataAtom != atom.H3 {
				m.Headings = append(m.Headings, t)
			}
			headline = append(headline, findPhoneRaws(t, 2)...)
		case atom.P:
			if len(m.Paragraphs) < maxParagraphs && !htmltext.InChrome(n) {
				if t := htmltext.CollapseSpace(htmltext.TextOf(n, 2000)); RuneLen(t) >= 30 {
					m.Paragraphs = append(m.Paragraphs, t)
				}
			}
		case atom.Address:
			if m.Address == "" {
				t := htmltext.TextOf(n, 1000)
				if a, l := findAddress(t); a != "" {
					m.Address, m.AddressLocality = a, l
				} else if t = htmltext.CollapseSpace(t); t != "" && RuneLen(t) <= 200 && strings.ContainsAny(t, "0123456789") {
					m.Address = firstAddressLine(t)
				}
			}
		case atom.A:
			href := htmltext.Attr(n, "href")
			if tel, ok := strings.CutPrefix(strings.ToLower(href), "tel:"); ok {
				if dec, err := url.PathUnescape(strings.TrimSpace(htmltext.Attr(n, "href"))[4:]); err == nil {
					tel = dec
				}
				if tel = strings.TrimSpace(tel); formatPhone(tel) != "" && len(telLinks) < 10 {
					telLinks = append(telLinks, tel)
				}
				continue
			}
			if u := resolve(href); u != "" && !seenLinks[u] && len(m.Links) < maxLinks {
				seenLinks[u] = true
				text := htmltext.CollapseSpace(htmltext.TextOf(n, 200))
				for _, k := range []string{"title", "aria-label"} {
					if v := htmltext.Attr(n, k); v != "" {
						text = strings.TrimSpace(text + " " + v)
					}
				}
				m.Links = append(m.Links, Link{URL: u, Text: text})
			}
		case atom.Img:
			if alt := logoAlt(n); alt != "" && len(m.LogoAlts) < 5 {
				m.LogoAlts = append(m.LogoAlts, alt)
			}
		case atom.Frame, atom.Iframe:
			if n.DataAtom == atom.Frame || len(frames) == 0 {
				if u := resolve(htmltext.Attr(n, "src")); u != "" {
					frames = append(frames, strings.ToLower(htmltext.Attr(n, "name")+" "+htmltext.Attr(n, "id"))+"\x00"+u)
				}
			}
		}
	}
	m.LD = parseJSONLD(ldScripts)
	m.Text = htmltext.TextOf(doc, maxTextBytes)
	m.Copyright = copyrightHolders(m.Text)
	if m.Address == "" {
		m.Address, m.AddressLocality = findAddress(m.Text)
	}
	for _, line := range strings.Split(m.Text, "\n") {
		if len(headline) < 6 && phoneLabelRE.MatchString(line) {
			headline = append(headline, findPhoneRaws(line, 2)...)
		}
	}
	m.Phones = dedupe(append(append(headline, telLinks...), findPhoneRaws(m.Text, 4)...), 10)
	m.Declared = dedupe(append(m.Declared, telLinks...), 10)
	if m.Next == "" && RuneLen(m.Text) < 200 {
		m.Next = mainFrame(frames)
	}
	return m
}

func (m *Page) readMeta(n *html.Node, resolve func(string) string) {
	key := strings.ToLower(htmltext.Attr(n, "property"))
	if key == "" {
		key = strings.ToLower(htmltext.Attr(n, "name"))
	}
	if key == "" {
		key = strings.ToLower(htmltext.Attr(n, "itemprop"))
	}
	content := htmltext.CollapseSpace(htmltext.Attr(n, "content"))
	if equiv := strings.ToLower(htmltext.Attr(n, "http-equiv")); equiv == "refresh" {
		if m.Next == "" {
			m.Next = refreshTarget(content, resolve)
		}
		return
	}
	if content == "" {
		return
	}
	switch key {
	case "og:site_name":
		SetIfEmpty(&m.SiteName, content)
	case "og:title", "twitter:title":
		SetIfEmpty(&m.OGTitle, content)
	case "og:description", "twitter:description":
		SetIfEmpty(&m.OGDesc, content)
	case "og:url":
		SetIfEmpty(&m.OGURL, resolve(content))
	case "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src", "image":
		SetIfEmpty(&m.OGImage, resolve(content))
	case "description":
		SetIfEmpty(&m.MetaDesc, content)
	case "keywords", "news_keywords":
		if len(m.Keywords) == 0 {
			m.Keywords = splitKeywords(content)
		}
	case "application-name", "apple-mobile-web-app-title":
		SetIfEmpty(&m.AppName, content)
	case "theme-color", "msapplication-tilecolor", "msapplication-navbutton-color":
		if c, ok := parseCSSColor(content); ok {
			SetIfEmpty(&m.ThemeColor, c)
		}
	}
}

func SetIfEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// refreshTarget reads <meta http-equiv=refresh content="0; url=/main.html">. Slow
// refreshes (a news ticker reloading itself) are not redirects.
func refreshTarget(content string, resolve func(string) string) string {
	delay, rest, _ := strings.Cut(content, ";")
	if d, err := strconv.ParseFloat(strings.TrimSpace(delay), 64); err != nil || d > 10 {
		return ""
	}
	rest = strings.TrimSpace(rest)
	if k, v, ok := strings.Cut(rest, "="); ok && strings.EqualFold(strings.TrimSpace(k), "url") {
		rest = v
	}
	rest = strings.Trim(strings.TrimSpace(rest), `'"`)
	if rest == "" {
		return ""
	}
	return resolve(rest)
}

// mainFrame picks the frame holding the content: one named main/body/content, else
// the first that is not a navigation bar.
func mainFrame(frames []string) string {
	var fallback string
	for _, f := range frames {
		names, u, _ := strings.Cut(f, "\x00")
		for _, k := range []string{"main", "body", "content", "contents"} {
			if strings.Contains(names, k) {
				return u
			}
		}
		isNav := false
		for _, k := range []string{"top", "menu", "nav", "left", "banner", "bottom", "foot"} {
			if strings.Contains(names, k) || strings.Contains(strings.ToLower(u), k) {
				isNav = true
			}
		}
		if !isNav && fallback == "" {
			fallback = u
		}
	}
	return fallback
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func iconSize(sizes string) int {
	best := 0
	for _, s := range strings.Fields(strings.ToLower(sizes)) {
		w, h, ok := strings.Cut(s, "x")
		if !ok {
			continue
		}
		wi, err1 := strconv.Atoi(w)
		hi, err2 := strconv.Atoi(h)
		if err1 == nil && err2 == nil {
			best = max(best, wi, hi)
		}
	}
	return best
}

func RuneLen(s string) int { return len([]rune(s)) }

// firstAddressLine drops what usually follows an address in an <address> block.
func firstAddressLine(t string) string {
	for _, sep := range []string{" Tel", " TEL", " tel", " Phone", " 전화", " T.", " E-mail", " Email", " 이메일"} {
		if i := strings.Index(t, sep); i > 0 {
			t = t[:i]
		}
	}
	return strings.Trim(strings.TrimSpace(t), ",|·")
}

// splitKeywords splits a keywords list on the separators sites use, in any script.
func splitKeywords(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', ';', '|', '，', '、', '·', '#', '\n':
			return true
		}
		return false
	})
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = htmltext.CollapseSpace(p); p != "" && RuneLen(p) <= 40 {
			out = append(out, p)
		}
		if len(out) >= 30 {
			break
		}
	}
	return out
}

// dedupe keeps the first of equal numbers (by digits), at most n.
func dedupe(list []string, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if d == "" || seen[d] || len(out) >= n {
			continue
		}
		seen[d] = true
		out = append(out, s)
	}
	return out
}

func firstNonEmpty(list ...string) string {
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// IsAssetPath reports whether a URL path names a file rather than a page.
func IsAssetPath(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".css", ".js", ".mp4", ".mp3", ".xml", ".json", ".ico":
		return true
	}
	return false
}
