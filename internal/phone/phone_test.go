package phone

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw, region         string
		e164, country, natl string
	}{
		{"02-336-7788", "KR", "+8223367788", "KR", "02-336-7788"},
		{"+82 2 336 7788", "", "+8223367788", "KR", "02-336-7788"},
		{"010.1234.5678", "", "+821012345678", "KR", "010-1234-5678"},
		{"1588-1234", "KR", "+8215881234", "KR", "1588-1234"},
		{"(512) 555-0147", "US", "+15125550147", "US", "(512) 555-0147"},
		{"+1 512-555-0147", "KR", "+15125550147", "US", "(512) 555-0147"},
		{"1-415-429-6753", "US", "+14154296753", "US", "(415) 429-6753"},
		{"030 1234567", "DE", "+49301234567", "DE", "030 1234567"},
		{"+49 (0) 99 73 84 59 – 0", "KR", "+49997384590", "DE", "09973 84590"},
		{"0049 30 1234567", "DE", "+49301234567", "DE", "030 1234567"},
		{"(49 211) 5 37 59 40", "DE", "+492115375940", "DE", "0211 5375940"},
		{"+44 20 7946 0958", "", "+442079460958", "GB", "020 7946 0958"},
		{"020 7946 0958", "GB", "+442079460958", "GB", "020 7946 0958"},
		{"03-1234-5678", "JP", "+81312345678", "JP", "03-1234-5678"},
		{"+33 1 42 68 53 00", "", "+33142685300", "FR", "01 42 68 53 00"},
		{"06 12 34 56 78", "FR", "+33612345678", "FR", "06 12 34 56 78"},
		{"+39 02 1234 5678", "", "+390212345678", "IT", "02 1234 5678"},
		{"+46 8 123 456 78", "", "+46812345678", "SE", "08-123 456 78"},
		{"(416) 555-0199", "CA", "+14165550199", "CA", "(416) 555-0199"},
		{"０２－３３６－７７８８", "KR", "+8223367788", "KR", "02-336-7788"},
	}
	for _, tc := range cases {
		n, err := Parse(tc.raw, tc.region)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.raw, tc.region, err)
			continue
		}
		if n.E164 != tc.e164 || n.Region != tc.country || n.National() != tc.natl {
			t.Errorf("Parse(%q, %q) = %+v national %q, want %s %s %q", tc.raw, tc.region, n, n.National(), tc.e164, tc.country, tc.natl)
		}
	}
	for _, bad := range []string{"", "12", "hello", "02-1", "+999 123", "1234567890123456789012345678901234567890123456789012345678901234567890"} {
		if n, err := Parse(bad, "KR"); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrInvalid", bad, n, err)
		}
	}
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	n, err := Parse("(512) 555-0147", "US")
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Display("US"); got != "(512) 555-0147" {
		t.Errorf("at home %q", got)
	}
	if got := n.Display("KR"); got != "+1 512-555-0147" {
		t.Errorf("abroad %q", got)
	}
}

func TestRegionFor(t *testing.T) {
	t.Parallel()
	cases := []struct{ address, tld, lang, want string }{
		{"2315 E Cesar Chavez St, Suite B, Austin, TX 78702", "com", "en", "US"},
		{"서울특별시 강남구 테헤란로 123", "com", "en", "KR"},
		{"Theodorstraße 180, 40472 Düsseldorf, Germany", "eu", "en", "DE"},
		{"10 Downing Street, London SW1A 2AA", "", "", "GB"},
		{"123 Queen St W, Toronto, ON M5H 2M9", "com", "en", "CA"},
		{"〒150-0001 東京都渋谷区神宮前1-2-3", "", "", "JP"},
		{"Via Don Luigi Russo 30, Gragnano", "com", "it", "IT"},
		{"", "co.uk", "en", "GB"},
		{"", "de", "", "DE"},
		{"", "io", "en-GB", "GB"},
		{"", "com", "sv", "SE"},
		{"", "", "", "KR"},
		{"", "com", "", "KR"},
	}
	for _, tc := range cases {
		if got := RegionFor(tc.address, tc.tld, tc.lang); got != tc.want {
			t.Errorf("RegionFor(%q, %q, %q) = %q, want %q", tc.address, tc.tld, tc.lang, got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"02-336-7788", "+49 (0) 99 73 84 59 – 0", "(49 211) 5 37 59 40", "+1 512"} {
		f.Add(s, "KR")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		n, err := Parse(raw, region)
		if err != nil {
			return
		}
		again, err := Parse(n.E164, "")
		if err != nil || again != n {
			t.Errorf("E.164 %q does not parse back: %+v %v", n.E164, again, err)
		}
	})
}
