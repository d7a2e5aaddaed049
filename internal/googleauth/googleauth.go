// Package googleauth is Google sign-in: the seed's login → callback → one-time token
// flow, with the holes that flow invites closed.
//
//   - Begin checks return_url against the frontend origins, stores a single-use state
//     (bound to the browser by a cookie the handler sets), a PKCE S256 verifier and a
//     nonce, and returns Google's authorisation URL.
//   - Complete consumes the state, exchanges the code with the verifier, verifies the
//     ID token (signature, issuer, audience, expiry, nonce), finds or creates the user
//     (linking by email only when Google says the email is verified), starts a session
//     and makes a one-time token valid for 60 s, bound to that session.
//   - Redeem hands the frontend Google's access token and the user once, only to the
//     browser session the sign-in created, and rate-limits guessing per client.
//
// Google's refresh token never leaves the server: it is stored encrypted (see sealer).
// Any OpenID Connect issuer with discovery works, which is how the tests run against
// a local one (googletest).
package googleauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

const (
	// StateTTL is how long a sign-in may take between login and callback.
	StateTTL = 10 * time.Minute
	// TempTokenTTL is how long the one-time token lives after the callback.
	TempTokenTTL = 60 * time.Second

	// maxToken bounds every token-like input before it is hashed or looked up;
	// ours are 43 characters.
	maxToken = 128
	// outboundTimeout bounds each call to Google (discovery, code exchange, keys).
	outboundTimeout = 15 * time.Second
)

// Scopes requested from Google: identity only.
var Scopes = []string{oidc.ScopeOpenID, "email", "profile"}

// Sessions starts a browser session for a user; *account.Service is one.
type Sessions interface {
	StartSession(ctx context.Context, u *o2sound.User) (*account.Session, error)
}

// Options configures a Service.
type Options struct {
	Google config.Google
	// Origins are the frontend origins a sign-in may return to (FRONTEND_ORIGINS).
	Origins []string
	// Secret is SESSION_SECRET_KEY: it keys the hashes of states and one-time tokens
	// (and of session tokens, which temp tokens are bound to) and, through HKDF, the
	// encryption of Google's tokens at rest.
	Secret   []byte
	Sessions Sessions
	// HTTPClient makes the calls to Google; nil means a client with a 15 s timeout.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// LookupFailures is how many failed one-time-token look-ups a client address may
	// make per 15 minutes before it is refused with 429 (default 20).
	LookupFailures int
	// Starts is how many sign-ins a client address may start per 15 minutes
	// (default 100): each stores a row until it expires.
	Starts int
}

// Service runs Google sign-in. The zero of configuration (no client id, secret or
// redirect URI) is a valid, disabled Service: every call answers AUTH_006.
type Service struct {
	db       *store.DB
	cfg      config.Google
	origins  []string
	secret   []byte
	seal     *sealer
	sessions Sessions
	http     *http.Client
	log      *slog.Logger
	now      func() time.Time
	lookups  *auth.Limiter // failed one-time-token look-ups per client
	starts   *auth.Limiter // sign-ins started per client

	mu       sync.Mutex // guards the discovered provider
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier

	lastSweep atomic.Int64 // unix seconds of the last expired-row sweep
}

// New returns the service. It does not contact Google: the issuer is discovered at
// the first sign-in, so start-up does not depend on Google being reachable.
func New(db *store.DB, o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: outboundTimeout}
	}
	if o.LookupFailures == 0 {
		o.LookupFailures = 20
	}
	if o.Starts == 0 {
		o.Starts = 100
	}
	s := &Service{
		db: db, cfg: o.Google, origins: o.Origins, secret: o.Secret, sessions: o.Sessions,
		http: o.HTTPClient, log: o.Logger, now: time.Now,
	}
	if db != nil {
		s.lookups = auth.NewLimiter(db, "google-lookup", o.LookupFailures, auth.LimitWindow, o.Secret)
		s.starts = auth.NewLimiter(db, "google-start", o.Starts, auth.LimitWindow, o.Secret)
	}
	if !o.Google.Enabled() {
		return s, nil
	}
	if o.Sessions == nil || db == nil {
		return nil, errors.New("googleauth: a database and a session starter are required")
	}
	if u, err := url.Parse(o.Google.RedirectURI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("googleauth: GOOGLE_REDIRECT_URI %q is not an absolute http(s) URL", o.Google.RedirectURI)
	}
	if u, err := url.Parse(o.Google.ErrorURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("googleauth: GOOGLE_ERROR_URL %q is not an absolute http(s) URL", o.Google.ErrorURL)
	}
	var err error
	if s.seal, err = newSealer(o.Secret); err != nil {
		return nil, err
	}
	return s, nil
}

// Enabled reports whether Google sign-in is configured. A nil Service is disabled.
func (s *Service) Enabled() bool { return s != nil && s.cfg.Enabled() && s.seal != nil }

var errNotConfigured = &o2sound.Error{Code: o2sound.CodeOAuthUnavailable,
	Message: "Google sign-in is not configured on this server (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI)"}

// ErrNotConfigured is the AUTH_006 error every call returns when sign-in is disabled.
func ErrNotConfigured() error { return errNotConfigured }

// client returns the OAuth configuration and ID-token verifier, discovering the
// issuer on first use. A failed discovery is not cached: the next sign-in retries.
func (s *Service) client(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oauth != nil {
		return s.oauth, s.verifier, nil
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.http), outboundTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, s.cfg.IssuerURL)
	if err != nil {
		return nil, nil, fmt.Errorf("googleauth: discover %s: %w", s.cfg.IssuerURL, err)
	}
	ep := p.Endpoint()
	// Client credentials go in the form body, which Google accepts. Left to
	// auto-detection, oauth2 would retry a refused exchange with the other style,
	// spending the single-use code twice and hiding the first refusal's reason.
	ep.AuthStyle = oauth2.AuthStyleInParams
	s.oauth = &oauth2.Config{
		ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, RedirectURL: s.cfg.RedirectURI,
		Endpoint: ep, Scopes: Scopes,
	}
	// The key set outlives this request: it gets a context carrying only the client.
	s.verifier = p.VerifierContext(oidc.ClientContext(context.WithoutCancel(ctx), s.http),
		&oidc.Config{ClientID: s.cfg.ClientID, Now: func() time.Time { return s.now() }})
	return s.oauth, s.verifier, nil
}

// Login is a started sign-in: send the browser to AuthURL and set a cookie holding
// State for MaxAge.
type Login struct {
	AuthURL string
	State   string
	MaxAge  time.Duration
	Local   bool // the sign-in returns to the owners' page on this server
}

// Begin starts a sign-in that returns to returnURL (empty: the first frontend
// origin). client is the caller's address, for rate limiting.
func (s *Service) Begin(ctx context.Context, returnURL, client string) (*Login, error) {
	if !s.Enabled() {
		return nil, errNotConfigured
	}
	ret, err := CheckReturnURL(returnURL, s.origins)
	if err != nil {
		return nil, &o2sound.Error{Code: o2sound.CodeOAuthFailed, Message: err.Error()}
	}
	if _, blocked, wait, err := s.starts.TryFail(ctx, client); err != nil {
		return nil, err
	} else if blocked {
		return nil, retryLater(o2sound.CodeRateLimited, "too many sign-ins started from your address", wait)
	}
	oc, _, err := s.client(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "google sign-in: issuer unreachable", "err", err)
		return nil, &o2sound.Error{Code: o2sound.CodeUnavailable, Message: "Google sign-in is unreachable right now; try again shortly", Err: err}
	}
	s.sweep(ctx)
	state, nonce, verifier := auth.NewToken(), auth.NewToken(), oauth2.GenerateVerifier()
	hash := s.hash("state", state)
	st := &store.OAuthState{StateHash: hash, Nonce: nonce, Verifier: s.seal.seal(verifier, "pkce:"+hash), ReturnURL: ret}
	if err := s.db.CreateOAuthState(ctx, st, StateTTL); err != nil {
		return nil, err
	}
	authURL := oc.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce), oauth2.AccessTypeOffline)
	return &Login{AuthURL: authURL, State: state, MaxAge: StateTTL, Local: IsLocalReturn(ret)}, nil
}

// sweep deletes expired sign-in rows at most once a minute, so the tables stay small
// without a scheduler of their own.
func (s *Service) sweep(ctx context.Context) {
	now := s.now().Unix()
	last := s.lastSweep.Load()
	if now-last < 60 || !s.lastSweep.CompareAndSwap(last, now) {
		return
	}
	if _, err := s.db.DeleteExpiredOAuth(ctx); err != nil {
		s.log.WarnContext(ctx, "google sign-in: sweep expired rows", "err", err)
	}
}

// hash is the stored form of a state or one-time token: an HMAC under the server
// secret, with the kind mixed in so the two can never stand for each other.
func (s *Service) hash(kind, token string) string {
	return auth.TokenHash(s.secret, "google-"+kind+":"+token)
}

// Callback is what the browser brings back from Google.
type Callback struct {
	State        string // the state query parameter
	BrowserState string // the state cookie set by the login redirect
	Code         string // the authorisation code
	Error        string // Google's error parameter, when the user declined or Google failed
}

// SignIn is a completed sign-in: set Session's cookie and redirect to RedirectURL.
type SignIn struct {
	Session     *account.Session
	RedirectURL string
	Created     bool // a new account was made
	Linked      bool // an existing account was linked by its verified email
}

// Failure is a sign-in that could not be completed. Code is short and fixed, safe
// to put in the error page's URL; Err is the cause, for the log only.
type Failure struct {
	Code string
	Err  error
}

func (f *Failure) Error() string {
	return "googleauth: sign-in failed (" + f.Code + "): " + f.Err.Error()
}
func (f *Failure) Unwrap() error { return f.Err }

// Failure codes sent to GOOGLE_ERROR_URL as ?error=….
const (
	FailAccessDenied = "access_denied"    // the user declined at Google
	FailProvider     = "provider_error"   // Google reported another error
	FailState        = "invalid_state"    // state missing, wrong, used, expired or not this browser's
	FailRequest      = "invalid_request"  // no code
	FailExchange     = "exchange_failed"  // Google refused the code (replayed, PKCE, client)
	FailIDToken      = "invalid_id_token" // signature, issuer, audience, expiry, nonce or claims
	FailUnavailable  = "unavailable"      // the issuer could not be reached
	FailServer       = "server_error"     // our side failed
)

// Causes the tests (and logs) can tell apart; users see only the failure code.
var (
	errStateMismatch = errors.New("state parameter missing or not the one this browser started")
	errStateUnknown  = errors.New("state unknown, already used or expired")
	errNoCode        = errors.New("no authorisation code")
	errNoIDToken     = errors.New("token response has no id_token")
	errNonce         = errors.New("id_token nonce does not match the sign-in's")
	errAZP           = errors.New("id_token azp is not this client")
	errSubject       = errors.New("id_token has no usable subject")
)

func fail(code string, err error) *Failure { return &Failure{Code: code, Err: err} }

// FailureCode is the error-page code for an error from Complete.
func FailureCode(err error) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Code
	}
	return FailServer
}

// FailureURL is the configured error page with ?error=code added.
func (s *Service) FailureURL(code string) string {
	return addQuery(s.cfg.ErrorURL, url.Values{"error": {code}})
}

// Complete finishes a sign-in from Google's redirect. Any error is a *Failure.
func (s *Service) Complete(ctx context.Context, cb Callback) (*SignIn, error) {
	if !s.Enabled() {
		return nil, fail(FailServer, errNotConfigured)
	}
	if cb.State == "" || len(cb.State) > maxToken || subtle.ConstantTimeCompare([]byte(cb.State), []byte(cb.BrowserState)) != 1 {
		return nil, fail(FailState, errStateMismatch)
	}
	st, err := s.db.TakeOAuthState(ctx, s.hash("state", cb.State))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fail(FailState, errStateUnknown)
	}
	if err != nil {
		return nil, fail(FailServer, err)
	}
	switch {
	case cb.Error == "access_denied":
		return nil, fail(FailAccessDenied, errors.New("the user declined"))
	case cb.Error != "":
		return nil, fail(FailProvider, fmt.Errorf("google: %.100q", cb.Error))
	case cb.Code == "" || len(cb.Code) > 2048:
		return nil, fail(FailRequest, errNoCode)
	}
	verifier, err := s.seal.open(st.Verifier, "pkce:"+st.StateHash)
	if err != nil {
		return nil, fail(FailServer, err)
	}
	oc, idv, err := s.client(ctx)
	if err != nil {
		return nil, fail(FailUnavailable, err)
	}
	xctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.http), outboundTimeout)
	defer cancel()
	tok, err := oc.Exchange(xctx, cb.Code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fail(FailExchange, err)
	}
	c, err := s.verifyIDToken(xctx, idv, tok, st.Nonce)
	if err != nil {
		return nil, fail(FailIDToken, err)
	}

	u, outcome, err := s.findOrCreate(ctx, c)
	if err != nil {
		return nil, fail(FailServer, err)
	}
	scope, _ := tok.Extra("scope").(string)
	if err := s.db.SaveGoogleToken(ctx, &store.GoogleToken{OwnerID: u.ID, GoogleSub: c.Subject,
		RefreshToken: s.seal.seal(tok.RefreshToken, "refresh:"+u.ID), Scope: scope}); err != nil {
		return nil, fail(FailServer, err)
	}
	sess, err := s.sessions.StartSession(ctx, u)
	if err != nil {
		return nil, fail(FailServer, err)
	}
	s.log.InfoContext(ctx, "google sign-in", "user", u.ID, "created", outcome == created, "linked", outcome == linked)
	if IsLocalReturn(st.ReturnURL) {
		// The owners' page is on this server and signed in by the session cookie;
		// it has no use for Google's access token, so no one-time token is made.
		return &SignIn{Session: sess, RedirectURL: st.ReturnURL, Created: outcome == created, Linked: outcome == linked}, nil
	}
	temp := auth.NewToken()
	th := s.hash("temp", temp)
	accessExp := tok.Expiry
	if accessExp.IsZero() {
		accessExp = s.now().Add(time.Hour) // Google always sends expires_in; this is a floor for others
	}
	if err := s.db.CreateTempToken(ctx, &store.TempToken{
		TokenHash: th, OwnerID: u.ID, SessionHash: auth.TokenHash(s.secret, sess.Token),
		AccessToken: s.seal.seal(tok.AccessToken, "access:"+th), AccessExpiresAt: accessExp, Picture: c.picture(),
	}, TempTokenTTL); err != nil {
		return nil, fail(FailServer, err)
	}
	return &SignIn{
		Session:     sess,
		RedirectURL: addQuery(st.ReturnURL, url.Values{"token": {temp}, "auth_success": {"true"}}),
		Created:     outcome == created, Linked: outcome == linked,
	}, nil
}

// verifyIDToken checks the ID token of a token response: go-oidc checks signature
// (against the issuer's published keys), issuer, audience and expiry; this adds the
// nonce, the authorised party and the access-token hash.
func (s *Service) verifyIDToken(ctx context.Context, idv *oidc.IDTokenVerifier, tok *oauth2.Token, nonce string) (*claims, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, errNoIDToken
	}
	idt, err := idv.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return nil, errNonce
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, err
		}
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		return nil, fmt.Errorf("googleauth: id_token claims: %w", err)
	}
	if c.AuthorizedParty != "" && c.AuthorizedParty != s.cfg.ClientID {
		return nil, errAZP
	}
	if c.Subject == "" || len(c.Subject) > 255 || !o2sound.ValidText(c.Subject, 255) {
		return nil, errSubject
	}
	return &c, nil
}

// addQuery returns raw with v added to its query (before any fragment). raw is
// always one of ours: a checked return URL or the configured error page.
func addQuery(raw string, v url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}
