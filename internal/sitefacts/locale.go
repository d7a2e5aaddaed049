package sitefacts

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/htmltext"
)

// Korean addresses: an optional province or metropolitan city, one or two
// city/county/district units, a neighbourhood (동/읍/면/리/가) or a road (로/길), and a
// lot or building number. Both the old lot form (서울시 강남구 역삼동 123-45) and the road
// form (서울특별시 강남구 테헤란로4길 12) match.
var koAddressRE = regexp.MustCompile(
	`(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주|충청북|충청남|전라북|전라남|경상북|경상남)` +
		`(?:특별시|광역시|특별자치시|특별자치도|도|시)?\s*)?` +
		`(?:[가-힣]{1,6}(?:시|군|구)\s+){1,2}` +
		`(?:[가-힣0-9]{1,12}(?:동|읍|면|리|가|로|길)\s*){1,3}` +
		`(?:산\s*)?[0-9]{1,5}(?:-[0-9]{1,5})?(?:번지|번길)?` +
		`(?:\s*,?\s*[0-9]{1,3}층)?(?:\s*\([가-힣0-9,\s]{1,20}\))?`)

// koUnitRE finds the administrative units of an address for Area.
var koUnitRE = regexp.MustCompile(`[가-힣]{1,6}(?:시|군|구|동|읍|면)(?:[0-9]{1,2}가)?`)

var koProvinces = map[string]bool{
	"서울시": true, "서울특별시": true, "부산시": true, "부산광역시": true, "대구시": true, "대구광역시": true,
	"인천시": true, "인천광역시": true, "광주시": false, "광주광역시": true, "대전시": true, "대전광역시": true,
	"울산시": true, "울산광역시": true, "세종시": true, "세종특별자치시": true, "제주특별자치도": true,
}

// findKoreanAddress returns the first Korean street or lot address in text.
func findKoreanAddress(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if m := koAddressRE.FindString(line); m != "" {
			return strings.TrimSpace(htmltext.CollapseSpace(m))
		}
	}
	return ""
}

// areaOf picks the neighbourhood from an address: the smallest city/county/district
// unit and the 동/읍/면 that follows it ("강남구 역삼동"), the road address's
// parenthesised 동 counting too. For non-Korean addresses locality is the fallback.
func areaOf(address, locality string) string {
	if htmltext.HangulShare(address) < 0.3 {
		if locality != "" {
			return locality
		}
		// "12 Dock Street, Portland, ME 04101": the town sits before the region.
		if parts := strings.Split(address, ","); len(parts) >= 3 {
			return strings.TrimSpace(parts[len(parts)-2])
		}
		return ""
	}
	units := koUnitRE.FindAllString(address, -1)
	var district, town string
	for _, u := range units {
		switch {
		case koProvinces[u] || strings.HasSuffix(u, "도") || strings.HasSuffix(u, "특별시") || strings.HasSuffix(u, "광역시"):
			continue
		case strings.HasSuffix(u, "구") || strings.HasSuffix(u, "군") || strings.HasSuffix(u, "시"):
			if town == "" {
				district = u
			}
		case town == "":
			town = u
		}
	}
	switch {
	case district != "" && town != "":
		return district + " " + town
	case district != "":
		return district
	case town != "":
		return town
	}
	return locality
}

var (
	// Korean numbers: area/mobile/VoIP with 2-3 digit prefixes, and 8-digit
	// nationwide numbers (1588-xxxx). The lookarounds Go lacks are done by hand.
	koPhoneRE = regexp.MustCompile(`(?:\+82[\s.-]?(?:\(0\))?|\(?0)[0-9]{1,2}\)?[\s.-]?[0-9]{3,4}[\s.-][0-9]{4}|1[5-9][0-9]{2}[\s.-][0-9]{4}`)
	// International numbers keep every group, Europe's "(0)" and a switchboard's
	// "– 0" included: +49 (0) 99 73 84 59 – 0 is one number.
	intlPhoneRE = regexp.MustCompile(`\+[1-9][0-9]{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\(?[0-9]{1,4}\)?(?:(?:[\s./-]|\s?[–—]\s?)?[0-9]{1,4}){2,6}|\(?[2-9][0-9]{2}\)?[\s.-][0-9]{3}[\s.-][0-9]{4}`)
)

// findPhoneRaws lists the numbers in text as written, Korean forms first, at most n.
func findPhoneRaws(text string, n int) []string {
	var out []string
	for _, re := range []*regexp.Regexp{koPhoneRE, intlPhoneRE} {
		for _, loc := range re.FindAllStringIndex(text, 20) {
			if loc[0] > 0 && isDigitByte(text[loc[0]-1]) || loc[1] < len(text) && isDigitByte(text[loc[1]]) {
				continue // part of a longer number (an order id, a business registration number)
			}
			if raw := strings.TrimSpace(text[loc[0]:loc[1]]); formatPhone(raw) != "" && len(out) < n {
				out = append(out, raw)
			}
		}
	}
	return out
}

// phoneLabelRE marks a line that announces a number: "Tel.", "Phone", "Telefon", "전화".
var phoneLabelRE = regexp.MustCompile(`(?i)(?:\btel\b|\btel\.|telephone|phone|telefon|téléphone|teléfono|telefono|puhelin|電話|전화|대표번호|☎|📞|\bfon\b|\bcall\b|\bring\b)`)

// findPhone returns the first phone number in text, formatted.
func findPhone(text string) string {
	for _, re := range []*regexp.Regexp{koPhoneRE, intlPhoneRE} {
		for _, loc := range re.FindAllStringIndex(text, 20) {
			if loc[0] > 0 && isDigitByte(text[loc[0]-1]) || loc[1] < len(text) && isDigitByte(text[loc[1]]) {
				continue // part of a longer number (an order id, a business registration number)
			}
			if p := formatPhone(text[loc[0]:loc[1]]); p != "" {
				return p
			}
		}
	}
	return ""
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// formatPhone writes a number the way Koreans read it (02-1234-5678, 010-1234-5678,
// 1588-1234), converting +82 to the domestic form. Other numbers keep their digits and
// a leading +, grouped as given. It returns "" for things too short to be a number.
func formatPhone(raw string) string {
	raw = strings.TrimSpace(raw)
	var digits strings.Builder
	plus := false
	for i, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && digits.Len() == 0 && i < 3:
			plus = true
		}
	}
	d := digits.String()
	if strings.HasPrefix(raw, "+82") || plus && strings.HasPrefix(d, "82") {
		d = strings.TrimPrefix(d, "82")
		if !strings.HasPrefix(d, "0") {
			d = "0" + d
		}
		plus = false
	}
	if len(d) < 7 || len(d) > 15 {
		return ""
	}
	if !plus {
		switch {
		case strings.HasPrefix(d, "02") && (len(d) == 9 || len(d) == 10):
			return d[:2] + "-" + d[2:len(d)-4] + "-" + d[len(d)-4:]
		case strings.HasPrefix(d, "050") && (len(d) == 11 || len(d) == 12):
			// 050x personal numbers have a four-digit prefix.
			return d[:4] + "-" + d[4:len(d)-4] + "-" + d[len(d)-4:]
		case strings.HasPrefix(d, "0") && (len(d) == 10 || len(d) == 11):
			return d[:3] + "-" + d[3:len(d)-4] + "-" + d[len(d)-4:]
		case len(d) == 8 && d[0] == '1' && d[1] >= '5':
			return d[:4] + "-" + d[4:]
		}
	}
	// Not a Korean number: keep the owner's grouping, only normalising separators.
	var b strings.Builder
	lastSep := true
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9' || r == '+' && b.Len() == 0:
			b.WriteRune(r)
			lastSep = false
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
			if !lastSep {
				b.WriteByte('-')
				lastSep = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// detectLanguage decides the site's language from the text's scripts, trusting the
// lang attribute when the text does not contradict it: Korean templates often ship with
// lang="en", and a page that is mostly Hangul is Korean whatever it says.
func detectLanguage(langAttr, text string) string {
	var letters, hangul, kana, han, latin, cyrillic int
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		}
	}
	base := strings.ToLower(langAttr)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	if len(base) < 2 || len(base) > 3 || strings.Trim(base, "abcdefghijklmnopqrstuvwxyz") != "" {
		base = ""
	}
	if letters == 0 {
		return base
	}
	share := func(n int) float64 { return float64(n) / float64(letters) }
	switch {
	case share(hangul) >= 0.2:
		return "ko"
	case share(kana) >= 0.1:
		return "ja"
	case share(han) >= 0.3:
		return "zh"
	case base != "":
		return base
	case share(cyrillic) >= 0.5:
		if strings.ContainsAny(text, "іїєґІЇЄҐ") {
			return "uk"
		}
		return "ru"
	case share(latin) >= 0.5:
		// No lang attribute: which language's small words the text uses.
		if l := latinLanguage(text); l != "" {
			return l
		}
		return "en"
	}
	return ""
}

// stopwords are the commonest function words of the Latin-script languages the
// corpus has; a text's language is the one whose words it uses most.
var stopwords = map[string][]string{
	"en": strings.Fields("the and of to in is for with on that this you are our we your from at by it be was have"),
	"de": strings.Fields("der die und das ist nicht mit für auf den dem ein eine sie wir zu von auch oder ihre sich im bei"),
	"fr": strings.Fields("le la les et des est une un du pour dans que qui sur pas avec nous vous au aux ce cette sont"),
	"es": strings.Fields("el los las y que en un una por con para es del se su al como más nuestro nuestra muy"),
	"it": strings.Fields("il di che e la per un una non con sono del della le gli è anche nel alla ci questo"),
	"nl": strings.Fields("de het een en van is op voor met niet zijn dat die te ook wij je bij naar om uw"),
	"sv": strings.Fields("och att det som en på är för med av inte till den har vi om ett du jag från eller"),
	"no": strings.Fields("og det er på som en for med av ikke til har vi om et du jeg fra eller kan skal også deg"),
	"da": strings.Fields("og det er på som en for med af ikke til har vi om et du jeg fra eller kan skal også dig"),
	"pt": strings.Fields("o a os as de do da dos das e que em um uma para com não por se mais é são no na"),
	"pl": strings.Fields("i w na z się nie do to że jest o jak po dla od ale są przez czy jako"),
}

// latinLanguage scores the first words of text against each stopword list; it needs
// a few hits and a lead over the runner-up, else "".
func latinLanguage(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) > 3000 {
		words = words[:3000]
	}
	counts := map[string]int{}
	for _, w := range words {
		counts[w]++
	}
	best, bestScore, second := "", 0, 0
	for _, lang := range []string{"en", "de", "fr", "es", "it", "nl", "sv", "no", "da", "pt", "pl"} {
		score := 0
		for _, w := range stopwords[lang] {
			score += counts[w]
		}
		switch {
		case score > bestScore:
			best, second, bestScore = lang, bestScore, score
		case score > second:
			second = score
		}
	}
	if bestScore < 3 || bestScore*10 < second*11 {
		return ""
	}
	return best
}
