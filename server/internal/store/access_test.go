package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/store"
)

// A session stands in for the token in a browser: the cookie holds a
// secret of its own, stored hashed; logout ends it; revoking the token
// ends every session opened with it.
func TestSessions(t *testing.T) {
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
	auth, err := st.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := st.CreateSession(ctx, auth)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := st.CreateSession(ctx, auth)
	if err != nil {
		t.Fatal(err)
	}
	if s1.Secret == s2.Secret || !strings.HasPrefix(s1.Secret, "drs_") || strings.Contains(s1.Secret, tok[4:]) {
		t.Fatalf("sessions %q %q for token %q", s1.Secret, s2.Secret, tok)
	}
	if s1.ExpiresAt.Before(time.Now().Add(store.SessionMaxAge - time.Hour)) {
		t.Errorf("session expires at %v", s1.ExpiresAt)
	}
	got, err := st.AuthenticateSession(ctx, s1.Secret)
	if err != nil || got.ID != p.ID || got.SessionID != s1.ID || got.TokenID != auth.TokenID || got.Delegation != "BRA" {
		t.Fatalf("AuthenticateSession = %+v, %v", got, err)
	}
	// Only the hash is stored; the token is no session and the session no token.
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM sessions WHERE encode(hash, 'escape') LIKE '%' || $1 || '%'`, s1.Secret[4:20]).Scan(&n); err != nil || n != 0 {
		t.Fatalf("session secret found in the table: %d %v", n, err)
	}
	if _, err := st.AuthenticateSession(ctx, tok); err != store.ErrUnauthorized {
		t.Errorf("a token taken as a session: %v", err)
	}
	if _, err := st.Authenticate(ctx, s1.Secret); err != store.ErrUnauthorized {
		t.Errorf("a session taken as a token: %v", err)
	}

	// Logout ends one session, not the other, nor the token.
	if err := st.EndSession(ctx, s1.Secret); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AuthenticateSession(ctx, s1.Secret); err != store.ErrUnauthorized {
		t.Errorf("ended session still authenticates: %v", err)
	}
	if _, err := st.AuthenticateSession(ctx, s2.Secret); err != nil {
		t.Errorf("the other session ended too: %v", err)
	}
	deadT, deadS, err := st.Dead(ctx, []uuid.UUID{auth.TokenID}, []uuid.UUID{s1.ID, s2.ID, uuid.New()})
	if err != nil || len(deadT) != 0 || len(deadS) != 2 || deadS[0] == s2.ID || deadS[1] == s2.ID {
		t.Fatalf("Dead = %v %v %v; want the ended and the unknown session", deadT, deadS, err)
	}

	// Revoking the token ends the rest.
	if _, err := st.RevokeToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AuthenticateSession(ctx, s2.Secret); err != store.ErrUnauthorized {
		t.Errorf("session of a revoked token still authenticates: %v", err)
	}
	deadT, deadS, err = st.Dead(ctx, []uuid.UUID{auth.TokenID}, []uuid.UUID{s2.ID})
	if err != nil || len(deadT) != 1 || len(deadS) != 1 {
		t.Fatalf("Dead after revoke = %v %v %v", deadT, deadS, err)
	}
	if _, err := st.CreateSession(ctx, auth); err != store.ErrUnauthorized {
		t.Errorf("a session opened for a revoked token: %v", err)
	}

	// A session ends when its token expires.
	soon := time.Now().Add(time.Hour)
	tok2, _, err := st.CreateToken(ctx, p.ID, &soon)
	if err != nil {
		t.Fatal(err)
	}
	auth2, _ := st.Authenticate(ctx, tok2)
	s3, err := st.CreateSession(ctx, auth2)
	if err != nil || s3.ExpiresAt.After(soon.Add(time.Second)) {
		t.Fatalf("session of a token expiring at %v expires at %v (%v)", soon, s3.ExpiresAt, err)
	}
}

func TestEnrol(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	id, _, err := st.ImportCompilation(ctx, smallCompilation(), "")
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(48 * time.Hour)
	issued, err := st.Enrol(ctx, id, []store.Enrolment{
		{Role: "chair", Name: "Chair", Line: 2},
		{Role: "delegate", Delegation: "bra", Line: 3},
		{Role: "delegate", Delegation: "CHN", Name: "中国代表团", Expires: &exp, Line: 4},
		{Role: "observer", Name: "Наблюдатель 👀", Line: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(issued) != 4 || issued[1].Participant.Name != "Brazil" || issued[1].Participant.Delegation != "BRA" || issued[0].Participant.Name != "Chair" {
		t.Fatalf("issued = %+v", issued)
	}
	for _, is := range issued {
		p, err := st.Authenticate(ctx, is.Token)
		if err != nil || p.ID != is.Participant.ID || p.DocumentID == nil || *p.DocumentID != id || p.TokenID != is.TokenID {
			t.Fatalf("token of %s: %+v %v", is.Participant.Name, p, err)
		}
	}

	count := func() int {
		var n int
		if err := st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM participants) + (SELECT count(*) FROM tokens)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, c := range []struct {
		list []store.Enrolment
		want string
	}{
		{[]store.Enrolment{{Role: "delegate", Delegation: "ARB", Line: 1}, {Role: "delegate", Delegation: "XYZ", Line: 2}}, `line 2: unknown delegation code "XYZ"`},
		{[]store.Enrolment{{Role: "delegate", Delegation: "ARB", Line: 1}, {Role: "delegate", Delegation: "arb", Line: 7}}, "line 7: delegation ARB is already on line 1"},
		{[]store.Enrolment{{Role: "delegate", Delegation: "CEPT", Line: 1}, {Role: "delegate", Delegation: "BRA", Line: 2}}, "line 2: delegation BRA already has a delegate on this document"},
		{[]store.Enrolment{{Role: "admin", Line: 3}}, "line 3: an admin is not bound"},
		{[]store.Enrolment{{Role: "observer", Delegation: "BRA", Line: 1}}, "only delegates have a delegation"},
		{[]store.Enrolment{{Role: "chair", Name: "a\x00b"}}, "control character"},
		{[]store.Enrolment{{Role: "chair", Expires: ptr(time.Now().Add(-time.Hour))}}, "has passed"},
	} {
		_, err := st.Enrol(ctx, id, c.list)
		var ee *store.EnrolError
		if !errors.As(err, &ee) || !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Enrol(%+v) = %v, want %q", c.list, err, c.want)
		}
	}
	if _, err := st.Enrol(ctx, uuid.New(), []store.Enrolment{{Role: "chair"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
	if after := count(); after != before {
		t.Fatalf("refused enrolments wrote %d rows", after-before)
	}

	// The secretariat's list, a revocation, a new link.
	list, err := st.ListParticipants(ctx, id)
	if err != nil || len(list) != 4 || list[0].Role != "chair" || list[1].Delegation != "BRA" || list[2].Delegation != "CHN" || list[3].Role != "observer" {
		t.Fatalf("ListParticipants = %+v, %v", list, err)
	}
	if !list[2].Active || len(list[2].Tokens) != 1 || list[2].Tokens[0].ExpiresAt == nil || list[2].LastSeenAt != nil || list[2].Online {
		t.Errorf("CHN = %+v", list[2])
	}
	bra := issued[1].Participant.ID
	if n, err := st.RevokeParticipant(ctx, id, bra); err != nil || n != 1 {
		t.Fatalf("RevokeParticipant = %d, %v", n, err)
	}
	if _, err := st.Authenticate(ctx, issued[1].Token); err != store.ErrUnauthorized {
		t.Errorf("revoked participant's token: %v", err)
	}
	if _, err := st.RevokeParticipant(ctx, uuid.New(), bra); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoke through another document: %v", err)
	}
	// Brazil may now be enrolled again, and the lost link replaced.
	if _, err := st.Enrol(ctx, id, []store.Enrolment{{Role: "delegate", Delegation: "BRA", Name: "Brazil (2)"}}); err != nil {
		t.Fatalf("re-enrol after revoke: %v", err)
	}
	is, err := st.IssueToken(ctx, id, bra, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := st.Authenticate(ctx, is.Token); err != nil || p.ID != bra {
		t.Fatalf("new token: %+v %v", p, err)
	}

	// Presence: who is connected to which node.
	node := uuid.New()
	chair := issued[0].Participant.ID
	if err := st.SyncPresence(ctx, node, map[uuid.UUID]int{chair: 2}); err != nil {
		t.Fatal(err)
	}
	list, _ = st.ListParticipants(ctx, id)
	if !list[0].Online || list[0].LastSeenAt == nil {
		t.Errorf("chair after presence: %+v", list[0])
	}
	stats, err := st.ListDocumentStats(ctx)
	if err != nil || len(stats) != 1 || stats[0].Online != 1 || stats[0].Participants != 5 || stats[0].Paragraphs != 3 || stats[0].Proposals != 3 {
		t.Fatalf("stats = %+v, %v", stats, err)
	}
	if err := st.SyncPresence(ctx, node, map[uuid.UUID]int{}); err != nil {
		t.Fatal(err)
	}
	if list, _ = st.ListParticipants(ctx, id); list[0].Online {
		t.Errorf("chair still online after the node said no one is connected")
	}

	if err := st.RenameDocument(ctx, id, "  Résolution 中文 😀  "); err != nil {
		t.Fatal(err)
	}
	if d, _ := st.GetDocument(ctx, id); d.Title != "Résolution 中文 😀" {
		t.Errorf("title = %q", d.Title)
	}
	for _, bad := range []string{"", "   ", "a\x00b", strings.Repeat("x", 501)} {
		if err := st.RenameDocument(ctx, id, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("RenameDocument(%q) = %v", bad, err)
		}
	}
}
