package wire

// The live protocol's frames: what a client sends, decoded and checked
// once on the way in (DecodeClientMessage), and what the server sends to
// many members, encoded once from parts already encoded (OpsFrames,
// WelcomeFrame).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxRefLength bounds a client-chosen ref.
const MaxRefLength = 128

// MaxIDLength bounds an id a client names (a paragraph, section or
// proposal id is a 36-character UUID).
const MaxIDLength = 64

// ClientMessage is a decoded client → server frame: Edit, Action or
// PresenceUpdate (or Invalid, alongside an error).
type ClientMessage interface {
	Ref() string
}

// Ref returns the edit's ref.
func (e Edit) Ref() string { return e.RefID }

// Invalid stands for a frame that could not be decoded; it carries the ref
// when one could be read, so the error frame can name it.
type Invalid struct{ RefID string }

// Ref returns the ref read from the invalid frame, if any.
func (i Invalid) Ref() string { return i.RefID }

// Ref returns "": presence updates are not acknowledged.
func (PresenceUpdate) Ref() string { return "" }

// Action is a structural or procedural request (status, focus, proposals…).
// Fields are the frame's other fields, decoded with it.
type Action struct {
	Type   string       `json:"type"`
	RefID  string       `json:"ref"`
	Kind   string       `json:"kind"`
	Fields ActionFields `json:"-"`
}

// Ref returns the action's ref.
func (a Action) Ref() string { return a.RefID }

// clientFrame is every field a client frame may carry, so that the JSON
// is parsed once on the way in; an edit's op is kept raw for the op
// decoder. Para is read here, where null differs from absent, and not
// into the action's fields.
type clientFrame struct {
	Type string          `json:"type"`
	Ref  json.RawMessage `json:"ref"`
	Kind string          `json:"kind"`
	Para *string         `json:"para"`
	Base *int64          `json:"base"`
	Op   json.RawMessage `json:"op"`
	ActionFields
}

// DecodeClientMessage decodes and validates one client frame. It never
// panics on any input; every refusal says what was wrong.
func DecodeClientMessage(data []byte) (ClientMessage, error) {
	if err := checkStorable(data); err != nil {
		// Name the ref when it can be read, so the error frame does; the
		// ref itself may be what is wrong.
		var head struct {
			Ref json.RawMessage `json:"ref"`
		}
		ref := ""
		if json.Unmarshal(data, &head) == nil {
			if r, rerr := readRef(head.Ref); rerr == nil && CheckText(r) == nil {
				ref = r
			}
		}
		return Invalid{ref}, err
	}
	var f clientFrame
	err := json.Unmarshal(data, &f)
	// An action's field of the wrong type is the action's fault; other
	// frames ignore the fields they do not carry.
	var fieldErr error
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && strings.HasPrefix(te.Field, "ActionFields.") {
		fieldErr, err = err, nil
	}
	if err != nil {
		return explainBadFrame(data, err)
	}
	ref, err := readRef(f.Ref)
	if err != nil {
		return Invalid{}, err
	}
	switch f.Type {
	case TypeEdit:
		switch {
		case ref == "":
			return Invalid{ref}, errors.New("edit: ref is required")
		case f.Para == nil || *f.Para == "":
			return Invalid{ref}, errors.New("edit: para is required")
		case f.Base == nil || *f.Base < 0:
			return Invalid{ref}, errors.New("edit: base must be a seq (a non-negative integer)")
		case len(f.Op) == 0:
			return Invalid{ref}, errors.New("edit: op is required")
		}
		e := Edit{Type: TypeEdit, RefID: ref, Para: *f.Para, Base: *f.Base}
		if err := json.Unmarshal(f.Op, &e.Op); err != nil {
			return Invalid{ref}, fmt.Errorf("edit: %v", err)
		}
		return e, nil
	case TypePresence:
		if f.Para != nil && (*f.Para == "" || len(*f.Para) > MaxIDLength) {
			return Invalid{ref}, errors.New("presence: para must be a paragraph id or null")
		}
		return PresenceUpdate{Type: TypePresence, Para: f.Para}, nil
	case TypeAction:
		if f.Kind == "" {
			return Invalid{ref}, errors.New("action: kind is required")
		}
		if fieldErr != nil {
			return Invalid{ref}, fmt.Errorf("action fields: %v", fieldErr)
		}
		fields := f.ActionFields
		if f.Para != nil {
			fields.Para = *f.Para
		}
		return Action{Type: TypeAction, RefID: ref, Kind: f.Kind, Fields: fields}, nil
	case "":
		return Invalid{ref}, errors.New("message has no type")
	default:
		return Invalid{ref}, fmt.Errorf("unknown message type %q", f.Type)
	}
}

func readRef(raw json.RawMessage) (string, error) {
	var ref string
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		return "", errors.New("ref must be a string")
	}
	if len(ref) > MaxRefLength {
		return "", fmt.Errorf("ref is longer than %d bytes", MaxRefLength)
	}
	return ref, nil
}

// explainBadFrame says what was wrong with a frame that did not decode,
// naming its type and ref when those at least can be read.
func explainBadFrame(data []byte, err error) (ClientMessage, error) {
	var head struct {
		Type string          `json:"type"`
		Ref  json.RawMessage `json:"ref"`
	}
	if json.Unmarshal(data, &head) != nil {
		return Invalid{}, fmt.Errorf("not a JSON object with a type: %v", err)
	}
	ref, rerr := readRef(head.Ref)
	if rerr != nil {
		return Invalid{}, rerr
	}
	what := head.Type
	if what == "" {
		what = "message"
	}
	return Invalid{ref}, fmt.Errorf("%s: %v", what, err)
}

// checkStorable refuses a frame holding a string PostgreSQL could not
// store, before any of it is decoded: invalid UTF-8, and U+0000, which
// neither text columns nor jsonb accept (one such character used to fail
// a whole group commit). It also refuses JSON escapes of lone UTF-16
// surrogates ("\ud800"): they encode no character, and encoding/json
// would quietly turn them into U+FFFD. One pass over the bytes; a
// backslash only occurs inside strings in valid JSON, and a frame that is
// not valid JSON is refused by the decoder after this anyway.
func checkStorable(data []byte) error {
	if !utf8.Valid(data) {
		return errors.New("the frame is not valid UTF-8")
	}
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case 0:
			return errors.New("U+0000 (NUL) is not allowed in text")
		case '\\':
		default:
			continue
		}
		if i+1 >= len(data) || data[i+1] != 'u' {
			i++ // a two-character escape: skip its second character
			continue
		}
		r, ok := hex4(data, i+2)
		if !ok {
			i++
			continue // malformed: the JSON decoder says so
		}
		i += 5
		switch {
		case r == 0:
			return errors.New("U+0000 (NUL) is not allowed in text")
		case r >= 0xd800 && r < 0xdc00:
			if i+6 < len(data) && data[i+1] == '\\' && data[i+2] == 'u' {
				if lo, ok := hex4(data, i+3); ok && lo >= 0xdc00 && lo <= 0xdfff {
					i += 6
					continue
				}
			}
			return errors.New("a \\u escape of a lone UTF-16 surrogate is not a character")
		case r >= 0xdc00 && r <= 0xdfff:
			return errors.New("a \\u escape of a lone UTF-16 surrogate is not a character")
		}
	}
	return nil
}

// hex4 parses the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 16)
	return rune(v), err == nil
}

// CheckText refuses a string PostgreSQL cannot store: invalid UTF-8 or
// U+0000. Frames are checked whole by DecodeClientMessage; this is for
// text that arrives another way (a version label in an HTTP request).
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("text is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("U+0000 (NUL) is not allowed in text")
	}
	return nil
}

// Frames the server builds from parts it has already encoded, so that
// what goes to many members is encoded once.

// The ops frame's head and tail: its body, the ops, lies between them, so
// that a connection with several ops frames queued can send them as one
// (OpsBody).
const (
	OpsFrameHead = `{"type":"ops","ops":[`
	OpsFrameTail = `]}`
)

// OpsBody is the comma-separated ops of an ops frame OpsFrames made.
func OpsBody(frame []byte) []byte {
	return frame[len(OpsFrameHead) : len(frame)-len(OpsFrameTail)]
}

// OpsFrames encodes ops, in order, as ops frames of at most max bytes
// each: a client catching up on many large ops gets several bounded
// frames rather than one huge one. An op larger than max on its own goes
// in a frame by itself. Each op is encoded once.
func OpsFrames(ops []LiveOp, max int) [][]byte {
	if len(ops) == 0 {
		return nil
	}
	var frames [][]byte
	var buf, b []byte
	n := 0 // ops in buf
	for i := range ops {
		b = ops[i].AppendJSON(b[:0])
		if n > 0 && len(buf)+1+len(b)+len(OpsFrameTail) > max {
			frames = append(frames, append(buf, OpsFrameTail...))
			buf, n = nil, 0
		}
		if n == 0 {
			// Room for this op and as many more of its size as fit.
			buf = make([]byte, 0, min(max, len(OpsFrameHead)+len(OpsFrameTail)+(len(b)+1)*(len(ops)-i)))
			buf = append(buf, OpsFrameHead...)
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
		n++
	}
	return append(frames, append(buf, OpsFrameTail...))
}

// WelcomeFrame is a welcome frame around parts already encoded: the
// joiner's own "you", the room's handles (WelcomeTable) and the document
// (shared by every member who joins at that seq; nil for none).
func WelcomeFrame(seq int64, you, table, document []byte) []byte {
	if document == nil {
		document = []byte("null")
	}
	b := make([]byte, 0, len(document)+len(you)+len(table)+64)
	b = fmt.Appendf(b, `{"type":"welcome","seq":%d,"you":`, seq)
	b = append(b, you...)
	b = append(b, ',')
	b = append(b, table...)
	b = append(b, `,"document":`...)
	b = append(b, document...)
	return append(b, '}')
}

// WelcomeTable encodes a room's handles as the welcome's "paras" and
// "people" fields.
func WelcomeTable(paras []string, people []Person) []byte {
	if paras == nil {
		paras = []string{}
	}
	if people == nil {
		people = []Person{}
	}
	b := append([]byte(`"paras":`), mustMarshal(paras)...)
	b = append(b, `,"people":`...)
	return append(b, mustMarshal(people)...)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("wire: encoding: " + err.Error())
	}
	return b
}

// Frame is one outgoing message, encoded once however many connections
// receive it. A transport that sends it in a form of its own (a websocket
// frame, compressed or not) prepares that once too, in the frame's cache
// slot, by whichever connection needs it first.
type Frame struct {
	data   []byte
	ops    bool // an ops frame (OpsFrames): its ops may join others'
	once   sync.Once
	cached any
}

// NewFrame wraps encoded JSON.
func NewFrame(data []byte) *Frame { return &Frame{data: data} }

// NewOpsFrame wraps an encoded ops frame (OpsFrames), whose ops a
// transport may join with the ops of the ops frames queued after it.
func NewOpsFrame(data []byte) *Frame { return &Frame{data: data, ops: true} }

// Data is the frame's JSON.
func (f *Frame) Data() []byte { return f.data }

// IsOps reports whether the frame is an ops frame, whose ops
// (OpsBody) a transport may send in one message with the ops of the
// ops frames queued after it.
func (f *Frame) IsOps() bool { return f.ops }

// Cached returns the transport's form of the frame, made by prepare from
// its JSON the first time it is asked for. A process has one transport,
// so one slot is enough.
func (f *Frame) Cached(prepare func(data []byte) any) any {
	f.once.Do(func() { f.cached = prepare(f.data) })
	return f.cached
}
