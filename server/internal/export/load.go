package export

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrBadVersion means a version argument can be no version's label or seq
// (a negative seq, a label no version could have). It is the caller's
// mistake (400), unlike a well-formed label that does not exist, which
// wraps store.ErrNotFound (404).
var ErrBadVersion = errors.New("bad version")

// Point is a document as it stood at one moment.
type Point struct {
	Doc *wire.Document
	// Label is the version's label, or "" for the working text or a seq.
	Label string
	// Time is the version's freeze time, else the time of the op that made
	// the document's seq (the import time is unknown: zero at seq 0).
	Time time.Time
}

// Load reads document id at point: "" for the working text, or a version
// label ("Rev.2"), or, for an all-digit point that is no version's label,
// that seq (the older single-parameter form; LoadAt takes them apart).
func Load(ctx context.Context, st *store.Store, id uuid.UUID, point string) (*Point, error) {
	return loadLabelOrSeq(ctx, st, id, point)
}

// withLang fills in the document's language, which versions and earlier
// seqs (rebuilt by the room) do not carry: it is the document's, and does
// not change.
func withLang(ctx context.Context, st *store.Store, id uuid.UUID, d *wire.Document) *wire.Document {
	if d.Lang == "" {
		if lang, err := st.DocumentLang(ctx, id); err == nil {
			d.Lang = lang
		}
	}
	return d
}

// opTime is when the op numbered seq was committed, or zero.
func opTime(ctx context.Context, st *store.Store, id uuid.UUID, seq int64) time.Time {
	if seq <= 0 {
		return time.Time{}
	}
	ops, err := st.OpsBetween(ctx, id, seq-1, seq)
	if err != nil || len(ops) == 0 {
		return time.Time{}
	}
	return ops[0].At
}

// Describe names a point for messages and file names: its label, or
// "seq N".
func (p *Point) Describe() string {
	if p.Label != "" {
		return p.Label
	}
	return "seq " + strconv.FormatInt(p.Doc.Seq, 10)
}
