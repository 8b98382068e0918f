package ot

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		in   string
		want Op
	}{
		{`[]`, nil},
		{" \t\n[ ]\r\n", nil},
		{`[3,"hi",5,{"d":8}]`, Op{sk(3), ins("hi"), sk(5), del(8)}},
		{`[{"d":"abc"}]`, Op{delText("abc")}},
		{`[ 1 , { "d" : 2 } , "x" ]`, Op{sk(1), del(2), ins("x")}},
		{`[5,"!"]`, Op{sk(5), ins("!")}},
		{`["مرحبا بالعالم"]`, Op{ins("مرحبا بالعالم")}},
		{`[{"d":"👩🏽‍💻"}]`, Op{{Delete: 4, DeleteText: "👩🏽‍💻"}}},
		{`[2,{"d":"👨‍👩‍👧‍👦"},"🇧🇷"]`, Op{sk(2), {Delete: 7, DeleteText: "👨‍👩‍👧‍👦"}, ins("🇧🇷")}},
		{`["\ud83d\ude00\u00e9\n\"\\\/\b\f\r\t"]`, Op{ins("😀é\n\"\\/\b\f\r\t")}},
		{`[{"\u0064":1}]`, Op{del(1)}},
		// Integral numbers in other spellings are what JSON.parse makes of
		// them.
		{`[1e2,"x"]`, Op{sk(100), ins("x")}},
		{`[1E+2,"x"]`, Op{sk(100), ins("x")}},
		{`[3.0,"x"]`, Op{sk(3), ins("x")}},
		{`[2.50e1,"x"]`, Op{sk(25), ins("x")}},
		{`[{"d":100e-2}]`, Op{del(1)}},
		{`[9007199254740991,"x"]`, Op{sk(MaxLength), ins("x")}},
	}
	for _, tt := range tests {
		got, err := Decode([]byte(tt.in))
		if err != nil || !opsEqual(got, tt.want) {
			t.Errorf("Decode(%s) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "ot: op is not a JSON array"},
		{`null`, "ot: op is not a JSON array"},
		{`{"d":1}`, "ot: op is not a JSON array"},
		{`"abc"`, "ot: op is not a JSON array"},
		{`[`, "ot: expected component at end of input"},
		{`[1,"a"`, "ot: expected , or ] at end of input"},
		{`[1,"a"]x`, "ot: unexpected data after op at offset 7"},
		{`[1,"a"][]`, "ot: unexpected data after op at offset 7"},
		{`[1,]`, "ot: component 1: invalid JSON at offset 3"},
		{`[""]`, "ot: component 0: empty insert"},
		{`[1,""]`, "ot: component 1: empty insert"},
		{`[0,"a"]`, "ot: component 0: zero-length skip"},
		{`[-0,"a"]`, "ot: component 0: zero-length skip"},
		{`[-3,"a"]`, "ot: component 0: negative skip"},
		{`[1.5,"a"]`, "ot: component 0: non-integer skip"},
		{`[1e-1,"a"]`, "ot: component 0: non-integer skip"},
		{`[01,"a"]`, "ot: component 0: number with a leading zero"},
		{`[1.,"a"]`, "ot: component 0: invalid number at offset 3"},
		{`[+1,"a"]`, "ot: component 0: invalid JSON at offset 1"},
		{`[1e,"a"]`, "ot: component 0: invalid number at offset 3"},
		{`[99999999999999999999999,"a"]`, "ot: component 0: skip too large"},
		{`[9007199254740992,"a"]`, "ot: component 0: skip too large"},
		{`[1e999999999999999999999,"a"]`, "ot: component 0: skip too large"},
		{`[1,"a",{"d":0}]`, "ot: component 2: zero-length delete"},
		{`[{"d":-1}]`, "ot: component 0: negative delete"},
		{`[{"d":""}]`, "ot: component 0: empty delete string"},
		{`[{"d":2.5}]`, "ot: component 0: non-integer delete"},
		{`[{"d":1e300}]`, "ot: component 0: delete too large"},
		{`[{"d":true}]`, "ot: component 0: delete must be a number or a string"},
		{`[{"d":null}]`, "ot: component 0: delete must be a number or a string"},
		{`[{"d":[1]}]`, "ot: component 0: delete must be a number or a string"},
		{`[{}]`, `ot: component 0: object without "d" is not a component`},
		{`[{"i":"x"}]`, `ot: component 0: unknown key "i"`},
		{`[{"d":1,"x":2}]`, `ot: component 0: unknown key "x"`},
		{`[{"d":1,"d":2}]`, `ot: component 0: repeated key "d"`},
		{`[{"d":1]`, "ot: component 0: expected , or } at offset 7"},
		{`[true]`, "ot: component 0: boolean is not a component"},
		{`[false]`, "ot: component 0: boolean is not a component"},
		{`[null]`, "ot: component 0: null is not a component"},
		{`[[1]]`, "ot: component 0: nested array is not a component"},
		{`[1,2]`, "ot: component 1: adjacent skips must be merged"},
		{`["a","b"]`, "ot: component 1: adjacent inserts must be merged"},
		{`[{"d":1},{"d":"x"}]`, "ot: component 1: adjacent deletes must be merged"},
		{`[3]`, "ot: component 0: trailing skip"},
		{`["a",3]`, "ot: component 1: trailing skip"},
		{"[\"\xff\"]", "ot: component 0: invalid UTF-8 in string"},
		{"[\"a\\n\xc3\"]", "ot: component 0: invalid UTF-8 in string"},
		{"[{\"d\":\"\xed\xa0\x80\"}]", "ot: component 0: invalid UTF-8 in string"},
		{`["\ud83d"]`, "ot: component 0: lone surrogate escape in string"},
		{`["\ude00"]`, "ot: component 0: lone surrogate escape in string"},
		{`["\ud83d\u0041"]`, "ot: component 0: lone surrogate escape in string"},
		{`["a\u0000b"]`, "ot: component 0: U+0000 in string"},
		{`[{"d":"\u0000"}]`, "ot: component 0: U+0000 in string"},
		{`["\u12"]`, `ot: component 0: invalid \u escape in string`},
		{`["\x"]`, "ot: component 0: invalid escape in string"},
		{"[\"a\nb\"]", "ot: component 0: control character in string"},
		{`["abc`, "ot: component 0: unterminated string"},
		{`["abc\`, "ot: component 0: unterminated string"},
	}
	for _, tt := range tests {
		op, err := Decode([]byte(tt.in))
		var de *DecodeError
		if !errors.As(err, &de) || err.Error() != tt.want {
			t.Errorf("Decode(%q) = %v, %v; want error %q", tt.in, op, err, tt.want)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%q): error %v is not ErrInvalid", tt.in, err)
		}
	}
}

// Through encoding/json, as the room will use it inside messages.
func TestUnmarshalJSONInStruct(t *testing.T) {
	var msg struct {
		V  int `json:"v"`
		Op Op  `json:"op"`
	}
	if err := json.Unmarshal([]byte(`{"v":3,"op":[2,"你好",{"d":"ab"}]}`), &msg); err != nil {
		t.Fatal(err)
	}
	if want := (Op{sk(2), ins("你好"), delText("ab")}); !opsEqual(msg.Op, want) {
		t.Errorf("got %v, want %v", msg.Op, want)
	}
	err := json.Unmarshal([]byte(`{"v":3,"op":[2,3]}`), &msg)
	var de *DecodeError
	if !errors.As(err, &de) || de.Index != 1 {
		t.Errorf("err = %v, want *DecodeError at component 1", err)
	}
	// Strict means a null op is an error too, not an empty op.
	if err := json.Unmarshal([]byte(`{"op":null}`), &msg); !errors.Is(err, ErrInvalid) {
		t.Errorf("null op: err = %v, want ErrInvalid", err)
	}
	out, err := json.Marshal(map[string]Op{"op": {sk(1), ins("<x>")}, "none": nil})
	if err != nil || string(out) != `{"none":[],"op":[1,"\u003cx\u003e"]}` {
		t.Errorf("json.Marshal = %s, %v", out, err)
	}
}

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		op   Op
		want string
	}{
		{nil, `[]`},
		{Op{sk(3), ins("hi"), sk(5), del(8)}, `[3,"hi",5,{"d":8}]`},
		{Op{delText("👩🏽‍💻"), ins("🇧🇷")}, `[{"d":"👩🏽‍💻"},"🇧🇷"]`},
		{Op{ins("a\"b\\c\nd\te\x01<&>\u2028")}, `["a\"b\\c\nd\te\u0001<&>` + "\u2028" + `"]`},
		// Unnormalized input is written normalized, so it always decodes.
		{Op{sk(1), sk(1), ins("x"), {}, ins("y"), sk(4)}, `[2,"xy"]`},
	}
	for _, tt := range tests {
		got, err := tt.op.MarshalJSON()
		if err != nil || string(got) != tt.want {
			t.Errorf("MarshalJSON(%v) = %s, %v; want %s", tt.op, got, err, tt.want)
		}
		if _, err := Decode(got); err != nil {
			t.Errorf("Decode(MarshalJSON(%v)): %v", tt.op, err)
		}
	}

	bad := []Op{
		{{Skip: 1, Insert: "x"}},
		{{Insert: "x", Delete: 1}},
		{ins("\xff")},
		{{Delete: 2, DeleteText: "abc"}},
		{sk(MaxLength + 1), ins("x")},
	}
	for _, op := range bad {
		if got, err := op.MarshalJSON(); !errors.Is(err, ErrInvalid) {
			t.Errorf("MarshalJSON(%v) = %s, %v; want ErrInvalid", op, got, err)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := Validate(Op{sk(1), ins("x"), delText("y")}); err != nil {
		t.Errorf("Validate(valid) = %v", err)
	}
	for reason, op := range map[string]Op{
		"component 1: adjacent inserts must be merged": {ins("a"), ins("b")},
		"component 0: trailing skip":                   {sk(1)},
		"component 0: empty component":                 {{}},
		"component 0: delete count does not match":     {{Delete: 1, DeleteText: "ab"}},
	} {
		if err := Validate(op); err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("Validate(%v) = %v, want %q", op, err, reason)
		}
	}
}
