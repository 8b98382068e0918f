package ot

import (
	"math/rand/v2"

	"pgregory.net/rapid"
)

// Random documents and ops shared by the property and differential tests.
// The generators deliberately avoid the package's own helpers (they work on
// []rune), so a bug in, say, advance can't hide itself.

// atoms are the pieces documents and inserts are made of. Several are more
// than one code point (skin tone modifiers, ZWJ sequences, flags, combining
// marks), and ops freely cut through them, as ot-text-unicode's do.
var atoms = []string{
	"a", "b", "c", "x", "Z", "0", " ", ",", "\n", "\"", "\\", "<&>",
	"م", "ر", "ح", "ب", "ا", " بالعالم", "مرحبا",
	"中", "文", "字", "漢", "你好",
	"П", "р", "и", "в", "е", "т", "Мир",
	"é", "e\u0301", "\u00a0",
	"👩🏽‍💻", "👨‍👩‍👧‍👦", "🇧🇷", "👍🏿", "❤️", "😀", "𝄞",
}

// source is where the generators get their choices: a seeded PRNG for the
// differential test, rapid for the property tests (so failures shrink).
type source interface {
	intn(n int) int // uniform in [0, n)
}

type prng struct{ r *rand.Rand }

func (p prng) intn(n int) int { return p.r.IntN(n) }

type rapidSource struct{ t *rapid.T }

func (r rapidSource) intn(n int) int { return rapid.IntRange(0, n-1).Draw(r.t, "n") }

// genText returns 1..maxAtoms atoms (0.. when allowEmpty).
func genText(src source, maxAtoms int, allowEmpty bool) string {
	n := src.intn(maxAtoms) + 1
	if allowEmpty {
		n--
	}
	s := ""
	for range n {
		s += atoms[src.intn(len(atoms))]
	}
	return s
}

// genDoc returns a document, mostly short so ops often collide, sometimes
// long.
func genDoc(src source) string {
	if src.intn(8) == 0 {
		return genText(src, 60, true)
	}
	return genText(src, 8, true)
}

// genOp returns a random normalized op that fits doc. Deletes carry their
// text about half the time, or always when invertible.
func genOp(src source, doc string, invertible bool) Op {
	runes := []rune(doc)
	pos := 0
	var op Op
	prev := kindNone
	for len(op) < 12 {
		var choices []kind
		for _, k := range []kind{kindSkip, kindInsert, kindDelete} {
			if k != prev && (k == kindInsert || pos < len(runes)) {
				choices = append(choices, k)
			}
		}
		if len(choices) == 0 {
			break
		}
		k := choices[src.intn(len(choices))]
		rest := len(runes) - pos
		switch k {
		case kindSkip:
			n := rest
			if src.intn(3) > 0 {
				n = 1 + src.intn(min(rest, 6))
			}
			op = append(op, Component{Skip: n})
			pos += n
		case kindInsert:
			op = append(op, Component{Insert: genText(src, 3, false)})
		case kindDelete:
			n := 1 + src.intn(min(rest, 5))
			c := Component{Delete: n}
			if invertible || src.intn(2) == 0 {
				c.DeleteText = string(runes[pos : pos+n])
			}
			op = append(op, c)
			pos += n
		}
		prev = k
		if src.intn(4) == 0 {
			break
		}
	}
	if n := len(op); n > 0 && op[n-1].Skip > 0 {
		op = op[:n-1]
	}
	if len(op) == 0 {
		return nil
	}
	return op
}

// rawComp is a component of an unnormalized op, with the JSON the JS side
// gets for it. No-op components take any of the forms JS's append drops.
type rawComp struct {
	c    Component
	json any
}

func genRaw(src source) []rawComp {
	n := src.intn(8)
	raw := make([]rawComp, 0, n)
	for range n {
		var r rawComp
		switch src.intn(7) {
		case 0:
			r.json = []any{0, "", map[string]any{"d": 0}, map[string]any{"d": ""}}[src.intn(4)]
		case 1, 2:
			r.c.Skip = 1 + src.intn(4)
			r.json = r.c.Skip
		case 3, 4:
			r.c.Insert = genText(src, 2, false)
			r.json = r.c.Insert
		case 5:
			r.c.Delete = 1 + src.intn(4)
			r.json = map[string]any{"d": r.c.Delete}
		case 6:
			r.c.DeleteText = genText(src, 2, false)
			r.c.Delete = len([]rune(r.c.DeleteText))
			r.json = map[string]any{"d": r.c.DeleteText}
		}
		raw = append(raw, r)
	}
	return raw
}

// applyRef is a deliberately naive Apply over []rune, the oracle the
// property tests check the real one against.
func applyRef(doc string, op Op) string {
	in := []rune(doc)
	var out []rune
	for _, c := range op {
		switch {
		case c.Skip > 0:
			out = append(out, in[:c.Skip]...)
			in = in[c.Skip:]
		case c.Insert != "":
			out = append(out, []rune(c.Insert)...)
		case c.Delete > 0:
			in = in[c.Delete:]
		}
	}
	return string(append(out, in...))
}

// opsEqual compares ops treating nil and empty alike.
func opsEqual(a, b Op) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
