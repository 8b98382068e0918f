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
	"github.com/draftroom/draftroom/server/wire"
)

// Version is a frozen version as stored.
type Version struct {
	Label     string
	Seq       int64
	Content   string // canonical JSON of the document
	SHA256    string
	Counts    json.RawMessage
	CreatedAt time.Time
}

// ListVersions returns a document's versions, oldest first, without content.
func (s *Store) ListVersions(ctx context.Context, doc uuid.UUID) ([]Version, error) {
	rows, err := s.pool.Query(ctx, `SELECT label, seq, sha256, counts, created_at FROM versions WHERE document_id = $1 ORDER BY seq, created_at`, doc)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer rows.Close()
	out := []Version{}
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.Label, &v.Seq, &v.SHA256, &v.Counts, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("list versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// GetVersion returns one version with its content.
func (s *Store) GetVersion(ctx context.Context, doc uuid.UUID, label string) (*Version, error) {
	var v Version
	err := s.pool.QueryRow(ctx, `SELECT label, seq, content, sha256, counts, created_at FROM versions WHERE document_id = $1 AND label = $2`, doc, label).
		Scan(&v.Label, &v.Seq, &v.Content, &v.SHA256, &v.Counts, &v.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("version %q: %w", label, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get version: %w", err)
	}
	return &v, nil
}

// VersionLabels lists a document's version labels (the room numbers new
// ones from them).
func (s *Store) VersionLabels(ctx context.Context, doc uuid.UUID) ([]string, error) {
	rows, _ := s.pool.Query(ctx, `SELECT label FROM versions WHERE document_id = $1`, doc)
	labels, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("version labels: %w", err)
	}
	return labels, nil
}

// Snapshot is a stored document state.
type Snapshot struct {
	Seq int64
	Doc *wire.Document
}

// SnapshotAtOrBefore returns the latest snapshot with seq <= at.
func (s *Store) SnapshotAtOrBefore(ctx context.Context, doc uuid.UUID, at int64) (*Snapshot, error) {
	var snap Snapshot
	var content []byte
	err := s.pool.QueryRow(ctx, `SELECT seq, content FROM snapshots WHERE document_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1`, doc, at).
		Scan(&snap.Seq, &content)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("snapshot of %s at or before %d: %w", doc, at, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if err := json.Unmarshal(content, &snap.Doc); err != nil {
		return nil, fmt.Errorf("decode snapshot %d: %w", snap.Seq, err)
	}
	return &snap, nil
}

// DocumentAt rebuilds a document as it was at seq, from the nearest
// snapshot at or before it plus the op log (document.Replay).
func (s *Store) DocumentAt(ctx context.Context, doc uuid.UUID, seq int64) (*wire.Document, error) {
	snap, err := s.SnapshotAtOrBefore(ctx, doc, seq)
	if err != nil {
		return nil, err
	}
	ops, err := s.OpsBetween(ctx, doc, snap.Seq, seq)
	if err != nil {
		return nil, err
	}
	d, err := document.Replay(snap.Doc, ops, seq)
	var short *document.SeqError
	if errors.As(err, &short) {
		return nil, fmt.Errorf("%w: %w", short, ErrNotFound)
	}
	return d, err
}

// OpsBetween returns ops with from < seq <= to, in order.
func (s *Store) OpsBetween(ctx context.Context, doc uuid.UUID, from, to int64) ([]wire.Op, error) {
	return opsBetween(ctx, s.pool, doc, from, to)
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertSnapshot(ctx context.Context, q execer, doc uuid.UUID, d *wire.Document) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	if _, err := q.Exec(ctx, `INSERT INTO snapshots (document_id, seq, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, doc, d.Seq, b); err != nil {
		return fmt.Errorf("write snapshot at %d: %w", d.Seq, err)
	}
	return nil
}

// WriteSnapshot stores the document as it is at d.Seq, on its own, apart
// from any op batch: a snapshot only makes rebuilding old seqs cheaper, so
// one that fails costs nothing but that. d must not change meanwhile.
func (s *Store) WriteSnapshot(ctx context.Context, doc uuid.UUID, d *wire.Document) error {
	return insertSnapshot(ctx, s.pool, doc, d)
}
