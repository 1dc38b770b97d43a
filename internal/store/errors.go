package store

import (
	"errors"
	"fmt"
)

// Error codes, in the style of WTF Dial: a small, stable set that callers
// (the web layer) map to HTTP statuses and messages. Anything that is not an
// *Error is an internal error.
const (
	ENOTFOUND = "not_found" // no such row, or not the caller's own
	ECONFLICT = "conflict"  // a unique value (login, email) is taken
	EINVALID  = "invalid"   // a value the schema does not allow
	EINTERNAL = "internal"  // everything else
)

// Error is an application error with a code. Field names the column at fault
// where one is known ("login", "email", "leg_pain"), for a form to point at.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "store: " + e.Code
	}
	return "store: " + e.Message
}

// Is makes errors.Is(err, ErrNotFound) true for every not-found error,
// whatever its message: errors of one code are the same kind of error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// Sentinels for errors.Is.
var (
	ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}
	ErrConflict = &Error{Code: ECONFLICT, Message: "conflict"}
	ErrInvalid  = &Error{Code: EINVALID, Message: "invalid"}
)

// ErrorCode returns the code of err: the Code of the first *Error in its
// chain, "" for nil, EINTERNAL for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

func errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func notFound(what string, id any) *Error {
	return errorf(ENOTFOUND, "", "%s %v not found", what, id)
}

func invalid(field, format string, args ...any) *Error {
	return errorf(EINVALID, field, format, args...)
}
