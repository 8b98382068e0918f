package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// What the generator knows of the live protocol's frames is in this file
// and nowhere else. Probes and full typists speak through the Go client
// (package client), which follows the protocol by itself; sinks never look
// inside a frame. Only the light typists, bare connections that must write
// edits and see their acknowledgements, read and write frames here. When
// the wire format changes, this file and frames_test.go change with it.

// liveURL is the websocket endpoint of doc on the server at base (http://…).
func liveURL(base, doc string) string {
	return "ws" + strings.TrimPrefix(strings.TrimRight(base, "/"), "http") + "/api/v1/documents/" + doc + "/live"
}

// readWelcome reads the first frame of a connection: the seq to edit
// against and the document's paragraphs, in document order.
func readWelcome(data []byte) (seq int64, paras []string, err error) {
	var w wire.Welcome
	if err := json.Unmarshal(data, &w); err != nil {
		return 0, nil, fmt.Errorf("reading the welcome: %w", err)
	}
	if w.Type != wire.TypeWelcome {
		return 0, nil, fmt.Errorf("the first frame is %q, not a welcome", w.Type)
	}
	if w.Document == nil {
		return 0, nil, errors.New("the welcome carries no document")
	}
	for _, s := range w.Document.Sections {
		for _, p := range s.Paragraphs {
			paras = append(paras, p.ID)
		}
	}
	return w.Seq, paras, nil
}

// editFrame is a light typist's edit: text inserted at the start of para,
// which fits whatever the paragraph holds, against seq base.
func editFrame(ref, para string, base int64, text string) ([]byte, error) {
	return json.Marshal(wire.Edit{Type: wire.TypeEdit, RefID: ref, Para: para, Base: base, Op: ot.Op{{Insert: text}}})
}

// frameKind is what scanFrame found.
type frameKind int

const (
	frameOther frameKind = iota // presence and the like
	frameOps
	frameError // a refusal
)

var (
	opsPrefix   = []byte(`{"type":"ops"`)
	errorPrefix = []byte(`{"type":"error"`)
	seqKey      = []byte(`{"seq":`)
	kindNext    = []byte(`,"kind":`)
	refKey      = []byte(`"ref":"`)
)

// scanFrame says what kind of frame data is and, for an ops frame, calls
// fn with the seq of each op and the ref of each text op ("" for others).
// A light typist reads every op of the room, so it scans rather than
// decodes: the server encodes each op with its fields in a fixed order
// (seq first, then "kind" for every op but a text op, …, ref), and a quote
// inside a string is always escaped, so the keys it looks for cannot occur
// inside text.
func scanFrame(data []byte, fn func(seq int64, ref string)) frameKind {
	switch {
	case bytes.HasPrefix(data, errorPrefix):
		return frameError
	case !bytes.HasPrefix(data, opsPrefix):
		return frameOther
	}
	rest := data
	for {
		i := bytes.Index(rest, seqKey)
		if i < 0 {
			return frameOps
		}
		rest = rest[i+len(seqKey):]
		seq, n, ok := leadingInt(rest)
		if !ok {
			continue
		}
		ref := ""
		if !bytes.HasPrefix(rest[n:], kindNext) {
			// A text op: its ref, if it has one, comes before the next op.
			op := rest
			if j := bytes.Index(op, seqKey); j >= 0 {
				op = op[:j]
			}
			ref, _ = stringAfter(op, refKey)
		}
		fn(seq, ref)
	}
}

// leadingInt is the decimal number b starts with, and its length.
func leadingInt(b []byte) (int64, int, bool) {
	j := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(b[:j]), 10, 64)
	return n, j, err == nil
}

// stringAfter is the (unescaped) string value that follows key in b.
func stringAfter(b, key []byte) (string, bool) {
	i := bytes.Index(b, key)
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
