package draft

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

func skip(n int) ot.Component    { return ot.Component{Skip: n} }
func ins(s string) ot.Component  { return ot.Component{Insert: s} }
func del(n int) ot.Component     { return ot.Component{Delete: n} }
func op(c ...ot.Component) ot.Op { return ot.Op(c) }
func runs(rs ...Run) Authorship  { return Authorship(rs) }
func run(n int, a string) Run    { return Run{Len: n, Author: a} }

func TestAuthorshipBasics(t *testing.T) {
	a := runs(run(3, "original"), run(2, "BRA"), run(4, "chair"))
	if a.Len() != 9 {
		t.Errorf("Len = %d", a.Len())
	}
	for i, want := range []string{"original", "original", "original", "BRA", "BRA", "chair", "chair", "chair", "chair", ""} {
		if got := a.At(i); got != want {
			t.Errorf("At(%d) = %q, want %q", i, got, want)
		}
	}
	if a.At(-1) != "" {
		t.Error("At(-1) not empty")
	}
	sliceTests := []struct {
		from, to int
		want     Authorship
	}{
		{0, 9, a},
		{2, 4, runs(run(1, "original"), run(1, "BRA"))},
		{3, 5, runs(run(2, "BRA"))},
		{4, 4, nil},
		{-5, 1, runs(run(1, "original"))},
		{8, 50, runs(run(1, "chair"))},
	}
	for _, tt := range sliceTests {
		if got := a.Slice(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("Slice(%d, %d) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if got := runs(run(1, "b"), run(1, "a"), run(2, "b")).Authors(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Authors = %v", got)
	}
	if got := runs(run(0, "x"), run(1, "a"), run(2, "a"), run(0, "b"), run(1, "a")).Normalize(); !slices.Equal(got, runs(run(4, "a"))) {
		t.Errorf("Normalize = %v", got)
	}
	if Uniform(0, "x") != nil || !slices.Equal(Uniform(5, "x"), runs(run(5, "x"))) {
		t.Error("Uniform")
	}
}

func TestAuthorshipApply(t *testing.T) {
	base := runs(run(3, "original"), run(2, "BRA"), run(3, "original"))
	tests := []struct {
		name   string
		a      Authorship
		op     ot.Op
		author string
		want   Authorship
		err    bool
	}{
		{name: "no-op", a: base, op: nil, want: base},
		{name: "insert at start", a: base, op: op(ins("ab")), author: "CHN",
			want: runs(run(2, "CHN"), run(3, "original"), run(2, "BRA"), run(3, "original"))},
		{name: "insert merges with same author", a: base, op: op(skip(5), ins("x")), author: "BRA",
			want: runs(run(3, "original"), run(3, "BRA"), run(3, "original"))},
		{name: "insert splits a run", a: base, op: op(skip(1), ins("x")), author: "BRA",
			want: runs(run(1, "original"), run(1, "BRA"), run(2, "original"), run(2, "BRA"), run(3, "original"))},
		{name: "insert at end", a: base, op: op(skip(8), ins("zz")), author: "chair",
			want: runs(run(3, "original"), run(2, "BRA"), run(3, "original"), run(2, "chair"))},
		{name: "emoji counts code points", a: base, op: op(skip(3), ins("👩🏽‍💻🌍")), author: "JPN",
			want: runs(run(3, "original"), run(5, "JPN"), run(2, "BRA"), run(3, "original"))},
		{name: "delete whole run merges neighbours", a: base, op: op(skip(3), del(2)),
			want: runs(run(6, "original"))},
		{name: "delete across runs", a: base, op: op(skip(2), del(4)),
			want: runs(run(4, "original"))},
		{name: "delete everything", a: base, op: op(del(8)), want: runs()},
		{name: "replace", a: base, op: op(skip(3), del(2), ins("🇺🇳")), author: "CHN",
			want: runs(run(3, "original"), run(2, "CHN"), run(3, "original"))},
		{name: "insert into empty", a: nil, op: op(ins("مرحبا")), author: "EGY", want: runs(run(5, "EGY"))},
		{name: "skip past end", a: base, op: op(skip(9), ins("x")), err: true},
		{name: "delete past end", a: base, op: op(skip(7), del(2)), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.a)
			got, err := tt.a.Apply(tt.op, tt.author)
			if tt.err {
				if err == nil {
					t.Fatalf("no error, got %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 0 || len(tt.want) != 0 {
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
			if !slices.Equal(tt.a, before) {
				t.Errorf("input modified: %v", tt.a)
			}
		})
	}
}

// TestAuthorshipApplyRandom checks Apply against a per-code-point model on
// random ops, and that it agrees with ot.Apply on lengths.
func TestAuthorshipApplyRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	authors := []string{"original", "BRA", "CHN", "chair"}
	alphabet := []rune("ab [] 加强🌍ع")
	for iter := range 2000 {
		var model []string
		var a Authorship
		for range rng.IntN(6) {
			n, who := rng.IntN(4), authors[rng.IntN(len(authors))]
			a = append(a, run(n, who))
			for range n {
				model = append(model, who)
			}
		}
		a = a.Normalize()
		text := strings.Repeat("x", len(model))
		var o ot.Op
		var want []string
		pos := 0
		author := authors[rng.IntN(len(authors))]
		for pos < len(model) && rng.IntN(5) > 0 {
			n := 1 + rng.IntN(len(model)-pos)
			switch rng.IntN(3) {
			case 0:
				o = append(o, skip(n))
				want = append(want, model[pos:pos+n]...)
				pos += n
			case 1:
				o = append(o, del(n))
				pos += n
			case 2:
				var sb strings.Builder
				for range 1 + rng.IntN(3) {
					sb.WriteRune(alphabet[rng.IntN(len(alphabet))])
				}
				o = append(o, ins(sb.String()))
				for range utf8.RuneCountInString(sb.String()) {
					want = append(want, author)
				}
			}
		}
		want = append(want, model[pos:]...)
		o = ot.Normalize(o)
		got, err := a.Apply(o, author)
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if !isNormalized(got) {
			t.Fatalf("iter %d: not normalized: %v", iter, got)
		}
		var flat []string
		for _, r := range got {
			for range r.Len {
				flat = append(flat, r.Author)
			}
		}
		if !slices.Equal(flat, want) {
			t.Fatalf("iter %d: %v on %v = %v, want %v", iter, o, a, flat, want)
		}
		after, err := ot.Apply(text, o)
		if err != nil {
			t.Fatalf("iter %d: ot.Apply: %v", iter, err)
		}
		if n := utf8.RuneCountInString(after); n != got.Len() {
			t.Fatalf("iter %d: text has %d code points, authorship %d", iter, n, got.Len())
		}
	}
}

func isNormalized(a Authorship) bool {
	for i, r := range a {
		if r.Len <= 0 || (i > 0 && a[i-1].Author == r.Author) {
			return false
		}
	}
	return true
}

func BenchmarkAuthorshipApply(b *testing.B) {
	// A long, heavily fragmented paragraph: the worst case for a run list.
	var a Authorship
	for i := range 500 {
		a = append(a, run(7, fmt.Sprint("D", i%2)))
	}
	o := op(skip(1750), ins("[new]"), skip(3), del(4))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Apply(o, "BRA"); err != nil {
			b.Fatal(err)
		}
	}
}
