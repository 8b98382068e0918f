package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A client whose connection drops right after it sent an edit reconnects
// and resends the edit under the same ref while the first copy's commit is
// still under way. If that commit then fails, the resend must be answered
// (refused with unavailable, or applied): the client has nothing else to go
// on. The commit is held up with a table lock and made to fail by
// terminating the server's blocked backend.
func TestLiveResendDuringFailedCommitIsAnswered(t *testing.T) {
	data := dataDir(t)
	srv := startServer(t, data, nil)
	doc := importLive(t, data, liveCSV)
	tok := chairTokens(t, data, doc, 1)[0]
	start := getDocument(t, srv.url, tok, doc)
	para := paragraphs(start)[1].ID

	res := draftroom(t, data, nil, "db", "url")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	locker, err := pgx.Connect(ctx, strings.TrimSpace(res.stdout))
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(context.Background())
	killer, err := pgx.Connect(ctx, strings.TrimSpace(res.stdout))
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close(context.Background())

	first := openRaw(t, srv.url, tok, doc, "")
	first.welcome()
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, "LOCK TABLE ops IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	first.send(rawEdit{"edit", "r-lost", para, start.Seq, []any{"x"}})
	// Wait until the server's commit is blocked on the lock.
	var pid int
	for deadline := time.Now().Add(20 * time.Second); pid == 0; {
		err := killer.QueryRow(ctx, `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() LIMIT 1`).Scan(&pid)
		if err != nil && err != pgx.ErrNoRows {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the commit never blocked on the lock")
		}
		if pid == 0 {
			time.Sleep(20 * time.Millisecond) // polling the database, which has no event to wait on
		}
	}
	first.ws.Close()
	second := openRaw(t, srv.url, tok, doc, "?since="+itoa(start.Seq))
	second.welcome()
	second.send(rawEdit{"edit", "r-lost", para, start.Seq, []any{"x"}})
	// Let the room see the resend before the commit fails: a presence
	// update round-trips through the same room queue.
	second.send(map[string]any{"type": "presence", "para": para})
	if _, err := killer.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)

	second.ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		_, data, err := second.ws.ReadMessage()
		if err != nil {
			t.Fatalf("the resend of r-lost was never answered (%v): the client would wait forever", err)
		}
		var f struct {
			Type string `json:"type"`
			Ref  string `json:"ref"`
			Ops  []struct {
				Ref string `json:"ref"`
			} `json:"ops"`
		}
		json.Unmarshal(data, &f)
		if f.Type == "error" && f.Ref == "r-lost" {
			return
		}
		for _, op := range f.Ops {
			if op.Ref == "r-lost" {
				return
			}
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
