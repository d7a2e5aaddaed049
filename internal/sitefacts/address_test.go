package sitefacts

import (
	"net/url"
	"testing"

	"github.com/o2sound/o2sound/internal/htmltext"
)

func TestFindAddress(t *testing.T) {
	t.Parallel()
	cases := []struct {
		locale, text, addr, locality string
	}{
		{"us, name first, lines", "Ironbark Strength Club\n2315 E Cesar Chavez St, Suite B\nAustin, TX 78702",
			"2315 E Cesar Chavez St, Suite B, Austin, TX 78702", "Austin"},
		{"us, one line", "Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702",
			"2315 E Cesar Chavez St, Suite B, Austin, TX 78702", "Austin"},
		{"us, po box", "Creative Commons\nPO Box 1866, Mountain View, CA 94042", "PO Box 1866, Mountain View, CA 94042", "Mountain View"},
		{"us, zip+4", "Visit us: 12 Dock Street, Portland, ME 04101-1234", "12 Dock Street, Portland, ME 04101-1234", "Portland"},
		{"ca", "Maple Bakery, 123 Queen St W, Unit 4, Toronto, ON M5H 2M9", "123 Queen St W, Unit 4, Toronto, ON M5H 2M9", "Toronto"},
		{"uk", "Find us at 221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE", "London"},
		{"de", "Kikkoman Trading Europe GmbH\nTheodorstraße 180\n40472 Düsseldorf", "Theodorstraße 180, 40472 Düsseldorf", "Düsseldorf"},
		{"de with country prefix", "Kanzlei: Stadtplatz 3, D-94469 Deggendorf", "Stadtplatz 3, 94469 Deggendorf", "Deggendorf"},
		{"fr", "Café Crème, 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris", "Paris"},
		{"it", "Pastificio: Via Don Luigi Russo 30, 80054 Gragnano (NA)", "Via Don Luigi Russo 30, 80054 Gragnano", "Gragnano"},
		{"nl", "Bezoek ons: Prinsengracht 263, 1016 GV Amsterdam", "Prinsengracht 263, 1016 GV Amsterdam", "Amsterdam"},
		{"se", "Drottninggatan 53, 111 21 Stockholm", "Drottninggatan 53, 111 21 Stockholm", "Stockholm"},
		{"jp", "店舗情報 〒150-0001 東京都渋谷区神宮前1-2-3", "〒150-0001 東京都渋谷区神宮前1-2-3", "渋谷区"},
		{"ko road", "주소 서울특별시 강남구 테헤란로4길 12 (역삼동)", "서울특별시 강남구 테헤란로4길 12 (역삼동)", ""},
		{"ko lot", "마포구 연남동 223-14 행복한 빵집", "마포구 연남동 223-14", ""},
		{"none", "Open 7 days a week. Call us!", "", ""},
		{"none, a year and a price", "Since 1998 we sell 200 flowers a day for $5", "", ""},
	}
	for _, tc := range cases {
		addr, loc := findAddress(tc.text)
		if addr != tc.addr || loc != tc.locality {
			t.Errorf("%s: findAddress(%q) = %q, %q; want %q, %q", tc.locale, tc.text, addr, loc, tc.addr, tc.locality)
		}
	}
}

func TestStructuredAddresses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, html, addr, area string
	}{
		{"json-ld, locality with country", `<title>Kikkoman</title><script type="application/ld+json">{"@type":"Organization","name":"Kikkoman",
			"address":{"@type":"PostalAddress","addressLocality":"Düsseldorf, Germany","postalCode":"D-40472","streetAddress":"Theodorstraße 180"}}</script>`,
			"Theodorstraße 180, D-40472 Düsseldorf", "Düsseldorf"},
		{"json-ld, empty postal parts", `<title>Pasta</title><script type="application/ld+json">{"@type":"Organization","name":"Pasta",
			"address":{"@type":"PostalAddress","streetAddress":"Via Don Luigi Russo 30","addressLocality":"Gragnano","addressRegion":"Campania","postalCode":"80054 -"}}</script>`,
			"Via Don Luigi Russo 30, 80054 Gragnano", "Gragnano"},
		{"json-ld, us", `<title>Gym</title><script type="application/ld+json">{"@type":"ExerciseGym","name":"Gym",
			"address":{"@type":"PostalAddress","streetAddress":"2315 E Cesar Chavez St, Suite B","addressLocality":"Austin","addressRegion":"TX","postalCode":"78702"}}</script>`,
			"2315 E Cesar Chavez St, Suite B, Austin, TX 78702", "Austin"},
		{"json-ld, one string with the name", `<title>Ironbark Strength Club</title><script type="application/ld+json">{"@type":"ExerciseGym","name":"Ironbark Strength Club",
			"address":"Ironbark Strength Club 2315 E Cesar Chavez St, Suite B Austin, TX 78702"}</script>`,
			"2315 E Cesar Chavez St, Suite B, Austin, TX 78702", "Austin"},
		{"microdata", `<title>Kanzlei Viehbacher</title><div itemscope itemtype="http://schema.org/PostalAddress" itemprop="address">
			<span itemprop="streetAddress">Stadtplatz 3</span><br>D-<span itemprop="postalCode">94469</span> <span itemprop="addressLocality">Deggendorf</span></div>`,
			"Stadtplatz 3, 94469 Deggendorf", "Deggendorf"},
		{"rdfa", `<title>Café</title><p vocab="https://schema.org/" typeof="PostalAddress"><span property="streetAddress">12 rue de la Paix</span>,
			<span property="postalCode">75002</span> <span property="addressLocality">Paris</span></p>`,
			"12 rue de la Paix, 75002 Paris", "Paris"},
		{"address element", `<title>Harbor Flowers</title><footer><address>Harbor Flowers<br>12 Dock Street<br>Portland, ME 04101</address></footer>`,
			"12 Dock Street, Portland, ME 04101", "Portland"},
		{"footer text, uk", `<title>Tea Room</title><footer><p>The Tea Room · 4 High Street, Oxford OX1 4AP · Open daily</p></footer>`,
			"4 High Street, Oxford OX1 4AP", "Oxford"},
		{"korean footer", `<title>달빛 식당</title><footer>상호: 달빛 식당 | 주소: 서울특별시 마포구 연남로 12 (연남동)</footer>`,
			"서울특별시 마포구 연남로 12 (연남동)", "마포구 연남동"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, _ := url.Parse("https://example.test/")
			m := ExtractPage(htmltext.ParseHTML(tc.html), u)
			p := BuildProfile([]*Page{m}, u.String())
			if p.Address != tc.addr || p.Area != tc.area {
				t.Errorf("address %q area %q, want %q %q", p.Address, p.Area, tc.addr, tc.area)
			}
		})
	}
}

func TestMeaningfulTag(t *testing.T) {
	t.Parallel()
	address := hashtagText("2315 E Cesar Chavez St, Suite B, Austin, TX 78702")
	area := hashtagText("Austin")
	cases := map[string]bool{
		"austin": true, "fitness": true, "florist": true, "카페": true, "역삼동카페": true,
		"suitebaustin": false, "suiteb": false, "78702": false, "2315": false, "tx": false,
		"chavez": false, "cesar": false, "unit4": false, "ste": false, "2층": false, "101호": false,
	}
	for tag, want := range cases {
		if got := meaningfulTag(tag, address, area); got != want {
			t.Errorf("meaningfulTag(%q) = %v, want %v", tag, got, want)
		}
	}
	for in, want := range map[string]string{
		"We bake cookies every morning\nThis website uses cookies to improve your experience. Accept\nWhat are cookies?": "",
		"We bake cookies every morning\nChocolate cookies, oat cookies and more\nCookies":                                "We bake cookies every morning\nChocolate cookies, oat cookies and more",
	} {
		if got := withoutCookieNotices(in); got != want {
			t.Errorf("withoutCookieNotices(%q) = %q, want %q", in, got, want)
		}
	}
}
