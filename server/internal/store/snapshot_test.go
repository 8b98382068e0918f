package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/store"
)

// Migration 0006 turns snapshots from jsonb (whose 268 MB ceiling once
// bricked documents) into bytea, keeping the snapshots already there, and
// back.
func TestSnapshotMigrationKeepsSnapshots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewEmptyDB(t)
	mg, err := store.NewMigrator(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	if err := mg.Up(); err != nil {
		t.Fatal(err)
	}
	if err := mg.Down(int(store.LatestVersion()) - 5); err != nil { // to 0005
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	doc := uuid.New()
	if _, err := conn.Exec(ctx, `INSERT INTO documents (id, title) VALUES ($1, 'Résolution 决议')`, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO snapshots (document_id, seq, content) VALUES ($1, 7, $2::jsonb)`, doc,
		`{"id":"`+doc.String()+`","title":"Résolution 决议","seq":7,"sections":[]}`); err != nil {
		t.Fatal(err)
	}
	if err := mg.Up(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.SnapshotAtOrBefore(ctx, doc, 9)
	if err != nil || snap.Seq != 7 || snap.Doc.Title != "Résolution 决议" {
		t.Fatalf("snapshot after up: %+v, %v", snap, err)
	}
	var kind string
	conn.QueryRow(ctx, `SELECT data_type FROM information_schema.columns WHERE table_name = 'snapshots' AND column_name = 'content'`).Scan(&kind)
	if kind != "bytea" {
		t.Fatalf("content is %s", kind)
	}
	if err := mg.Down(int(store.LatestVersion()) - 5); err != nil { // to 0005 again
		t.Fatal(err)
	}
	var title string
	if err := conn.QueryRow(ctx, `SELECT content->>'title' FROM snapshots WHERE document_id = $1`, doc).Scan(&title); err != nil || title != "Résolution 决议" {
		t.Fatalf("after down: %q, %v", title, err)
	}
}
