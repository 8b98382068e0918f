package ot

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The op grammar needs only JSON strings and numbers, so they are scanned
// by hand: encoding/json would cost an allocation per component, give no
// control over integers written as 1e2, and replace invalid UTF-8 with
// U+FFFD where a strict decoder must refuse it.

// count decodes a JSON number that must be a skip or delete length. It
// works on the digits as text, so no value, however long, can overflow.
func (d *decoder) count(what string) (int, error) {
	s := d.s
	neg := false
	if d.peek() == '-' {
		neg = true
		d.pos++
	}
	intStart := d.pos
	switch {
	case d.pos < len(s) && s[d.pos] == '0':
		d.pos++
		if d.pos < len(s) && isDigit(s[d.pos]) {
			return 0, d.fail("number with a leading zero")
		}
	case d.pos < len(s) && isDigit(s[d.pos]):
		d.digits()
	default:
		return 0, d.fail("invalid number at offset " + strconv.Itoa(d.pos))
	}
	intPart, frac := s[intStart:d.pos], ""
	if d.peek() == '.' {
		d.pos++
		fracStart := d.pos
		if d.digits() == 0 {
			return 0, d.fail("invalid number at offset " + strconv.Itoa(d.pos))
		}
		frac = s[fracStart:d.pos]
	}
	exp := 0
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		expNeg := false
		switch d.peek() {
		case '-':
			expNeg = true
			d.pos++
		case '+':
			d.pos++
		}
		expStart := d.pos
		if d.digits() == 0 {
			return 0, d.fail("invalid number at offset " + strconv.Itoa(d.pos))
		}
		for _, c := range []byte(s[expStart:d.pos]) {
			// Saturate: past 1e9 the answer (too large, or not an integer)
			// no longer changes.
			if exp < 1e9 {
				exp = exp*10 + int(c-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}

	// The value is the significant digits of intPart+frac times 10^scale.
	n := len(intPart) + len(frac)
	digit := func(i int) byte {
		if i < len(intPart) {
			return intPart[i]
		}
		return frac[i-len(intPart)]
	}
	first, last := 0, n
	for first < n && digit(first) == '0' {
		first++
	}
	if first == n {
		return 0, d.fail("zero-length " + what)
	}
	if neg {
		return 0, d.fail("negative " + what)
	}
	for digit(last-1) == '0' {
		last--
	}
	scale := exp - len(frac) + (n - last)
	if scale < 0 {
		return 0, d.fail("non-integer " + what)
	}
	// MaxLength has 16 digits.
	if last-first+scale > 16 {
		return 0, d.fail(what + " too large")
	}
	var v uint64
	for i := first; i < last; i++ {
		v = v*10 + uint64(digit(i)-'0')
	}
	for ; scale > 0; scale-- {
		v *= 10
	}
	if v > MaxLength {
		return 0, d.fail(what + " too large")
	}
	return int(v), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits consumes a run of digits and returns how many there were.
func (d *decoder) digits() int {
	start := d.pos
	for d.pos < len(d.s) && isDigit(d.s[d.pos]) {
		d.pos++
	}
	return d.pos - start
}

// str decodes the JSON string at d.pos. A string without escapes (nearly
// every string) is returned as a substring of the input, without copying.
func (d *decoder) str() (string, error) {
	s := d.s
	start := d.pos + 1
	i := start
	for i < len(s) {
		c := s[i]
		if c == '"' {
			v := s[start:i]
			if !utf8.ValidString(v) {
				return "", d.fail("invalid UTF-8 in string")
			}
			d.pos = i + 1
			return v, nil
		}
		if c == '\\' {
			return d.strEscaped(start, i)
		}
		if c < 0x20 {
			return "", d.fail("control character in string")
		}
		i++
	}
	d.pos = len(s)
	return "", d.fail("unterminated string")
}

// strEscaped finishes decoding a string that has escapes, starting with
// the one at esc.
func (d *decoder) strEscaped(start, esc int) (string, error) {
	s := d.s
	buf := make([]byte, 0, len(s)-start)
	buf = append(buf, s[start:esc]...)
	i := esc
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", d.fail("invalid UTF-8 in string")
			}
			d.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			return "", d.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			break
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				return "", d.fail("invalid \\u escape in string")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// Only a high surrogate followed by a low one is a
				// character; a lone half has no code point to count.
				r2, ok := rune(0), false
				if r < 0xdc00 && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4(s, i+2)
				}
				r = utf16.DecodeRune(r, r2)
				if !ok || r == utf8.RuneError {
					return "", d.fail("lone surrogate escape in string")
				}
				i += 6
			}
			if r == 0 {
				// No text store takes it (PostgreSQL refuses U+0000 in text
				// and jsonb), so no document can hold it.
				return "", d.fail("U+0000 in string")
			}
			buf = utf8.AppendRune(buf, r)
			continue
		default:
			return "", d.fail("invalid escape in string")
		}
		i += 2
	}
	d.pos = len(s)
	return "", d.fail("unterminated string")
}

// hex4 parses the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
