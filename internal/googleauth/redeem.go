package googleauth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// TokenInfo is what the frontend gets for a one-time token: the seed's shape without
// the refresh token.
type TokenInfo struct {
	AccessToken string
	TokenType   string
	ExpiresIn   int
	User        UserInfo
}

// UserInfo describes the signed-in user. ID is the O2Sound account id, the one every
// /user/* body carries; GoogleID is Google's subject.
type UserInfo struct {
	ID       string
	Email    string
	Name     string
	Picture  string
	GoogleID string
}

// Redeem uses up a one-time token. sessionToken is the caller's session cookie: it
// must be the session the sign-in created. Unknown, used, expired and other-session
// tokens all fail alike (AUTH_008) and count against client; past the limit the
// client is refused (AUTH_005, 429) before any look-up.
func (s *Service) Redeem(ctx context.Context, tempToken, sessionToken, client string) (*TokenInfo, error) {
	if !s.Enabled() {
		return nil, errNotConfigured
	}
	// Each look-up is counted before it is made, so parallel guesses cannot all pass
	// the limit at once; a token that is good gives its count back.
	lookup, blocked, wait, err := s.lookups.TryFail(ctx, client)
	if err != nil {
		return nil, err
	}
	if blocked {
		return nil, retryLater(o2sound.CodeTooManyAttempts, "too many unknown sign-in tokens from your address", wait)
	}
	refuse := &o2sound.Error{Code: o2sound.CodeTokenInvalid,
		Message: "this sign-in token is unknown, already used, expired or belongs to another browser session; sign in again"}
	if tempToken == "" || len(tempToken) > maxToken || sessionToken == "" || len(sessionToken) > maxToken {
		return nil, refuse
	}
	t, err := s.db.ClaimTempToken(ctx, s.hash("temp", tempToken), auth.TokenHash(s.secret, sessionToken))
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse
	}
	if uerr := s.lookups.Undo(ctx, lookup); uerr != nil {
		s.log.WarnContext(ctx, "google sign-in: give back a look-up", "err", uerr)
	}
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByID(ctx, t.OwnerID)
	if err != nil {
		return nil, err
	}
	access, err := s.seal.open(t.AccessToken, "access:"+t.TokenHash)
	if err != nil {
		return nil, err
	}
	return &TokenInfo{
		AccessToken: access, TokenType: "Bearer",
		ExpiresIn: max(int(t.AccessExpiresAt.Sub(s.now()).Seconds()), 0),
		User:      UserInfo{ID: u.ID, Email: u.Email, Name: u.Name, Picture: t.Picture, GoogleID: u.GoogleSub},
	}, nil
}

// ErrNoRefreshToken means Google has not given this user's grant a refresh token.
var ErrNoRefreshToken = errors.New("googleauth: no Google refresh token stored for this user")

// RefreshToken returns the user's Google refresh token, decrypted, for calls O2Sound
// makes to Google on the user's behalf. It is never sent to a browser.
func (s *Service) RefreshToken(ctx context.Context, ownerID string) (string, error) {
	if !s.Enabled() {
		return "", errNotConfigured
	}
	t, err := s.db.GoogleTokenOf(ctx, ownerID)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrNoRefreshToken
	}
	if err != nil {
		return "", err
	}
	if t.RefreshToken == "" {
		return "", ErrNoRefreshToken
	}
	return s.seal.open(t.RefreshToken, "refresh:"+ownerID)
}

func retryLater(code, msg string, wait time.Duration) error {
	return &o2sound.Error{Code: code,
		Message: fmt.Sprintf("%s; try again in %d minutes", msg, int(wait.Minutes())+1),
		Details: map[string]int{"retry_after_seconds": int(wait.Seconds()) + 1}}
}
