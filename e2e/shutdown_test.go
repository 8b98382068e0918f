package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// SIGTERM: the server stops accepting, commits what it accepted, closes
// every websocket with 1001 (going away) and exits cleanly.
func TestShutdownClosesWith1001(t *testing.T) {
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())
	url := "ws" + strings.TrimPrefix(srv.url, "http") + "/api/v1/documents/" + docID + "/live"
	var conns []*websocket.Conn
	for _, who := range []string{"Chair", "Brazil delegate", "Observer"} {
		ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tokens[who]}})
		if err != nil {
			t.Fatalf("dial as %s: %v", who, err)
		}
		defer ws.Close()
		conns = append(conns, ws)
	}
	for _, ws := range conns {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := ws.ReadMessage(); err != nil { // the welcome
			t.Fatal(err)
		}
	}
	if err := srv.stop(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	for i, ws := range conns {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, _, err := ws.ReadMessage()
			if err == nil {
				continue // presence frames queued before the close
			}
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Errorf("connection %d ended with %v, want close 1001", i, err)
			}
			break
		}
	}
}
