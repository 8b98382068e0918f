package draft

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

// MergeMod turns a delegation's MOD proposal (a full replacement wording of
// the paragraph) into an edit of the current text that shows each change
// as a small bracket group of its own: see MergeModDetail.
func MergeMod(current, proposed string) ot.Op { return MergeModDetail(current, proposed).Op }

// MergeKind is what one group of a merge proposes.
type MergeKind string

const (
	MergeReplace MergeKind = "replace" // "[current words][proposed words]"
	MergeInsert  MergeKind = "insert"  // "[proposed words]"
	MergeDelete  MergeKind = "delete"  // "[current words]": the proposer would delete them
)

// MergeGroup is one bracket group a merge adds.
type MergeGroup struct {
	Kind MergeKind
	// Start and End delimit the group in the merged text, brackets
	// included, in code points.
	Start, End int
	// The words of each side; "" for the side the kind lacks.
	Current, Proposed string
}

// Merge is a MOD merge: the op (skips and inserts only) and the groups it
// adds, in text order. A caller adds a note from the proposer for each
// MergeDelete group, whose brackets alone do not say who wants the words
// gone.
type Merge struct {
	Op     ot.Op
	Groups []MergeGroup
}

// MergeModDetail compares the current text and a MOD proposal word by word
// and brackets each difference where it is:
//
//   - The texts are cut into tokens as for DiffWords (words, single
//     punctuation marks and brackets, single Han and kana characters;
//     white space is not compared, and the current spacing is kept) and
//     compared with the Myers diff. Each run of differing tokens becomes
//     one group: "[current][proposed]" for a replacement, "[proposed]"
//     for a pure insertion, "[current]" for a pure deletion. The words
//     both texts share stay outside the brackets, with their authors.
//   - Joining: two replacements separated by at most two shared tokens
//     of at most three characters each ("of the", "and", ", the") become
//     one replacement, so that a sentence does not fragment into pairs of
//     alternatives around every other word. Insertions and deletions are
//     never joined: "[three] Sectors" reads better alone.
//   - A group starts and ends on words, so brackets hug them. A pure
//     insertion takes its place beside the shared words as the proposal
//     spaces it: after the current white space when the proposal has
//     white space before it (followed by one separator if the proposal
//     has one after it), glued to the word before it otherwise. The
//     proposed words' own white space runs are cut to one character.
//   - A group is widened, one shared token at a time on each side, while
//     either side's brackets do not balance inside it, while it would
//     touch an existing bracket group and so become one of its
//     alternatives, or, for a replacement, while the two texts space an
//     edge differently ("States, in" against "States that": the group
//     takes "States" in, so that keeping either alternative spaces it
//     right); likewise for a deletion of words glued to both neighbours
//     that the proposal keeps apart. If the proposal itself is
//     unbalanced the result is too, and the rules refuse it.
//
// The op only inserts: applied with the proposer as author, the current
// text keeps its authors and the proposer is credited with exactly the
// brackets, the proposed words and the separators it adds. Identical texts
// (white space aside) give an empty op.
func MergeModDetail(current, proposed string) Merge {
	cr, pr := []rune(current), []rune(proposed)
	ct, pt := wordTokens(current), wordTokens(proposed)
	del, ins := diffTokens(ct, pt)
	m := merger{cr: cr, pr: pr, ct: ct, pt: pt}
	m.hunks = hunksOf(del, ins)
	m.join()
	m.settle()
	return m.emit()
}

// wordTokens are the tokens of s other than white space.
func wordTokens(s string) []token {
	all := tokenize(s)
	out := all[:0]
	for _, t := range all {
		if !t.space {
			out = append(out, t)
		}
	}
	return out
}

// hunk is one change: current tokens [c0, c1) become proposed tokens
// [p0, p1). Between two hunks the tokens are shared, as many on each side.
type hunk struct{ c0, c1, p0, p1 int }

func (h hunk) replaces() bool { return h.c0 < h.c1 && h.p0 < h.p1 }

func hunksOf(del, ins []bool) []hunk {
	var out []hunk
	i, j := 0, 0
	for i < len(del) || j < len(ins) {
		if i < len(del) && j < len(ins) && !del[i] && !ins[j] {
			i++
			j++
			continue
		}
		h := hunk{c0: i, p0: j}
		i, j = runEnd(del, i), runEnd(ins, j)
		h.c1, h.p1 = i, j
		out = append(out, h)
	}
	return out
}

type merger struct {
	cr, pr []rune
	ct, pt []token
	hunks  []hunk
}

// maxJoinTokens and maxJoinLen are the joining rule: replacements apart
// by at most maxJoinTokens shared tokens, each at most maxJoinLen code
// points, form one group.
const (
	maxJoinTokens = 2
	maxJoinLen    = 3
)

func (m *merger) join() {
	out := m.hunks[:0]
	for _, h := range m.hunks {
		if k := len(out) - 1; k >= 0 && out[k].replaces() && h.replaces() && m.short(out[k].c1, h.c0) {
			out[k].c1, out[k].p1 = h.c1, h.p1
			continue
		}
		out = append(out, h)
	}
	m.hunks = out
}

// short reports whether the shared tokens ct[from:to] are few and short
// enough to join the changes on either side.
func (m *merger) short(from, to int) bool {
	if to-from > maxJoinTokens {
		return false
	}
	for _, t := range m.ct[from:to] {
		if t.end-t.start > maxJoinLen {
			return false
		}
	}
	return true
}

// settle widens hunks until each makes a well-formed group, joining those
// that come to touch.
func (m *merger) settle() {
	for changed := true; changed; {
		changed = false
		for k := range m.hunks {
			h := &m.hunks[k]
			left, right := m.needs(*h)
			if left && h.c0 > 0 {
				h.c0--
				h.p0--
				changed = true
			}
			if right && h.c1 < len(m.ct) {
				h.c1++
				h.p1++
				changed = true
			}
		}
		out := m.hunks[:0]
		for _, h := range m.hunks {
			if k := len(out) - 1; k >= 0 && out[k].c1 >= h.c0 {
				out[k].c1, out[k].p1 = max(out[k].c1, h.c1), max(out[k].p1, h.p1)
				continue
			}
			out = append(out, h)
		}
		m.hunks = out
	}
}

// needs says whether h must take in a shared token on its left or right.
func (m *merger) needs(h hunk) (left, right bool) {
	for _, side := range [][]rune{m.curWords(h), m.propWords(h)} {
		closes, opens := unmatched(side)
		left = left || closes > 0
		right = right || opens > 0
	}
	if h.c0 < h.c1 {
		cs, ce := m.ct[h.c0].start, m.ct[h.c1-1].end
		left = left || (cs > 0 && m.cr[cs-1] == ']')
		right = right || (ce < len(m.cr) && m.cr[ce] == '[')
		if h.p0 < h.p1 {
			// The proposed words go where the current ones were, with
			// the current spacing around them: where the two texts space
			// the edge differently, take the shared word in.
			left = left || (h.c0 > 0 && m.glued(m.ct, h.c0) != m.glued(m.pt, h.p0))
			right = right || (h.c1 < len(m.ct) && m.glued(m.ct, h.c1) != m.glued(m.pt, h.p1))
		} else if h.c0 > 0 && h.c1 < len(m.ct) && m.glued(m.ct, h.c0) && m.glued(m.ct, h.c1) && !m.glued(m.pt, h.p0) {
			// Dropping words glued on both sides would glue their
			// neighbours, which the proposal keeps apart.
			left = true
		}
		return left, right
	}
	q, s := m.place(h)
	left = left || (q > 0 && m.cr[q-1] == ']' && strings.HasPrefix(s, "["))
	right = right || (q < len(m.cr) && m.cr[q] == '[' && strings.HasSuffix(s, "]"))
	return left, right
}

// glued reports whether tokens ts[i-1] and ts[i] touch.
func (m *merger) glued(ts []token, i int) bool { return ts[i-1].end == ts[i].start }

func (m *merger) curWords(h hunk) []rune {
	if h.c0 == h.c1 {
		return nil
	}
	return m.cr[m.ct[h.c0].start:m.ct[h.c1-1].end]
}

func (m *merger) propWords(h hunk) []rune {
	if h.p0 == h.p1 {
		return nil
	}
	return m.pr[m.pt[h.p0].start:m.pt[h.p1-1].end]
}

// place returns where a pure insertion goes in the current text and what
// is inserted there: the group and its separator, if any.
func (m *merger) place(h hunk) (int, string) {
	group := "[" + oneSpace(m.propWords(h)) + "]"
	hasPrev, hasNext := h.c0 > 0, h.c0 < len(m.ct)
	if !hasPrev && !hasNext {
		return 0, group
	}
	g0, g1 := 0, len(m.cr) // the current white space between the neighbours
	if hasPrev {
		g0 = m.ct[h.c0-1].end
	}
	if hasNext {
		g1 = m.ct[h.c0].start
	}
	var sepBefore, sepAfter string // the proposal's white space around the words
	if h.p0 > 0 && m.pt[h.p0-1].end < m.pt[h.p0].start {
		sepBefore = string(m.pr[m.pt[h.p0-1].end])
	}
	if h.p1 < len(m.pt) && m.pt[h.p1-1].end < m.pt[h.p1].start {
		sepAfter = string(m.pr[m.pt[h.p1-1].end])
	}
	if !hasNext {
		sepAfter = ""
	}
	if !hasPrev {
		sepBefore = ""
	}
	switch {
	case g0 < g1 && (sepBefore != "" || !hasPrev):
		return g1, group + sepAfter
	case g0 < g1:
		return g0, group
	}
	return g0, sepBefore + group + sepAfter
}

// oneSpace cuts every run of white space in rs to its first character.
func oneSpace(rs []rune) string {
	var b strings.Builder
	prevSpace := false
	for _, r := range rs {
		sp := isSpace(r)
		if !sp || !prevSpace {
			b.WriteRune(r)
		}
		prevSpace = sp
	}
	return b.String()
}

func (m *merger) emit() Merge {
	var out Merge
	var b opBuilder
	pos, shift := 0, 0 // offset in the current text, and code points inserted before it
	for _, h := range m.hunks {
		if h.c0 == h.c1 {
			q, s := m.place(h)
			b.skip(q - pos)
			b.insert(s)
			open := q + shift + utf8.RuneCountInString(s[:strings.IndexByte(s, '[')])
			words := oneSpace(m.propWords(h))
			out.Groups = append(out.Groups, MergeGroup{Kind: MergeInsert, Start: open,
				End: open + utf8.RuneCountInString(words) + 2, Proposed: words})
			shift += utf8.RuneCountInString(s)
			pos = q
			continue
		}
		cs, ce := m.ct[h.c0].start, m.ct[h.c1-1].end
		b.skip(cs - pos)
		b.insert("[")
		b.skip(ce - cs)
		g := MergeGroup{Kind: MergeDelete, Start: cs + shift, Current: string(m.cr[cs:ce])}
		tail := "]"
		if h.p0 < h.p1 {
			g.Kind, g.Proposed = MergeReplace, oneSpace(m.propWords(h))
			tail = "][" + g.Proposed + "]"
		}
		b.insert(tail)
		shift += 1 + utf8.RuneCountInString(tail)
		g.End = ce + shift
		out.Groups = append(out.Groups, g)
		pos = ce
	}
	out.Op = b.done()
	return out
}

// Remove takes one side out of merged, the text m.Op made: with proposed
// set, every proposed alternative (a replacement keeps its first
// alternative, an insertion is dropped, a deletion accepted), which gives
// back the current words; otherwise every current alternative (a
// replacement keeps its second, an insertion is accepted, a deletion
// dropped), which gives the proposal's words. Each group goes exactly as
// the chair's keep, accept or drop would take it (resolveOp), last group
// first, so that white space is tidied the same way.
func (m Merge) Remove(merged string, proposed bool) (string, error) {
	text := merged
	for k := len(m.Groups) - 1; k >= 0; k-- {
		g := m.Groups[k]
		b, err := ParseBrackets(text)
		if err != nil {
			return "", err
		}
		idx := b.GroupAt(g.Start)
		if idx < 0 || b.Groups[idx].Start != g.Start || b.Groups[idx].End != g.End {
			return "", fmt.Errorf("draft: no merged group at %d-%d of %q", g.Start, g.End, text)
		}
		keep := 0 // accept, or keep the current side of a replacement
		switch {
		case g.Kind == MergeReplace && !proposed:
			keep = 1
		case g.Kind == MergeInsert && proposed, g.Kind == MergeDelete && !proposed:
			keep = -1
		}
		if text, err = ot.Apply(text, resolveOp([]rune(text), b, idx, keep)); err != nil {
			return "", err
		}
	}
	return text, nil
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

// opBuilder assembles an op piece by piece; done gives it normalized (no
// empty components, neighbours of the same kind merged, no trailing skip).
type opBuilder struct{ op ot.Op }

func (b *opBuilder) skip(n int)      { b.op = append(b.op, ot.Component{Skip: max(n, 0)}) }
func (b *opBuilder) insert(s string) { b.op = append(b.op, ot.Component{Insert: s}) }
func (b *opBuilder) del(n int)       { b.op = append(b.op, ot.Component{Delete: max(n, 0)}) }
func (b *opBuilder) done() ot.Op     { return ot.Normalize(b.op) }
