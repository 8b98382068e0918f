package ot

import (
	"strconv"
	"unicode/utf8"
)

// DecodeError is why Decode or Validate rejected an op. Index is the
// offending component, or -1 when the problem is not with one component
// (not an array, malformed JSON around the components).
type DecodeError struct {
	Index  int
	Reason string
}

func (e *DecodeError) Error() string {
	if e.Index < 0 {
		return "ot: " + e.Reason
	}
	return "ot: component " + strconv.Itoa(e.Index) + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalid) true for every decode error, so
// callers can tell a bad op from, say, a stale one without a type switch.
func (e *DecodeError) Is(target error) bool { return target == ErrInvalid }

// MarshalJSON encodes op in ot-text-unicode's format. An op that is not
// normalized is normalized first, so the output always passes Decode; a
// malformed component (see Validate) is an error rather than silently
// encoded as something else.
func (op Op) MarshalJSON() ([]byte, error) {
	return op.AppendJSON(make([]byte, 0, op.jsonSizeHint()))
}

// AppendJSON appends op's JSON encoding to b, like MarshalJSON.
func (op Op) AppendJSON(b []byte) ([]byte, error) {
	if !isNormalized(op) {
		for i, c := range op {
			if k := c.kind(); k != kindNone && !c.clean(k) {
				return b, &DecodeError{Index: i, Reason: "component mixes skip, insert and delete"}
			}
		}
		op = Normalize(op)
	}
	if err := Validate(op); err != nil {
		return b, err
	}
	b = append(b, '[')
	for i, c := range op {
		if i > 0 {
			b = append(b, ',')
		}
		switch c.kind() {
		case kindSkip:
			b = strconv.AppendInt(b, int64(c.Skip), 10)
		case kindInsert:
			b = appendString(b, c.Insert)
		case kindDelete:
			b = append(b, `{"d":`...)
			if c.DeleteText != "" {
				b = appendString(b, c.DeleteText)
			} else {
				b = strconv.AppendInt(b, int64(c.Delete), 10)
			}
			b = append(b, '}')
		}
	}
	return append(b, ']'), nil
}

func (op Op) jsonSizeHint() int {
	n := 2
	for _, c := range op {
		n += len(c.Insert) + len(c.DeleteText) + 24
	}
	return n
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Unlike encoding/json it leaves
// <, > and & alone (they are safe here and JS's JSON.stringify doesn't
// escape them either); s is valid UTF-8, which Validate has checked.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// UnmarshalJSON decodes strictly; see Decode.
func (op *Op) UnmarshalJSON(data []byte) error {
	v, err := Decode(data)
	if err != nil {
		return err
	}
	*op = v
	return nil
}

// Decode parses an op in ot-text-unicode's JSON format, strictly: anything
// but a normalized array of valid components is a *DecodeError. Numbers
// must be integers in 1..MaxLength (1e2 or 3.0 are accepted as the integers
// they are, as JSON.parse would read them); strings must be non-empty valid
// UTF-8 with no lone surrogate escapes.
//
// The returned op's strings share one copy of data, so data may be reused
// by the caller, and an op keeps its whole encoding alive.
func Decode(data []byte) (Op, error) {
	d := decoder{s: string(data)}
	return d.op()
}

type decoder struct {
	s   string
	pos int
	idx int // component being decoded, for errors
}

func (d *decoder) fail(reason string) error {
	return &DecodeError{Index: d.idx, Reason: reason}
}

// syntax reports malformed JSON; the byte offset is what helps there.
func (d *decoder) syntax(what string) error {
	if d.pos >= len(d.s) {
		what += " at end of input"
	} else {
		what += " at offset " + strconv.Itoa(d.pos)
	}
	return &DecodeError{Index: -1, Reason: what}
}

func (d *decoder) ws() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	if d.pos < len(d.s) {
		return d.s[d.pos]
	}
	return 0
}

func (d *decoder) op() (Op, error) {
	d.idx = -1
	d.ws()
	if d.peek() != '[' {
		return nil, &DecodeError{Index: -1, Reason: "op is not a JSON array"}
	}
	d.pos++
	d.ws()
	var op Op
	if d.peek() == ']' {
		d.pos++
	} else {
		op = make(Op, 0, 4)
		prev := kindNone
		for d.idx = 0; ; d.idx++ {
			d.ws()
			c, err := d.component()
			if err != nil {
				return nil, err
			}
			k := c.kind()
			if k == prev {
				return nil, d.fail("adjacent " + k.plural() + " must be merged")
			}
			prev = k
			op = append(op, c)
			d.ws()
			switch d.peek() {
			case ',':
				d.pos++
				continue
			case ']':
				d.pos++
			default:
				d.idx = -1
				return nil, d.syntax("expected , or ]")
			}
			break
		}
		if prev == kindSkip {
			d.idx = len(op) - 1
			return nil, d.fail("trailing skip")
		}
	}
	d.idx = -1
	d.ws()
	if d.pos != len(d.s) {
		return nil, d.syntax("unexpected data after op")
	}
	if len(op) == 0 {
		return nil, nil
	}
	return op, nil
}

func (d *decoder) component() (Component, error) {
	switch c := d.peek(); {
	case c == '"':
		s, err := d.text("insert")
		if err != nil {
			return Component{}, err
		}
		return Component{Insert: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		n, err := d.count("skip")
		if err != nil {
			return Component{}, err
		}
		return Component{Skip: n}, nil
	case c == '{':
		return d.del()
	case c == '[':
		return Component{}, d.fail("nested array is not a component")
	case c == 't' || c == 'f':
		return Component{}, d.fail("boolean is not a component")
	case c == 'n':
		return Component{}, d.fail("null is not a component")
	case c == 0 && d.pos >= len(d.s):
		return Component{}, d.syntax("expected component")
	}
	return Component{}, d.fail("invalid JSON at offset " + strconv.Itoa(d.pos))
}

// text decodes the string of an insert or a delete, which may not be empty.
func (d *decoder) text(what string) (string, error) {
	s, err := d.str()
	if err == nil && s == "" {
		err = d.fail("empty " + what)
	}
	return s, err
}

// del decodes {"d":N} or {"d":"text"}; any other key, a repeated key or a
// missing one is an error.
func (d *decoder) del() (Component, error) {
	d.pos++ // {
	d.ws()
	if d.peek() == '}' {
		return Component{}, d.fail(`object without "d" is not a component`)
	}
	var c Component
	for seen := false; ; seen = true {
		if d.peek() != '"' {
			return Component{}, d.fail("invalid object key at offset " + strconv.Itoa(d.pos))
		}
		key, err := d.str()
		if err != nil {
			return Component{}, err
		}
		if key != "d" {
			return Component{}, d.fail("unknown key " + strconv.Quote(key))
		}
		if seen {
			return Component{}, d.fail(`repeated key "d"`)
		}
		d.ws()
		if d.peek() != ':' {
			return Component{}, d.fail("expected : at offset " + strconv.Itoa(d.pos))
		}
		d.pos++
		d.ws()
		switch v := d.peek(); {
		case v == '"':
			s, err := d.text("delete string")
			if err != nil {
				return Component{}, err
			}
			c = Component{Delete: utf8.RuneCountInString(s), DeleteText: s}
		case v == '-' || v >= '0' && v <= '9':
			n, err := d.count("delete")
			if err != nil {
				return Component{}, err
			}
			c = Component{Delete: n}
		default:
			return Component{}, d.fail("delete must be a number or a string")
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.pos++
			d.ws()
			continue
		case '}':
			d.pos++
			return c, nil
		}
		return Component{}, d.fail("expected , or } at offset " + strconv.Itoa(d.pos))
	}
}
