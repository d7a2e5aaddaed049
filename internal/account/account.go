// Package account is the service behind joining, signing in and out, sessions and
// profiles. Handlers call it; it calls the store and the auth primitives.
package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/phone"
	"github.com/o2sound/o2sound/internal/store"
)

// Service manages accounts and sessions.
type Service struct {
	db           *store.DB
	tokens       *auth.TokenHasher // hashes session tokens with Options.Secret
	idle, maxAge time.Duration
	byUser       *auth.Limiter // sign-ins per user_id
	byClient     *auth.Limiter // sign-ins per client address
	now          func() time.Time
	log          *slog.Logger
}

// Options configures a Service.
type Options struct {
	Secret         []byte        // keys session token hashes
	IdleTimeout    time.Duration // a session unused this long ends
	MaxAge         time.Duration // a session ends this long after sign-in regardless
	Logger         *slog.Logger
	UserFailures   int // failed logins per user_id per 15 minutes before 429 (default 5)
	ClientFailures int // failed logins per client per 15 minutes before 429 (default 20)
}

// New returns an account service.
func New(db *store.DB, o Options) *Service {
	if o.UserFailures == 0 {
		o.UserFailures = 5
	}
	if o.ClientFailures == 0 {
		o.ClientFailures = 20
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Service{
		db: db, tokens: auth.NewTokenHasher(o.Secret), idle: o.IdleTimeout, maxAge: o.MaxAge,
		byUser:   auth.NewLimiter(db, "login-user", o.UserFailures, auth.LimitWindow, o.Secret),
		byClient: auth.NewLimiter(db, "login-client", o.ClientFailures, auth.LimitWindow, o.Secret),
		now:      time.Now, log: o.Logger,
	}
}

// JoinRequest is a new account.
type JoinRequest struct {
	UserID, Name, Password, Email, PhoneNumber string
}

// Join creates an account.
func (s *Service) Join(ctx context.Context, r JoinRequest) (*o2sound.User, error) {
	r.Name = strings.TrimSpace(r.Name)
	r.Email = strings.TrimSpace(r.Email)
	var v o2sound.Validator
	v.Check(o2sound.ValidUserID(r.UserID), "user_id", "3–32 letters, digits, '_', '.' or '-', starting with a letter or digit")
	v.Check(o2sound.ValidName(r.Name), "name", "1–50 characters")
	v.Check(o2sound.ValidPassword(r.Password), "password", "8–128 characters")
	v.Check(r.Email == "" || o2sound.ValidEmail(r.Email), "email", "a valid email address")
	r.PhoneNumber = v.Phone("phone_number", r.PhoneNumber, phone.DefaultRegion)
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(r.Password)
	if err != nil {
		return nil, err
	}
	u := &o2sound.User{UserID: r.UserID, Name: r.Name, Email: r.Email, PhoneNumber: r.PhoneNumber, PasswordHash: hash}
	if err := s.db.CreateUser(ctx, u); err != nil {
		return nil, userConflict(err)
	}
	s.log.InfoContext(ctx, "account created", "user", u.ID)
	return u, nil
}

func userConflict(err error) error {
	switch {
	case store.ConflictOn(err, "users_user_id_key"):
		return &o2sound.Error{Code: o2sound.CodeUserIDTaken, Message: "this user_id is already registered", Err: err}
	case store.ConflictOn(err, "users_email_key"):
		return &o2sound.Error{Code: o2sound.CodeEmailTaken, Message: "this email is already registered to another account", Err: err}
	}
	return err
}

// Session is a signed-in session as the caller sees it: the token goes in the cookie.
type Session struct {
	Token     string
	User      *o2sound.User
	ExpiresAt time.Time
}

// Login checks a user_id and password and starts a new session. client identifies
// the caller's address for rate limiting. Wrong user and wrong password fail the same
// way, in about the same time.
func (s *Service) Login(ctx context.Context, userID, password, client string) (*Session, error) {
	userKey := strings.ToLower(userID)
	tooMany := func(wait time.Duration) error {
		return &o2sound.Error{Code: o2sound.CodeTooManyAttempts,
			Message: fmt.Sprintf("too many failed sign-ins; try again in %d minutes", int(wait.Minutes())+1),
			Details: map[string]int{"retry_after_seconds": int(wait.Seconds()) + 1}}
	}
	// Every attempt is counted before the password is checked (and given back when it
	// succeeds), so parallel guesses cannot all pass the limit at once.
	userTry, blocked, wait, err := s.byUser.TryFail(ctx, userKey)
	if err != nil {
		return nil, err
	}
	if blocked {
		return nil, tooMany(wait)
	}
	clientTry, blocked, wait, err := s.byClient.TryFail(ctx, client)
	if err != nil || blocked {
		s.undo(ctx, s.byUser, userTry)
		if err != nil {
			return nil, err
		}
		return nil, tooMany(wait)
	}
	invalid := &o2sound.Error{Code: o2sound.CodeInvalidLogin, Message: "wrong user_id or password"}
	if !o2sound.ValidPassword(password) {
		return nil, invalid
	}
	// No account has a user_id that Join would refuse; such text (a NUL, which
	// PostgreSQL rejects outright, say) is a wrong login and never reaches the database.
	if !o2sound.ValidUserID(userID) {
		auth.BurnVerify(password)
		return nil, invalid
	}
	u, err := s.db.UserByLogin(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		auth.BurnVerify(password)
		return nil, invalid
	}
	if err != nil {
		s.undo(ctx, s.byUser, userTry)
		s.undo(ctx, s.byClient, clientTry)
		return nil, err
	}
	if u.PasswordHash == "" { // a Google-only account has no password
		auth.BurnVerify(password)
		return nil, invalid
	}
	ok, err := auth.VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("account: verify password of %s: %w", u.ID, err)
	}
	if !ok {
		return nil, invalid
	}
	token := auth.NewToken()
	exp := s.now().Add(s.maxAge)
	err = s.db.CreatePasswordSession(ctx, &store.Session{TokenHash: s.tokens.Hash(token), OwnerID: u.ID, ExpiresAt: exp}, u.PasswordHash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid // the password was cleared (a Google link) while we checked it
	}
	if err != nil {
		return nil, err
	}
	if err := s.byUser.Reset(ctx, userKey); err != nil {
		s.log.WarnContext(ctx, "sign-in: forget failed attempts", "err", err)
	}
	s.undo(ctx, s.byClient, clientTry)
	return &Session{Token: token, User: u, ExpiresAt: exp}, nil
}

// StartSession creates a fresh session for u (a new token at every sign-in, so a
// token planted before sign-in is worthless).
func (s *Service) StartSession(ctx context.Context, u *o2sound.User) (*Session, error) {
	token := auth.NewToken()
	exp := s.now().Add(s.maxAge)
	if err := s.db.CreateSession(ctx, &store.Session{TokenHash: s.tokens.Hash(token), OwnerID: u.ID, ExpiresAt: exp}); err != nil {
		return nil, err
	}
	return &Session{Token: token, User: u, ExpiresAt: exp}, nil
}

// Authenticate returns the user of a session token, or an AUTH_004 error when the
// token is unknown, expired or idle too long. It is every signed-in request's first
// step, so it reads the session and its user in one query and writes only when the
// last recorded activity is over a minute old.
func (s *Service) Authenticate(ctx context.Context, token string) (*o2sound.User, error) {
	if token == "" || len(token) > 100 {
		return nil, errSignIn()
	}
	hash := s.tokens.Hash(token)
	sess, err := s.db.SessionOwner(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errSignIn()
	}
	if err != nil {
		return nil, err
	}
	u := sess.User
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.idle {
		if err := s.db.DeleteSession(ctx, hash); err != nil {
			s.log.WarnContext(ctx, "delete expired session", "err", err)
		}
		return nil, &o2sound.Error{Code: o2sound.CodeUnauthenticated, Message: "your session has expired; sign in again"}
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.db.TouchSession(ctx, hash); err != nil {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return u, nil
}

func errSignIn() error {
	return &o2sound.Error{Code: o2sound.CodeUnauthenticated, Message: "sign in first"}
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.db.DeleteSession(ctx, s.tokens.Hash(token))
}

// Cleanup removes expired sessions, and counted attempts no limit's window reaches;
// serve calls it periodically.
func (s *Service) Cleanup(ctx context.Context) (int64, error) {
	if _, err := s.db.DeleteAttemptsBefore(ctx, s.now().Add(-auth.LimitWindow)); err != nil {
		return 0, err
	}
	return s.db.DeleteExpiredSessions(ctx, s.idle)
}

// undo gives back an attempt that was not a failure. A store error here only
// leaves the attempt counted, so it is logged rather than returned.
func (s *Service) undo(ctx context.Context, l *auth.Limiter, a auth.Attempt) {
	if err := l.Undo(ctx, a); err != nil {
		s.log.WarnContext(ctx, "sign-in: give back an attempt", "err", err)
	}
}

// UpdateProfile changes a user's name, email and phone. The phone is stored in E.164;
// written without "+" it is read in the country of the user's number so far (Korean
// for none), so the national form the profile shows ("(512) 555-0147") comes back as
// the same number.
func (s *Service) UpdateProfile(ctx context.Context, userID, name, email, phoneNumber string) (*o2sound.User, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	region := phone.DefaultRegion
	if strings.TrimSpace(phoneNumber) != "" {
		cur, err := s.db.UserByID(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, &o2sound.Error{Code: o2sound.CodeUserNotFound, Message: "user not found"}
		}
		if err != nil {
			return nil, err
		}
		if n, err := phone.Parse(cur.PhoneNumber, phone.DefaultRegion); err == nil {
			region = n.Region
		}
	}
	var v o2sound.Validator
	v.Check(o2sound.ValidName(name), "name", "1–50 characters")
	v.Check(email == "" || o2sound.ValidEmail(email), "email", "a valid email address")
	phoneNumber = v.Phone("phone_number", phoneNumber, region)
	if err := v.Err(); err != nil {
		return nil, err
	}
	u, err := s.db.UpdateProfile(ctx, userID, name, email, phoneNumber)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, &o2sound.Error{Code: o2sound.CodeUserNotFound, Message: "user not found"}
		}
		return nil, userConflict(err)
	}
	return u, nil
}
