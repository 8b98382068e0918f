package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

func TestSecurityHeadersAndOrigins(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	admin := e.token("admin", "")
	resp, err := http.Get(e.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP allows inline script: %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers = %v", resp.Header)
	}

	// A state-changing request from another site is refused, even with a token.
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/documents/"+e.doc.String()+"/versions", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Origin", "https://evil.example")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-origin POST: %d, want 403", resp.StatusCode)
	}
	// So is a websocket from another site.
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	_, wresp, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + admin}, "Origin": {"https://evil.example"}})
	if err == nil || wresp == nil || wresp.StatusCode != 403 {
		t.Errorf("cross-origin websocket: err %v, resp %v", err, wresp)
	}
	// The server's own origin is fine.
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + admin}, "Origin": {e.srv.URL}})
	if err != nil {
		t.Fatalf("same-origin websocket: %v", err)
	}
	ws.Close()
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	tok := e.token("observer", "")
	resp, err := http.Post(e.srv.URL+"/api/v1/session", "application/json", strings.NewReader(`{"token":"`+tok+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var c *http.Cookie
	for _, x := range resp.Cookies() {
		if x.Name == SessionCookie {
			c = x
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Fatalf("cookie = %+v (Secure only over TLS)", c)
	}
	// Per-address limit on session creation: bad guesses run out.
	limited := false
	for i := 0; i < 40 && !limited; i++ {
		resp, err := http.Post(e.srv.URL+"/api/v1/session", "application/json", strings.NewReader(`{"token":"drt_guess"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("40 session attempts in a row were never rate limited")
	}
}

// A flood of messages is answered with rate_limited and not applied.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	c := e.dial(e.token("chair", ""))
	n := 0
	for i := 0; i < 300; i++ {
		if err := c.ws.WriteJSON(map[string]any{"type": "presence", "para": e.paras["1"]}); err != nil {
			break
		}
		n++
	}
	saw := false
	for !saw {
		c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			t.Fatalf("after %d messages: %v", n, err)
		}
		saw = bytes.Contains(data, []byte(`"rate_limited"`))
	}
}

// Revoking a token closes its live connections with 4010.
func TestRevokedTokenIsDisconnected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// newEnv's server does not run the watcher; run one for this test.
	api := New(Config{Store: e.st, Registry: delegation.Default(), Hub: e.hub(room.Config{})})
	srv := httptest.NewServer(api)
	defer srv.Close()
	go api.Run(ctx)
	e.srv = srv
	tok := e.token("delegate", "BRA")
	c := e.dial(tok)
	start := time.Now()
	if _, err := e.st.RevokeToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := c.ws.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, wire.CloseRevoked) {
			t.Fatalf("closed with %v, want %d", err, wire.CloseRevoked)
		}
		break
	}
	t.Logf("closed %v after revocation", time.Since(start).Round(time.Millisecond))
	if code := e.get(tok, "/api/v1/documents", nil); code != 401 {
		t.Fatalf("revoked token still authenticates: %d", code)
	}
}

// Tokens and cookies never reach the logs.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var buf syncBuf
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, room.Config{Logger: log})
	api := New(Config{Store: e.st, Registry: delegation.Default(), Hub: e.hub(room.Config{Logger: log}), Logger: log})
	srv := httptest.NewServer(api)
	defer srv.Close()
	e.srv = srv
	tok := e.token("delegate", "BRA")
	resp, err := http.Post(srv.URL+"/api/v1/session", "application/json", strings.NewReader(`{"token":"`+tok+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	e.get(tok, "/api/v1/documents/"+e.doc.String(), nil)
	e.get("drt_wrong"+tok[9:], "/api/v1/documents", nil)
	c := e.dial(tok)
	c.edit(e.paras["3"], `[3,"outside"]`)
	e.get(tok, "/api/v1/documents/not-a-uuid", nil)
	out := buf.String()
	if !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("no request logs captured:\n%s", out)
	}
	if strings.Contains(out, tok) || strings.Contains(out, tok[4:20]) || strings.Contains(out, tok[9:]) {
		t.Fatalf("a token appears in the logs:\n%s", out)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
