package googleauth

import (
	"errors"
	"net/url"
	"path"
	"strings"
)

// maxReturnURL bounds return_url; it travels back in a redirect's Location header.
const maxReturnURL = 2048

// CheckReturnURL decides where a finished sign-in may send the browser. An empty
// raw means the first frontend origin's root. A path of the owners' page on this
// server (/app or /app/…) is accepted as it is. Otherwise raw must be an absolute
// http(s) URL whose scheme, host and port equal one of origins exactly (default ports
// may be written or left out). The URL returned is rebuilt from the parsed parts, so
// what is redirected to is exactly what was checked. The error says what is wrong in
// words safe to show a user.
//
// Everything a browser might read differently from Go's parser is refused up front
// rather than reasoned about: backslashes (browsers treat them as slashes), control
// characters and spaces (stripped by browsers), user info (https://app@evil.com) and
// scheme-relative or opaque forms (//evil.com, https:evil.com, javascript:…).
func CheckReturnURL(raw string, origins []string) (string, error) {
	if raw == "" {
		if len(origins) == 0 {
			return "", errors.New("return_url is required: no frontend origin is configured")
		}
		return strings.TrimRight(origins[0], "/") + "/", nil
	}
	bad := errors.New("return_url must be a page of a configured frontend origin (FRONTEND_ORIGINS)")
	if len(raw) > maxReturnURL {
		return "", errors.New("return_url is longer than 2048 characters")
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c == 0x7f || c == '\\' || c >= 0x80 {
			return "", bad
		}
	}
	if IsLocalReturn(raw) {
		return localReturnURL(raw)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", bad
	}
	if u.Path != "" && !strings.HasPrefix(u.Path, "/") {
		return "", bad
	}
	got := origin(u.Scheme, u.Host)
	for _, o := range origins {
		ou, err := url.Parse(o)
		if err != nil || ou.Host == "" {
			continue
		}
		if got == origin(ou.Scheme, ou.Host) {
			u.Host = strings.ToLower(u.Host)
			if u.Path == "" {
				u.Path = "/"
			}
			return u.String(), nil
		}
	}
	return "", bad
}

// origin is the comparable form of scheme://host[:port]: lower case, default port dropped.
func origin(scheme, host string) string {
	scheme, host = strings.ToLower(scheme), strings.ToLower(host)
	switch {
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	}
	return scheme + "://" + host
}

// IsLocalReturn reports whether a return URL names a page of this server (a path,
// not an absolute URL): the owners' web page at /app/.
func IsLocalReturn(ret string) bool {
	return strings.HasPrefix(ret, "/")
}

// localReturnURL accepts /app and /app/… with an optional query. "//host" and
// "/\host" would leave the site in a browser, so only a single leading slash
// followed by "app" passes (backslashes and controls were refused already).
func localReturnURL(raw string) (string, error) {
	bad := errors.New("return_url must be a page of a configured frontend origin (FRONTEND_ORIGINS) or of /app/")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || strings.HasPrefix(raw, "//") {
		return "", bad
	}
	// No fragment: http.Redirect cleans a relative Location up to its "?", so
	// "/app#/../../x" would lead to /x. And the path must stay in /app once cleaned.
	if strings.Contains(raw, "#") || u.Path != "/app" && !strings.HasPrefix(u.Path, "/app/") ||
		strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
		return "", bad
	}
	if clean := path.Clean(u.Path); clean != "/app" && !strings.HasPrefix(clean, "/app/") {
		return "", bad
	}
	return u.String(), nil
}
