package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// ErrConflict means the document's seq in the database is not the one a
// commit was made against: another writer got there first.
var ErrConflict = errors.New("document seq moved under the commit")

// ConflictError says where the document's seq stood when a commit found it
// moved.
type ConflictError struct {
	Expected, Found int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("document is at seq %d, commit was made at %d: %v", e.Found, e.Expected, ErrConflict)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// DataError is a commit refused for what it holds rather than because the
// database could not be reached: the same data would fail again, and
// nothing of the transaction was written.
type DataError struct{ Err error }

func (e *DataError) Error() string { return e.Err.Error() }
func (e *DataError) Unwrap() error { return e.Err }

// IsDataError reports whether err is a refusal of the data itself: a
// DataError, or PostgreSQL's data exceptions (class 22: a character it
// cannot store, a value out of range), integrity constraint violations
// (23) and program limits (54: a value too large). Connection failures,
// timeouts, shutdowns and lock or serialization failures are not: those
// may succeed on a retry, and a commit cut off may even have committed.
func IsDataError(err error) bool {
	var de *DataError
	if errors.As(err, &de) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && len(pg.Code) == 5 {
		switch pg.Code[:2] {
		case "22", "23", "54":
			return true
		}
	}
	return false
}

// IsUniqueViolation reports whether err is PostgreSQL refusing a
// duplicate key.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}

// NotifyChannel is the PostgreSQL channel commits are announced on, with
// payload "documentID:seq".
const NotifyChannel = "draftroom_commits"

// opPayload is an op's row payload: what the op table's columns do not hold.
type opPayload struct {
	Op         ot.Op           `json:"op,omitempty"`
	Delegation string          `json:"delegation,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
}

// Sync is what a batch of ops changed, as rows to write with it: the
// document's rows as the model has them, and the versions frozen.
type Sync struct {
	document.Rows
	Versions []VersionRow
}

// VersionRow is a frozen version to insert.
type VersionRow struct {
	Label     string
	Seq       int64
	Content   string
	SHA256    string
	Counts    []byte
	CreatedBy *uuid.UUID
	CreatedAt time.Time
}

// CommitBatch appends ops (seq from+1 … from+len(ops)) to the log and writes
// the rows they changed, in one transaction. It fails with ErrConflict
// unless the document's seq is still from.
func (s *Store) CommitBatch(ctx context.Context, doc uuid.UUID, from int64, ops []wire.Op, sync *Sync) error {
	if len(ops) == 0 {
		return nil
	}
	to := ops[len(ops)-1].Seq
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// The row lock makes PostgreSQL the arbiter between nodes: a second
		// writer waits here for the first to commit, then sees its seq.
		var found int64
		if err := tx.QueryRow(ctx, `SELECT seq FROM documents WHERE id = $1 FOR UPDATE`, doc).Scan(&found); err != nil {
			return fmt.Errorf("commit batch: lock document: %w", err)
		}
		if found != from {
			return &ConflictError{Expected: from, Found: found}
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET seq = $2, updated_at = now() WHERE id = $1`, doc, to); err != nil {
			return fmt.Errorf("commit batch: advance seq: %w", err)
		}
		// Delivered to every listening node when (and only if) this commits.
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, NotifyChannel, fmt.Sprintf("%s:%d", doc, to)); err != nil {
			return fmt.Errorf("commit batch: notify: %w", err)
		}
		if err := appendOps(ctx, tx, doc, ops); err != nil {
			return err
		}
		if sync != nil {
			return writeSync(ctx, tx, doc, sync)
		}
		return nil
	})
}

func appendOps(ctx context.Context, tx pgx.Tx, doc uuid.UUID, ops []wire.Op) error {
	rows := make([][]any, len(ops))
	for i, op := range ops {
		payload, err := json.Marshal(opPayload{Op: op.Op, Delegation: op.Delegation, Data: op.Data})
		if err != nil {
			return &DataError{fmt.Errorf("commit batch: encode op %d: %w", op.Seq, err)}
		}
		para, err := optUUID(op.Para)
		if err != nil {
			return &DataError{fmt.Errorf("commit batch: op %d: %w", op.Seq, err)}
		}
		part, err := optUUID(op.Participant)
		if err != nil {
			return &DataError{fmt.Errorf("commit batch: op %d: %w", op.Seq, err)}
		}
		rows[i] = []any{doc, op.Seq, op.Kind, para, part, op.Author, op.Ref, payload, op.At}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ops"},
		[]string{"document_id", "seq", "kind", "paragraph_id", "participant_id", "author", "ref", "payload", "at"},
		pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("commit batch: append ops: %w", err)
	}
	return nil
}

func optUUID(s string) (*uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// RoomState is what a live room starts from: the document and the tail of
// its op log.
type RoomState struct {
	Doc      *wire.Document
	History  []wire.Op // the last ops, in seq order, ending at Doc.Seq
	Versions []string  // labels of the document's frozen versions
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
		if st.History, err = opsBetween(ctx, tx, doc, d.Seq-int64(historyLimit), d.Seq); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT label FROM versions WHERE document_id = $1`, doc)
		st.Versions, err = pgx.CollectRows(rows, pgx.RowTo[string])
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
		if op.Kind == wire.KindText && op.Op == nil {
			op.Op = ot.Op{} // a no-op text op still says "op":[] on the wire
		}
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

// writeSync writes the rows a batch changed. Order matters: sections before
// their paragraphs, proposals and notes re-anchored before a paragraph they
// pointed at is deleted.
func writeSync(ctx context.Context, tx pgx.Tx, doc uuid.UUID, s *Sync) error {
	if len(s.Sections) > 0 {
		ids := make([]uuid.UUID, len(s.Sections))
		pos := make([]int32, len(s.Sections))
		heads := make([]string, len(s.Sections))
		kinds := make([]string, len(s.Sections))
		for i, r := range s.Sections {
			id, err := parseID(r.ID)
			if err != nil {
				return err
			}
			ids[i], pos[i], heads[i], kinds[i] = id, int32(r.Position), r.Heading, r.Kind
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO sections (id, document_id, position, heading, kind)
SELECT u.id, $5, u.pos, u.heading, u.kind FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS u(id, pos, heading, kind)
ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, heading = EXCLUDED.heading, kind = EXCLUDED.kind`,
			ids, pos, heads, kinds, doc); err != nil {
			return fmt.Errorf("commit batch: sections: %w", err)
		}
	}
	if len(s.Paragraphs) > 0 {
		n := len(s.Paragraphs)
		ids, secs := make([]uuid.UUID, n), make([]uuid.UUID, n)
		pos := make([]int32, n)
		labels, texts, bases, statuses, authors := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, r := range s.Paragraphs {
			b, err := json.Marshal(r.Authors)
			if err != nil {
				return fmt.Errorf("commit batch: authorship: %w", err)
			}
			id, err := parseID(r.ID)
			if err != nil {
				return err
			}
			sec, err := parseID(r.Section)
			if err != nil {
				return err
			}
			ids[i], secs[i], pos[i], labels[i], texts[i], bases[i], statuses[i], authors[i] = id, sec, int32(r.Position), r.Label, r.Text, r.BaseText, r.Status, string(b)
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO paragraphs (id, document_id, section_id, position, label, text, base_text, status, authorship)
SELECT u.id, $9, u.sec, u.pos, u.label, u.text, u.base, u.status, u.authors::jsonb
FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
  AS u(id, sec, pos, label, text, base, status, authors)
ON CONFLICT (id) DO UPDATE SET section_id = EXCLUDED.section_id, position = EXCLUDED.position, label = EXCLUDED.label,
  text = EXCLUDED.text, status = EXCLUDED.status, authorship = EXCLUDED.authorship
WHERE paragraphs.document_id = EXCLUDED.document_id`,
			ids, secs, pos, labels, texts, bases, statuses, authors, doc); err != nil {
			return fmt.Errorf("commit batch: paragraphs: %w", err)
		}
	}
	b := &pgx.Batch{}
	for _, r := range s.Proposals {
		p := r.Proposal
		sec, para, err := anchor(r.Section, r.Paragraph)
		if err != nil {
			return err
		}
		b.Queue(`
INSERT INTO proposals (id, document_id, section_id, paragraph_id, position, proposer, proposer_name, action, label, text, ref, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (id) DO UPDATE SET section_id = EXCLUDED.section_id, paragraph_id = EXCLUDED.paragraph_id, position = EXCLUDED.position,
  proposer = EXCLUDED.proposer, proposer_name = EXCLUDED.proposer_name, action = EXCLUDED.action, label = EXCLUDED.label,
  text = EXCLUDED.text, ref = EXCLUDED.ref, status = EXCLUDED.status`,
			p.ID, doc, sec, para, r.Position, p.Proposer, p.ProposerName, p.Action, p.Label, p.Text, p.Ref, p.Status)
	}
	for _, r := range s.Notes {
		n := r.Note
		sec, para, err := anchor(deref(n.Section), deref(n.Paragraph))
		if err != nil {
			return err
		}
		b.Queue(`
INSERT INTO notes (id, document_id, section_id, paragraph_id, position, kind, text, source_row, author)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO UPDATE SET section_id = EXCLUDED.section_id, paragraph_id = EXCLUDED.paragraph_id, position = EXCLUDED.position`,
			n.ID, doc, sec, para, r.Position, noteKind(n.Kind), n.Text, n.Row, n.Author)
	}
	if len(s.DeletedNotes) > 0 {
		gone, err := parseIDs(s.DeletedNotes)
		if err != nil {
			return err
		}
		b.Queue(`DELETE FROM notes WHERE id = ANY($1) AND document_id = $2`, gone, doc)
	}
	if len(s.DeletedParagraphs) > 0 {
		deleted, err := parseIDs(s.DeletedParagraphs)
		if err != nil {
			return err
		}
		// Proposals and notes of a deleted paragraph stay, with its section.
		b.Queue(`UPDATE proposals SET paragraph_id = NULL, section_id = p.section_id FROM paragraphs p
WHERE proposals.paragraph_id = p.id AND p.id = ANY($1) AND p.document_id = $2`, deleted, doc)
		b.Queue(`UPDATE notes SET paragraph_id = NULL, section_id = p.section_id FROM paragraphs p
WHERE notes.paragraph_id = p.id AND p.id = ANY($1) AND p.document_id = $2`, deleted, doc)
		b.Queue(`DELETE FROM paragraphs WHERE id = ANY($1) AND document_id = $2`, deleted, doc)
	}
	for _, v := range s.Versions {
		b.Queue(`INSERT INTO versions (document_id, label, seq, content, sha256, counts, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			doc, v.Label, v.Seq, v.Content, v.SHA256, v.Counts, v.CreatedBy, v.CreatedAt)
	}
	if b.Len() > 0 {
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("commit batch: rows: %w", err)
		}
	}
	if s.Focus != nil {
		focus, err := optUUID(*s.Focus)
		if err != nil {
			return &DataError{fmt.Errorf("commit batch: focus: %w", err)}
		}
		var prop *uuid.UUID
		if s.FocusProposal != nil {
			if prop, err = optUUID(*s.FocusProposal); err != nil {
				return &DataError{fmt.Errorf("commit batch: focus proposal: %w", err)}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET focus = $2, focus_proposal = $3 WHERE id = $1`, doc, focus, prop); err != nil {
			return fmt.Errorf("commit batch: focus: %w", err)
		}
	}
	if s.Floor != nil {
		return writeFloor(ctx, tx, doc, s.Floor)
	}
	return nil
}

// anchor reads where a proposal or a note stands: its section and
// paragraph ids, each optional ("" for none).
func anchor(sec, para string) (*uuid.UUID, *uuid.UUID, error) {
	s, err := optUUID(sec)
	if err != nil {
		return nil, nil, err
	}
	p, err := optUUID(para)
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// deref is a note's optional field, "" when it is absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// parseID reads a row's id; one that is not a UUID is the data's fault.
func parseID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.UUID{}, &DataError{fmt.Errorf("commit batch: id %q: %w", s, err)}
	}
	return id, nil
}

// parseIDs reads rows' ids, as parseID does.
func parseIDs(list []string) ([]uuid.UUID, error) {
	ids := make([]uuid.UUID, len(list))
	for i, s := range list {
		var err error
		if ids[i], err = parseID(s); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// writeFloor replaces the document's floor: who has it, the mode, and the
// speakers' list (at most a few hundred rows, rewritten whole: the floor
// changes at the pace of a meeting).
func writeFloor(ctx context.Context, tx pgx.Tx, doc uuid.UUID, f *wire.Floor) error {
	if _, err := tx.Exec(ctx, `UPDATE documents SET floor_speaking = $2, floor_only = $3 WHERE id = $1`, doc, f.Speaking, f.Only); err != nil {
		return fmt.Errorf("commit batch: floor: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM floor_requests WHERE document_id = $1`, doc); err != nil {
		return fmt.Errorf("commit batch: floor: %w", err)
	}
	if len(f.Queue) == 0 {
		return nil
	}
	n := len(f.Queue)
	codes, paras, ats := make([]string, n), make([]*uuid.UUID, n), make([]*time.Time, n)
	for i, q := range f.Queue {
		var err error
		codes[i] = q.Delegation
		if paras[i], err = optUUID(q.Para); err != nil {
			return &DataError{fmt.Errorf("commit batch: floor request of %s: %w", q.Delegation, err)}
		}
		if q.At != "" {
			at, err := time.Parse(time.RFC3339Nano, q.At)
			if err != nil {
				return &DataError{fmt.Errorf("commit batch: floor request of %s: %w", q.Delegation, err)}
			}
			ats[i] = &at
		}
	}
	if _, err := tx.Exec(ctx, `
INSERT INTO floor_requests (document_id, position, delegation, paragraph_id, requested_at)
SELECT $1, u.pos - 1, u.code, u.para, u.at FROM unnest($2::text[], $3::uuid[], $4::timestamptz[]) WITH ORDINALITY AS u(code, para, at, pos)`,
		doc, codes, paras, ats); err != nil {
		return fmt.Errorf("commit batch: floor requests: %w", err)
	}
	return nil
}
