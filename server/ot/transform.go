package ot

import (
	"fmt"
	"unicode/utf8"
)

// taker walks an op handing out pieces of its components, like
// ot-text-unicode's makeTake. Both Transform and Compose are written as a
// walk over the second op that takes matching lengths from the first; the
// piece sizes decide how components split, and matching them exactly is
// what makes the outputs identical to the JS ones.
type taker struct {
	op  Op
	idx int // next component
	// off is how far into op[idx] we are: code points for skips and
	// deletes, bytes for inserts (the JS uses UTF-16 units there; either way
	// it is only ever a code point boundary).
	off int
	// boff is the byte offset into op[idx].DeleteText matching off, so
	// splitting a long delete text stays linear.
	boff int
}

// next skips no-op components (which a well-formed op doesn't have) and
// returns the kind of the current component, or kindNone at the end.
func (t *taker) next() kind {
	for t.idx < len(t.op) {
		if k := t.op[t.idx].kind(); k != kindNone {
			return k
		}
		t.idx++
	}
	return kindNone
}

func (t *taker) advanceComp() {
	t.idx++
	t.off, t.boff = 0, 0
}

// take returns up to n code points of the current component, or all of it
// if n < 0. Components of kind whole (inserts for transform, deletes for
// compose) are returned entire whatever n is. Past the end of the op it
// returns a skip of n: an op implicitly keeps the rest of the document.
func (t *taker) take(n int, whole kind) Component {
	k := t.next()
	if k == kindNone {
		return Component{Skip: n}
	}
	if n < 0 {
		whole = k
	}
	c := &t.op[t.idx]
	switch k {
	case kindSkip:
		if rest := c.Skip - t.off; whole == kindSkip || rest <= n {
			t.advanceComp()
			return Component{Skip: rest}
		}
		t.off += n
		return Component{Skip: n}
	case kindInsert:
		s := c.Insert[t.off:]
		if whole != kindInsert {
			if end, ok := advance(s, 0, n); ok && end < len(s) {
				t.off += end
				return Component{Insert: s[:end]}
			}
		}
		t.advanceComp()
		return Component{Insert: s}
	default: // kindDelete
		rest := c.Delete - t.off
		if whole == kindDelete || rest <= n {
			text := ""
			if c.DeleteText != "" {
				text = c.DeleteText[min(t.boff, len(c.DeleteText)):]
			}
			t.advanceComp()
			return Component{Delete: rest, DeleteText: text}
		}
		text := ""
		if c.DeleteText != "" {
			end, _ := advance(c.DeleteText, t.boff, min(n, len(c.DeleteText)-t.boff))
			text = c.DeleteText[t.boff:end]
			t.boff = end
		}
		t.off += n
		return Component{Delete: n, DeleteText: text}
	}
}

// takeRest returns the remainder of the current component, or false at the
// end of the op.
func (t *taker) takeRest() (Component, bool) {
	if t.next() == kindNone {
		return Component{}, false
	}
	return t.take(-1, kindNone), true
}

// pass copies what lies under n code points of the second op's skip: the
// first op's components there, taken whole when they are of kind whole
// (which the skip does not consume, as they have no length in its
// document).
func (t *taker) pass(out Op, n int, whole kind) Op {
	for n > 0 {
		c := t.take(n, whole)
		out = appendComp(out, c)
		if c.kind() != whole {
			n -= c.length()
		}
	}
	return out
}

// appendRest appends what is left of the first op, past the end of the
// second.
func (t *taker) appendRest(out Op) Op {
	for {
		c, ok := t.takeRest()
		if !ok {
			return out
		}
		out = appendComp(out, c)
	}
}

// Transform returns op rewritten to apply after other, where both op and
// other apply to the same document, so that
//
//	Apply(Apply(doc, other), Transform(op, other, side)) ==
//	Apply(Apply(doc, op), Transform(other, op, opposite side))
//
// side breaks ties between inserts at the same position: Left puts op's
// insert first. It is ot-text-unicode's transform, component for component.
// It panics on a side other than Left or Right, as the JS throws.
func Transform(op, other Op, side Side) Op {
	if side != Left && side != Right {
		panic(fmt.Sprintf("ot: invalid transform side %v", side))
	}
	if len(op) == 0 {
		return nil
	}
	out := make(Op, 0, len(op)+len(other))
	t := taker{op: op}
	for _, c2 := range other {
		switch c2.kind() {
		case kindSkip:
			out = t.pass(out, c2.Skip, kindInsert)
		case kindInsert:
			// Only op's insert at this exact position can go first; the JS
			// peeks just the current component, so an insert that op places
			// after a delete here does not win the tie.
			if side == Left && t.next() == kindInsert {
				c1, _ := t.takeRest()
				out = appendComp(out, c1)
			}
			out = appendComp(out, Component{Skip: utf8.RuneCountInString(c2.Insert)})
		case kindDelete:
			for n := c2.Delete; n > 0; {
				c1 := t.take(n, kindInsert)
				switch c1.kind() {
				case kindInsert:
					// Text op inserted inside the deleted range survives.
					out = appendComp(out, c1)
				default:
					// op's skip is gone and op's delete already happened.
					n -= c1.length()
				}
			}
		}
	}
	return trim(t.appendRest(out))
}

// Compose returns a single op equivalent to applying a then b:
// Apply(Apply(doc, a), b) == Apply(doc, Compose(a, b)). It is
// ot-text-unicode's compose, so b's inserts are placed before a's deletes
// at the same position, and the result keeps delete text only where a and b
// both had it.
func Compose(a, b Op) Op {
	// Either side empty leaves the other as it is (the general walk would
	// produce the same, only slower).
	if len(b) == 0 {
		return Normalize(a)
	}
	if len(a) == 0 {
		return Normalize(b)
	}
	out := make(Op, 0, len(a)+len(b))
	t := taker{op: a}
	for _, c2 := range b {
		switch c2.kind() {
		case kindSkip:
			out = t.pass(out, c2.Skip, kindDelete)
		case kindInsert:
			out = appendComp(out, c2)
		case kindDelete:
			off, boff := 0, 0 // into c2, in code points and text bytes
			for off < c2.Delete {
				c1 := t.take(c2.Delete-off, kindDelete)
				switch c1.kind() {
				case kindSkip:
					// b deletes text a kept: a delete in the result.
					d := Component{Delete: c1.Skip}
					if c2.DeleteText != "" {
						end, _ := advance(c2.DeleteText, boff, min(c1.Skip, len(c2.DeleteText)-boff))
						d.DeleteText = c2.DeleteText[boff:end]
						boff = end
					}
					out = appendComp(out, d)
					off += c1.Skip
				case kindInsert:
					// b deletes text a inserted: both vanish.
					n := utf8.RuneCountInString(c1.Insert)
					if c2.DeleteText != "" {
						boff, _ = advance(c2.DeleteText, boff, min(n, len(c2.DeleteText)-boff))
					}
					off += n
				case kindDelete:
					out = appendComp(out, c1)
				}
			}
		}
	}
	return trim(t.appendRest(out))
}
