package sitefacts

import (
	"strings"

	"github.com/o2sound/o2sound/internal/phone"
)

// pickPhone chooses the business's number from the candidates (best first) and names
// its country. The country comes from the address (countryHint is its addressCountry,
// a name or an ISO code), then the TLD and the language; a number written with "+CC"
// speaks for itself. The first candidate that is a valid number wins; failing that,
// the first declared one (a tel: link, JSON-LD or microdata telephone) that looks like
// a number at all, kept as written (formatPhone), so a site's own odd number is not
// lost. Digits in running text that no numbering plan knows ("© 1996-2024") are not
// numbers.
//
// The display form stays the crawler's: 02-1234-5678 for Korean numbers, +CC-groups
// for others, now grouped by the number's own national plan.
func pickPhone(cands, declared []string, address, countryHint, host, langAttr, lang string) (display, e164, country string) {
	addrRegion := strings.ToUpper(strings.TrimSpace(countryHint))
	if !phone.IsRegion(addrRegion) {
		addrRegion = phone.RegionFromAddress(strings.Trim(address+", "+countryHint, ", "))
	}
	// The detected language, unless the page's lang says more ("en-GB").
	langHint := lang
	if strings.ContainsAny(langAttr, "-_") || lang == "" {
		langHint = langAttr
	}
	region := addrRegion
	if region == "" {
		region = phone.RegionFor("", host, langHint)
	}
	for _, raw := range cands {
		n, err := phone.Parse(raw, region)
		if err != nil {
			continue
		}
		country = n.Region
		if addrRegion != "" {
			country = addrRegion
		}
		if n.Region == "KR" {
			return formatPhone(n.National()), n.E164, country
		}
		return formatPhone(n.International()), n.E164, country
	}
	for _, raw := range declared {
		if f := formatPhone(raw); f != "" {
			return f, "", addrRegion
		}
	}
	return "", "", addrRegion
}
