package room

import (
	"sort"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// docState is a room's document in memory: the live model (every accepted
// op), the durable model (every committed op), and recent history.
type docState struct {
	live, durable *document.Model
	seq           int64     // live
	history       []wire.Op // recent ops, live, in seq order
	historyBytes  int       // opBytes of history
	// paraOps holds, per paragraph, the recent ops that changed its text,
	// for transforming edits made against an older seq.
	paraOps map[string][]document.TextOp
}

func newDocState(rs *store.RoomState) (*docState, error) {
	durable, err := document.New(rs.Doc)
	if err != nil {
		return nil, err
	}
	st := &docState{live: durable.Clone(), durable: durable, seq: rs.Doc.Seq, paraOps: map[string][]document.TextOp{}}
	for _, op := range rs.History {
		st.record(op)
	}
	return st, nil
}

// opBytes is what an op costs history: its text and data, plus the rest
// of it at a rough fixed cost.
func opBytes(op wire.Op) int {
	n := len(op.Data) + len(op.Ref) + 160
	for _, c := range op.Op {
		n += len(c.Insert) + len(c.DeleteText)
	}
	return n
}

// record appends an op to history.
func (st *docState) record(op wire.Op) {
	st.history = append(st.history, op)
	st.historyBytes += opBytes(op)
	// Remember the text change it makes, if any, to transform edits.
	if para, change, ok := document.TextChange(op); ok {
		st.paraOps[para] = append(st.paraOps[para], document.TextOp{Seq: op.Seq, Op: change})
	}
}

func (st *docState) durableSeq() int64 { return st.durable.Seq() }

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
	durable := st.durableSeq()
	if since < 0 || since > durable || since < st.oldest() {
		return nil, false
	}
	i := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq > since })
	j := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq > durable })
	return st.history[i:j], true
}

// trim keeps history to at most limit ops and maxBytes (opBytes),
// forgetting the acks of the dropped ones. Only committed ops are dropped.
// It lets history overshoot by a quarter before cutting it back, so the
// copying is paid once per many ops.
func (st *docState) trim(limit, maxBytes int, acks map[refKey]int64) {
	if len(st.history) <= limit+limit/4 && st.historyBytes <= maxBytes {
		return
	}
	durable := st.durableSeq()
	cut := max(0, len(st.history)-limit)
	bytes := st.historyBytes
	for _, op := range st.history[:cut] {
		bytes -= opBytes(op)
	}
	if bytes > maxBytes {
		for cut < len(st.history) && bytes > maxBytes*3/4 {
			bytes -= opBytes(st.history[cut])
			cut++
		}
	}
	for cut > 0 && st.history[cut-1].Seq > durable {
		cut--
		bytes += opBytes(st.history[cut])
	}
	if cut == 0 {
		return
	}
	st.historyBytes = bytes
	for _, op := range st.history[:cut] {
		delete(acks, refKey{op.Participant, op.Ref})
	}
	floor := st.history[cut-1].Seq
	st.history = append([]wire.Op(nil), st.history[cut:]...)
	for id, ops := range st.paraOps {
		i := sort.Search(len(ops), func(i int) bool { return ops[i].Seq > floor })
		switch {
		case i == len(ops):
			delete(st.paraOps, id)
		case i > 0:
			st.paraOps[id] = append([]document.TextOp(nil), ops[i:]...)
		}
	}
}

// rollback discards every uncommitted op.
func (st *docState) rollback() {
	durable := st.durableSeq()
	st.seq = durable
	for len(st.history) > 0 && st.history[len(st.history)-1].Seq > durable {
		st.historyBytes -= opBytes(st.history[len(st.history)-1])
		st.history = st.history[:len(st.history)-1]
	}
	for id, ops := range st.paraOps {
		for len(ops) > 0 && ops[len(ops)-1].Seq > durable {
			ops = ops[:len(ops)-1]
		}
		st.paraOps[id] = ops
	}
	st.live = st.durable.Clone()
}

// opAt returns the op with the given seq from history.
func (st *docState) opAt(seq int64) wire.Op {
	i := sort.Search(len(st.history), func(i int) bool { return st.history[i].Seq >= seq })
	return st.history[i]
}
