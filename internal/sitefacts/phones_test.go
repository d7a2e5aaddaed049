package sitefacts

import (
	"net/url"
	"testing"

	"github.com/o2sound/o2sound/internal/htmltext"
)

// TestPagePhones: the number a page shows as its own, in full, in its country's form.
func TestPagePhones(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, html, phone, e164, country string
	}{
		{"german switchboard number, not cut short", "https://viehbacher.example.de/",
			`<title>Kanzlei</title><footer><p>Tel. +49 (0) 99 73 84 59 – 0</p></footer>`, "+49-9973-84590", "+49997384590", "DE"},
		{"the headline number beats the first tel: link", "https://gym.example.com/",
			`<html lang="en"><title>Gym</title><header><a href="tel:+15125550100">HQ</a></header><h2>Call (512) 555-0147</h2></html>`, "+1-512-555-0147", "+15125550147", "US"},
		{"JSON-LD telephone beats a tel: link", "https://k.example.eu/",
			`<title>K</title><script type="application/ld+json">{"@type":"Organization","name":"K","telephone":"(49 211) 5 37 59 40","address":{"@type":"PostalAddress","addressLocality":"Düsseldorf","addressCountry":"Germany"}}</script><a href="tel:08001234567">x</a>`,
			"+49-211-5375940", "+492115375940", "DE"},
		{"addressCountry as a code", "https://shop.example.com/",
			`<html lang="en"><title>S</title><script type="application/ld+json">{"@type":"Store","name":"S","telephone":"0211 5375940","address":{"@type":"PostalAddress","streetAddress":"Kö 1","addressLocality":"Düsseldorf","addressCountry":"DE"}}</script></html>`,
			"+49-211-5375940", "+492115375940", "DE"},
		{"korean by default", "https://cafe.example.com/", `<title>카페</title><p>전화 02-336-7788 영업시간 10시</p>`, "02-336-7788", "+8223367788", "KR"},
		{"a year range is not a number", "https://www.amazon.example.co.uk/", `<html lang="en-GB"><title>A</title><footer>© 1996-2024, Amazon.com, Inc.</footer></html>`, "", "", ""},
		{"a declared number no plan knows is kept", "https://x.example.com/", `<title>X</title><a href="tel:0123-45678">call</a>`, "0123-45678", "", ""},
		{"microdata telephone", "https://x.example.fr/", `<title>X</title><span itemprop="telephone">01 42 68 53 00</span>`, "+33-1-42-68-53-00", "+33142685300", "FR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, _ := url.Parse(tc.url)
			m := ExtractPage(htmltext.ParseHTML(tc.html), u)
			p := BuildProfile([]*Page{m}, u.String())
			if p.Phone != tc.phone || p.PhoneE164 != tc.e164 || p.Country != tc.country {
				t.Errorf("phone %q %q %q, want %q %q %q (candidates %q)", p.Phone, p.PhoneE164, p.Country, tc.phone, tc.e164, tc.country, m.Phones)
			}
		})
	}
}
