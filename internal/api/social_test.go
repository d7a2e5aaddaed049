package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/auth"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/googleauth"
	"github.com/o2sound/o2sound/internal/googleauth/googletest"
	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

const (
	gClientID     = "o2sound-test.apps.googleusercontent.com"
	gClientSecret = "test-client-secret"
	gErrorPage    = "http://localhost:3300/auth/error"
)

// googleBundle is a running API with Google sign-in against a local issuer.
type googleBundle struct {
	*bundle
	iss *googletest.Issuer
}

// setupGoogle starts the API with Google configured; configure may change the
// config first (nil keeps it). The API sits behind a proxy (TRUST_PROXY), so tests
// choose client addresses with X-Forwarded-For.
func setupGoogle(t *testing.T, d store.Dialect, configure func(*config.Config)) *googleBundle {
	t.Helper()
	db := storetest.Open(t, d)
	fs, err := files.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The redirect URI names the server's own address, known only once it listens.
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	iss := googletest.New(t, gClientID, gClientSecret)
	cfg := &config.Config{
		SessionSecret: []byte(strings.Repeat("s", 32)), SessionIdle: time.Hour, SessionMaxAge: 24 * time.Hour,
		FrontendOrigins: []string{"http://localhost:3300", "https://app.example.com"}, DataDir: t.TempDir(), TrustProxy: true,
		Google: config.Google{ClientID: gClientID, ClientSecret: gClientSecret, RedirectURI: srv.URL + "/social/google/callback",
			ErrorURL: gErrorPage, IssuerURL: iss.URL},
	}
	if configure != nil {
		configure(cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	accounts := account.New(db, account.Options{Secret: cfg.SessionSecret, IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge, Logger: log})
	g, err := googleauth.New(db, googleauth.Options{Google: cfg.Google, Origins: cfg.FrontendOrigins, Secret: cfg.SessionSecret,
		Sessions: accounts, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	handler = api.New(api.Deps{Config: cfg, Logger: log, Version: "test", Ping: db.Ping, Accounts: accounts,
		Library: library.New(db, fs, log), Google: g}).Handler()
	return &googleBundle{bundle: &bundle{t: t, srv: srv, db: db, files: fs}, iss: iss}
}

// get fetches an absolute URL as browser c, without following redirects.
func (c *client) get(abs string, headers ...string) response {
	c.b.t.Helper()
	req, err := http.NewRequest("GET", abs, nil)
	if err != nil {
		c.b.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

func location(t testing.TB, r response) *url.URL {
	t.Helper()
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302: %s", r.status, r.body)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func setCookie(r response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// toGoogle starts a sign-in in browser c and returns Google's answer: the callback
// URL with code and state.
func (g *googleBundle) toGoogle(c *client, returnURL string) *url.URL {
	g.t.Helper()
	login := location(g.t, c.do("GET", "/social/google/login?return_url="+url.QueryEscape(returnURL), nil))
	if !strings.HasPrefix(login.String(), g.iss.URL+"/authorize?") {
		g.t.Fatalf("login redirected to %s", login)
	}
	return location(g.t, c.get(login.String()))
}

// signIn runs the whole browser flow and returns where the callback sent it.
func (g *googleBundle) signIn(c *client, returnURL string) *url.URL {
	g.t.Helper()
	return location(g.t, c.get(g.toGoogle(c, returnURL).String()))
}

func TestGoogleSignInFlow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		g := setupGoogle(t, d, nil)
		c := g.client()

		// login: a short-lived, HttpOnly, Lax state cookie and a redirect to the issuer.
		r := c.do("GET", "/social/google/login?return_url="+url.QueryEscape("http://localhost:3300/dashboard"), nil)
		login := location(t, r)
		sc := setCookie(r, "o2sound_google_state")
		if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.MaxAge != 600 || sc.Path != "/" ||
			sc.Value != login.Query().Get("state") {
			t.Fatalf("state cookie %+v for state %q", sc, login.Query().Get("state"))
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Error("login redirect is cacheable")
		}
		back := location(t, c.get(login.String()))

		// callback: session cookie, state cookie cleared, redirect with the one-time token.
		r = c.get(back.String())
		done := location(t, r)
		if done.Scheme+"://"+done.Host+done.Path != "http://localhost:3300/dashboard" || done.Query().Get("auth_success") != "true" {
			t.Fatalf("callback redirected to %s", done)
		}
		temp := done.Query().Get("token")
		if len(temp) < 43 {
			t.Fatalf("temp token %q", temp)
		}
		if sess := setCookie(r, "session"); sess == nil || !sess.HttpOnly || sess.Value == "" {
			t.Fatalf("no session cookie: %v", r.header["Set-Cookie"])
		}
		if sc := setCookie(r, "o2sound_google_state"); sc == nil || sc.MaxAge >= 0 {
			t.Errorf("state cookie not cleared: %+v", sc)
		}

		// token: the seed's shape once, without the refresh token.
		r = c.do("GET", "/social/google/token/"+temp, nil, "Origin", "http://localhost:3300")
		m := expect(t, r, 200, "")
		issued := g.iss.Issued()[0]
		if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3300" {
			t.Errorf("headers %v", r.header)
		}
		if len(m) != 4 || m["access_token"] != issued.AccessToken || m["token_type"] != "Bearer" || m["expires_in"].(float64) < 3500 {
			t.Errorf("token body %s", r.body)
		}
		if strings.Contains(string(r.body), "refresh") || strings.Contains(string(r.body), issued.RefreshToken) {
			t.Errorf("token body hands out the refresh token: %s", r.body)
		}
		ui := m["user_info"].(map[string]any)
		if ui["email"] != "user@gmail.com" || ui["name"] != "구글 사용자" || ui["picture"] != googletest.DefaultIdentity.Picture ||
			ui["google_id"] != googletest.DefaultIdentity.Subject || ui["id"] == "" {
			t.Errorf("user_info %v", ui)
		}

		// The session cookie works, and the seed's {"id": …} body names the same user.
		p := expect(t, c.do("POST", "/user/profile", map[string]any{"id": ui["id"]}), 200, "")
		if p["id"] != ui["id"] || p["email"] != "user@gmail.com" || p["user_id"] != "g_109876543210" {
			t.Errorf("profile %v", p)
		}

		// Once only.
		expect(t, c.do("GET", "/social/google/token/"+temp, nil), 404, o2sound.CodeTokenInvalid)
		// Signing in again is the same account.
		again := g.signIn(c, "")
		if again.String() == done.String() || again.Path != "/" {
			t.Errorf("second sign-in redirect %s", again)
		}
		m = expect(t, c.do("GET", "/social/google/token/"+again.Query().Get("token"), nil), 200, "")
		if m["user_info"].(map[string]any)["id"] != ui["id"] {
			t.Errorf("second sign-in made another account")
		}
	})
}

func TestGoogleNotConfigured(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, b *bundle) {
		c := b.client()
		for _, path := range []string{"/social/google/login?return_url=http://localhost:3300/", "/social/google/callback?code=x&state=y",
			"/social/google/token/" + auth.NewToken()} {
			m := expect(t, c.do("GET", path, nil), 503, o2sound.CodeOAuthUnavailable)
			if !strings.Contains(m["error_message"].(string), "not configured") {
				t.Errorf("%s: %v", path, m)
			}
		}
	}
	t.Run("no service", func(t *testing.T) { t.Parallel(); check(t, setup(t, store.SQLite)) })
	t.Run("no client secret", func(t *testing.T) {
		t.Parallel()
		check(t, setupGoogle(t, store.SQLite, func(c *config.Config) { c.Google.ClientSecret = "" }).bundle)
	})
}

func TestGoogleLoginRefusesOpenRedirects(t *testing.T) {
	t.Parallel()
	g := setupGoogle(t, store.SQLite, nil)
	c := g.client()
	for _, raw := range []string{
		"//evil.com", "//evil.com/dashboard", "https://app.example.com.evil.com/", "https://app@evil.com/",
		"https://app.example.com@evil.com", "javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)",
		"http://localhost:3300\\@evil.com", "/\\evil.com", "https://evil.com", "http://localhost:3300\r\nX: y",
		"https:evil.com", "data:text/html,x", "http://localhost:8000/", "https://localhost:3300/",
	} {
		r := c.do("GET", "/social/google/login?return_url="+url.QueryEscape(raw), nil)
		m := expect(t, r, 400, o2sound.CodeOAuthFailed)
		if r.header.Get("Location") != "" || len(r.header["Set-Cookie"]) != 0 || !strings.Contains(m["error_message"].(string), "return_url") {
			t.Errorf("%q: %d %v %s", raw, r.status, r.header, r.body)
		}
	}
	// Accepted: both configured origins, with or without a path.
	for _, raw := range []string{"", "http://localhost:3300", "https://app.example.com/welcome?x=1"} {
		location(t, c.do("GET", "/social/google/login?return_url="+url.QueryEscape(raw), nil))
	}
}

func TestGoogleSecureStateCookie(t *testing.T) {
	t.Parallel()
	g := setupGoogle(t, store.SQLite, func(c *config.Config) { c.CookieSecure = true })
	r := g.client().do("GET", "/social/google/login", nil)
	location(t, r)
	sc := setCookie(r, "__Host-o2sound_google_state")
	if sc == nil || !sc.Secure || sc.Path != "/" || sc.Domain != "" || !sc.HttpOnly {
		t.Fatalf("secure state cookie %+v (all: %v)", sc, r.header["Set-Cookie"])
	}
}

// TestGoogleCallbackRefusals drives each refusal through the real handlers: the
// browser lands on the error page with a fixed code, and is not signed in.
func TestGoogleCallbackRefusals(t *testing.T) {
	t.Parallel()
	type step func(g *googleBundle, c *client) response
	callback := func(g *googleBundle, c *client, q url.Values) response {
		return c.do("GET", "/social/google/callback?"+q.Encode(), nil)
	}
	tampered := func(edit func(map[string]any)) step {
		return func(g *googleBundle, c *client) response {
			g.iss.Tamper(edit)
			return c.get(g.toGoogle(c, "").String())
		}
	}
	for _, tc := range []struct {
		name string
		run  step
		code string
	}{
		{"wrong state", func(g *googleBundle, c *client) response {
			q := g.toGoogle(c, "").Query()
			q.Set("state", auth.NewToken())
			return callback(g, c, q)
		}, googleauth.FailState},
		{"missing state", func(g *googleBundle, c *client) response {
			q := g.toGoogle(c, "").Query()
			q.Del("state")
			return callback(g, c, q)
		}, googleauth.FailState},
		{"another browser's callback (login CSRF)", func(g *googleBundle, c *client) response {
			attacker := g.client()
			stolen := g.toGoogle(attacker, "")
			return c.get(stolen.String())
		}, googleauth.FailState},
		{"replayed callback", func(g *googleBundle, c *client) response {
			back := g.toGoogle(c, "")
			location(g.t, c.get(back.String()))
			// Replay with the state cookie put back, as an attacker holding both would.
			u, _ := url.Parse(g.srv.URL)
			c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "o2sound_google_state", Value: back.Query().Get("state"), Path: "/"}})
			c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "", Path: "/", MaxAge: -1}})
			return c.get(back.String())
		}, googleauth.FailState},
		{"replayed code", func(g *googleBundle, c *client) response {
			first := g.toGoogle(c, "")
			location(g.t, c.get(first.String()))
			c.hc.Jar.SetCookies(first, []*http.Cookie{{Name: "session", Value: "", Path: "/", MaxAge: -1}})
			q := g.toGoogle(c, "").Query() // a fresh login, its state cookie set…
			q.Set("code", first.Query().Get("code"))
			return callback(g, c, q) // …but the old code
		}, googleauth.FailExchange},
		{"user declined", func(g *googleBundle, c *client) response {
			g.iss.Deny("access_denied")
			return c.get(g.toGoogle(c, "").String())
		}, googleauth.FailAccessDenied},
		{"bad id token signature", func(g *googleBundle, c *client) response {
			g.iss.SignWith(googletest.OtherKey())
			return c.get(g.toGoogle(c, "").String())
		}, googleauth.FailIDToken},
		{"wrong audience", tampered(func(m map[string]any) { m["aud"] = "another-app.apps.googleusercontent.com" }), googleauth.FailIDToken},
		{"expired id token", tampered(func(m map[string]any) {
			m["iat"], m["exp"] = googletest.Now(-2*time.Hour), googletest.Now(-10*time.Minute)
		}), googleauth.FailIDToken},
		{"nonce mismatch", tampered(func(m map[string]any) { m["nonce"] = "attacker-nonce" }), googleauth.FailIDToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := setupGoogle(t, store.SQLite, nil)
			c := g.client()
			r := tc.run(g, c)
			dest := location(t, r)
			if dest.Scheme+"://"+dest.Host+dest.Path != gErrorPage || dest.RawQuery != "error="+tc.code {
				t.Fatalf("redirected to %s, want %s?error=%s", dest, gErrorPage, tc.code)
			}
			if s := setCookie(r, "session"); s != nil && s.Value != "" {
				t.Error("a failed callback set a session cookie")
			}
			if sc := setCookie(r, "o2sound_google_state"); sc == nil || sc.MaxAge >= 0 {
				t.Error("state cookie not cleared")
			}
			expect(t, c.do("POST", "/user/profile", nil), 401, o2sound.CodeUnauthenticated)
		})
	}
}

func TestGoogleTokenRefusals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		g := setupGoogle(t, d, nil)
		victim := g.client()
		token := func() string { return g.signIn(victim, "").Query().Get("token") }

		// From another browser: with no session, and with a session of its own.
		temp := token()
		attacker := g.client()
		expect(t, attacker.do("GET", "/social/google/token/"+temp, nil), 404, o2sound.CodeTokenInvalid)
		attacker = g.user("mallory")
		expect(t, attacker.do("GET", "/social/google/token/"+temp, nil), 404, o2sound.CodeTokenInvalid)
		// The victim's browser still gets it (refusals did not burn it), once.
		expect(t, victim.do("GET", "/social/google/token/"+temp, nil), 200, "")
		expect(t, victim.do("GET", "/social/google/token/"+temp, nil), 404, o2sound.CodeTokenInvalid)

		// Expired: 60 s.
		temp = token()
		g.db.SetClock(func() time.Time { return time.Now().Add(googleauth.TempTokenTTL + time.Second) })
		expect(t, victim.do("GET", "/social/google/token/"+temp, nil), 404, o2sound.CodeTokenInvalid)
		g.db.SetClock(time.Now)

		// 10 000 random guesses from one address, with a valid session of its own:
		// refused, and after 20 failures refused before any look-up (429).
		temp = token()
		start := time.Now()
		statuses := guess(t, g, attacker, 10_000, "203.0.113.66")
		took := time.Since(start)
		if statuses[200] != 0 || statuses[404] < 20 || statuses[404] > 20+guessWorkers || statuses[429] != 10_000-statuses[404] {
			t.Fatalf("guess outcomes %v", statuses)
		}
		t.Logf("10000 guesses in %v: %v", took, statuses)
		// The real token, from the guessing address, is refused too…
		m := expect(t, victim.do("GET", "/social/google/token/"+temp, nil, "X-Forwarded-For", "203.0.113.66"), 429, o2sound.CodeTooManyAttempts)
		if m["details"].(map[string]any)["retry_after_seconds"] == nil {
			t.Errorf("no retry hint: %v", m)
		}
		// …while the victim's own address is unaffected.
		expect(t, victim.do("GET", "/social/google/token/"+temp, nil), 200, "")
	})
}

const guessWorkers = 8

// guess sends n random token look-ups from client address addr as browser c and
// counts the statuses.
func guess(t *testing.T, g *googleBundle, c *client, n int, addr string) map[int]int {
	t.Helper()
	base, _ := url.Parse(g.srv.URL)
	cookies := c.hc.Jar.Cookies(base)
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		wg       sync.WaitGroup
		next     = make(chan struct{})
	)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: guessWorkers}, Timeout: 10 * time.Second}
	for range guessWorkers {
		wg.Go(func() {
			for range next {
				req, _ := http.NewRequestWithContext(context.Background(), "GET", g.srv.URL+"/social/google/token/"+auth.NewToken(), nil)
				req.Header.Set("X-Forwarded-For", addr)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				status := 0
				if resp, err := hc.Do(req); err == nil {
					var body struct {
						Code string `json:"error_code"`
					}
					json.NewDecoder(resp.Body).Decode(&body)
					io.Copy(io.Discard, resp.Body) // drained, so the connection is reused
					resp.Body.Close()
					status = resp.StatusCode
					if (status == 404 && body.Code != o2sound.CodeTokenInvalid) || (status == 429 && body.Code != o2sound.CodeTooManyAttempts) {
						status = -status
					}
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	for range n {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	return statuses
}

func TestGoogleEndpointsDocumented(t *testing.T) {
	t.Parallel()
	g := setupGoogle(t, store.SQLite, nil)
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(g.client().do("GET", "/openapi.json", nil).body, &spec); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/social/google/login", "/social/google/callback", "/social/google/token/{temp_token_id}"} {
		if spec.Paths[p]["get"] == nil {
			t.Errorf("openapi lacks GET %s", p)
		}
	}
}
