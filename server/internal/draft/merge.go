package draft

import (
	"unicode"

	"github.com/draftroom/draftroom/server/ot"
)

// MergeMod turns a delegation's MOD proposal (a full replacement wording of
// the paragraph) into an edit of the current text that puts both wordings
// side by side as alternatives: the words the two texts share at the start
// and at the end stay, and the differing middle becomes
// "[current middle][proposed middle]".
//
// The op only skips and inserts. Applied with the proposer as author, the
// current middle keeps its authors and the proposer is credited with exactly
// what it added: the brackets, the proposed words and, for a pure addition,
// one separator between its bracket and the neighbouring word.
//
// Details:
//   - Words are runs of non-space code points, except that each Han, kana or
//     CJK punctuation code point is a word on its own, since those scripts
//     do not separate words with spaces. Whitespace differences inside the
//     shared start and end are ignored; the current spacing is kept.
//   - The middles start and end on words, so the spaces separating them from
//     the shared text stay outside the brackets.
//   - Identical texts give an empty op; an empty current middle gives
//     "[proposed middle]" (plus a separator), an empty proposed middle gives
//     "[current middle]".
//   - The middles are widened word by word until each has balanced
//     brackets, and until the new pair does not touch an existing one
//     (which would make it an alternative of that group). If the proposed
//     text itself is unbalanced the result is too, and CheckEdit refuses it.
func MergeMod(current, proposed string) ot.Op {
	cr, pr := []rune(current), []rune(proposed)
	cw, pw := words(cr), words(pr)
	pre := 0
	for pre < len(cw) && pre < len(pw) && cw[pre].text == pw[pre].text {
		pre++
	}
	suf := 0
	for suf < min(len(cw), len(pw))-pre && cw[len(cw)-1-suf].text == pw[len(pw)-1-suf].text {
		suf++
	}
	for {
		m := mergeAt(cr, pr, cw, pw, pre, suf)
		if m.op == nil {
			return nil
		}
		left := m.needLeft && pre > 0
		right := m.needRight && suf > 0
		if !left && !right {
			return m.op
		}
		if left {
			pre--
		}
		if right {
			suf--
		}
	}
}

// merge is one candidate MergeMod result, and whether the shared start or
// end must give up a word to make it well formed.
type merge struct {
	op                  ot.Op
	needLeft, needRight bool
}

func mergeAt(cr, pr []rune, cw, pw []word, pre, suf int) merge {
	cmid, cs, ce := middle(cr, cw, pre, suf)
	pmid, _, _ := middle(pr, pw, pre, suf)
	if len(cmid) == 0 && len(pmid) == 0 {
		return merge{}
	}
	var m merge
	for _, mid := range [][]rune{cmid, pmid} {
		closes, opens := unmatched(mid)
		m.needLeft = m.needLeft || closes > 0
		m.needRight = m.needRight || opens > 0
	}
	var b opBuilder
	if len(cmid) == 0 {
		// A pure addition sits before the first shared end word, or after
		// the last shared start word, with the proposer's own separator.
		var at int
		var ins string
		switch {
		case suf > 0:
			at = cw[pre].start
			sep := pr[pw[len(pw)-suf-1].end:pw[len(pw)-suf].start]
			ins = "[" + string(pmid) + "]" + string(sep)
			m.needLeft = m.needLeft || (at > 0 && cr[at-1] == ']')
			m.needRight = m.needRight || (len(sep) == 0 && cr[at] == '[')
		case pre > 0:
			at = cw[pre-1].end
			sep := pr[pw[pre-1].end:pw[pre].start]
			ins = string(sep) + "[" + string(pmid) + "]"
			m.needLeft = m.needLeft || (len(sep) == 0 && cr[at-1] == ']')
			m.needRight = m.needRight || (at < len(cr) && cr[at] == '[')
		default:
			ins = "[" + string(pmid) + "]"
		}
		b.skip(at)
		b.insert(ins)
		m.op = b.done()
		return m
	}
	m.needLeft = m.needLeft || (cs > 0 && cr[cs-1] == ']')
	m.needRight = m.needRight || (ce < len(cr) && cr[ce] == '[')
	b.skip(cs)
	b.insert("[")
	b.skip(ce - cs)
	if len(pmid) == 0 {
		b.insert("]")
	} else {
		b.insert("][" + string(pmid) + "]")
	}
	m.op = b.done()
	return m
}

// MergeSup turns a SUP proposal (delete the paragraph) into brackets around
// the whole text, leading and trailing whitespace left outside. A text with
// nothing but whitespace gives an empty op.
func MergeSup(current string) ot.Op {
	rs := []rune(current)
	lo, hi := 0, len(rs)
	for lo < hi && unicode.IsSpace(rs[lo]) {
		lo++
	}
	for hi > lo && unicode.IsSpace(rs[hi-1]) {
		hi--
	}
	if lo == hi {
		return nil
	}
	var b opBuilder
	b.skip(lo)
	b.insert("[")
	b.skip(hi - lo)
	b.insert("]")
	return b.done()
}

// word is a token of text at code points [start, end).
type word struct {
	start, end int
	text       string
}

func words(rs []rune) []word {
	var out []word
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, word{start, end, string(rs[start:end])})
			start = -1
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsSpace(r):
			flush(i)
		case standalone(r):
			flush(i)
			out = append(out, word{i, i + 1, string(r)})
		case start < 0:
			start = i
		}
	}
	flush(len(rs))
	return out
}

// standalone reports code points that form a word by themselves: scripts
// written without spaces, and their punctuation.
func standalone(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK symbols and punctuation
		(r >= 0xFF00 && r <= 0xFFEF) // half- and full-width forms
}

// middle returns the code points from the first word after the shared start
// to the last word before the shared end, and their offsets.
func middle(rs []rune, ws []word, pre, suf int) ([]rune, int, int) {
	last := len(ws) - suf - 1
	if pre > last {
		return nil, 0, 0
	}
	s, e := ws[pre].start, ws[last].end
	return rs[s:e], s, e
}

// unmatched counts the "]" without a "[" before them and the "[" never
// closed.
func unmatched(rs []rune) (closes, opens int) {
	for _, r := range rs {
		switch r {
		case '[':
			opens++
		case ']':
			if opens > 0 {
				opens--
			} else {
				closes++
			}
		}
	}
	return closes, opens
}

// opBuilder assembles a normalized op: no empty components, neighbours of
// the same kind merged, no trailing skip.
type opBuilder struct{ op ot.Op }

func (b *opBuilder) skip(n int) {
	if n <= 0 {
		return
	}
	if k := len(b.op) - 1; k >= 0 && b.op[k].Skip > 0 {
		b.op[k].Skip += n
		return
	}
	b.op = append(b.op, ot.Component{Skip: n})
}

func (b *opBuilder) insert(s string) {
	if s == "" {
		return
	}
	if k := len(b.op) - 1; k >= 0 && b.op[k].Insert != "" {
		b.op[k].Insert += s
		return
	}
	b.op = append(b.op, ot.Component{Insert: s})
}

func (b *opBuilder) del(n int) {
	if n <= 0 {
		return
	}
	if k := len(b.op) - 1; k >= 0 && b.op[k].Delete > 0 {
		b.op[k].Delete += n
		return
	}
	b.op = append(b.op, ot.Component{Delete: n})
}

func (b *opBuilder) done() ot.Op {
	if k := len(b.op) - 1; k >= 0 && b.op[k].Skip > 0 {
		b.op = b.op[:k]
	}
	return b.op
}
