package htmltext

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// BaseURL applies <base href> when it is a usable absolute or relative URL.
func BaseURL(doc *html.Node, pageURL *url.URL) *url.URL {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			if href := Attr(n, "href"); href != "" {
				if u, err := pageURL.Parse(href); err == nil && (u.Scheme == pageURL.Scheme || u.Scheme == "http" || u.Scheme == "https") {
					return u
				}
			}
			break
		}
	}
	return pageURL
}

// ResolveRef resolves an attribute value against base, accepting only http(s) results
// (and file: ones when the page itself is local).
func ResolveRef(base *url.URL, ref string) (*url.URL, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") || len(ref) > 2048 {
		return nil, false
	}
	if base.Scheme == "file" && strings.HasPrefix(ref, "//") {
		// A saved page's protocol-relative "//host/x.jpg" was an https address on
		// its site, never a file on a host called host.
		ref = "https:" + ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return nil, false
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, false
		}
	case "file":
		if base.Scheme != "file" || u.Host != "" {
			return nil, false
		}
	default:
		return nil, false
	}
	u.Fragment, u.RawFragment = "", ""
	return u, true
}
