package draft

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/draftroom/draftroom/server/ot"
)

// Resolving a bracket group is one step for the chair: keep one
// alternative, accept the bracketed words, or drop the group. Each returns
// the op that does it and the paragraph after it. The op only deletes
// (brackets, the other alternatives, white space beside the group), so
// applied with Authorship.Apply every character that stays keeps its
// author, and the room can put it on the stream as an ordinary text op.
//
// The group is named by any offset from its first "[" to its last "]"; in
// nested groups, the innermost group containing that offset. After the
// group goes, the white space where it was is tidied (see resolveOp).
//
// A delegate may only drop a group that is all its own delegation's
// (brackets, every alternative, nested groups): withdrawing its own
// proposal. The tidying may then delete another author's white space
// beside the group; it never deletes anything else of anyone's.

// GroupAt returns the index in b.Groups of the innermost group with
// Start <= at < End, or -1.
func (b *Brackets) GroupAt(at int) int {
	best := -1
	for k, g := range b.Groups {
		if g.Start > at {
			break // Groups are ordered by Start
		}
		if at < g.End && (best < 0 || g.Depth > b.Groups[best].Depth) {
			best = k
		}
	}
	return best
}

// KeepAlternative resolves the group at at to its alternative number
// alternative (0-based): "[a][b]" with 1 gives "b". Chair only.
func KeepAlternative(actor Actor, p Paragraph, at, alternative int) (ot.Op, Paragraph, error) {
	rs, b, g, err := chairGroup(actor, p, at, "keep an alternative")
	if err != nil {
		return nil, Paragraph{}, err
	}
	grp := b.Groups[g]
	if alternative < 0 || alternative >= len(grp.Pairs) {
		return nil, Paragraph{}, invalid(RuleNoAlternative,
			"The group %s has %s; there is no alternative %d (they are counted from 0).",
			quoteWords(rs, grp.Start, grp.End), alternatives(len(grp.Pairs)), alternative).at(at)
	}
	return resolved(actor, p, resolveOp(rs, b, g, alternative))
}

// AcceptGroup resolves the single-alternative group at at to its words:
// "[text]" gives "text". A group of several alternatives is refused: the
// chair must say which one to keep. Chair only.
func AcceptGroup(actor Actor, p Paragraph, at int) (ot.Op, Paragraph, error) {
	rs, b, g, err := chairGroup(actor, p, at, "accept bracketed words")
	if err != nil {
		return nil, Paragraph{}, err
	}
	grp := b.Groups[g]
	if n := len(grp.Pairs); n > 1 {
		return nil, Paragraph{}, invalid(RuleChooseAlt,
			"The group %s has %s: choose the one to keep, or drop the group.",
			quoteWords(rs, grp.Start, grp.End), alternatives(n)).at(at)
	}
	return resolved(actor, p, resolveOp(rs, b, g, 0))
}

// DropGroup removes the group at at, brackets and words. The chair may drop
// any group; a delegate only one that is all its own delegation's.
func DropGroup(actor Actor, p Paragraph, at int) (ot.Op, Paragraph, error) {
	rs, b, g, err := groupFor(actor, p, at)
	if err != nil {
		return nil, Paragraph{}, err
	}
	grp := b.Groups[g]
	if !actor.presides() {
		if others := slicesWithout(p.Authors.Slice(grp.Start, grp.End).Authors(), actor.Delegation); len(others) > 0 {
			return nil, Paragraph{}, forbidden(RuleDropOwn,
				"You can drop only a group that is all your own words, and %s also holds %s.",
				quoteWords(rs, grp.Start, grp.End), textsBy(others)).at(at)
		}
	}
	op := resolveOp(rs, b, g, -1)
	after, err := applyResolution(actor, p, op)
	if err != nil {
		return nil, Paragraph{}, err
	}
	if !actor.presides() {
		// Deleting a whole group can only make pairs around it purer,
		// but the rule is the rule: check it like any delegate edit.
		ab, err := ParseBrackets(after.Text)
		if err != nil {
			return nil, Paragraph{}, err
		}
		if err := checkHeld(actor.Delegation, p, after.Text, after.Authors, ab, op); err != nil {
			return nil, Paragraph{}, err
		}
	}
	return op, after, nil
}

// groupFor checks that actor may edit p at all and finds the group at at.
func groupFor(actor Actor, p Paragraph, at int) ([]rune, *Brackets, int, error) {
	if err := mayEdit(actor, p); err != nil {
		return nil, nil, -1, err
	}
	b, err := parseBalanced(p.Text)
	if err != nil {
		return nil, nil, -1, err
	}
	rs := []rune(p.Text)
	g := -1
	if at >= 0 && at < len(rs) {
		g = b.GroupAt(at)
	}
	if g < 0 {
		return nil, nil, -1, invalid(RuleNoGroup,
			"There is no bracket group at %s. Put the cursor inside the group, between its first [ and its last ].",
			quote(rs, at, at)).at(at)
	}
	return rs, b, g, nil
}

// chairGroup is groupFor for what only the chair may do to a group.
func chairGroup(actor Actor, p Paragraph, at int, what string) ([]rune, *Brackets, int, error) {
	rs, b, g, err := groupFor(actor, p, at)
	if err != nil {
		return nil, nil, -1, err
	}
	if !actor.presides() {
		return nil, nil, -1, forbidden(RuleResolveChair,
			"Only the chair can %s. You can drop a group that is all your own words.", what).at(at)
	}
	return rs, b, g, nil
}

func resolved(actor Actor, p Paragraph, op ot.Op) (ot.Op, Paragraph, error) {
	after, err := applyResolution(actor, p, op)
	if err != nil {
		return nil, Paragraph{}, err
	}
	return op, after, nil
}

func applyResolution(actor Actor, p Paragraph, op ot.Op) (Paragraph, error) {
	text, err := ot.Apply(p.Text, op)
	if err != nil {
		return Paragraph{}, err // resolveOp fits the text it was made for
	}
	authors, err := p.Authors.Apply(op, actor.Author())
	if err != nil {
		return Paragraph{}, err
	}
	return Paragraph{Text: text, Authors: authors, Status: p.Status}, nil
}

func alternatives(n int) string {
	if n == 1 {
		return "1 alternative"
	}
	return strconv.Itoa(n) + " alternatives"
}

// resolveOp is the one way a bracket group is removed from a text: it
// returns the op that replaces group g of rs by the words of its
// alternative keep (an index into the group's pairs), or by nothing when
// keep < 0, and tidies the white space where the group was.
//
// Tidying looks at each run of white space that touches a place where
// something was removed (the group's two edges, or its one place when
// nothing of it stays), counting both the white space just outside the
// group and the kept words' own leading or trailing white space:
//   - at the start or end of the paragraph, after an opening bracket,
//     parenthesis or quote, or before a closing one or a punctuation mark
//     that follows a word (. , ; : ! ? and their Arabic and CJK forms),
//     the run is deleted;
//   - anywhere else it is cut to one character (a line break if it has
//     one, else the first character from outside the group).
//
// So "to [quickly] act" dropped is "to act", "act [now]." is "act.",
// "[Please] act" is "act", and "a [ b ] c" kept is "a b c". Only white
// space is tidied, so two words never run together.
func resolveOp(rs []rune, b *Brackets, g, keep int) ot.Op {
	grp := b.Groups[g]
	start, end := grp.Start, grp.End
	var dels []rng
	ks, ke := start, start // the kept words
	if keep >= 0 {
		pr := b.Pairs[grp.Pairs[keep]]
		ks, ke = pr.Open+1, pr.Close
		dels = append(dels, rng{start, ks}, rng{ke, end})
	} else {
		dels = append(dels, rng{start, end})
	}
	lw, rw := start, end
	for lw > 0 && isSpace(rs[lw-1]) {
		lw--
	}
	for rw < len(rs) && isSpace(rs[rw]) {
		rw++
	}
	kls, kte := ks, ke
	for kls < ke && isSpace(rs[kls]) {
		kls++
	}
	for kte > kls && isSpace(rs[kte-1]) {
		kte--
	}
	outside := func(i int) bool { return i < start || i >= end }
	if kls == kte {
		// Nothing but white space stays: one run where the group was.
		dels = tidy(rs, dels, []rng{{lw, start}, {ks, ke}, {end, rw}}, lw, rw, outside)
	} else {
		dels = tidy(rs, dels, []rng{{lw, start}, {ks, kls}}, lw, kls, outside)
		dels = tidy(rs, dels, []rng{{kte, ke}, {end, rw}}, kte, rw, outside)
	}
	return deleteOp(dels)
}

// rng is the code points [from, to).
type rng struct{ from, to int }

// tidy adds to dels the deletions that tidy one run of white space, made of
// the ranges parts, whose neighbours in the text after the edit are
// rs[before-1] (none at 0) and rs[after] (none at len(rs)).
func tidy(rs []rune, dels, parts []rng, before, after int, outside func(int) bool) []rng {
	var run []int
	for _, p := range parts {
		for i := p.from; i < p.to; i++ {
			run = append(run, i)
		}
	}
	if len(run) == 0 {
		return dels
	}
	if before == 0 || after == len(rs) || opensBefore(rs[before-1]) || closesAfter(rs[after]) {
		for _, i := range run {
			dels = append(dels, rng{i, i + 1})
		}
		return dels
	}
	keep := run[0]
	for _, i := range run {
		if outside(i) && !outside(keep) {
			keep = i
		}
	}
	for _, i := range run {
		if rs[i] == '\n' {
			keep = i
			break
		}
	}
	for _, i := range run {
		if i != keep {
			dels = append(dels, rng{i, i + 1})
		}
	}
	return dels
}

// closesAfter reports characters that take no space before them: closing
// brackets, parentheses and quotes, and punctuation that follows a word.
func closesAfter(r rune) bool {
	if strings.ContainsRune(".,;:!?)]}»›”’،؛؟۔。，、；：！？）」』】〉》〕", r) {
		return true
	}
	return unicode.In(r, unicode.Pe, unicode.Pf)
}

// opensBefore reports characters that take no space after them.
func opensBefore(r rune) bool {
	if strings.ContainsRune("([{«‹“‘¿¡「『【〈《〔", r) {
		return true
	}
	return unicode.In(r, unicode.Ps, unicode.Pi)
}

// deleteOp builds the op deleting the union of dels.
func deleteOp(dels []rng) ot.Op {
	slices.SortFunc(dels, func(a, b rng) int { return a.from - b.from })
	var b opBuilder
	pos := 0
	for _, d := range dels {
		from := max(d.from, pos)
		if d.to <= from {
			continue
		}
		b.skip(from - pos)
		b.del(d.to - from)
		pos = d.to
	}
	return b.done()
}
