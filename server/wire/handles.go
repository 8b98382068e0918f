package wire

// Handles: the live protocol's short names for a room's paragraphs and
// for who made an op. An ops frame names a paragraph by a small number
// ("p") instead of its 36-character id, and who made an op by another
// ("by") instead of a participant id, an author and a delegation that
// repeat one another. The welcome carries the tables; an op that uses a
// handle the room has not broadcast before defines it ("pid", "who").
// The history API keeps full ops (Op).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/draftroom/draftroom/server/ot"
)

// Person is who made an op: the participant (absent for an op no
// participant made) and the author its inserted text is attributed to (a
// delegation code, "chair", or absent).
type Person struct {
	Participant string `json:"participant,omitempty"`
	Author      string `json:"author,omitempty"`
}

// DelegationOf is the delegation of an op's participant, which its author
// tag already says: a delegate's author is its delegation code, the chair's
// (and an admin's) is "chair", and other roles have neither.
func DelegationOf(author string) string {
	if author == AuthorChair {
		return ""
	}
	return author
}

// AuthorChair is the author tag of the chair's (and admins') text.
const AuthorChair = "chair"

// LiveOp is one committed op as an ops frame carries it. P and By are -1
// when absent.
type LiveOp struct {
	Seq  int64
	Kind string // "" for a text op
	// P is the paragraph a text op edits, or the one an op creates; PID,
	// when set, is that paragraph's id: the op defines the handle.
	P   int
	PID string
	// By is who made the op; Who, when set, defines the handle.
	By   int
	Who  *Person
	Ref  string
	Op   ot.Op // text ops only (empty but not nil when a transform left nothing to do)
	Data json.RawMessage
}

// AppendJSON appends the op's JSON, fields in a fixed order (the bench's
// frame scanner relies on it: seq first, kind next when there is one).
func (o *LiveOp) AppendJSON(b []byte) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, o.Seq, 10)
	if o.Kind != "" {
		b = append(b, `,"kind":`...)
		b = appendString(b, o.Kind)
	}
	if o.P >= 0 {
		b = append(b, `,"p":`...)
		b = strconv.AppendInt(b, int64(o.P), 10)
		if o.PID != "" {
			b = append(b, `,"pid":`...)
			b = appendString(b, o.PID)
		}
	}
	if o.By >= 0 {
		b = append(b, `,"by":`...)
		b = strconv.AppendInt(b, int64(o.By), 10)
		if o.Who != nil {
			b = append(b, `,"who":`...)
			b = appendJSON(b, o.Who)
		}
	}
	if o.Ref != "" {
		b = append(b, `,"ref":`...)
		b = appendString(b, o.Ref)
	}
	if o.Op != nil {
		b = append(b, `,"op":`...)
		b = appendJSON(b, o.Op)
	}
	if len(o.Data) > 0 {
		b = append(b, `,"data":`...)
		b = append(b, o.Data...)
	}
	return append(b, '}')
}

// MarshalJSON encodes the op as AppendJSON does.
func (o LiveOp) MarshalJSON() ([]byte, error) { return o.AppendJSON(nil), nil }

// liveOpJSON is LiveOp's decoding shape.
type liveOpJSON struct {
	Seq  int64           `json:"seq"`
	Kind string          `json:"kind"`
	P    *int            `json:"p"`
	PID  string          `json:"pid"`
	By   *int            `json:"by"`
	Who  *Person         `json:"who"`
	Ref  string          `json:"ref"`
	Op   ot.Op           `json:"op"`
	Data json.RawMessage `json:"data"`
}

// UnmarshalJSON decodes a live op.
func (o *LiveOp) UnmarshalJSON(b []byte) error {
	var j liveOpJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*o = LiveOp{Seq: j.Seq, Kind: j.Kind, P: -1, PID: j.PID, By: -1, Who: j.Who, Ref: j.Ref, Op: j.Op, Data: j.Data}
	if j.P != nil {
		o.P = *j.P
	}
	if j.By != nil {
		o.By = *j.By
	}
	if o.Kind == "" && o.Op == nil && bytes.Contains(b, []byte(`"op"`)) {
		o.Op = ot.Op{} // "op":[]: a text op the transform emptied
	}
	return nil
}

func appendString(b []byte, s string) []byte {
	return appendJSON(b, s)
}

func appendJSON(b []byte, v any) []byte {
	enc, err := json.Marshal(v)
	if err != nil {
		// Every op is built from our own types; failing to encode one is a bug.
		panic("wire: encoding op: " + err.Error())
	}
	return append(b, enc...)
}

// Handles is a room's table of handles, kept by the room's goroutine for
// the room's life: a handle is never reused or renamed, so an op encoded
// once means the same to every member, whenever it joined.
type Handles struct {
	paras  handleTable[string]
	people handleTable[Person]
}

// handleTable numbers one kind of key in the order first seen, and
// remembers which numbers every member has been shown.
type handleTable[K comparable] struct {
	of    map[K]int
	keys  []K
	shown []bool
}

func (t *handleTable[K]) handle(k K) int {
	if n, ok := t.of[k]; ok {
		return n
	}
	n := len(t.keys)
	t.of[k] = n
	t.keys = append(t.keys, k)
	t.shown = append(t.shown, false)
	return n
}

// define reports whether an op that uses handle n must define it, and
// marks it shown when the op goes to every member.
func (t *handleTable[K]) define(n int, broadcast bool) bool {
	if t.shown[n] {
		return false
	}
	t.shown[n] = broadcast
	return true
}

// NewHandles returns an empty table.
func NewHandles() *Handles {
	return &Handles{paras: handleTable[string]{of: map[string]int{}}, people: handleTable[Person]{of: map[Person]int{}}}
}

// Paragraph is the handle of a paragraph, assigned if it has none.
func (h *Handles) Paragraph(id string) int { return h.paras.handle(id) }

// Person is the handle of who made an op, assigned if it has none.
func (h *Handles) Person(p Person) int { return h.people.handle(p) }

// Table is the tables a welcome carries: every handle assigned so far,
// shown or not. The slices are the table's own: encode them before the
// table changes.
func (h *Handles) Table() (paras []string, people []Person) {
	return h.paras.keys, h.people.keys
}

// Size is how many handles have been assigned, a version of the table.
func (h *Handles) Size() int { return len(h.paras.keys) + len(h.people.keys) }

// Live gives an op's live form. An op that uses a handle for the first
// time in the room's broadcasts defines it; broadcast says whether this
// encoding goes to every member (it then counts as shown) or to one member
// only (catch-up after a welcome, which carries the table, or the answer
// to a resend).
func (h *Handles) Live(op Op, broadcast bool) LiveOp {
	lo := LiveOp{Seq: op.Seq, P: -1, By: -1, Ref: op.Ref, Op: op.Op, Data: op.Data}
	para := ""
	if op.Kind == KindText {
		para = op.Para
		if lo.Op == nil {
			lo.Op = ot.Op{}
		}
	} else {
		lo.Kind = op.Kind
		lo.Op = nil
		para = createdParagraph(op.Data)
	}
	if para != "" {
		lo.P = h.Paragraph(para)
		if h.paras.define(lo.P, broadcast) {
			lo.PID = para
		}
	}
	who := Person{Participant: op.Participant, Author: op.Author}
	lo.By = h.Person(who)
	if h.people.define(lo.By, broadcast) {
		lo.Who = &who
	}
	return lo
}

// createdParagraph is the id of the paragraph an action's result creates
// (data.paragraph: paragraph.insert, an ADD merged), if any.
func createdParagraph(data json.RawMessage) string {
	if !bytes.Contains(data, []byte(`"paragraph"`)) {
		return ""
	}
	var d struct {
		Paragraph *struct {
			ID string `json:"id"`
		} `json:"paragraph"`
	}
	if json.Unmarshal(data, &d) != nil || d.Paragraph == nil {
		return ""
	}
	return d.Paragraph.ID
}

// Table is a client's copy of a room's handles: set from each welcome,
// added to by the ops that define handles.
type Table struct {
	Paras  []string
	People []Person
}

// Reset replaces the table with a welcome's.
func (t *Table) Reset(paras []string, people []Person) {
	t.Paras = append(t.Paras[:0], paras...)
	t.People = append(t.People[:0], people...)
}

// ErrUnknownHandle means an op used a handle the client was never told.
var ErrUnknownHandle = errors.New("wire: op uses an unknown handle")

// Resolve records the handles lo defines and gives the op in full, as
// the history API has it (without its time).
func (t *Table) Resolve(lo *LiveOp) (Op, error) {
	if lo.PID != "" && lo.P >= 0 {
		t.Paras = define(t.Paras, lo.P, lo.PID)
	}
	if lo.Who != nil && lo.By >= 0 {
		t.People = define(t.People, lo.By, *lo.Who)
	}
	op := Op{Seq: lo.Seq, Kind: lo.Kind, Ref: lo.Ref, Op: lo.Op, Data: lo.Data}
	if op.Kind == "" {
		op.Kind = KindText
		if lo.P < 0 || lo.P >= len(t.Paras) || t.Paras[lo.P] == "" {
			return op, fmt.Errorf("%w: op %d: paragraph %d", ErrUnknownHandle, lo.Seq, lo.P)
		}
		op.Para = t.Paras[lo.P]
		if op.Op == nil {
			op.Op = ot.Op{}
		}
	} else if bytes.Contains(lo.Data, []byte(`"para"`)) {
		var d struct {
			Para string `json:"para"`
		}
		if json.Unmarshal(lo.Data, &d) == nil {
			op.Para = d.Para
		}
	}
	if lo.By >= 0 {
		if lo.By >= len(t.People) {
			return op, fmt.Errorf("%w: op %d: by %d", ErrUnknownHandle, lo.Seq, lo.By)
		}
		p := t.People[lo.By]
		op.Participant, op.Author, op.Delegation = p.Participant, p.Author, DelegationOf(p.Author)
	}
	return op, nil
}

// define sets s[i] = v, growing s as needed.
func define[T any](s []T, i int, v T) []T {
	if i >= len(s) {
		if i > 1<<20 {
			return s // not a handle any room assigns; the op fails to resolve
		}
		s = append(s, make([]T, i+1-len(s))...)
	}
	s[i] = v
	return s
}
