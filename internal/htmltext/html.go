// Package htmltext reads HTML pages as text: charset detection, parsing, the visible
// text, and how a page's references resolve (<base href>, http(s) and local file: refs).
package htmltext

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/korean"
)

// DecodeHTML converts a page to UTF-8 and names the charset it used. The declared
// charset (BOM, Content-Type header, <meta>) is the starting point, but Korean sites
// often declare one thing and send another, so the bytes get the last word: text that is
// valid UTF-8 is UTF-8, and undeclared or mis-declared non-UTF-8 text that reads as
// Hangul under EUC-KR (CP949) is EUC-KR.
func DecodeHTML(body []byte, contentType string) (string, string) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if hasBOM(body) {
		return decodeWith(enc, body), name
	}
	if trimmed := trimPartialRune(body); hasHighBit(body) && utf8.Valid(trimmed) {
		return string(trimmed), "utf-8" // without the half rune, which is not UTF-8
	}
	isDefault := !certain && name == "windows-1252"
	if name == "utf-8" || isDefault || name == "" {
		// Declared UTF-8 that is not, or nothing declared: try Korean before Latin-1.
		if s := decodeWith(korean.EUCKR, body); HangulShare(s) > 0.2 {
			return s, "euc-kr"
		}
		if name == "utf-8" {
			return strings.ToValidUTF8(string(body), "\uFFFD"), "utf-8"
		}
	}
	return decodeWith(enc, body), name
}

func decodeWith(enc encoding.Encoding, body []byte) string {
	if enc == nil || enc == encoding.Nop {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE})
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// trimPartialRune drops a rune cut in half by the body cap.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// HangulShare is the fraction of letters in s that are Hangul.
func HangulShare(s string) float64 {
	var letters, hangul int
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if unicode.Is(unicode.Hangul, r) {
			hangul++
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(hangul) / float64(letters)
}

// ParseHTML parses decoded HTML. The parser is error-tolerant; it fails only on
// pathological input, which we treat as an empty document.
func ParseHTML(s string) *html.Node {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		doc, _ = html.Parse(strings.NewReader(""))
	}
	return doc
}

func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// SkipText are elements whose text a visitor never sees.
func SkipText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Head, atom.Title, atom.Select, atom.Textarea:
		return true
	}
	return false
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Nav, atom.Aside, atom.Main, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Address,
		atom.Blockquote, atom.Dd, atom.Dt, atom.Figcaption, atom.Figure, atom.Hr, atom.Pre:
		return true
	}
	return false
}

// NodeText is the raw text inside n (for <title> and <script>, whose content is text).
func NodeText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// TextOf is the visible text under n with whitespace collapsed, capped at max bytes.
func TextOf(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if b.Len() >= max {
			return false
		}
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if SkipText(n.DataAtom) {
				return true
			}
			if isBlock(n.DataAtom) {
				b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		if n.Type == html.ElementNode && isBlock(n.DataAtom) {
			b.WriteByte('\n')
		}
		return true
	}
	walk(n)
	s := b.String()
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return collapseLines(s)
}

// collapseLines squeezes runs of spaces inside lines and drops empty lines, keeping
// line breaks where blocks ended (address and phone patterns must not run across them).
func collapseLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = CollapseSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func CollapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// InChrome reports whether n has an ancestor of one of the given kinds (or one whose
// ARIA role says the same), e.g. header/nav/footer: the site's chrome.
func InChrome(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.Header, atom.Nav, atom.Footer, atom.Aside:
			return true
		}
		switch Attr(p, "role") {
		case "banner", "navigation", "contentinfo", "complementary":
			return true
		}
	}
	return false
}

// TruncateRunes cuts s to at most n runes, at a word boundary when one is near.
func TruncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " .,!?。"); i > len(cut)*2/3 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}
