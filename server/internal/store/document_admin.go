package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// DocumentStats is a document as the secretariat's desk lists it.
type DocumentStats struct {
	ID           uuid.UUID
	Title        string
	BaseRef      string
	Seq          int64
	Sections     int
	Paragraphs   int
	Proposals    int // tabled, not yet merged, withdrawn or rejected
	Participants int // with a live token
	Online       int // connected live now
	Versions     int
	CreatedAt    time.Time
	LastActivity time.Time // the last committed change, or the import
}

// ListDocumentStats lists every document with its counts, most recently
// active first.
func (s *Store) ListDocumentStats(ctx context.Context) ([]DocumentStats, error) {
	rows, _ := s.pool.Query(ctx, `
SELECT d.id, d.title, d.base_ref, d.seq, d.created_at, greatest(d.updated_at, d.created_at),
  (SELECT count(*) FROM sections s WHERE s.document_id = d.id),
  (SELECT count(*) FROM paragraphs p WHERE p.document_id = d.id),
  (SELECT count(*) FROM proposals p WHERE p.document_id = d.id AND p.status = 'tabled'),
  (SELECT count(DISTINCT p.id) FROM participants p JOIN tokens t ON t.participant_id = p.id
     WHERE p.document_id = d.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())),
  (SELECT count(DISTINCT pr.participant_id) FROM presence pr JOIN participants p ON p.id = pr.participant_id
     WHERE p.document_id = d.id AND pr.seen_at > now() - make_interval(secs => $1)),
  (SELECT count(*) FROM versions v WHERE v.document_id = d.id)
FROM documents d ORDER BY greatest(d.updated_at, d.created_at) DESC, d.id`, PresenceTTL.Seconds())
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DocumentStats, error) {
		var d DocumentStats
		err := r.Scan(&d.ID, &d.Title, &d.BaseRef, &d.Seq, &d.CreatedAt, &d.LastActivity,
			&d.Sections, &d.Paragraphs, &d.Proposals, &d.Participants, &d.Online, &d.Versions)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	if out == nil {
		out = []DocumentStats{}
	}
	return out, nil
}

// MaxTitleLen bounds a document's title, in characters.
const MaxTitleLen = 500

// CheckTitle says what is wrong with a document title, if anything.
func CheckTitle(title string) error {
	switch {
	case strings.TrimSpace(title) == "":
		return fmt.Errorf("%w: the title is empty", ErrInvalid)
	case !utf8.ValidString(title):
		return fmt.Errorf("%w: the title is not valid UTF-8", ErrInvalid)
	case utf8.RuneCountInString(title) > MaxTitleLen:
		return fmt.Errorf("%w: the title is longer than %d characters", ErrInvalid, MaxTitleLen)
	}
	for _, r := range title {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("%w: the title holds a control character (U+%04X)", ErrInvalid, r)
		}
	}
	return nil
}

// RenameDocument sets a document's title. Live rooms hold the title too:
// callers tell the hub (room.Hub.Rename does both).
func (s *Store) RenameDocument(ctx context.Context, id uuid.UUID, title string) error {
	title = strings.TrimSpace(title)
	if err := CheckTitle(title); err != nil {
		return err
	}
	return s.updateOne(ctx, "rename document", "document", id, `UPDATE documents SET title = $2 WHERE id = $1`, title)
}
