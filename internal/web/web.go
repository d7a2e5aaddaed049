// Package web is the owners' page at /app/: sign in, paste a website's address,
// watch the video being made, review and edit what it will say and show, play,
// share, make again and delete it. It is plain ES modules
// and CSS embedded in the binary, with no build step and nothing fetched from
// other sites, built only on the public HTTP API (same origin, session cookie).
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
)

//go:embed assets
var assetFS embed.FS

// Prefix is where the page lives; the API keeps every other path.
const Prefix = "/app/"

// Options configure the page.
type Options struct {
	// Google shows "Sign in with Google" (GET /social/google/login) when true.
	Google bool
	// SessionCookie is the API's session cookie name; empty means "session".
	// Only its presence is read (never its value), so the page can skip asking
	// the API who is signed in when nobody can be.
	SessionCookie string
}

// routes are the page's own addresses; each serves index.html and the script
// draws the view (see the router in assets/js/app.js, which must agree).
// Anything else under /app/ still serves the page, so it can say "not found",
// but with a 404 status.
var routes = []*regexp.Regexp{
	regexp.MustCompile(`^$`),
	regexp.MustCompile(`^(signin|signup|new|profile)/?$`),
	regexp.MustCompile(`^(tasks|videos|businesses)/[A-Za-z0-9_-]{1,64}/?$`),
	regexp.MustCompile(`^tasks/[A-Za-z0-9_-]{1,64}/edit/?$`),
}

// asset is one embedded file, prepared once: its type and a strong ETag.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

type handler struct {
	opts   Options
	assets map[string]*asset // by path below assets/, e.g. "js/app.js"
	index  *asset
}

// Handler serves the page under /app/ (register it for "GET /app/").
func Handler(o Options) http.Handler {
	if o.SessionCookie == "" {
		o.SessionCookie = "session"
	}
	h := &handler{opts: o, assets: map[string]*asset{}}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) { // the system's MIME table may lack or differ on these
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".json":
			ctype = "application/json"
		case ".svg":
			ctype = "image/svg+xml"
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".html":
			ctype = "text/html; charset=utf-8"
		}
		h.assets[strings.TrimPrefix(p, "assets/")] = &asset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		panic("web: embedded assets: " + err.Error()) // the embed is fixed at build time
	}
	h.index = h.assets["index.html"]
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "REQ_005", r.Method+" is not allowed here")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
		return
	}
	switch {
	case rest == "config.json":
		h.serveConfig(w, r)
	case strings.HasPrefix(rest, "assets/"):
		a := h.assets[strings.TrimPrefix(rest, "assets/")]
		if a == nil || rest == "assets/index.html" {
			writeError(w, http.StatusNotFound, "REQ_004", "no such file: "+r.URL.Path)
			return
		}
		serveAsset(w, r, a, http.StatusOK)
	default:
		status := http.StatusNotFound
		for _, re := range routes {
			if re.MatchString(rest) {
				status = http.StatusOK
				break
			}
		}
		h.servePage(w, r, status)
	}
}

// servePage answers with index.html and its Content-Security-Policy.
func (h *handler) servePage(w http.ResponseWriter, r *http.Request, status int) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", csp(r.Host))
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	serveAsset(w, r, h.index, status)
}

// serveConfig tells the script what this server offers and whether a session
// cookie is there at all: without one nobody is signed in, and the page shows
// the sign-in form without a request that would fail with 401 (which browsers
// report as an error in the console).
func (h *handler) serveConfig(w http.ResponseWriter, r *http.Request) {
	_, err := r.Cookie(h.opts.SessionCookie)
	body := map[string]bool{"google": h.opts.Google, "session": err == nil}
	b, _ := json.Marshal(body)
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Vary", "Cookie")
	w.Write(b)
}

// serveAsset answers with an embedded file. Browsers revalidate (no-cache) and get
// 304 while the binary is the same, so an upgrade never leaves a stale script.
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset, status int) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("ETag", a.etag)
	if status == http.StatusOK {
		// ServeContent handles If-None-Match, HEAD and Range.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
		return
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
}

// hostPattern is what a Host header may hold before it goes into a header value.
var hostPattern = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// csp is the page's policy: its own scripts and styles only, no inline code, API
// calls and the progress WebSocket to this origin, media from here (and blob:),
// images from here or any https site (businesses' photos live on their sites).
func csp(host string) string {
	connect := "'self'"
	if hostPattern.MatchString(host) {
		// 'self' covers ws: and wss: only in newer browsers; name them too.
		connect += " ws://" + host + " wss://" + host
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data: https:",
		"media-src 'self' blob:",
		"connect-src " + connect,
		"font-src 'self'",
		"manifest-src 'self'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// writeError answers with the API's error envelope.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"status": "error", "error_code": code, "error_message": msg, "details": map[string]any{}})
}
