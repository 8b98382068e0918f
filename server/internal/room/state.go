package room

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// docState is a room's document in memory. Live fields include accepted ops
// that are not committed yet; durable fields are what the database holds.
type docState struct {
	doc     *wire.Document // structure; paragraph texts are the durable ones
	paras   map[string]*para
	seq     int64     // live
	durable int64     // committed
	history []wire.Op // recent ops, live, in seq order
}

type para struct {
	w      *wire.Paragraph // inside doc: durable text and authors
	text   string          // live
	runs   draft.Authorship
	status draft.Status
	ops    []textOp // recent text ops on this paragraph, live, in seq order
}

type textOp struct {
	seq int64
	op  ot.Op
}

func newDocState(rs *store.RoomState) (*docState, error) {
	st := &docState{doc: rs.Doc, paras: map[string]*para{}, seq: rs.Doc.Seq, durable: rs.Doc.Seq, history: rs.History}
	for si := range rs.Doc.Sections {
		sec := &rs.Doc.Sections[si]
		for pi := range sec.Paragraphs {
			w := &sec.Paragraphs[pi]
			runs := toAuthorship(w.Authors)
			if runs.Len() != utf8.RuneCountInString(w.Text) {
				return nil, fmt.Errorf("paragraph %s: authorship covers %d code points, text has %d", w.ID, runs.Len(), utf8.RuneCountInString(w.Text))
			}
			st.paras[w.ID] = &para{w: w, text: w.Text, runs: runs, status: draft.Status(w.Status)}
		}
	}
	for _, op := range rs.History {
		if op.Kind == wire.KindText {
			if p := st.paras[op.Para]; p != nil {
				p.ops = append(p.ops, textOp{op.Seq, op.Op})
			}
		}
	}
	return st, nil
}

func toAuthorship(r wire.Runs) draft.Authorship {
	a := make(draft.Authorship, len(r))
	for i, run := range r {
		a[i] = draft.Run{Len: run.Len, Author: run.Author}
	}
	return a
}

func toRuns(a draft.Authorship) wire.Runs {
	r := make(wire.Runs, len(a))
	for i, run := range a {
		r[i] = wire.Run{Len: run.Len, Author: run.Author}
	}
	return r
}

// oldest is the lowest seq a client's base may have for the room to
// transform its op: every op after it is in history.
func (st *docState) oldest() int64 {
	if len(st.history) == 0 {
		return st.seq
	}
	return st.history[0].Seq - 1
}

// committedSince returns the committed ops after since, or false when they
// are not all in memory (or since is not a seq the client can have seen).
func (st *docState) committedSince(since int64) ([]wire.Op, bool) {
	if since < 0 || since > st.durable || since < st.oldest() {
		return nil, false
	}
	i := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq > since })
	j := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq > st.durable })
	return st.history[i:j], true
}

// wireDoc is the durable document in the read API's shape.
func (st *docState) wireDoc() *wire.Document {
	st.doc.Seq = st.durable
	return st.doc
}

// trim keeps history to at most limit ops, forgetting the acks of the
// dropped ones.
func (st *docState) trim(limit int, acks map[refKey]int64) {
	if len(st.history) <= limit+limit/4 {
		return
	}
	cut := len(st.history) - limit
	for _, op := range st.history[:cut] {
		delete(acks, refKey{op.Participant, op.Ref})
	}
	floor := st.history[cut-1].Seq
	st.history = append([]wire.Op(nil), st.history[cut:]...)
	for _, p := range st.paras {
		i := sort.Search(len(p.ops), func(i int) bool { return p.ops[i].seq > floor })
		if i > 0 {
			p.ops = append([]textOp(nil), p.ops[i:]...)
		}
	}
}
