// Package draft holds the pure drafting model of a resolution paragraph:
// square-bracket structure, per-code-point authorship, the rules that say
// who may change what, the merge of a modification proposal into the
// text, the one-step resolution of a bracket group, and the word diff.
// Nothing here does I/O; the room calls it before it applies an edit.
//
// The delegate rules come down to the hold rule (hold.go): a character is
// held when a delegation wrote it and it lies inside a pair whose brackets
// and words (nested brackets aside) are all that delegation's; a
// delegate's edit must keep every held character held and insert only
// held characters, brackets and separating white space aside. Merges
// (MergeModDetail) bracket each change of a MOD where it is; resolutions
// (KeepAlternative, AcceptGroup, DropGroup) and Merge.Remove take a group
// out through one primitive, resolveOp, which only deletes and tidies the
// white space. Refusals are *RuleError values with a plain-words message
// quoting the place, a stable Rule id and an Offset.
//
// All offsets and lengths are in Unicode code points, the unit the text
// operations (package ot) count in, so that a position from the parser, an
// authorship run and an op component can be compared without conversion.
package draft

import (
	"fmt"
	"slices"
)

// Pair is one matched pair of square brackets.
type Pair struct {
	Open  int // code point offset of "["
	Close int // code point offset of the matching "]"
	Depth int // 0 for a pair not enclosed by any other pair
	// Parent is the index in Brackets.Pairs of the innermost enclosing
	// pair, or -1 at depth 0.
	Parent int
	// Group is the index in Brackets.Groups of the group this pair is an
	// alternative of.
	Group int
}

// Group is a run of directly adjacent pairs at the same depth, like
// "[strengthen][enhance]": each pair is one alternative wording for the same
// place in the text. A single pair is a group of one alternative.
type Group struct {
	Pairs  []int // indices into Brackets.Pairs, left to right
	Start  int   // offset of the first "["
	End    int   // offset just past the last "]"
	Depth  int
	Parent int // index of the enclosing pair, or -1 at depth 0
}

// Brackets is the bracket structure of one text.
type Brackets struct {
	Pairs  []Pair  // ordered by Open
	Groups []Group // ordered by Start
	Len    int     // length of the parsed text in code points
}

// UnbalancedError reports the first bracket that has no partner. Offset is
// in code points.
type UnbalancedError struct {
	Offset int
	Reason string // e.g. `"[" at offset 3 is never closed`
}

func (e *UnbalancedError) Error() string { return "unbalanced brackets: " + e.Reason }

// ParseBrackets finds every bracket pair and alternative group in text. A
// "]" without an open "[" before it is reported at its own offset; when
// several "[" are never closed, the leftmost one is reported, since that is
// where a reader scanning the paragraph first goes wrong.
func ParseBrackets(text string) (*Brackets, error) {
	b := &Brackets{}
	var stack []int // indices into b.Pairs of pairs still open
	i := 0
	// Ranging over a string yields one value per code point, and one
	// U+FFFD per byte of invalid UTF-8 - the same count
	// utf8.RuneCountInString gives, so offsets agree with the ot package.
	for _, r := range text {
		switch r {
		case '[':
			parent := -1
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, len(b.Pairs))
			b.Pairs = append(b.Pairs, Pair{Open: i, Close: -1, Depth: len(stack) - 1, Parent: parent, Group: -1})
		case ']':
			if len(stack) == 0 {
				return nil, &UnbalancedError{Offset: i, Reason: fmt.Sprintf(`"]" at offset %d has no matching "["`, i)}
			}
			b.Pairs[stack[len(stack)-1]].Close = i
			stack = stack[:len(stack)-1]
		}
		i++
	}
	b.Len = i
	if len(stack) > 0 {
		off := b.Pairs[stack[0]].Open
		return nil, &UnbalancedError{Offset: off, Reason: fmt.Sprintf(`"[" at offset %d is never closed`, off)}
	}
	b.groupPairs()
	return b, nil
}

// groupPairs joins siblings where one's "]" is immediately followed by the
// next one's "[". Two pairs so placed always share a parent, so comparing
// offsets is enough.
func (b *Brackets) groupPairs() {
	// lastAt[depth] is the most recent pair seen at that depth; pairs are
	// visited by Open, so a sibling is always seen before its right
	// neighbour and after everything nested inside its left neighbour.
	var lastAt []int
	for k := range b.Pairs {
		p := &b.Pairs[k]
		for len(lastAt) <= p.Depth {
			lastAt = append(lastAt, -1)
		}
		if prev := lastAt[p.Depth]; prev >= 0 && b.Pairs[prev].Close+1 == p.Open {
			g := &b.Groups[b.Pairs[prev].Group]
			g.Pairs = append(g.Pairs, k)
			g.End = p.Close + 1
			p.Group = b.Pairs[prev].Group
		} else {
			p.Group = len(b.Groups)
			b.Groups = append(b.Groups, Group{Pairs: []int{k}, Start: p.Open, End: p.Close + 1, Depth: p.Depth, Parent: p.Parent})
		}
		lastAt[p.Depth] = k
	}
}

// OpenGroups is the number of top-level bracket groups: the places in the
// paragraph where delegations still have to choose between or accept
// bracketed wordings. Nested groups are not counted, because they are
// settled together with the group that contains them; "[a [b][c]] [d]"
// has 2 open groups. A paragraph may become agreed only at 0.
func (b *Brackets) OpenGroups() int {
	n := 0
	for _, g := range b.Groups {
		if g.Depth == 0 {
			n++
		}
	}
	return n
}

// Enclosing returns the index of the innermost pair that strictly contains
// pos (Open < pos < Close), or -1. A bracket character is not inside its own
// pair.
func (b *Brackets) Enclosing(pos int) int {
	// The last pair opened before pos is the innermost candidate; if it
	// closed before pos, only its ancestors can still contain pos.
	k, _ := slices.BinarySearchFunc(b.Pairs, pos, func(p Pair, t int) int {
		if p.Open < t {
			return -1
		}
		return 1
	})
	for k--; k >= 0; k = b.Pairs[k].Parent {
		if b.Pairs[k].Close > pos {
			return k
		}
	}
	return -1
}

// GroupAuthors describes one bracket group of a paragraph together with who
// wrote it.
type GroupAuthors struct {
	Start, End   int // span [Start, End) in code points, brackets included
	Depth        int // 0 for a top-level group
	Alternatives int // number of adjacent pairs
	// Authors of every code point in the span, the bracket characters
	// included, sorted and deduplicated. Brackets count because placing
	// them is itself a proposal: a delegation that brackets another's text
	// to contest it is a party to that group.
	Authors []string
}

// ParagraphGroups lists every bracket group of text, top-level and nested,
// in order of Start, with the authors of each. authors must cover text
// exactly.
func ParagraphGroups(text string, authors Authorship) ([]GroupAuthors, error) {
	b, err := ParseBrackets(text)
	if err != nil {
		return nil, err
	}
	if authors.Len() != b.Len {
		return nil, fmt.Errorf("draft: authorship covers %d code points, text has %d", authors.Len(), b.Len)
	}
	out := make([]GroupAuthors, 0, len(b.Groups))
	for _, g := range b.Groups {
		out = append(out, GroupAuthors{
			Start:        g.Start,
			End:          g.End,
			Depth:        g.Depth,
			Alternatives: len(g.Pairs),
			Authors:      authors.Slice(g.Start, g.End).Authors(),
		})
	}
	return out, nil
}
