package o2sound

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/phone"
)

// Field limits, shared by the API schema and the validators below.
const (
	MaxNameLen    = 50
	MaxEmailLen   = 254
	MaxURLLen     = 2048
	MaxAddressLen = 200
	MaxHashtags   = 20
	MaxHashtagLen = 30
)

var (
	userIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$`)
	// What a phone entry may be written with: digits (also full-width, as Korean input
	// methods type them), spaces, + ( ) . and dashes. libphonenumber would read letters
	// too ("1-800-FLOWERS", "ext. 12"), but E.164 cannot keep an extension, and a
	// number the owner typed should be stored as typed, not guessed at.
	phoneCharsPattern = regexp.MustCompile(`^[0-9０-９+＋()（）. \-–—‐‑‒−－]{1,32}$`)
)

// PhoneHint says what a phone field accepts; every phone error says it.
const PhoneHint = "a phone number such as 010-1234-5678, or with a country code: +1 512 555 0147"

// Validator collects field errors so one response lists every problem.
type Validator struct{ fields []FieldError }

// Check records message for field unless ok.
func (v *Validator) Check(ok bool, field, message string) {
	if !ok {
		v.fields = append(v.fields, FieldError{Field: field, Message: message})
	}
}

// Err returns the collected errors as one validation *Error, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return ValidationError(v.fields...)
}

// ValidUserID: 3–32 letters, digits, '_', '.', '-', starting with a letter or digit.
func ValidUserID(s string) bool { return userIDPattern.MatchString(s) }

// ValidName: 1–50 characters after trimming, no control characters.
func ValidName(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	return n >= 1 && n <= MaxNameLen && utf8.ValidString(s) && !hasControl(s)
}

// ValidPassword: 8–128 characters.
func ValidPassword(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 8 && n <= 128 && utf8.ValidString(s)
}

// ValidEmail: one plain address, no display name.
func ValidEmail(s string) bool {
	if len(s) > MaxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// PhoneE164 reads an owner's phone entry of any country and returns it in E.164 for
// storing (+15125550147). A number without "+" is read in region, the country of the
// business or of the number it replaces ("" is Korean).
func PhoneE164(raw, region string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if !phoneCharsPattern.MatchString(raw) {
		return "", false
	}
	n, err := phone.Parse(raw, region)
	if err != nil {
		return "", false
	}
	// libphonenumber also takes a Korean number written without its leading 0, so
	// "(512) 555-0147" without "+1" would become a Busan number. Koreans always write
	// the 0 (only 1588-1234 style numbers have none): ask for the country code instead.
	d := asciiDigits(raw)
	if n.Region == "KR" && !strings.ContainsAny(raw, "+＋") && !strings.HasPrefix(d, "0") &&
		!strings.HasPrefix(d, "82") && !(len(d) == 8 && d[0] == '1') {
		return "", false
	}
	return n.E164, true
}

func asciiDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	return b.String()
}

// Phone checks field's phone entry raw (see PhoneE164) and returns what to store: E.164,
// or "" for an empty entry (the number is removed).
func (v *Validator) Phone(field, raw, region string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	e164, ok := PhoneE164(raw, region)
	v.Check(ok, field, PhoneHint)
	return e164
}

// ValidWebURL: an absolute http(s) URL with a host and no credentials.
func ValidWebURL(s string) bool {
	if len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && !hasControl(s)
}

// ValidText: at most max characters, valid UTF-8, no control characters.
func ValidText(s string, max int) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && !hasControl(s)
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
