package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
)

type httpResult struct {
	status     int
	retryAfter string
	code       string
}

func (e *env) fetch(token, path string) httpResult {
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpResult{status: -1, code: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := httpResult{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	if resp.StatusCode >= 400 {
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(b, &body) == nil && body.Error.Message != "" {
			r.code = body.Error.Code
		}
	}
	return r
}

// waitLockWaiters waits until n queries are blocked on a lock. It asks
// through the transaction holding the lock: the pool may be all taken by
// the blocked requests.
func (e *env) waitLockWaiters(tx pgx.Tx, n int) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got int
		// Statistics are read once per transaction unless cleared.
		if _, err := tx.Exec(context.Background(), `SELECT pg_stat_clear_snapshot()`); err != nil {
			e.t.Fatal(err)
		}
		if err := tx.QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&got); err != nil {
			e.t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d queries waiting on the lock, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond) // polling the database for an event, not timing
	}
}

// One token runs at most two heavy requests at once (the third is told
// 429 with Retry-After at once), and the node at most Slots (the next
// waits, then is told 503).
func TestHeavyRequestsAreBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	e.widePool() // the held requests each keep a connection
	e.serve(Config{Heavy: HeavyLimits{Slots: 3, PerToken: 2, Wait: 200 * time.Millisecond}})
	chair := e.token("chair", "")
	if code := e.do("POST", chair, "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"Rev.1"}`, nil); code != 201 {
		t.Fatalf("freeze: %d", code)
	}
	a, b := e.token("observer", ""), e.token("rapporteur", "")
	diff := "/api/v1/documents/" + e.doc.String() + "/diff?from=Rev.1"

	// Hold every diff inside its handler: reading the version waits on
	// a lock the test holds.
	ctx := context.Background()
	tx, err := e.st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE versions IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	held := make(chan httpResult, 3)
	for _, tok := range []string{a, a, b} {
		go func() { held <- e.fetch(tok, diff) }()
	}
	e.waitLockWaiters(tx, 3)

	if r := e.fetch(a, diff); r.status != http.StatusTooManyRequests || r.code != "rate_limited" || r.retryAfter == "" {
		t.Errorf("third heavy request of one token: %+v, want 429 rate_limited with Retry-After", r)
	}
	if r := e.fetch(b, "/api/v1/documents/"+e.doc.String()+"/export?format=txt"); r.status != http.StatusServiceUnavailable || r.code != "busy" || r.retryAfter == "" {
		t.Errorf("heavy request with every slot taken: %+v, want 503 busy with Retry-After", r)
	}
	// Light requests are not limited.
	if code := e.get(a, "/api/v1/documents/"+e.doc.String(), nil); code != 200 {
		t.Errorf("GET document while heavy requests wait: %d", code)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := <-held; r.status != 200 {
			t.Errorf("held diff: %+v", r)
		}
	}
	// Slots are given back.
	if r := e.fetch(a, diff); r.status != 200 {
		t.Errorf("diff after the others finished: %+v", r)
	}
}

// Edits go on being acknowledged while exports, diffs and documents at a
// seq run and are refused around them.
func TestEditingGoesOnUnderHeavyRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	e.serve(Config{Heavy: HeavyLimits{Slots: 2, PerToken: 1, Wait: 50 * time.Millisecond}})
	chair := e.token("chair", "")
	c := e.dial(chair)
	if code := e.do("POST", chair, "/api/v1/documents/"+e.doc.String()+"/versions", `{"label":"Rev.1"}`, nil); code != 201 {
		t.Fatalf("freeze: %d", code)
	}
	base := "/api/v1/documents/" + e.doc.String()
	paths := []string{base + "/export?format=xlsx", base + "/export?format=docx&redline=Rev.1", base + "/diff?from=Rev.1", base + "/at/1"}
	readers := []string{e.token("observer", ""), e.token("observer", ""), e.token("rapporteur", "")}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	var bad []string
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[(i+j)%len(paths)]
				r := e.fetch(readers[i%len(readers)], p)
				mu.Lock()
				counts[r.status]++
				switch r.status {
				case 200:
				case 429, 503:
					if r.retryAfter == "" || r.code == "" {
						bad = append(bad, fmt.Sprintf("%s: %+v", p, r))
					}
				default:
					bad = append(bad, fmt.Sprintf("%s: %+v", p, r))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range 40 {
		accepted(t, fmt.Sprintf("edit %d", i), c.edit(e.paras["3"], fmt.Sprintf(`[%d,"%s"]`, 3, strings.Repeat("é", 1+i%3))))
	}
	close(stop)
	wg.Wait()
	t.Logf("heavy requests by status while 40 edits were acknowledged: %v", counts)
	for _, s := range bad {
		t.Errorf("heavy request answered badly: %s", s)
	}
	if counts[200] == 0 {
		t.Errorf("no heavy request succeeded: %v", counts)
	}
}

// widePool points the env at its database through a pool large enough
// for requests that hold connections while they wait.
func (e *env) widePool() {
	e.t.Helper()
	cfg := e.st.Pool().Config()
	st, err := store.Open(context.Background(), cfg.ConnString()+"&pool_max_conns=24")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(st.Close)
	e.st = st
}
