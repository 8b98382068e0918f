package compile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paragraph labels: "a)", "(a)", "ii)", "1", "1)", "1.", "1 bis", "a bis)".
// A label is followed by white space or the end of the line; that keeps
// "2012-2015," and "1.5 GHz" out.

// splitLabel splits a leading label off s. ok is false when s does not
// start with one; rest is then s.
func splitLabel(s string) (label, rest string, ok bool) {
	n := labelLen(s)
	if n == 0 {
		return "", s, false
	}
	return s[:n], strings.TrimLeftFunc(s[n:], unicode.IsSpace), true
}

// isLabelOnly reports whether s is nothing but a label.
func isLabelOnly(s string) bool {
	n := labelLen(s)
	return n > 0 && n == len(s)
}

// labelLen returns the length in bytes of the label s starts with, or 0.
// Labels are written in the script of the text: "a)", "(a)", "ii)", "1",
// "1)", "1.", "а)" (Cyrillic), "أ)" and "هـ)" (Arabic), "١" (Arabic-Indic
// digits), "a）" (full-width parenthesis).
func labelLen(s string) int {
	i := 0
	paren := false
	if r, w := utf8.DecodeRuneInString(s); r == '(' || r == '（' {
		paren, i = true, w
	}
	if i >= len(s) {
		return 0
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	switch {
	case digitValue(r) >= 0:
		j, n := i, 0
		for j < len(s) {
			d, dw := utf8.DecodeRuneInString(s[j:])
			if digitValue(d) < 0 {
				break
			}
			j += dw
			n++
		}
		if n > 3 {
			return 0
		}
		j = skipBis(s, j)
		c, cw := utf8.DecodeRuneInString(s[j:])
		switch {
		case paren:
			if !isCloseParen(c) {
				return 0
			}
			j += cw
		case j < len(s) && (isCloseParen(c) || c == '.'):
			j += cw
		}
		return endOfLabel(s, j)
	case 'a' <= r && r <= 'z':
		j := i
		for j < len(s) && 'a' <= s[j] && s[j] <= 'z' {
			j++
		}
		run := s[i:j]
		switch {
		case validLetters(run):
			j = skipBis(s, j)
		case len(run) > 3 && strings.HasSuffix(run, "bis") && validLetters(run[:len(run)-3]):
			// "abis)"
		default:
			return 0
		}
		return closeLabel(s, j)
	case letterValue(r) > 0:
		// One Cyrillic or Arabic letter; an Arabic هـ may carry a tatweel.
		j := i + w
		if t, tw := utf8.DecodeRuneInString(s[j:]); t == '\u0640' {
			j += tw
		}
		return closeLabel(s, skipBis(s, j))
	}
	return 0
}

// closeLabel accepts a letter label ending at j with a closing parenthesis.
func closeLabel(s string, j int) int {
	c, cw := utf8.DecodeRuneInString(s[j:])
	if j >= len(s) || !isCloseParen(c) {
		return 0
	}
	return endOfLabel(s, j+cw)
}

func isCloseParen(r rune) bool { return r == ')' || r == '）' }

// digitValue returns the value of an ASCII, Arabic-Indic or Eastern
// Arabic-Indic digit, or -1.
func digitValue(r rune) int {
	switch {
	case '0' <= r && r <= '9':
		return int(r - '0')
	case 0x0660 <= r && r <= 0x0669:
		return int(r - 0x0660)
	case 0x06F0 <= r && r <= 0x06F9:
		return int(r - 0x06F0)
	}
	return -1
}

// Letters of list labels in Cyrillic and Arabic, in order: а) б) в) …
// and the abjad order أ) ب) ج) د) هـ) و) ….
var (
	cyrillicOrder = []rune("абвгдежзиклмнопрстуфхцчшщэюя")
	arabicOrder   = []rune("ابجدهوزحطيكلمنسعفصقرشتثخذضظغ")
)

// letterValue returns the place of a Cyrillic or Arabic label letter in
// its list (1 for а or أ), or 0.
func letterValue(r rune) int {
	switch r {
	case 'أ', 'إ', 'آ':
		r = 'ا'
	case 'ё':
		return 0
	}
	for i, c := range cyrillicOrder {
		if c == r {
			return i + 1
		}
	}
	for i, c := range arabicOrder {
		if c == r {
			return i + 1
		}
	}
	return 0
}

// skipBis steps over "bis" or " bis" after a label's number or letter,
// but not over the start of a word ("1 bistable").
func skipBis(s string, j int) int {
	for _, b := range []string{" bis", "bis"} {
		if strings.HasPrefix(s[j:], b) {
			k := j + len(b)
			if r, _ := utf8.DecodeRuneInString(s[k:]); k == len(s) || !unicode.IsLetter(r) {
				return k
			}
		}
	}
	return j
}

// endOfLabel accepts a label ending at j only if white space or the end of
// the string follows.
func endOfLabel(s string, j int) int {
	if j == len(s) {
		return j
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	if unicode.IsSpace(r) {
		return j
	}
	return 0
}

// validLetters accepts one letter or a Roman numeral up to xxxix.
func validLetters(s string) bool {
	return len(s) == 1 || roman(s) > 0
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// roman returns the value of a lower-case Roman numeral from 1 to 39, or 0.
func roman(s string) int {
	if s == "" || len(s) > 6 {
		return 0
	}
	vals := map[byte]int{'i': 1, 'v': 5, 'x': 10}
	total, prev := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		v, ok := vals[s[i]]
		if !ok {
			return 0
		}
		if v < prev {
			total -= v
		} else {
			total += v
		}
		prev = v
	}
	if total < 1 || total > 39 || toRoman(total) != s {
		return 0 // "iiii", "vx" and the like
	}
	return total
}

func toRoman(n int) string {
	var b strings.Builder
	for ; n >= 10; n -= 10 {
		b.WriteByte('x')
	}
	parts := []string{"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"}
	b.WriteString(parts[n])
	return b.String()
}

// labelKey is the form under which labels are compared: "(a)", "a)" and
// "a." are the same label, and so are "١" and "1", "أ)" and "ا)".
func labelKey(label string) string {
	k := strings.ToLower(strings.Trim(label, "().（）ـ "))
	return strings.Map(func(r rune) rune {
		if d := digitValue(r); d >= 0 {
			return '0' + rune(d)
		}
		switch r {
		case 'أ', 'إ', 'آ':
			return 'ا'
		case '\u0640':
			return -1
		}
		return r
	}, k)
}

// A seqStep is one reading of a label in a numbering scheme: letters
// (a, b, …), Roman numerals (i, ii, …) or numbers.
type seqStep struct {
	style byte // 'a', 'i' or '1'
	n     int
}

// steps returns the readings of a label: "i)" is both the ninth letter and
// the Roman one, "b)" only a letter. Labels with "bis" have none: they sit
// between two numbered paragraphs and never advance the numbering.
func steps(label string) []seqStep {
	k := labelKey(label)
	if k == "" || strings.Contains(k, "bis") {
		return nil
	}
	if isDigit(k[0]) {
		n := 0
		for i := 0; i < len(k) && isDigit(k[i]); i++ {
			n = n*10 + int(k[i]-'0')
		}
		return []seqStep{{'1', n}}
	}
	var out []seqStep
	if len(k) == 1 {
		out = append(out, seqStep{'a', int(k[0]-'a') + 1})
	}
	if r := roman(k); r > 0 {
		out = append(out, seqStep{'i', r})
	}
	if r, w := utf8.DecodeRuneInString(k); w == len(k) {
		if v := letterValue(r); v > 0 {
			out = append(out, seqStep{'a', v})
		}
	}
	return out
}

// labelSeq follows the numbering of the original paragraphs of a section,
// so that a label that breaks it ("d)" after "e)") can be recognised as a
// proposer's text rather than the original's.
type labelSeq struct {
	levels []seqStep // outermost first
}

// accept reports whether label continues the numbering, and records it if
// so. preferRoman resolves "i)" when the next label is "ii)". afterColon
// says the previous paragraph ended with a colon, which is what opens a
// nested list ("to keep under review:" before "i)").
func (q *labelSeq) accept(label string, preferRoman, afterColon bool) bool {
	if strings.Contains(labelKey(label), "bis") {
		return true
	}
	cands := steps(label)
	if len(cands) == 0 {
		return false
	}
	if len(cands) == 2 && preferRoman {
		cands[0], cands[1] = cands[1], cands[0]
	}
	if len(q.levels) == 0 {
		// A section's numbering may start in an earlier row than the first
		// one seen, so any label can open it.
		q.levels = append(q.levels, cands[0])
		return true
	}
	for _, c := range cands {
		if q.advance(c) || (afterColon && q.open(c)) {
			return true
		}
	}
	return false
}

// advance moves the innermost level of c's style to c if c is the next
// value there, closing the levels nested inside it.
func (q *labelSeq) advance(c seqStep) bool {
	for d := len(q.levels) - 1; d >= 0; d-- {
		if l := q.levels[d]; l.style == c.style {
			if c.n != l.n+1 {
				return false
			}
			q.levels = append(q.levels[:d], c)
			return true
		}
	}
	return false
}

// open starts a nested list with c.
func (q *labelSeq) open(c seqStep) bool {
	if c.n != 1 || q.hasStyle(c.style) {
		return false
	}
	q.levels = append(q.levels, c)
	return true
}

func (q *labelSeq) hasStyle(style byte) bool {
	for _, l := range q.levels {
		if l.style == style {
			return true
		}
	}
	return false
}

// romanNext reports whether next is the Roman numeral after label, which
// tells "i)" opening a Roman list from the letter after "h)".
func romanNext(label, next string) bool {
	a, b := roman(labelKey(label)), roman(labelKey(next))
	return a > 0 && b == a+1
}
