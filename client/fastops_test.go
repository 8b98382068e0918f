package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// stdOps is the reference: what encoding/json makes of a frame.
func stdOps(data []byte) ([]wire.LiveOp, bool) {
	var f struct {
		Type string        `json:"type"`
		Ops  []wire.LiveOp `json:"ops"`
	}
	if json.Unmarshal(data, &f) != nil || f.Type != wire.TypeOps {
		return nil, false
	}
	return f.Ops, true
}

func sameOps(a, b []wire.LiveOp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if len(x.Op) == 0 && len(y.Op) == 0 {
			x.Op, y.Op = nil, nil
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

var oddStrings = []string{"", "chair", "BRA", "a\"b", `back\slash`, "tab\there", "\x01", "مرحبا", "决议", "👩🏽‍💻", "<&>", "\u2028", "e\u0301"}

func TestDecodeOpsMatchesEncodingJSON(t *testing.T) {
	intern := map[string]string{} // shared across cases, as a connection's is
	rapid.Check(t, func(t *rapid.T) {
		str := rapid.SampledFrom(oddStrings)
		var ops []wire.LiveOp
		for i := range rapid.IntRange(0, 4).Draw(t, "ops") {
			op := wire.LiveOp{
				Seq: int64(i + 1), Kind: rapid.SampledFrom([]string{"", "status", "proposal.add"}).Draw(t, "kind"),
				P: rapid.IntRange(-1, 300).Draw(t, "p"), By: rapid.IntRange(-1, 300).Draw(t, "by"), Ref: str.Draw(t, "ref"),
			}
			if op.P >= 0 && rapid.Bool().Draw(t, "pid") {
				op.PID = str.Draw(t, "pidv")
			}
			if op.By >= 0 && rapid.Bool().Draw(t, "who") {
				op.Who = &wire.Person{Participant: str.Draw(t, "participant"), Author: str.Draw(t, "author")}
			}
			if op.Kind == "" {
				op.Op = ot.Normalize(ot.Op{{Skip: rapid.IntRange(0, 9).Draw(t, "skip")}, {Insert: str.Draw(t, "ins")}, {Delete: rapid.IntRange(0, 3).Draw(t, "del")}})
				if op.Op == nil {
					op.Op = ot.Op{}
				}
			} else {
				op.Data = json.RawMessage(`{"status":` + rapid.SampledFrom([]string{`"agreed"`, `[1, {"x": "}"}]`, `null`, `"a\"]"`}).Draw(t, "data") + `}`)
			}
			ops = append(ops, op)
		}
		data, err := json.Marshal(wire.Ops{Type: wire.TypeOps, Ops: ops})
		if err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "indent") {
			var b bytes.Buffer
			json.Indent(&b, data, "", " ")
			data = b.Bytes()
		}
		got, ok := decodeOps(data, intern)
		want, _ := stdOps(data)
		if !ok && strings.HasPrefix(string(data), string(opsPrefix)) {
			t.Fatalf("fast path gave up on %s", data)
		}
		if ok && !sameOps(got, want) {
			t.Fatalf("frame %s\nfast %+v\nstd  %+v", data, got, want)
		}
	})
}

func TestDecodeOpsGivesUpOnSurprises(t *testing.T) {
	for _, frame := range []string{
		`{"type":"ops","ops":[{"seq":1,"op":[1,"x"]}]`,
		`{"type":"ops","ops":[{"seq":"1"}]}`,
		`{"type":"ops","ops":[{"seq":1,"op":[0]}]}`,
		`{"type":"ops","ops":[{"seq":1,"p":"yesterday"}]}`,
		`{"type":"ops","ops":[{"seq":1,"by":-2}]}`,
		`{"type":"ops","ops":[{"seq":1,"who":[]}]}`,
		`{"type":"ops","ops":{}}`,
		`{"type":"ops","ops":[{"ref":"a` + "\x01" + `"}]}`,
		`{"type":"ops","ops":[]} trailing`,
		`{"type":"ops","ops":[{"ref":"\xff"}]}`,
	} {
		got, ok := decodeOps([]byte(frame), nil)
		want, wantOK := stdOps([]byte(frame))
		if ok && (!wantOK || !sameOps(got, want)) {
			t.Errorf("%q: fast %+v, std %+v %v", frame, got, want, wantOK)
		}
	}
	ops, ok := decodeOps([]byte(`{"type":"ops", "extra": {"a":[1,2]}, "ops":[{"seq":7,"p":3,"pid":"x","op":[3,"ب"],"unknown":true,"ref":"r","by":0,"who":{"author":"RUS"}}]}`), map[string]string{})
	if !ok || len(ops) != 1 || ops[0].Seq != 7 || ops[0].Ref != "r" || ops[0].Op[1].Insert != "ب" || ops[0].P != 3 || ops[0].PID != "x" || ops[0].By != 0 || ops[0].Who.Author != "RUS" {
		t.Errorf("unknown fields: %+v %v", ops, ok)
	}
}
