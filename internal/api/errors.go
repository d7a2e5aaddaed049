package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/o2sound"
)

// ErrorBody is the error envelope every failing response carries.
type ErrorBody struct {
	Status       string         `json:"status" enum:"error"`
	ErrorCode    string         `json:"error_code" example:"AUTH_001"`
	ErrorMessage string         `json:"error_message" example:"wrong user_id or password"`
	Details      map[string]any `json:"details"`
	// Detail repeats the message for clients of the seed's streaming endpoint, which
	// read {"detail": "Video not found"}.
	Detail string `json:"detail,omitempty"`

	status int
}

// Error implements error.
func (e *ErrorBody) Error() string { return e.ErrorCode + ": " + e.ErrorMessage }

// GetStatus implements huma.StatusError.
func (e *ErrorBody) GetStatus() int { return e.status }

func newErrorBody(status int, code, msg string, details map[string]any) *ErrorBody {
	if details == nil {
		details = map[string]any{}
	}
	return &ErrorBody{Status: "error", ErrorCode: code, ErrorMessage: msg, Details: details, status: status}
}

// errorBodyOf turns any error into the envelope. Domain errors keep their code and
// message; anything else is an internal error whose cause is logged, not shown.
func errorBodyOf(ctx context.Context, log *slog.Logger, err error) *ErrorBody {
	var eb *ErrorBody
	if errors.As(err, &eb) {
		return eb
	}
	var de *o2sound.Error
	if errors.As(err, &de) {
		status, ok := o2sound.StatusOf(de.Code)
		if !ok {
			status = http.StatusInternalServerError
		}
		body := newErrorBody(status, de.Code, de.Message, detailsOf(de.Details))
		if status >= 500 {
			log.ErrorContext(ctx, "request failed", "code", de.Code, "err", err)
		}
		return body
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		log.WarnContext(ctx, "request cancelled or timed out", "err", err)
		return newErrorBody(http.StatusServiceUnavailable, o2sound.CodeUnavailable, "the server is busy; try again", nil)
	}
	log.ErrorContext(ctx, "request failed", "err", err)
	return internalErrorBody()
}

func detailsOf(d any) map[string]any {
	switch d := d.(type) {
	case nil:
		return nil
	case map[string]any:
		return d
	case map[string]int:
		m := map[string]any{}
		for k, v := range d {
			m[k] = v
		}
		return m
	case []o2sound.FieldError:
		return map[string]any{"fields": d}
	default:
		return map[string]any{"info": d}
	}
}

// writeError writes err as the envelope outside huma (middleware, streaming).
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	eb := errorBodyOf(r.Context(), log, err)
	writeErrorBody(w, eb)
}

// errorHold stands between the client and a library that answers mistakes itself, in
// plain text or with no body (http.ServeContent, websocket.Accept): an error status
// the library writes is held back, with whatever it writes after, so that the handler
// can answer with the envelope instead (answer). Other statuses pass through, each
// told to passed; Unwrap lets the library reach the connection (to hijack it, say).
type errorHold struct {
	http.ResponseWriter
	held   int              // the error status the library chose; 0 while none
	passed func(status int) // optional
}

func (h *errorHold) WriteHeader(status int) {
	if status >= 400 && h.held == 0 {
		h.held = status
		return
	}
	if h.passed != nil {
		h.passed(status)
	}
	h.ResponseWriter.WriteHeader(status)
}

func (h *errorHold) Write(b []byte) (int, error) {
	if h.held != 0 {
		return len(b), nil // the library's own error text
	}
	return h.ResponseWriter.Write(b)
}

func (h *errorHold) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// answer writes eb in place of the held error, without the headers drop that the
// library set for an answer it will not give. Nothing held, nothing written.
func (h *errorHold) answer(eb *ErrorBody, drop ...string) {
	if h.held == 0 {
		return
	}
	for _, k := range drop {
		h.Header().Del(k)
	}
	writeErrorBody(h.ResponseWriter, eb)
}

// internalErrorBody is the one answer for anything that failed on our side; the
// cause goes to the log, never to the client.
func internalErrorBody() *ErrorBody {
	return newErrorBody(http.StatusInternalServerError, o2sound.CodeInternal, "something went wrong on our side; try again later", nil)
}

// notFoundBody answers a path that names no endpoint (nor embedded file).
func notFoundBody(path string) *ErrorBody {
	return newErrorBody(http.StatusNotFound, o2sound.CodeNotFound, "no such endpoint: "+path, nil)
}

func writeErrorBody(w http.ResponseWriter, eb *ErrorBody) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(eb.status)
	json.NewEncoder(w).Encode(eb)
}

var installErrorsOnce sync.Once

// installHumaErrors makes huma's own errors (bad JSON, validation, body too large)
// use O2Sound's envelope. huma exposes this hook only as a package variable.
func installHumaErrors() {
	installErrorsOnce.Do(func() {
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			return humaError(status, msg, errs...)
		}
	})
}

func humaError(status int, msg string, errs ...error) *ErrorBody {
	var fields []o2sound.FieldError
	for _, e := range errs {
		if e == nil {
			continue
		}
		var ed *huma.ErrorDetail
		if errors.As(e, &ed) {
			fields = append(fields, o2sound.FieldError{Field: strings.TrimPrefix(strings.TrimPrefix(ed.Location, "body."), "body"), Message: ed.Message})
			continue
		}
		var eb *ErrorBody
		if errors.As(e, &eb) {
			return eb
		}
		var de *o2sound.Error
		if errors.As(e, &de) || status >= 500 {
			return errorBodyOf(context.Background(), slog.Default(), e)
		}
		fields = append(fields, o2sound.FieldError{Message: e.Error()})
	}
	var details map[string]any
	if len(fields) > 0 {
		details = map[string]any{"fields": fields}
	}
	switch {
	case status == http.StatusUnsupportedMediaType:
		return newErrorBody(status, o2sound.CodeBadRequest, "send the body as JSON with Content-Type: application/json", nil)
	case status == http.StatusUnprocessableEntity:
		if len(fields) == 1 && fields[0].Field != "" {
			msg = fields[0].Field + ": " + fields[0].Message
		} else if len(fields) == 1 {
			msg = fields[0].Message
		}
		return newErrorBody(status, o2sound.CodeValidation, msg, details)
	case status == http.StatusRequestEntityTooLarge:
		return newErrorBody(status, o2sound.CodeBodyTooLarge, "the request body is larger than 1 MiB", nil)
	case status == http.StatusBadRequest && len(fields) == 1 && fields[0].Field == "":
		return newErrorBody(status, o2sound.CodeBadRequest, "the request body is not valid JSON: "+fields[0].Message, nil)
	case status >= 400 && status < 500:
		return newErrorBody(status, o2sound.CodeBadRequest, msg, details)
	default:
		eb := internalErrorBody()
		eb.status = status // huma's own status, as before
		return eb
	}
}
