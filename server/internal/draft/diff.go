package draft

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Segment is one stretch of a diff.
type Segment struct {
	Op      string   `json:"op"` // "equal", "insert" or "delete"
	Text    string   `json:"text"`
	Authors []string `json:"authors,omitempty"` // who wrote the inserted or deleted text
	// DeletedBy is who deleted the deleted text, and At when the change
	// was made (RFC 3339), when the op log says (see document.Blame).
	DeletedBy []string `json:"deleted_by,omitempty"`
	At        string   `json:"at,omitempty"`
}

// token is one unit the diffs compare: a word, a run of white space, or a
// single other character (punctuation, a bracket, a symbol or emoji, a Han
// or kana character), never splitting a character from the marks,
// modifiers and joined characters that make one visible character with it.
type token struct {
	text       string
	start, end int // code points
	b0, b1     int // bytes
	space      bool
}

// tokenize splits s into tokens covering it exactly.
func tokenize(s string) []token {
	out := make([]token, 0, len(s)/4+1)
	pos, i := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		j, n := i+size, 1
		switch class := classOf(r); class {
		case 's', 'w':
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				c2 := classOf(r2)
				if c2 != class && (class != 'w' || !extends(r2)) {
					break
				}
				j += size2
				n++
			}
			if class == 'w' {
				j, n = extendCluster(s, j, n, r)
			}
		default:
			j, n = extendCluster(s, j, n, r)
		}
		out = append(out, token{text: s[i:j], start: pos, end: pos + n, b0: i, b1: j, space: isSpace(r)})
		pos += n
		i = j
	}
	return out
}

// classOf is 's' for white space, 'w' for what words are made of, 'c' for
// characters of scripts written without spaces (each a token), and 'p' for
// anything else (each a token).
func classOf(r rune) byte {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case r == ' ' || (r >= '\t' && r <= '\r'):
			return 's'
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return 'w'
		}
		return 'p'
	case unicode.IsSpace(r):
		return 's'
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
		return 'c'
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == zwj || r == zwnj:
		return 'w'
	}
	return 'p'
}

const (
	zwj  = '\u200d'
	zwnj = '\u200c'
)

// extends reports code points that belong to the character before them:
// combining marks, variation selectors, emoji skin-tone modifiers and tag
// characters.
func extends(r rune) bool {
	switch {
	case r < 0x300:
		return false
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return true
	case r >= 0xE0020 && r <= 0xE007F: // tags (subdivision flags)
		return true
	}
	return unicode.IsMark(r)
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

// extendCluster grows a token ending at byte j (n code points, first code
// point first) over the code points that join its last character:
// extenders, a zero-width joiner and the character it joins, and the second
// half of a regional-indicator flag.
func extendCluster(s string, j, n int, first rune) (int, int) {
	flag := n == 1 && isRegionalIndicator(first)
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case extends(r):
		case flag && isRegionalIndicator(r):
			flag = false
		case r == zwj:
			flag = false
			if j+size < len(s) {
				_, next := utf8.DecodeRuneInString(s[j+size:])
				j += next
				n++
			}
		default:
			return j, n
		}
		j += size
		n++
	}
	return j, n
}

// DiffWords compares two texts word by word (tokens as in tokenize, white
// space included) with a Myers diff; see myers.go for its bound on
// pathological inputs. Inserted text carries the authors of the new text,
// deleted text those of the old. Within a change, the deletion comes
// before the insertion. Time and memory are linear in the output and
// O((N+M)·D) in the number of tokens N, M and the differences D.
func DiffWords(oldText string, oldRuns Authorship, newText string, newRuns Authorship) []Segment {
	a, b := tokenize(oldText), tokenize(newText)
	del, ins := diffTokens(a, b)

	var out []Segment
	oldAuthors := authorCursor{runs: oldRuns}
	newAuthors := authorCursor{runs: newRuns}
	// Token i of a and j of b; each segment's text is a slice of its
	// input, since consecutive tokens are contiguous there.
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && del[i]:
			k := runEnd(del, i)
			out = append(out, changed("delete", oldText, a[i:k], &oldAuthors))
			i = k
		case j < len(b) && ins[j]:
			k := runEnd(ins, j)
			out = append(out, changed("insert", newText, b[j:k], &newAuthors))
			j = k
		default:
			k := j
			for k < len(b) && !ins[k] && i+(k-j) < len(a) && !del[i+(k-j)] {
				k++
			}
			out = append(out, Segment{Op: "equal", Text: tokenText(newText, b[j:k])})
			i += k - j
			j = k
		}
	}
	return out
}

// changed is the segment of the deleted or inserted tokens ts of s, with
// the authors of their text.
func changed(op, s string, ts []token, authors *authorCursor) Segment {
	return Segment{Op: op, Text: tokenText(s, ts), Authors: authors.between(ts[0].start, ts[len(ts)-1].end)}
}

// tokenText returns the text that the consecutive tokens ts of s cover.
func tokenText(s string, ts []token) string { return s[ts[0].b0:ts[len(ts)-1].b1] }

// authorCursor answers "who wrote [from, to)" for spans that move forward,
// walking the runs once over a whole diff.
type authorCursor struct {
	runs  Authorship
	k     int // first run that may overlap the next span
	start int // offset of runs[k]
}

// between returns the distinct authors of [from, to), sorted; from must not
// be less than the previous call's.
func (c *authorCursor) between(from, to int) []string {
	for c.k < len(c.runs) && c.start+c.runs[c.k].Len <= from {
		c.start += c.runs[c.k].Len
		c.k++
	}
	var out []string
	for k, s := c.k, c.start; k < len(c.runs) && s < to; k++ {
		if c.runs[k].Len > 0 {
			out = append(out, c.runs[k].Author)
		}
		s += c.runs[k].Len
	}
	slices.Sort(out)
	return slices.Compact(out)
}
