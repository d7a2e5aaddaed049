package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/crawl/crawltest"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/render"
	"github.com/o2sound/o2sound/internal/render/rendertest"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// spaSite is a create-react-app style site: the HTML is a shell, and the name, the
// description and the photos exist only after its script has fetched them.
func spaSite(t *testing.T) *httptest.Server {
	t.Helper()
	pages := map[string]string{
		"/": `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<meta name="description" content="Web site created using create-react-app">
<title>React App</title><script defer src="/static/js/main.js"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`,
		"/static/js/main.js": `fetch("/api/shop.json").then(r => r.json()).then(s => {
  document.title = s.name + " | " + s.tagline;
  document.getElementById("root").innerHTML =
    "<header><h1>" + s.name + "</h1></header><main><p>" + s.about + "</p>" +
    s.photos.map(p => '<img src="' + p.src + '" alt="' + p.alt + '">').join("") +
    "<address>" + s.address + "</address></main>";
});`,
		"/api/shop.json": `{"name":"카페 블루문","tagline":"연남동 로스터리",
"about":"연남동 골목의 작은 로스터리 카페입니다. 매일 아침 직접 볶은 원두로 라테와 핸드드립을 내립니다.",
"address":"서울특별시 마포구 동교로 123",
"photos":[{"src":"/media/latte.jpg","alt":"라테"},{"src":"/media/interior.jpg","alt":"매장 내부"}]}`,
	}
	pages["/media/latte.jpg"] = string(crawltest.JPEG(crawltest.Scene("latte", 1, 960, 640), 80))
	pages["/media/interior.jpg"] = string(crawltest.JPEG(crawltest.Scene("interior", 2, 960, 640), 80))
	return rendertest.Site(t, pages)
}

func TestCrawlRendersSinglePageApp(t *testing.T) {
	t.Parallel()
	srv := spaSite(t)
	for _, mode := range []RenderMode{RenderAuto, RenderAlways} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			opts := testOptions(t)
			opts.Render, opts.Renderer = mode, render.New(rendertest.Options(srv, rendertest.Browser(t)))
			res, err := Crawl(context.Background(), srv.URL+"/", opts)
			if err != nil {
				t.Fatal(err)
			}
			p := res.Profile
			if p.Name != "카페 블루문" {
				t.Errorf("name %q", p.Name)
			}
			if !strings.Contains(p.Description, "작은 로스터리 카페") {
				t.Errorf("description %q", p.Description)
			}
			if p.Address == "" {
				t.Errorf("no address: %+v", p)
			}
			if len(res.Images) != 2 {
				t.Fatalf("images %+v, dropped %+v", res.Images, res.Dropped)
			}
			for _, im := range res.Images {
				if _, err := os.Stat(im.Path); err != nil || !strings.HasPrefix(im.SourceURL, srv.URL+"/media/") {
					t.Errorf("image %+v: %v", im, err)
				}
			}
		})
	}
}

// TestCrawlShellWithoutRendering: the same site with rendering off or no browser gives
// CRAWL_006, and the message says whether rendering was available.
func TestCrawlShellWithoutRendering(t *testing.T) {
	t.Parallel()
	srv := spaSite(t)
	missing := render.New(render.Options{ExecPath: filepath.Join(t.TempDir(), "no-chromium")})
	cases := []struct {
		name     string
		mode     RenderMode
		renderer Renderer
		says     string
	}{
		{"off", RenderOff, nil, "If the site needs JavaScript"},
		{"auto, no renderer", RenderAuto, nil, "not available"},
		{"auto, no chromium", RenderAuto, missing, "not available"},
		{"always, no chromium", RenderAlways, missing, "not available"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions(t)
			opts.Render, opts.Renderer = tc.mode, tc.renderer
			_, err := Crawl(context.Background(), srv.URL+"/", opts)
			var ce *fetch.Error
			if !errors.As(err, &ce) || ce.Code != o2sound.CodeCrawlNothingUsable || !strings.Contains(ce.Message, tc.says) {
				t.Fatalf("got %v, want %s saying %q", err, o2sound.CodeCrawlNothingUsable, tc.says)
			}
		})
	}
}

// TestCrawlTitleOnlyShell: a page whose only content is its title names the business,
// whether or not it is rendered.
func TestCrawlTitleOnlyShell(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"/plain/":  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>카페 블루문</title></head><body></body></html>`,
		"/script/": `<!DOCTYPE html><html><head><meta charset="utf-8"><title>카페 블루문</title><script src="/app.js"></script></head><body><div id="app"></div></body></html>`,
		"/app.js":  `console.log("nothing to show");`,
	}
	srv := rendertest.Site(t, pages)
	exec := rendertest.Browser(t)
	for _, path := range []string{"/plain/", "/script/"} {
		for _, mode := range []RenderMode{RenderOff, RenderAuto, RenderAlways} {
			t.Run(strings.Trim(path, "/")+"/"+string(mode), func(t *testing.T) {
				t.Parallel()
				opts := testOptions(t)
				opts.Render, opts.Renderer = mode, render.New(rendertest.Options(srv, exec))
				res, err := Crawl(context.Background(), srv.URL+path, opts)
				if err != nil {
					t.Fatal(err)
				}
				if res.Profile.Name != "카페 블루문" {
					t.Errorf("name %q", res.Profile.Name)
				}
			})
		}
	}
}

// TestCrawlRenderOffNeverStartsChromium: with CRAWL_RENDER=off the browser is never
// run, even for a shell; with always it is (so the probe does see a start).
func TestCrawlRenderOffNeverStartsChromium(t *testing.T) {
	t.Parallel()
	srv := spaSite(t)
	real := rendertest.Browser(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "started")
	probe := filepath.Join(dir, "chromium")
	script := fmt.Sprintf("#!/bin/sh\necho started >> %q\nexec %q \"$@\"\n", marker, real)
	if err := os.WriteFile(probe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Render, opts.Renderer = RenderOff, render.New(rendertest.Options(srv, probe))
	if _, err := Crawl(context.Background(), srv.URL+"/", opts); fetch.ErrorCode(err) != o2sound.CodeCrawlNothingUsable {
		t.Fatalf("off: %v", err)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatalf("render off started the browser (%v)", err)
	}
	opts.Render = RenderAlways
	res, err := Crawl(context.Background(), srv.URL+"/", opts)
	if err != nil || res.Profile.Name != "카페 블루문" {
		t.Fatalf("always: %v", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("render always did not start the probe: %v", err)
	}
}

func TestIsShell(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, html string
		shell      bool
	}{
		{"create-react-app", `<html><head><title>React App</title><script src="/main.js"></script></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`, true},
		{"inline script, loading text", `<html><body><div id="app">Loading…</div><script>boot()</script></body></html>`, true},
		{"title only, no script", `<html><head><title>카페 블루문</title></head><body></body></html>`, false},
		{"static page with text", `<html><body><h1>카페 블루문</h1><p>` + strings.Repeat("연남동 골목의 작은 로스터리 카페입니다. ", 8) + `</p><script src="/a.js"></script></body></html>`, false},
		{"script and a photo", `<html><body><img src="/latte.jpg"><script src="/a.js"></script></body></html>`, false},
		{"script and og:image", `<html><head><meta property="og:image" content="/a.jpg"><script src="/a.js"></script></head><body></body></html>`, false},
		{"only JSON-LD", `<html><head><script type="application/ld+json">{"@type":"CafeOrCoffeeShop","name":"X"}</script></head><body></body></html>`, false},
	}
	for _, tc := range cases {
		if got := isShell(htmltext.ParseHTML(tc.html)); got != tc.shell {
			t.Errorf("%s: isShell = %v, want %v", tc.name, got, tc.shell)
		}
	}
}

func TestParseRenderMode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]RenderMode{"": RenderAuto, "auto": RenderAuto, "OFF": RenderOff, " always ": RenderAlways} {
		if got, err := ParseRenderMode(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	if _, err := ParseRenderMode("sometimes"); err == nil {
		t.Error("sometimes: no error")
	}
}

func TestBoilerplateDescription(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"Web site created using create-react-app": true,
		"Generated by create next app":            true,
		"연남동 골목의 작은 로스터리 카페":                      false,
		"Created with love in Austin":             false,
	} {
		if got := sitefacts.IsBoilerplateDescription(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
}
