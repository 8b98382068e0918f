package compile

import (
	"errors"
	"fmt"
)

// The sentinel errors let callers (the HTTP API, the import command) map a
// refused file to a status code and a message without parsing strings. Read
// wraps them, usually in an *InputError that says where the problem is.
var (
	ErrEmpty         = errors.New("empty file")
	ErrTooLarge      = errors.New("file too large")
	ErrBinary        = errors.New("not a text file")
	ErrNoOriginal    = errors.New("no Original column")
	ErrMalformedCSV  = errors.New("malformed CSV")
	ErrMalformedXLSX = errors.New("malformed XLSX")
	ErrFormat        = errors.New("unknown format")
)

// InputError is a refused input, with the place of the problem when there
// is one.
type InputError struct {
	Line int    // 1-based line (text, CSV) or sheet row (XLSX); 0 if none
	Msg  string // what is wrong, for a person to read
	Err  error  // one of the sentinel errors
}

func (e *InputError) Error() string {
	s := e.Err.Error()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Line > 0 {
		s = fmt.Sprintf("line %d: %s", e.Line, s)
	}
	return s
}

func (e *InputError) Unwrap() error { return e.Err }

func inputErr(err error, line int, format string, args ...any) *InputError {
	return &InputError{Line: line, Msg: fmt.Sprintf(format, args...), Err: err}
}
