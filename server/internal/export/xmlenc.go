package export

import (
	"bytes"
	"unicode/utf8"
)

// xmlText writes s escaped for XML character data and attribute values
// (quotes included). Characters XML 1.0 cannot carry at all (most C0
// controls, U+FFFE, U+FFFF) and invalid UTF-8 become U+FFFD rather than
// making the file unreadable: text typed in a room may hold anything.
func xmlText(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"':
			esc = "&quot;"
		case r == '\'':
			esc = "&apos;"
		case r == utf8.RuneError && w == 1, !xmlChar(r):
			esc = "\uFFFD"
		default:
			i += w
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		i += w
		last = i
	}
	b.WriteString(s[last:])
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}

// cleanText replaces the characters XML cannot carry, for writers that
// escape through a library (the XLSX writer).
func cleanText(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !xmlChar(r) {
			var b bytes.Buffer
			for _, r := range s {
				if !xmlChar(r) {
					r = utf8.RuneError
				}
				b.WriteRune(r)
			}
			return b.String()
		}
	}
	return s
}
