package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/o2sound/o2sound/internal/o2sound"
)

func TestRobotsRules(t *testing.T) {
	t.Parallel()
	const txt = `# shop robots
User-agent: *
Disallow: /admin
Disallow: /*.pdf$
Allow: /admin/public

User-agent: BadBot
Disallow: /

user-agent: o2soundbot/2.0
user-agent: OtherBot
Disallow: /private
Allow: /private/ok
Disallow: /search?q=*&page=
Disallow: /%7euser
Sitemap: https://example.com/sitemap.xml
`
	mine := parseRobots([]byte(txt), "O2SoundBot")
	star := parseRobots([]byte(txt), "SomeoneElse")
	cases := []struct {
		rules *robotsRules
		path  string
		want  bool
	}{
		{mine, "/", true},
		{mine, "/admin", true}, // our own group replaces the * group entirely
		{mine, "/private", false},
		{mine, "/private/page", false},
		{mine, "/private/ok", true},
		{mine, "/private/ok/deeper", true},
		{mine, "/search?q=x&page=2", false},
		{mine, "/search?q=x", true},
		{mine, "/%7Euser/home", false},
		{mine, "/robots.txt", true},
		{star, "/admin", false},
		{star, "/admin/public/x", true},
		{star, "/menu.pdf", false},
		{star, "/menu.pdf?x", true}, // $ anchors the end
		{star, "/private", true},
		{parseRobots([]byte("User-agent: *\nDisallow:\n"), "O2SoundBot"), "/anything", true},
		{parseRobots([]byte("User-agent: *\nDisallow: /\n"), "O2SoundBot"), "/", false},
		{parseRobots([]byte("User-agent: *\nDisallow: /\n"), "O2SoundBot"), "/robots.txt", true},
		{parseRobots([]byte("Disallow: /\n"), "O2SoundBot"), "/x", true}, // rule outside a group
		{parseRobots([]byte("garbage\n\x00\xff:::\n"), "O2SoundBot"), "/x", true},
		{parseRobots([]byte("User-agent: *\nAllow: /a\nDisallow: /a\n"), "O2SoundBot"), "/a", true}, // tie → allow
		{&robotsRules{disallowAll: true}, "/", false},
		{nil, "/", true},
	}
	for i, tc := range cases {
		if got := tc.rules.allowed(tc.path); got != tc.want {
			t.Errorf("case %d: allowed(%q) = %v, want %v", i, tc.path, got, tc.want)
		}
	}
}

func TestRobotsMatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/x", true},
		{"/a", "/abc", true},
		{"/a$", "/abc", false},
		{"/a$", "/a", true},
		{"/*.jpg", "/img/x.jpg", true},
		{"/*.jpg$", "/img/x.jpg?w=1", false},
		{"/*/b/*/d", "/a/b/c/d/e", true},
		{"*", "/anything", true},
		{"/a*b*c", "/aXXbYYc", true},
		{"/a*b*c", "/aXXbYY", false},
		{"/" + strings.Repeat("*a", 50), "/" + strings.Repeat("a", 2000) + "b", true},
	}
	for _, tc := range cases {
		if got := robotsMatch(tc.pattern, tc.path); got != tc.want {
			t.Errorf("robotsMatch(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

// TestRobotsFetching covers the HTTP side: status handling, caching, and a redirect from
// an allowed page onto a disallowed one.
func TestRobotsFetching(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		path   string
		code   string
	}{
		{"allowed", 200, "User-agent: *\nDisallow: /private\n", "/menu", ""},
		{"disallowed", 200, "User-agent: *\nDisallow: /private\n", "/private/x", o2sound.CodeCrawlRobots},
		{"everything disallowed for us", 200, "User-agent: O2SoundBot\nDisallow: /\n", "/", o2sound.CodeCrawlRobots},
		{"redirect onto a disallowed page", 200, "User-agent: *\nDisallow: /private\n", "/go-private", o2sound.CodeCrawlRobots},
		{"missing robots.txt", 404, "", "/private", ""},
		{"forbidden robots.txt", 403, "", "/private", ""},
		{"server error", 503, "", "/menu", o2sound.CodeCrawlRobots},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var robotsHits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/robots.txt":
					robotsHits.Add(1)
					w.WriteHeader(tc.status)
					fmt.Fprint(w, tc.body)
				case "/go-private":
					http.Redirect(w, r, "/private/page", http.StatusFound)
				default:
					fmt.Fprint(w, "<html>page</html>")
				}
			}))
			defer srv.Close()
			c := devClient(Options{})
			for range 3 {
				_, err := c.Get(context.Background(), Request{URL: srv.URL + tc.path, Robots: true})
				if tc.code == "" && err != nil {
					t.Fatal(err)
				}
				if tc.code != "" {
					wantCode(t, err, tc.code)
				}
			}
			if n := robotsHits.Load(); n != 1 {
				t.Errorf("robots.txt fetched %d times, want once (cached)", n)
			}
		})
	}
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private\nAllow: /private/ok\n"), "/private/x")
	f.Add([]byte("User-agent: O2SoundBot\nDisallow: /*.pdf$\n"), "/a.pdf")
	f.Add([]byte("user-agent:*\r\ndisallow:/\r\n"), "/")
	f.Add([]byte("User-agent: *\nDisallow: /%7e*$\n"), "/%7Ex")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body, "O2SoundBot")
		_ = r.allowed(path)
		if !r.allowed("/robots.txt") {
			t.Fatal("robots.txt itself must always be allowed")
		}
	})
}
