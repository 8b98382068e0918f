package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrConflict means the document's seq in the database is not the one a
// commit was made against: another writer got there first.
var ErrConflict = errors.New("document seq moved under the commit")

// opPayload is an op's row payload: what the op table's columns do not hold.
type opPayload struct {
	Op         ot.Op           `json:"op,omitempty"`
	Delegation string          `json:"delegation,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
}

// ParagraphUpdate is a paragraph's state after a batch.
type ParagraphUpdate struct {
	ID      uuid.UUID
	Text    string
	Authors wire.Runs
}

// CommitBatch appends ops (seq from+1 … from+len(ops)) to the log and stores
// the paragraphs they touched, in one transaction. It fails with
// ErrConflict unless the document's seq is still from.
func (s *Store) CommitBatch(ctx context.Context, doc uuid.UUID, from int64, ops []wire.Op, paras []ParagraphUpdate) error {
	if len(ops) == 0 {
		return nil
	}
	to := ops[len(ops)-1].Seq
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE documents SET seq = $3, updated_at = now() WHERE id = $1 AND seq = $2`, doc, from, to)
		if err != nil {
			return fmt.Errorf("commit batch: advance seq: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("commit batch at seq %d: %w", from, ErrConflict)
		}
		rows := make([][]any, len(ops))
		for i, op := range ops {
			payload, err := json.Marshal(opPayload{Op: op.Op, Delegation: op.Delegation, Data: op.Data})
			if err != nil {
				return fmt.Errorf("commit batch: encode op %d: %w", op.Seq, err)
			}
			var para, part *uuid.UUID
			if op.Para != "" {
				id, err := uuid.Parse(op.Para)
				if err != nil {
					return fmt.Errorf("commit batch: op %d: %w", op.Seq, err)
				}
				para = &id
			}
			if op.Participant != "" {
				id, err := uuid.Parse(op.Participant)
				if err != nil {
					return fmt.Errorf("commit batch: op %d: %w", op.Seq, err)
				}
				part = &id
			}
			rows[i] = []any{doc, op.Seq, op.Kind, para, part, op.Author, op.Ref, payload, op.At}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ops"},
			[]string{"document_id", "seq", "kind", "paragraph_id", "participant_id", "author", "ref", "payload", "at"},
			pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("commit batch: append ops: %w", err)
		}
		if len(paras) == 0 {
			return nil
		}
		ids := make([]uuid.UUID, len(paras))
		texts := make([]string, len(paras))
		authors := make([]string, len(paras))
		for i, p := range paras {
			b, err := json.Marshal(p.Authors)
			if err != nil {
				return fmt.Errorf("commit batch: encode authorship: %w", err)
			}
			ids[i], texts[i], authors[i] = p.ID, p.Text, string(b)
		}
		if _, err := tx.Exec(ctx, `
UPDATE paragraphs p SET text = u.text, authorship = u.authorship::jsonb
FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, text, authorship)
WHERE p.id = u.id AND p.document_id = $4`, ids, texts, authors, doc); err != nil {
			return fmt.Errorf("commit batch: update paragraphs: %w", err)
		}
		return nil
	})
}

// RoomState is what a live room starts from: the document and the tail of
// its op log.
type RoomState struct {
	Doc     *wire.Document
	History []wire.Op // the last ops, in seq order, ending at Doc.Seq
}

// LoadRoom reads a document and up to historyLimit of its latest ops from
// one snapshot.
func (s *Store) LoadRoom(ctx context.Context, doc uuid.UUID, historyLimit int) (*RoomState, error) {
	var st RoomState
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		d, err := loadDocument(ctx, tx, doc)
		if err != nil {
			return err
		}
		st.Doc = d
		st.History, err = opsBetween(ctx, tx, doc, d.Seq-int64(historyLimit), d.Seq)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// OpsSince returns the ops after seq since, at most limit of them.
func (s *Store) OpsSince(ctx context.Context, doc uuid.UUID, since int64, limit int) ([]wire.Op, error) {
	return opsBetween(ctx, s.pool, doc, since, since+int64(limit))
}

// opsBetween returns ops with from < seq <= to, in order.
func opsBetween(ctx context.Context, q querier, doc uuid.UUID, from, to int64) ([]wire.Op, error) {
	if from < 0 {
		from = 0
	}
	rows, err := q.Query(ctx, `
SELECT seq, kind, paragraph_id, participant_id, author, ref, payload, at
FROM ops WHERE document_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`, doc, from, to)
	if err != nil {
		return nil, fmt.Errorf("load ops: %w", err)
	}
	defer rows.Close()
	out := make([]wire.Op, 0, min(to-from, 1024))
	for rows.Next() {
		var op wire.Op
		var para, part *uuid.UUID
		var payload []byte
		var at time.Time
		if err := rows.Scan(&op.Seq, &op.Kind, &para, &part, &op.Author, &op.Ref, &payload, &at); err != nil {
			return nil, fmt.Errorf("load ops: %w", err)
		}
		var p opPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return nil, fmt.Errorf("load ops: op %d payload: %w", op.Seq, err)
		}
		op.Op, op.Delegation, op.Data, op.At = p.Op, p.Delegation, p.Data, at.UTC()
		if para != nil {
			op.Para = para.String()
		}
		if part != nil {
			op.Participant = part.String()
		}
		out = append(out, op)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load ops: %w", err)
	}
	return out, nil
}
