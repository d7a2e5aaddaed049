package lyrics

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/business"
)

// maxNameRunes bounds the name the writer works with: a title card holds about this much,
// and a chorus sings at most eight syllables of it anyway.
const maxNameRunes = 60

// singableText makes text from a web page safe to put in a lyric: valid UTF-8, no control
// or invisible formatting characters (bidi overrides, zero-width spaces), none of the
// marks Validate takes for template debris, no pile of combining marks on one letter,
// spaces collapsed.
func singableText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	var b strings.Builder
	marks := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r):
			r = ' '
		case r == '\u200c' || r == '\u200d':
			// Joiners shape Persian words and emoji sequences: keep them.
		case unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune("{}[]<>*#_|\\`", r):
			r = ' '
		}
		if unicode.Is(unicode.Mn, r) {
			if marks++; marks > 2 {
				continue // "Z̷̢a̵l̸g̶o̴": the letters stay, the pile goes
			}
		} else {
			marks = 0
		}
		b.WriteRune(r)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	// "..." and "…" read as unfinished text to Validate.
	for strings.Contains(out, "...") {
		out = strings.ReplaceAll(out, "...", ".")
	}
	return strings.TrimSpace(strings.ReplaceAll(out, "…", " "))
}

// hasWord reports whether s has something to sing: a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// nameToSing is the business name the writer uses: the profile's, cleaned; when that
// holds nothing singable (empty, emoji or punctuation only), the words of the site's
// host ("harbor-bakery.com" → "Harbor Bakery"); else what the place is ("the bakery").
// Whatever a page held, the writer has a name.
func nameToSing(p business.Profile, noun string, ko bool) string {
	name := truncateRunes(singableText(p.Name), maxNameRunes)
	if hasWord(name) && Syllables(name) > 0 {
		return name
	}
	if h := hostWords(p.URL); h != "" {
		return h
	}
	switch {
	case ko && noun != "":
		return "우리 " + noun
	case ko:
		return "우리 가게"
	case noun == "":
		return "Our Place"
	}
	return "The " + strings.ToUpper(noun[:1]) + noun[1:]
}

// hostWords turns a site's address into a name: its first label that is not "www",
// split at hyphens, each word capitalised.
func hostWords(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), ".")
	if len(labels) < 2 || labels[0] == "" || strings.Trim(labels[0], "0123456789") == "" {
		return "" // a bare address (127.0.0.1) or a single label (localhost) names nothing
	}
	var words []string
	for _, w := range strings.FieldsFunc(labels[0], func(r rune) bool { return r == '-' || r == '_' }) {
		if r, size := utf8.DecodeRuneInString(w); hasWord(w) {
			words = append(words, string(unicode.ToUpper(r))+w[size:])
		}
	}
	return truncateRunes(strings.Join(words, " "), maxNameRunes)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	// Cut at the last space when there is one, not inside a word.
	if i := strings.LastIndexFunc(string(r), unicode.IsSpace); i > n/2 {
		return strings.TrimSpace(string(r)[:i])
	}
	return strings.TrimSpace(string(r))
}

// capSyllables keeps the first max syllables of a single word too long to sing (a
// 10 000-letter "name"): the syllable chunks of a word, joined, are its prefix.
func capSyllables(word string, max int) string {
	parts := SplitSyllables(word)
	if len(parts) <= max {
		return word
	}
	return strings.Join(parts[:max], "")
}
