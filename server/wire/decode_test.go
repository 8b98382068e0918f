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

// Issue 15 item 3: a frame with a string PostgreSQL cannot store is
// refused at decode, wherever the string is, naming the ref when it can.
func TestDecodeRefusesUnstorableText(t *testing.T) {
	bad := []struct{ in, want, ref string }{
		{`{"type":"edit","ref":"r","para":"p","base":0,"op":["a\u0000b"]}`, "U+0000", "r"},
		{`{"type":"edit","ref":"r\u0000","para":"p","base":0,"op":["a"]}`, "U+0000", ""},
		{`{"type":"edit","ref":"r","para":"p\u0000","base":0,"op":["a"]}`, "U+0000", "r"},
		{`{"type":"action","ref":"a","kind":"proposal.table","para":"p","action":"MOD","text":"[x\u0000]"}`, "U+0000", "a"},
		{`{"type":"action","ref":"a","kind":"note.add","text":"\u0000"}`, "U+0000", "a"},
		{`{"type":"action","ref":"a","kind":"paragraph.relabel","para":"p","label":"1\u0000"}`, "U+0000", "a"},
		{`{"type":"action","ref":"a","kind":"proposal.table","doc_ref":"B/\u0000","text":"x"}`, "U+0000", "a"},
		{`{"type":"presence","para":"\u0000"}`, "U+0000", ""},
		{`{"type":"action","ref":"a","kind":"note.add","text":"x\ud800y"}`, "lone UTF-16 surrogate", "a"},
		{`{"type":"action","ref":"a","kind":"note.add","text":"x\udc00"}`, "lone UTF-16 surrogate", "a"},
		{`{"type":"action","ref":"a","kind":"note.add","text":"\ud83d\u0041"}`, "lone UTF-16 surrogate", "a"},
		{"{\"type\":\"action\",\"ref\":\"a\",\"kind\":\"note.add\",\"text\":\"\xff\"}", "not valid UTF-8", "a"},
		{"{\"type\":\"edit\",\"ref\":\"r\",\"para\":\"p\",\"base\":0,\"op\":[\"\xed\xa0\x80\"]}", "not valid UTF-8", "r"},
		{"{\"type\":\"presence\",\"para\":\"a\x00\"}", "U+0000", ""},
		{`{"type":"presence","para":"` + strings.Repeat("p", 65) + `"}`, "para must be a paragraph id", ""},
		{`{"type":"presence","para":""}`, "para must be a paragraph id", ""},
	}
	for _, c := range bad {
		m, err := DecodeClientMessage([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.70q: err %v, want %q", c.in, err, c.want)
			continue
		}
		if m == nil || m.Ref() != c.ref {
			t.Errorf("%.70q: ref %v, want %q", c.in, m, c.ref)
		}
	}
	// Escaped backslashes, a surrogate pair and U+FFFD itself are text.
	for _, in := range []string{
		`{"type":"action","ref":"a","kind":"note.add","text":"\\u0000 is written so"}`,
		`{"type":"action","ref":"a","kind":"note.add","text":"\\\\\u0041 \ud83d\ude00 \ufffd 😀"}`,
		`{"type":"edit","ref":"r","para":"p","base":0,"op":["\ud83d\udc69\ud83c\udffd مرحبا 中文 Мир"]}`,
		`{"type":"presence","para":"` + strings.Repeat("p", 64) + `"}`,
	} {
		if _, err := DecodeClientMessage([]byte(in)); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}

func TestCheckText(t *testing.T) {
	for s, ok := range map[string]bool{"Rev.1": true, "": true, "مرحبا 中文 👩🏽‍💻": true, "a\x00": false, "\xff": false} {
		if err := CheckText(s); (err == nil) != ok {
			t.Errorf("CheckText(%q) = %v", s, err)
		}
	}
}

// checkStorable accepts a frame exactly when every string in it decodes to
// valid UTF-8 without U+0000 and no escape is a lone surrogate: encoding/json
// (which turns lone surrogates and invalid bytes into U+FFFD) is the
// reference for the first two, and a decoded U+FFFD that the frame did not
// spell out is the sign of the third.
func FuzzCheckStorable(f *testing.F) {
	for _, s := range []string{
		`{"type":"edit","ref":"r","para":"p","base":0,"op":["a\u0000b"]}`,
		`{"text":"\\u0000"}`,
		`{"text":"\ud83d\ude00"}`,
		`{"text":"\ud83d"}`,
		`{"text":"\udc00\ud800"}`,
		`{"text":"\ufffd"}`,
		"{\"text\":\"\xff\"}",
		`{"text":"\\\\\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := checkStorable(data)
		var v any
		if json.Unmarshal(data, &v) != nil {
			return // not JSON: the decoder refuses it either way
		}
		var strs []string
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				strs = append(strs, x)
			case []any:
				for _, y := range x {
					walk(y)
				}
			case map[string]any:
				for k, y := range x {
					strs = append(strs, k)
					walk(y)
				}
			}
		}
		walk(v)
		nul, replaced := false, 0
		for _, s := range strs {
			nul = nul || strings.IndexByte(s, 0) >= 0
			replaced += strings.Count(s, "\ufffd")
		}
		spelled := strings.Count(string(data), "\ufffd") + strings.Count(strings.ToLower(string(data)), `\ufffd`)
		switch {
		case err == nil && nul:
			t.Fatalf("accepted a frame holding U+0000: %q", data)
		case err == nil && replaced > spelled:
			t.Fatalf("accepted a frame whose decoding invents U+FFFD: %q", data)
		case err != nil && !nul && replaced == 0:
			t.Fatalf("refused a storable frame: %q: %v", data, err)
		}
	})
}

// An action's fields are decoded with the frame, once: the room gets them
// ready, and a field of the wrong type refuses the action, naming its ref.
// Other frames ignore the action fields they do not carry.
func TestActionFieldsDecodedWithTheFrame(t *testing.T) {
	m, err := DecodeClientMessage([]byte(`{"type":"action","ref":"a1","kind":"paragraph.insert","section":"s","after":null,` +
		`"label":"2 bis","text":"[新] текст","para":"p","proposal":"pr","proposer":"BRA","action":"MOD","doc_ref":"B/1","heading":"h","section_kind":"preamble","status":"open"}`))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := m.(Action)
	if !ok {
		t.Fatalf("%T", m)
	}
	f := a.Fields
	if a.Kind != "paragraph.insert" || f.Section != "s" || f.After != nil || *f.Label != "2 bis" || *f.Text != "[新] текст" || f.Para != "p" ||
		f.Proposal != "pr" || f.Proposer != "BRA" || f.Action != "MOD" || f.DocRef != "B/1" || f.Heading != "h" || f.SectionKind != "preamble" || f.Status != "open" {
		t.Fatalf("fields %+v", f)
	}
	_, err = DecodeClientMessage([]byte(`{"type":"action","ref":"a2","kind":"status","para":"p","status":5}`))
	if err == nil || !strings.HasPrefix(err.Error(), "action fields: ") || !strings.Contains(err.Error(), "status") {
		t.Fatalf("a status of the wrong type: %v", err)
	}
	if m, _ := DecodeClientMessage([]byte(`{"type":"action","ref":"a2","kind":"status","status":5}`)); m.Ref() != "a2" {
		t.Fatalf("the refusal names ref %q", m.Ref())
	}
	if _, err := DecodeClientMessage([]byte(`{"type":"edit","ref":"e","para":"p","base":0,"op":[],"status":5,"text":[1]}`)); err != nil {
		t.Fatalf("an edit with stray action fields: %v", err)
	}
	if _, err := DecodeClientMessage([]byte(`{"type":"action","ref":"a3","kind":"status","para":5}`)); err == nil {
		t.Fatal("a para of the wrong type was accepted")
	}
}
