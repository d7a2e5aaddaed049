package googleauth

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/googleauth/googletest"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

const (
	testClientID     = "o2sound-test.apps.googleusercontent.com"
	testClientSecret = "test-client-secret"
	testRedirect     = "http://localhost:8000/social/google/callback"
)

var testSecret = []byte(strings.Repeat("s", 32))

type fixture struct {
	t        *testing.T
	db       *store.DB
	iss      *googletest.Issuer
	svc      *Service
	accounts *account.Service
}

func setup(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.Open(t, d)
	iss := googletest.New(t, testClientID, testClientSecret)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	acc := account.New(db, account.Options{Secret: testSecret, IdleTimeout: time.Hour, MaxAge: 24 * time.Hour, Logger: log})
	svc, err := New(db, Options{
		Google: config.Google{ClientID: testClientID, ClientSecret: testClientSecret, RedirectURI: testRedirect,
			ErrorURL: "http://localhost:3300/auth/error", IssuerURL: iss.URL},
		Origins: testOrigins, Secret: testSecret, Sessions: acc, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, iss: iss, svc: svc, accounts: acc}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

var noRedirects = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// approve sends the browser to the issuer's authorisation URL and returns the
// callback parameters the issuer redirects back with.
func (f *fixture) approve(authURL string) url.Values {
	f.t.Helper()
	resp, err := noRedirects.Get(authURL)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		f.t.Fatalf("issuer authorize: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), testRedirect+"?") {
		f.t.Fatalf("issuer redirected to %q", resp.Header.Get("Location"))
	}
	return loc.Query()
}

// signIn runs a whole sign-in as one browser: begin, approve, callback.
func (f *fixture) signIn(returnURL string) (*SignIn, error) {
	f.t.Helper()
	login, err := f.svc.Begin(context.Background(), returnURL, "192.0.2.1")
	if err != nil {
		f.t.Fatal(err)
	}
	back := f.approve(login.AuthURL)
	return f.svc.Complete(context.Background(), Callback{State: back.Get("state"), BrowserState: login.State,
		Code: back.Get("code"), Error: back.Get("error")})
}

func (f *fixture) mustSignIn() *SignIn {
	f.t.Helper()
	si, err := f.signIn("http://localhost:3300/dashboard")
	if err != nil {
		f.t.Fatal(err)
	}
	return si
}

// tempToken pulls the one-time token out of a success redirect.
func tempToken(t *testing.T, si *SignIn) string {
	t.Helper()
	u, err := url.Parse(si.RedirectURL)
	if err != nil || u.Query().Get("auth_success") != "true" {
		t.Fatalf("success redirect %q", si.RedirectURL)
	}
	return u.Query().Get("token")
}

// countUsers is how many accounts the default Google identity has (0 or 1).
func (f *fixture) countUsers() int {
	f.t.Helper()
	if _, err := f.db.UserByGoogleSub(context.Background(), googletest.DefaultIdentity.Subject); err == nil {
		return 1
	}
	return 0
}

func TestBeginAuthURL(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, f *fixture) {
		login, err := f.svc.Begin(context.Background(), "", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(login.AuthURL)
		q := u.Query()
		if u.Scheme+"://"+u.Host != f.iss.URL || u.Path != "/authorize" {
			t.Errorf("auth URL %s is not the issuer's authorization endpoint", login.AuthURL)
		}
		for k, want := range map[string]string{"client_id": testClientID, "redirect_uri": testRedirect, "response_type": "code",
			"scope": "openid email profile", "code_challenge_method": "S256", "access_type": "offline", "state": login.State} {
			if q.Get(k) != want {
				t.Errorf("%s = %q, want %q", k, q.Get(k), want)
			}
		}
		if len(q.Get("code_challenge")) != 43 || len(q.Get("nonce")) < 43 || len(login.State) < 43 {
			t.Errorf("challenge %q, nonce %q, state %q: want ≥ 256-bit values", q.Get("code_challenge"), q.Get("nonce"), login.State)
		}
		if login.MaxAge != StateTTL {
			t.Errorf("MaxAge %v", login.MaxAge)
		}
		// Stored hashed and encrypted: the row holds neither the state nor the verifier.
		st, err := f.db.TakeOAuthState(context.Background(), f.svc.hash("state", login.State))
		if err != nil {
			t.Fatal(err)
		}
		if st.StateHash == login.State || !strings.HasPrefix(st.Verifier, sealVersion) || st.ReturnURL != "http://localhost:3300/" {
			t.Errorf("stored state %+v", st)
		}
		// Two logins never share a state or nonce.
		other, _ := f.svc.Begin(context.Background(), "", "192.0.2.1")
		ou, _ := url.Parse(other.AuthURL)
		if other.State == login.State || ou.Query().Get("nonce") == q.Get("nonce") || ou.Query().Get("code_challenge") == q.Get("code_challenge") {
			t.Error("a second login reused state, nonce or challenge")
		}
	})
}

func TestBeginRefusals(t *testing.T) {
	t.Parallel()
	f := setup(t, store.SQLite)
	for _, raw := range []string{"//evil.com", "https://app.example.com.evil.com", "https://app@evil.com", "javascript:alert(1)"} {
		if _, err := f.svc.Begin(context.Background(), raw, "192.0.2.1"); o2sound.ErrorCode(err) != o2sound.CodeOAuthFailed {
			t.Errorf("Begin(%q): %v, want AUTH_007", raw, err)
		}
	}
	// The issuer cannot be reached: a clear 503, and no state stored.
	dead := googletest.New(t, testClientID, testClientSecret)
	svc, _ := New(f.db, Options{Google: config.Google{ClientID: testClientID, ClientSecret: testClientSecret, RedirectURI: testRedirect,
		ErrorURL: "http://localhost:3300/auth/error", IssuerURL: dead.URL + "/nowhere"}, Origins: testOrigins, Secret: testSecret, Sessions: f.accounts, Logger: f.svc.log})
	if _, err := svc.Begin(context.Background(), "", "192.0.2.1"); o2sound.ErrorCode(err) != o2sound.CodeUnavailable {
		t.Errorf("unreachable issuer: %v, want SERVER_002", err)
	}
	// Starting sign-ins is limited per client.
	limited, _ := New(f.db, Options{Google: f.svc.cfg, Origins: testOrigins, Secret: testSecret, Sessions: f.accounts, Starts: 3})
	for i := range 4 {
		_, err := limited.Begin(context.Background(), "", "198.51.100.7")
		if i < 3 && err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		if i == 3 && o2sound.ErrorCode(err) != o2sound.CodeRateLimited {
			t.Fatalf("start %d: %v, want REQ_006", i, err)
		}
	}
	if _, err := limited.Begin(context.Background(), "", "198.51.100.8"); err != nil {
		t.Errorf("another client was limited too: %v", err)
	}
}

func TestDisabled(t *testing.T) {
	t.Parallel()
	for name, svc := range map[string]*Service{
		"nil": nil,
		"unconfigured": func() *Service {
			s, err := New(nil, Options{Google: config.Google{ClientID: "only-an-id"}})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}(),
	} {
		if svc.Enabled() {
			t.Errorf("%s: enabled", name)
		}
		if _, err := svc.Begin(context.Background(), "", "c"); o2sound.ErrorCode(err) != o2sound.CodeOAuthUnavailable {
			t.Errorf("%s: Begin: %v", name, err)
		}
		if _, err := svc.Redeem(context.Background(), "t", "s", "c"); o2sound.ErrorCode(err) != o2sound.CodeOAuthUnavailable {
			t.Errorf("%s: Redeem: %v", name, err)
		}
		if _, err := svc.Complete(context.Background(), Callback{}); err == nil {
			t.Errorf("%s: Complete succeeded", name)
		}
	}
	if _, err := New(nil, Options{Google: config.Google{ClientID: "a", ClientSecret: "b", RedirectURI: "/relative",
		ErrorURL: "http://localhost:3300/auth/error"}, Secret: testSecret, Sessions: &account.Service{}}); err == nil {
		t.Error("relative GOOGLE_REDIRECT_URI accepted")
	}
}

// TestCallbackRefusals covers every way a callback must fail: the state checks, the
// code exchange, and each ID-token check. None may leave a session or an account.
func TestCallbackRefusals(t *testing.T) {
	t.Parallel()
	type run func(f *fixture) (*SignIn, error)
	// begin returns a started login and the issuer's answer for it.
	begin := func(f *fixture) (*Login, url.Values) {
		login, err := f.svc.Begin(context.Background(), "http://localhost:3300/dashboard", "192.0.2.1")
		if err != nil {
			f.t.Fatal(err)
		}
		return login, f.approve(login.AuthURL)
	}
	complete := func(f *fixture, state, browser, code string) (*SignIn, error) {
		return f.svc.Complete(context.Background(), Callback{State: state, BrowserState: browser, Code: code})
	}
	tampered := func(edit func(c map[string]any)) run {
		return func(f *fixture) (*SignIn, error) { f.iss.Tamper(edit); return f.signIn("") }
	}
	for _, tc := range []struct {
		name  string
		run   run
		code  string
		cause error  // when set, errors.Is must hold
		issue string // when set, the issuer's last refusal
	}{
		{name: "missing state", code: FailState, cause: errStateMismatch, run: func(f *fixture) (*SignIn, error) {
			login, back := begin(f)
			return complete(f, "", login.State, back.Get("code"))
		}},
		{name: "missing state cookie", code: FailState, cause: errStateMismatch, run: func(f *fixture) (*SignIn, error) {
			_, back := begin(f)
			return complete(f, back.Get("state"), "", back.Get("code"))
		}},
		{name: "state of another browser", code: FailState, cause: errStateMismatch, run: func(f *fixture) (*SignIn, error) {
			other, _ := begin(f) // the attacker's login: its state is valid, but not this browser's
			_, back := begin(f)
			return complete(f, other.State, back.Get("state"), back.Get("code"))
		}},
		{name: "forged state", code: FailState, cause: errStateUnknown, run: func(f *fixture) (*SignIn, error) {
			_, back := begin(f)
			forged := auth.NewToken()
			return complete(f, forged, forged, back.Get("code"))
		}},
		{name: "replayed state", code: FailState, cause: errStateUnknown, run: func(f *fixture) (*SignIn, error) {
			login, back := begin(f)
			if _, err := complete(f, login.State, login.State, back.Get("code")); err != nil {
				f.t.Fatal(err)
			}
			// Same request again: the state was used up by the first.
			return complete(f, login.State, login.State, back.Get("code"))
		}},
		{name: "expired state", code: FailState, cause: errStateUnknown, run: func(f *fixture) (*SignIn, error) {
			login, back := begin(f)
			f.db.SetClock(func() time.Time { return time.Now().Add(StateTTL + time.Second) })
			return complete(f, login.State, login.State, back.Get("code"))
		}},
		{name: "replayed code", code: FailExchange, issue: "code already used", run: func(f *fixture) (*SignIn, error) {
			login, back := begin(f)
			if _, err := complete(f, login.State, login.State, back.Get("code")); err != nil {
				f.t.Fatal(err)
			}
			// A fresh login of the same browser, but the old code.
			login2, _ := begin(f)
			return complete(f, login2.State, login2.State, back.Get("code"))
		}},
		{name: "code of another login (PKCE)", code: FailExchange, issue: "PKCE verification failed", run: func(f *fixture) (*SignIn, error) {
			// The attacker's code, injected into the victim's login: the victim's
			// verifier does not match the attacker's challenge.
			_, attacker := begin(f)
			victim, _ := begin(f)
			return complete(f, victim.State, victim.State, attacker.Get("code"))
		}},
		{name: "missing code", code: FailRequest, cause: errNoCode, run: func(f *fixture) (*SignIn, error) {
			login, _ := begin(f)
			return complete(f, login.State, login.State, "")
		}},
		{name: "user declined", code: FailAccessDenied, run: func(f *fixture) (*SignIn, error) {
			f.iss.Deny("access_denied")
			return f.signIn("")
		}},
		{name: "provider error", code: FailProvider, run: func(f *fixture) (*SignIn, error) {
			f.iss.Deny("<script>server_error</script>")
			return f.signIn("")
		}},
		{name: "bad signature", code: FailIDToken, run: func(f *fixture) (*SignIn, error) {
			f.iss.SignWith(googletest.OtherKey())
			return f.signIn("")
		}},
		{name: "wrong audience", code: FailIDToken, run: tampered(func(c map[string]any) { c["aud"] = "someone-else.apps.googleusercontent.com" })},
		{name: "extra audience, azp not us", code: FailIDToken, cause: errAZP, run: tampered(func(c map[string]any) {
			c["aud"] = []string{testClientID, "other"}
			c["azp"] = "other"
		})},
		{name: "wrong issuer", code: FailIDToken, run: tampered(func(c map[string]any) { c["iss"] = "https://accounts.google.com" })},
		{name: "expired id token", code: FailIDToken, run: tampered(func(c map[string]any) {
			c["iat"], c["exp"] = googletest.Now(-2*time.Hour), googletest.Now(-time.Hour)
		})},
		{name: "nonce mismatch", code: FailIDToken, cause: errNonce, run: tampered(func(c map[string]any) { c["nonce"] = auth.NewToken() })},
		{name: "nonce missing", code: FailIDToken, cause: errNonce, run: tampered(func(c map[string]any) { delete(c, "nonce") })},
		{name: "access token hash mismatch", code: FailIDToken, run: tampered(func(c map[string]any) { c["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA" })},
		{name: "no subject", code: FailIDToken, cause: errSubject, run: tampered(func(c map[string]any) { c["sub"] = "" })},
		{name: "no id token", code: FailIDToken, cause: errNoIDToken, run: func(f *fixture) (*SignIn, error) {
			f.iss.OmitIDToken(true)
			return f.signIn("")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, store.SQLite)
			f.t = t
			si, err := tc.run(f)
			if err == nil {
				t.Fatalf("signed in: %+v", si)
			}
			if got := FailureCode(err); got != tc.code {
				t.Fatalf("failure code %q, want %q: %v", got, tc.code, err)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("cause %v, want %v", err, tc.cause)
			}
			if tc.issue != "" {
				r := f.iss.Refusals()
				if len(r) == 0 || r[len(r)-1] != tc.issue {
					t.Errorf("issuer refusals %q, want last %q", r, tc.issue)
				}
			}
			if strings.Contains(f.svc.FailureURL(tc.code), "<") {
				t.Error("failure URL reflects input")
			}
			// Only the replay cases signed in once before failing.
			want := 0
			if tc.name == "replayed state" || tc.name == "replayed code" {
				want = 1
			}
			if n := f.countUsers(); n != want {
				t.Errorf("%d accounts for the Google subject, want %d", n, want)
			}
		})
	}
}

func TestFailureURL(t *testing.T) {
	t.Parallel()
	f := setup(t, store.SQLite)
	if got := f.svc.FailureURL(FailState); got != "http://localhost:3300/auth/error?error=invalid_state" {
		t.Errorf("FailureURL = %q", got)
	}
	f.svc.cfg.ErrorURL = "https://app.example.com/auth/error?lang=ko#top"
	if got := f.svc.FailureURL(FailState); got != "https://app.example.com/auth/error?error=invalid_state&lang=ko#top" {
		t.Errorf("FailureURL with query = %q", got)
	}
	if FailureCode(errors.New("x")) != FailServer {
		t.Error("plain error is not server_error")
	}
}

func TestSignInAndRedeem(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		si := f.mustSignIn()
		if !si.Created || si.Linked || si.Session == nil || si.Session.Token == "" {
			t.Fatalf("sign-in %+v", si)
		}
		u := si.Session.User
		if u.UserID != "g_109876543210" || u.Email != "user@gmail.com" || u.Name != "구글 사용자" || u.PasswordHash != "" {
			t.Errorf("new account %+v", u)
		}
		ru, _ := url.Parse(si.RedirectURL)
		if ru.Host != "localhost:3300" || ru.Path != "/dashboard" {
			t.Errorf("redirect %q", si.RedirectURL)
		}
		temp := tempToken(t, si)
		if len(temp) < 43 {
			t.Errorf("temp token %q carries fewer than 256 bits", temp)
		}
		if got, err := f.accounts.Authenticate(ctx, si.Session.Token); err != nil || got.ID != u.ID {
			t.Fatalf("session: %v", err)
		}

		issued := f.iss.Issued()[0]
		info, err := f.svc.Redeem(ctx, temp, si.Session.Token, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if info.AccessToken != issued.AccessToken || info.TokenType != "Bearer" || info.ExpiresIn < 3500 || info.ExpiresIn > 3600 {
			t.Errorf("token info %+v", info)
		}
		if info.User != (UserInfo{ID: u.ID, Email: "user@gmail.com", Name: "구글 사용자",
			Picture: googletest.DefaultIdentity.Picture, GoogleID: googletest.DefaultIdentity.Subject}) {
			t.Errorf("user info %+v", info.User)
		}
		// Once only.
		if _, err := f.svc.Redeem(ctx, temp, si.Session.Token, "192.0.2.1"); o2sound.ErrorCode(err) != o2sound.CodeTokenInvalid {
			t.Errorf("second use: %v", err)
		}

		// The refresh token is kept, encrypted, and readable only on the server.
		gt, err := f.db.GoogleTokenOf(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(gt.RefreshToken, issued.RefreshToken) || gt.RefreshToken == "" || gt.GoogleSub != googletest.DefaultIdentity.Subject {
			t.Errorf("stored grant %+v", gt)
		}
		if rt, err := f.svc.RefreshToken(ctx, u.ID); err != nil || rt != issued.RefreshToken {
			t.Errorf("RefreshToken = %q, %v", rt, err)
		}

		// Signing in again finds the same account and a new session.
		again := f.mustSignIn()
		if again.Created || again.Linked || again.Session.User.ID != u.ID || again.Session.Token == si.Session.Token {
			t.Errorf("second sign-in %+v", again)
		}
		if rt, _ := f.svc.RefreshToken(ctx, u.ID); rt != f.iss.Issued()[1].RefreshToken {
			t.Errorf("refresh token not replaced by the newer grant")
		}
		if _, err := f.svc.RefreshToken(ctx, "0196a3f4-0000-7000-8000-000000000000"); !errors.Is(err, ErrNoRefreshToken) {
			t.Errorf("other user's refresh token: %v", err)
		}
	})
}

func TestAccountLinking(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		join := func(login, email string) *o2sound.User {
			u, err := f.accounts.Join(ctx, account.JoinRequest{UserID: login, Name: "가입자", Password: "securepassword123", Email: email})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner := join("owner1", "owner@gmail.com")
		squatted := join("squatter", "victim@example.com")

		// Verified email: linked to the existing password account.
		f.iss.SetIdentity(googletest.Identity{Subject: "111", Email: "Owner@Gmail.com", EmailVerified: true, Name: "Owner"})
		si := f.mustSignIn()
		if !si.Linked || si.Session.User.ID != owner.ID {
			t.Fatalf("verified email: %+v, want linked to %s", si, owner.ID)
		}
		// The password chosen before is cleared: O2Sound never verified that address, so
		// whoever set it may have pre-registered someone else's email.
		if u, _ := f.db.UserByID(ctx, owner.ID); u.GoogleSub != "111" || u.PasswordHash != "" {
			t.Errorf("linked account %+v: subject not recorded or the old password still works", u)
		}

		// Unverified email: never linked; a separate Google-only account without the email.
		f.iss.SetIdentity(googletest.Identity{Subject: "222", Email: "victim@example.com", EmailVerified: false, Name: "Mallory"})
		si = f.mustSignIn()
		if si.Linked || !si.Created || si.Session.User.ID == squatted.ID || si.Session.User.Email != "" {
			t.Fatalf("unverified email: %+v", si.Session.User)
		}
		if u, _ := f.db.UserByID(ctx, squatted.ID); u.GoogleSub != "" {
			t.Errorf("account linked on an unverified email")
		}

		// Verified, but the email's account belongs to another Google identity.
		f.iss.SetIdentity(googletest.Identity{Subject: "333", Email: "owner@gmail.com", EmailVerified: true, Name: "Other"})
		si = f.mustSignIn()
		if si.Linked || si.Session.User.ID == owner.ID || si.Session.User.Email != "" {
			t.Fatalf("email of another Google identity: %+v", si.Session.User)
		}

		// Verified, but neither Gmail nor the Workspace domain of the address: Google only
		// vouches it was verified once, and it may have changed hands, so it never links.
		f.iss.SetIdentity(googletest.Identity{Subject: "666", Email: "victim@example.com", EmailVerified: true, Name: "Former"})
		si = f.mustSignIn()
		if si.Linked || si.Session.User.ID == squatted.ID || si.Session.User.Email != "" {
			t.Fatalf("non-Gmail verified email linked: %+v", si.Session.User)
		}
		// A Workspace account of that domain (hd claim) does link.
		f.iss.SetIdentity(googletest.Identity{Subject: "777", Email: "victim@example.com", EmailVerified: true, Name: "Workspace"})
		f.iss.Tamper(func(c map[string]any) { c["hd"] = "example.com" })
		si = f.mustSignIn()
		f.iss.Tamper(nil)
		if !si.Linked || si.Session.User.ID != squatted.ID {
			t.Fatalf("Workspace email not linked: %+v", si.Session.User)
		}

		// A brand-new verified user gets the email; "true" as a string counts.
		f.iss.SetIdentity(googletest.Identity{Subject: "444", Email: "new@gmail.com", Name: ""})
		f.iss.Tamper(func(c map[string]any) { c["email_verified"] = "true" })
		si = f.mustSignIn()
		f.iss.Tamper(nil)
		if !si.Created || si.Session.User.Email != "new@gmail.com" || si.Session.User.Name != "new" {
			t.Errorf("new user: %+v", si.Session.User)
		}

		// Subjects that collide in their first 12 characters still get distinct logins.
		f.iss.SetIdentity(googletest.Identity{Subject: "555555555555-a", Name: strings.Repeat("긴", 80)})
		a := f.mustSignIn().Session.User
		f.iss.SetIdentity(googletest.Identity{Subject: "555555555555-b", Name: "\x00\x01"})
		b := f.mustSignIn().Session.User
		if a.UserID != "g_555555555555" || !strings.HasPrefix(b.UserID, "g_555555555555_") || !o2sound.ValidUserID(b.UserID) {
			t.Errorf("user ids %q, %q", a.UserID, b.UserID)
		}
		if len([]rune(a.Name)) != o2sound.MaxNameLen || b.Name != "Google user" {
			t.Errorf("names %q, %q", a.Name, b.Name)
		}
		// The Google-only account cannot sign in with a password.
		if _, err := f.accounts.Login(ctx, a.UserID, "", "192.0.2.1"); err == nil {
			t.Error("password sign-in to a Google-only account")
		}
	})
}

func TestFlexBool(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"TRUE"`: true, `"false"`: false, `""`: false, `null`: false} {
		var b flexBool
		if err := b.UnmarshalJSON([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("%s → %v, %v", in, b, err)
		}
	}
	var b flexBool
	if err := b.UnmarshalJSON([]byte(`1`)); err == nil {
		t.Error("number accepted as email_verified")
	}
}
