package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/wire"
)

// ListDocuments returns every document, or only the one a participant is
// bound to when only is non-nil.
func (s *Store) ListDocuments(ctx context.Context, only *uuid.UUID) ([]wire.DocumentSummary, error) {
	rows, err := s.pool.Query(ctx, `
SELECT id, title, base_ref, seq FROM documents
WHERE $1::uuid IS NULL OR id = $1
ORDER BY created_at, id`, only)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	out := []wire.DocumentSummary{}
	for rows.Next() {
		var d wire.DocumentSummary
		var id uuid.UUID
		if err := rows.Scan(&id, &d.Title, &d.BaseRef, &d.Seq); err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		d.ID = id.String()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return out, nil
}

// querier is what both a pool and a transaction offer; loading a document
// inside a transaction gives a consistent snapshot.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// GetDocument loads a whole document in the read API's shape, from one
// consistent snapshot.
func (s *Store) GetDocument(ctx context.Context, id uuid.UUID) (*wire.Document, error) {
	var doc *wire.Document
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		doc, err = loadDocument(ctx, tx, id)
		return err
	})
	return doc, err
}

// readTx runs fn in a read-only, repeatable-read transaction.
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func loadDocument(ctx context.Context, q querier, id uuid.UUID) (*wire.Document, error) {
	doc := &wire.Document{ID: id.String(), Proposers: []wire.Proposer{}, Notes: []wire.Note{}, Sections: []wire.Section{}}
	var focus, focusProp *uuid.UUID
	floor := &wire.Floor{Queue: []wire.FloorRequest{}}
	err := q.QueryRow(ctx, `SELECT title, base_ref, seq, focus, focus_proposal, floor_speaking, floor_only, lang FROM documents WHERE id = $1`, id).
		Scan(&doc.Title, &doc.BaseRef, &doc.Seq, &focus, &focusProp, &floor.Speaking, &floor.Only, &doc.Lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load document %s: %w", id, err)
	}
	if focus != nil {
		doc.Focus = focus.String()
		if focusProp != nil {
			doc.FocusProposal = focusProp.String()
		}
	}
	if doc.Floor, err = loadFloor(ctx, q, id, floor); err != nil {
		return nil, err
	}

	rows, _ := q.Query(ctx, `SELECT code, name, action, ref FROM document_proposers WHERE document_id = $1 ORDER BY position`, id)
	var p wire.Proposer
	if _, err := pgx.ForEachRow(rows, []any{&p.Code, &p.Name, &p.Action, &p.Ref}, func() error {
		doc.Proposers = append(doc.Proposers, p)
		p = wire.Proposer{}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load proposers: %w", err)
	}

	secIndex := map[uuid.UUID]int{}
	var sid uuid.UUID
	var sec wire.Section
	rows, _ = q.Query(ctx, `SELECT id, heading, kind FROM sections WHERE document_id = $1 ORDER BY position, id`, id)
	if _, err := pgx.ForEachRow(rows, []any{&sid, &sec.Heading, &sec.Kind}, func() error {
		sec.ID = sid.String()
		sec.Paragraphs, sec.Proposals = []wire.Paragraph{}, []wire.Proposal{}
		secIndex[sid] = len(doc.Sections)
		doc.Sections = append(doc.Sections, sec)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load sections: %w", err)
	}

	type paraPos struct{ sec, para int }
	paraIndex := map[uuid.UUID]paraPos{}
	var pid uuid.UUID
	var para wire.Paragraph
	var authors []byte
	rows, _ = q.Query(ctx, `SELECT id, section_id, label, text, base_text, status, authorship FROM paragraphs WHERE document_id = $1 ORDER BY position, id`, id)
	if _, err := pgx.ForEachRow(rows, []any{&pid, &sid, &para.Label, &para.Text, &para.BaseText, &para.Status, &authors}, func() error {
		si, ok := secIndex[sid]
		if !ok {
			return fmt.Errorf("paragraph %s in unknown section %s", pid, sid)
		}
		para.ID = pid.String()
		para.Proposals = []wire.Proposal{}
		para.Authors = nil
		if err := json.Unmarshal(authors, &para.Authors); err != nil {
			return fmt.Errorf("paragraph %s: %w", pid, err)
		}
		if para.Authors == nil {
			para.Authors = wire.Runs{}
		}
		paraIndex[pid] = paraPos{si, len(doc.Sections[si].Paragraphs)}
		doc.Sections[si].Paragraphs = append(doc.Sections[si].Paragraphs, para)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load paragraphs: %w", err)
	}

	var prop wire.Proposal
	var propID uuid.UUID
	var secID, paraID *uuid.UUID
	var suggested *string
	rows, _ = q.Query(ctx, `SELECT id, section_id, paragraph_id, proposer, proposer_name, action, label, text, ref, status, suggested_proposer
FROM proposals WHERE document_id = $1 ORDER BY position, created_at, id`, id)
	if _, err := pgx.ForEachRow(rows, []any{&propID, &secID, &paraID, &prop.Proposer, &prop.ProposerName, &prop.Action, &prop.Label, &prop.Text, &prop.Ref, &prop.Status, &suggested}, func() error {
		prop.ID = propID.String()
		prop.SuggestedProposer = ""
		if suggested != nil {
			prop.SuggestedProposer = *suggested
		}
		if paraID != nil {
			if pp, ok := paraIndex[*paraID]; ok {
				ps := &doc.Sections[pp.sec].Paragraphs[pp.para]
				ps.Proposals = append(ps.Proposals, prop)
				return nil
			}
		}
		if secID != nil {
			if si, ok := secIndex[*secID]; ok {
				doc.Sections[si].Proposals = append(doc.Sections[si].Proposals, prop)
				return nil
			}
		}
		return fmt.Errorf("proposal %s has no anchor", propID)
	}); err != nil {
		return nil, fmt.Errorf("load proposals: %w", err)
	}

	var n wire.Note
	var nid uuid.UUID
	rows, _ = q.Query(ctx, `SELECT id, section_id, paragraph_id, text, source_row, kind, author
FROM notes WHERE document_id = $1 ORDER BY position, created_at, id`, id)
	if _, err := pgx.ForEachRow(rows, []any{&nid, &secID, &paraID, &n.Text, &n.Row, &n.Kind, &n.Author}, func() error {
		n.ID = nid.String()
		n.Section, n.Paragraph = uuidString(secID), uuidString(paraID)
		doc.Notes = append(doc.Notes, n)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load notes: %w", err)
	}
	return doc, nil
}

func uuidString(u *uuid.UUID) *string {
	if u == nil {
		return nil
	}
	s := u.String()
	return &s
}

// SetAuthorship replaces a paragraph's authorship runs (demo and import
// fix-ups only; live edits go through the room).
func (s *Store) SetAuthorship(ctx context.Context, para uuid.UUID, runs []byte) error {
	return s.updateOne(ctx, "set authorship", "paragraph", para, `UPDATE paragraphs SET authorship = $2 WHERE id = $1`, runs)
}

// DocumentExists reports whether a document exists.
func (s *Store) DocumentExists(ctx context.Context, id uuid.UUID) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents WHERE id = $1)`, id).Scan(&ok); err != nil {
		return false, fmt.Errorf("look up document %s: %w", id, err)
	}
	return ok, nil
}

// DocumentLang returns the language recorded for a document ("" when
// unknown). A document's language does not change, so it holds for every
// version and seq of it.
func (s *Store) DocumentLang(ctx context.Context, id uuid.UUID) (string, error) {
	var lang string
	if err := s.pool.QueryRow(ctx, `SELECT lang FROM documents WHERE id = $1`, id).Scan(&lang); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", fmt.Errorf("document %s: %w", id, ErrNotFound)
		}
		return "", fmt.Errorf("document language %s: %w", id, err)
	}
	return lang, nil
}

// loadFloor reads the speakers' list into f.
func loadFloor(ctx context.Context, q querier, doc uuid.UUID, f *wire.Floor) (*wire.Floor, error) {
	rows, _ := q.Query(ctx, `SELECT delegation, paragraph_id, requested_at FROM floor_requests WHERE document_id = $1 ORDER BY position`, doc)
	var r wire.FloorRequest
	var para *uuid.UUID
	var at *time.Time
	if _, err := pgx.ForEachRow(rows, []any{&r.Delegation, &para, &at}, func() error {
		req := wire.FloorRequest{Delegation: r.Delegation}
		if para != nil {
			req.Para = para.String()
		}
		if at != nil {
			req.At = at.UTC().Format(time.RFC3339Nano)
		}
		f.Queue = append(f.Queue, req)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load floor: %w", err)
	}
	return f, nil
}
