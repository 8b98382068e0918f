// Package ot implements operational transformation for plain text, wire- and
// behaviour-compatible with the npm package ot-text-unicode v4.0.0 (the
// "text-unicode" ShareDB type), so a browser running that library and this
// server agree on every transform and compose.
//
// An op is a list of components walked over the document from its start: a
// skip keeps characters, an insert adds text, a delete removes characters.
// Characters are Unicode code points, never bytes or UTF-16 units: an emoji
// such as 👩🏽‍💻 is four characters to an op, as it is to ot-text-unicode.
// Text past the op's last component is kept, which is why a normalized op
// never ends with a skip.
//
// Decode and Apply check everything a client can get wrong. Transform and
// Compose, like their JS originals, trust that their ops fit the documents
// they apply to, so a server checks an incoming op (CheckFits, or Apply)
// before transforming or composing with it.
package ot

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Component is one step of an op. Exactly one of Skip, Insert or Delete is
// set in a well-formed component.
type Component struct {
	Skip   int    // > 0: keep Skip code points
	Insert string // non-empty: insert this text
	Delete int    // > 0: delete Delete code points
	// DeleteText is the deleted text when known (ot-text-unicode's {"d":"text"}
	// form), which is what makes an op invertible. When set, Delete is its
	// code point count.
	DeleteText string
}

// Op is a text operation. Ops returned by this package are normalized: no
// empty components, no two adjacent components of the same kind and no
// trailing skip. A nil or empty Op changes nothing.
type Op []Component

// Side breaks the tie when two ops insert at the same position.
type Side int

const (
	// Left puts the transformed op's insert before the other op's insert.
	Left Side = iota
	// Right puts the transformed op's insert after the other op's insert.
	Right
)

func (s Side) String() string {
	switch s {
	case Left:
		return "left"
	case Right:
		return "right"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// MaxLength is the largest skip or delete Decode accepts: JavaScript's
// Number.MAX_SAFE_INTEGER, beyond which a JS peer could not represent the
// count exactly anyway. It also keeps length arithmetic far from overflow.
const MaxLength = 1<<53 - 1

var (
	// ErrTooLong means an op reaches past the end of the document.
	ErrTooLong = errors.New("ot: op runs past the end of the document")
	// ErrDeleteMismatch means a delete's text differs from the document text
	// it would remove.
	ErrDeleteMismatch = errors.New("ot: deleted text does not match the document")
	// ErrNotInvertible means an op has a delete without its text.
	ErrNotInvertible = errors.New("ot: op has a delete without its text, so it cannot be inverted")
	// ErrInvalid means an op has a malformed component.
	ErrInvalid = errors.New("ot: malformed op")
)

type kind uint8

const (
	kindNone kind = iota
	kindSkip
	kindInsert
	kindDelete
)

// kind classifies c. A component with nothing positive set is a no-op, the
// way ot-text-unicode's append drops 0, "" and {d:0}; the precedence among
// fields only matters for malformed components, which Validate rejects.
func (c Component) kind() kind {
	switch {
	case c.Skip > 0:
		return kindSkip
	case c.Insert != "":
		return kindInsert
	case c.Delete > 0:
		return kindDelete
	}
	return kindNone
}

// length is how many code points c spans: of the old document for skips
// and deletes, of the new one for inserts.
func (c Component) length() int {
	switch c.kind() {
	case kindSkip:
		return c.Skip
	case kindInsert:
		return utf8.RuneCountInString(c.Insert)
	case kindDelete:
		return c.Delete
	}
	return 0
}

// appendComp is ot-text-unicode's makeAppend: it drops no-ops and merges c
// into the last component when both are the same kind. Merging two deletes
// keeps their text only if both had it, exactly as the JS does, so a
// composed op is invertible only when both inputs were.
//
// It mutates the last element of op, so op must be a slice this package
// built, never a caller's.
func appendComp(op Op, c Component) Op {
	k := c.kind()
	if k == kindNone {
		return op
	}
	if n := len(op); n > 0 && op[n-1].kind() == k {
		last := &op[n-1]
		switch k {
		case kindSkip:
			last.Skip += c.Skip
		case kindInsert:
			last.Insert += c.Insert
		case kindDelete:
			if last.DeleteText != "" && c.DeleteText != "" {
				last.DeleteText += c.DeleteText
			} else {
				last.DeleteText = ""
			}
			last.Delete += c.Delete
		}
		return op
	}
	// Strip fields that don't belong to the kind so a malformed input can't
	// leak, say, an Insert riding on a skip into the output.
	switch k {
	case kindSkip:
		c = Component{Skip: c.Skip}
	case kindInsert:
		c = Component{Insert: c.Insert}
	case kindDelete:
		c = Component{Delete: c.Delete, DeleteText: c.DeleteText}
	}
	return append(op, c)
}

// trim drops the trailing skip; appendComp guarantees there is at most one.
func trim(op Op) Op {
	if n := len(op); n > 0 && op[n-1].kind() == kindSkip {
		op = op[:n-1]
	}
	if len(op) == 0 {
		return nil
	}
	return op
}

// isNormalized reports whether op is already in the form Normalize returns.
func isNormalized(op Op) bool {
	prev := kindNone
	for _, c := range op {
		k := c.kind()
		if k == kindNone || k == prev || !c.clean(k) {
			return false
		}
		prev = k
	}
	return prev != kindSkip
}

// clean reports whether c has only the fields of its kind set.
func (c Component) clean(k kind) bool {
	switch k {
	case kindSkip:
		return c.Insert == "" && c.Delete == 0 && c.DeleteText == ""
	case kindInsert:
		return c.Skip == 0 && c.Delete == 0 && c.DeleteText == ""
	case kindDelete:
		return c.Skip == 0 && c.Insert == ""
	}
	return false
}

// Normalize returns op in normalized form, like ot-text-unicode's normalize:
// no-op components are dropped, adjacent components of the same kind merged
// and a trailing skip removed. It does not reorder inserts and deletes. An
// op that is already normalized is returned as is, without copying.
func Normalize(op Op) Op {
	if isNormalized(op) {
		if len(op) == 0 {
			return nil
		}
		return op
	}
	out := make(Op, 0, len(op))
	for _, c := range op {
		out = appendComp(out, c)
	}
	return trim(out)
}

// BaseLen is the number of code points op reads from the document it
// applies to: the length of the shortest document it fits.
func (op Op) BaseLen() int {
	n := 0
	for _, c := range op {
		switch c.kind() {
		case kindSkip:
			n += c.Skip
		case kindDelete:
			n += c.Delete
		}
	}
	return n
}

// TargetLen is the length in code points of the document that op produces
// from a document of baseLen code points.
func (op Op) TargetLen(baseLen int) int {
	n := baseLen
	for _, c := range op {
		switch c.kind() {
		case kindInsert:
			n += utf8.RuneCountInString(c.Insert)
		case kindDelete:
			n -= c.Delete
		}
	}
	return n
}

// Span is the code points [Start, End) of a text.
type Span struct{ Start, End int }

// Inserted returns where op's inserts land in the text after it, in
// order: one span per inserted string.
func (op Op) Inserted() []Span {
	var out []Span
	pos := 0 // offset in the text after op
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Insert != "":
			n := utf8.RuneCountInString(c.Insert)
			out = append(out, Span{pos, pos + n})
			pos += n
		}
	}
	return out
}

// CheckFits returns an error wrapping ErrTooLong if op reaches past the end
// of a document of docLen code points. It counts down rather than summing
// so that huge components cannot overflow.
func CheckFits(op Op, docLen int) error {
	left := docLen
	for i, c := range op {
		var n int
		switch c.kind() {
		case kindSkip:
			n = c.Skip
		case kindDelete:
			n = c.Delete
		default:
			continue
		}
		if n > left {
			return fmt.Errorf("%w: component %d needs %d code points, %d remain of %d",
				ErrTooLong, i, n, max(left, 0), docLen)
		}
		left -= n
	}
	return nil
}

// Validate reports whether op is what Decode accepts: well-formed
// components with valid UTF-8, lengths in range, and normalized. Ops built
// in Go (say by the Go client) can be checked with it before being sent.
func Validate(op Op) error {
	prev := kindNone
	for i, c := range op {
		k := c.kind()
		if err := c.validate(k); err != "" {
			return &DecodeError{Index: i, Reason: err}
		}
		if k == prev {
			return &DecodeError{Index: i, Reason: "adjacent " + k.plural() + " must be merged"}
		}
		prev = k
	}
	if prev == kindSkip {
		return &DecodeError{Index: len(op) - 1, Reason: "trailing skip"}
	}
	return nil
}

func (c Component) validate(k kind) string {
	switch {
	case k == kindNone:
		return "empty component"
	case !c.clean(k):
		return "component mixes skip, insert and delete"
	case c.Skip > MaxLength || c.Delete > MaxLength:
		return "number too large"
	case k == kindInsert && !utf8.ValidString(c.Insert):
		return "invalid UTF-8 in insert"
	case k == kindDelete && c.DeleteText != "" && !utf8.ValidString(c.DeleteText):
		return "invalid UTF-8 in delete"
	case k == kindDelete && c.DeleteText != "" && utf8.RuneCountInString(c.DeleteText) != c.Delete:
		return "delete count does not match its text"
	}
	return ""
}

func (k kind) plural() string {
	switch k {
	case kindSkip:
		return "skips"
	case kindInsert:
		return "inserts"
	case kindDelete:
		return "deletes"
	}
	return "no-ops"
}
