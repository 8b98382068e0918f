package export

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/store"
)

// LoadBlame follows document id's op log from its first snapshot (the
// import) to seq: who inserted and deleted each piece of text, and when
// (document.Blame). A redline credits a deletion to whoever deleted, and a
// Word comment is dated when its bracket group was made. It returns nil
// when the log cannot be followed (no first snapshot, an op the blame
// cannot place): the export then falls back to what the two texts say.
func LoadBlame(ctx context.Context, st *store.Store, id uuid.UUID, seq int64) *document.Blame {
	snap, err := st.SnapshotAtOrBefore(ctx, id, 0)
	if err != nil {
		return nil
	}
	ops, err := st.OpsBetween(ctx, id, snap.Seq, seq)
	if err != nil {
		return nil
	}
	b := document.NewBlame(snap.Doc, time.Time{})
	for _, op := range ops {
		if b.Apply(op) != nil {
			return nil
		}
	}
	if b.Seq() != seq {
		return nil
	}
	return b
}

// blamePieces is a paragraph's redline from the blame: text there at
// both seqs is unchanged, text inserted since from is credited to its
// inserter at the insert time, text deleted since is credited to its
// deleter at the delete time. It returns nil when the blame does not
// give the two texts (the caller then diffs them).
func blamePieces(b *document.Blame, id string, from, to int64, oldText, newText string) []item {
	var out []item
	var o, n []rune
	for _, pc := range b.Pieces(id) {
		was, is := pc.Visible(from), pc.Visible(to)
		var it item
		switch {
		case was && is:
			it = item{op: opEqual, text: pc.Text}
		case is:
			it = item{op: opInsert, text: pc.Text, author: pc.Ins.By, date: pc.Ins.At}
		case was:
			it = item{op: opDelete, text: pc.Text, author: pc.Del.By, date: pc.Del.At}
		default:
			continue
		}
		if was {
			o = append(o, []rune(pc.Text)...)
		}
		if is {
			n = append(n, []rune(pc.Text)...)
		}
		if k := len(out) - 1; k >= 0 && out[k].op == it.op && out[k].author == it.author && out[k].date.Equal(it.date) {
			out[k].text += it.text
			continue
		}
		out = append(out, it)
	}
	if string(o) != oldText || string(n) != newText {
		return nil
	}
	return out
}

// groupTimes is when each bracket group of paragraph id was made: the
// insert time of its opening bracket (zero when unknown).
func groupTimes(b *document.Blame, id string, text string, starts []int) []time.Time {
	out := make([]time.Time, len(starts))
	if b == nil {
		return out
	}
	at := b.InsertTimes(id)
	if len(at) != len([]rune(text)) {
		return out
	}
	for i, s := range starts {
		if s >= 0 && s < len(at) {
			out[i] = at[s]
		}
	}
	return out
}
