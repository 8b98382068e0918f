package wire

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/ot"
)

const (
	paraA = "1b0e2f4a-9c41-4d2e-8f00-123456789abc"
	paraB = "77aa0000-9c41-4d2e-8f00-123456789abc"
	userA = "6f1c0000-9c41-4d2e-8f00-123456789abc"
	userB = "a03d0000-9c41-4d2e-8f00-123456789abc"
)

// A 5-character insert in an ops frame of its own fits in 100 bytes once
// its handles are known (issue 17's target; it was about 250 bytes with
// two UUIDs, a timestamp and three names).
func TestFiveCharacterInsertIsSmall(t *testing.T) {
	h := NewHandles()
	op := Op{Seq: 12345, Kind: KindText, Para: paraA, Op: ot.Op{{Skip: 120}, {Insert: "hello"}}, Author: "BRA", Delegation: "BRA", Participant: userA, Ref: "c7-1180", At: time.Now()}
	first := OpsFrames([]LiveOp{h.Live(op, true)}, 1<<20)[0]
	op.Seq++
	frame := OpsFrames([]LiveOp{h.Live(op, true)}, 1<<20)[0]
	if len(frame) > 100 || len(first) <= len(frame) {
		t.Fatalf("a 5-character insert takes %d bytes (%s); the first, defining its handles, %d", len(frame), frame, len(first))
	}
}

// What a client resolves from the live form is the op in full, as the
// history API has it, but for its time; handles defined once hold for the
// ops after.
func TestHandlesRoundTrip(t *testing.T) {
	h := NewHandles()
	ops := []Op{
		{Seq: 1, Kind: KindText, Para: paraA, Op: ot.Op{{Insert: "قرار 决议"}}, Author: "ARB", Delegation: "ARB", Participant: userA, Ref: "a1"},
		{Seq: 2, Kind: "paragraph.insert", Author: AuthorChair, Participant: userB, Ref: "k1", Data: json.RawMessage(`{"paragraph":{"id":"` + paraB + `","text":"резолюция"},"section":"s"}`)},
		{Seq: 3, Kind: KindText, Para: paraB, Op: ot.Op{{Skip: 2}, {Insert: "👩🏽‍💻"}}, Author: AuthorChair, Participant: userB, Ref: "k2"},
		{Seq: 4, Kind: "status", Para: paraA, Author: AuthorChair, Participant: userB, Ref: "k3", Data: json.RawMessage(`{"para":"` + paraA + `","status":"agreed"}`)},
		{Seq: 5, Kind: KindText, Para: paraA, Op: ot.Op{}, Author: "ARB", Delegation: "ARB", Participant: userA, Ref: "a2"},
		{Seq: 6, Kind: "note.add", Data: json.RawMessage(`{"note":{"id":"n"}}`)},
	}
	var frame []LiveOp
	for _, op := range ops {
		frame = append(frame, h.Live(op, true))
	}
	enc := OpsFrames(frame, 1<<20)[0]
	var got Ops
	if err := json.Unmarshal(enc, &got); err != nil {
		t.Fatal(err)
	}
	// A client that joined before any of it: empty tables.
	var tb Table
	tb.Reset(nil, nil)
	for i := range got.Ops {
		op, err := tb.Resolve(&got.Ops[i])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(op, ops[i]) {
			t.Errorf("op %d: resolved %+v, want %+v (from %s)", i, op, ops[i], enc)
		}
	}
	// A client that joins now gets the tables in its welcome and needs no
	// definitions: the same ops encoded again define nothing.
	var late Table
	late.Reset(h.Table())
	for _, op := range ops {
		lo := h.Live(op, true)
		if lo.PID != "" || lo.Who != nil {
			t.Fatalf("op %d defines a handle again: %+v", op.Seq, lo)
		}
		if _, err := late.Resolve(&lo); err != nil {
			t.Fatal(err)
		}
	}
	// An op with a handle nobody defined is an error, not a guess.
	bad := LiveOp{Seq: 9, P: 7, By: 0, Op: ot.Op{}}
	if _, err := late.Resolve(&bad); err == nil {
		t.Fatal("an unknown paragraph handle resolved")
	}
}

// Ops sent to one member only (a catch-up, the answer to a resend) define
// their handles without counting as shown: the next broadcast defines them
// again for everyone else.
func TestHandlesShownOnlyByBroadcast(t *testing.T) {
	h := NewHandles()
	op := Op{Seq: 1, Kind: KindText, Para: paraA, Op: ot.Op{{Insert: "x"}}, Author: "BRA", Participant: userA, Ref: "r"}
	if lo := h.Live(op, false); lo.PID != paraA || lo.Who == nil {
		t.Fatalf("catch-up op without definitions: %+v", lo)
	}
	if lo := h.Live(op, true); lo.PID != paraA || lo.Who == nil {
		t.Fatalf("first broadcast without definitions: %+v", lo)
	}
	if lo := h.Live(op, true); lo.PID != "" || lo.Who != nil {
		t.Fatalf("second broadcast defines again: %+v", lo)
	}
}

// A client decodes ops frames from the server and resolves their handles:
// nothing in a frame may panic it, and an op it resolves names a paragraph
// only through a handle it was told.
func FuzzResolveLiveOp(f *testing.F) {
	f.Add([]byte(`{"seq":3,"p":0,"pid":"a","by":1,"who":{"participant":"u","author":"BRA"},"ref":"r","op":[2,"قرار"]}`))
	f.Add([]byte(`{"seq":4,"kind":"status","by":0,"data":{"para":"x","status":"agreed"}}`))
	f.Add([]byte(`{"seq":5,"p":2,"by":0,"op":[]}`))
	f.Add([]byte(`{"seq":6,"p":-1,"pid":"z","by":99999999,"who":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var lo LiveOp
		if json.Unmarshal(data, &lo) != nil {
			return
		}
		var tb Table
		tb.Reset([]string{"p0"}, []Person{{Participant: "u0", Author: "chair"}})
		op, err := tb.Resolve(&lo)
		if err != nil {
			return
		}
		if op.Kind == KindText && op.Para != "p0" && op.Para != lo.PID {
			t.Fatalf("text op resolved to paragraph %q from %s", op.Para, data)
		}
		if op.Kind == KindText && op.Op == nil {
			t.Fatalf("text op without an op from %s", data)
		}
	})
}
