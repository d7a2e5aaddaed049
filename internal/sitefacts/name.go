package sitefacts

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/htmltext"
	"golang.org/x/net/html"
)

// The business name is chosen from everything a page says about who runs it. Each
// source has a weight for how often it names the brand rather than a page; a candidate
// that matches the host name, or that several sources agree on, gains; one that reads
// like an article title, a host name or a slogan loses.

type nameSource int

const (
	srcLDBusiness  nameSource = iota // a LocalBusiness (or subtype) node
	srcLDPublisher                   // the publisher Organization of a page
	srcLDOrg                         // another Organization node
	srcSiteName                      // og:site_name
	srcLDWebSite                     // the WebSite node's name
	srcAppName                       // application-name, apple-mobile-web-app-title
	srcTitleEdge                     // the first or last part of a split <title>
	srcTitleMiddle                   // a middle part of a split <title>
	srcTitleWhole                    // a <title> with no separator
	srcOGTitle                       // og:title, cleaned
	srcCopyright                     // the holder in a copyright line
	srcLogoAlt                       // a logo image's alt text
	srcHost                          // the host name, the last hint
)

var sourceWeight = map[nameSource]float64{
	srcLDBusiness: 10, srcLDPublisher: 9, srcSiteName: 9, srcLDOrg: 7, srcLDWebSite: 7,
	srcAppName: 6, srcCopyright: 5, srcTitleEdge: 5, srcLogoAlt: 4, srcTitleWhole: 4,
	srcTitleMiddle: 2, srcOGTitle: 2, srcHost: 0.5,
}

type nameCandidate struct {
	Text   string
	Source nameSource
	Score  float64
}

// titleSeparators split a title into its parts, strongest first: "Page | Brand",
// "Brand – Slogan", "Post :: Blog ::", "Shop › Section", "Product: Amazon.co.uk: Books",
// "Brand﹣Slogan". A title is split at the strongest kind it contains; its parts may
// split again at a weaker one ("Headline : subtitle | Brand").
var titleSeparators = []*regexp.Regexp{
	regexp.MustCompile(`\s*[|｜]\s*`),
	regexp.MustCompile(`\s+[-–—~]\s+|\s*[﹣－]\s*`),
	regexp.MustCompile(`\s*::\s*`),
	regexp.MustCompile(`\s*[›»]\s*`),
	regexp.MustCompile(`\s*[·•]\s*`),
	regexp.MustCompile(`\s*:\s+`),
	regexp.MustCompile(`\s+[/\\]\s+`),
}

// splitTitle splits at the strongest separator the title contains.
func splitTitle(title string) []string {
	title = htmltext.CollapseSpace(title)
	parts := []string{title}
	for _, re := range titleSeparators {
		if p := re.Split(title, -1); len(p) > 1 {
			parts = p
			break
		}
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(strings.Trim(p, " -–—:|"))
		for _, suffix := range []string{"공식 홈페이지", "공식홈페이지", "홈페이지", "Official Website", "Official Site", "Official Web Site"} {
			p = strings.TrimSpace(strings.TrimSuffix(p, suffix))
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// chooseName picks the business name for a site from its home page (and the best
// JSON-LD node of all pages), or "" when nothing names it.
func chooseName(home *Page, ld *ldBusiness, host string) string {
	for _, c := range nameCandidates(home, ld, host) {
		// The host only helps to recognise the brand: an address is not a name, and a
		// page that names no one should say so.
		if c.Source != srcHost {
			return c.Text
		}
	}
	return ""
}

// nameCandidates lists every name a page offers, best first.
func nameCandidates(home *Page, ld *ldBusiness, host string) []nameCandidate {
	var cands []nameCandidate
	add := func(text string, src nameSource) {
		text = strings.TrimSpace(strings.Trim(htmltext.CollapseSpace(text), "|-–—:·•,"))
		if text == "" || isGenericName(text) || RuneLen(text) > 80 {
			return
		}
		cands = append(cands, nameCandidate{Text: text, Source: src})
	}
	if ld != nil {
		switch {
		case ld.Rank == 3:
			add(ld.Name, srcLDBusiness)
		case ld.Rank == 2 && ld.Publisher:
			add(ld.Name, srcLDPublisher)
		case ld.Rank == 2:
			add(ld.Name, srcLDOrg)
		case ld.Rank == 1:
			add(ld.Name, srcLDWebSite)
		}
		if ld.SiteName != "" {
			add(ld.SiteName, srcLDWebSite)
		}
	}
	// "H-E-B | Here Everything's Better": a site name can carry a slogan too.
	for _, p := range splitTitle(home.SiteName) {
		add(p, srcSiteName)
	}
	for _, p := range splitTitle(home.AppName) {
		add(p, srcAppName)
	}
	ogTitle := htmltext.CollapseSpace(home.OGTitle)
	title := htmltext.CollapseSpace(home.Title)
	parts := splitTitle(title)
	titleFirst := len(cands)
	if len(parts) == 1 {
		// A title that is the article's own headline names no one.
		if !strings.EqualFold(parts[0], ogTitle) {
			add(parts[0], srcTitleWhole)
		}
	} else {
		for i, p := range parts {
			if strings.EqualFold(p, ogTitle) || isArticleLike(p) {
				continue
			}
			if i == 0 || i == len(parts)-1 {
				add(p, srcTitleEdge)
			} else {
				add(p, srcTitleMiddle)
			}
			if sub := splitTitle(p); len(sub) > 1 {
				for _, q := range sub {
					if !strings.EqualFold(q, ogTitle) {
						add(q, srcTitleMiddle)
					}
				}
			}
		}
	}
	titleParts := cands[titleFirst:]
	if ogParts := splitTitle(ogTitle); len(ogParts) > 1 && !strings.EqualFold(ogTitle, title) {
		for _, p := range []string{ogParts[0], ogParts[len(ogParts)-1]} {
			add(p, srcOGTitle)
		}
	}
	for _, c := range home.Copyright {
		add(c, srcCopyright)
	}
	for _, a := range home.LogoAlts {
		add(a, srcLogoAlt)
	}
	if host != "" {
		add(host, srcHost)
	}
	label := hostLabel(host)
	matchesHost := func(text string) bool {
		sq := squash(text)
		return label != "" && sq != "" && (strings.Contains(sq, label) || len(sq) >= 3 && strings.Contains(label, sq))
	}
	// In "Page | Brand" the part that matches the host is the brand, so the others
	// are the page's.
	titleHasHost := false
	for _, c := range titleParts {
		titleHasHost = titleHasHost || matchesHost(c.Text)
	}
	for i := range cands {
		c := &cands[i]
		c.Score = sourceWeight[c.Source]
		sq := squash(c.Text)
		switch {
		case c.Source != srcHost && matchesHost(c.Text):
			c.Score += 4
		case titleHasHost && (c.Source == srcTitleEdge || c.Source == srcTitleMiddle):
			c.Score -= 3
		}
		for j, o := range cands {
			if j == i || o.Source == c.Source || o.Source == srcHost {
				continue
			}
			switch os := squash(o.Text); {
			case os == sq:
				c.Score += 2
			case len(sq) >= 3 && strings.Contains(os, sq):
				c.Score += 1 // "Kikkoman" inside "Kikkoman Trading Europe GmbH"
			}
		}
		if c.Source != srcHost && looksLikeHost(c.Text) {
			c.Score -= 6 // a host name only when nothing better is said
		}
		words := len(strings.Fields(c.Text))
		switch n := RuneLen(c.Text); {
		case n > 50 || words > 7:
			c.Score -= 5
		case n > 32 || words > 4:
			c.Score -= 2
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Score > cands[j].Score })
	return cands
}

// isArticleLike: a title part that is a sentence (a headline, a product line) rather
// than a brand; brands do not end in a full stop or question mark and are short.
func isArticleLike(p string) bool {
	return RuneLen(p) > 60 || strings.HasSuffix(p, "?") || strings.HasSuffix(p, "!")
}

// squash lower-cases and drops everything but letters and digits, so "Purple Carrot",
// "purple-carrot" and "purplecarrot" compare equal.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// hostLabel is the registrable name of a host: "shop.example.co.uk" → "example".
func hostLabel(host string) string {
	labels := strings.Split(strings.TrimPrefix(host, "www."), ".")
	if len(labels) < 2 {
		return ""
	}
	i := len(labels) - 2
	// Second-level public suffixes: co.uk, com.au, co.jp, or.kr …
	if i > 0 && len(labels[i]) <= 3 && len(labels[len(labels)-1]) == 2 {
		i--
	}
	l := squash(labels[i])
	if len(l) < 3 {
		return ""
	}
	return l
}

var hostLikeRE = regexp.MustCompile(`^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$`)

// looksLikeHost: "www.kikkoman.eu", "shingon-reiki.de"; not "NPR.org" or "Amazon.com",
// which sites write with their own capitals as their name.
func looksLikeHost(s string) bool {
	return s == strings.ToLower(s) && hostLikeRE.MatchString(s)
}

// copyrightMarkRE finds a copyright line's start: ©, (c), "Copyright".
var copyrightMarkRE = regexp.MustCompile(`(?i)(?:©|\(c\)|copyright)`)

var (
	copyrightYearsRE = regexp.MustCompile(`(?i)^(?:\s*(?:©|\(c\)|copyright|by|\d{4}(?:\s*[-–—/]\s*\d{2,4})?)[\s,.:]*)+`)
	trailingYearsRE  = regexp.MustCompile(`[\s,]*\d{4}(?:\s*[-–—/]\s*\d{2,4})?\s*$`)
	// What follows the holder: "All rights reserved" in the corpus's languages, a
	// full stop, a bar or a comma before "or its affiliates", "Inc." …
	copyrightEndRE = regexp.MustCompile(`(?i)\s*(?:[|•·]|\. |, | - | – |all rights|alle rechte|tous droits|todos los derechos|tutti i diritti|alle rechten|alla rättigheter|med enerett|eftertryk|wszelkie prawa|모든 권리|무단|版权所有|著作権)`)
)

// copyrightHolders reads the names in copyright lines: "© 2024 Brand GmbH. All rights
// reserved." gives "Brand GmbH".
func copyrightHolders(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		loc := copyrightMarkRE.FindStringIndex(line)
		if loc == nil || RuneLen(line) > 300 {
			continue
		}
		rest := line[loc[0]:]
		rest = copyrightYearsRE.ReplaceAllString(rest, "")
		if i := copyrightEndRE.FindStringIndex(rest); i != nil {
			rest = rest[:i[0]]
		}
		rest = strings.TrimSpace(strings.TrimRight(trailingYearsRE.ReplaceAllString(rest, ""), ".,;: "))
		if n := RuneLen(rest); n >= 2 && n <= 60 && strings.IndexFunc(rest, unicode.IsLetter) >= 0 {
			out = append(out, rest)
		}
		if len(out) >= 3 {
			break
		}
	}
	return out
}

var logoWordRE = regexp.MustCompile(`(?i)\s*[-–|:]?\s*\b(?:logo(?:type)?|logotipo|logotyp|home(?:page)?|startseite|accueil|로고)\b\s*`)

// logoAlt returns the alt text of an image that is the site's logo (its alt, class, id
// or file name says so), without the word "logo"; "" for other images.
func logoAlt(n *html.Node) string {
	alt := htmltext.CollapseSpace(htmltext.Attr(n, "alt"))
	if alt == "" {
		return ""
	}
	src := strings.ToLower(htmltext.Attr(n, "src"))
	if i := strings.LastIndex(src, "/"); i >= 0 {
		src = src[i+1:]
	}
	hints := strings.ToLower(alt + " " + htmltext.Attr(n, "class") + " " + htmltext.Attr(n, "id") + " " + src)
	if !strings.Contains(hints, "logo") && !strings.Contains(hints, "로고") {
		return ""
	}
	alt = strings.TrimSpace(logoWordRE.ReplaceAllString(alt, " "))
	if RuneLen(alt) < 2 || RuneLen(alt) > 60 || IsAssetPath(alt) {
		return ""
	}
	return alt
}
