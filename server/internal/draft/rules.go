package draft

import (
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
)

// Role is what a participant may do in a room.
type Role string

const (
	RoleChair      Role = "chair"
	RoleDelegate   Role = "delegate"
	RoleRapporteur Role = "rapporteur"
	RoleObserver   Role = "observer"
	RoleAdmin      Role = "admin"
)

// Status is how far a paragraph has got towards agreement.
type Status string

const (
	StatusOpen        Status = "open"
	StatusAgreedAdRef Status = "agreed_ad_ref" // agreed pending confirmation from capitals
	StatusAgreed      Status = "agreed"
)

// Actor is who is asking. Delegation is set for delegates only.
type Actor struct {
	Role       Role
	Delegation string
}

// Author is the name the actor's text is attributed to: the delegation code
// for a delegate, "chair" for the chair and for admins (an admin editing
// text acts as the chair), and "" for roles that never write.
func (a Actor) Author() string {
	switch a.Role {
	case RoleDelegate:
		return a.Delegation
	case RoleChair, RoleAdmin:
		return AuthorChair
	}
	return ""
}

// presides reports whether the actor has the chair's powers. Admins do,
// everywhere the spec grants something to the chair.
func (a Actor) presides() bool { return a.Role == RoleChair || a.Role == RoleAdmin }

// Paragraph is the state a rule is checked against. The zero Status is
// treated as open.
type Paragraph struct {
	Text    string
	Authors Authorship // must cover Text exactly
	Status  Status
}

// CheckEdit is the one question the room asks before it applies a text op,
// already transformed against the current text, to a paragraph. It returns
// nil, a *RuleError, or a plain error when p itself is inconsistent (its
// authorship does not cover its text), which is a server bug.
//
// An empty op changes nothing and is always allowed: transformation can
// reduce an op that was legal when it was sent to nothing, and that should
// not bounce back as an error.
//
// A refusal's Offset is in code points. Inserted text is reported at its
// offset in the text after the edit and deleted text at its offset in the
// text before it, the only text in which each exists; bracket balance and
// pairing are judged, and reported, on the text after the edit. Only the
// result must balance, so an unbalanced paragraph (which only an import can
// produce) is repaired by whichever edit balances it.
func CheckEdit(actor Actor, p Paragraph, op ot.Op) error {
	_, err := ApplyEdit(actor, p, op)
	return err
}

// ApplyEdit is CheckEdit returning, when the op is allowed, the paragraph
// after it, with the inserted text attributed to actor.Author(): the room
// keeps that rather than applying the op a second time.
//
// A delegate's edit is checked against the hold rule (see hold.go and
// docs/protocol.md) on the whole paragraph after the edit, plus two rules of
// form: it deletes only its own delegation's characters, and any bracket it
// types is paired with another it types in the same op.
func ApplyEdit(actor Actor, p Paragraph, op ot.Op) (Paragraph, error) {
	if len(op) == 0 {
		return p, nil
	}
	if err := mayEdit(actor, p); err != nil {
		return Paragraph{}, err
	}
	after, err := ot.Apply(p.Text, op)
	if err != nil {
		return Paragraph{}, invalid(RuleOpMismatch, "edit does not fit the paragraph: %v", err)
	}
	if actor.Role == RoleDelegate {
		if err := checkDeletes(actor.Delegation, p, op); err != nil {
			return Paragraph{}, err
		}
	}
	b, err := parseBalanced(after)
	if err != nil {
		return Paragraph{}, err
	}
	authors, err := p.Authors.Apply(op, actor.Author())
	if err != nil {
		return Paragraph{}, invalid(RuleOpMismatch, "edit does not fit the paragraph: %v", err)
	}
	if actor.Role == RoleDelegate {
		if err := checkBracketPairs(after, b, op.Inserted()); err != nil {
			return Paragraph{}, err
		}
		if err := checkHeld(actor.Delegation, p, after, authors, b, op); err != nil {
			return Paragraph{}, err
		}
	}
	return Paragraph{Text: after, Authors: authors, Status: p.Status}, nil
}

// mayEdit checks the actor's role and the paragraph's status, and that p is
// consistent.
func mayEdit(actor Actor, p Paragraph) error {
	switch {
	case actor.presides():
	case actor.Role == RoleDelegate:
		if actor.Delegation == "" {
			return forbidden(RuleNoDelegation, "delegate has no delegation and cannot edit")
		}
	default:
		return forbidden(RuleReadOnly, "%s may not edit text", roleName(actor.Role))
	}
	switch p.Status {
	case StatusAgreed:
		return forbidden(RuleLocked, "paragraph is agreed; the chair must reopen it before editing")
	case StatusAgreedAdRef:
		if !actor.presides() {
			return forbidden(RuleAdRef, "paragraph is agreed ad referendum; only the chair may edit it")
		}
	}
	if n := utf8.RuneCountInString(p.Text); p.Authors.Len() != n {
		return fmt.Errorf("draft: authorship covers %d code points, text has %d", p.Authors.Len(), n)
	}
	return nil
}

// parseBalanced parses text, turning an unbalanced text into a RuleError
// that quotes the place.
func parseBalanced(text string) (*Brackets, error) {
	b, err := ParseBrackets(text)
	if err == nil {
		return b, nil
	}
	var ue *UnbalancedError
	if !errors.As(err, &ue) {
		return nil, err
	}
	rs := []rune(text)
	what := `the "[" in %s is never closed`
	if ue.Offset < len(rs) && rs[ue.Offset] == ']' {
		what = `the "]" in %s has no "[" before it`
	}
	return nil, invalid(RuleBalance, "Brackets must balance: "+what+".", quote(rs, ue.Offset, ue.Offset+1)).at(ue.Offset)
}

// checkDeletes lets a delegation delete only what it wrote itself, so it
// can withdraw its own proposals but never another's text.
func checkDeletes(own string, p Paragraph, op ot.Op) error {
	pos := 0 // offset in the text before the edit
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Delete > 0:
			off := pos
			for _, r := range p.Authors.Slice(pos, pos+c.Delete) {
				if r.Author != own {
					rs := []rune(p.Text)
					return forbidden(RuleDeleteOwn, "You can delete only your own delegation's text, and %s is %s.",
						quoteWords(rs, off, off+r.Len), textBy(r.Author)).at(off)
				}
				off += r.Len
			}
			pos += c.Delete
		}
	}
	return nil
}

func inserted(ins []ot.Span, pos int) bool {
	k := sort.Search(len(ins), func(i int) bool { return ins[i].End > pos })
	return k < len(ins) && ins[k].Start <= pos
}

// checkBracketPairs requires both halves of any pair a delegate touches to
// come from the same op. Otherwise a lone "]" could close, and so reshape,
// a pair someone else opened.
func checkBracketPairs(after string, b *Brackets, ins []ot.Span) error {
	worst, typedOpen := -1, false
	for _, p := range b.Pairs {
		o, c := inserted(ins, p.Open), inserted(ins, p.Close)
		switch {
		case o && !c && (worst < 0 || p.Open < worst):
			worst, typedOpen = p.Open, true
		case c && !o && (worst < 0 || p.Close < worst):
			worst, typedOpen = p.Close, false
		}
	}
	if worst < 0 {
		return nil
	}
	rs := []rune(after)
	what := `the "]" you typed in %s would close a "[" that was already there`
	if typedOpen {
		what = `the "[" you typed in %s would be closed by a "]" that was already there`
	}
	return forbidden(RuleBracketPairs, "Type brackets in pairs: "+what+". Type both brackets of a pair in one go.",
		quote(rs, worst, worst+1)).at(worst)
}

func slicesWithout(s []string, drop string) []string {
	out := s[:0]
	for _, v := range s {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

func roleName(r Role) string {
	if r == "" {
		return "participants without a role"
	}
	return string(r) + "s"
}

// CheckStatus is asked before a paragraph's status changes. Only the chair
// (or an admin) moves status, in any direction among open, agreed_ad_ref
// and agreed; reopening is moving to open. Agreeing requires a text with no
// brackets left; agreed ad ref does not, since it records a provisional
// deal that capitals may still undo.
//
// A delegate's words can only be outside brackets if the chair took them
// out (the hold rule refuses a delegate that tries), so a paragraph with no
// brackets holds nothing the chair has not seen accepted.
func CheckStatus(actor Actor, p Paragraph, to Status) error {
	if !actor.presides() {
		return forbidden(RuleStatusChair, "only the chair may change a paragraph's status")
	}
	switch to {
	case StatusOpen, StatusAgreedAdRef:
		return nil
	case StatusAgreed:
	default:
		return invalid(RuleStatusUnknown, "unknown status %q", to)
	}
	b, err := parseBalanced(p.Text)
	if err != nil {
		return err
	}
	n := b.OpenGroups()
	if n == 0 {
		return nil
	}
	var first Group
	for _, g := range b.Groups {
		if g.Depth == 0 {
			first = g
			break
		}
	}
	rs := []rune(p.Text)
	groups := "1 open bracket group"
	if n > 1 {
		groups = fmt.Sprintf("%d open bracket groups, the first", n)
	}
	return invalid(RuleAgreedBrackets, "The paragraph still has %s at %s. Resolve the brackets before agreeing it.",
		groups, quoteWords(rs, first.Start, first.End)).at(first.Start)
}
