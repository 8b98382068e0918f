package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// liveCSV has two paragraphs in several scripts and no brackets, so a
// chair's random edits never unbalance any.
const liveCSV = `Row,Original (Rev. Testville 2020)
1,RECALLING
2,a) the first recalled text مرحبا بكم 决议 👩🏽‍💻;
3,resolves
4,1 to act at once in 世界 🇺🇳;
`

// importLive imports csv with the CLI and returns the document id.
func importLive(t *testing.T, data, csv string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	res := draftroom(t, data, nil, "import", "--format", "csv", path)
	if res.code != 0 {
		t.Fatalf("import: %+v", res)
	}
	return strings.TrimSpace(res.stdout)
}

// chairTokens makes n chair tokens bound to doc.
func chairTokens(t *testing.T, data, doc string, n int) []string {
	t.Helper()
	out := make([]string, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed []string
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := draftroom(t, data, nil, "token", "create", "--role", "chair", "--document", doc, "--name", fmt.Sprintf("Chair %d", i+1))
			if res.code != 0 {
				mu.Lock()
				failed = append(failed, res.stderr)
				mu.Unlock()
				return
			}
			out[i] = strings.TrimSpace(res.stdout)
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("token create: %v", failed)
	}
	return out
}

func getDocument(t *testing.T, url, token, doc string) wire.Document {
	t.Helper()
	r := call(t, "GET", url+"/api/v1/documents/"+doc, token, nil)
	if r.status != 200 {
		t.Fatalf("GET document: %d %s", r.status, r.body)
	}
	var d wire.Document
	r.decode(t, &d)
	return d
}

func paragraphs(d wire.Document) []wire.Paragraph {
	var out []wire.Paragraph
	for _, s := range d.Sections {
		out = append(out, s.Paragraphs...)
	}
	return out
}

// eventCounts tallies client events by kind across clients.
type eventCounts struct{ n [16]atomic.Int64 }

func (e *eventCounts) hook(ev client.Event) { e.n[ev.Kind].Add(1) }
func (e *eventCounts) get(k client.EventKind) int64 {
	return e.n[k].Load()
}

func dialLive(t *testing.T, urls []string, token, doc string, ev *eventCounts) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	o := client.Options{URLs: urls, Token: token, Document: doc, MinBackoff: 20 * time.Millisecond, MaxBackoff: 500 * time.Millisecond}
	if ev != nil {
		o.OnEvent = ev.hook
	}
	c, err := client.Dial(ctx, o)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// settleLive waits until every client has nothing pending and has applied
// the server's latest seq, then checks that all of them hold the server's
// text. It returns the server's document.
func settleLive(t *testing.T, url, token, doc string, clients []*client.Client) wire.Document {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i, c := range clients {
		if err := c.WaitIdle(ctx); err != nil {
			t.Fatalf("client %d never became idle: %v", i, err)
		}
	}
	d := getDocument(t, url, token, doc)
	for i, c := range clients {
		if err := c.WaitSeq(ctx, d.Seq); err != nil {
			t.Fatalf("client %d stuck at seq %d of %d: %v", i, c.Seq(), d.Seq, err)
		}
	}
	want := map[string]string{}
	for _, p := range paragraphs(d) {
		want[p.ID] = p.Text
		if n := runsLen(p.Authors); n != utf8.RuneCountInString(p.Text) {
			t.Errorf("paragraph %s: authorship covers %d code points, text has %d", p.ID, n, utf8.RuneCountInString(p.Text))
		}
	}
	for i, c := range clients {
		if c.Seq() != d.Seq {
			t.Errorf("client %d is at seq %d, server at %d", i, c.Seq(), d.Seq)
		}
		for _, p := range c.Paragraphs() {
			if p.Text != want[p.ID] {
				t.Errorf("client %d diverged on %s:\n client %q\n server %q", i, p.ID, p.Text, want[p.ID])
			}
		}
	}
	return d
}

func runsLen(r wire.Runs) int {
	n := 0
	for _, run := range r {
		n += run.Len
	}
	return n
}

// replayLog rebuilds every paragraph from its base text and the ops table,
// read straight from the database, and checks seqs run 1…upTo unbroken.
func replayLog(t *testing.T, data, doc string, start wire.Document, upTo int64) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn := dbConn(t, ctx, data)
	texts := map[string]string{}
	for _, p := range paragraphs(start) {
		texts[p.ID] = p.BaseText
	}
	rows, err := conn.Query(ctx, `SELECT seq, kind, coalesce(paragraph_id::text, ''), payload FROM ops WHERE document_id = $1 ORDER BY seq`, doc)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want int64 = 1
	for rows.Next() {
		var seq int64
		var kind, para string
		var payload []byte
		if err := rows.Scan(&seq, &kind, &para, &payload); err != nil {
			t.Fatal(err)
		}
		if seq != want {
			t.Fatalf("op log jumps from seq %d to %d", want-1, seq)
		}
		want++
		var p struct {
			Op   ot.Op        `json:"op"`
			Data *wire.OpData `json:"data"`
		}
		if err := json.Unmarshal(payload, &p); err != nil {
			t.Fatalf("op %d payload %s: %v", seq, payload, err)
		}
		if kind != wire.KindText {
			// An action that changes text carries it as data.op on
			// data.para (merges, brackets.*, proposal.unmerge).
			if p.Data == nil || len(p.Data.Op) == 0 {
				continue
			}
			para, p.Op = p.Data.Para, p.Data.Op
		}
		text, err := ot.Apply(texts[para], p.Op)
		if err != nil {
			t.Fatalf("replaying op %d on %s: %v", seq, para, err)
		}
		texts[para] = text
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want-1 != upTo {
		t.Fatalf("op log ends at seq %d, document at %d", want-1, upTo)
	}
	return texts
}

// livePieces make up random text: several scripts, combining marks and
// emoji of up to seven code points; never a bracket.
var livePieces = []string{
	"a", "Z", " ", ",", "to ", "مرحبا", "ب", "الأمم ", "你好", "决议", "世",
	"e\u0301", "👍", "👩🏽‍💻", "🇺🇳", "ñ", "Ω", "—",
}

// randomEdit makes an op for text: mostly inserts, deletes of one to three
// code points, and a bigger delete when the paragraph grows long.
func randomEdit(rng *rand.Rand, text string) ot.Op {
	n := utf8.RuneCountInString(text)
	switch {
	case n > 300:
		pos := rng.IntN(n - 30)
		return ot.Op{{Skip: pos}, {Delete: 10 + rng.IntN(20)}}
	case n > 0 && rng.IntN(3) == 0:
		pos := rng.IntN(n)
		return ot.Op{{Skip: pos}, {Delete: 1 + rng.IntN(min(3, n-pos))}}
	}
	var b strings.Builder
	for range 1 + rng.IntN(3) {
		b.WriteString(livePieces[rng.IntN(len(livePieces))])
	}
	return ot.Op{{Skip: rng.IntN(n + 1)}, {Insert: b.String()}}
}

// freeAddr finds a loopback port free now, for a server that must come
// back on the same address after a crash.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// loggedRefs returns the (participant-independent) refs in the op log with
// their seqs, read straight from the database.
func loggedRefs(t *testing.T, data, doc string) map[string]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn := dbConn(t, ctx, data)
	rows, _ := conn.Query(ctx, `SELECT ref, seq FROM ops WHERE document_id = $1`, doc)
	out := map[string]int64{}
	var ref string
	var seq int64
	if _, err := pgx.ForEachRow(rows, []any{&ref, &seq}, func() error { out[ref] = seq; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// dbConn connects to the managed cluster in data (as psql would, through
// draftroom db url), closed when the test ends.
func dbConn(t *testing.T, ctx context.Context, data string) *pgx.Conn {
	t.Helper()
	res := draftroom(t, data, nil, "db", "url")
	if res.code != 0 {
		t.Fatalf("db url: %+v", res)
	}
	conn, err := pgx.Connect(ctx, strings.TrimSpace(res.stdout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
