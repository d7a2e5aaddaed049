package phone

import (
	"regexp"
	"strings"
	"unicode"
)

// countryNames are how addresses end: the country in English and in its own language.
var countryNames = []struct {
	region string
	names  []string
}{
	{"KR", []string{"south korea", "korea", "republic of korea", "대한민국", "한국"}},
	{"JP", []string{"japan", "日本"}},
	{"US", []string{"united states", "usa", "u.s.a.", "united states of america"}},
	{"CA", []string{"canada"}},
	{"GB", []string{"united kingdom", "uk", "england", "scotland", "wales", "great britain"}},
	{"IE", []string{"ireland", "éire"}},
	{"DE", []string{"germany", "deutschland"}},
	{"AT", []string{"austria", "österreich"}},
	{"CH", []string{"switzerland", "schweiz", "suisse", "svizzera"}},
	{"FR", []string{"france"}},
	{"IT", []string{"italy", "italia"}},
	{"ES", []string{"spain", "españa"}},
	{"PT", []string{"portugal"}},
	{"NL", []string{"netherlands", "nederland", "the netherlands"}},
	{"BE", []string{"belgium", "belgië", "belgique"}},
	{"SE", []string{"sweden", "sverige"}},
	{"NO", []string{"norway", "norge"}},
	{"DK", []string{"denmark", "danmark"}},
	{"FI", []string{"finland", "suomi"}},
	{"PL", []string{"poland", "polska"}},
	{"AU", []string{"australia"}},
	{"NZ", []string{"new zealand"}},
	{"CN", []string{"china", "中国"}},
	{"TW", []string{"taiwan", "台灣", "台湾"}},
	{"FR", []string{"république française"}},
}

var (
	usStateZipRE = regexp.MustCompile(`\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s+\d{5}(?:-\d{4})?\b`)
	caPostalRE   = regexp.MustCompile(`\b(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b`)
	ukPostcodeRE = regexp.MustCompile(`\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b`)
	jpPostalRE   = regexp.MustCompile(`〒\s*\d{3}-?\d{4}|[都道府県].{0,10}[市区町村]`)
)

// RegionFromAddress is the country an address is in, or "" when it does not say.
func RegionFromAddress(addr string) string { return regionFromAddress(addr) }

func regionFromAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return ""
	}
	// The country is the address's last part: "…, 40472 Düsseldorf, Germany".
	lower := strings.ToLower(addr)
	parts := strings.FieldsFunc(lower, func(r rune) bool { return r == ',' || r == '\n' })
	if len(parts) > 0 {
		last := strings.Trim(strings.TrimSpace(parts[len(parts)-1]), ".")
		for _, c := range countryNames {
			for _, n := range c.names {
				if last == n {
					return c.region
				}
			}
		}
	}
	switch {
	case hangulShare(addr) > 0.3:
		return "KR"
	case jpPostalRE.MatchString(addr) && kanaOrHan(addr):
		return "JP"
	case caPostalRE.MatchString(addr):
		return "CA"
	case usStateZipRE.MatchString(addr):
		return "US"
	case ukPostcodeRE.MatchString(addr):
		return "GB"
	}
	// A country named anywhere: "Theodorstraße 180, Düsseldorf, Germany 40472".
	for _, c := range countryNames {
		for _, n := range c.names {
			if len(n) > 4 && containsWord(lower, n) {
				return c.region
			}
		}
	}
	return ""
}

func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		a, b := i+j, i+j+len(w)
		if (a == 0 || !isLetterByte(s[a-1])) && (b == len(s) || !isLetterByte(s[b])) {
			return true
		}
		i = b
	}
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 0x80 }

func hangulShare(s string) float64 {
	var letters, hangul int
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Hangul, r) {
				hangul++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(hangul) / float64(letters)
}

func kanaOrHan(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}

// tldRegions maps country-code top-level domains whose ISO code differs, or that are
// commonly used for something else, to a region; "" means no country.
var tldRegions = map[string]string{
	"uk": "GB", "io": "", "co": "", "tv": "", "me": "", "ai": "", "fm": "", "ly": "",
	"to": "", "cc": "", "ws": "", "eu": "", "gg": "", "app": "", "dev": "",
}

// regionFromTLD reads "de", ".de", "shop.example.co.uk" or a full host.
func regionFromTLD(tld string) string {
	tld = strings.ToLower(strings.Trim(strings.TrimSpace(tld), "."))
	if i := strings.LastIndex(tld, "."); i >= 0 {
		tld = tld[i+1:]
	}
	if r, ok := tldRegions[tld]; ok {
		return r
	}
	if len(tld) != 2 {
		return ""
	}
	r := strings.ToUpper(tld)
	if !supportedRegion(r) {
		return ""
	}
	return r
}

// langRegions: the country a language mostly means for a small business's site.
var langRegions = map[string]string{
	"ko": "KR", "ja": "JP", "de": "DE", "fr": "FR", "it": "IT", "es": "ES", "nl": "NL",
	"sv": "SE", "no": "NO", "nb": "NO", "nn": "NO", "da": "DK", "fi": "FI", "pl": "PL",
	"pt": "PT", "en": "US", "zh": "CN", "ru": "RU", "cs": "CZ", "el": "GR", "tr": "TR",
}

// regionFromLang reads "de", "en-GB", "pt_BR": a region subtag wins.
func regionFromLang(lang string) string {
	lang = strings.TrimSpace(lang)
	base, sub, ok := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	if ok {
		if r := strings.ToUpper(sub); len(r) == 2 && supportedRegion(r) {
			return r
		}
	}
	return langRegions[strings.ToLower(base)]
}
