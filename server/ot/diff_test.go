package ot

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDifferential checks this package against ot-text-unicode itself,
// pinned in testdata/package.json: thousands of seeded random cases go to
// node in one batch and every result must be identical.
func TestDifferential(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("testdata", "node_modules", "ot-text-unicode", "package.json"))
	}
	if err != nil {
		msg := "differential test needs node and ot-text-unicode; run `npm ci --prefix server/ot/testdata` (" + err.Error() + ")"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	const seed, count = 20240611, 4000
	type jsCase struct {
		Doc string `json:"doc"`
		A   Op     `json:"a"`
		B   Op     `json:"b"`
		C   Op     `json:"c"`
		Raw []any  `json:"raw"`
	}
	src := prng{rand.New(rand.NewPCG(seed, count))}
	cases := make([]jsCase, count)
	raws := make([]Op, count)
	for i := range cases {
		doc := genDoc(src)
		a := genOp(src, doc, false)
		after := applyRef(doc, a)
		raw := genRaw(src)
		cases[i] = jsCase{Doc: doc, A: a, B: genOp(src, doc, false), C: genOp(src, after, false), Raw: []any{}}
		for _, r := range raw {
			cases[i].Raw = append(cases[i].Raw, r.json)
			raws[i] = append(raws[i], r.c)
		}
	}
	input, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(node, filepath.Join("testdata", "diff.js"))
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	output, err := cmd.Output()
	if err != nil {
		t.Fatalf("node testdata/diff.js: %v\n%s", err, stderr.Bytes())
	}
	type result = map[string]json.RawMessage
	var results []result
	if err := json.Unmarshal(output, &results); err != nil {
		t.Fatalf("decoding node output: %v", err)
	}
	if len(results) != len(cases) {
		t.Fatalf("node returned %d results for %d cases", len(results), len(cases))
	}

	failures := 0
	for i, c := range cases {
		r := results[i]
		fail := func(what string, got any, want json.RawMessage) {
			t.Helper()
			failures++
			in, _ := json.Marshal(c)
			t.Errorf("case %d %s:\n  input: %s\n  go:    %v\n  js:    %s", i, what, in, got, want)
		}
		wantOp := func(what string, got Op) {
			t.Helper()
			want, err := Decode(r[what])
			if err != nil || !opsEqual(got, want) {
				enc, _ := got.MarshalJSON()
				fail(what, string(enc), r[what])
			}
		}

		applied, err := Apply(c.Doc, c.A)
		var wantDoc string
		if err != nil || json.Unmarshal(r["apply"], &wantDoc) != nil || applied != wantDoc {
			fail("apply", applied, r["apply"])
		}
		wantOp("left", Transform(c.A, c.B, Left))
		wantOp("right", Transform(c.A, c.B, Right))
		wantOp("compose", Compose(c.A, c.C))
		wantOp("normalize", Normalize(raws[i]))
		inv, err := InvertWithDoc(c.A, c.Doc)
		if err != nil {
			fail("invert", err, r["invert"])
		} else {
			wantOp("invert", inv)
		}
		if failures > 10 {
			t.Fatal("too many differences, stopping")
		}
	}
	t.Logf("%d cases identical to ot-text-unicode (seed %d)", count, seed)
}
