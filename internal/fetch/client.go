// Package fetch is O2Sound's safe HTTP client: the one place that fetches URLs a stranger
// typed. It only speaks http and https to allowed ports; it checks every address it is
// about to connect to at dial time (so each redirect hop and every DNS answer, including a
// rebinding one, is covered) and refuses loopback, private, link-local, multicast,
// unspecified and reserved ranges, their IPv4-mapped/6to4/NAT64 spellings and cloud
// metadata addresses; it follows at most five redirects, bounds connect and total time,
// caps the decoded body (a gzip bomb stops at the cap), sends a clear User-Agent and
// honours robots.txt.
//
// Errors are *Error values with the CRAWL_xxx codes documented on o2sound.CodeCrawlUnreachable.
package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/o2sound/o2sound/internal/o2sound"
	"golang.org/x/sync/singleflight"
)

// Defaults for Options fields left zero.
const (
	DefaultUserAgent      = "O2SoundBot/1.0 (+https://github.com/o2sound/o2sound; makes promotional videos for the site owner)"
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	MaxRedirects          = 5
)

// Options configures a Client. The zero value is the safe production setting.
type Options struct {
	// AllowPrivateNetworks lets the client reach loopback and private addresses, for local
	// development and tests (CRAWL_ALLOW_PRIVATE_NETWORKS). Cloud metadata and link-local
	// addresses stay refused.
	AllowPrivateNetworks bool `json:"allow_private_networks,omitempty"`
	// AllowedPorts lists the ports the client may connect to. Empty means 80 and 443, or
	// any port when AllowPrivateNetworks is set.
	AllowedPorts []int `json:"allowed_ports,omitempty"`
	// AllowedPrefixes are address ranges allowed even though they are normally refused,
	// e.g. an internal mirror. Metadata addresses cannot be allowed.
	AllowedPrefixes []netip.Prefix `json:"allowed_prefixes,omitempty"`
	UserAgent       string         `json:"user_agent,omitempty"`
	// ConnectTimeout bounds DNS plus TCP connect plus TLS handshake.
	ConnectTimeout time.Duration `json:"connect_timeout,omitempty"`
	// Timeout bounds one request from dial to the last body byte, redirects included.
	Timeout time.Duration `json:"timeout,omitempty"`
	// MaxRedirects is clamped to 0…5; 0 means 5. Negative means no redirects.
	MaxRedirects int `json:"max_redirects,omitempty"`
	// MaxBodyBytes caps a decoded body when the request does not set its own cap.
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty"`
	// Resolver replaces net.DefaultResolver (tests; split-horizon setups).
	Resolver Resolver `json:"-"`
	// RootCAs replaces the system roots (tests with httptest.NewTLSServer).
	RootCAs *x509.CertPool `json:"-"`
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	switch {
	case o.MaxRedirects == 0 || o.MaxRedirects > MaxRedirects:
		o.MaxRedirects = MaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = -1
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return o
}

// Client is safe for concurrent use. Create one per crawl or share one; it caches
// robots.txt per origin for an hour.
type Client struct {
	opts       Options
	policy     *policy
	http       *http.Client
	robotToken string

	robotsGroup singleflight.Group
	robotsMu    sync.Mutex
	robotsCache map[string]robotsEntry
}

type robotsEntry struct {
	rules   *robotsRules
	expires time.Time
}

const (
	robotsTTL       = time.Hour
	robotsCacheSize = 512
)

// errTotalTimeout is the cause attached to a request's deadline, to tell our timeout
// from a caller's cancellation.
var errTotalTimeout = errors.New("fetch: request timed out")

// NewClient builds a Client from opts.
func NewClient(opts Options) *Client {
	opts = opts.withDefaults()
	c := &Client{
		opts:        opts,
		policy:      newPolicy(opts),
		robotToken:  productToken(opts.UserAgent),
		robotsCache: make(map[string]robotsEntry),
	}
	d := &net.Dialer{
		Timeout:   opts.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   c.policy.control,
	}
	tr := &http.Transport{
		// Never a proxy from the environment: it would connect on our behalf, unchecked.
		Proxy:                  nil,
		DialContext:            c.policy.dialer(resolverOf(opts), d),
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: opts.RootCAs},
		TLSHandshakeTimeout:    opts.ConnectTimeout,
		ResponseHeaderTimeout:  opts.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		// We decode gzip/deflate ourselves so the cap applies to decoded bytes and
		// layered encodings are handled too.
		DisableCompression: true,
		ForceAttemptHTTP2:  true,
	}
	c.http = &http.Client{
		Transport:     tr,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// Options returns the effective options (defaults applied).
func (c *Client) Options() Options { return c.opts }

// CloseIdleConnections releases pooled connections.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Request describes one GET.
type Request struct {
	URL string
	// Accept is sent as the Accept header; empty sends "*/*".
	Accept string
	// MaxBytes caps the decoded body; 0 uses Options.MaxBodyBytes.
	MaxBytes int64
	// Whole asks for all of the body or nothing: when the body is larger than MaxBytes
	// the response is returned with Truncated set and no Body (an image cut short is
	// useless, the first megabytes of a page are not).
	Whole bool
	// Robots checks robots.txt for the URL and every redirect hop; a refusal is
	// o2sound.CodeCrawlRobots.
	Robots bool
}

// Response is a fully read, size-capped response.
type Response struct {
	URL         string      `json:"url"` // final URL after redirects
	StatusCode  int         `json:"status_code"`
	ContentType string      `json:"content_type"` // media type, lower case, no parameters
	Charset     string      `json:"charset,omitempty"`
	Header      http.Header `json:"-"`
	Body        []byte      `json:"-"`
	Truncated   bool        `json:"truncated,omitempty"`
}

type ctxKey int

const robotsCheckKey ctxKey = 1

// Get fetches req.URL. Non-2xx statuses are not errors here (robots.txt needs them);
// use StatusError to turn one into the user-facing error.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	u, err := NormalizeURL(req.URL)
	if err != nil {
		return nil, err
	}
	if err := c.policy.checkPort(effectivePort(u)); err != nil {
		return nil, err
	}
	if req.Robots {
		if err := c.Allowed(ctx, u.String()); err != nil {
			return nil, err
		}
	}
	maxBytes := req.MaxBytes
	if maxBytes <= 0 {
		maxBytes = c.opts.MaxBodyBytes
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, errTotalTimeout)
	defer cancel()
	if req.Robots {
		ctx = context.WithValue(ctx, robotsCheckKey, true)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, invalidURL("", err)
	}
	c.setHeaders(hreq, req.Accept)
	hresp, err := c.http.Do(hreq)
	if err != nil {
		return nil, classify(ctx, u.String(), err)
	}
	defer hresp.Body.Close()

	resp := &Response{URL: hresp.Request.URL.String(), StatusCode: hresp.StatusCode, Header: hresp.Header}
	if mt, params, err := mime.ParseMediaType(hresp.Header.Get("Content-Type")); err == nil {
		resp.ContentType, resp.Charset = strings.ToLower(mt), strings.ToLower(params["charset"])
	}
	enc := contentEncodings(hresp.Header)
	if req.Whole && len(enc) == 0 && hresp.ContentLength > maxBytes {
		resp.Truncated = true
		return resp, nil
	}
	body, err := decodeBody(hresp.Body, enc)
	if err != nil {
		return nil, newError(o2sound.CodeCrawlUnreachable, "The website sent content we could not read.", fmt.Errorf("fetch: %s: %w", u, err))
	}
	data, err := io.ReadAll(io.LimitReader(body, maxBytes+1))
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, zlib.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, newError(o2sound.CodeCrawlUnreachable, "The website sent content we could not read.", fmt.Errorf("fetch: %s: %w", u, err))
		}
		return nil, classify(ctx, u.String(), err)
	}
	if int64(len(data)) > maxBytes {
		resp.Truncated = true
		if req.Whole {
			return resp, nil
		}
		data = data[:maxBytes]
	}
	resp.Body = data
	return resp, nil
}

func (c *Client) setHeaders(r *http.Request, accept string) {
	if accept == "" {
		accept = "*/*"
	}
	r.Header.Set("User-Agent", c.opts.UserAgent)
	r.Header.Set("Accept", accept)
	// Most O2Sound customers are Korean shops; ask for the Korean version when a site has both.
	r.Header.Set("Accept-Language", "ko,en;q=0.8,*;q=0.5")
	r.Header.Set("Accept-Encoding", "gzip, deflate")
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if c.opts.MaxRedirects < 0 || len(via) > c.opts.MaxRedirects {
		return newError(o2sound.CodeCrawlUnreachable, "The website redirects too many times. Use the address your browser ends up on.",
			fmt.Errorf("fetch: stopped after %d redirects", len(via)))
	}
	u, err := normalizeParsed(req.URL)
	if err != nil {
		return err
	}
	req.URL = u
	if err := c.policy.checkPort(effectivePort(u)); err != nil {
		return err
	}
	if req.Context().Value(robotsCheckKey) != nil {
		return c.Allowed(req.Context(), u.String())
	}
	return nil
}

// StatusError is the user-facing error for an unsuccessful status, or nil for 2xx.
func StatusError(resp *Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	var msg string
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		msg = "The website says this page does not exist (error %d). Check the address."
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		msg = "The website refused to show this page to us (error %d). Make sure it is public."
	case resp.StatusCode == http.StatusTooManyRequests:
		msg = "The website asked us to slow down (error %d). Try again in a few minutes."
	case resp.StatusCode >= 500:
		msg = "The website had a problem answering (error %d). Try again later."
	default:
		msg = "The website answered with an unexpected status (%d)."
	}
	return newError(o2sound.CodeCrawlHTTPStatus, fmt.Sprintf(msg, resp.StatusCode), fmt.Errorf("fetch: %s: status %d", resp.URL, resp.StatusCode))
}

func contentEncodings(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Content-Encoding") {
		for _, e := range strings.Split(v, ",") {
			e = strings.ToLower(strings.TrimSpace(e))
			if e != "" && e != "identity" {
				out = append(out, e)
			}
		}
	}
	return out
}

// maxEncodingLayers bounds "Content-Encoding: gzip, gzip, …": each layer multiplies the
// ratio, and the cap only bounds the output, not the work of a thousand readers.
const maxEncodingLayers = 2

// decodeBody unwraps content encodings, last applied first. The readers stream, so the
// caller's limit on the result bounds memory however large the inflated body would be.
func decodeBody(r io.Reader, encodings []string) (io.Reader, error) {
	if len(encodings) > maxEncodingLayers {
		return nil, fmt.Errorf("%d content encodings", len(encodings))
	}
	for i := len(encodings) - 1; i >= 0; i-- {
		switch encodings[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, err
			}
			r = zr
		case "deflate":
			// "deflate" should be zlib-wrapped; some servers send raw DEFLATE.
			br := bufio.NewReader(r)
			hdr, _ := br.Peek(2)
			if len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					return nil, err
				}
				r = zr
			} else {
				r = flate.NewReader(br)
			}
		default:
			return nil, fmt.Errorf("unsupported content encoding %q", encodings[i])
		}
	}
	return r, nil
}

// Allowed returns nil when robots.txt lets this client fetch rawURL, a o2sound.CodeCrawlRobots error
// when it does not, and a fetch error when robots.txt could not be fetched at all.
// A missing robots.txt (4xx) allows everything; a server error (5xx) disallows
// everything for now, as RFC 9309 asks.
func (c *Client) Allowed(ctx context.Context, rawURL string) error {
	u, err := NormalizeURL(rawURL)
	if err != nil {
		return err
	}
	rules, err := c.robots(ctx, u)
	if err != nil {
		return err
	}
	if !rules.allowed(u.RequestURI()) {
		msg := "The website's robots.txt asks crawlers not to read this page. Allow O2SoundBot in robots.txt, or make a video from a folder of photos instead."
		if rules.disallowAll {
			msg = "The website's robots.txt could not be read (the server had an error), so we must not crawl it right now. Try again later."
		}
		return newError(o2sound.CodeCrawlRobots, msg, fmt.Errorf("fetch: robots.txt disallows %s for %s", u.RequestURI(), c.robotToken))
	}
	return nil
}

func (c *Client) robots(ctx context.Context, u *url.URL) (*robotsRules, error) {
	origin := u.Scheme + "://" + u.Host
	now := time.Now()
	c.robotsMu.Lock()
	if e, ok := c.robotsCache[origin]; ok && now.Before(e.expires) {
		c.robotsMu.Unlock()
		return e.rules, nil
	}
	c.robotsMu.Unlock()

	// One fetch per origin however many image downloads ask at once. The fetch runs on
	// its own (bounded) clock so one impatient caller cannot fail it for the others, and
	// without the robots flag so a redirecting robots.txt cannot recurse into itself.
	fctx := context.WithValue(context.WithoutCancel(ctx), robotsCheckKey, nil)
	ch := c.robotsGroup.DoChan(origin, func() (any, error) {
		resp, err := c.Get(fctx, Request{URL: origin + "/robots.txt", Accept: "text/plain", MaxBytes: robotsMaxBytes})
		if err != nil {
			return nil, err
		}
		var rules *robotsRules
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			rules = parseRobots(resp.Body, c.robotToken)
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
			rules = &robotsRules{disallowAll: true}
		default:
			rules = &robotsRules{}
		}
		c.robotsMu.Lock()
		if len(c.robotsCache) >= robotsCacheSize {
			clear(c.robotsCache)
		}
		c.robotsCache[origin] = robotsEntry{rules: rules, expires: time.Now().Add(robotsTTL)}
		c.robotsMu.Unlock()
		return rules, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*robotsRules), nil
	case <-ctx.Done():
		return nil, classify(ctx, origin+"/robots.txt", ctx.Err())
	}
}

// productToken is the crawler name robots.txt groups are matched against:
// "O2SoundBot/1.0 (+…)" → "O2SoundBot".
func productToken(ua string) string {
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		return ua[:i]
	}
	return ua
}
