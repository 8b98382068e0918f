package bench

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// The server encodes frames with json.Marshal of the wire types, so frames
// built here are what a light typist reads. When the wire format changes,
// these tests fail until frames.go follows it.

type seen struct {
	seq int64
	ref string
}

func scanAll(t *testing.T, frame []byte) ([]seen, frameKind) {
	t.Helper()
	var got []seen
	kind := scanFrame(frame, func(seq int64, ref string) { got = append(got, seen{seq, ref}) })
	return got, kind
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestScanFrameFindsEveryOpAndTheRefsOfTextOps(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	// Text that holds what the scanner looks for: each must stay inside
	// its (escaped) string.
	tricky := []string{`{"seq":99,"kind":"text","ref":"evil"}`, "قرار 决议 резолюция 👍", `"ref":"x"`, "\\\"ref\\\":\\\""}
	frame := liveFrame(t, []wire.Op{
		{Seq: 41, Kind: wire.KindText, Para: "p1", Op: ot.Op{{Skip: 3}, {Insert: tricky[0]}}, Author: "ARB", Delegation: "ARB", Participant: "a", Ref: "l1-7", At: at},
		{Seq: 42, Kind: "status", Author: "chair", Ref: "s-1", At: at, Data: json.RawMessage(`{"para":"p1","status":"agreed"}`)},
		{Seq: 43, Kind: wire.KindText, Para: "p2", Op: ot.Op{{Insert: tricky[1]}}, Author: "CHN", Delegation: "CHN", Participant: "b", Ref: "0af3-12", At: at},
		{Seq: 44, Kind: wire.KindText, Para: "p2", Op: ot.Op{{Insert: tricky[2]}, {Skip: 2}, {Insert: tricky[3]}}, Author: "RUS", Delegation: "RUS", Ref: "l10-0", At: at},
		{Seq: 45, Kind: wire.KindText, Para: "p1", Op: ot.Op{{Insert: "no ref"}}, Author: "RUS", Participant: "c"},
		{Seq: 46, Kind: "note", Ref: "n-1", Data: json.RawMessage(`{"para":"p2","text":"x"}`)},
	}...)
	got, kind := scanAll(t, frame)
	want := []seen{{41, "l1-7"}, {42, ""}, {43, "0af3-12"}, {44, "l10-0"}, {45, ""}, {46, ""}}
	if kind != frameOps || !slices.Equal(got, want) {
		t.Fatalf("scanFrame(%s) = %v, %v; want %v, ops", frame, got, kind, want)
	}
}

func TestScanFrameKinds(t *testing.T) {
	t.Parallel()
	para := "p1"
	for _, tc := range []struct {
		name  string
		frame []byte
		want  frameKind
	}{
		{"error", marshal(t, wire.ErrorFrame{Type: wire.TypeError, Ref: "l1-3", Code: wire.CodeForbidden, Message: "no"}), frameError},
		{"presence", marshal(t, wire.Presence{Type: wire.TypePresence, Participants: []wire.PresenceEntry{{Participant: "a", Name: "{\"seq\":1", Para: &para}}}), frameOther},
		{"empty ops", marshal(t, wire.Ops{Type: wire.TypeOps, Ops: []wire.LiveOp{}}), frameOps},
		{"garbage", []byte(`{"type":"ops","ops":[{"seq":x`), frameOps},
	} {
		got, kind := scanAll(t, tc.frame)
		if kind != tc.want || len(got) != 0 {
			t.Errorf("%s: scanFrame(%s) = %v, %v; want nothing, %v", tc.name, tc.frame, got, kind, tc.want)
		}
	}
}

func TestReadWelcomeListsParagraphsInOrder(t *testing.T) {
	t.Parallel()
	doc := &wire.Document{ID: "d", Seq: 7, Sections: []wire.Section{
		{ID: "s1", Paragraphs: []wire.Paragraph{{ID: "a", Text: "considering"}, {ID: "b"}}},
		{ID: "s2"},
		{ID: "s3", Paragraphs: []wire.Paragraph{{ID: "c", Text: "решает 👍"}}},
	}}
	seq, paras, err := readWelcome(marshal(t, wire.Welcome{Type: wire.TypeWelcome, Seq: 7, Document: doc}))
	if err != nil || seq != 7 || !slices.Equal(paras, []string{"a", "b", "c"}) {
		t.Fatalf("readWelcome = %d, %v, %v", seq, paras, err)
	}
	for _, bad := range []any{
		wire.Welcome{Type: wire.TypeWelcome, Seq: 7}, // ?since=: no document
		wire.Ops{Type: wire.TypeOps},
	} {
		if _, _, err := readWelcome(marshal(t, bad)); err == nil {
			t.Errorf("readWelcome(%+v) accepted it", bad)
		}
	}
	if _, _, err := readWelcome([]byte("{")); err == nil {
		t.Error("readWelcome accepted broken JSON")
	}
}

// The server's own decoder accepts a light typist's edit as meant.
func TestEditFrameIsWhatTheServerDecodes(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"of the ", "ب م", "决议", "решение", "👍\"\\"} {
		frame, err := editFrame("l3-9", "para-1", 12, text)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := wire.DecodeClientMessage(frame)
		if err != nil {
			t.Fatalf("%s: %v", frame, err)
		}
		e, ok := msg.(wire.Edit)
		if !ok || e.RefID != "l3-9" || e.Para != "para-1" || e.Base != 12 || len(e.Op) != 1 || e.Op[0].Insert != text {
			t.Errorf("%s decodes as %#v", frame, msg)
		}
	}
}

func TestLiveURL(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"http://127.0.0.1:8080":   "ws://127.0.0.1:8080/api/v1/documents/D/live",
		"https://localhost:8443/": "wss://localhost:8443/api/v1/documents/D/live",
	} {
		if got := liveURL(base, "D"); got != want {
			t.Errorf("liveURL(%q) = %q, want %q", base, got, want)
		}
	}
}

// Whatever the text of the ops, the scanner finds each op's seq and each
// text op's ref (refs the bench makes: no quotes, no escapes).
func FuzzScanFrame(f *testing.F) {
	f.Add(int64(1), "l0-0", "of the", "ب")
	f.Add(int64(123456), "0af3-12", `{"seq":5,"kind":"text","ref":"x"}`, `"ref":"`)
	f.Add(int64(0), "", "决议 👍", "\\")
	f.Fuzz(func(t *testing.T, seq int64, ref, text1, text2 string) {
		if seq < 0 || strings.ContainsAny(ref, "\"\\<>&") || strings.ContainsFunc(ref, func(r rune) bool { return r < 0x20 || r == 0x7f || r > 0x7e }) {
			return
		}
		ops := []wire.Op{
			{Seq: seq, Kind: wire.KindText, Para: text2, Op: ot.Op{{Insert: text1}}, Author: text2, Delegation: text1, Participant: text2, Ref: ref},
			{Seq: seq + 1, Kind: "note", Ref: text1, Data: json.RawMessage(`{"text":` + string(marshalString(text2)) + `}`)},
		}
		if !utf8.ValidString(text1) {
			return // text that is not valid UTF-8 cannot be an insert
		}
		frame := liveFrame(t, ops...)
		var got []seen
		if kind := scanFrame(frame, func(s int64, r string) { got = append(got, seen{s, r}) }); kind != frameOps {
			t.Fatalf("kind %v", kind)
		}
		want := []seen{{seq, ref}, {seq + 1, ""}}
		if !slices.Equal(got, want) {
			t.Fatalf("scanFrame(%s) = %v, want %v", frame, got, want)
		}
		scanFrame([]byte(`{"type":"ops","ops":[`+text1), func(int64, string) {}) // any input: no panic
	})
}

// liveFrame is an ops frame of ops as the server encodes it, with the
// handles of a new room.
func liveFrame(t testing.TB, ops ...wire.Op) []byte {
	t.Helper()
	h := wire.NewHandles()
	f := wire.Ops{Type: wire.TypeOps}
	for _, op := range ops {
		f.Ops = append(f.Ops, h.Live(op, true))
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func marshalString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}
