package crawl

import (
	"strings"

	"github.com/o2sound/o2sound/internal/phone"
)

// pickPhone chooses the business's number from the candidates (best first) and names
// its country. The country comes from the address, then the TLD and the language; a
// number written with "+CC" speaks for itself. The first candidate that is a valid
// number in that country wins; failing that, the first that looks like a number at
// all, kept as written (formatPhone), so a site's own odd number is not lost.
//
// Phone keeps the crawler's display form (02-1234-5678 for Korean numbers, +CC-groups
// for others), now grouped by the number's own national plan.
func pickPhone(cands []string, address, host, langAttr, lang string) (display, e164, country string) {
	// The detected language, unless the page's lang says more ("en-GB").
	langHint := lang
	if strings.ContainsAny(langAttr, "-_") || lang == "" {
		langHint = langAttr
	}
	region := phone.RegionFor(address, host, langHint)
	addrRegion := phone.RegionFromAddress(address)
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
	for _, raw := range cands {
		if f := formatPhone(raw); f != "" {
			return f, "", countryOr(addrRegion, "")
		}
	}
	return "", "", countryOr(addrRegion, "")
}

func countryOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
