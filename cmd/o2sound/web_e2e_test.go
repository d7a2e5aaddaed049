package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/o2sound/o2sound/internal/googleauth/googletest"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/render/rendertest"
	"github.com/o2sound/o2sound/internal/store"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "also write the README's screenshots of the web page to docs/screenshots")

// readmeShots are the screenshots the README shows: step name and width → file.
var readmeShots = map[string]string{
	"dashboard/desktop": "dashboard.png",
	"video/desktop":     "video.png",
}

// browserPage drives one tab of a headless Chromium against a running server and
// keeps what the page logged to its console.
type browserPage struct {
	t         *testing.T
	ctx       context.Context
	base      string
	artifacts string
	step      int
	start     time.Time

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

func newBrowserPage(t *testing.T, base string) *browserPage {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(rendertest.Browser(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline
		t.Fatalf("start chromium: %v", err)
	}
	p := &browserPage{t: t, ctx: ctx, base: base, start: time.Now()}
	p.artifacts = os.Getenv("ARTIFACTS_DIR")
	if p.artifacts == "" {
		p.artifacts = t.TempDir()
	}
	p.artifacts = filepath.Join(p.artifacts, "web-e2e")
	if err := os.MkdirAll(p.artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", p.artifacts)

	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	// A headless window never has focus; the clipboard needs it.
	p.call("focus emulation", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
	for _, perm := range []string{"clipboard-write", "clipboard-read"} {
		p.call("grant "+perm, func(ctx context.Context) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: perm}, Setting: browser.PermissionSettingGranted, Origin: base})
			return err
		})
	}
	p.phone()
	return p
}

func (p *browserPage) call(what string, f func(ctx context.Context) error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := f(ctx); err != nil {
		p.fail(what, err)
	}
}

// do runs actions with a deadline; a failure saves a screenshot and the console.
func (p *browserPage) do(what string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail(what, err)
	}
}

// js evaluates an expression (awaiting a promise), as if the user had acted.
func js[T any](p *browserPage, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(e *runtime.EvaluateParams) {
		e.AwaitPromise, e.UserGesture = new(true), new(true)
	}))
	if err != nil {
		p.fail(expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition.
func (p *browserPage) waitFor(what, cond string, timeout time.Duration) {
	p.t.Helper()
	p.do(what, timeout+5*time.Second,
		chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
}

// waitAcrossLoads polls a JavaScript condition through full page loads (a sign-in
// leaving for another site and coming back), when the page's JavaScript context
// is replaced under a running poll.
func (p *browserPage) waitAcrossLoads(what, cond string, timeout time.Duration) {
	p.t.Helper()
	var last error
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
	}
	p.fail(what, fmt.Errorf("not true after %v (last error: %v)", timeout, last))
}

func (p *browserPage) fail(what string, err error) {
	p.t.Helper()
	if shot, serr := chromedp.Run(context.WithoutCancel(p.ctx), chromedp.CaptureScreenshot()); serr == nil {
		os.WriteFile(filepath.Join(p.artifacts, "FAILED.png"), shot, 0o644)
	}
	url, _ := chromedp.Run(p.ctx, chromedp.Location())
	body, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
	p.t.Fatalf("%s: %v\nat %s\npage text:\n%s\nconsole:\n%s", what, err, url, body, p.consoleText(false))
}

func (p *browserPage) phone() {
	p.do("phone viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
}

func (p *browserPage) desktop() {
	p.do("desktop viewport", 10*time.Second, chromedp.EmulateViewport(1280, 800))
}

// shot saves the page at phone and at desktop width (and returns to the phone).
func (p *browserPage) shot(name string) {
	p.t.Helper()
	p.step++
	p.t.Logf("%5.1fs %s", time.Since(p.start).Seconds(), name)
	for _, width := range []string{"phone", "desktop"} {
		if width == "desktop" {
			p.desktop()
		}
		_, readme := readmeShots[name+"/"+width]
		if readme && *updateScreenshots {
			// A toast would cover part of the README's picture.
			js[bool](p, `(document.getElementById('toast').replaceChildren(), true)`)
		}
		// From the top (the sticky header stays in place), once layout and
		// images have settled at the new width.
		js[bool](p, `new Promise(r => { scrollTo(0, 0); requestAnimationFrame(() => requestAnimationFrame(() => r(true))); })`)
		ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
		capture := chromedp.FullScreenshot(100) // the whole page, as PNG
		if readme || js[bool](p, `!!document.querySelector('dialog[open]')`) {
			capture = chromedp.CaptureScreenshot() // what one screen shows
		}
		png, err := chromedp.Run(ctx, capture)
		cancel()
		if err != nil {
			p.fail("screenshot "+name, err)
		}
		file := fmt.Sprintf("%02d-%s-%s.png", p.step, name, width)
		if err := os.WriteFile(filepath.Join(p.artifacts, file), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
		if doc, ok := readmeShots[name+"/"+width]; ok && *updateScreenshots {
			if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", doc), png, 0o644); err != nil {
				p.t.Fatal(err)
			}
		}
	}
	p.phone()
}

// open loads a path of the page and waits for an element.
func (p *browserPage) open(path, ready string) {
	p.t.Helper()
	p.do("open "+path, 20*time.Second, chromedp.Navigate(p.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
}

// reload checks that the page at the current address draws itself again.
func (p *browserPage) reload(ready string) {
	p.t.Helper()
	before, _ := chromedp.Run(p.ctx, chromedp.Location())
	p.do("reload "+before, 20*time.Second, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(ready)))
	if after, _ := chromedp.Run(p.ctx, chromedp.Location()); after != before {
		p.fail("reload", fmt.Errorf("reloading %s landed on %s", before, after))
	}
}

func (p *browserPage) click(sel string) {
	p.t.Helper()
	p.do("click "+sel, 10*time.Second, chromedp.Click(chromedp.CSS(sel)))
}

func (p *browserPage) typeInto(sel, text string) {
	p.t.Helper()
	p.do("type into "+sel, 10*time.Second, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// press sends a key to the focused element, as a keyboard user would.
func (p *browserPage) press(key string) {
	p.t.Helper()
	p.do("press a key", 10*time.Second, chromedp.KeyEvent(key))
}

func (p *browserPage) text(sel string) string {
	p.t.Helper()
	return js[string](p, fmt.Sprintf(`(document.querySelector(%q)?.textContent || '').trim()`, sel))
}

// consoleText lists the console messages (only errors when onlyErrors).
func (p *browserPage) consoleText(onlyErrors bool) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, m := range p.console {
		if onlyErrors && m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		fmt.Fprintf(&b, "  %s (%s:%d)\n", m, m.URL, m.Line+1)
	}
	return b.String()
}

// TestWebPageEndToEnd drives the owners' page in headless Chromium against a real
// "o2sound serve": sign up, sign out and in, make a video from a local café site,
// watch the progress to the end, play and seek the video, check the share link
// streams, switch the language, delete the video. Every page is reloaded on the
// way and must draw itself again; the console must stay free of errors.
func TestWebPageEndToEnd(t *testing.T) {
	t.Parallel()
	rendertest.Browser(t)
	bin := buildBinary(t)
	site := fixtureSite(t)
	env, _, _ := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	// The page is part of the API's server: /app redirects, GET / stays JSON.
	resp, err := http.Get(srv.base + "/app")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/app/" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET /app: %d at %s, CSP %q", resp.StatusCode, resp.Request.URL, resp.Header.Get("Content-Security-Policy"))
	}
	if resp, err := http.Get(srv.base + "/"); err != nil || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET / is no longer the JSON service info: %v %v", resp.Header, err)
	}

	p := newBrowserPage(t, srv.base)
	start := time.Now()

	// Sign up (which signs in) and land on the empty dashboard.
	p.open("/app/signup", `input[name="user_id"]`)
	p.reload(`input[name="user_id"]`)
	p.typeInto(`input[name="name"]`, "Minji Kim")
	p.typeInto(`input[name="user_id"]`, "bluemoon")
	p.typeInto(`input[name="password"]`, "securepassword123")
	p.typeInto(`input[name="phone_number"]`, "010-1234-5678")
	p.shot("signup")
	p.click(`form button[type="submit"]`)
	p.waitFor("dashboard after sign-up", `document.querySelector('.dash-hero h1')?.textContent.includes('Minji Kim')`, 15*time.Second)
	if p.text(".video-grid .empty") == "" {
		p.fail("empty dashboard", fmt.Errorf("no empty-state text"))
	}
	p.shot("dashboard-empty")
	p.reload(".dash-hero h1")

	// Sign out; a page that needs an account asks to sign in, then opens.
	p.click("#signout")
	p.waitFor("sign-in page", `location.pathname === '/app/signin' && !!document.querySelector('input[name="password"]')`, 10*time.Second)
	p.open("/app/new", `input[name="password"]`)
	if got := js[string](p, `location.pathname + location.search`); got != "/app/signin?next=%2Fapp%2Fnew" {
		p.fail("signed-out redirect", fmt.Errorf("at %s", got))
	}
	p.reload(`input[name="password"]`)
	p.typeInto(`input[name="user_id"]`, "bluemoon")
	p.typeInto(`input[name="password"]`, "securepassword123")
	p.shot("signin")
	p.press(kb.Enter) // a real form: Enter in the password field signs in
	p.waitFor("back where we were going", `location.pathname === '/app/new' && !!document.querySelector('input[name="url"]')`, 15*time.Second)

	// New video: the café's site, square, 15 seconds.
	p.reload(`input[name="url"]`)
	p.typeInto(`input[name="url"]`, site.URL+"/")
	p.click(`input[name="aspect"][value="1:1"]`)
	p.click(`input[name="duration"][value="15"]`)
	p.shot("new-video")
	p.click(`form button[type="submit"]`)
	p.waitFor("progress page", `location.pathname.startsWith('/app/tasks/') && !!document.querySelector('.task-card')`, 15*time.Second)

	// Live progress: a stage runs with a percent, the page survives a reload
	// (and follows the task again), and it reaches the end.
	p.waitFor("a running stage", `!!document.querySelector('.stage-running') || !!document.querySelector('.done-box')`, 60*time.Second)
	p.waitFor("pushed over the WebSocket", `document.querySelector('.task-card').dataset.follow === 'websocket' || !!document.querySelector('.done-box')`, 10*time.Second)
	p.shot("progress")
	p.reload(".task-card .stages")
	p.waitFor("a later stage", `document.querySelectorAll('.stage-done').length >= 2 || !!document.querySelector('.done-box')`, 90*time.Second)
	if js[bool](p, `!document.querySelector('.done-box')`) {
		if got := p.text(".overall-pct"); !strings.HasSuffix(got, "%") || got == "0%" {
			p.fail("overall percent", fmt.Errorf("shows %q", got))
		}
		// A browser (or proxy) without WebSockets: the page polls instead.
		var script page.ScriptIdentifier
		p.call("hide WebSocket", func(ctx context.Context) error {
			res, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.WebSocket = undefined;"})
			script = res.Identifier
			return err
		})
		p.reload(".task-card .stages")
		t.Log("following by polling from here")
		p.waitFor("polling", `document.querySelector('.task-card').dataset.follow === 'polling' || !!document.querySelector('.done-box')`, 10*time.Second)
		p.waitFor("the video is ready", `!!document.querySelector('.done-box')`, 120*time.Second)
		p.call("restore WebSocket", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: script})
			return err
		})
	}
	p.waitFor("the video is ready", `!!document.querySelector('.done-box')`, 120*time.Second)
	if n := js[int](p, `document.querySelectorAll('.stage-done').length`); n != 6 {
		p.fail("stages", fmt.Errorf("%d of 6 stages done", n))
	}
	p.shot("done")
	p.reload(".done-box")

	// The finished video plays, seeks, and its share link streams.
	p.click(".done-box a.btn-primary")
	p.waitFor("video page", `!!document.querySelector('video.player')`, 15*time.Second)
	p.reload("video.player")
	js[bool](p, `(async () => { const v = document.querySelector('video.player'); await v.play(); return true; })()`)
	p.waitFor("playback", `document.querySelector('video.player').currentTime > 0.5`, 20*time.Second)
	js[bool](p, `(async () => {
		const v = document.querySelector('video.player');
		const seeked = new Promise(r => v.addEventListener('seeked', r, {once: true}));
		v.currentTime = 10;
		await seeked;
		return true;
	})()`)
	p.waitFor("playback after seeking", `document.querySelector('video.player').currentTime > 10.3`, 10*time.Second)
	js[bool](p, `(() => { const v = document.querySelector('video.player'); v.pause(); v.currentTime = 2; return true; })()`)
	p.waitFor("paused frame", `document.querySelector('video.player').readyState >= 2`, 10*time.Second)
	p.shot("video")

	share := js[string](p, `document.querySelector('#share-link').value`)
	if !strings.HasPrefix(share, srv.base+"/user/video/") || !strings.HasSuffix(share, ".mp4") {
		p.fail("share link", fmt.Errorf("share link %q is not an absolute stream URL", share))
	}
	req, _ := http.NewRequest(http.MethodGet, share, nil)
	req.Header.Set("Range", "bytes=0-1023")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Type") != "video/mp4" || !strings.Contains(string(head), "ftyp") {
		t.Fatalf("share link without a session: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(head))
	}
	if href := js[string](p, `document.querySelector('#download').getAttribute('href')`); !strings.HasSuffix(href, ".mp4?download=1") {
		p.fail("download link", fmt.Errorf("href %q", href))
	}
	p.click("#copy-link")
	p.waitFor("copied", `(document.querySelector('#toast').textContent || '').includes('Link copied')`, 5*time.Second)
	if copied := js[string](p, `navigator.clipboard.readText()`); copied != share {
		p.fail("clipboard", fmt.Errorf("clipboard holds %q, want %q", copied, share))
	}

	// The dashboard lists the video and the café found on the site.
	p.click(`a[data-nav="home"]`)
	p.waitFor("dashboard with the video", `document.querySelectorAll('.video-grid .video-card').length === 1 && document.querySelectorAll('.biz-grid .biz-card').length === 1`, 15*time.Second)
	if got := p.text(".biz-card h3"); got != "카페 블루문" {
		p.fail("business card", fmt.Errorf("name %q", got))
	}
	if got := p.text(".video-card .badge"); got != "Ready" {
		p.fail("video card", fmt.Errorf("status %q", got))
	}
	p.shot("dashboard")
	p.reload(".video-grid .video-card")

	// Edit the café's hashtags.
	p.click(`.biz-card a[href^="/app/businesses/"]`)
	p.waitFor("business form", `!!document.querySelector('input[name="hashtags"]')`, 10*time.Second)
	p.reload(`input[name="hashtags"]`)
	js[bool](p, `(document.querySelector('input[name="hashtags"]').select(), true)`) // typing replaces the selection
	p.typeInto(`input[name="hashtags"]`, "#brunch #handdrip, #seoul")
	p.shot("business")
	p.click(`form button[type="submit"]`)
	p.waitFor("saved hashtags", `location.pathname === '/app/' && (document.querySelector('.biz-card .tags')?.textContent || '') === '#brunch#handdrip#seoul'`, 10*time.Second)

	// Profile, in Korean after a switch that survives a reload.
	p.click(`a[data-nav="profile"]`)
	p.waitFor("profile", `location.pathname === '/app/profile' && !!document.querySelector('.facts')`, 10*time.Second)
	p.reload(".facts")
	p.typeInto(`input[name="email"]`, "minji@example.com")
	p.click(`form button[type="submit"]`)
	p.waitFor("saved profile", `document.querySelector('.facts').textContent.includes('minji@example.com')`, 10*time.Second)
	// Switching language keeps what was typed and not yet saved.
	p.typeInto(`input[name="name"]`, " 사장님")
	p.click("#lang-toggle")
	p.waitFor("Korean", `document.documentElement.lang === 'ko' && document.querySelector('h1')?.textContent === '내 정보'`, 10*time.Second)
	if got := js[string](p, `document.querySelector('input[name="name"]').value`); got != "Minji Kim 사장님" {
		p.fail("typed text after switching language", fmt.Errorf("name field %q", got))
	}
	p.reload(".facts")
	if got := p.text("h1"); got != "내 정보" {
		p.fail("language after reload", fmt.Errorf("h1 %q", got))
	}
	p.shot("profile-ko")
	p.click("#lang-toggle")
	p.waitFor("English again", `document.documentElement.lang === 'en' && document.querySelector('h1')?.textContent === 'Your profile'`, 10*time.Second)

	// Delete the video, after saying yes in the confirmation.
	p.click(`a[data-nav="home"]`)
	p.waitFor("dashboard", `!!document.querySelector('.video-grid .video-card a')`, 10*time.Second)
	p.click(".video-grid .video-card a")
	p.waitFor("video page", `!!document.querySelector('#delete-video')`, 15*time.Second)
	p.click("#delete-video")
	p.waitFor("confirmation", `document.querySelector('#confirm').open`, 5*time.Second)
	if got := js[string](p, `document.activeElement.id`); got != "confirm-no" {
		p.fail("dialog focus", fmt.Errorf("focus on %q, want the safe choice", got))
	}
	p.shot("delete-confirm")
	p.press(kb.Escape)
	p.waitFor("Escape closes it", `!document.querySelector('#confirm').open && document.activeElement.id === 'delete-video'`, 5*time.Second)
	p.click("#delete-video")
	p.waitFor("confirmation again", `document.querySelector('#confirm').open`, 5*time.Second)
	p.click("#confirm-yes")
	p.waitFor("dashboard without the video", `location.pathname === '/app/' && !!document.querySelector('.video-grid .empty')`, 15*time.Second)
	p.shot("deleted")
	if resp, err := http.Get(share); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted video's share link: %v %v", resp.StatusCode, err)
	}

	// Stopping a video on purpose.
	p.click(`a[data-nav="new"]`)
	p.waitFor("new-video form", `!!document.querySelector('input[name="url"]')`, 10*time.Second)
	p.typeInto(`input[name="url"]`, site.URL+"/")
	p.click(`form button[type="submit"]`)
	p.waitFor("cancel button", `!!document.querySelector('.task-actions .btn:not([hidden])')`, 15*time.Second)
	p.click(".task-actions .btn")
	p.waitFor("cancel confirmation", `document.querySelector('#confirm').open`, 5*time.Second)
	p.click("#confirm-yes")
	p.waitFor("stopped", `document.querySelector('.task-card h1')?.textContent === 'Stopped'`, 10*time.Second)
	p.shot("cancelled")

	// An address that is not a web page: said in plain words, with what to do.
	p.click(`a[data-nav="new"]`)
	p.waitFor("new-video form", `!!document.querySelector('input[name="url"]')`, 10*time.Second)
	p.typeInto(`input[name="url"]`, site.URL+"/photo1.jpg")
	p.click(`form button[type="submit"]`)
	p.waitFor("the failure", `!!document.querySelector('.alert-problem')`, 30*time.Second)
	if got := p.text(".alert-problem"); !strings.Contains(got, "isn't a web page") || !strings.Contains(got, "CRAWL_003") {
		p.fail("failure text", fmt.Errorf("%q", got))
	}
	p.shot("failed")
	p.reload(".alert-problem")

	// Delete the business too; its card goes.
	p.click(`a[data-nav="home"]`)
	p.waitFor("dashboard", `!!document.querySelector('.biz-card')`, 10*time.Second)
	p.click(".biz-card .btn-danger-text")
	p.waitFor("confirmation", `document.querySelector('#confirm').open`, 5*time.Second)
	p.click("#confirm-yes")
	p.waitFor("no businesses", `!document.querySelector('.biz-card') && !!document.querySelector('.biz-grid .empty')`, 10*time.Second)
	p.reload(".biz-grid .empty")

	// Let late messages (a failed range request, say) arrive before judging.
	time.Sleep(300 * time.Millisecond)
	if errs := p.consoleText(true); errs != "" {
		t.Fatalf("console errors during the run:\n%s", errs)
	}
	t.Logf("browser run took %v", time.Since(start).Round(100*time.Millisecond))
}

// TestWebPageGoogleSignIn signs in with Google from the page, against a local
// OpenID issuer standing in for Google: the page sends the owner back where they
// were going (query included), signed in, with no token left in the address; a
// sign-in declined at Google comes back to the sign-in page with plain words.
func TestWebPageGoogleSignIn(t *testing.T) {
	t.Parallel()
	rendertest.Browser(t)
	bin := buildBinary(t)
	iss := googletest.New(t, "o2sound-e2e.apps.googleusercontent.com", "e2e-client-secret")
	addr := freeAddr(t)
	env, _, _ := e2eEnv(t, store.SQLite)
	env = append(env, "LISTEN_ADDR="+addr,
		"GOOGLE_CLIENT_ID=o2sound-e2e.apps.googleusercontent.com", "GOOGLE_CLIENT_SECRET=e2e-client-secret",
		"GOOGLE_REDIRECT_URI=http://"+addr+"/social/google/callback", "GOOGLE_ISSUER_URL="+iss.URL)
	srv := startServe(t, bin, env)
	p := newBrowserPage(t, srv.base)

	p.open("/app/new?url=https%3A%2F%2Fcafe.example%2F", `a.btn-google`)
	if got := js[string](p, `location.pathname + location.search`); got != "/app/signin?next=%2Fapp%2Fnew%3Furl%3Dhttps%253A%252F%252Fcafe.example%252F" {
		p.fail("signed-out redirect", fmt.Errorf("at %s", got))
	}
	p.shot("google-signin")
	p.click("a.btn-google")
	p.waitAcrossLoads("back on the new-video page, signed in",
		`location.pathname === '/app/new' && document.querySelector('input[name="url"]')?.value === 'https://cafe.example/' && !document.getElementById('signout').hidden`,
		15*time.Second)
	if got := js[string](p, `location.search`); strings.Contains(got, "token") {
		p.fail("address after sign-in", fmt.Errorf("carries %q", got))
	}
	p.reload(`input[name="url"]`)
	p.open("/app/profile", ".facts")
	if got := p.text(".facts"); !strings.Contains(got, googletest.DefaultIdentity.Email) {
		p.fail("profile of the Google account", fmt.Errorf("%q", got))
	}

	// Declined at Google: back on the sign-in page, told what happened.
	p.click("#signout")
	p.waitFor("signed out", `location.pathname === '/app/signin' && !!document.querySelector('a.btn-google')`, 10*time.Second)
	iss.Deny("access_denied")
	p.click("a.btn-google")
	p.waitAcrossLoads("the refusal, in words", `location.pathname === '/app/signin' && (document.querySelector('.alert')?.textContent || '').includes('You stopped signing in with Google')`, 15*time.Second)
	p.shot("google-declined")
	if got := js[string](p, `location.search`); strings.Contains(got, "google_error") {
		p.fail("address after the refusal was shown", fmt.Errorf("still carries %q", got))
	}
	if errs := p.consoleText(true); errs != "" {
		t.Fatalf("console errors during the run:\n%s", errs)
	}
}

// TestWebPageDashboardPaging: with more businesses than one page, "Show more"
// brings the rest; after deletions on the first page (which move later entries
// forward on the server) nothing is skipped and nothing shown twice.
func TestWebPageDashboardPaging(t *testing.T) {
	t.Parallel()
	rendertest.Browser(t)
	bin := buildBinary(t)
	env, _, dsn := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	owner := signIn(t, srv.base, "manyshops")
	ownerID := owner.call("POST", "/user/profile", map[string]any{}, 200)["id"].(string)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const shops = 15
	for i := 1; i <= shops; i++ {
		it := &o2sound.Item{OwnerID: ownerID, Name: fmt.Sprintf("Shop %02d", i), URL: fmt.Sprintf("https://shop%02d.example/", i)}
		if err := db.SaveItemForURL(context.Background(), it); err != nil {
			t.Fatal(err)
		}
	}

	p := newBrowserPage(t, srv.base)
	p.open("/app/signin", `input[name="password"]`)
	p.typeInto(`input[name="user_id"]`, "manyshops")
	p.typeInto(`input[name="password"]`, "securepassword123")
	p.press(kb.Enter)
	p.waitFor("a first page of businesses", `document.querySelectorAll('.biz-card').length === 12`, 15*time.Second)
	const more = `section[aria-labelledby="h-biz-grid"] > button`
	if js[bool](p, `document.querySelector('`+more+`').hidden`) {
		p.fail("show more", fmt.Errorf("hidden with 3 businesses still to show"))
	}
	for range 2 { // delete the two newest
		p.click(".biz-card .btn-danger-text")
		p.waitFor("confirmation", `document.querySelector('#confirm').open`, 5*time.Second)
		before := js[int](p, `document.querySelectorAll('.biz-card').length`)
		p.click("#confirm-yes")
		p.waitFor("card gone", fmt.Sprintf(`document.querySelectorAll('.biz-card').length === %d`, before-1), 10*time.Second)
	}
	for i := 0; i < 3 && !js[bool](p, `document.querySelector('`+more+`').hidden`); i++ {
		before := js[int](p, `document.querySelectorAll('.biz-card').length`)
		p.click(more)
		p.waitFor("more businesses", fmt.Sprintf(`document.querySelectorAll('.biz-card').length > %d`, before), 10*time.Second)
	}
	names := js[[]string](p, `[...document.querySelectorAll('.biz-card h3')].map(e => e.textContent)`)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			p.fail("businesses shown", fmt.Errorf("%q twice in %v", n, names))
		}
		seen[n] = true
	}
	if len(names) != shops-2 || seen["Shop 15"] || seen["Shop 14"] || !seen["Shop 01"] || !seen["Shop 13"] {
		p.fail("businesses shown", fmt.Errorf("%d: %v", len(names), names))
	}
	if !js[bool](p, `document.querySelector('`+more+`').hidden`) {
		p.fail("show more", fmt.Errorf("still offered with everything shown"))
	}
	p.shot("dashboard-paged")
	if errs := p.consoleText(true); errs != "" {
		t.Fatalf("console errors during the run:\n%s", errs)
	}
}
