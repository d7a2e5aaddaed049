package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/googleauth"
)

// stateCookie names the cookie binding a Google sign-in to the browser that started
// it. With Secure cookies it takes the __Host- prefix, which browsers accept only
// from this exact host over https with Path=/, so a sibling subdomain cannot plant it.
func (s *Server) stateCookie() string {
	if s.Config.CookieSecure {
		return "__Host-o2sound_google_state"
	}
	return "o2sound_google_state"
}

// appCookie marks a sign-in started from the owners' page, so that a failure
// returns there rather than to GOOGLE_ERROR_URL (the seed's frontend). It decides
// only which of our own pages shows the error.
func (s *Server) appCookie() string {
	if s.Config.CookieSecure {
		return "__Host-o2sound_google_app"
	}
	return "o2sound_google_app"
}

func (s *Server) setStateCookie(w http.ResponseWriter, value string, maxAge time.Duration) {
	s.setSignInCookie(w, s.stateCookie(), value, maxAge)
}

// setSignInCookie sets (or, with an empty value, clears) a cookie that lives for
// one Google sign-in.
func (s *Server) setSignInCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.Config.CookieSecure, SameSite: http.SameSiteLaxMode}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

type googleTokenInput struct {
	TempTokenID string `path:"temp_token_id" maxLength:"128" doc:"The token from the callback's redirect"`
}

type googleUserInfo struct {
	ID       string `json:"id" doc:"The O2Sound account id, as sent in /user/* bodies" example:"123e4567-e89b-12d3-a456-426614174000"`
	Email    string `json:"email" example:"user@gmail.com"`
	Name     string `json:"name" example:"사용자 이름"`
	Picture  string `json:"picture" example:"https://lh3.googleusercontent.com/..."`
	GoogleID string `json:"google_id" doc:"Google's subject for this account" example:"109876543210987654321"`
}

type googleTokenOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		AccessToken string         `json:"access_token" doc:"Google's access token (openid, email, profile)" example:"ya29.a0AfH6SMBx..."`
		TokenType   string         `json:"token_type" example:"Bearer"`
		ExpiresIn   int            `json:"expires_in" doc:"Seconds the access token stays valid" example:"3599"`
		UserInfo    googleUserInfo `json:"user_info"`
	}
}

func (s *Server) registerSocial() {
	s.mux.HandleFunc("GET /social/google/login", s.googleLogin)
	s.mux.HandleFunc("GET /social/google/callback", s.googleCallback)

	errorResponse := func(desc string) *huma.Response {
		return &huma.Response{Description: desc,
			Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/ErrorBody"}}}}
	}
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "google-login", Method: http.MethodGet, Path: "/social/google/login",
		Summary: "Start Google sign-in", Tags: []string{"Social"},
		Description: "Redirects (302) to Google with a one-time state (also set in a short-lived cookie), " +
			"PKCE S256 and a nonce. `return_url` must be a page of one of FRONTEND_ORIGINS (scheme, host and port " +
			"match exactly), or a path of the owners' page on this server (`/app/…`); without it the first origin's " +
			"root is used. A sign-in that returns to `/app/…` is signed in by the session cookie alone (no one-time " +
			"token is added) and a failure returns to `/app/signin?google_error={code}`.",
		Parameters: []*huma.Param{{Name: "return_url", In: "query", Schema: &huma.Schema{Type: "string", MaxLength: ptr(2048)},
			Example: "http://localhost:3300/dashboard"}},
		Responses: map[string]*huma.Response{
			"302": {Description: "To Google's sign-in page"},
			"400": errorResponse("AUTH_007: return_url is not a page of a configured frontend origin"),
			"429": errorResponse("REQ_006: too many sign-ins started from this address"),
			"503": errorResponse("AUTH_006: Google sign-in is not configured; SERVER_002: Google unreachable"),
		},
	})
	s.api.OpenAPI().AddOperation(&huma.Operation{
		OperationID: "google-callback", Method: http.MethodGet, Path: "/social/google/callback",
		Summary: "Google's redirect back (not called by clients)", Tags: []string{"Social"},
		Description: "Checks state (against the cookie) and PKCE, exchanges the code, verifies the ID token, signs the " +
			"user in (sets the `session` cookie) and redirects to `{return_url}?token={temp_token_id}&auth_success=true`. " +
			"The token is single-use, valid for 60 s, and only for this browser session. On failure it redirects to " +
			"GOOGLE_ERROR_URL with `?error=` one of access_denied, provider_error, invalid_state, invalid_request, " +
			"exchange_failed, invalid_id_token, unavailable, server_error.",
		Parameters: []*huma.Param{
			{Name: "code", In: "query", Schema: &huma.Schema{Type: "string"}},
			{Name: "state", In: "query", Schema: &huma.Schema{Type: "string"}},
			{Name: "error", In: "query", Schema: &huma.Schema{Type: "string"}},
		},
		Responses: map[string]*huma.Response{
			"302": {Description: "To return_url with the one-time token, or to the error page"},
			"503": errorResponse("AUTH_006: Google sign-in is not configured"),
		},
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "google-token", Method: http.MethodGet, Path: "/social/google/token/{temp_token_id}",
		Summary: "Exchange the one-time token for the sign-in's details", Tags: []string{"Social"}, Security: sessionSecurity,
		Description: "Answers once, within 60 s of the callback, and only with the session cookie the callback set. " +
			"Google's refresh token is never returned: it stays on the server, encrypted. " +
			"Errors: AUTH_008 (404) unknown, used, expired or another session's token; AUTH_005 (429) too many " +
			"failed look-ups from this address; AUTH_006 (503) not configured.",
	}, func(ctx context.Context, in *googleTokenInput) (*googleTokenOutput, error) {
		ri := info(ctx)
		t, err := s.Google.Redeem(ctx, in.TempTokenID, ri.token, ri.client)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &googleTokenOutput{CacheControl: "no-store"}
		out.Body.AccessToken, out.Body.TokenType, out.Body.ExpiresIn = t.AccessToken, t.TokenType, t.ExpiresIn
		out.Body.UserInfo = googleUserInfo{ID: t.User.ID, Email: t.User.Email, Name: t.User.Name,
			Picture: t.User.Picture, GoogleID: t.User.GoogleID}
		return out, nil
	})
}

func ptr[T any](v T) *T { return &v }

// googleLogin redirects the browser to Google.
func (s *Server) googleLogin(w http.ResponseWriter, r *http.Request) {
	if !s.Google.Enabled() {
		writeError(w, r, s.Logger, googleauth.ErrNotConfigured())
		return
	}
	login, err := s.Google.Begin(r.Context(), r.URL.Query().Get("return_url"), info(r.Context()).client)
	if err != nil {
		writeError(w, r, s.Logger, err)
		return
	}
	s.setStateCookie(w, login.State, login.MaxAge)
	if login.Local {
		s.setSignInCookie(w, s.appCookie(), "1", login.MaxAge)
	} else {
		s.setSignInCookie(w, s.appCookie(), "", 0)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, login.AuthURL, http.StatusFound)
}

// googleCallback finishes the sign-in and redirects to the frontend: with the
// one-time token on success, to the error page with a fixed code otherwise. The
// state cookie is cleared either way; it is good for one attempt.
func (s *Server) googleCallback(w http.ResponseWriter, r *http.Request) {
	if !s.Google.Enabled() {
		writeError(w, r, s.Logger, googleauth.ErrNotConfigured())
		return
	}
	q := r.URL.Query()
	cb := googleauth.Callback{State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error")}
	if c, err := r.Cookie(s.stateCookie()); err == nil {
		cb.BrowserState = c.Value
	}
	_, appErr := r.Cookie(s.appCookie())
	fromApp := appErr == nil
	s.setStateCookie(w, "", 0)
	if fromApp {
		s.setSignInCookie(w, s.appCookie(), "", 0)
	}
	w.Header().Set("Cache-Control", "no-store")
	done, err := s.Google.Complete(r.Context(), cb)
	if err != nil {
		code := googleauth.FailureCode(err)
		level := s.Logger.WarnContext
		if code == googleauth.FailServer {
			level = s.Logger.ErrorContext
		}
		level(r.Context(), "google sign-in failed", "error", code, "cause", err, "client", info(r.Context()).client)
		to := s.Google.FailureURL(code)
		if fromApp {
			to = "/app/signin?" + url.Values{"google_error": {code}}.Encode()
		}
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	s.SetSessionCookie(w, done.Session)
	http.Redirect(w, r, done.RedirectURL, http.StatusFound)
}
