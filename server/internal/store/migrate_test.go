package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/store"
)

func tables(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	url := pgtest.NewEmptyDB(t)
	mg, err := store.NewMigrator(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	if err := mg.Check(); err == nil {
		t.Fatal("Check on an empty database should say the schema is behind")
	}
	if err := mg.Up(); err != nil {
		t.Fatal(err)
	}
	v, dirty, err := mg.Version()
	if err != nil || dirty || v != store.LatestVersion() {
		t.Fatalf("after up: version %d dirty %v err %v, want %d", v, dirty, err, store.LatestVersion())
	}
	if err := mg.Check(); err != nil {
		t.Fatalf("Check after up: %v", err)
	}
	want := []string{"delegations", "document_proposers", "documents", "floor_requests", "notes", "ops", "paragraphs", "participants", "presence", "proposals", "sections", "sessions", "snapshots", "tokens", "versions"}
	if got := tables(t, url); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("tables after up = %v, want %v", got, want)
	}
	if err := mg.Down(int(store.LatestVersion())); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := mg.Version(); v != 0 {
		t.Fatalf("after down to zero: version %d", v)
	}
	if got := tables(t, url); len(got) != 0 {
		t.Fatalf("tables left after down: %v", got)
	}
	if err := mg.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if got := tables(t, url); len(got) != len(want) {
		t.Fatalf("tables after second up = %v", got)
	}
}

// The versions table refuses UPDATE, DELETE and TRUNCATE, even from its owner.
func TestVersionsAreImmutable(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	id, _, err := st.ImportCompilation(ctx, smallCompilation(), "")
	if err != nil {
		t.Fatal(err)
	}
	pool := st.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO versions (document_id, label, seq, content, sha256, counts) VALUES ($1, 'Rev.1', 0, '{}', $2, '{}')`,
		id, strings.Repeat("a", 64)); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE versions SET content = '{"x":1}' WHERE document_id = $1`,
		`DELETE FROM versions WHERE document_id = $1`,
		`TRUNCATE versions`,
	} {
		var err error
		if strings.Contains(sql, "$1") {
			_, err = pool.Exec(ctx, sql, id)
		} else {
			_, err = pool.Exec(ctx, sql)
		}
		if err == nil || !strings.Contains(err.Error(), "versions are immutable") {
			t.Errorf("%s: err = %v, want refusal", sql, err)
		}
	}
	var content string
	if err := pool.QueryRow(ctx, `SELECT content FROM versions WHERE document_id = $1`, id).Scan(&content); err != nil || content != "{}" {
		t.Fatalf("version changed: %q %v", content, err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	id, _, err := st.ImportCompilation(ctx, smallCompilation(), "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.CreateParticipant(ctx, store.Participant{Role: "delegate", Delegation: "BRA", DocumentID: &id})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := st.CreateToken(ctx, p.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 40 {
		t.Fatalf("token %q too short for 256 bits", tok)
	}
	got, err := st.Authenticate(ctx, tok)
	if err != nil || got.ID != p.ID || got.Delegation != "BRA" || got.DocumentID == nil || *got.DocumentID != id {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	// Only the hash is stored.
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM tokens WHERE encode(hash, 'escape') LIKE '%' || $1 || '%'`, tok[4:20]).Scan(&n); err != nil || n != 0 {
		t.Fatalf("token text found in tokens table: %d %v", n, err)
	}
	for _, bad := range []string{"", "drt_nope", tok + "x", "Bearer " + tok} {
		if _, err := st.Authenticate(ctx, bad); err != store.ErrUnauthorized {
			t.Errorf("Authenticate(%q) err = %v, want ErrUnauthorized", bad, err)
		}
	}
	past := time.Now().Add(-time.Minute)
	expired, _, err := st.CreateToken(ctx, p.ID, &past)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Authenticate(ctx, expired); err != store.ErrUnauthorized {
		t.Errorf("expired token: err = %v", err)
	}

	for _, bad := range []store.Participant{
		{Role: "emperor"},
		{Role: "delegate"},
		{Role: "chair", Delegation: "BRA"},
		{Role: "delegate", Delegation: "ZZZ"},
		{Role: "chair", DocumentID: ptr(uuid.New())},
	} {
		if _, err := st.CreateParticipant(ctx, bad); err == nil {
			t.Errorf("CreateParticipant(%+v) succeeded", bad)
		}
	}
}

func ptr[T any](v T) *T { return &v }
