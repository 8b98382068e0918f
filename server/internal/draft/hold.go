package draft

import (
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

// The hold rule keeps every delegation's bracketed words bracketed:
//
// A character is held when a delegation wrote it and it lies inside a
// bracket pair of that delegation's own: a pair whose two brackets, and
// every character between them other than brackets, the delegation wrote.
// A delegate's edit is allowed only if every character held before it is
// still held after it, and every character it inserts is held, except
// brackets and white space directly outside a pair it inserts.
//
// So a delegate can neither strip its own brackets from its words nor mix
// anything into another delegation's bracketed words, and what it types is
// always a bracketed proposal of its own. Nothing outside a held pair is
// constrained: words the chair un-brackets (by accepting them, keeping an
// alternative, or editing by hand) are no longer held and stay as they
// are; the chair is never refused by this rule. Bracket characters do not
// count as text, so a delegate may bracket words inside another's pair to
// contest them, and a pair may hold nested pairs as long as their words
// are the owner's.

// isDelegation reports whether author is a delegation rather than the chair
// or the original text.
func isDelegation(author string) bool {
	return author != "" && author != AuthorChair && author != AuthorOriginal
}

// heldMask says, for each code point of text, whether it is held. authors
// must cover text. An unbalanced text is read as the parser would: a "]"
// with no "[" before it and a "[" never closed make no pair.
func heldMask(text string, authors Authorship) []bool {
	// Pass 1: which pairs are their author's own. A pair's content is
	// known at its "]"; it is passed up to the enclosing pair, whose
	// content includes it.
	type frame struct {
		pair    int    // index in open order
		open    string // author of the "["
		content string // the one author of the content so far, or ""
		mixed   bool   // content by more than one author
	}
	addAuthor := func(f *frame, a string) {
		switch {
		case f.mixed:
		case f.content == "":
			f.content = a
		case f.content != a:
			f.mixed = true
		}
	}
	var owned []bool
	var stack []frame
	runs := runCursor{runs: authors}
	for _, r := range text {
		a := runs.next()
		switch r {
		case '[':
			stack = append(stack, frame{pair: len(owned), open: a})
			owned = append(owned, false)
		case ']':
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			owned[f.pair] = !f.mixed && isDelegation(a) && a == f.open && (f.content == "" || f.content == a)
			if len(stack) > 0 {
				if p := &stack[len(stack)-1]; f.mixed {
					p.mixed = true
				} else if f.content != "" {
					addAuthor(p, f.content)
				}
			}
		default:
			if len(stack) > 0 {
				addAuthor(&stack[len(stack)-1], a)
			}
		}
	}
	if len(owned) == 0 {
		return make([]bool, runs.pos)
	}
	// Pass 2: a character is held when any pair around it is owned. An
	// owned pair's content is all by its owner, so that is the
	// character's author.
	held := make([]bool, runs.pos)
	var open []bool
	inOwned, pair, i := 0, 0, 0
	for _, r := range text {
		switch r {
		case '[':
			o := owned[pair]
			pair++
			open = append(open, o)
			if o {
				inOwned++
			}
		case ']':
			if len(open) == 0 {
				break
			}
			if open[len(open)-1] {
				inOwned--
			}
			open = open[:len(open)-1]
		default:
			held[i] = inOwned > 0
		}
		i++
	}
	return held
}

// runCursor walks an Authorship one code point at a time.
type runCursor struct {
	runs Authorship
	k    int // current run
	used int // code points of runs[k] already returned
	pos  int // code points returned
}

// next returns the author of the next code point, or "" past the end.
func (c *runCursor) next() string {
	c.pos++
	for c.k < len(c.runs) && c.used >= c.runs[c.k].Len {
		c.k++
		c.used = 0
	}
	if c.k == len(c.runs) {
		return ""
	}
	c.used++
	return c.runs[c.k].Author
}

// checkHeld enforces the hold rule for a delegate of own editing p into
// (after, authors) with op. b is the bracket structure of after.
func checkHeld(own string, p Paragraph, after string, authors Authorship, b *Brackets, op ot.Op) error {
	// Only characters inside the top-level pairs around the edit can
	// change status: compare those.
	lo, hi, hiAfter := holdWindow(p.Text, after, op)
	hb := heldMask(sliceCodePoints(p.Text, lo, hi), p.Authors.Slice(lo, hi))
	ha := heldMask(sliceCodePoints(after, lo, hiAfter), authors.Slice(lo, hiAfter))
	// The first stretch of inserted characters that are not held, and the
	// first stretch of characters that lose their hold, in offsets after
	// the edit.
	insFrom, insTo := -1, -1
	lostFrom, lostTo := -1, -1
	lost := func(j int) {
		switch {
		case lostFrom < 0:
			lostFrom, lostTo = j, j+1
		case j == lostTo && lostTo-lostFrom < quoteMiddle+1:
			lostTo++
		}
	}
	i, j := 0, 0 // offsets before and after the edit
	keep := func(n int) {
		for t := max(0, lo-i); t < n && i+t < hi; t++ {
			if hb[i+t-lo] && !ha[j+t-lo] {
				lost(j + t)
			}
		}
		i += n
		j += n
	}
	for _, c := range op {
		switch {
		case c.Skip > 0:
			keep(c.Skip)
		case c.Delete > 0:
			i += c.Delete
		case c.Insert != "":
			rs := []rune(c.Insert)
			sep := separators(rs)
			for k, r := range rs {
				if r != '[' && r != ']' && !sep[k] && !ha[j-lo] {
					switch {
					case insFrom < 0:
						insFrom, insTo = j, j+1
					case j == insTo:
						insTo++
					}
				}
				j++
			}
		}
	}
	keep(max(0, hi-i))

	if insFrom >= 0 {
		rs := []rune(after)
		k := b.Enclosing(insFrom)
		if k < 0 {
			return forbidden(RuleInsertInBrackets,
				"You can type only inside brackets, not here: %s. Press [ to start your own.",
				quote(rs, insFrom, insTo)).at(insFrom)
		}
		pr := b.Pairs[k]
		others := slicesWithout(authors.Slice(pr.Open, pr.Close+1).Authors(), own)
		return forbidden(RuleInsertInBrackets,
			"You can type only inside brackets that hold only your own words, and %s also holds %s. Press [ to start a pair of your own.",
			quoteWords(rs, pr.Open, pr.Close+1), textsBy(others)).at(insFrom)
	}
	if lostFrom >= 0 {
		rs := []rune(after)
		who := authors.At(lostFrom)
		if who == own {
			return forbidden(RuleKeepBrackets,
				"Your words %s must stay inside your brackets until the chair accepts them. To withdraw them, delete them together with their brackets.",
				quoteWords(rs, lostFrom, lostTo)).at(lostFrom)
		}
		where := quoteWords(rs, lostFrom, lostTo)
		if k := b.Enclosing(lostFrom); k >= 0 {
			where = quoteWords(rs, b.Pairs[k].Open, b.Pairs[k].Close+1)
		}
		return forbidden(RuleOthersBrackets,
			"That would put other text inside %s brackets: %s. Put your words in a pair of your own, outside theirs.",
			possessive(who), where).at(lostFrom)
	}
	return nil
}

// nest is the bracket depth after r, from depth; a stray "]" at depth 0
// leaves it at 0.
func nest(depth int, r rune) int {
	switch r {
	case '[':
		return depth + 1
	case ']':
		return max(depth-1, 0)
	}
	return depth
}

// holdWindow returns the stretch of text, [lo, hi) before the edit and
// [lo, hiAfter) after it, outside which no character can change whether it
// is held: from the start of the top-level pair (or place) where the edit
// begins to the end of the one where it ends. Outside it the text and its
// brackets are the same before and after, and no pair crosses its edges.
// When the text after the edit does not close, within the window, every
// pair it opens there, the window is the whole text.
func holdWindow(before, after string, op ot.Op) (lo, hi, hiAfter int) {
	n, m := utf8.RuneCountInString(before), utf8.RuneCountInString(after)
	first, last := -1, 0 // the edited stretch, in offsets before the edit
	pos := 0
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Delete > 0:
			if first < 0 {
				first = pos
			}
			pos += c.Delete
			last = pos
		case c.Insert != "":
			if first < 0 {
				first = pos
			}
			last = pos
		}
	}
	if first < 0 {
		return 0, 0, 0
	}
	lo, hi = n, n
	depth, i := 0, 0
	for _, r := range before {
		if depth == 0 && i <= first {
			lo = i
		}
		if depth == 0 && i >= last {
			hi = i
			break
		}
		depth = nest(depth, r)
		i++
	}
	if depth == 0 && i == n && first == n {
		lo = n
	}
	hiAfter = hi + m - n
	// The text after must be at depth 0 again at hiAfter, as the text
	// before is at hi; a pair the edit opened and something later closes
	// would otherwise cross the edge.
	depth, i = 0, 0
	for _, r := range after {
		if i >= hiAfter {
			break
		}
		if i >= lo {
			depth = nest(depth, r)
		}
		i++
	}
	if depth != 0 {
		return 0, n, m
	}
	return lo, hi, hiAfter
}

// sliceCodePoints returns code points [from, to) of s.
func sliceCodePoints(s string, from, to int) string {
	if from == 0 && to >= len(s) {
		return s
	}
	i, b0, b1 := 0, len(s), len(s)
	for k := range s {
		if i == from {
			b0 = k
		}
		if i == to {
			b1 = k
			break
		}
		i++
	}
	return s[b0:b1]
}

// separators marks the white space in rs that only separates an inserted
// bracket pair from its neighbours: white space whose nearest non-space
// neighbour within rs is a "]" on its left or a "[" on its right.
func separators(rs []rune) []bool {
	sep := make([]bool, len(rs))
	last := rune(0)
	for i, r := range rs {
		if isSpace(r) {
			sep[i] = last == ']'
		} else {
			last = r
		}
	}
	last = 0
	for i := len(rs) - 1; i >= 0; i-- {
		if r := rs[i]; isSpace(r) {
			sep[i] = sep[i] || last == '['
		} else {
			last = r
		}
	}
	return sep
}

// isSpace is unicode.IsSpace with a fast path.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.IsSpace(r)
}
