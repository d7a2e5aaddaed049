package lyrics

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/business"
)

// ShortName is the part of a business name a chorus can sing twice: parenthesised notes,
// branch suffixes ("강남점", "Downtown branch") and legal forms are dropped, and a generic
// leading word ("카페", "The") goes when something distinctive remains.
func ShortName(name string) string {
	n := name
	if i := strings.IndexAny(n, "(（["); i > 0 {
		n = n[:i]
	}
	n = strings.Join(strings.Fields(n), " ")
	words := strings.Fields(n)
	// Branch suffix: a last word ending in 점/지점/본점 after another word.
	if len(words) >= 2 {
		last := words[len(words)-1]
		low := strings.ToLower(last)
		if strings.HasSuffix(last, "점") || low == "branch" || low == "inc" || low == "inc." || low == "llc" || low == "ltd" || low == "co." {
			words = words[:len(words)-1]
		}
	}
	if len(words) >= 2 {
		switch strings.ToLower(words[0]) {
		case "카페", "cafe", "café", "the", "베이커리", "주식회사", "(주)":
			words = words[1:]
		}
	}
	if len(words) == 0 {
		return strings.TrimSpace(name)
	}
	return strings.Join(words, " ")
}

// singName is the form of the name used in most lines: the full name when it is short
// enough to sing in one breath, else the short name.
func singName(name string) string {
	full := strings.TrimSpace(name)
	if i := strings.IndexAny(full, "(（["); i > 0 {
		full = strings.TrimSpace(full[:i])
	}
	if Syllables(full) <= 7 {
		return full
	}
	short := ShortName(full)
	if Syllables(short) <= 8 {
		return short
	}
	// Still too long to sing twice in a chorus: keep leading words while they fit.
	var kept []string
	n := 0
	for _, w := range strings.Fields(short) {
		k := Syllables(w)
		if n > 0 && n+k > 8 {
			break
		}
		if k > 8 { // one word longer than a breath: sing its start
			w, k = capSyllables(w, 8), 8
		}
		kept = append(kept, w)
		n += k
	}
	return strings.Join(kept, " ")
}

// AreaName picks the neighbourhood a lyric can sing: the most specific part of
// Profile.Area, or one found in the address ("역삼동", "Brooklyn").
func AreaName(p business.Profile) string {
	if a := strings.TrimSpace(p.Area); a != "" {
		f := strings.Fields(a)
		last := strings.Trim(f[len(f)-1], ",")
		if p.IsKorean() || hasHangul(last) {
			return last
		}
		// English areas are usually "Neighbourhood, City"; the first part is the local one.
		parts := strings.Split(a, ",")
		return strings.TrimSpace(parts[0])
	}
	addr := strings.TrimSpace(p.Address)
	if addr == "" {
		return ""
	}
	if hasHangul(addr) {
		// Korean addresses read from large to small: 서울시 강남구 역삼동 123-45.
		// Prefer the 동/읍/면, then 구/군/시, then a road name.
		var dong, gu, road string
		for _, w := range strings.Fields(addr) {
			w = strings.Trim(w, ",()")
			switch {
			case strings.HasSuffix(w, "동") || strings.HasSuffix(w, "읍") || strings.HasSuffix(w, "면") || strings.HasSuffix(w, "리"):
				if utf8.RuneCountInString(w) >= 2 && hasHangul(w) && !hasDigit(w) {
					dong = w
				}
			case strings.HasSuffix(w, "구") || strings.HasSuffix(w, "군"):
				gu = w
			case strings.HasSuffix(w, "로") || strings.HasSuffix(w, "길"):
				if road == "" && !hasDigit(w) {
					road = w
				}
			}
		}
		for _, c := range []string{dong, gu, road} {
			if c != "" {
				return c
			}
		}
		return ""
	}
	// Western addresses: "12 Main St, Portland, OR 97205" → the city, the part after the
	// street that has no digits.
	parts := strings.Split(addr, ",")
	for _, part := range parts[1:] {
		part = strings.TrimSpace(part)
		if part != "" && !hasDigit(part) && utf8.RuneCountInString(part) > 2 {
			return part
		}
	}
	return ""
}

func hasHangul(s string) bool {
	for _, r := range s {
		if isHangul(r) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

// Korean particles depend on whether the word before them ends in a consonant (batchim).
// josa picks the right form; pairs are written with the after-consonant form first.
var josaForms = map[string][2]string{
	"이":   {"이", "가"},
	"은":   {"은", "는"},
	"을":   {"을", "를"},
	"와":   {"과", "와"},
	"과":   {"과", "와"},
	"로":   {"으로", "로"},
	"아":   {"아", "야"},
	"이에요": {"이에요", "예요"},
	"이야":  {"이야", "야"},
	"이랑":  {"이랑", "랑"},
}

// attachJosa returns word followed by the form of particle that suits its last sound.
func attachJosa(word, particle string) string {
	forms, ok := josaForms[particle]
	if !ok {
		return word + particle
	}
	final, rieul := batchim(word)
	if particle == "로" && rieul {
		return word + "로" // ㄹ takes 로: "서울로"
	}
	if final {
		return word + forms[0]
	}
	return word + forms[1]
}

// batchim reports whether word ends in a consonant sound, and whether that consonant is ㄹ.
// Latin and digit endings are read as a Korean speaker would say them.
func batchim(word string) (final, rieul bool) {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(word, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }))
	switch {
	case isHangul(r):
		f := (r - 0xAC00) % 28
		return f != 0, f == 8
	case unicode.IsDigit(r):
		// 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 end in a consonant; 1, 7, 8 in ㄹ.
		return strings.ContainsRune("013678", r), strings.ContainsRune("178", r)
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		switch unicode.ToLower(r) {
		case 'l':
			return true, true
		case 'm', 'n', 'k', 'p', 'b', 'g': // "t" usually takes 으 (마트), so it is left out
			return true, false
		}
	}
	return false, false
}
