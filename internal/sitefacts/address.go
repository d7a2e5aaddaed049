package sitefacts

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/htmltext"
	"golang.org/x/net/html"
)

// Addresses in text: Korean road and lot forms (locale.go), and the forms of the US
// and Canada ("2315 E Cesar Chavez St, Suite B, Austin, TX 78702"), the UK ("10
// Downing Street, London SW1A 2AA"), continental Europe ("Theodorstraße 180, 40472
// Düsseldorf", "12 rue de la Paix, 75002 Paris") and Japan ("〒150-0001 東京都渋谷区神宮前1-2-3").
// Each gives the address as people write it and its locality, which becomes the area.

const (
	usStates = `A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]`
	caProvs  = `AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT`
	unitWord = `(?i:suite|ste\.?|unit|apt\.?|apartment|#|floor|fl\.?|bldg\.?|building|room|rm\.?)`
	// streetLead is a house number and up to seven words, or a PO box.
	streetLead = `(?:(?i:p\.?\s?o\.?\s+box)\s+\d+|\d{1,6}[A-Za-z]?\s+(?:[\p{L}0-9.'’-]+\s+){0,6}?[\p{L}0-9.'’-]+)`
)

var (
	usAddressRE = regexp.MustCompile(`(` + streetLead + `)((?:,?\s+` + unitWord + `\s*[\w-]+)?)[,\s]+(\p{L}[\p{L} .'’-]{1,30}?),?\s+(` + usStates + `|` + caProvs + `)\.?,?\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b`)
	ukAddressRE = regexp.MustCompile(`(\d{1,5}[A-Za-z]?\s+\p{L}[\p{L}0-9 .'’-]{2,40}?),\s*(?:\p{L}[\p{L} .'’-]{1,30},\s*)?(\p{L}[\p{L} .'’-]{1,30}?)[,\s]+([A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2})\b`)
	// Street then number, then postcode and city (DE, AT, CH, NL, BE, IT, SE, NO, DK, PL …).
	euAddressRE = regexp.MustCompile(`(\p{Lu}[\p{L}.'’ -]{2,40}?\s\d{1,5}[a-zA-Z]?(?:[-/]\d{1,4})?),?\s+(?:[A-Z]{1,2}-)?(\d{2}-\d{3}|\d{3}\s\d{2}|\d{4}\s?[A-Z]{2}\b|\d{4,5})\s+(\p{Lu}[\p{L}.'’-]+(?:[ -]\p{L}[\p{L}.'’-]+){0,3})`)
	// Number then street, then postcode and city (FR, ES, PT, IT …).
	euNumFirstRE = regexp.MustCompile(`(\d{1,5}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|cours|route|via|viale|piazza|corso|calle|avenida|avda\.?|plaza|paseo|rua|travessa)\b[\p{L}0-9 .'’-]{2,40}?),?\s+(\d{4,5}(?:-\d{3})?)\s+(\p{Lu}[\p{L}.'’-]+(?:[ -]\p{L}[\p{L}.'’-]+){0,3})`)
	jpAddressRE  = regexp.MustCompile(`(?:〒\s*\d{3}-?\d{4}\s*)?(?:東京都|北海道|(?:京都|大阪)府|\p{Han}{2,3}県)(\p{Han}{1,5}?[市区町村])[\p{Han}\p{Hiragana}\p{Katakana}0-9０-９ー丁目番地号の\-－]{1,30}`)
	unitStartRE  = regexp.MustCompile(`^` + unitWord + `\s*[\w-]+\s+`)
)

// findAddress returns the first address in text (lines as textOf keeps them) and its
// locality; Korean addresses leave the locality to areaOf.
func findAddress(text string) (addr, locality string) {
	if a := findKoreanAddress(text); a != "" {
		return a, ""
	}
	lines := strings.Split(text, "\n")
	for i := range lines {
		// An address spans up to three lines: name, street, town.
		end := min(len(lines), i+3)
		joined := strings.Join(lines[i:end], ", ")
		if RuneLen(joined) > 400 {
			joined = string([]rune(joined)[:400])
		}
		if a, l := matchAddress(joined); a != "" {
			return a, l
		}
	}
	return "", ""
}

// matchAddress tries the non-Korean forms on one stretch of text.
func matchAddress(s string) (addr, locality string) {
	if m := jpAddressRE.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[0]), m[1]
	}
	if m := usAddressRE.FindStringSubmatch(s); m != nil {
		street, unit, city := strings.TrimSpace(m[1]), strings.Trim(m[2], ", "), strings.TrimSpace(m[3])
		// "…St, Suite B Austin": a unit the pattern left in the city belongs to the street.
		if u := unitStartRE.FindString(city); u != "" {
			unit, city = strings.TrimSpace(u), strings.TrimSpace(city[len(u):])
		}
		parts := []string{strings.TrimRight(street, ",")}
		if unit != "" {
			parts = append(parts, unit)
		}
		parts = append(parts, city, m[4]+" "+m[5])
		return strings.Join(parts, ", "), city
	}
	if m := ukAddressRE.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1]) + ", " + strings.TrimSpace(m[2]) + " " + m[3], strings.TrimSpace(m[2])
	}
	for _, re := range []*regexp.Regexp{euNumFirstRE, euAddressRE} {
		if m := re.FindStringSubmatch(s); m != nil {
			street := strings.TrimSpace(m[1])
			return street + ", " + m[2] + " " + m[3], m[3]
		}
	}
	return "", ""
}

// addressProps are the schema.org PostalAddress properties read from microdata
// (itemprop) and RDFa (property, possibly prefixed: "schema:streetAddress").
var addressProps = map[string]bool{
	"streetaddress": true, "addresslocality": true, "addressregion": true, "postalcode": true,
	"addresscountry": true, "street-address": true, "locality": true, "postal-code": true,
	"region": true, "country-name": true,
}

// readAddressProp fills a from a microdata or RDFa address property on n.
func readAddressProp(n *html.Node, a *ldAddress) {
	for _, key := range []string{"itemprop", "property"} {
		for _, v := range strings.Fields(htmltext.Attr(n, key)) {
			if i := strings.LastIndexAny(v, ":/#"); i >= 0 {
				v = v[i+1:]
			}
			v = strings.ToLower(v)
			if !addressProps[v] {
				continue
			}
			text := htmltext.Attr(n, "content")
			if text == "" {
				text = htmltext.CollapseSpace(htmltext.TextOf(n, 300))
			}
			if text == "" || RuneLen(text) > 120 {
				continue
			}
			switch v {
			case "streetaddress", "street-address":
				SetIfEmpty(&a.Street, text)
			case "addresslocality", "locality":
				SetIfEmpty(&a.Locality, text)
			case "addressregion", "region":
				SetIfEmpty(&a.Region, text)
			case "postalcode", "postal-code":
				SetIfEmpty(&a.Postal, text)
			case "addresscountry", "country-name":
				SetIfEmpty(&a.Country, text)
			}
		}
	}
}

// cleanLocality keeps the town of a locality field: "Düsseldorf, Germany" is
// Düsseldorf, "D-40472 Düsseldorf" too.
func cleanLocality(l string) string {
	l = htmltext.CollapseSpace(l)
	if i := strings.Index(l, ","); i > 0 {
		l = l[:i]
	}
	fields := strings.Fields(l)
	for len(fields) > 1 && strings.IndexFunc(fields[0], unicode.IsLetter) < 0 || len(fields) > 1 && isPostalToken(fields[0]) {
		fields = fields[1:]
	}
	return strings.Join(fields, " ")
}

var postalTokenRE = regexp.MustCompile(`^(?:[A-Z]{1,2}-)?\d{4,5}$`)

func isPostalToken(s string) bool { return postalTokenRE.MatchString(s) }

// stripName drops the business's name from the start of an address: "Ironbark
// Strength Club 2315 E Cesar Chavez St …" is an address block that began with the
// name.
func stripName(addr, name string) string {
	addr = strings.TrimSpace(addr)
	name = strings.TrimSpace(name)
	if name == "" || len(addr) <= len(name) {
		return addr
	}
	if strings.EqualFold(addr[:len(name)], name) {
		rest := strings.TrimLeft(addr[len(name):], " ,;:-–|·\n")
		if rest != "" {
			return rest
		}
	}
	return addr
}

// hasContent: a part worth printing has a letter or a digit ("80054 -" has, "-" not).
func hasContent(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
