package fetch

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/o2sound/o2sound/internal/o2sound"
	"golang.org/x/net/idna"
)

// MaxURLLength bounds what a user may type; real home pages are far shorter.
const MaxURLLength = 2048

func invalidURL(msg string, cause error) *Error {
	if msg == "" {
		msg = "That web address is not valid. Type it as it appears in your browser, e.g. https://mycafe.kr"
	}
	return newError(o2sound.CodeCrawlInvalidURL, msg, cause)
}

// NormalizeURL parses what a user typed into an absolute http(s) URL: it adds https://
// when no scheme is given, lower-cases scheme and host, converts an internationalised
// host (카페.kr) to its ASCII form, rewrites odd IPv4 spellings to dotted form, and drops
// the fragment. It refuses other schemes, user names and passwords, and malformed hosts
// with o2sound.CodeCrawlInvalidURL. It performs no I/O.
func NormalizeURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, invalidURL("Please enter your website's address.", nil)
	}
	if len(raw) > MaxURLLength {
		return nil, invalidURL("That web address is too long.", fmt.Errorf("%d bytes", len(raw)))
	}
	if !utf8.ValidString(raw) || strings.IndexFunc(raw, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return nil, invalidURL("", fmt.Errorf("control or space character in %q", raw))
	}
	if !hasScheme(raw) {
		raw = "https://" + strings.TrimPrefix(raw, "//")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, invalidURL("", err)
	}
	return normalizeParsed(u)
}

// hasScheme reports whether raw starts with "scheme:" rather than "host:port".
func hasScheme(raw string) bool {
	i := strings.IndexByte(raw, ':')
	if i <= 0 {
		return false
	}
	for j, r := range raw[:i] {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')
		if !ok {
			return false
		}
	}
	if strings.HasPrefix(raw[i:], "://") {
		return true
	}
	// "localhost:8080/x" is a host and port; "mailto:x" or "file:/etc" is a scheme.
	rest := raw[i+1:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	_, err := strconv.Atoi(rest[:end])
	return err != nil || end == 0
}

func normalizeParsed(u *url.URL) (*url.URL, error) {
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, invalidURL("Only web addresses starting with http:// or https:// can be used.", fmt.Errorf("scheme %q", u.Scheme))
	}
	if u.Opaque != "" {
		return nil, invalidURL("", fmt.Errorf("opaque URL %q", u.Opaque))
	}
	if u.User != nil {
		// http://good.example@127.0.0.1/ reads as one host and connects to another.
		return nil, invalidURL("Web addresses with a user name or password (the part before @) are not accepted.", fmt.Errorf("userinfo in URL"))
	}
	host := u.Hostname()
	if host == "" {
		return nil, invalidURL("", fmt.Errorf("no host"))
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n <= 0 || n > 65535 {
			return nil, invalidURL("That web address has an invalid port.", fmt.Errorf("port %q", port))
		}
	}
	ip, isIP, err := parseHostIP(host)
	if err != nil {
		return nil, err
	}
	if isIP {
		host = ip.String()
		if ip.Is6() {
			host = "[" + host + "]"
		}
	} else {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return nil, invalidURL("", fmt.Errorf("host %q: %w", host, err))
		}
		host = strings.ToLower(ascii)
		// The ASCII form must itself be a valid IDNA name, or it would not survive the
		// next normalisation (a redirect hop re-normalises it).
		// Unicode digits map to ASCII ones ("³" → "3", "①②⑦.⓪.⓪.①" → "127.0.0.1"): a
		// name that turns out to be an address is treated as the address.
		if ip, isIP, err := parseHostIP(host); err == nil && isIP {
			host = ip.String()
			if ip.Is6() {
				host = "[" + host + "]"
			}
		} else if again, err := idna.Lookup.ToASCII(host); err != nil || again != host || !validHostName(host) {
			return nil, invalidURL("", fmt.Errorf("host %q", host))
		}
	}
	if port != "" {
		u.Host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	} else {
		u.Host = host
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// effectivePort is the port a URL connects to.
func effectivePort(u *url.URL) int {
	if p := u.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return n
	}
	if u.Scheme == "https" {
		return 443
	}
	return 80
}

// CheckURL is the cheap pre-check the API runs before accepting a crawl: the URL must be
// http(s) without user info, on an allowed port, and its host must be (or resolve only
// to) allowed addresses. It returns the same *Error values the fetcher would. Passing it
// does not make a later fetch safe by itself: the fetcher re-checks at dial time.
func CheckURL(ctx context.Context, rawURL string, opts Options) error {
	u, err := NormalizeURL(rawURL)
	if err != nil {
		return err
	}
	p := newPolicy(opts)
	if err := p.checkPort(effectivePort(u)); err != nil {
		return err
	}
	_, err = p.resolve(ctx, resolverOf(opts), u.Hostname())
	return err
}

func resolverOf(o Options) Resolver {
	if o.Resolver != nil {
		return o.Resolver
	}
	return net.DefaultResolver
}

// validHostName accepts DNS names (underscores included: some hosts have them).
func validHostName(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
