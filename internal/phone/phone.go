// Package phone parses, stores and displays telephone numbers of any country with the
// libphonenumber metadata (github.com/nyaruka/phonenumbers): numbers are kept in E.164
// (+49301234567) and shown in their own country's national format (030 1234567,
// 02-336-7788, (512) 555-0147). A number written without "+" belongs to the business's
// country, which RegionFor infers; Korean is the default.
package phone

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the country assumed when nothing says otherwise.
const DefaultRegion = "KR"

// Number is a parsed, valid telephone number.
type Number struct {
	E164   string // "+82233677788"
	Region string // ISO 3166-1 alpha-2 of the number itself: "KR", "US", "DE"
}

// ErrInvalid is returned (wrapped) for text that is not a valid number.
var ErrInvalid = errors.New("phone: not a valid phone number")

// maxRawLen bounds what Parse looks at; no number is written in more.
const maxRawLen = 64

// Parse reads a number as people write it: "+49 (0) 30 1234567", "02-336-7788",
// "(512) 555-0147", "0049 30 …", "(49 211) 5 37 59 40". Without a "+" (or 00) the
// number is read in defaultRegion ("" means DefaultRegion).
func Parse(raw, defaultRegion string) (Number, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxRawLen {
		return Number{}, fmt.Errorf("%w: %q", ErrInvalid, raw)
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	if region == "" || !phonenumbers.GetSupportedRegions()[region] {
		region = DefaultRegion
	}
	text := cleanRaw(raw)
	n, err := phonenumbers.Parse(text, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		n = nil
	}
	// "(49 211) 5 37 59 40": the country code written without its "+". A national
	// number of the region would start with its trunk prefix, not with the code.
	if alt := withPlus(text, region); alt != nil {
		n = alt
	}
	if n == nil {
		return Number{}, fmt.Errorf("%w: %q", ErrInvalid, raw)
	}
	return Number{E164: phonenumbers.Format(n, phonenumbers.E164), Region: phonenumbers.GetRegionCodeForNumber(n)}, nil
}

// withPlus reads text as an international number whose "+" was left out, when it
// starts with region's calling code and has no "+" or trunk prefix of its own.
func withPlus(text, region string) *phonenumbers.PhoneNumber {
	d := digitsOf(text)
	if strings.Contains(text, "+") || strings.HasPrefix(d, "0") {
		return nil
	}
	code := fmt.Sprint(phonenumbers.GetCountryCodeForRegion(region))
	if code == "0" || !strings.HasPrefix(d, code) || len(d)-len(code) < 6 {
		return nil
	}
	n, err := phonenumbers.Parse("+"+d, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return nil
	}
	return n
}

// trunkZeroRE matches the "(0)" Europeans write after the country code: +49 (0) 30 …
var trunkZeroRE = regexp.MustCompile(`^(\+\d{1,3})\s*\(0\)\s*`)

// cleanRaw turns dash and space look-alikes into plain ones and drops the "(0)".
func cleanRaw(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '–', '—', '‐', '‑', '‒', '−', '－':
			return '-'
		case '（':
			return '('
		case '）':
			return ')'
		case '＋':
			return '+'
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
	return trunkZeroRE.ReplaceAllString(strings.TrimSpace(s), "$1 ")
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// National is the number as it is dialled and written inside its own country:
// 02-336-7788, (512) 555-0147, 030 1234567.
func (n Number) National() string {
	p, err := phonenumbers.Parse(n.E164, n.Region)
	if err != nil {
		return n.E164
	}
	return phonenumbers.Format(p, phonenumbers.NATIONAL)
}

// International is the number for callers abroad: +49 30 1234567.
func (n Number) International() string {
	p, err := phonenumbers.Parse(n.E164, n.Region)
	if err != nil {
		return n.E164
	}
	return phonenumbers.Format(p, phonenumbers.INTERNATIONAL)
}

// Display is how a number is shown to someone in viewerRegion: the national form at
// home, the international one elsewhere.
func (n Number) Display(viewerRegion string) string {
	if strings.EqualFold(viewerRegion, n.Region) {
		return n.National()
	}
	return n.International()
}

// RegionFor infers the business's country from, in order: its address (a country
// name, a Korean or Japanese address, a US/CA/UK postcode), the site's top-level
// domain, and the site's language; DefaultRegion when none says.
func RegionFor(address, tld, lang string) string {
	if r := regionFromAddress(address); r != "" {
		return r
	}
	if r := regionFromTLD(tld); r != "" {
		return r
	}
	if r := regionFromLang(lang); r != "" {
		return r
	}
	return DefaultRegion
}

func supportedRegion(r string) bool { return phonenumbers.GetSupportedRegions()[r] }

// IsRegion reports whether code is a region the numbering metadata knows ("DE", "KR").
func IsRegion(code string) bool { return len(code) == 2 && supportedRegion(code) }
