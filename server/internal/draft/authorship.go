package draft

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

// Authors that are not delegations.
const (
	AuthorChair    = "chair"    // text typed by the chair (or an admin)
	AuthorOriginal = "original" // the base text the negotiation started from
)

// Run is Len consecutive code points written by one author.
type Run struct {
	Len    int
	Author string // a delegation code ("BRA", "CEPT"), "chair" or "original"
}

// Authorship says who wrote each code point of a paragraph, as runs. A
// normalized Authorship has no empty runs and no two adjacent runs by the
// same author; every function here returns normalized values, so two
// Authorships describe the same attribution exactly when they are equal.
type Authorship []Run

// Uniform attributes n code points to author.
func Uniform(n int, author string) Authorship {
	if n <= 0 {
		return nil
	}
	return Authorship{{Len: n, Author: author}}
}

// Len is the number of code points covered.
func (a Authorship) Len() int {
	n := 0
	for _, r := range a {
		n += r.Len
	}
	return n
}

// At returns the author of code point i, or "" when i is out of range; a
// rule that asks about a position past the text must not crash the room.
func (a Authorship) At(i int) string {
	if i < 0 {
		return ""
	}
	for _, r := range a {
		if i < r.Len {
			return r.Author
		}
		i -= r.Len
	}
	return ""
}

// Slice returns the attribution of code points [from, to), clamped to the
// covered range.
func (a Authorship) Slice(from, to int) Authorship {
	from = max(from, 0)
	var out Authorship
	pos := 0
	for _, r := range a {
		if pos >= to {
			break
		}
		lo, hi := max(from, pos), min(to, pos+r.Len)
		if lo < hi {
			out = out.push(hi-lo, r.Author)
		}
		pos += r.Len
	}
	return out
}

// Authors returns the distinct authors in a, sorted.
func (a Authorship) Authors() []string {
	out := make([]string, 0, len(a))
	for _, r := range a {
		out = append(out, r.Author)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Normalize drops empty runs and merges neighbours by the same author, for
// Authorships loaded from storage or built by hand.
func (a Authorship) Normalize() Authorship {
	var out Authorship
	for _, r := range a {
		out = out.push(r.Len, r.Author)
	}
	return out
}

// push appends n code points by author, keeping a normalized.
func (a Authorship) push(n int, author string) Authorship {
	if n <= 0 {
		return a
	}
	if k := len(a) - 1; k >= 0 && a[k].Author == author {
		a[k].Len += n
		return a
	}
	return append(a, Run{Len: n, Author: author})
}

// Apply returns the attribution after op: inserted code points belong to
// author, deleted ones disappear, the rest keep theirs. It walks the runs
// and the components once, so it costs O(runs + components), independent of
// the text length. Like ot.Apply, the text after the last component is kept;
// an op that skips or deletes past the end is an error. a is not modified.
func (a Authorship) Apply(op ot.Op, author string) (Authorship, error) {
	out := make(Authorship, 0, len(a)+2)
	ri, used := 0, 0 // current run, and how much of it is consumed
	total := 0       // code points consumed so far, for error messages
	// take moves n code points of a forward, copying them when keep is set.
	take := func(n int, keep bool) error {
		for n > 0 {
			if ri == len(a) {
				return fmt.Errorf("draft: op reaches offset %d, past the end of the %d code points", total+n, a.Len())
			}
			step := min(n, a[ri].Len-used)
			if keep {
				out = out.push(step, a[ri].Author)
			}
			n -= step
			used += step
			total += step
			if used == a[ri].Len {
				ri, used = ri+1, 0
			}
		}
		return nil
	}
	for _, c := range op {
		var err error
		// Same precedence as ot; a component with nothing set is a no-op
		// there too.
		switch {
		case c.Skip > 0:
			err = take(c.Skip, true)
		case c.Insert != "":
			out = out.push(utf8.RuneCountInString(c.Insert), author)
		case c.Delete > 0:
			err = take(c.Delete, false)
		}
		if err != nil {
			return nil, err
		}
	}
	if ri < len(a) {
		out = out.push(a[ri].Len-used, a[ri].Author)
		for _, r := range a[ri+1:] {
			out = out.push(r.Len, r.Author)
		}
	}
	return out, nil
}
