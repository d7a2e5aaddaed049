package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

type serviceInfoOutput struct {
	Body struct {
		Message string `json:"message" example:"O2Sound API"`
		Version string `json:"version" example:"1.0.0"`
		Docs    string `json:"docs" example:"/docs"`
	}
}

type healthOutput struct {
	Status int
	Body   map[string]any
}

func (s *Server) registerMeta() {
	huma.Register(s.api, huma.Operation{
		OperationID: "service-info", Method: http.MethodGet, Path: "/",
		Summary: "Service information", Tags: []string{"Service"},
	}, func(ctx context.Context, _ *struct{}) (*serviceInfoOutput, error) {
		out := &serviceInfoOutput{}
		out.Body.Message = "O2Sound API"
		out.Body.Version = s.Version
		out.Body.Docs = "/docs"
		return out, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "health", Method: http.MethodGet, Path: "/health",
		Summary:     "Health check",
		Description: "Checks the database (and, when workers run, the job queue). 503 with status \"unhealthy\" when a check fails. Only parts O2Sound runs are reported: there is no Redis or Celery.",
		Tags:        []string{"Service"},
		Responses: map[string]*huma.Response{
			"503": {Description: "A dependency is down"},
		},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		body := map[string]any{}
		healthy := true
		if err := s.Ping(ctx); err != nil {
			s.Logger.WarnContext(ctx, "health: database ping failed", "err", err)
			body["database"] = "disconnected"
			healthy = false
		} else {
			body["database"] = "connected"
		}
		for _, check := range s.Health {
			key, state, ok := check(ctx)
			body[key] = state
			healthy = healthy && ok
		}
		out := &healthOutput{Status: http.StatusOK, Body: body}
		body["status"] = "healthy"
		if !healthy {
			body["status"] = "unhealthy"
			out.Status = http.StatusServiceUnavailable
		}
		return out, nil
	})
}
