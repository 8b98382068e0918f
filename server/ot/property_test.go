package ot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func mustApply(t *rapid.T, doc string, op Op) string {
	t.Helper()
	out, err := Apply(doc, op)
	if err != nil {
		t.Fatalf("Apply(%q, %v): %v", doc, op, err)
	}
	return out
}

func TestPropApplyMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		doc := genDoc(src)
		op := genOp(src, doc, false)
		got := mustApply(t, doc, op)
		if want := applyRef(doc, op); got != want {
			t.Fatalf("Apply = %q, reference %q", got, want)
		}
		base := utf8.RuneCountInString(doc)
		if err := CheckFits(op, base); err != nil {
			t.Fatalf("CheckFits: %v", err)
		}
		if n := utf8.RuneCountInString(got); n != op.TargetLen(base) {
			t.Fatalf("TargetLen = %d, result has %d", op.TargetLen(base), n)
		}
		if op.BaseLen() > base {
			t.Fatalf("BaseLen %d > doc length %d", op.BaseLen(), base)
		}
	})
}

func TestPropTransformConverges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		doc := genDoc(src)
		a := genOp(src, doc, false)
		b := genOp(src, doc, false)
		// Server order: b was applied first, a transformed past it, and the
		// other way round; the doc must end up the same either way.
		for _, side := range []Side{Left, Right} {
			other := Right
			if side == Right {
				other = Left
			}
			aT := Transform(a, b, side)
			bT := Transform(b, a, other)
			viaB := mustApply(t, mustApply(t, doc, b), aT)
			viaA := mustApply(t, mustApply(t, doc, a), bT)
			if viaA != viaB {
				t.Fatalf("side %v: doc %q a %v b %v\n a then b' = %q\n b then a' = %q", side, doc, a, b, viaA, viaB)
			}
			if !isNormalized(aT) && len(aT) > 0 {
				t.Fatalf("Transform result not normalized: %v", aT)
			}
			if IsInvertible(a) && IsInvertible(b) && !IsInvertible(aT) {
				t.Fatalf("Transform of invertible ops lost delete text: %v", aT)
			}
		}
	})
}

func TestPropCompose(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		doc := genDoc(src)
		a := genOp(src, doc, false)
		mid := mustApply(t, doc, a)
		b := genOp(src, mid, false)
		ab := Compose(a, b)
		if got, want := mustApply(t, doc, ab), mustApply(t, mid, b); got != want {
			t.Fatalf("doc %q a %v b %v: Compose = %v gives %q, want %q", doc, a, b, ab, got, want)
		}
		if !isNormalized(ab) && len(ab) > 0 {
			t.Fatalf("Compose result not normalized: %v", ab)
		}
		if IsInvertible(a) && IsInvertible(b) && !IsInvertible(ab) {
			t.Fatalf("Compose of invertible ops lost delete text: %v", ab)
		}
	})
}

func TestPropInvert(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		doc := genDoc(src)
		op := genOp(src, doc, rapid.Bool().Draw(t, "invertible"))
		after := mustApply(t, doc, op)
		inv, err := InvertWithDoc(op, doc)
		if err != nil {
			t.Fatalf("InvertWithDoc: %v", err)
		}
		if back := mustApply(t, after, inv); back != doc {
			t.Fatalf("undo of %v on %q gave %q", op, doc, back)
		}
		full, err := MakeInvertible(op, doc)
		if err != nil || !IsInvertible(full) {
			t.Fatalf("MakeInvertible = %v, %v", full, err)
		}
		inv2, err := Invert(full)
		if err != nil || !opsEqual(inv, inv2) {
			t.Fatalf("Invert(MakeInvertible) = %v, %v; InvertWithDoc = %v", inv2, err, inv)
		}
		again, err := Invert(inv)
		if err != nil || !opsEqual(again, full) {
			t.Fatalf("inverting twice gave %v, %v; want %v", again, err, full)
		}
		if IsInvertible(op) {
			if direct, err := Invert(op); err != nil || !opsEqual(direct, inv) {
				t.Fatalf("Invert = %v, %v; want %v", direct, err, inv)
			}
		}
	})
}

func TestPropJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		op := genOp(src, genDoc(src), false)
		enc, err := op.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", op, err)
		}
		dec, err := Decode(enc)
		if err != nil || !opsEqual(dec, op) {
			t.Fatalf("Decode(%s) = %v, %v; want %v", enc, dec, err, op)
		}
		if err := Validate(op); err != nil {
			t.Fatalf("generated op invalid: %v", err)
		}
	})
}

func TestPropNormalize(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		src := rapidSource{t}
		var raw Op
		for _, r := range genRaw(src) {
			raw = append(raw, r.c)
		}
		norm := Normalize(raw)
		if len(norm) > 0 && !isNormalized(norm) {
			t.Fatalf("Normalize(%v) = %v, not normalized", raw, norm)
		}
		if again := Normalize(norm); !opsEqual(again, norm) {
			t.Fatalf("Normalize not idempotent: %v then %v", norm, again)
		}
		// Same effect on any document long enough for the raw op, with
		// text deletes matching it.
		var doc strings.Builder
		for _, c := range raw {
			switch {
			case c.DeleteText != "":
				doc.WriteString(c.DeleteText)
			case c.Delete > 0:
				doc.WriteString(strings.Repeat("d", c.Delete))
			case c.Skip > 0:
				doc.WriteString(strings.Repeat("s", c.Skip))
			}
		}
		doc.WriteString(genText(src, 3, true))
		if x, y := mustApply(t, doc.String(), raw), mustApply(t, doc.String(), norm); x != y {
			t.Fatalf("raw %v gives %q, normalized %v gives %q", raw, x, norm, y)
		}
	})
}
