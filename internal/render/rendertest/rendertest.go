// Package rendertest holds the fixtures that tests of the renderer and of its callers
// (the crawler) share: the browser or a skip, a renderer that may reach one fixture
// server and nothing else, and a server of fixed pages.
package rendertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/render"
)

// Browser finds Chromium; CI must have it, a laptop without it skips.
func Browser(t testing.TB) string {
	t.Helper()
	if p := render.FindChromium(""); p != "" {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing (scripts/install-deps.sh --test installs it)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// Options let the browser at execPath reach exactly srv: its address and its port, and
// nothing else on loopback — as production allows only public addresses.
func Options(srv *httptest.Server, execPath string) render.Options {
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	return render.Options{
		ExecPath: execPath,
		Fetch: fetch.Options{
			AllowedPrefixes: []netip.Prefix{netip.PrefixFrom(ap.Addr(), 32)},
			AllowedPorts:    []int{int(ap.Port())},
		},
	}
}

// Site serves pages by path, typed by their suffix (.js, .json, .jpg, else HTML); any
// other path is 404. It is closed when the test ends.
func Site(t testing.TB, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript")
		case strings.HasSuffix(r.URL.Path, ".json"):
			w.Header().Set("Content-Type", "application/json")
		case strings.HasSuffix(r.URL.Path, ".jpg"):
			w.Header().Set("Content-Type", "image/jpeg")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}
