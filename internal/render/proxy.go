package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// proxy is the only way out for the browser: Chromium runs with --proxy-server pointing
// here (and loopback not bypassed), so every document, script, XHR, image, font,
// websocket, redirect hop and service-worker fetch arrives as a plain-HTTP request or a
// CONNECT tunnel, and each one is dialled by fetch's guarded dialer. The browser never
// resolves or connects to a site itself, so the same dial-time address checks that
// protect the crawler (no loopback, private, link-local or metadata address, allowed
// ports only, DNS rebinding defeated) hold for everything a page's scripts do.
//
// It also keeps the byte budget (every byte in either direction, TLS included) and a
// request budget for what it can see (a tunnel counts once).
type proxy struct {
	dial        fetch.DialContext
	transport   *http.Transport
	maxRequests int64
	maxBytes    int64

	requests atomic.Int64
	bytes    atomic.Int64
	over     atomic.Value // string: the budget that was exceeded first, "" if none
	onOver   func()       // called when a budget is first exceeded

	// waiting counts exchanges sent and not yet answered (plain requests in flight,
	// tunnels whose last bytes went up); lastActive is when bytes last moved. Together
	// they say whether the page's network is quiet, https included, without the
	// DevTools Network domain (whose events, one per request with its stack, cost
	// seconds on a page that fires thousands).
	waiting    atomic.Int64
	lastActive atomic.Int64

	ln     net.Listener
	srv    *http.Server
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	refused []string
}

// maxRefusedListed bounds the list of refused requests kept for the report.
const maxRefusedListed = 50

func newProxy(fo fetch.Options, maxRequests int, maxBytes int64, onOver func()) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("render: proxy: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &proxy{
		dial:        fetch.NewDialer(fo),
		maxRequests: int64(maxRequests),
		maxBytes:    maxBytes,
		ln:          ln,
		ctx:         ctx,
		cancel:      cancel,
		onOver:      onOver,
	}
	p.over.Store("")
	p.transport = &http.Transport{
		// Never a proxy from the environment: it would connect on the page's behalf, unchecked.
		Proxy:                  nil,
		DialContext:            p.dial,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        10 * time.Second,
		ResponseHeaderTimeout:  10 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// The browser asked for its own encodings; pass bodies through untouched.
		DisableCompression: true,
	}
	p.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go p.srv.Serve(ln)
	return p, nil
}

// addr is what --proxy-server takes.
func (p *proxy) addr() string { return p.ln.Addr().String() }

// close stops the proxy and cuts every tunnel still open.
func (p *proxy) close() {
	p.cancel()
	p.srv.Close()
	p.transport.CloseIdleConnections()
}

func (p *proxy) refuse(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.refused) < maxRefusedListed {
		p.refused = append(p.refused, what)
	}
}

func (p *proxy) refusedList() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.refused...)
}

func (p *proxy) exceeded(budget string) {
	if p.over.CompareAndSwap("", budget) && p.onOver != nil {
		p.onOver()
	}
}

func (p *proxy) budgetHit() string { return p.over.Load().(string) }

// admit counts one request and says whether it is within the request budget.
func (p *proxy) admit() bool {
	if p.requests.Add(1) > p.maxRequests {
		p.exceeded(StoppedRequests)
		return false
	}
	return p.bytes.Load() <= p.maxBytes
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	p.forward(w, r)
}

// tunnel serves CONNECT (https and wss): the browser does TLS end to end, the proxy
// dials the checked address and copies bytes, counting them.
func (p *proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	target := r.Host
	if !p.admit() {
		p.refuse("CONNECT " + target + ": over budget")
		http.Error(w, "over budget", http.StatusTooManyRequests)
		return
	}
	up, err := p.dial(r.Context(), "tcp", target)
	if err != nil {
		p.refuse("CONNECT " + target + ": " + refusal(err))
		http.Error(w, "refused", http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "no hijacking", http.StatusInternalServerError)
		return
	}
	down, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	if _, err := down.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n")); err != nil {
		up.Close()
		down.Close()
		return
	}
	// The tunnel ends when either side does, the budget runs out, or the render ends.
	stop := context.AfterFunc(p.ctx, func() { up.Close(); down.Close() })
	defer stop()
	var awaiting atomic.Bool
	sent := func(int) {
		if !awaiting.Swap(true) {
			p.waiting.Add(1)
		}
	}
	answered := func(int) {
		if awaiting.Swap(false) {
			p.waiting.Add(-1)
		}
	}
	defer answered(0)
	done := make(chan struct{}, 2)
	go func() {
		// Bytes the browser sent before the tunnel was up sit in buf.
		p.copy(up, io.MultiReader(buf, down), sent)
		up.Close()
		done <- struct{}{}
	}()
	go func() {
		p.copy(down, up, answered)
		down.Close()
		done <- struct{}{}
	}()
	<-done
	<-done
}

// quiet reports whether nothing is awaiting an answer and no bytes moved for d.
func (p *proxy) quiet(d time.Duration) bool {
	return p.waiting.Load() == 0 && time.Since(time.Unix(0, p.lastActive.Load())) >= d
}

// forward serves a plain-http request (absolute-form URL) through the guarded transport.
// Redirects are not followed here: the browser follows them, and each hop comes back
// through the proxy to be checked again.
func (p *proxy) forward(w http.ResponseWriter, r *http.Request) {
	if r.URL.Scheme != "http" || r.URL.Host == "" {
		p.refuse(r.Method + " " + r.URL.String() + ": not an http URL")
		http.Error(w, "not an http URL", http.StatusBadRequest)
		return
	}
	if !p.admit() {
		p.refuse(r.Method + " " + r.URL.String() + ": over budget")
		http.Error(w, "over budget", http.StatusTooManyRequests)
		return
	}
	p.waiting.Add(1)
	defer p.waiting.Add(-1)
	p.lastActive.Store(time.Now().UnixNano())
	out := r.Clone(r.Context())
	out.RequestURI = ""
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	if r.Body != nil {
		out.Body = io.NopCloser(&countingReader{r: r.Body, p: p})
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		p.refuse(r.Method + " " + r.URL.String() + ": " + refusal(err))
		http.Error(w, "refused", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	// Flush as bytes arrive: a page that streams (or stalls half way) must reach the
	// browser as far as it got, not sit in our buffer.
	p.copy(flushWriter{w: w, rc: http.NewResponseController(w)}, resp.Body, nil)
}

type flushWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (f flushWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if err == nil {
		err = f.rc.Flush()
	}
	return n, err
}

var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// copy moves bytes from src to dst, charging them to the byte budget; it stops when the
// budget is spent.
func (p *proxy) copy(dst io.Writer, src io.Reader, onRead func(n int)) {
	_, _ = io.Copy(dst, &countingReader{r: src, p: p, onRead: onRead})
}

type countingReader struct {
	r      io.Reader
	p      *proxy
	onRead func(n int) // after each read of n > 0 bytes
}

var errOverBytes = errors.New("render: over the byte budget")

func (c *countingReader) Read(b []byte) (int, error) {
	if c.p.bytes.Load() > c.p.maxBytes {
		c.p.exceeded(StoppedBytes)
		return 0, errOverBytes
	}
	n, err := c.r.Read(b)
	if n > 0 {
		c.p.bytes.Add(int64(n))
		c.p.lastActive.Store(time.Now().UnixNano())
		if c.onRead != nil {
			c.onRead(n)
		}
	}
	return n, err
}

// refusal is the short reason a connection was not made, for the report and the logs.
func refusal(err error) string {
	switch fetch.ErrorCode(err) {
	case o2sound.CodeCrawlAddress:
		return "address not allowed"
	case o2sound.CodeCrawlInvalidURL:
		return "invalid address"
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}
