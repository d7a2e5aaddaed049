package o2sound

import (
	"errors"
	"testing"
)

func TestValidators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"userid seed", ValidUserID, "testuser", true},
		{"userid underscore", ValidUserID, "john_doe", true},
		{"userid short", ValidUserID, "ab", false},
		{"userid space", ValidUserID, "john doe", false},
		{"userid leading dot", ValidUserID, ".john", false},
		{"userid hangul", ValidUserID, "홍길동", false},
		{"name hangul", ValidName, "홍길동", true},
		{"name empty", ValidName, "   ", false},
		{"name newline", ValidName, "a\nb", false},
		{"name 51", ValidName, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"password ok", ValidPassword, "securepassword123", true},
		{"password 7", ValidPassword, "1234567", false},
		{"password hangul 8", ValidPassword, "비밀번호비밀번호", true},
		{"email ok", ValidEmail, "test@example.com", true},
		{"email display", ValidEmail, "Test <test@example.com>", false},
		{"email no tld", ValidEmail, "a@b", false},
		{"email none", ValidEmail, "test", false},
		{"url ok", ValidWebURL, "https://bluemoon.cafe", true},
		{"url ftp", ValidWebURL, "ftp://x.y", false},
		{"url userinfo", ValidWebURL, "https://a@b.c", false},
		{"url relative", ValidWebURL, "/x", false},
	} {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%s: (%q) = %v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestPhoneE164 checks what the owner's phone fields accept: any country's number,
// read in the business's country without "+", stored in E.164.
func TestPhoneE164(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw, region, want string
		ok                bool
	}{
		{"010-1234-5678", "", "+821012345678", true},
		{"01012345678", "", "+821012345678", true},
		{"02-123-4567", "", "+8221234567", true},
		{"031-123-4567", "", "+82311234567", true},
		{"1588-1234", "", "+8215881234", true},
		{"０１０－１２３４－５６７８", "", "+821012345678", true},
		{"+1 512 555 0147", "", "+15125550147", true},
		{"+1 (512) 555-0147", "KR", "+15125550147", true},
		{"(512) 555-0147", "US", "+15125550147", true},
		{"+49 30 1234567", "", "+49301234567", true},
		{"030 1234567", "DE", "+49301234567", true},
		{"+44 20 7946 0958", "", "+442079460958", true},
		{"82 10 1234 5678", "", "+821012345678", true},
		{"  02-336-7788  ", "", "+8223367788", true},
		// A US number without its code is not Korean; letters are not taken.
		{"(512) 555-0147", "", "", false},
		{"+1 555 1234", "", "", false},
		{"010-abcd-5678", "", "", false},
		{"1-800-FLOWERS", "US", "", false},
		{"+1 512 555 0147 ext. 12", "", "", false},
		{"12", "", "", false},
		{"555", "", "", false},
		{"", "", "", false},
	} {
		got, ok := PhoneE164(tc.raw, tc.region)
		if got != tc.want || ok != tc.ok {
			t.Errorf("PhoneE164(%q, %q) = %q %v, want %q %v", tc.raw, tc.region, got, ok, tc.want, tc.ok)
		}
	}
	var v Validator
	if got := v.Phone("phone_number", "", ""); got != "" || v.Err() != nil {
		t.Errorf("an empty entry removes the number: %q %v", got, v.Err())
	}
	v.Phone("phone_number", "hello", "")
	var e *Error
	if !errors.As(v.Err(), &e) || e.Code != CodeValidation {
		t.Fatalf("junk: %v", v.Err())
	}
	if f, _ := e.Details.([]FieldError); len(f) != 1 || f[0].Field != "phone_number" || f[0].Message != PhoneHint {
		t.Errorf("junk names the field and what is accepted: %+v", e.Details)
	}
}
