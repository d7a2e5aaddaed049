package api_test

import (
	"net/url"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// TestGoogleSignInFromTheOwnersPage: the web page at /app/ starts Google sign-in
// with a path of its own as return_url. Success lands back on that page signed in
// by the session cookie (no one-time token in the address); a failure lands on the
// page's sign-in view with the failure code, not on the seed frontend's error page.
func TestGoogleSignInFromTheOwnersPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		g := setupGoogle(t, d, nil)
		c := g.client()

		r := c.do("GET", "/social/google/login?return_url="+url.QueryEscape("/app/new?url=https://cafe.example"), nil)
		login := location(t, r)
		if ac := setCookie(r, "o2sound_google_app"); ac == nil || !ac.HttpOnly || ac.MaxAge <= 0 {
			t.Fatalf("no app marker cookie: %v", r.header["Set-Cookie"])
		}
		back := location(t, c.get(login.String()))
		r = c.get(back.String())
		done := location(t, r)
		if done.String() != "/app/new?url=https://cafe.example" {
			t.Fatalf("callback redirected to %q, want the page it started from", done)
		}
		if setCookie(r, "session") == nil {
			t.Fatal("no session cookie")
		}
		if ac := setCookie(r, "o2sound_google_app"); ac == nil || ac.MaxAge >= 0 {
			t.Errorf("app marker cookie not cleared: %+v", ac)
		}
		p := expect(t, c.do("POST", "/user/profile", map[string]any{}), 200, "")
		if p["email"] != "user@gmail.com" {
			t.Errorf("profile %v", p)
		}

		// Declined at Google: back to the page's sign-in view, with the code.
		b := g.client()
		cb := g.toGoogle(b, "/app/")
		q := cb.Query()
		q.Del("code")
		q.Set("error", "access_denied")
		cb.RawQuery = q.Encode()
		failed := location(t, b.get(cb.String()))
		if failed.Path != "/app/signin" || failed.Query().Get("google_error") != "access_denied" || failed.Host != "" {
			t.Fatalf("failure redirected to %q", failed)
		}
		// A seed frontend's sign-in still fails to GOOGLE_ERROR_URL.
		s := g.client()
		cb = g.toGoogle(s, "http://localhost:3300/dashboard")
		q = cb.Query()
		q.Set("state", "forged")
		cb.RawQuery = q.Encode()
		if failed := location(t, s.get(cb.String())); failed.Scheme+"://"+failed.Host+failed.Path != gErrorPage {
			t.Fatalf("seed frontend failure redirected to %q", failed)
		}

		// Paths outside the owners' page, and other hosts spelled as paths, are refused.
		for _, bad := range []string{"/admin", "//evil.example/app/", "/app/../admin"} {
			expect(t, g.client().do("GET", "/social/google/login?return_url="+url.QueryEscape(bad), nil), 400, o2sound.CodeOAuthFailed)
		}
	})
}
