package api

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
)

// registerAdmin serves the operator's pages: Prometheus metrics and River UI. They
// exist only for admins — ADMIN_USERS signed in with the session cookie, or a client
// with ADMIN_TOKEN as its bearer token (a scraper) — and answer everyone else as an
// unknown path does (404), so they do not even show that they are there.
func (s *Server) registerAdmin() {
	if s.Metrics != nil {
		s.mux.Handle("GET /metrics", s.adminOnly(s.Metrics.Handler()))
	}
	if s.AdminJobs != nil {
		// One pattern per method: a method-less "/admin/jobs/" would conflict with "GET /".
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			s.mux.Handle(m+" /admin/jobs/", s.adminOnly(s.AdminJobs))
		}
		s.mux.Handle("GET /admin/jobs", s.adminOnly(http.RedirectHandler("/admin/jobs/", http.StatusMovedPermanently)))
	}
}

func (s *Server) adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.isAdmin(r) {
			writeErrorBody(w, notFoundBody(r.URL.Path))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) isAdmin(r *http.Request) bool {
	if s.Config == nil {
		return false
	}
	if tok := s.Config.AdminToken; tok != "" {
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
			subtle.ConstantTimeCompare([]byte(bearer), []byte(tok)) == 1 {
			return true
		}
	}
	if len(s.Config.AdminUsers) == 0 {
		return false
	}
	u, err := s.CurrentUser(r.Context())
	if err != nil {
		return false
	}
	return slices.ContainsFunc(s.Config.AdminUsers, func(a string) bool { return strings.EqualFold(a, u.UserID) })
}
