package ot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// advance returns the byte offset n code points after byte offset i in s,
// or false if s has fewer than n code points left. Invalid UTF-8 bytes count
// as one code point each, as utf8.RuneCountInString counts them, so lengths
// stay consistent even for a document that somehow holds them.
func advance(s string, i, n int) (int, bool) {
	// A code point is at least one byte, so this also bounds the loop for
	// absurd counts.
	if n > len(s)-i {
		return i, false
	}
	for n > 0 {
		if i >= len(s) {
			return i, false
		}
		// Inline the common cases rather than calling DecodeRuneInString for
		// every character: this halves the cost on Arabic, Cyrillic and CJK
		// text. Each fast case accepts exactly the sequences utf8 calls
		// valid; everything else (emoji, invalid bytes) takes the slow path.
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
			n--
			// Skip ASCII eight bytes at a time; it dominates most documents.
			for n >= 8 && i+8 <= len(s) {
				w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
					uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
				if w&0x8080808080808080 != 0 {
					break
				}
				i += 8
				n -= 8
			}
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			i += 2
		case c >= 0xe1 && c <= 0xef && c != 0xed && i+2 < len(s) &&
			s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			i += 3
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		n--
	}
	return i, true
}

// Apply applies op to doc. Unlike ot-text-unicode, which silently ignores a
// delete running past the end and never checks deleted text, it returns an
// error wrapping ErrTooLong or ErrDeleteMismatch: on a server either means
// the client and server disagree about the document.
//
// doc should be valid UTF-8, as every document built from decoded ops is;
// Apply does not rescan it to check. Invalid bytes count as one code point
// each, but positions among them are not stable under editing (deleting
// the text between two stray bytes can fuse them into one character).
func Apply(doc string, op Op) (string, error) {
	if len(op) == 0 {
		return doc, nil
	}
	size := len(doc)
	for _, c := range op {
		size += len(c.Insert)
	}
	var b strings.Builder
	b.Grow(size)
	pos := 0 // byte offset into doc
	for i, c := range op {
		switch c.kind() {
		case kindSkip:
			end, ok := advance(doc, pos, c.Skip)
			if !ok {
				return "", tooLong(doc, pos, i, c.Skip)
			}
			b.WriteString(doc[pos:end])
			pos = end
		case kindInsert:
			b.WriteString(c.Insert)
		case kindDelete:
			end, ok := advance(doc, pos, c.Delete)
			if !ok {
				return "", tooLong(doc, pos, i, c.Delete)
			}
			if c.DeleteText != "" && doc[pos:end] != c.DeleteText {
				return "", fmt.Errorf("%w: component %d deletes %q but the document has %q",
					ErrDeleteMismatch, i, c.DeleteText, doc[pos:end])
			}
			pos = end
		}
	}
	b.WriteString(doc[pos:])
	return b.String(), nil
}

func tooLong(doc string, pos, i, n int) error {
	return fmt.Errorf("%w: component %d needs %d code points, %d remain",
		ErrTooLong, i, n, utf8.RuneCountInString(doc[pos:]))
}

// MakeInvertible returns op with every delete carrying the text it removes
// from doc, the document op applies to (ot-text-unicode's makeInvertible).
// Deletes that already carry text must match doc.
func MakeInvertible(op Op, doc string) (Op, error) {
	out := make(Op, 0, len(op))
	pos := 0
	for i, c := range op {
		switch c.kind() {
		case kindSkip, kindDelete:
			n := c.length()
			end, ok := advance(doc, pos, n)
			if !ok {
				return nil, tooLong(doc, pos, i, n)
			}
			if c.kind() == kindDelete {
				text := doc[pos:end]
				if c.DeleteText != "" && c.DeleteText != text {
					return nil, fmt.Errorf("%w: component %d deletes %q but the document has %q",
						ErrDeleteMismatch, i, c.DeleteText, text)
				}
				c = Component{Delete: n, DeleteText: text}
			}
			pos = end
		}
		out = appendComp(out, c)
	}
	return trim(out), nil
}

// Invert returns the op that undoes op: inserts become deletes and deletes
// inserts. Every delete must carry its text; otherwise it returns an error
// wrapping ErrNotInvertible (use InvertWithDoc).
func Invert(op Op) (Op, error) {
	out := make(Op, 0, len(op))
	for i, c := range op {
		switch c.kind() {
		case kindInsert:
			c = Component{Delete: utf8.RuneCountInString(c.Insert), DeleteText: c.Insert}
		case kindDelete:
			if c.DeleteText == "" {
				return nil, fmt.Errorf("%w (component %d)", ErrNotInvertible, i)
			}
			c = Component{Insert: c.DeleteText}
		}
		out = appendComp(out, c)
	}
	return trim(out), nil
}

// InvertWithDoc inverts op, taking deleted text it lacks from doc, the
// document op applies to.
func InvertWithDoc(op Op, doc string) (Op, error) {
	inv, err := MakeInvertible(op, doc)
	if err != nil {
		return nil, err
	}
	return Invert(inv)
}

// IsInvertible reports whether every delete in op carries its text.
func IsInvertible(op Op) bool {
	for _, c := range op {
		if c.kind() == kindDelete && c.DeleteText == "" {
			return false
		}
	}
	return true
}

// StripInvertible returns op with the text dropped from its deletes, the
// compact form for clients that don't need to undo.
func StripInvertible(op Op) Op {
	out := make(Op, 0, len(op))
	for _, c := range op {
		if c.kind() == kindDelete {
			c = Component{Delete: c.Delete}
		}
		out = appendComp(out, c)
	}
	return trim(out)
}
