package o2sound

import "testing"

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
		{"phone mobile", ValidPhone, "010-1234-5678", true},
		{"phone seoul", ValidPhone, "02-1234-5678", true},
		{"phone seoul short", ValidPhone, "02-123-4567", true},
		{"phone no hyphens", ValidPhone, "01012345678", true},
		{"phone region", ValidPhone, "031-123-4567", true},
		{"phone rep", ValidPhone, "1588-1234", true},
		{"phone intl", ValidPhone, "+1 555 1234", false},
		{"phone letters", ValidPhone, "010-abcd-5678", false},
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
