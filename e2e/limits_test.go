package e2e

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A client with no token cannot exhaust the server: with the open-file
// limit at 512, 700 idle keep-alive connections leave /readyz answering
// (the server caps its connections below the limit and keeps a reserve
// for health checks).
func TestIdleConnectionsKeepServerReady(t *testing.T) {
	data := dataDir(t)
	srv := startServerWith(t, data, []string{"DRAFTROOM_METRICS_ADDR="}, "ulimit -n 512 &&")
	addr := strings.TrimPrefix(srv.url, "http://")

	var kept, served atomic.Int64
	var mu sync.Mutex
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	work := make(chan struct{})
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					continue
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
				c.SetDeadline(time.Now().Add(3 * time.Second))
				io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: flood\r\n\r\n")
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					continue // refused, or never answered
				}
				resp.Body.Close()
				served.Add(1)
				if !resp.Close {
					kept.Add(1) // an idle keep-alive connection from now on
				}
			}
		}()
	}
	for range 700 {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	t.Logf("700 connections: %d answered, %d kept open and idle", served.Load(), kept.Load())
	if kept.Load() < 300 {
		t.Fatalf("only %d idle connections were held; the test needs the server near its limit", kept.Load())
	}

	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for _, path := range []string{"/readyz", "/healthz"} {
		resp, err := client.Get(srv.url + path)
		if err != nil {
			t.Fatalf("%s with %d idle connections open: %v", path, kept.Load(), err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
}
