package googleauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

var testOrigins = []string{"http://localhost:3300", "https://app.example.com"}

func TestCheckReturnURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw, want string // want "" means refused
	}{
		{"", "http://localhost:3300/"},
		{"http://localhost:3300/dashboard", "http://localhost:3300/dashboard"},
		{"http://localhost:3300", "http://localhost:3300/"},
		{"http://localhost:3300/a/b?x=1#frag", "http://localhost:3300/a/b?x=1#frag"},
		{"https://app.example.com/", "https://app.example.com/"},
		{"https://APP.Example.COM/home", "https://app.example.com/home"},
		{"HTTPS://app.example.com/home", "https://app.example.com/home"},
		{"https://app.example.com:443/home", "https://app.example.com:443/home"},
		{"http://localhost:3300//evil.com", "http://localhost:3300//evil.com"}, // a path on our frontend

		// Pages of the owners' web page on this server.
		{"/app/", "/app/"},
		{"/app", "/app"},
		{"/app/new?url=https%3A%2F%2Fcafe.example", "/app/new?url=https%3A%2F%2Fcafe.example"},
		{"/app/videos/abc#top", ""}, // fragments are cleaned with the path: see below
		{"/app#/../../auth/logout", ""},
		{"/app/x#/../../../docs/?a", ""},
		{"/app/./../docs", ""},
		{"/application", ""},
		{"/app/../admin", ""},
		{"/app/..", ""},
		{"/\\evil.com/app/", ""},
		{"/\tevil.com", ""},
		{"///evil.com/app/", ""},

		{"//evil.com", ""},
		{"//app.example.com/", ""},
		{"/dashboard", ""},
		{"dashboard", ""},
		{"https://app.example.com.evil.com/", ""},
		{"https://evil.com/https://app.example.com", ""},
		{"https://app@evil.com/", ""},
		{"https://app.example.com@evil.com/", ""},
		{"https://user:pass@app.example.com/", ""},
		{"javascript:alert(1)", ""},
		{"JavaScript://app.example.com/%0aalert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"https:app.example.com", ""},
		{"https:/app.example.com/", ""},
		{"http://app.example.com/", ""},            // wrong scheme
		{"https://localhost:3300/", ""},            // wrong scheme
		{"http://localhost:3301/", ""},             // wrong port
		{"http://localhost/", ""},                  // default port is not 3300
		{"http://localhost:3300\\@evil.com/", ""},  // browsers read \ as /
		{"https://app.example.com\\.evil.com", ""}, // the same, inside the host
		{"http://localhost:3300/\r\nLocation: x", ""},
		{"http://localhost:3300/\x00", ""},
		{" http://localhost:3300/", ""},
		{"http://localhost:3300/\t", ""},
		{"http://ｌocalhost:3300/", ""}, // full-width letter
		{"http://localhost:3300/" + strings.Repeat("a", 2048), ""},
		{"ftp://localhost:3300/", ""},
		{"http://[::1]:3300/", ""},
		{"http://localhost:3300:80/", ""},
	} {
		got, err := CheckReturnURL(tc.raw, testOrigins)
		if tc.want == "" {
			if err == nil {
				t.Errorf("CheckReturnURL(%q) = %q, want refusal", tc.raw, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CheckReturnURL(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
	if _, err := CheckReturnURL("", nil); err == nil {
		t.Error("no origins and no return_url: want an error")
	}
}

// FuzzCheckReturnURL: whatever is accepted parses back to a configured origin, with
// nothing a browser could read differently.
func FuzzCheckReturnURL(f *testing.F) {
	for _, s := range []string{"", "http://localhost:3300/x", "//evil.com", "https://app@evil.com", "javascript:x",
		"https://app.example.com.evil.com", "http://localhost:3300\\@evil.com", "https://app.example.com:443/?a#b",
		"/app/new?url=x", "/app/../x", "/\\evil.com", "/app#/../../auth/logout", "/app/%2e%2e/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := CheckReturnURL(raw, testOrigins)
		if err != nil {
			return
		}
		if strings.ContainsAny(got, "\\\r\n\t ") {
			t.Fatalf("accepted %q as %q: contains characters browsers reinterpret", raw, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.User != nil || u.Opaque != "" {
			t.Fatalf("accepted %q as %q, which does not parse cleanly: %v", raw, got, err)
		}
		if IsLocalReturn(got) {
			// A page of this server: a path under /app, never "//" (another host).
			if u.Scheme != "" || u.Host != "" || strings.HasPrefix(got, "//") || (u.Path != "/app" && !strings.HasPrefix(u.Path, "/app/")) {
				t.Fatalf("accepted %q as the local page %q", raw, got)
			}
			if again, err := CheckReturnURL(got, testOrigins); err != nil || again != got {
				t.Fatalf("not stable: %q → %q → %q, %v", raw, got, again, err)
			}
			// What the browser is really sent: http.Redirect rewrites relative paths.
			rec := httptest.NewRecorder()
			http.Redirect(rec, httptest.NewRequest("GET", "http://o2sound.test/social/google/callback", nil), got, http.StatusFound)
			loc, err := url.Parse(rec.Header().Get("Location"))
			if err != nil || loc.Host != "" || (loc.Path != "/app" && !strings.HasPrefix(loc.Path, "/app/")) {
				t.Fatalf("accepted %q as %q, redirected to %q", raw, got, rec.Header().Get("Location"))
			}
			return
		}
		o := origin(u.Scheme, u.Host)
		if o != "http://localhost:3300" && o != "https://app.example.com" {
			t.Fatalf("accepted %q as %q with origin %q", raw, got, o)
		}
		if again, err := CheckReturnURL(got, testOrigins); err != nil || again != got {
			t.Fatalf("not stable: %q → %q → %q, %v", raw, got, again, err)
		}
	})
}
