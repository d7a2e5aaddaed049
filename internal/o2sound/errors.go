// Package o2sound holds the domain vocabulary shared by every layer: users, items,
// videos, tasks and the one error type with stable codes. It performs no I/O.
package o2sound

import (
	"errors"
	"fmt"
)

// Error codes. The first five come from the seed documents; the rest follow their style.
// Every code has one HTTP status in the registry (codes.go); the README lists them all.
const (
	CodeInvalidLogin     = "AUTH_001" // wrong user_id or password
	CodeUserIDTaken      = "AUTH_002" // user_id already registered
	CodeEmailTaken       = "AUTH_003" // email already registered to another account
	CodeUnauthenticated  = "AUTH_004" // no valid session
	CodeTooManyAttempts  = "AUTH_005" // login rate limit hit
	CodeOAuthUnavailable = "AUTH_006" // Google sign-in is not configured
	CodeOAuthFailed      = "AUTH_007" // Google sign-in could not be completed
	CodeTokenInvalid     = "AUTH_008" // one-time token unknown, used, expired or not yours
	CodeCrossOrigin      = "AUTH_009" // cross-origin state-changing request refused

	CodeUserNotFound  = "USER_001"
	CodeForbidden     = "USER_002" // the body names another user
	CodeItemNotFound  = "ITEM_001"
	CodeItemConflict  = "ITEM_002" // another of the owner's items has this url
	CodeVideoNotFound = "VIDEO_001"
	CodeTaskNotFound  = "TASK_001"
	CodeTaskNotActive = "TASK_002" // the task already ended
	CodeTooManyTasks  = "TASK_003" // queue limits reached
	CodeNoDraft       = "TASK_004" // the task has no draft: not far enough, or its files are gone

	CodePhotoNotFound = "PHOTO_001" // photo not found (or not yours)
	CodePhotoFormat   = "PHOTO_002" // not a JPEG, PNG or WebP
	CodePhotoDamaged  = "PHOTO_003" // damaged or truncated image
	CodePhotoSize     = "PHOTO_004" // too many pixels, or too small for video
	CodePhotoTooLarge = "PHOTO_005" // a file or a request over the size limit
	CodePhotoQuota    = "PHOTO_006" // the account's photo quota is used up

	CodeValidation   = "REQ_001" // a field failed validation, or is not one the body defines (details list them)
	CodeBadRequest   = "REQ_002" // malformed body, wrong content type, not a WebSocket handshake
	CodeBodyTooLarge = "REQ_003"
	CodeNotFound     = "REQ_004" // no such route
	CodeMethod       = "REQ_005" // method not allowed
	CodeRateLimited  = "REQ_006"
	CodeRange        = "REQ_007" // a Range outside the file (416)
	CodePrecondition = "REQ_008" // If-Match or If-Unmodified-Since failed (412)

	CodeInternal    = "SERVER_001"
	CodeUnavailable = "SERVER_002" // a dependency (database) is down
)

// Error is the one error type that crosses layer boundaries. Code is stable and
// machine-readable; Message is safe to show a user; Details carries per-field
// validation problems; Err is the internal cause, logged but never shown.
type Error struct {
	Code    string
	Message string
	Details any
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError is one failing field of a validation error.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError reports failing fields as one CodeValidation error.
func ValidationError(fields ...FieldError) *Error {
	msg := "request validation failed"
	if len(fields) == 1 {
		msg = fields[0].Field + ": " + fields[0].Message
	}
	return &Error{Code: CodeValidation, Message: msg, Details: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, or CodeInternal.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
