package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// serve replaces the env's server with one built from cfg (store, registry
// and a hub filled in) that runs its watcher, as `draftroom serve` does.
func (e *env) serve(cfg Config) *Server {
	e.t.Helper()
	hub := room.NewHub(room.Config{Store: e.st})
	cfg.Store, cfg.Registry, cfg.Hub = e.st, delegation.Default(), hub
	api := New(cfg)
	srv := httptest.NewServer(api)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		api.Run(ctx)
	}()
	e.t.Cleanup(func() {
		srv.Close()
		cancel()
		<-done
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		hub.Close(sctx)
		api.WaitConnections(sctx)
	})
	e.srv = srv
	return api
}

// browser is an HTTP client with a cookie jar, as a browser signs in.
func (e *env) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func (e *env) browserDo(c *http.Client, method, path, body string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *env) cookie(c *http.Client) string {
	req, _ := http.NewRequest("GET", e.srv.URL+"/", nil)
	for _, ck := range c.Jar.Cookies(req.URL) {
		if ck.Name == SessionCookie {
			return ck.Value
		}
	}
	return ""
}

// dialCookie opens the live websocket as a browser does: with the session
// cookie and the server's own Origin.
func (e *env) dialCookie(cookie string) *conn {
	e.t.Helper()
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	ws, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Cookie": {SessionCookie + "=" + cookie}, "Origin": {e.srv.URL}})
	if err != nil {
		e.t.Fatalf("dial with cookie: %v (%v)", err, resp)
	}
	c := &conn{t: e.t, ws: ws}
	e.t.Cleanup(func() { ws.Close() })
	if w := c.read(); w.Type != wire.TypeWelcome {
		e.t.Fatalf("first frame %+v", w)
	}
	return c
}

// awaitClose reads until the server closes the connection, and returns the
// close code (generous timeout: the server should take under a second).
func awaitClose(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		t.Fatalf("connection ended without a close frame: %v", err)
		return 0
	}
}

// The browser's cookie holds a session, not the token; logging out ends
// the session on the server (and closes its websocket) while the token
// stays valid; revoking the token ends every session opened with it.
func TestSessionIsServerSide(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	e.serve(Config{})
	tok := e.token("delegate", "BRA")

	b1, b2 := e.browser(), e.browser()
	for _, b := range []*http.Client{b1, b2} {
		if code, body := e.browserDo(b, "POST", "/api/v1/session", `{"token":"`+tok+`"}`); code != 200 {
			t.Fatalf("sign in: %d %s", code, body)
		}
	}
	c1, c2 := e.cookie(b1), e.cookie(b2)
	if c1 == "" || c1 == tok || strings.Contains(c1, tok[4:]) || c1 == c2 || !strings.HasPrefix(c1, "drs_") {
		t.Fatalf("cookies %q and %q for token %q: want a session id of its own", c1, c2, tok)
	}
	if code, _ := e.browserDo(b1, "GET", "/api/v1/session", ""); code != 200 {
		t.Fatalf("session: %d", code)
	}
	ws1 := e.dialCookie(c1)
	ws2 := e.dialCookie(c2)

	// Logout ends b1's session and closes its websocket, not b2's.
	if code, _ := e.browserDo(b1, "DELETE", "/api/v1/session", ""); code != 204 {
		t.Fatalf("logout: %d", code)
	}
	if code := awaitClose(t, ws1.ws); code != wire.CloseRevoked {
		t.Fatalf("websocket of the ended session closed with %d, want %d", code, wire.CloseRevoked)
	}
	stolen := &http.Client{}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/session", nil)
	req.Header.Set("Cookie", SessionCookie+"="+c1)
	resp, err := stolen.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("a logged-out session id still works: %d", resp.StatusCode)
	}
	if code := e.get(tok, "/api/v1/session", nil); code != 200 {
		t.Fatalf("logout revoked the token itself: %d", code)
	}
	if code, _ := e.browserDo(b2, "GET", "/api/v1/session", ""); code != 200 {
		t.Fatalf("the other browser was logged out too: %d", code)
	}

	// Revoking the token ends b2's session and closes its websocket.
	if _, err := e.st.RevokeToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if code := awaitClose(t, ws2.ws); code != wire.CloseRevoked {
		t.Fatalf("websocket closed with %d, want %d", code, wire.CloseRevoked)
	}
	if code, _ := e.browserDo(b2, "GET", "/api/v1/session", ""); code != 401 {
		t.Fatalf("session of a revoked token: %d", code)
	}
}

// A cookie set before server-side sessions held the token itself: it is
// swapped for a session on first use.
func TestLegacyTokenCookieBecomesASession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	tok := e.token("observer", "")
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/session", nil)
	req.Header.Set("Cookie", SessionCookie+"="+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var set *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			set = c
		}
	}
	if resp.StatusCode != 200 || set == nil || !strings.HasPrefix(set.Value, "drs_") || !set.HttpOnly {
		t.Fatalf("legacy cookie: %d, set %+v", resp.StatusCode, set)
	}
}

// The websocket's Origin must match the server's scheme as well as its host.
func TestOriginChecksScheme(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	tok := e.token("chair", "")
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	host := strings.TrimPrefix(e.srv.URL, "http://")
	for _, origin := range []string{"https://" + host, "ftp://" + host, "HTTPS://" + host} {
		_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}, "Origin": {origin}})
		if err == nil || resp == nil || resp.StatusCode != 403 {
			t.Errorf("websocket from %s to an http server: err %v, resp %v; want 403", origin, err, resp)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/documents/"+e.doc.String()+"/versions", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Origin", origin)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 403 {
			t.Errorf("POST from %s: %d, want 403", origin, r.StatusCode)
		}
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}, "Origin": {e.srv.URL}})
	if err != nil {
		t.Fatalf("same origin: %v", err)
	}
	ws.Close()
}

// API answers, errors included, are never cached.
func TestAPIResponsesAreNotCached(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	tok := e.token("chair", "")
	for _, c := range []struct{ token, path string }{
		{tok, "/api/v1/documents"},
		{tok, "/api/v1/documents/" + e.doc.String()},
		{tok, "/api/v1/session"},
		{tok, "/api/v1/documents/" + e.doc.String() + "/versions"},
		{tok, "/api/v1/documents/" + e.doc.String() + "/history"},
		{"", "/api/v1/documents"},
		{tok, "/api/v1/nothing"},
		{tok, "/api/v1/documents/" + e.doc.String() + "/export?format=md"},
	} {
		req, _ := http.NewRequest("GET", e.srv.URL+c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s (%d): Cache-Control %q, want no-store", c.path, resp.StatusCode, cc)
		}
	}
}

// A token revoked while its websockets are still joining (authenticated,
// upgraded, waiting for the room) closes them all too, within a second of
// the revocation being seen. The room is held up by a table lock so that
// the joins are certainly in progress when the revocation is noticed: a
// connection already joined elsewhere closing proves it was.
func TestRevokedWhileJoiningIsClosed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	e.serve(Config{})
	ctx := context.Background()
	// A second document whose room is open before the lock.
	other, _, err := e.st.ImportCompilation(ctx, otherCompilation(), "")
	if err != nil {
		t.Fatal(err)
	}
	admin := e.token("admin", "")
	wsURL := func(doc string) string {
		return "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + doc + "/live"
	}
	witness, _, err := websocket.DefaultDialer.Dial(wsURL(other.String()), http.Header{"Authorization": {"Bearer " + admin}})
	if err != nil {
		t.Fatal(err)
	}
	defer witness.Close()
	if _, _, err := witness.ReadMessage(); err != nil { // welcome
		t.Fatal(err)
	}

	// Hold the first document's room load: it reads paragraphs.
	tx, err := e.st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE paragraphs IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// The witness and these share one token: together they stay within
	// its connection cap (8).
	const n = 7
	joining := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	for i := range joining {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The dial returns after the upgrade, before the join.
			ws, resp, err := websocket.DefaultDialer.Dial(wsURL(e.doc.String()), http.Header{"Authorization": {"Bearer " + admin}})
			if err != nil {
				t.Errorf("dial %d: %v (%v)", i, err, resp)
				return
			}
			joining[i] = ws
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if _, err := e.st.RevokeToken(ctx, admin); err != nil {
		t.Fatal(err)
	}
	// The watcher has seen the revocation once the joined one closes.
	if code := awaitClose(t, witness); code != wire.CloseRevoked {
		t.Fatalf("joined connection closed with %d", code)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for i, ws := range joining {
		if code := awaitClose(t, ws); code != wire.CloseRevoked {
			t.Errorf("connection %d (joining at revocation) closed with %d, want %d", i, code, wire.CloseRevoked)
		}
		ws.Close()
	}
}

func otherCompilation() *compile.Compilation {
	return &compile.Compilation{Title: "Другой документ", Sections: []compile.Section{{Heading: "RESOLVES", Kind: "operative",
		Paragraphs: []compile.Paragraph{{Label: "1", Text: "to meet again — للاجتماع مرة أخرى;"}}}}}
}
