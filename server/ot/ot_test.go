package ot

import (
	"errors"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// Shorthands for readable tables.
func sk(n int) Component         { return Component{Skip: n} }
func ins(s string) Component     { return Component{Insert: s} }
func del(n int) Component        { return Component{Delete: n} }
func delText(s string) Component { return Component{Delete: len([]rune(s)), DeleteText: s} }
func mustJSON(t *testing.T, op Op) string {
	t.Helper()
	b, err := op.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON(%v): %v", op, err)
	}
	return string(b)
}

// Code point counts the tables rely on; if these fail, every emoji row
// below is wrong, not the package.
func TestAtomLengths(t *testing.T) {
	for s, n := range map[string]int{
		"👩🏽‍💻": 4, "👨‍👩‍👧‍👦": 7, "🇧🇷": 2, "👍🏿": 2, "مرحبا بالعالم": 13, "你好世界": 4, "Привет": 6,
	} {
		if got := len([]rune(s)); got != n {
			t.Errorf("%q has %d code points, table assumes %d", s, got, n)
		}
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name, doc string
		op        Op
		want      string
	}{
		{"noop", "abc", nil, "abc"},
		{"insert at start", "abc", Op{ins("x")}, "xabc"},
		{"insert at end", "abc", Op{sk(3), ins("x")}, "abcx"},
		{"delete middle", "abc", Op{sk(1), del(1)}, "ac"},
		{"delete with text", "abc", Op{sk(1), delText("bc")}, "a"},
		{"replace", "abc", Op{sk(1), delText("b"), ins("B")}, "aBc"},
		{"arabic", "مرحبا بالعالم", Op{sk(5), ins("!")}, "مرحبا! بالعالم"},
		{"arabic delete word", "مرحبا بالعالم", Op{sk(5), delText(" بالعالم")}, "مرحبا"},
		{"chinese", "你好世界", Op{sk(2), ins("，")}, "你好，世界"},
		{"cyrillic", "Привет мир", Op{delText("Привет"), ins("Здравствуй")}, "Здравствуй мир"},
		{"after zwj emoji", "a👩🏽‍💻b", Op{sk(5), ins("!")}, "a👩🏽‍💻!b"},
		{"delete zwj emoji", "a👩🏽‍💻b", Op{sk(1), delText("👩🏽‍💻")}, "ab"},
		{"inside zwj emoji", "👩🏽‍💻", Op{sk(2), del(1)}, "👩🏽💻"},
		{"family", "👨‍👩‍👧‍👦x", Op{sk(7), del(1)}, "👨‍👩‍👧‍👦"},
		{"flag halves", "🇧🇷", Op{sk(1), ins("|")}, "🇧|🇷"},
		{"skin tone", "👍🏿", Op{sk(1), del(1)}, "👍"},
		{"unnormalized still applies", "abc", Op{sk(1), sk(1), ins("x"), ins("y")}, "abxyc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply(tt.doc, tt.op)
			if err != nil || got != tt.want {
				t.Errorf("Apply(%q, %v) = %q, %v; want %q", tt.doc, tt.op, got, err, tt.want)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		op        Op
		want      error
	}{
		{"skip past end", "abc", Op{sk(4), ins("x")}, ErrTooLong},
		{"delete past end", "abc", Op{sk(2), del(2)}, ErrTooLong},
		// 👩🏽‍💻 is 16 bytes but 4 code points: a byte count would accept this.
		{"skip counts code points not bytes", "👩🏽‍💻", Op{sk(5), ins("x")}, ErrTooLong},
		{"huge skip", "abc", Op{sk(MaxLength), ins("x")}, ErrTooLong},
		{"wrong delete text", "abc", Op{sk(1), delText("x")}, ErrDeleteMismatch},
		{"delete text of wrong emoji", "👍🏿", Op{delText("👍🏽")}, ErrDeleteMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply(tt.doc, tt.op)
			if !errors.Is(err, tt.want) {
				t.Errorf("Apply(%q, %v) = %q, %v; want %v", tt.doc, tt.op, got, err, tt.want)
			}
		})
	}
}

func TestCheckFits(t *testing.T) {
	op := Op{sk(2), ins("xyz"), del(2)}
	if err := CheckFits(op, 4); err != nil {
		t.Errorf("CheckFits(4) = %v", err)
	}
	if err := CheckFits(op, 3); !errors.Is(err, ErrTooLong) {
		t.Errorf("CheckFits(3) = %v, want ErrTooLong", err)
	}
	// Components summing past MaxInt must not wrap around to "fits".
	huge := Op{sk(MaxLength), ins("a"), sk(MaxLength), ins("b")}
	if err := CheckFits(huge, 10); !errors.Is(err, ErrTooLong) {
		t.Errorf("CheckFits(huge) = %v", err)
	}
	if got, want := op.BaseLen(), 4; got != want {
		t.Errorf("BaseLen = %d, want %d", got, want)
	}
	if got, want := (Op{sk(1), ins("👩🏽‍💻"), del(1)}).TargetLen(5), 8; got != want {
		t.Errorf("TargetLen = %d, want %d", got, want)
	}
}

func TestTransform(t *testing.T) {
	tests := []struct {
		name                string
		op, other           Op
		wantLeft, wantRight Op
	}{
		{"same position inserts tie", Op{ins("a")}, Op{ins("b")}, Op{ins("a")}, Op{sk(1), ins("a")}},
		{"insert after other's insert", Op{sk(2), ins("x")}, Op{ins("ab")}, Op{sk(4), ins("x")}, Op{sk(4), ins("x")}},
		{"insert shifted by delete", Op{sk(2), ins("x")}, Op{del(1)}, Op{sk(1), ins("x")}, Op{sk(1), ins("x")}},
		{"insert inside deleted range survives", Op{sk(2), ins("x")}, Op{sk(1), del(3)}, Op{sk(1), ins("x")}, Op{sk(1), ins("x")}},
		{"overlapping deletes", Op{sk(1), del(2)}, Op{sk(2), del(2)}, Op{sk(1), del(1)}, Op{sk(1), del(1)}},
		{"same delete vanishes", Op{sk(1), delText("b")}, Op{sk(1), del(1)}, nil, nil},
		// ot-text-unicode only lets op's insert win a tie when it is op's
		// very next component; behind op's own delete it loses even on the
		// left.
		{"insert behind own delete loses tie", Op{sk(2), del(1), ins("X")}, Op{sk(2), ins("Y")},
			Op{sk(3), del(1), ins("X")}, Op{sk(3), del(1), ins("X")}},
		{"delete text splits around insert", Op{delText("abcd")}, Op{sk(2), ins("X")},
			Op{delText("ab"), sk(1), delText("cd")}, Op{delText("ab"), sk(1), delText("cd")}},
		{"delete text splits inside emoji", Op{delText("👩🏽‍💻")}, Op{sk(2), ins("X")},
			Op{delText("👩🏽"), sk(1), delText("\u200d💻")}, Op{delText("👩🏽"), sk(1), delText("\u200d💻")}},
		{"emoji insert counts code points", Op{sk(4), ins("?")}, Op{ins("🇧🇷")},
			Op{sk(6), ins("?")}, Op{sk(6), ins("?")}},
		// other replaced the word op's insert follows, so both insert at
		// the same place and the side decides.
		{"arabic", Op{sk(5), ins("!")}, Op{delText("مرحبا"), ins("أهلا")},
			Op{ins("!")}, Op{sk(4), ins("!")}},
		{"empty op", nil, Op{ins("x")}, nil, nil},
		{"empty other", Op{sk(1), del(1)}, nil, Op{sk(1), del(1)}, Op{sk(1), del(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Transform(tt.op, tt.other, Left); !opsEqual(got, tt.wantLeft) {
				t.Errorf("left: got %s, want %s", mustJSON(t, got), mustJSON(t, tt.wantLeft))
			}
			if got := Transform(tt.op, tt.other, Right); !opsEqual(got, tt.wantRight) {
				t.Errorf("right: got %s, want %s", mustJSON(t, got), mustJSON(t, tt.wantRight))
			}
		})
	}
}

func TestTransformInvalidSidePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Transform with Side(7) did not panic")
		}
	}()
	Transform(Op{ins("a")}, nil, Side(7))
}

func TestCompose(t *testing.T) {
	tests := []struct {
		name string
		a, b Op
		want Op
	}{
		{"delete own insert", Op{ins("abc")}, Op{sk(1), del(1)}, Op{ins("ac")}},
		// b's insert goes before a's delete at the same place.
		{"insert before delete", Op{del(1)}, Op{ins("x")}, Op{ins("x"), del(1)}},
		{"typing", Op{sk(2), ins("x")}, Op{sk(3), ins("y")}, Op{sk(2), ins("xy")}},
		{"delete text and count merge to count", Op{delText("ab")}, Op{del(1)}, Op{del(3)}},
		{"delete texts merge", Op{delText("ab")}, Op{delText("c")}, Op{delText("abc")}},
		{"split family emoji", Op{ins("👨‍👩‍👧‍👦")}, Op{sk(2), del(5)}, Op{ins("👨\u200d")}},
		{"chinese", Op{sk(1), ins("你好")}, Op{sk(2), delText("好"), ins("们")}, Op{sk(1), ins("你们")}},
		{"b skips past a", Op{ins("x")}, Op{sk(3), delText("ب")}, Op{ins("x"), sk(2), delText("ب")}},
		{"empty a", nil, Op{sk(1), ins("x"), sk(2)}, Op{sk(1), ins("x")}},
		{"empty b", Op{del(2)}, nil, Op{del(2)}},
		{"cancel out", Op{sk(1), ins("q")}, Op{sk(1), delText("q")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compose(tt.a, tt.b); !opsEqual(got, tt.want) {
				t.Errorf("got %s, want %s", mustJSON(t, got), mustJSON(t, tt.want))
			}
		})
	}
}

// Transforming past b then c is NOT always the same as transforming past
// Compose(b, c) in ot-text-unicode: compose moves c's insert ahead of b's
// delete, which changes which inserts tie. ot-text-unicode does the same (this
// exact case was checked against it), so whoever transforms a stale op must
// go past the newer ops one at a time, as clients do, or the tie-breaks of
// server and clients can differ.
func TestTransformByCompositionDiffers(t *testing.T) {
	a, b, c := Op{sk(1), ins("a")}, Op{delText("a")}, Op{ins("b")}
	if got, want := Compose(b, c), (Op{ins("b"), delText("a")}); !opsEqual(got, want) {
		t.Fatalf("Compose = %v, want %v", got, want)
	}
	stepwise := Transform(Transform(a, b, Left), c, Left)
	once := Transform(a, Compose(b, c), Left)
	if want := (Op{ins("a")}); !opsEqual(stepwise, want) {
		t.Errorf("stepwise = %v, want %v", stepwise, want)
	}
	if want := (Op{sk(1), ins("a")}); !opsEqual(once, want) {
		t.Errorf("via compose = %v, want %v", once, want)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name     string
		op, want Op
	}{
		{"nil", nil, nil},
		{"empty", Op{}, nil},
		{"only no-ops", Op{{}, {Skip: -1}}, nil},
		{"trailing skip", Op{ins("a"), sk(3)}, Op{ins("a")}},
		{"merge", Op{sk(1), sk(2), ins("a"), ins("b"), sk(3)}, Op{sk(3), ins("ab")}},
		{"no-op between same kinds", Op{sk(1), {}, sk(2), ins("x")}, Op{sk(3), ins("x")}},
		{"delete texts merge", Op{delText("a"), delText("😀")}, Op{delText("a😀")}},
		{"mixed deletes lose text", Op{delText("a"), del(2)}, Op{del(3)}},
		{"insert and delete keep order", Op{del(1), ins("x"), del(1)}, Op{del(1), ins("x"), del(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.op)
			if !opsEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if again := Normalize(got); !opsEqual(again, got) {
				t.Errorf("not idempotent: %v then %v", got, again)
			}
		})
	}
	// Normalize must not write into its argument while merging.
	in := Op{ins("a"), ins("b")}
	Normalize(in)
	if in[0].Insert != "a" {
		t.Errorf("Normalize modified its input: %v", in)
	}
}

func TestInvert(t *testing.T) {
	inv, err := Invert(Op{sk(1), ins("x"), delText("y")})
	if want := (Op{sk(1), delText("x"), ins("y")}); err != nil || !opsEqual(inv, want) {
		t.Errorf("Invert = %v, %v; want %v", inv, err, want)
	}
	if _, err := Invert(Op{sk(1), del(2)}); !errors.Is(err, ErrNotInvertible) {
		t.Errorf("Invert of count delete: err = %v, want ErrNotInvertible", err)
	}

	doc := "a👍🏿b مرحبا"
	op := Op{sk(1), del(2), sk(2), del(2), ins("你")}
	inv, err = InvertWithDoc(op, doc)
	if want := (Op{sk(1), ins("👍🏿"), sk(2), ins("مر"), delText("你")}); err != nil || !opsEqual(inv, want) {
		t.Fatalf("InvertWithDoc = %v, %v; want %v", inv, err, want)
	}
	after, _ := Apply(doc, op)
	if back, err := Apply(after, inv); err != nil || back != doc {
		t.Errorf("undo gave %q, %v; want %q", back, err, doc)
	}
	if _, err := InvertWithDoc(Op{sk(1), del(10)}, doc); !errors.Is(err, ErrTooLong) {
		t.Errorf("InvertWithDoc past end: err = %v", err)
	}
	if _, err := InvertWithDoc(Op{delText("x")}, doc); !errors.Is(err, ErrDeleteMismatch) {
		t.Errorf("InvertWithDoc with wrong text: err = %v", err)
	}
	if !IsInvertible(inv) || IsInvertible(op) {
		t.Error("IsInvertible wrong")
	}
	if got, want := StripInvertible(Op{delText("ab"), delText("c")}), (Op{del(3)}); !opsEqual(got, want) {
		t.Errorf("StripInvertible = %v, want %v", got, want)
	}
}

// advance must count exactly as utf8.RuneCountInString does, invalid bytes
// included, or Apply and CheckFits could disagree about where a doc ends.
func TestAdvanceMatchesRuneCount(t *testing.T) {
	pieces := []string{
		"a", "abcdefgh", "é", "م", "中", "😀", "\u200d", "\xff", "\xc0\x80", "\xc2", "\xe0\x80\x80",
		"\xe0\xa0\x80", "\xed\xa0\x80", "\xed\x9f\xbf", "\xe1\x80", "\xf0\x90\x80\x80", "\xf4\x90\x80\x80", "\x80",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		s := ""
		for range r.IntN(12) {
			s += pieces[r.IntN(len(pieces))]
		}
		n := utf8.RuneCountInString(s)
		if end, ok := advance(s, 0, n); !ok || end != len(s) {
			t.Fatalf("advance(%q, 0, %d) = %d, %v; want %d, true", s, n, end, ok, len(s))
		}
		if _, ok := advance(s, 0, n+1); ok {
			t.Fatalf("advance(%q, 0, %d) ran past the end", s, n+1)
		}
		k := r.IntN(n + 1)
		end, _ := advance(s, 0, k)
		if got := utf8.RuneCountInString(s[:end]); got != k {
			t.Fatalf("advance(%q, 0, %d) stopped after %d code points", s, k, got)
		}
	}
}
