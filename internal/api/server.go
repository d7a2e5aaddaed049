// Package api is O2Sound's HTTP interface: the seed's routes on the standard library
// mux, documented by huma (OpenAPI 3.1), with sessions, CSRF and CORS middleware.
// Handlers decode, call one service function and encode; rules live in the services.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/googleauth"
	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/metrics"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// Deps is what the server needs; main wires it by hand.
type Deps struct {
	Config   *config.Config
	Logger   *slog.Logger
	Accounts *account.Service
	Library  *library.Service
	// Workflow makes videos; nil leaves the moviemaker endpoints out (tests of the rest).
	Workflow Workflow
	// Google is Google sign-in; nil or unconfigured, its endpoints answer AUTH_006.
	Google  *googleauth.Service
	Version string
	// Health checks beyond the database (the job queue, workers), added by later stages.
	Health []HealthCheck
	// Ping checks the database.
	Ping func(ctx context.Context) error
	// Web is the owners' page served under /app/ (nil leaves it out).
	Web http.Handler
	// StageTimes is what each stage typically takes here, for the time left a task view
	// shows; it is asked on every view, so it must be cheap (a cache). Nil: defaults.
	StageTimes func(ctx context.Context) o2sound.StageTimes
	// Metrics records requests and serves /metrics to admins (nil: neither).
	Metrics *metrics.Metrics
	// AdminJobs is River UI, served under /admin/jobs/ to admins (nil leaves it out).
	AdminJobs http.Handler
}

// HealthCheck reports one part of the system for GET /health: a key, its state as
// shown to clients, and whether it is healthy.
type HealthCheck func(ctx context.Context) (key string, state any, healthy bool)

// Server is the HTTP API.
type Server struct {
	Deps
	mux     *http.ServeMux
	api     huma.API
	handler http.Handler
}

// New builds the server and registers every route.
func New(d Deps) *Server {
	installHumaErrors()
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{Deps: d, mux: http.NewServeMux()}

	hc := huma.DefaultConfig("O2Sound API", d.Version)
	hc.Info.Description = "Turns a small business's website into a promotional music video. " +
		"Errors share one envelope: {status, error_code, error_message, details}."
	hc.CreateHooks = nil // no $schema links in bodies: clients expect the seed's plain objects
	hc.DocsPath = ""     // /docs and /redoc are served from embedded assets (docs.go)
	hc.SchemasPath = ""
	hc.OpenAPIPath = "/openapi"
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: sessionCookie, Description: "Set by POST /auth/login"},
	}
	s.api = humago.New(s.mux, hc)

	s.registerMeta()
	s.registerAuth()
	s.registerUser()
	s.registerItems()
	s.registerVideos()
	s.registerSocial()
	if d.Workflow != nil {
		s.registerMoviemaker()
		s.registerRemake()
	}
	s.registerDocs()
	s.registerAdmin()
	if d.Web != nil {
		s.mux.Handle("GET /app/", d.Web)
		s.mux.Handle("GET /app", http.RedirectHandler("/app/", http.StatusMovedPermanently))
	}

	s.handler = s.recoverer(s.logRequests(s.securityHeaders(s.cors(s.crossOrigin(s.routeOrError(s.withSession(s.mux)))))))
	return s
}

// Handler is the complete HTTP handler with middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// API exposes huma so later stages (the workflow) can register their operations.
func (s *Server) API() huma.API { return s.api }

// Mux exposes the router for handlers that are not JSON operations (WebSocket, pages).
func (s *Server) Mux() *http.ServeMux { return s.mux }

// fail turns an error from a service into the envelope for a huma handler.
func (s *Server) fail(ctx context.Context, err error) error {
	return errorBodyOf(ctx, s.Logger, err)
}

type ctxKey int

const (
	reqInfoKey ctxKey = iota
	routeKey
)

// routeNote carries the mux pattern that matched a request back out to the request
// log and metrics (the raw path would make one metric label per id).
type routeNote struct{ pattern string }

// reqInfo travels in the request context: the session token and client address,
// and the user once resolved (lazily, so public routes cost no database lookup).
type reqInfo struct {
	token  string
	client string
	user   *o2sound.User
	err    error
	done   bool
}

func info(ctx context.Context) *reqInfo {
	ri, _ := ctx.Value(reqInfoKey).(*reqInfo)
	if ri == nil {
		return &reqInfo{}
	}
	return ri
}

// CurrentUser returns the signed-in user of the request, or an AUTH_004 error.
func (s *Server) CurrentUser(ctx context.Context) (*o2sound.User, error) {
	ri := info(ctx)
	if !ri.done {
		ri.user, ri.err = s.Accounts.Authenticate(ctx, ri.token)
		ri.done = true
	}
	if ri.err != nil {
		return nil, s.fail(ctx, ri.err)
	}
	return ri.user, nil
}

func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := &reqInfo{client: s.clientAddr(r)}
		if c, err := r.Cookie(sessionCookie); err == nil {
			ri.token = c.Value
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), reqInfoKey, ri)))
	})
}

func (s *Server) clientAddr(r *http.Request) string {
	if s.Config != nil && s.Config.TrustProxy {
		// The last entry is the one the trusted proxy added; earlier ones come from
		// the client and can say anything.
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// routeOrError answers unknown routes and wrong methods with the JSON envelope
// instead of the mux's plain-text pages.
func (s *Server) routeOrError(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// "GET /" is the service-info route; in the mux it would also match every
		// unknown path, so only the root itself goes there.
		if _, pattern := s.mux.Handler(r); pattern != "" && (pattern != "GET /" || r.URL.Path == "/") {
			if note, ok := r.Context().Value(routeKey).(*routeNote); ok {
				note.pattern = pattern
			}
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/user/video/") {
			// Odd stream names (encoded slashes, dot segments) never reach the file
			// store and are not redirected to a cleaned path: they simply do not exist.
			writeErrorBody(w, videoNotFound())
			return
		}
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			if m == r.Method {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := s.mux.Handler(probe); pattern != "" && !strings.HasSuffix(pattern, " /") {
				w.Header().Set("Allow", m)
				writeErrorBody(w, newErrorBody(http.StatusMethodNotAllowed, o2sound.CodeMethod, r.Method+" is not allowed here", nil))
				return
			}
		}
		writeErrorBody(w, notFoundBody(r.URL.Path))
	})
}

func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if s.Config != nil {
		for _, o := range s.Config.FrontendOrigins {
			cop.AddTrustedOrigin(o) // validated at start-up
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErrorBody(w, newErrorBody(http.StatusForbidden, o2sound.CodeCrossOrigin,
			"cross-origin request refused: this site is not an allowed frontend origin", nil))
	}))
	return cop.Handler(next)
}

// cors lets the configured frontends call the API with credentials.
func (s *Server) cors(next http.Handler) http.Handler {
	allowed := map[string]bool{}
	if s.Config != nil {
		for _, o := range s.Config.FrontendOrigins {
			allowed[o] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !allowed[origin] {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Range")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Stream URLs are share links: never leak them to other sites as a Referer.
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 with the envelope; no panic escapes.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.ErrorContext(r.Context(), "panic in handler", "panic", v, "path", logPath(r.URL.Path))
				writeErrorBody(w, internalErrorBody())
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logPath is a request path fit for the logs: the segments that are secrets — a
// video's share-link name, a one-time sign-in token — are replaced.
func logPath(p string) string {
	for _, prefix := range []string{"/user/video/", "/social/google/token/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" && rest != "delete" {
			return prefix + "…"
		}
	}
	return p
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (WebSocket hijack, flush).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs one line per request. Query strings are left out: OAuth codes and
// tokens travel there.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		route := &routeNote{}
		r = r.WithContext(context.WithValue(r.Context(), routeKey, route))
		next.ServeHTTP(rec, r)
		s.Metrics.ObserveRequest(route.pattern, r.Method, rec.status, time.Since(start))
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		// LogAttrs, not Log: typed attributes are not boxed into interfaces, one line
		// per request.
		s.Logger.LogAttrs(r.Context(), level, "http", slog.String("method", r.Method), slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Int64("ms", time.Since(start).Milliseconds()),
			slog.String("client", s.clientAddr(r)))
	})
}
