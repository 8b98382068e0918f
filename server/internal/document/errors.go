package document

import (
	"errors"
	"fmt"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Error is a refusal with a protocol error code (wire.Code*).
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

func errCode(code, format string, a ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

func forbidden(format string, a ...any) error { return errCode(wire.CodeForbidden, format, a...) }
func invalid(format string, a ...any) error   { return errCode(wire.CodeInvalid, format, a...) }
func notFound(format string, a ...any) error  { return errCode(wire.CodeNotFound, format, a...) }

// Refusal is a refusal from Decide or AcceptEdit as an error frame
// answering ref: a drafting rule's carries the rule and, when there is
// one, the place in the text; anything else not typed is invalid.
func Refusal(ref string, err error) wire.ErrorFrame {
	e := wire.ErrorFrame{Type: wire.TypeError, Ref: ref, Code: wire.CodeInvalid, Message: err.Error()}
	var re *draft.RuleError
	var de *Error
	switch {
	case errors.As(err, &re):
		e.Code, e.Rule = re.Code, re.Rule
		if re.Offset != draft.NoOffset {
			off := re.Offset
			e.Offset = &off
		}
	case errors.As(err, &de):
		e.Code = de.Code
	}
	return e
}
