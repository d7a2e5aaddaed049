package googleauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// claims are the ID-token claims sign-in reads.
type claims struct {
	Subject         string   `json:"sub"`
	Email           string   `json:"email"`
	EmailVerified   flexBool `json:"email_verified"`
	Name            string   `json:"name"`
	GivenName       string   `json:"given_name"`
	Picture         string   `json:"picture"`
	AuthorizedParty string   `json:"azp"`
	HostedDomain    string   `json:"hd"` // the Workspace domain, for Workspace accounts
}

// flexBool reads a JSON boolean that some issuers (Google, in older tokens) send as
// the string "true".
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = flexBool(v)
	case string:
		*b = flexBool(strings.EqualFold(v, "true"))
	case nil:
		*b = false
	default:
		return fmt.Errorf("googleauth: email_verified is %T, not a boolean", v)
	}
	return nil
}

// verifiedEmail is the email Google vouches for, or "".
func (c *claims) verifiedEmail() string {
	if bool(c.EmailVerified) && o2sound.ValidEmail(c.Email) {
		return c.Email
	}
	return ""
}

// linkableEmail is the verified email when Google owns its proof of ownership today:
// a Gmail address, or a Workspace account whose hosted domain is the address's domain.
// For other addresses email_verified only says the address was verified when the
// Google account was made; the address may have changed hands since, so such an email
// never links to an existing O2Sound account.
func (c *claims) linkableEmail() string {
	email := c.verifiedEmail()
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	domain := strings.ToLower(email[at+1:])
	if domain == "gmail.com" || domain == "googlemail.com" || (c.HostedDomain != "" && strings.EqualFold(c.HostedDomain, domain)) {
		return email
	}
	return ""
}

// picture is the profile picture URL when it is a plain http(s) URL (it reaches the
// frontend, which may put it in an <img>).
func (c *claims) picture() string {
	if o2sound.ValidWebURL(c.Picture) {
		return c.Picture
	}
	return ""
}

// displayName is a name that passes the account rules: Google's, cut to the
// length limit, else the email's local part, else a generic one.
func (c *claims) displayName() string {
	for _, n := range []string{c.Name, c.GivenName, strings.Split(c.verifiedEmail(), "@")[0]} {
		n = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, strings.TrimSpace(n))
		if r := []rune(n); len(r) > o2sound.MaxNameLen {
			n = strings.TrimSpace(string(r[:o2sound.MaxNameLen]))
		}
		if o2sound.ValidName(n) {
			return n
		}
	}
	return "Google user"
}

// outcome says how findOrCreate found the user.
type outcome int

const (
	existing outcome = iota // already linked to this Google account
	linked                  // an account with the verified email, now linked
	created                 // a new Google-only account
)

// findOrCreate returns the account of Google subject c.Subject. An account is linked
// by email only when Google says the email is verified, and only when it is not
// already tied to another Google account; otherwise a new account is made (without
// the email when another account holds it, since emails are unique). Races with a
// concurrent sign-in of the same person end in a unique violation and a retry.
func (s *Service) findOrCreate(ctx context.Context, c *claims) (*o2sound.User, outcome, error) {
	for range 4 {
		u, err := s.db.UserByGoogleSub(ctx, c.Subject)
		if err == nil {
			return u, existing, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, 0, err
		}
		email := c.verifiedEmail()
		if linkable := c.linkableEmail(); linkable != "" {
			u, err := s.db.UserByEmail(ctx, linkable)
			switch {
			case err == nil && u.GoogleSub == "":
				if err := s.db.LinkGoogle(ctx, u.ID, c.Subject); err != nil {
					if store.ConflictOn(err, "google_sub") {
						continue
					}
					return nil, 0, err
				}
				u.GoogleSub = c.Subject
				return u, linked, nil
			case err == nil:
				email = "" // the address belongs to an account of another Google identity
			case !errors.Is(err, store.ErrNotFound):
				return nil, 0, err
			}
		} else if email != "" {
			// Verified but not linkable: the new account gets the address only if no
			// account holds it already.
			if _, err := s.db.UserByEmail(ctx, email); err == nil {
				email = ""
			} else if !errors.Is(err, store.ErrNotFound) {
				return nil, 0, err
			}
		}
		u, err = s.createUser(ctx, c, email)
		if store.ConflictOn(err, "google_sub") || store.ConflictOn(err, "email") {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		return u, created, nil
	}
	return nil, 0, fmt.Errorf("googleauth: account for google subject kept conflicting")
}

// createUser makes a Google-only account (no password) with a login name derived
// from the subject: g_ and its first 12 letters or digits, with a random suffix if
// that is taken.
func (s *Service) createUser(ctx context.Context, c *claims, email string) (*o2sound.User, error) {
	base := "g_" + loginPart(c.Subject)
	var err error
	for i := range 5 {
		userID := base
		if i > 0 {
			userID = base + "_" + auth.RandomName(3)
		}
		if !o2sound.ValidUserID(userID) {
			return nil, fmt.Errorf("googleauth: derived user_id %q is invalid", userID)
		}
		u := &o2sound.User{UserID: userID, Name: c.displayName(), Email: email, GoogleSub: c.Subject}
		err = s.db.CreateUser(ctx, u)
		if store.ConflictOn(err, "users_user_id_key") {
			continue
		}
		if err != nil {
			return nil, err
		}
		return u, nil
	}
	return nil, err
}

// loginPart is up to 12 ASCII letters and digits of sub (Google's subjects are
// digits), or random ones when sub has none.
func loginPart(sub string) string {
	var b strings.Builder
	for _, r := range sub {
		if b.Len() == 12 {
			break
		}
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return auth.RandomName(6)
	}
	return b.String()
}
