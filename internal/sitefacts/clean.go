package sitefacts

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/business"
)

// cleanProfile makes every text of a profile storable and showable whatever the page
// held: valid UTF-8 without control characters (PostgreSQL refuses NUL in text; a title
// card should not draw an escape sequence), without the invisible characters that turn
// text around or hide in it (bidi overrides, zero-width spaces, byte-order marks), and
// without replacement characters left by broken encodings.
func cleanProfile(p *business.Profile) {
	for _, s := range []*string{&p.Name, &p.Tagline, &p.Description, &p.Category, &p.Address, &p.Area, &p.Phone, &p.Language, &p.URL, &p.ThumbnailURL} {
		*s = cleanText(*s)
	}
	clean := func(list []string) []string {
		out := list[:0]
		for _, s := range list {
			if s = cleanText(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	p.Keywords, p.Hashtags, p.Colors = clean(p.Keywords), clean(p.Hashtags), clean(p.Colors)
}

// cleanText is one text of cleanProfile. Line breaks and tabs become spaces, as do
// control characters between words ("Sunny\x07Bakery" must not become one word).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = ansiEscape.ReplaceAllString(s, " ")
	if strings.IndexFunc(s, dirtyRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\uFFFD' || unicode.IsControl(r):
			b.WriteByte(' ')
		case r == '\u200c' || r == '\u200d':
			b.WriteRune(r) // joiners shape Persian words and emoji sequences
		case unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// ansiEscape is a terminal colour or cursor sequence, which pages copied from a console
// carry: the escape is a control character, and the rest ("[31m") is not text either.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

func dirtyRune(r rune) bool {
	return r == '\uFFFD' || unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d')
}
