package httpapi

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// limited serves api on loopback with the given limits, as serve does.
func limited(t *testing.T, api http.Handler, lim Limits, trusted []netip.Prefix) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(api, lim, nil)
	go srv.Serve(Listen(ln, lim, trusted, nil))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// rawConn is one client connection that speaks HTTP/1.1 by hand.
type rawConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

// get sends a keep-alive GET and reads the answer; nil when the server
// closed the connection instead.
func (r *rawConn) get(path string, header ...string) *http.Response {
	r.t.Helper()
	req := "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + strings.Join(header, "") + "\r\n"
	if _, err := io.WriteString(r.c, req); err != nil {
		return nil
	}
	r.c.SetReadDeadline(time.Now().Add(15 * time.Second))
	resp, err := http.ReadResponse(r.br, nil)
	if err != nil {
		return nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// closedByServer waits (generously) until the server hangs up.
func (r *rawConn) closedByServer() bool {
	r.c.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, err := io.Copy(io.Discard, r.br)
	var ne net.Error
	return err == nil || !(errors.As(err, &ne) && ne.Timeout())
}

// Idle connections cannot exhaust the server: beyond the cap they are
// refused, and the reserve still answers health checks.
func TestConnectionCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	api := e.serve(Config{})
	// Long timeouts: nothing here may depend on how fast the test runs.
	lim := Limits{MaxConns: 24, Reserve: 4, IdleTimeout: 5 * time.Minute, ReadHeaderTimeout: 5 * time.Minute,
		BodyTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, MaxHeaderBytes: 8 << 10}
	addr := limited(t, api, lim, nil)
	chair := e.token("chair", "")
	auth := "Authorization: Bearer " + chair + "\r\n"

	// 40 clients each make one request and keep the connection.
	var kept []*rawConn
	served, reserve := 0, 0
	for i := range 40 {
		r := dialRaw(t, addr)
		switch resp := r.get("/healthz"); {
		case resp == nil:
			t.Fatalf("connection %d refused while the reserve had room", i)
		case resp.Close:
			reserve++
		default:
			served++
			kept = append(kept, r)
		}
	}
	t.Logf("of 40 connections: %d kept alive, %d served from the reserve, one request each", served, reserve)
	if served != lim.MaxConns-lim.Reserve {
		t.Fatalf("kept alive %d, want %d", served, lim.MaxConns-lim.Reserve)
	}
	// The server is full, yet ready: the reserve answers health checks,
	// one request a connection, and nothing else.
	if resp := dialRaw(t, addr).get("/readyz"); resp == nil || resp.StatusCode != 200 || !resp.Close {
		t.Fatalf("readyz with every normal connection taken: %+v", resp)
	}
	if resp := dialRaw(t, addr).get("/api/v1/documents", auth); resp == nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !resp.Close {
		t.Fatalf("API request on a reserve connection: %+v", resp)
	}
	// With the reserve held too, connections are refused at once.
	var silent []*rawConn
	for range lim.Reserve {
		silent = append(silent, dialRaw(t, addr))
	}
	if resp := dialRaw(t, addr).get("/healthz"); resp != nil {
		t.Fatalf("a connection beyond the cap was served: %+v", resp)
	}
	// A kept connection still works, and when clients leave there is room.
	if resp := kept[0].get("/api/v1/documents", auth); resp == nil || resp.StatusCode != 200 {
		t.Fatalf("kept connection: %+v", resp)
	}
	for _, r := range append(kept[1:], silent...) {
		r.c.Close()
	}
	var ok bool
	// The server notices the closes as it reads them; each try is a new
	// connection, so this waits on that without sleeping.
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		if resp := dialRaw(t, addr).get("/api/v1/documents", auth); resp != nil && resp.StatusCode == 200 && !resp.Close {
			ok = true
			break
		}
	}
	if !ok {
		t.Fatal("no room after the clients left")
	}
}

// Idle keep-alive connections, stalled bodies and unfinished headers are
// closed; websockets outlive those deadlines.
func TestConnectionTimeouts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	api := e.serve(Config{})
	lim := Limits{MaxConns: 100, Reserve: 4, IdleTimeout: 300 * time.Millisecond, ReadHeaderTimeout: 300 * time.Millisecond,
		BodyTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond, MaxHeaderBytes: 8 << 10}
	addr := limited(t, api, lim, nil)
	chair := e.token("chair", "")

	// A websocket first: it must outlive every deadline below.
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/api/v1/documents/"+e.doc.String()+"/live", http.Header{"Authorization": {"Bearer " + chair}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c := &conn{t: t, ws: ws}
	if w := c.read(); w.Type != wire.TypeWelcome {
		t.Fatalf("welcome: %+v", w)
	}

	idle := dialRaw(t, addr)
	if resp := idle.get("/healthz"); resp == nil || resp.StatusCode != 200 || resp.Close {
		t.Fatalf("healthz: %+v", resp)
	}
	if !idle.closedByServer() {
		t.Fatal("an idle keep-alive connection stayed open")
	}
	// The idle connection was opened after the websocket and has timed
	// out, so the websocket has outlived the HTTP deadlines.
	accepted(t, "edit after the HTTP deadlines", c.edit(e.paras["3"], `[3,"✓"]`))

	slow := dialRaw(t, addr)
	io.WriteString(slow.c, "POST /api/v1/session HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tok")
	if !slow.closedByServer() {
		t.Fatal("a stalled request body kept its connection")
	}
	if !dialRaw(t, addr).writeThen("GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ") {
		t.Fatal("a header that never ends kept its connection")
	}
	if resp := dialRaw(t, addr).get("/healthz", "X-Big: "+strings.Repeat("a", 16<<10)+"\r\n"); resp == nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("16 KB header: %+v", resp)
	}
	accepted(t, "edit at the end", c.edit(e.paras["3"], `[3,"✓"]`))
}

func (r *rawConn) writeThen(s string) bool {
	io.WriteString(r.c, s)
	return r.closedByServer()
}

// One address gets PerAddr connections, then only health checks; a
// trusted proxy carries many clients and is not capped.
func TestPerAddressCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	api := e.serve(Config{})
	lim := Limits{MaxConns: 100, Reserve: 10, PerAddr: 3, IdleTimeout: time.Minute, ReadHeaderTimeout: 10 * time.Second,
		BodyTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxHeaderBytes: 8 << 10}
	tok := e.token("observer", "")
	auth := "Authorization: Bearer " + tok + "\r\n"
	for _, c := range []struct {
		name    string
		trusted []netip.Prefix
		full    int
	}{
		{"untrusted", nil, 3},
		{"trusted proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, 8},
	} {
		addr := limited(t, api, lim, c.trusted)
		full := 0
		for i := range 8 {
			r := dialRaw(t, addr)
			resp := r.get("/api/v1/documents", auth)
			if resp != nil && resp.StatusCode == 200 {
				full++
				continue
			}
			if resp == nil || resp.StatusCode != 503 {
				t.Fatalf("%s: connection %d: %+v", c.name, i, resp)
			}
			if h := dialRaw(t, addr).get("/healthz"); h == nil || h.StatusCode != 200 {
				t.Fatalf("%s: health check beyond the per-address cap: %+v", c.name, h)
			}
		}
		if full != c.full {
			t.Errorf("%s: %d connections served fully, want %d", c.name, full, c.full)
		}
	}
}
