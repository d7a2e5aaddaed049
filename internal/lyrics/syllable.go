package lyrics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Syllables counts the sung syllables of a line: one per Hangul block, an estimate from
// vowel groups for Latin words, one per digit. The melody gives each syllable one note, so
// this count and SplitSyllables must always agree.
func Syllables(line string) int { return len(SplitSyllables(line)) }

// SplitSyllables cuts a line into the units sung on one note each, in order. Punctuation
// is dropped; Latin words are split at vowel groups ("mor-ning", "cof-fee").
func SplitSyllables(line string) []string {
	var out []string
	for _, word := range strings.FieldsFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '/' || r == '~'
	}) {
		out = append(out, splitWord(word)...)
	}
	return out
}

func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// splitWord handles mixed words such as "GS25편의점" by cutting them into runs of one
// script and splitting each run its own way.
func splitWord(word string) []string {
	var out []string
	var latin strings.Builder
	flush := func() {
		if latin.Len() > 0 {
			out = append(out, splitLatin(latin.String())...)
			latin.Reset()
		}
	}
	for _, r := range word {
		switch {
		case isHangul(r):
			flush()
			out = append(out, string(r))
		case unicode.IsDigit(r):
			flush()
			// Sino-Korean digits are one syllable each; in English most are one or two.
			// One note per digit keeps numbers short, which is how jingles sing them.
			out = append(out, string(r))
		case r < utf8.RuneSelf && unicode.IsLetter(r), r == '\'':
			latin.WriteRune(r)
		case unicode.IsLetter(r):
			// Other scripts (kana, accented Latin beyond ASCII): one note per letter group
			// is the least wrong guess; treat accented letters as vowels' neighbours.
			if unicode.In(r, unicode.Latin) {
				latin.WriteRune(r)
				continue
			}
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

func isVowel(r rune) bool {
	switch unicode.ToLower(r) {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'à', 'á', 'â', 'ä', 'è', 'é', 'ê', 'ë', 'ì', 'í', 'î', 'ï', 'ò', 'ó', 'ô', 'ö', 'ù', 'ú', 'û', 'ü':
		return true
	}
	return false
}

// splitLatin splits one Latin word into syllable chunks. It is a heuristic (English
// spelling does not allow better without a dictionary) tuned for the words lyrics use:
// silent final e, "-le" endings, "y" as a vowel, all-caps acronyms spelled out.
func splitLatin(word string) []string {
	w := strings.Trim(word, "'")
	if w == "" {
		return nil
	}
	rs := []rune(w)
	// Acronyms ("CU", "BBQ", "NYC") are sung letter by letter.
	if len(rs) >= 2 && len(rs) <= 4 && strings.ToUpper(w) == w && !strings.ContainsRune(w, '\'') {
		allLetters := true
		for _, r := range rs {
			if !unicode.IsLetter(r) {
				allLetters = false
			}
		}
		if allLetters {
			out := make([]string, len(rs))
			for i, r := range rs {
				out[i] = string(r)
			}
			return out
		}
	}
	if split, ok := latinExceptions[strings.ToLower(w)]; ok {
		out := make([]string, len(split))
		at := 0
		for i, part := range split {
			n := utf8.RuneCountInString(part)
			out[i] = string(rs[at : at+n])
			at += n
		}
		return out
	}
	low := []rune(strings.ToLower(w))
	// Mark vowel groups; a leading y is a consonant ("yes"), as is y before a vowel.
	vowel := make([]bool, len(low))
	for i, r := range low {
		vowel[i] = isVowel(r)
		if r == 'y' && (i == 0 || (i+1 < len(low) && isVowel(low[i+1]) && low[i+1] != 'y')) {
			vowel[i] = false
		}
	}
	// Silent final e: "make", "love", "time" — but not "the", "be", nor "-le" after a
	// consonant ("table", "little"), which is its own syllable.
	n := len(low)
	if n >= 3 && low[n-1] == 'e' && !vowel[n-2] {
		le := low[n-2] == 'l' && n >= 4 && !vowel[n-3]
		if !le && hasVowelBefore(vowel, n-2) {
			vowel[n-1] = false
		}
	}
	// "-es"/"-ed" after most consonants are silent too ("makes", "loved"), except after
	// t/d ("wanted") and sibilants ("places", "boxes").
	if n >= 4 && (low[n-1] == 's' || low[n-1] == 'd') && low[n-2] == 'e' && !vowel[n-3] && hasVowelBefore(vowel, n-3) {
		c := low[n-3]
		keep := (low[n-1] == 'd' && (c == 't' || c == 'd')) ||
			(low[n-1] == 's' && strings.ContainsRune("szxc", c)) ||
			(low[n-1] == 's' && c == 'h' && n >= 5 && (low[n-4] == 's' || low[n-4] == 'c')) ||
			(low[n-1] == 's' && c == 'g')
		if !keep {
			vowel[n-2] = false
		}
	}
	// Group: every vowel run starts a new syllable; consonants between two vowel runs are
	// split so that one consonant goes with the following vowel ("cof-fee", "mor-ning").
	type group struct{ start, end int } // vowel run [start, end)
	var groups []group
	for i := 0; i < n; {
		if !vowel[i] {
			i++
			continue
		}
		j := i
		for j < n && vowel[j] {
			j++
		}
		groups = append(groups, group{i, j})
		i = j
	}
	if len(groups) <= 1 {
		return []string{w}
	}
	var out []string
	start := 0
	for g := 0; g < len(groups)-1; g++ {
		consStart, consEnd := groups[g].end, groups[g+1].start
		cut := consEnd
		switch {
		case consEnd-consStart >= 2 && isOnsetCluster(low[consEnd-2], low[consEnd-1]):
			cut = consEnd - 2 // keep onset clusters together: "ex-tra", "sun-shine"
		case consEnd-consStart >= 2:
			cut = consEnd - 1 // "mor-ning", "cof-fee"
		default:
			cut = consStart // a single consonant opens the next syllable: "ca-fe"
		}
		out = append(out, string(rs[start:cut]))
		start = cut
	}
	out = append(out, string(rs[start:]))
	return out
}

func hasVowelBefore(vowel []bool, end int) bool {
	for i := 0; i < end; i++ {
		if vowel[i] {
			return true
		}
	}
	return false
}

func isOnsetCluster(a, b rune) bool {
	switch string([]rune{a, b}) {
	case "bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sc", "sk", "sl", "sm", "sn", "sp", "st", "sw", "tr", "tw", "th", "sh", "ch", "wh", "ph":
		return true
	}
	return false
}

// latinExceptions are words that lyrics about shops use often and the spelling rules above
// get wrong (a final e that is sung). Parts concatenate to the word.
var latinExceptions = map[string][]string{
	"latte":   {"lat", "te"},
	"lattes":  {"lat", "tes"},
	"recipe":  {"re", "ci", "pe"},
	"recipes": {"re", "ci", "pes"},
	"karaoke": {"ka", "ra", "o", "ke"},
	"sesame":  {"se", "sa", "me"},
	"adobe":   {"a", "do", "be"},
	"cafe":    {"ca", "fe"},
	"cafes":   {"ca", "fes"},
	"maybe":   {"may", "be"},
}
