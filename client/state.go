package client

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// maxOpBytes bounds one edit's op so its frame stays under the server's
// 64 KiB limit with room for the envelope; a larger frame would be closed
// with 1009 and resent forever.
const maxOpBytes = 60 << 10

var (
	// ErrUnknownParagraph means an edit names a paragraph the replica lacks.
	ErrUnknownParagraph = errors.New("client: no such paragraph")
	// ErrTooLarge means an edit would not fit in one websocket frame.
	ErrTooLarge = errors.New("client: edit too large for one frame")
	// ErrNotLoaded means the replica has no document yet.
	ErrNotLoaded = errors.New("client: no document loaded yet")
)

// errResync asks for a reconnect; full means without since=, because the
// replica can no longer be caught up op by op.
type errResync struct {
	full   bool
	reason string
}

func (e *errResync) Error() string {
	if e.full {
		return "client: full resync needed: " + e.reason
	}
	return "client: reconnect needed: " + e.reason
}

// Ack is one of this client's edits acknowledged by the server at Seq.
type Ack struct {
	Ref string
	Seq int64
}

// Paragraph is a paragraph of the local replica.
type Paragraph struct {
	ID    string
	Label string
	Text  string
}

// pending is a local op the server has not acknowledged. Its op is kept
// invertible (deletes carry their text) so a refusal can be rolled back,
// and is always expressed against the replica's current seq plus the
// pending ops queued before it.
type pending struct {
	ref    string
	para   string
	op     ot.Op
	sent   bool
	sentAt time.Time
	hold   time.Time // not before: set by unavailable/rate_limited refusals
	tries  int
}

// editFrame is the client → server edit; declared here rather than taken
// from wire so the client depends only on the protocol's JSON.
type editFrame struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
	Para string `json:"para"`
	Base int64  `json:"base"`
	Op   ot.Op  `json:"op"`
}

// machine is the client half of the OT protocol with no I/O: the replica,
// the one op in flight and the buffer behind it. All methods are called
// under the Client's lock; tests drive it directly.
type machine struct {
	loaded bool
	seq    int64
	paras  map[string]*Paragraph
	order  []string

	inflight *pending
	// buffer holds local ops made while one is in flight, in order. An op
	// is composed into the last one on its paragraph unless that would
	// make a frame too large, so a paragraph may have several.
	buffer []*pending

	// synced is false from a disconnect until the catch-up after the
	// next welcome has been applied: an op resent earlier could race its
	// own acknowledgement in the catch-up.
	synced bool
	target int64

	acked     []Ack
	refPrefix string
	nextRef   uint64
	// ackTimeout resends an op that got neither an ack nor a refusal; the
	// server applies a ref once, so a resend is never harmful. 0: never.
	ackTimeout time.Duration
}

func newMachine(refPrefix string) *machine {
	return &machine{paras: map[string]*Paragraph{}, refPrefix: refPrefix}
}

// load replaces the replica with a full document. Pending ops cannot be
// rebased onto it (the ops between the old seq and the new one are not
// known), so they are dropped and returned.
func (m *machine) load(doc *wire.Document, seq int64) (discarded []string) {
	for _, p := range m.chain() {
		discarded = append(discarded, p.ref)
	}
	m.inflight, m.buffer = nil, nil
	m.paras = map[string]*Paragraph{}
	m.order = m.order[:0]
	for _, s := range doc.Sections {
		for _, p := range s.Paragraphs {
			m.paras[p.ID] = &Paragraph{ID: p.ID, Label: p.Label, Text: p.Text}
			m.order = append(m.order, p.ID)
		}
	}
	m.seq, m.target, m.loaded, m.synced = seq, seq, true, true
	return discarded
}

// welcome starts a connection. A welcome without a document promises the
// ops after our seq in an ops frame, up to w.Seq.
func (m *machine) welcome(w *wire.Welcome) (discarded []string, err error) {
	if w.Document != nil {
		return m.load(w.Document, w.Seq), nil
	}
	if !m.loaded || w.Seq < m.seq {
		return nil, &errResync{full: true, reason: fmt.Sprintf("welcome at seq %d without a document, replica at %d", w.Seq, m.seq)}
	}
	m.target = w.Seq
	m.synced = m.seq >= m.target
	return nil, nil
}

// disconnected makes the in-flight op due for resending, under its ref,
// once the next connection has caught up.
func (m *machine) disconnected() {
	m.synced = false
	if m.inflight != nil {
		m.inflight.sent = false
	}
}

// chain is the pending ops in order: in flight first.
func (m *machine) chain() []*pending {
	if m.inflight == nil {
		return m.buffer
	}
	return append([]*pending{m.inflight}, m.buffer...)
}

// rebase transforms op, which applies to the state before list, through
// the pending ops of list on para, rewriting each of them to apply after
// op. Pending ops win ties (Left), as the server's transform of them will.
func rebase(para string, op ot.Op, list []*pending) ot.Op {
	for _, p := range list {
		if p.para != para || len(op) == 0 {
			continue
		}
		p.op, op = ot.Transform(p.op, op, ot.Left), ot.Transform(op, p.op, ot.Right)
	}
	return op
}

// opResult is one op receive applied; ack marks our own.
type opResult struct {
	op  *wire.Op
	ack bool
}

// receive applies committed ops. It returns what happened to each op it
// did not already have, and an *errResync when the stream has a gap or no
// longer fits the replica.
func (m *machine) receive(ops []wire.Op) ([]opResult, error) {
	var out []opResult
	for i := range ops {
		op := &ops[i]
		if op.Seq <= m.seq {
			continue // a duplicate: a resend's acknowledgement, or an overlap after reconnecting
		}
		if op.Seq != m.seq+1 {
			return out, &errResync{reason: fmt.Sprintf("ops jump from seq %d to %d", m.seq, op.Seq)}
		}
		if m.inflight != nil && op.Ref != "" && op.Ref == m.inflight.ref {
			m.acked = append(m.acked, Ack{Ref: op.Ref, Seq: op.Seq})
			m.inflight = nil
			m.promote()
			m.seq = op.Seq
			out = append(out, opResult{op: op, ack: true})
			continue
		}
		if op.Kind == wire.KindText {
			p := m.paras[op.Para]
			if p == nil {
				return out, &errResync{full: true, reason: fmt.Sprintf("op %d is for unknown paragraph %q", op.Seq, op.Para)}
			}
			t := rebase(op.Para, op.Op, m.chain())
			text, err := ot.Apply(p.Text, t)
			if err != nil {
				return out, &errResync{full: true, reason: fmt.Sprintf("op %d does not apply: %v", op.Seq, err)}
			}
			p.Text = text
		}
		// Kinds this client does not know still take a seq.
		m.seq = op.Seq
		out = append(out, opResult{op: op})
	}
	if !m.synced && m.seq >= m.target {
		m.synced = true
	}
	return out, nil
}

func (m *machine) promote() {
	if m.inflight == nil && len(m.buffer) > 0 {
		m.inflight = m.buffer[0]
		m.buffer = m.buffer[1:]
		m.inflight.sent = false
	}
}

// refusal is what a refused in-flight op calls for.
type refusal int

const (
	refusalIgnored    refusal = iota // not about the op in flight
	refusalRetry                     // held; resend after its hold time
	refusalRolledBack                // undone locally
	refusalResync                    // reconnect without since=
)

// refused handles an error frame. retryAt is when an op refused for a
// transient reason may be resent.
func (m *machine) refused(e *wire.ErrorFrame, retryAt func(tries int) time.Time) refusal {
	p := m.inflight
	if p == nil || e.Ref == "" || e.Ref != p.ref {
		return refusalIgnored
	}
	switch e.Code {
	case wire.CodeUnavailable, wire.CodeRateLimited:
		p.tries++
		p.sent = false
		p.hold = retryAt(p.tries)
		return refusalRetry
	case wire.CodeStale:
		// Our base is always our latest seq, so the server's history has
		// been cut past it: only a full document helps, and the op, not
		// applied, goes with the rest of the pending ones.
		return refusalResync
	}
	if err := m.rollback(); err != nil {
		return refusalResync
	}
	return refusalRolledBack
}

// rollback undoes the in-flight op locally: its inverse is rebased through
// the buffered ops that were made on top of it, exactly as a server op
// would be, and the buffered ops are left applying without it.
func (m *machine) rollback() error {
	p := m.inflight
	inv, err := ot.Invert(p.op)
	if err != nil {
		return err
	}
	para := m.paras[p.para]
	inv = rebase(p.para, inv, m.buffer)
	text, err := ot.Apply(para.Text, inv)
	if err != nil {
		return err
	}
	para.Text = text
	m.inflight = nil
	m.promote()
	return nil
}

// local applies a local edit to the replica and queues it. It returns the
// ref the edit will be acknowledged under ("" for an edit that changes
// nothing): consecutive edits waiting behind the op in flight are composed
// into one op and share a ref.
func (m *machine) local(para string, op ot.Op) (string, error) {
	if !m.loaded {
		return "", ErrNotLoaded
	}
	p := m.paras[para]
	if p == nil {
		return "", fmt.Errorf("%w: %q", ErrUnknownParagraph, para)
	}
	if err := ot.Validate(ot.Normalize(op)); err != nil {
		return "", err
	}
	inv, err := ot.MakeInvertible(ot.Normalize(op), p.Text)
	if err != nil {
		return "", err
	}
	if len(inv) == 0 {
		return "", nil
	}
	if opSize(inv) > maxOpBytes {
		return "", ErrTooLarge
	}
	text, err := ot.Apply(p.Text, inv)
	if err != nil {
		return "", err
	}
	p.Text = text
	if m.inflight == nil {
		m.inflight = m.newPending(para, inv)
		return m.inflight.ref, nil
	}
	// Ops on different paragraphs commute, so the new op may be composed
	// into the last buffered op on its paragraph even if ops on other
	// paragraphs were queued after that one.
	for i := len(m.buffer) - 1; i >= 0; i-- {
		b := m.buffer[i]
		if b.para != para {
			continue
		}
		if c := ot.Compose(b.op, inv); opSize(c) <= maxOpBytes {
			b.op = c
			return b.ref, nil
		}
		break
	}
	b := m.newPending(para, inv)
	m.buffer = append(m.buffer, b)
	return b.ref, nil
}

func (m *machine) newPending(para string, op ot.Op) *pending {
	m.nextRef++
	return &pending{ref: m.refPrefix + strconv.FormatUint(m.nextRef, 10), para: para, op: op}
}

// next returns the edit to send now, if any, or when to look again: when
// a held op becomes due, or when an unanswered one should be resent.
func (m *machine) next(now time.Time) (*editFrame, time.Time) {
	p := m.inflight
	if !m.synced || p == nil {
		return nil, time.Time{}
	}
	if p.sent {
		if m.ackTimeout <= 0 {
			return nil, time.Time{}
		}
		if due := p.sentAt.Add(m.ackTimeout); now.Before(due) {
			return nil, due
		}
	} else if now.Before(p.hold) {
		return nil, p.hold
	}
	p.sent, p.sentAt = true, now
	var due time.Time
	if m.ackTimeout > 0 {
		due = now.Add(m.ackTimeout)
	}
	return &editFrame{Type: wire.TypeEdit, Ref: p.ref, Para: p.para, Base: m.seq, Op: ot.StripInvertible(p.op)}, due
}

func (m *machine) idle() bool { return m.inflight == nil && len(m.buffer) == 0 }

func (m *machine) paragraphs() []Paragraph {
	out := make([]Paragraph, len(m.order))
	for i, id := range m.order {
		out[i] = *m.paras[id]
	}
	return out
}

// opSize bounds the JSON size of op without its delete texts (which are
// not sent): every inserted byte could need escaping as \u00XX.
func opSize(op ot.Op) int {
	n := 2
	for _, c := range op {
		n += 24
		if c.Insert != "" {
			if len(c.Insert) > maxOpBytes/6 {
				n += jsonLen(c.Insert)
			} else {
				n += 6 * len(c.Insert)
			}
		}
	}
	return n
}

// jsonLen is the exact escaped length of s as a JSON string, for inserts
// big enough that the cheap bound would refuse them needlessly.
func jsonLen(s string) int {
	n := 2
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			n += 2
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			n += 6
		case r == utf8.RuneError:
			n += 6
		default:
			n += utf8.RuneLen(r)
		}
	}
	return n
}
