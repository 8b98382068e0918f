package document

import (
	"fmt"

	"github.com/draftroom/draftroom/server/wire"
)

// SeqError means the log does not reach the seq asked for.
type SeqError struct {
	Doc      string
	Want, At int64
}

func (e *SeqError) Error() string {
	return fmt.Sprintf("document %s has no seq %d (it is at %d)", e.Doc, e.Want, e.At)
}

// Replay rebuilds the document at seq from a snapshot of it at an earlier
// seq and the ops after the snapshot, in seq order.
func Replay(snapshot *wire.Document, ops []wire.Op, seq int64) (*wire.Document, error) {
	m, err := New(snapshot)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", snapshot.Seq, err)
	}
	for _, op := range ops {
		if err := m.Apply(op); err != nil {
			return nil, err
		}
	}
	if m.seq != seq {
		return nil, &SeqError{Doc: snapshot.ID, Want: seq, At: m.seq}
	}
	return m.ToWire(), nil
}
