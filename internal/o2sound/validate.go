package o2sound

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
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
	// Korean numbers: mobile 010-1234-5678, Seoul 02-123-4567 / 02-1234-5678, regions
	// 031-123-4567, internet phones 070-…, and nationwide 1588-1234 style numbers.
	phonePattern = regexp.MustCompile(`^(0(2|[3-6][1-5]|1[016789]|70|50[2-8])-?\d{3,4}-?\d{4}|1[5-9]\d{2}-?\d{4})$`)
)

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

// ValidPhone accepts Korean phone numbers with or without hyphens.
func ValidPhone(s string) bool { return phonePattern.MatchString(s) }

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
