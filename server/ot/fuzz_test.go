package ot

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// The seed corpora are in testdata/fuzz/<FuzzName>: the shapes real clients
// send (Arabic, CJK, Cyrillic, ZWJ emoji) plus the edges Decode is strict
// about, and invalid UTF-8 documents for Apply.

func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := Decode(data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error %v (%T) is not a *DecodeError", err, err)
			}
			return
		}
		if err := Validate(op); err != nil {
			t.Fatalf("Decode accepted %q as %v, which Validate rejects: %v", data, op, err)
		}
		enc, err := op.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v) from %q: %v", op, data, err)
		}
		again, err := Decode(enc)
		if err != nil || !opsEqual(again, op) {
			t.Fatalf("%q decoded to %v, re-encoded as %s, decoded again to %v, %v", data, op, enc, again, err)
		}
		if enc2, _ := again.MarshalJSON(); string(enc2) != string(enc) {
			t.Fatalf("encoding not stable: %s then %s", enc, enc2)
		}
	})
}

func FuzzApply(f *testing.F) {
	f.Fuzz(func(t *testing.T, opJSON []byte, doc string) {
		op, err := Decode(opJSON)
		if err != nil {
			return
		}
		out, err := Apply(doc, op)
		fitErr := CheckFits(op, utf8.RuneCountInString(doc))
		if err != nil {
			if !errors.Is(err, ErrTooLong) && !errors.Is(err, ErrDeleteMismatch) {
				t.Fatalf("Apply(%q, %v): unexpected error %v", doc, op, err)
			}
			if errors.Is(err, ErrTooLong) != (fitErr != nil) {
				t.Fatalf("Apply says %v but CheckFits says %v", err, fitErr)
			}
			return
		}
		if fitErr != nil {
			t.Fatalf("Apply succeeded but CheckFits says %v", fitErr)
		}
		if !utf8.ValidString(doc) {
			// Positions in invalid UTF-8 aren't stable: deleting "0000" from
			// "\xe60000\x9f\x85" fuses the stray bytes into 柅, so an undo
			// lands elsewhere (the fuzzer's first find). Not panicking and
			// counting like CheckFits is all that is promised there.
			return
		}
		if want := applyRef(doc, op); out != want {
			t.Fatalf("Apply(%q, %v) = %q, reference %q", doc, op, out, want)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Apply(%q, %v) = %q, invalid UTF-8", doc, op, out)
		}
		inv, err := InvertWithDoc(op, doc)
		if err != nil {
			t.Fatalf("InvertWithDoc(%v, %q): %v", op, doc, err)
		}
		if back, err := Apply(out, inv); err != nil || back != doc {
			t.Fatalf("undo of %v on %q gave %q, %v", op, doc, back, err)
		}
	})
}
