package pipeline

import (
	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/phone"
)

// A business's number is kept twice in its profile: PhoneE164 for storing (the item's
// phone_number) and Phone in the country's own national form (02-336-7788,
// (512) 555-0147, 030 1234567), which is what every stage after the crawl shows or
// says: the draft's facts, the end card, the spoken outro.

// nationalPhone puts p's number in its national form, from the crawler's E.164 or, for
// profiles made before the crawler kept it, from the text. A number no numbering plan
// knows (a site's own odd one) is left as the site wrote it, for the card only: it has
// no E.164 and so is not stored on the item.
func nationalPhone(p *business.Profile) {
	raw := p.PhoneE164
	if raw == "" {
		raw = p.Phone
	}
	if raw == "" {
		return
	}
	n, err := phone.Parse(raw, profileRegion(*p))
	if err != nil {
		p.PhoneE164 = ""
		return
	}
	p.Phone, p.PhoneE164 = n.National(), n.E164
}

// profileRegion is the country a number without "+" is read in for a business: the one
// its address names, the crawler's country, that of the number it has, else Korean.
// The address comes first because the owner may just have changed it.
func profileRegion(p business.Profile) string {
	if r := phone.RegionFromAddress(p.Address); r != "" {
		return r
	}
	if phone.IsRegion(p.Country) {
		return p.Country
	}
	if n, err := phone.Parse(p.PhoneE164, phone.DefaultRegion); err == nil {
		return n.Region
	}
	return phone.DefaultRegion
}
