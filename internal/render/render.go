// Package render loads a web page in headless Chromium and returns the DOM its scripts
// built, for sites whose HTML is an empty shell until JavaScript runs.
//
// A stranger's page runs real code here, so the browser is fenced in:
//   - every connection it makes (documents, scripts, XHR/fetch, images, fonts,
//     websockets, redirect hops, service workers) goes through an in-process proxy that
//     dials with fetch's guarded dialer — the crawler's SSRF rules, checked at dial time;
//     loopback is not exempt (--proxy-bypass-list=<-loopback>), the browser's own name
//     resolution is switched off and WebRTC may not use UDP outside the proxy;
//   - the DevTools Fetch domain sees each request the page makes and refuses any scheme
//     but http(s), images, media and fonts (the crawler fetches images itself) and
//     whatever exceeds the request budget;
//   - downloads are denied, pop-ups blocked, dialogs dismissed;
//   - time, requests, bytes and the size of the DOM returned are budgeted, and a
//     budget that runs out ends the render with what the page has built by then;
//   - each render is a fresh Chromium with a fresh profile directory, removed after
//     (with any process still using it).
package render

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout     = 15 * time.Second
	DefaultMaxRequests = 200
	DefaultMaxBytes    = 20 << 20
	DefaultMaxDOMBytes = 5 << 20
	DefaultConcurrency = 1
)

// Why a render stopped before the page was quiet (Page.Stopped).
const (
	StoppedTime     = "time"
	StoppedRequests = "requests"
	StoppedBytes    = "bytes"
)

// ErrUnavailable means no Chromium could be found: rendering is not possible on this
// machine, and callers go on without it.
var ErrUnavailable = errors.New("render: chromium is not installed")

// Options configures a Chromium renderer. The zero value is the production setting.
type Options struct {
	// Fetch holds the address policy every browser connection is dialled under
	// (AllowPrivateNetworks, AllowedPorts, AllowedPrefixes, Resolver, ConnectTimeout).
	Fetch fetch.Options
	// ExecPath is the browser; empty looks for $CHROMIUM, then chromium on the PATH,
	// /usr/bin/chromium and /usr/bin/chromium-browser.
	ExecPath string
	// Timeout bounds one render from starting the browser to the DOM in hand.
	Timeout time.Duration
	// MaxRequests bounds the requests the page may make.
	MaxRequests int
	// MaxBytes bounds the bytes that cross the proxy, both ways, TLS included.
	MaxBytes int64
	// MaxDOMBytes bounds the serialised DOM returned; a longer one is cut.
	MaxDOMBytes int
	// Concurrency is how many browsers this renderer runs at once; more renders wait.
	Concurrency int
	// Quiet is how long the network must be idle after the page loaded before the DOM
	// is taken; default 500 ms.
	Quiet time.Duration
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRequests <= 0 {
		o.MaxRequests = DefaultMaxRequests
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxDOMBytes <= 0 {
		o.MaxDOMBytes = DefaultMaxDOMBytes
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Quiet <= 0 {
		o.Quiet = 500 * time.Millisecond
	}
	return o
}

// Page is a rendered page.
type Page struct {
	// URL is where the page ended up (after redirects and script navigations).
	URL string `json:"url"`
	// HTML is the serialised DOM, at most MaxDOMBytes.
	HTML string `json:"-"`
	// Truncated says HTML was cut at MaxDOMBytes.
	Truncated bool `json:"truncated,omitempty"`
	// Stopped names the budget that ended the render early, or "".
	Stopped string `json:"stopped,omitempty"`
	// Requests counts the requests the page asked for; Bytes what crossed the proxy.
	Requests int   `json:"requests"`
	Bytes    int64 `json:"bytes"`
	// Refused lists requests that were not made, and why (at most 50).
	Refused []string `json:"refused,omitempty"`
	// Duration is the whole render, browser start included.
	Duration time.Duration `json:"duration"`
}

// Chromium renders pages in headless Chromium. It is safe for concurrent use.
type Chromium struct {
	opts Options
	sem  chan struct{}

	once     sync.Once
	execPath string
}

// New returns a renderer. It does not start anything; see Available.
func New(opts Options) *Chromium {
	opts = opts.withDefaults()
	return &Chromium{opts: opts, sem: make(chan struct{}, opts.Concurrency)}
}

// Available returns nil when a browser was found, else ErrUnavailable.
func (c *Chromium) Available() error {
	if c.browserPath() == "" {
		return ErrUnavailable
	}
	return nil
}

func (c *Chromium) browserPath() string {
	c.once.Do(func() { c.execPath = FindChromium(c.opts.ExecPath) })
	return c.execPath
}

// FindChromium returns the browser to run: explicit when it is executable, else
// $CHROMIUM, chromium or chromium-browser on the PATH, or the Debian paths; "" if none.
func FindChromium(explicit string) string {
	candidates := []string{explicit}
	if explicit == "" {
		candidates = []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium", "/usr/bin/chromium-browser"}
	}
	for _, p := range candidates {
		if p == "" {
			continue
		}
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	return ""
}

// Render loads pageURL (http or https) and returns its DOM once the page is quiet, or
// what it holds when a budget runs out. The error is ErrUnavailable without a browser,
// a *fetch.Error when the page itself could not be loaded, or a render failure.
func (c *Chromium) Render(ctx context.Context, pageURL string) (*Page, error) {
	start := time.Now()
	u, err := fetch.NormalizeURL(pageURL)
	if err != nil {
		return nil, err
	}
	execPath := c.browserPath()
	if execPath == "" {
		return nil, ErrUnavailable
	}
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	case <-ctx.Done():
		return nil, fmt.Errorf("render: waiting for a browser: %w", ctx.Err())
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()

	r := &run{opts: c.opts, over: make(chan struct{})}
	px, err := newProxy(c.opts.Fetch, c.opts.MaxRequests, c.opts.MaxBytes, r.overBudget)
	if err != nil {
		return nil, err
	}
	r.proxy = px
	defer px.close()
	// No user-data-dir flag: chromedp then makes a fresh profile directory for this
	// browser and, when cancelled, kills every process still using it and removes it
	// before cancelAlloc returns.
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, browserFlags(execPath, px.addr())...)
	defer cancelAlloc()
	tctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()

	page, err := r.render(tctx, u.String())
	if err != nil {
		return nil, err
	}
	page.Duration = time.Since(start)
	return page, nil
}

// browserFlags are the switches of one render's browser.
func browserFlags(execPath, proxyAddr string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 900),
		chromedp.UserAgent(userAgent),
		// Everything through the guarded proxy, loopback included.
		chromedp.ProxyServer("http://"+proxyAddr),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		// The browser resolves nothing itself: a path that skipped the proxy would
		// find no host.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("force-webrtc-ip-handling-policy", "disable_non_proxied_udp"),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		// The browser's own traffic (time, updates, hints, sign-in) is not the page's
		// and only spends the budgets.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying,AutofillServerCommunication,CertificateTransparencyComponentUpdater,AcceptCHFrame"),
		chromedp.Flag("disable-field-trial-config", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("mute-audio", true),
		// The defaults turn pop-up blocking off; a page must not open windows.
		chromedp.Flag("disable-popup-blocking", false),
		chromedp.Flag("block-new-web-contents", true),
		chromedp.Flag("blink-settings", "imagesEnabled=false"),
		chromedp.Flag("js-flags", "--max-old-space-size=256"),
		chromedp.Flag("lang", "ko-KR,ko,en"),
	)
}

// userAgent tells sites who renders them, as the fetcher does, and that it is a browser.
const userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome Safari/537.36 " + fetch.DefaultUserAgent

// run is one render's state.
type run struct {
	opts  Options
	proxy *proxy

	mu       sync.Mutex
	requests int
	refused  []string
	stopped  string

	over     chan struct{} // closed when a budget runs out: take the DOM now
	overOnce sync.Once
}

func (r *run) overBudget() { r.overOnce.Do(func() { close(r.over) }) }

func (r *run) refuse(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.refused) < maxRefusedListed {
		r.refused = append(r.refused, what)
	}
}

func (r *run) render(ctx context.Context, pageURL string) (*Page, error) {
	// Start the browser and the tab first, without the caller's clock being the only
	// limit on a browser that does not come up.
	if err := chromedp.Do(ctx); err != nil {
		return nil, fmt.Errorf("render: start chromium: %w", err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		return nil, fmt.Errorf("render: deny downloads: %w", err)
	}
	paused := chromedp.Events(ctx, cdpfetch.RequestPaused)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			r.decide(ctx, ev)
		}
	}()
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	// A service worker would answer the page from its own cache and fetch unseen by
	// the Fetch domain; the proxy still guards its connections, but we want to see them.
	if _, err := chromedp.Call(ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
		return nil, fmt.Errorf("render: service workers: %w", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: budgetJS(r.opts.MaxRequests)}); err != nil {
		return nil, fmt.Errorf("render: request budget: %w", err)
	}
	if _, err := chromedp.Call(ctx, cdpfetch.Enable, cdpfetch.EnableParams{Patterns: []*cdpfetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		return nil, fmt.Errorf("render: interception: %w", err)
	}

	// Leave a moment at the end of the budget to take the DOM and stop the browser.
	deadline, _ := ctx.Deadline()
	settle := deadline.Add(-1500 * time.Millisecond)
	res, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: pageURL})
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, r.timeout(pageURL)
	case err != nil:
		return nil, fmt.Errorf("render: navigate: %w", err)
	case res.ErrorText != "":
		return nil, &fetch.Error{Code: o2sound.CodeCrawlUnreachable, Message: "The page could not be opened in a browser.",
			Err: fmt.Errorf("render: %s: %s (refused: %s)", pageURL, res.ErrorText, strings.Join(r.proxy.refusedList(), "; "))}
	}
	if !r.waitQuiet(ctx, settle) {
		r.mu.Lock()
		if r.stopped == "" {
			r.stopped = r.proxy.budgetHit()
		}
		if r.stopped == "" {
			r.stopped = StoppedTime
		}
		r.mu.Unlock()
	}
	// A page that never finishes loading stops here; what it built so far is the DOM.
	_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
	snap, err := chromedp.Run(ctx, chromedp.Evaluate[snapshot](snapshotJS(r.opts.MaxDOMBytes)))
	if err != nil {
		if ctx.Err() != nil {
			return nil, r.timeout(pageURL)
		}
		return nil, fmt.Errorf("render: read the DOM: %w", err)
	}
	if fu, err := url.Parse(snap.URL); err != nil || (fu.Scheme != "http" && fu.Scheme != "https") {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "The page moved to an address that is not a web page.",
			Err: fmt.Errorf("render: %s ended on %q", pageURL, snap.URL)}
	}
	if len(snap.HTML) > r.opts.MaxDOMBytes {
		// The page cut at MaxDOMBytes characters; a byte cap needs a rune boundary.
		cut := r.opts.MaxDOMBytes
		for cut > 0 && !utf8.RuneStart(snap.HTML[cut]) {
			cut--
		}
		snap.HTML, snap.Truncated = snap.HTML[:cut], true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := &Page{
		URL: snap.URL, HTML: snap.HTML, Truncated: snap.Truncated,
		Stopped: r.stopped, Requests: r.requests, Bytes: r.proxy.bytes.Load(),
		Refused: append(r.refused, r.proxy.refusedList()...),
	}
	if hit := r.proxy.budgetHit(); hit != "" && p.Stopped == "" {
		p.Stopped = hit
	}
	if len(p.Refused) > maxRefusedListed {
		p.Refused = p.Refused[:maxRefusedListed]
	}
	return p, nil
}

func (r *run) timeout(pageURL string) error {
	return &fetch.Error{Code: o2sound.CodeCrawlTimeout, Message: "The page took too long to show in a browser.",
		Err: fmt.Errorf("render: %s: over %v", pageURL, r.opts.Timeout)}
}

// decide lets a paused request go on, or fails it.
func (r *run) decide(ctx context.Context, ev cdpfetch.EventRequestPaused) {
	why := ""
	u, err := url.Parse(ev.Request.URL)
	r.mu.Lock()
	r.requests++
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		why = "scheme not allowed"
	case r.requests > r.opts.MaxRequests:
		why = "over the request budget"
		if r.stopped == "" {
			r.stopped = StoppedRequests
		}
		r.overBudget()
	case ev.ResourceType == network.ResourceTypeImage || ev.ResourceType == network.ResourceTypeMedia || ev.ResourceType == network.ResourceTypeFont:
		why = "not needed for the text" // the crawler fetches the images it wants itself
	}
	r.mu.Unlock()
	select {
	case <-r.over:
		// The render is ending: leave the request paused, unsent, and keep the
		// DevTools connection free for taking the DOM.
		return
	default:
	}
	if why == "" {
		_, _ = chromedp.Call(ctx, cdpfetch.ContinueRequest, cdpfetch.ContinueRequestParams{RequestID: ev.RequestID})
		return
	}
	if why != "not needed for the text" {
		r.refuse(ev.Request.URL + ": " + why)
	}
	_, _ = chromedp.Call(ctx, cdpfetch.FailRequest, cdpfetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
}

// waitQuiet waits until the document has loaded and the network has been idle for
// Quiet, or until settle; it reports whether the page became quiet.
func (r *run) waitQuiet(ctx context.Context, settle time.Time) bool {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-r.over:
			return false
		case now := <-tick.C:
			if now.After(settle) {
				return false
			}
			if !r.proxy.quiet(r.opts.Quiet) {
				continue
			}
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
			if err == nil && state == "complete" {
				return true
			}
		}
	}
}

type snapshot struct {
	URL       string `json:"url"`
	HTML      string `json:"html"`
	Truncated bool   `json:"truncated"`
}

// snapshotJS serialises the DOM in the page, cut to max characters there so a huge DOM
// never crosses the DevTools connection whole.
func snapshotJS(max int) string {
	return fmt.Sprintf(`(() => {
  const el = document.documentElement;
  let html = el ? el.outerHTML : "";
  const cut = html.length > %[1]d;
  if (cut) html = html.slice(0, %[1]d);
  return {url: location.href, html: html, truncated: cut};
})()`, max)
}

// budgetJS runs in every frame before the page's scripts: fetch and XHR beyond the
// request budget fail in the page itself. It is the cheap first stop for a script that
// fires thousands of requests (each would otherwise cost a DevTools round trip); the
// Fetch domain and the proxy still count and refuse whatever gets past it.
func budgetJS(max int) string {
	return fmt.Sprintf(`(() => {
  let n = 0;
  const over = () => ++n > %d;
  const f = window.fetch;
  if (f) window.fetch = function (...a) {
    return over() ? Promise.reject(new TypeError("request budget")) : f.apply(this, a);
  };
  const X = window.XMLHttpRequest;
  if (X) { const send = X.prototype.send; X.prototype.send = function (...a) {
    if (over()) throw new DOMException("request budget", "NetworkError");
    return send.apply(this, a);
  }; }
})();`, max)
}
