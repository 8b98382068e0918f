package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

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
		sec, err := optUUID(r.Section)
		if err != nil {
			return err
		}
		para, err := optUUID(r.Paragraph)
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
		sec, para, err := noteAnchor(n.Section, n.Paragraph)
		if err != nil {
			return err
		}
		b.Queue(`
INSERT INTO notes (id, document_id, section_id, paragraph_id, position, kind, text, source_row, author)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO UPDATE SET section_id = EXCLUDED.section_id, paragraph_id = EXCLUDED.paragraph_id, position = EXCLUDED.position`,
			n.ID, doc, sec, para, r.Position, noteKind(n.Kind), n.Text, n.Row, n.Author)
	}
	if len(s.DeletedParagraphs) > 0 {
		deleted := make([]uuid.UUID, len(s.DeletedParagraphs))
		for i, id := range s.DeletedParagraphs {
			var err error
			if deleted[i], err = parseID(id); err != nil {
				return err
			}
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
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET focus = $2 WHERE id = $1`, doc, focus); err != nil {
			return fmt.Errorf("commit batch: focus: %w", err)
		}
	}
	return nil
}

func noteAnchor(sec, para *string) (*uuid.UUID, *uuid.UUID, error) {
	var s, p *uuid.UUID
	var err error
	if sec != nil {
		if s, err = optUUID(*sec); err != nil {
			return nil, nil, err
		}
	}
	if para != nil {
		if p, err = optUUID(*para); err != nil {
			return nil, nil, err
		}
	}
	return s, p, nil
}

// parseID reads a row's id; one that is not a UUID is the data's fault.
func parseID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.UUID{}, &DataError{fmt.Errorf("commit batch: id %q: %w", s, err)}
	}
	return id, nil
}
