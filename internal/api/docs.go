package api

import (
	"embed"
	"io/fs"
	"net/http"
	"reflect"
	"strings"
)

// The documentation pages work with no network: Swagger UI (swagger-ui-dist 5.35.0,
// Apache-2.0) and ReDoc (redoc 2.5.4 standalone, MIT) are embedded. One change to the
// ReDoc bundle: its sidebar logo came from cdn.redoc.ly and is now an inline data: image.
//
//go:embed docsassets
var docsAssets embed.FS

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>O2Sound API — Swagger UI</title><link rel="icon" href="/app/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script></body></html>`

const swaggerInit = `window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, withCredentials: true});`

const redocPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>O2Sound API — ReDoc</title><link rel="icon" href="/app/assets/icon.svg" type="image/svg+xml"></head>
<body><div id="redoc"></div><script src="/docs/assets/redoc.standalone.js"></script>
<script src="/docs/assets/redoc-init.js"></script></body></html>`

const redocInit = `Redoc.init("/openapi.json", {}, document.getElementById("redoc"));`

// docsCSP keeps the pages to their own assets; the bundles need inline styles and
// ReDoc runs a blob: worker.
const docsCSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; script-src 'self'; connect-src 'self'"

func (s *Server) registerDocs() {
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", docsCSP)
			w.Write([]byte(body))
		}
	}
	script := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	s.mux.HandleFunc("GET /docs", page(swaggerPage))
	s.mux.HandleFunc("GET /redoc", page(redocPage))
	s.mux.HandleFunc("GET /docs/assets/swagger-init.js", script(swaggerInit))
	s.mux.HandleFunc("GET /docs/assets/redoc-init.js", script(redocInit))
	sub, _ := fs.Sub(docsAssets, "docsassets")
	s.mux.Handle("GET /docs/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only the embedded files themselves: an unknown name, a directory or a name
		// the file system refuses (invalid UTF-8 made http.FileServer answer 500) is
		// the API's JSON 404, not a plain-text page.
		name := strings.TrimPrefix(r.URL.Path, "/docs/assets/")
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() {
			writeErrorBody(w, notFoundBody(r.URL.Path))
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeFileFS(w, r, sub, name)
	}))
}

func reflectType[T any]() reflect.Type { return reflect.TypeFor[T]() }
