package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// The codes an *Error carries are the crawler's, named once in o2sound (CodeCrawl…)
// with the rest of the registry. They are stable: the API maps them to HTTP statuses and
// clients may switch on them. Message always says what the business owner can do about
// it; Err keeps the internal cause for the logs.
//
//	CRAWL_001  unreachable: the name does not resolve, the connection or TLS failed,
//	           or the site redirects in a loop
//	CRAWL_002  timed out: the site did not answer (or finish answering) in time
//	CRAWL_003  not HTML: the address points at something other than a web page
//	CRAWL_004  blocked by robots.txt: the site asks crawlers not to read this page
//	CRAWL_005  address not allowed: private, loopback, link-local, metadata or
//	           otherwise reserved address, or a port other than the allowed ones
//	CRAWL_006  nothing usable found: no name, description or photo on the site
//	CRAWL_007  invalid URL: not an http(s) address, has a user name/password, too long
//	CRAWL_008  error status: the site answered, but with an error (404, 500, …)

// Error is a fetch or crawl failure with a stable Code and a Message safe to show the
// person who typed the URL. Err is the internal cause (logged, never shown).
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Err     error  `json:"-"`
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, &fetch.Error{Code: o2sound.CodeCrawlTimeout}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == "" && t.Err == nil
}

// ErrorCode returns the code of the first *Error in err's chain, or "" if there is none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func newError(code, msg string, cause error) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}

// classify turns a transport failure into an *Error, keeping an *Error already in the
// chain (the dialer's address refusal travels through url.Error and net.OpError).
func classify(ctx context.Context, rawURL string, err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil && !errors.Is(context.Cause(ctx), errTotalTimeout) {
		// The caller gave up; that is not the site's fault and not worth a user message.
		return fmt.Errorf("fetch: %s: %w", rawURL, err)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errTotalTimeout) {
		return newError(o2sound.CodeCrawlTimeout, "The website took too long to answer. Check that it loads in a browser and try again later.", err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return newError(o2sound.CodeCrawlTimeout, "The website took too long to answer. Check that it loads in a browser and try again later.", err)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return newError(o2sound.CodeCrawlUnreachable, "We could not find that website. Check the spelling of the address.", err)
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return newError(o2sound.CodeCrawlUnreachable, "The website's security certificate is not valid, so we could not open it safely. Try the http:// address or fix the certificate.", err)
	}
	return newError(o2sound.CodeCrawlUnreachable, "We could not connect to that website. Check that it loads in a browser.", err)
}
