package bench

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/client"
	"github.com/draftroom/draftroom/server/ot"
)

// pieces make up typed text: several scripts and emoji, no brackets (the
// drafting rules want them balanced).
var pieces = []string{"a", "e", "t", " ", "of ", "the ", "ب", "م", "决", "议", "👍", "ñ", ","}

// maxParaLen keeps paragraphs short: every replica applies every op, and
// applying costs the paragraph's length.
const maxParaLen = 400

// pickParagraphs takes the last want paragraphs: in the bench's own
// document, the operative ones after the heading.
func pickParagraphs(ids []string, want int) []string {
	if len(ids) > want {
		ids = ids[len(ids)-want:]
	}
	return ids
}

// ticks calls fn at rate per second until ctx ends, starting at a random
// phase so that typists do not all type in step.
func ticks(ctx context.Context, rng *rand.Rand, rate float64, fn func() bool) {
	interval := time.Duration(float64(time.Second) / rate)
	timer := time.NewTimer(time.Duration(rng.Int64N(int64(interval) + 1)))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		timer.Reset(interval)
		if !fn() {
			return
		}
	}
}

func someText(rng *rand.Rand) string {
	var b strings.Builder
	for range 2 + rng.IntN(5) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// fullType types through a replica: short inserts at random positions, and
// a deletion now and then to keep paragraphs bounded.
func fullType(ctx context.Context, c *client.Client, paras []string, rate float64, tr *tracker, rng *rand.Rand) {
	ticks(ctx, rng, rate, func() bool {
		para := paras[rng.IntN(len(paras))]
		at := time.Now()
		ref, err := c.SubmitFunc(para, func(text string) ot.Op {
			n := utf8.RuneCountInString(text)
			if n > maxParaLen {
				return ot.Op{{Skip: rng.IntN(n - 20)}, {Delete: 5 + rng.IntN(15)}}
			}
			return ot.Op{{Skip: rng.IntN(n + 1)}, {Insert: someText(rng)}}
		})
		switch {
		case err != nil:
			tr.localErrs.Add(1)
		case ref != "":
			tr.submitted(ref, at)
		}
		return true
	})
}

// light is a typist without a replica, on a bare connection: it inserts at
// the start of a paragraph, which fits whatever the paragraph holds,
// against the last seq it has seen, and leaves every transform to the
// server. It reads every frame, but only to find its acknowledgements and
// the room's seq (see scanFrame).
type light struct {
	ws      *websocket.Conn
	prefix  string // of the refs it sends
	paras   []string
	seq     atomic.Int64
	closing atomic.Bool
	done    chan struct{}
}

func dialLight(ctx context.Context, base, token, doc, prefix string, tr *tracker) (*light, error) {
	d := websocket.Dialer{ReadBufferSize: 4096, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second}
	ws, _, err := d.DialContext(ctx, liveURL(base, doc), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return nil, err
	}
	l, err := welcomeLight(ws, prefix)
	if err != nil {
		ws.Close()
		return nil, err
	}
	go l.read(tr)
	return l, nil
}

// welcomeLight reads the welcome: the seq to start from and the
// paragraphs to type in.
func welcomeLight(ws *websocket.Conn, prefix string) (*light, error) {
	_, data, err := ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	seq, paras, err := readWelcome(data)
	if err != nil {
		return nil, err
	}
	if len(paras) == 0 {
		return nil, errors.New("the document has no paragraph to type in")
	}
	l := &light{ws: ws, prefix: prefix, paras: paras, done: make(chan struct{})}
	l.seq.Store(seq)
	return l, nil
}

func (l *light) read(tr *tracker) {
	defer close(l.done)
	var buf bytes.Buffer
	for {
		_, r, err := l.ws.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			if !l.closing.Load() {
				tr.drops.Add(1)
			}
			return
		}
		now := time.Now()
		kind := scanFrame(buf.Bytes(), func(seq int64, ref string) {
			if strings.HasPrefix(ref, l.prefix) {
				tr.acked(ref, now)
			}
			if seq > l.seq.Load() {
				l.seq.Store(seq)
			}
		})
		if kind == frameError {
			tr.refusedOne()
		}
	}
}

func (l *light) typeAt(ctx context.Context, want int, rate float64, tr *tracker, rng *rand.Rand) {
	paras := pickParagraphs(l.paras, want)
	n := 0
	ticks(ctx, rng, rate, func() bool {
		ref := l.prefix + strconv.Itoa(n)
		n++
		msg, err := editFrame(ref, paras[rng.IntN(len(paras))], l.seq.Load(), someText(rng))
		if err != nil {
			tr.localErrs.Add(1)
			return true
		}
		tr.submitted(ref, time.Now())
		l.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := l.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
			tr.localErrs.Add(1)
			return false
		}
		return true
	})
}

func (l *light) close() {
	l.closing.Store(true)
	l.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	l.ws.Close()
	<-l.done
}
