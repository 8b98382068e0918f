package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeClientMessage(t *testing.T) {
	ok := []struct {
		in   string
		want string // Go type
	}{
		{`{"type":"edit","ref":"r1","para":"p","base":3,"op":[2,"مرحبا",{"d":1}]}`, "wire.Edit"},
		{`{"type":"edit","ref":"r1","para":"p","base":0,"op":[],"extra":true}`, "wire.Edit"},
		{`{"type":"presence","para":"p"}`, "wire.PresenceUpdate"},
		{`{"type":"presence","para":null}`, "wire.PresenceUpdate"},
		{`{"type":"action","ref":"a","kind":"status","para":"p","status":"agreed"}`, "wire.Action"},
	}
	for _, c := range ok {
		m, err := DecodeClientMessage([]byte(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := typeName(m); got != c.want {
			t.Errorf("%s: %s, want %s", c.in, got, c.want)
		}
	}
	bad := []struct{ in, want, ref string }{
		{`nope`, "not a JSON object", ""},
		{`[]`, "not a JSON object", ""},
		{`{}`, "no type", ""},
		{`{"type":"dance","ref":"x"}`, `unknown message type "dance"`, "x"},
		{`{"type":"edit","para":"p","base":1,"op":[]}`, "ref is required", ""},
		{`{"type":"edit","ref":"r","base":1,"op":[]}`, "para is required", "r"},
		{`{"type":"edit","ref":"r","para":"p","op":[]}`, "base must be", "r"},
		{`{"type":"edit","ref":"r","para":"p","base":-1,"op":[]}`, "base must be", "r"},
		{`{"type":"edit","ref":"r","para":"p","base":1}`, "op is required", "r"},
		{`{"type":"edit","ref":"r","para":"p","base":1,"op":[0]}`, "edit: ot:", "r"},
		{`{"type":"edit","ref":"r","para":"p","base":1,"op":["a","b"]}`, "edit: ot:", "r"},
		{`{"type":"edit","ref":"r","para":"p","base":1,"op":[{"x":1}]}`, "edit: ot:", "r"},
		{`{"type":"edit","ref":5}`, "ref must be a string", ""},
		{`{"type":"edit","ref":"` + strings.Repeat("x", 200) + `"}`, "ref is longer", ""},
		{`{"type":"action","ref":"a"}`, "kind is required", "a"},
		{`{"type":"edit","ref":"r","para":"p","base":"seven","op":[]}`, "edit: json", "r"},
		{`{"type":"presence","para":7}`, "presence: json", ""},
	}
	for _, c := range bad {
		m, err := DecodeClientMessage([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60s: err %v, want %q", c.in, err, c.want)
			continue
		}
		if m == nil || m.Ref() != c.ref {
			t.Errorf("%.60s: ref %v, want %q", c.in, m, c.ref)
		}
	}
}

func typeName(m ClientMessage) string {
	switch m.(type) {
	case Edit:
		return "wire.Edit"
	case PresenceUpdate:
		return "wire.PresenceUpdate"
	case Action:
		return "wire.Action"
	case Invalid:
		return "wire.Invalid"
	}
	return "?"
}

// The decoder never panics, always returns a message to answer, and what
// it accepts as an edit re-encodes to an equivalent edit.
func FuzzDecodeClientMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"edit","ref":"r1","para":"p","base":3,"op":[2,"مرحبا",{"d":1}]}`,
		`{"type":"presence","para":"p"}`,
		`{"type":"action","ref":"a","kind":"proposal.table","para":"p","action":"MOD","text":"[x]","doc_ref":"B/1/1"}`,
		`{"type":"edit","ref":"r","para":"p","base":1,"op":[{"d":"ab"},"👩🏽‍💻"]}`,
		`{"type":"edit"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeClientMessage(data)
		if m == nil {
			t.Fatalf("nil message (err %v)", err)
		}
		if len(m.Ref()) > MaxRefLength {
			t.Fatalf("ref of %d bytes accepted", len(m.Ref()))
		}
		e, ok := m.(Edit)
		if err != nil || !ok {
			return
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		m2, err := DecodeClientMessage(b)
		if err != nil {
			t.Fatalf("re-decode %s: %v", b, err)
		}
		b2, _ := json.Marshal(m2)
		if string(b) != string(b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
	})
}
