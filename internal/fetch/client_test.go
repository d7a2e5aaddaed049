package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// devClient reaches httptest servers on loopback, as CRAWL_ALLOW_PRIVATE_NETWORKS does.
func devClient(opts Options) *Client {
	opts.AllowPrivateNetworks = true
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	return NewClient(opts)
}

func TestGetDecodesAndCaps(t *testing.T) {
	t.Parallel()
	page := strings.Repeat("<p>안녕하세요 카페입니다</p>\n", 200)
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return buf.Bytes()
	}
	zl := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return buf.Bytes()
	}
	raw := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return buf.Bytes()
	}
	cases := []struct {
		name      string
		encoding  string
		body      []byte
		maxBytes  int64
		whole     bool
		wantLen   int
		truncated bool
		code      string
	}{
		{name: "identity", body: []byte(page), wantLen: len(page)},
		{name: "gzip", encoding: "gzip", body: gz([]byte(page)), wantLen: len(page)},
		{name: "x-gzip", encoding: "x-gzip", body: gz([]byte(page)), wantLen: len(page)},
		{name: "zlib deflate", encoding: "deflate", body: zl([]byte(page)), wantLen: len(page)},
		{name: "raw deflate", encoding: "deflate", body: raw([]byte(page)), wantLen: len(page)},
		{name: "gzip twice", encoding: "gzip, gzip", body: gz(gz([]byte(page))), wantLen: len(page)},
		{name: "capped page keeps the head", body: []byte(page), maxBytes: 1000, wantLen: 1000, truncated: true},
		{name: "capped gzip counts decoded bytes", encoding: "gzip", body: gz([]byte(page)), maxBytes: 1000, wantLen: 1000, truncated: true},
		{name: "whole or nothing", body: []byte(page), maxBytes: 1000, whole: true, wantLen: 0, truncated: true},
		{name: "three layers refused", encoding: "gzip, gzip, gzip", body: gz(gz(gz([]byte(page)))), code: o2sound.CodeCrawlUnreachable},
		{name: "brotli refused", encoding: "br", body: []byte("xx"), code: o2sound.CodeCrawlUnreachable},
		{name: "broken gzip", encoding: "gzip", body: []byte("not gzip at all"), code: o2sound.CodeCrawlUnreachable},
		{name: "truncated gzip", encoding: "gzip", body: gz([]byte(page))[:100], code: o2sound.CodeCrawlUnreachable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=UTF-8")
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				_, _ = w.Write(tc.body)
			}))
			defer srv.Close()
			resp, err := devClient(Options{}).Get(context.Background(), Request{URL: srv.URL, MaxBytes: tc.maxBytes, Whole: tc.whole})
			if tc.code != "" {
				wantCode(t, err, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != tc.wantLen || resp.Truncated != tc.truncated {
				t.Fatalf("got %d bytes truncated=%v, want %d truncated=%v", len(resp.Body), resp.Truncated, tc.wantLen, tc.truncated)
			}
			if resp.ContentType != "text/html" || resp.Charset != "utf-8" {
				t.Errorf("content type %q charset %q", resp.ContentType, resp.Charset)
			}
			if !tc.truncated && string(resp.Body) != page {
				t.Errorf("body differs from the page")
			}
		})
	}
}

// TestGzipBomb serves 4 KB that inflates (twice) to 1 GiB. The fetch must stop at the
// cap quickly and without holding more than a few caps' worth of memory.
func TestGzipBomb(t *testing.T) {
	t.Parallel()
	bomb, err := os.ReadFile("testdata/bomb.gz.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(bomb) > 10<<10 {
		t.Fatalf("bomb fixture is %d bytes, want ≤ 10 KB", len(bomb))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip, gzip")
		_, _ = w.Write(bomb)
	}))
	defer srv.Close()
	const limit = 2 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	resp, err := devClient(Options{}).Get(context.Background(), Request{URL: srv.URL, MaxBytes: limit})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != limit {
		t.Fatalf("got %d bytes truncated=%v, want the %d-byte cap", len(resp.Body), resp.Truncated, limit)
	}
	// Other tests run in parallel, so allow generous slack; inflating the whole bomb
	// would allocate a thousand times more.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB while reading a %d MiB cap", alloc>>20, limit>>20)
	}
	if elapsed > 15*time.Second { // inflating the gigabyte would take far longer
		t.Errorf("took %v", elapsed)
	}
}

// TestSlowServers: a server that drips one byte a second must hit the total timeout,
// whether it drips the headers or the body.
func TestSlowServers(t *testing.T) {
	t.Parallel()
	dripBody := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		for i := 0; i < 60; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	}))
	t.Cleanup(dripBody.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				// Read the request first: bytes sent before it arrives are an unsolicited
				// response to Go's transport (a CRAWL_001, not the slow answer tested).
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				for _, b := range []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nhello") {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
					time.Sleep(time.Second)
				}
			}()
		}
	}()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() }) // accepts (kernel backlog) and never answers

	for name, u := range map[string]string{
		"body":    dripBody.URL,
		"headers": "http://" + ln.Addr().String() + "/",
		"silent":  "http://" + silent.Addr().String() + "/",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			_, err := devClient(Options{Timeout: 1500 * time.Millisecond}).Get(context.Background(), Request{URL: u})
			wantCode(t, err, o2sound.CodeCrawlTimeout)
			if d := time.Since(start); d > 10*time.Second { // the drip would take 60 s
				t.Errorf("gave up after %v, want about 1.5s", d)
			}
		})
	}
}

func TestCallerCancelIsNotATimeout(t *testing.T) {
	t.Parallel()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = devClient(Options{}).Get(ctx, Request{URL: "http://" + silent.Addr().String()})
	if !errors.Is(err, context.Canceled) || ErrorCode(err) != "" {
		t.Fatalf("got %v (code %q), want a plain context.Canceled", err, ErrorCode(err))
	}
}

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/r/%d", &n)
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusMovedPermanently)
			return
		}
		fmt.Fprint(w, "arrived")
	}))
	defer srv.Close()
	c := devClient(Options{})
	for hops, ok := range map[int]bool{0: true, 1: true, 5: true, 6: false, 50: false} {
		resp, err := c.Get(context.Background(), Request{URL: fmt.Sprintf("%s/r/%d", srv.URL, hops)})
		if !ok {
			wantCode(t, err, o2sound.CodeCrawlUnreachable)
			continue
		}
		if err != nil {
			t.Fatalf("%d hops: %v", hops, err)
		}
		if string(resp.Body) != "arrived" || !strings.HasSuffix(resp.URL, "/r/0") {
			t.Errorf("%d hops: body %q url %s", hops, resp.Body, resp.URL)
		}
	}
	noFollow := devClient(Options{MaxRedirects: -1})
	_, err := noFollow.Get(context.Background(), Request{URL: srv.URL + "/r/1"})
	wantCode(t, err, o2sound.CodeCrawlUnreachable)
}

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
	}))
	defer srv.Close()
	if _, err := devClient(Options{}).Get(context.Background(), Request{URL: srv.URL, Accept: "text/html"}); err != nil {
		t.Fatal(err)
	}
	h := got.Load().(http.Header)
	if ua := h.Get("User-Agent"); !strings.HasPrefix(ua, "O2SoundBot/") {
		t.Errorf("User-Agent %q", ua)
	}
	if h.Get("Accept") != "text/html" || !strings.Contains(h.Get("Accept-Encoding"), "gzip") {
		t.Errorf("headers %v", h)
	}
}

func TestStatusError(t *testing.T) {
	t.Parallel()
	for status, code := range map[int]string{200: "", 204: "", 404: o2sound.CodeCrawlHTTPStatus, 403: o2sound.CodeCrawlHTTPStatus, 500: o2sound.CodeCrawlHTTPStatus, 429: o2sound.CodeCrawlHTTPStatus} {
		err := StatusError(&Response{StatusCode: status, URL: "http://x/"})
		if ErrorCode(err) != code {
			t.Errorf("%d: got %v, want code %q", status, err, code)
		}
		if code != "" && !strings.Contains(err.Error(), fmt.Sprint(status)) {
			t.Errorf("%d: message %q does not name the status", status, err)
		}
	}
}

func TestErrorsAsThroughWrapping(t *testing.T) {
	t.Parallel()
	base := &Error{Code: o2sound.CodeCrawlTimeout, Message: "slow", Err: context.DeadlineExceeded}
	wrapped := fmt.Errorf("crawl: home page: %w", fmt.Errorf("outer: %w", base))
	var e *Error
	if !errors.As(wrapped, &e) || e.Code != o2sound.CodeCrawlTimeout {
		t.Fatalf("errors.As failed on %v", wrapped)
	}
	if !errors.Is(wrapped, &Error{Code: o2sound.CodeCrawlTimeout}) || errors.Is(wrapped, &Error{Code: o2sound.CodeCrawlRobots}) {
		t.Fatal("errors.Is by code")
	}
	if !errors.Is(wrapped, context.DeadlineExceeded) {
		t.Fatal("cause lost")
	}
}

// TestWholeSkipsOversizedBody: an image that announces itself as too large is not read.
func TestWholeSkipsOversizedBody(t *testing.T) {
	t.Parallel()
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(64<<20))
		chunk := make([]byte, 32<<10)
		for i := 0; i < 2048; i++ {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	resp, err := devClient(Options{}).Get(context.Background(), Request{URL: srv.URL, MaxBytes: 1 << 20, Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || resp.Body != nil {
		t.Fatalf("truncated=%v body=%d bytes", resp.Truncated, len(resp.Body))
	}
	srv.CloseClientConnections()
	if w := written.Load(); w >= 64<<20 {
		t.Errorf("server wrote the whole %d bytes", w)
	}
}

func TestPortsDefault(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// Private networks allowed but ports pinned: the test server's port is refused.
	c := NewClient(Options{AllowPrivateNetworks: true, AllowedPorts: []int{80, 443}})
	_, err := c.Get(context.Background(), Request{URL: srv.URL})
	wantCode(t, err, o2sound.CodeCrawlAddress)
}
