package pipeline

import (
	"errors"
	"testing"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// TestNationalPhone checks the form the stages after the crawl get: the national one
// of the number's country, whatever form the crawler or an older task left.
func TestNationalPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		in          business.Profile
		phone, e164 string
	}{
		{"us from e164", business.Profile{Phone: "+1-512-555-0147", PhoneE164: "+15125550147", Country: "US"}, "(512) 555-0147", "+15125550147"},
		{"german", business.Profile{Phone: "+49-30-1234567", PhoneE164: "+49301234567", Country: "DE"}, "030 1234567", "+49301234567"},
		{"korean", business.Profile{Phone: "02-336-7788", PhoneE164: "+8223367788", Country: "KR"}, "02-336-7788", "+8223367788"},
		{"old task, korean text", business.Profile{Phone: "02-1234-5678"}, "02-1234-5678", "+82212345678"},
		{"old task, text in the address's country", business.Profile{Phone: "(512) 555-0147", Address: "2315 E Cesar Chavez St, Suite B, Austin, TX 78702"}, "(512) 555-0147", "+15125550147"},
		{"a site's odd number stays for the card", business.Profile{Phone: "1234"}, "1234", ""},
		{"none", business.Profile{}, "", ""},
	} {
		p := tc.in
		nationalPhone(&p)
		if p.Phone != tc.phone || p.PhoneE164 != tc.e164 {
			t.Errorf("%s: %q %q, want %q %q", tc.name, p.Phone, p.PhoneE164, tc.phone, tc.e164)
		}
	}
}

// TestApplyFactsPhone checks the draft's facts.phone: read in the business's country
// without "+", kept in both forms, junk named with what is accepted.
func TestApplyFactsPhone(t *testing.T) {
	t.Parallel()
	us := business.Profile{Name: "Ironbark Strength Club", Address: "2315 E Cesar Chavez St, Suite B, Austin, TX 78702",
		Phone: "(512) 555-0147", PhoneE164: "+15125550147", Country: "US"}
	kr := business.Profile{Name: "카페 하늘숲", Address: "서울특별시 종로구 삼청로 12", Phone: "02-735-1234", PhoneE164: "+8227351234", Country: "KR"}
	for _, tc := range []struct {
		name        string
		p           business.Profile
		facts       o2sound.FactChanges
		phone, e164 string
		bad         bool
	}{
		{"us, as shown", us, o2sound.FactChanges{Phone: ptr("(512) 555-0147")}, "(512) 555-0147", "+15125550147", false},
		{"us, another", us, o2sound.FactChanges{Phone: ptr("512-555-0188")}, "(512) 555-0188", "+15125550188", false},
		{"us, with code", us, o2sound.FactChanges{Phone: ptr("+1 512 555 0188")}, "(512) 555-0188", "+15125550188", false},
		{"us, moved to Berlin", us, o2sound.FactChanges{Address: ptr("Torstraße 1, 10119 Berlin, Germany"), Phone: ptr("030 1234567")}, "030 1234567", "+49301234567", false},
		{"korean", kr, o2sound.FactChanges{Phone: ptr("010-1234-5678")}, "010-1234-5678", "+821012345678", false},
		{"korean, german number", kr, o2sound.FactChanges{Phone: ptr("+49 30 1234567")}, "030 1234567", "+49301234567", false},
		{"cleared", us, o2sound.FactChanges{Phone: ptr(" ")}, "", "", false},
		{"korean, us number without code", kr, o2sound.FactChanges{Phone: ptr("(512) 555-0147")}, "", "", true},
		{"junk", us, o2sound.FactChanges{Phone: ptr("call us")}, "", "", true},
	} {
		p := tc.p
		v := &o2sound.Validator{}
		applyFacts(v, &p, &tc.facts)
		err := v.Err()
		if tc.bad {
			var de *o2sound.Error
			if !errors.As(err, &de) || !hasField(de, "facts.phone") {
				t.Errorf("%s: %v, want facts.phone refused", tc.name, err)
			}
			continue
		}
		if err != nil || p.Phone != tc.phone || p.PhoneE164 != tc.e164 {
			t.Errorf("%s: %q %q %v, want %q %q", tc.name, p.Phone, p.PhoneE164, err, tc.phone, tc.e164)
		}
	}
	// The national form shown is the number it was: no change to re-render for.
	p := us
	applyFacts(&o2sound.Validator{}, &p, &o2sound.FactChanges{Phone: ptr("+1 (512) 555-0147")})
	if !profileFactsEqual(us, p) {
		t.Errorf("the same number in another form is a change: %q", p.Phone)
	}
}
