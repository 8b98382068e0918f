package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// watcher is a participant that only reads: it records when each op
// reaches it and keeps no replica. A browser would spend its own CPU on
// applying ops; here a thousand replicas in one process would measure the
// load generator, not the server, so the audience only listens.
type watcher struct {
	ws      *websocket.Conn
	seq     atomic.Int64
	changed chan struct{}
	done    chan struct{}
	prefix  string // refs this participant sends, when it types
}

func dialWatcher(ctx context.Context, base, token, doc, prefix string, tr *tracker) (*watcher, error) {
	u := "ws" + strings.TrimPrefix(strings.TrimRight(base, "/"), "http") + "/api/v1/documents/" + doc + "/live"
	d := websocket.Dialer{ReadBufferSize: 4096, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second}
	ws, _, err := d.DialContext(ctx, u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return nil, err
	}
	w := &watcher{ws: ws, changed: make(chan struct{}, 1), done: make(chan struct{}), prefix: prefix}
	// The welcome comes first and gives the seq to start from.
	_, data, err := ws.ReadMessage()
	if err != nil {
		ws.Close()
		return nil, err
	}
	if s, ok := jsonInt(data, `"seq":`); ok {
		w.seq.Store(s)
	}
	go w.read(tr)
	return w, nil
}

func (w *watcher) read(tr *tracker) {
	defer close(w.done)
	for {
		_, data, err := w.ws.ReadMessage()
		if err != nil {
			tr.drops.Add(1)
			return
		}
		if !bytes.HasPrefix(data, []byte(`{"type":"ops"`)) {
			continue // presence and the like
		}
		now := time.Now()
		// Ops are encoded by the server with fields in a fixed order (seq,
		// kind, …, ref), and a quote inside text is always escaped, so
		// these markers cannot occur inside a string.
		rest := data
		for {
			i := bytes.Index(rest, []byte(`{"seq":`))
			if i < 0 {
				break
			}
			rest = rest[i+1:]
			seq, _ := jsonInt(rest, `"seq":`)
			kind, _ := jsonString(rest, `"kind":"`)
			ref, _ := jsonString(rest, `"ref":"`)
			if kind == "text" && ref != "" {
				tr.received(ref, w.prefix != "" && strings.HasPrefix(ref, w.prefix), now)
			}
			if seq > w.seq.Load() {
				w.seq.Store(seq)
			}
		}
		select {
		case w.changed <- struct{}{}:
		default:
		}
	}
}

func (w *watcher) waitSeq(ctx context.Context, seq int64) {
	for w.seq.Load() < seq {
		select {
		case <-w.changed:
		case <-w.done:
			return
		case <-ctx.Done():
			return
		}
	}
}

func (w *watcher) close() {
	w.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	w.ws.Close()
	<-w.done
}

func jsonInt(b []byte, key string) (int64, bool) {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0, false
	}
	b = b[i+len(key):]
	j := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(b[:j]), 10, 64)
	return n, err == nil
}

func jsonString(b []byte, key string) (string, bool) {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return "", false
	}
	b = b[i+len(key):]
	j := bytes.IndexByte(b, '"')
	if j < 0 {
		return "", false
	}
	return string(b[:j]), true
}

// dialWatchers connects n listening participants, round-robin over urls.
// prefixFor names the refs of watchers that will type ("" for none).
func dialWatchers(ctx context.Context, n int, urls []string, tokenFor func(int) string, prefixFor func(int) string, offset int, doc string, tr *tracker) ([]*watcher, error) {
	ws := make([]*watcher, n)
	err := forEach(n, 64, func(i int) error {
		w, err := dialWatcher(ctx, urls[(i+offset)%len(urls)], tokenFor(i+offset), doc, prefixFor(i), tr)
		ws[i] = w
		return err
	})
	if err != nil {
		for _, w := range ws {
			if w != nil {
				w.close()
			}
		}
		return nil, err
	}
	return ws, nil
}

// lightTypist types without a replica: it inserts at the start of a
// paragraph, which fits whatever the paragraph holds, against the last seq
// it has seen, and leaves every transform to the server. The load
// generator then costs little next to the server it measures.
func (w *watcher) lightTypist(ctx context.Context, paras []string, rate float64, tr *tracker, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	interval := time.Duration(float64(time.Second) / rate)
	timer := time.NewTimer(time.Duration(rng.Int64N(int64(interval) + 1)))
	defer timer.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		timer.Reset(interval)
		var b strings.Builder
		for range 2 + rng.IntN(5) {
			b.WriteString(benchPieces[rng.IntN(len(benchPieces))])
		}
		text, _ := json.Marshal(b.String())
		ref := w.prefix + strconv.Itoa(n)
		msg := fmt.Sprintf(`{"type":"edit","ref":%q,"para":%q,"base":%d,"op":[%s]}`, ref, paras[rng.IntN(len(paras))], w.seq.Load(), text)
		at := time.Now()
		tr.submitted(ref, at)
		w.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := w.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			tr.localErrs.Add(1)
			return
		}
	}
}

// waitAcked waits until every edit sent has come back acknowledged.
func waitAcked(ctx context.Context, tr *tracker, w *watcher) {
	for tr.applied.Load() < tr.sent.Load() {
		select {
		case <-w.changed:
		case <-w.done:
			return
		case <-ctx.Done():
			return
		}
	}
}
