package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/phone"
)

// OwnerRef is the seed's {"id": "<user uuid>"} body. The session decides who the caller
// is; a body naming someone else is refused (403) rather than obeyed.
type OwnerRef struct {
	ID string `json:"id,omitempty" maxLength:"64" example:"123e4567-e89b-12d3-a456-426614174000" doc:"Optional; must be the signed-in user's id"`
}

func checkSelf(u *o2sound.User, id string) error {
	if id != "" && !strings.EqualFold(id, u.ID) {
		return &o2sound.Error{Code: o2sound.CodeForbidden, Message: "you can only act on your own account"}
	}
	return nil
}

func checkSelfLogin(u *o2sound.User, userID string) error {
	if userID != "" && !strings.EqualFold(userID, u.UserID) {
		return &o2sound.Error{Code: o2sound.CodeForbidden, Message: "you can only act on your own account"}
	}
	return nil
}

// profileInput's body is optional: the session already says whose profile it is.
type profileInput struct{ Body *OwnerRef }

type profileOutput struct {
	Body struct {
		ID          string    `json:"id"`
		UserID      string    `json:"user_id"`
		Name        string    `json:"name"`
		Email       string    `json:"email"`
		PhoneNumber string    `json:"phone_number" example:"010-1234-5678" doc:"In its country's national format: 010-1234-5678, (512) 555-0147"`
		CreatedAt   time.Time `json:"created_at"`
	}
}

type profileUpdateInput struct {
	Body struct {
		ID          string `json:"id,omitempty" maxLength:"64" doc:"Optional; must be the signed-in user's id"`
		Name        string `json:"name" maxLength:"200" example:"홍길동"`
		Email       string `json:"email,omitempty" maxLength:"254" example:"newemail@example.com" doc:"Empty removes the email"`
		PhoneNumber string `json:"phone_number,omitempty" maxLength:"32" example:"010-9876-5432" doc:"Any country's number; without \"+\" it is read in the country of the current number (Korean for none). Empty removes it."`
	}
}

type profileUpdateOutput struct {
	Body struct {
		UserID string `json:"user_id"`
		Name   string `json:"name"`
	}
}

var sessionSecurity = []map[string][]string{{"session": {}}}

func (s *Server) registerUser() {
	huma.Register(s.api, huma.Operation{
		OperationID: "get-profile", Method: http.MethodPost, Path: "/user/profile",
		Summary: "The signed-in user's profile", Tags: []string{"User"}, Security: sessionSecurity,
	}, func(ctx context.Context, in *profileInput) (*profileOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if in.Body != nil {
			if err := checkSelf(u, in.Body.ID); err != nil {
				return nil, s.fail(ctx, err)
			}
		}
		out := &profileOutput{}
		out.Body.ID, out.Body.UserID, out.Body.Name = u.ID, u.UserID, u.Name
		out.Body.Email, out.Body.PhoneNumber, out.Body.CreatedAt = u.Email, phone.Format(u.PhoneNumber, ""), u.CreatedAt
		return out, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "update-profile", Method: http.MethodPut, Path: "/user/profile/update",
		Summary: "Change name, email and phone", Tags: []string{"User"}, Security: sessionSecurity,
	}, func(ctx context.Context, in *profileUpdateInput) (*profileUpdateOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if err := checkSelf(u, in.Body.ID); err != nil {
			return nil, s.fail(ctx, err)
		}
		up, err := s.Accounts.UpdateProfile(ctx, u.ID, in.Body.Name, in.Body.Email, in.Body.PhoneNumber)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &profileUpdateOutput{}
		out.Body.UserID, out.Body.Name = up.UserID, up.Name
		return out, nil
	})
}
