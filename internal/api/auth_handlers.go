package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/account"
)

const sessionCookie = "session"

type joinInput struct {
	Body struct {
		UserID      string `json:"user_id" maxLength:"64" example:"testuser" doc:"3–32 letters, digits, '_', '.', '-'"`
		Name        string `json:"name" maxLength:"200" example:"홍길동"`
		Password    string `json:"password" maxLength:"1024" example:"securepassword123" doc:"8–128 characters"`
		Email       string `json:"email,omitempty" maxLength:"254" example:"test@example.com"`
		PhoneNumber string `json:"phone_number,omitempty" maxLength:"32" example:"010-1234-5678" doc:"Any country's number; without \"+\" it is read as Korean. Stored in E.164."`
	}
}

type idNameBody struct {
	ID   string `json:"id" example:"123e4567-e89b-12d3-a456-426614174000"`
	Name string `json:"name" example:"홍길동"`
}

type joinOutput struct{ Body idNameBody }

type loginInput struct {
	Body struct {
		UserID   string `json:"user_id" maxLength:"64" example:"testuser"`
		Password string `json:"password" maxLength:"1024" example:"securepassword123"`
	}
}

type loginOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      idNameBody
}

type logoutOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      struct {
		Success bool `json:"success"`
	}
}

func (s *Server) registerAuth() {
	huma.Register(s.api, huma.Operation{
		OperationID: "join", Method: http.MethodPost, Path: "/auth/join", DefaultStatus: http.StatusCreated,
		Summary: "Create an account", Tags: []string{"Auth"},
		Description: "Errors: AUTH_002 (409) user_id taken, AUTH_003 (409) email taken, REQ_001 (422) invalid fields.",
	}, func(ctx context.Context, in *joinInput) (*joinOutput, error) {
		u, err := s.Accounts.Join(ctx, account.JoinRequest{
			UserID: in.Body.UserID, Name: in.Body.Name, Password: in.Body.Password,
			Email: in.Body.Email, PhoneNumber: in.Body.PhoneNumber,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &joinOutput{Body: idNameBody{ID: u.ID, Name: u.Name}}, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/auth/login",
		Summary: "Sign in", Tags: []string{"Auth"},
		Description: "Sets the `session` cookie. Errors: AUTH_001 (401) wrong user_id or password, AUTH_005 (429) too many failed attempts.",
	}, func(ctx context.Context, in *loginInput) (*loginOutput, error) {
		sess, err := s.Accounts.Login(ctx, in.Body.UserID, in.Body.Password, info(ctx).client)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &loginOutput{SetCookie: s.sessionCookie(sess), Body: idNameBody{ID: sess.User.ID, Name: sess.User.Name}}, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/auth/logout",
		Summary: "Sign out", Tags: []string{"Auth"},
		Description: "Ends the session on the server and clears the cookie. Succeeds without a session too.",
	}, func(ctx context.Context, _ *struct{}) (*logoutOutput, error) {
		if err := s.Accounts.Logout(ctx, info(ctx).token); err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &logoutOutput{SetCookie: http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.Config.CookieSecure, SameSite: http.SameSiteLaxMode}}
		out.Body.Success = true
		return out, nil
	})
}

// sessionCookie is the cookie that carries a session token.
func (s *Server) sessionCookie(sess *account.Session) http.Cookie {
	return http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/",
		MaxAge:   int(s.Config.SessionMaxAge.Seconds()),
		HttpOnly: true, Secure: s.Config.CookieSecure, SameSite: http.SameSiteLaxMode,
	}
}

// SetSessionCookie starts a browser session outside huma (the OAuth callback).
func (s *Server) SetSessionCookie(w http.ResponseWriter, sess *account.Session) {
	c := s.sessionCookie(sess)
	http.SetCookie(w, &c)
}
