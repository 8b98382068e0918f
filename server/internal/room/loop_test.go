package room

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// lockOps holds an exclusive lock on the op log, so that any read of it
// waits, until the returned transaction ends.
func lockOps(t *testing.T, f *fixture) pgx.Tx {
	t.Helper()
	tx, err := f.st.Pool().Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), `LOCK TABLE ops IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.Background()) })
	return tx
}

// waitForOpsReader waits until someone waits on the lock on the op log:
// the room has started its read.
func waitForOpsReader(t *testing.T, f *fixture) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		if err := f.st.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'ops'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nobody read the op log")
		}
		time.Sleep(10 * time.Millisecond) // polling the database: no event to wait on
	}
}

// The loop does not wait on the database: while the room reads another
// node's ops, it still handles its members (here, presence). The read's
// ops then reach the members.
func TestCatchUpDoesNotBlockTheLoop(t *testing.T) {
	t.Parallel()
	// CommitTimeout outlasts the wait for presence below: a loop that waited
	// on the read would be caught waiting, not timed out of it.
	f := setup(t, Config{PollEvery: 20 * time.Millisecond, PresenceEvery: time.Millisecond, CommitTimeout: time.Minute})
	ctx := context.Background()
	a, pa, _ := f.join(t, f.person(t, "chair", ""), 256, -1)
	// "Another node" commits op 1 in a transaction that keeps the op log
	// locked; the seq it moved is seen by the room's poll.
	tx := lockOps(t, f)
	if _, err := tx.Exec(ctx, `INSERT INTO ops (document_id, seq, kind, paragraph_id, author, ref, payload, at)
VALUES ($1, 1, 'text', $2, 'chair', 'remote', '{"op":["Ω "]}', now())`, f.doc, f.paras[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool().Exec(ctx, `UPDATE documents SET seq = 1 WHERE id = $1`, f.doc); err != nil {
		t.Fatal(err)
	}
	waitForOpsReader(t, f)
	a.Presence(&f.paras[2])
	for {
		if fr := pa.next(t, wire.TypePresence); strings.Contains(string(fr.Participants), f.paras[2]) {
			break
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if op := pa.next(t, wire.TypeOps); op.Ops[0].Seq != 1 || op.Ops[0].Ref != "remote" {
		t.Fatalf("caught up with %+v", op.Ops)
	}
	// Edits go on at seq 2, transformed against the remote op.
	a.Edit(wire.Edit{RefID: "after", Para: f.paras[0], Base: 0, Op: mustOp(t, `[3,"ж"]`)})
	if op, e := nextOwn(t, pa, "after"); op == nil || op.Seq != 2 {
		t.Fatalf("edit after catching up: %v %+v", op, e)
	}
	if got := f.text(t, 0); got != "Ω to жensure that every مدرسة has a link;" {
		t.Fatalf("text %q", got)
	}
}

// A join waits while the room loads; if its caller stops waiting, the
// room does not keep a member nobody will use.
func TestAbandonedJoinLeavesNoMember(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{PresenceEvery: time.Millisecond})
	gone := f.person(t, "delegate", "BRA")
	chair := f.person(t, "chair", "")
	tx := lockOps(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	joined := make(chan error, 1)
	go func() {
		_, err := f.hub.Join(ctx, f.doc, gone, newPeer(64), -1)
		joined <- err
	}()
	waitForOpsReader(t, f) // the room is loading, the join waits
	cancel()
	if err := <-joined; err != context.Canceled {
		t.Fatalf("abandoned join: %v", err)
	}
	tx.Rollback(context.Background())
	// The next member sees who is there: the chair alone.
	_, pc, w := f.join(t, chair, 64, -1)
	if w.Document == nil {
		t.Fatal("no document in the welcome")
	}
	fr := pc.next(t, wire.TypePresence)
	if strings.Contains(string(fr.Participants), gone.ID) || !strings.Contains(string(fr.Participants), chair.ID) {
		t.Fatalf("presence %s", fr.Participants)
	}
}

// A drafting rule's refusal names the rule and the place, for programs.
func TestRefusalCarriesRuleAndOffset(t *testing.T) {
	t.Parallel()
	f := setup(t, Config{})
	d, pd, _ := f.join(t, f.person(t, "delegate", "BRA"), 64, -1)
	d.Edit(wire.Edit{RefID: "out", Para: f.paras[0], Base: 0, Op: mustOp(t, `[21,"кое-что "]`)})
	e := pd.next(t, wire.TypeError)
	if e.Code != wire.CodeForbidden || e.Rule != draft.RuleInsertInBrackets || e.Offset == nil || *e.Offset != 21 {
		t.Fatalf("refusal %+v (offset %v)", e, e.Offset)
	}
	// A refusal about no place has no offset.
	o, po, _ := f.join(t, f.person(t, "observer", ""), 64, -1)
	o.Edit(wire.Edit{RefID: "o", Para: f.paras[0], Base: 0, Op: mustOp(t, `["x"]`)})
	if e := po.next(t, wire.TypeError); e.Rule != draft.RuleReadOnly || e.Offset != nil {
		t.Fatalf("observer's refusal %+v", e)
	}
}
