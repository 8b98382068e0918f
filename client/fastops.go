package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// Every client decodes every op of the room, so ops frames get a parser of
// their own: encoding/json's reflection costs several times more, which is
// what limits how many participants one process can simulate. It accepts
// the shape the server writes and gives up (ok == false) on anything else,
// leaving the frame to encoding/json.

var opsPrefix = []byte(`{"type":"ops",`)

type scanner struct {
	b []byte
	i int
	// intern shares the strings that repeat from op to op (paragraph,
	// participant, author…), saving an allocation each; owned by the
	// connection's reader.
	intern map[string]string
}

// maxIntern bounds the intern table; it is cleared when full.
const maxIntern = 4096

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// eat consumes c after optional whitespace.
func (s *scanner) eat(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// raw reads a string without escapes as its bytes; ok is false for
// anything else.
func (s *scanner) raw() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		s.i++
	}
	return nil, false
}

// str reads a string. Strings without escapes are taken as they are when
// they are valid UTF-8; the rest go through encoding/json.
func (s *scanner) str(intern bool) (string, bool) {
	s.ws()
	start := s.i
	if raw, ok := s.raw(); ok && utf8.Valid(raw) {
		if !intern || s.intern == nil {
			return string(raw), true
		}
		if v, ok := s.intern[string(raw)]; ok {
			return v, true
		}
		if len(s.intern) >= maxIntern {
			clear(s.intern)
		}
		v := string(raw)
		s.intern[v] = v
		return v, true
	}
	s.i = start
	end, ok := s.stringEnd()
	if !ok {
		return "", false
	}
	var out string
	if json.Unmarshal(s.b[start:end], &out) != nil {
		return "", false
	}
	s.i = end
	return out, true
}

// stringEnd finds the end of the string at s.i, escapes and all.
func (s *scanner) stringEnd() (int, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return 0, false
	}
	for i := s.i + 1; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			return i + 1, true
		case c == '\\':
			i++
		case c < 0x20:
			return 0, false
		}
	}
	return 0, false
}

// null consumes a JSON null.
func (s *scanner) null() bool {
	s.ws()
	if bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// skip passes over one value and returns its bytes. Literals are not
// checked here; the fields that use them parse them.
func (s *scanner) skip() ([]byte, bool) {
	s.ws()
	start := s.i
	if s.i >= len(s.b) {
		return nil, false
	}
	switch s.b[s.i] {
	case '"':
		end, ok := s.stringEnd()
		s.i = end
		return s.b[start:end], ok
	case '[', '{':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				end, ok := s.stringEnd()
				if !ok {
					return nil, false
				}
				s.i = end
				continue
			case '[', '{':
				depth++
			case ']', '}':
				if depth--; depth == 0 {
					s.i++
					return s.b[start:s.i], true
				}
			}
			s.i++
		}
		return nil, false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.b[start:s.i], s.i > start
		}
		s.i++
	}
	return nil, false
}

func (s *scanner) int() (int64, bool) {
	raw, ok := s.skip()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

// key reads an object's next key and the colon after it (the first key,
// and the opening brace, when first): the caller then reads the value.
// end is true after the closing brace; ok is false on anything else. A
// loop over keys rather than a callback per field keeps the scanner and
// what it fills on the stack. Keys are compared as bytes: the ones we look
// for have no escapes.
func (s *scanner) key(first bool) (key []byte, end, ok bool) {
	if first && !s.eat('{') {
		return nil, false, false
	}
	if s.eat('}') {
		return nil, true, true
	}
	if !first && !s.eat(',') {
		return nil, false, false
	}
	key, ok = s.raw()
	return key, false, ok && s.eat(':')
}

// opsFrame is what decodeOps has read of a frame so far.
type opsFrame struct {
	ops   []wire.LiveOp
	typed bool
}

// decodeOps parses an ops frame, or reports false. intern may be nil.
func decodeOps(data []byte, intern map[string]string) ([]wire.LiveOp, bool) {
	s := &scanner{b: data, intern: intern}
	var f opsFrame
	for first := true; ; first = false {
		key, end, ok := s.key(first)
		if end || !ok || !s.frameField(&f, key) {
			s.ws()
			return f.ops, end && ok && f.typed && s.i == len(s.b)
		}
	}
}

func (s *scanner) frameField(f *opsFrame, key []byte) bool {
	switch string(key) {
	case "type":
		t, ok := s.str(false)
		f.typed = t == wire.TypeOps
		return ok && f.typed
	case "ops":
		if s.null() {
			return true
		}
		if !s.eat('[') {
			return false
		}
		if s.eat(']') {
			return true
		}
		for {
			f.ops = append(f.ops, wire.LiveOp{P: -1, By: -1})
			if !s.op(&f.ops[len(f.ops)-1]) {
				return false
			}
			if s.eat(']') {
				return true
			}
			if !s.eat(',') {
				return false
			}
		}
	}
	_, ok := s.skip()
	return ok
}

// op reads one op object.
func (s *scanner) op(op *wire.LiveOp) bool {
	for first := true; ; first = false {
		key, end, ok := s.key(first)
		if end || !ok || !s.opField(op, key) {
			return end && ok
		}
	}
}

func (s *scanner) opField(op *wire.LiveOp, key []byte) bool {
	var dst *string
	intern := true
	switch string(key) {
	case "seq":
		var ok bool
		op.Seq, ok = s.int()
		return ok
	case "p", "by":
		n, ok := s.int()
		if !ok || n < 0 || n > 1<<30 {
			return false
		}
		if key[0] == 'p' {
			op.P = int(n)
		} else {
			op.By = int(n)
		}
		return true
	case "kind":
		dst = &op.Kind
	case "pid":
		dst = &op.PID
	case "ref":
		dst, intern = &op.Ref, false
	case "who":
		raw, ok := s.skip()
		if !ok {
			return false
		}
		op.Who = new(wire.Person)
		return json.Unmarshal(raw, op.Who) == nil
	case "op":
		raw, ok := s.skip()
		if !ok {
			return false
		}
		o, err := ot.Decode(raw)
		op.Op = o
		return err == nil
	case "data":
		raw, ok := s.skip()
		op.Data = bytes.Clone(raw)
		return ok
	default:
		_, ok := s.skip()
		return ok
	}
	if s.null() {
		return true
	}
	v, ok := s.str(intern)
	*dst = v
	return ok
}
