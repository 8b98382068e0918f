package draft

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
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

// RuleError codes.
const (
	CodeForbidden = "forbidden" // the actor may not do this
	CodeInvalid   = "invalid"   // nobody may do this, or the input is malformed
)

// Rule ids, stable for clients and tests.
const (
	RuleReadOnly         = "read-only"          // rapporteurs, observers and unknown roles
	RuleNoDelegation     = "no-delegation"      // a delegate without a delegation code
	RuleLocked           = "locked"             // paragraph is agreed
	RuleAdRef            = "ad-ref"             // paragraph is agreed ad ref
	RuleOpMismatch       = "op-mismatch"        // op does not fit the text
	RuleBalance          = "balance"            // brackets would not balance
	RuleDeleteOwn        = "delete-own"         // delegate deleting others' text
	RuleBracketPairs     = "bracket-pairs"      // delegate bracket matched with an existing one
	RuleInsertInBrackets = "insert-in-brackets" // delegate text outside own brackets
	RuleStatusChair      = "status-chair"       // status change by a non-chair
	RuleStatusUnknown    = "status-unknown"     // no such status
	RuleAgreedBrackets   = "agreed-brackets"    // agreeing a paragraph that has brackets
)

// RuleError is a refusal the room reports to the client as is. Message
// names the broken rule and, where there is one, the offending offset.
type RuleError struct {
	Code    string // CodeForbidden or CodeInvalid
	Rule    string // one of the Rule* ids
	Message string
}

func (e *RuleError) Error() string { return e.Message }

func forbidden(rule, format string, args ...any) *RuleError {
	return &RuleError{Code: CodeForbidden, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

func invalid(rule, format string, args ...any) *RuleError {
	return &RuleError{Code: CodeInvalid, Rule: rule, Message: fmt.Sprintf(format, args...)}
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
// Offsets in messages are in code points. Inserted text is reported at its
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
func ApplyEdit(actor Actor, p Paragraph, op ot.Op) (Paragraph, error) {
	if len(op) == 0 {
		return p, nil
	}
	switch {
	case actor.presides():
	case actor.Role == RoleDelegate:
		if actor.Delegation == "" {
			return Paragraph{}, forbidden(RuleNoDelegation, "delegate has no delegation and cannot edit")
		}
	default:
		return Paragraph{}, forbidden(RuleReadOnly, "%s may not edit text", roleName(actor.Role))
	}
	switch p.Status {
	case StatusAgreed:
		return Paragraph{}, forbidden(RuleLocked, "paragraph is agreed; the chair must reopen it before editing")
	case StatusAgreedAdRef:
		if !actor.presides() {
			return Paragraph{}, forbidden(RuleAdRef, "paragraph is agreed ad referendum; only the chair may edit it")
		}
	}
	if n := utf8.RuneCountInString(p.Text); p.Authors.Len() != n {
		return Paragraph{}, fmt.Errorf("draft: authorship covers %d code points, text has %d", p.Authors.Len(), n)
	}
	after, err := ot.Apply(p.Text, op)
	if err != nil {
		return Paragraph{}, invalid(RuleOpMismatch, "edit does not fit the paragraph: %v", err)
	}
	if actor.Role == RoleDelegate {
		if err := checkDeletes(actor.Delegation, p.Authors, op); err != nil {
			return Paragraph{}, err
		}
	}
	b, err := ParseBrackets(after)
	if err != nil {
		var ue *UnbalancedError
		if errors.As(err, &ue) {
			return Paragraph{}, invalid(RuleBalance, "brackets must balance after the edit: %s", ue.Reason)
		}
		return Paragraph{}, err
	}
	authors, err := p.Authors.Apply(op, actor.Author())
	if err != nil {
		return Paragraph{}, invalid(RuleOpMismatch, "edit does not fit the paragraph: %v", err)
	}
	if actor.Role == RoleDelegate {
		ins := insertedSpans(op)
		if err := checkBracketPairs(b, ins); err != nil {
			return Paragraph{}, err
		}
		if err := checkInserts(actor.Delegation, b, authors, ins); err != nil {
			return Paragraph{}, err
		}
	}
	return Paragraph{Text: after, Authors: authors, Status: p.Status}, nil
}

// checkDeletes lets a delegation delete only what it wrote itself, so it
// can withdraw its own proposals but never another's text.
func checkDeletes(own string, authors Authorship, op ot.Op) error {
	pos := 0 // offset in the text before the edit
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Delete > 0:
			off := pos
			for _, r := range authors.Slice(pos, pos+c.Delete) {
				if r.Author != own {
					return forbidden(RuleDeleteOwn, "delegates may only delete their own text; offset %d is by %s", off, r.Author)
				}
				off += r.Len
			}
			pos += c.Delete
		}
	}
	return nil
}

// span is one inserted string and where it landed in the text after the
// edit.
type span struct {
	at   int
	text string
	n    int // code points
}

func insertedSpans(op ot.Op) []span {
	var out []span
	pos := 0 // offset in the text after the edit
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Insert != "":
			n := utf8.RuneCountInString(c.Insert)
			out = append(out, span{at: pos, text: c.Insert, n: n})
			pos += n
		}
	}
	return out
}

func inserted(ins []span, pos int) bool {
	k := sort.Search(len(ins), func(i int) bool { return ins[i].at+ins[i].n > pos })
	return k < len(ins) && ins[k].at <= pos
}

// checkBracketPairs requires both halves of any pair a delegate touches to
// come from the same op. Otherwise a lone "]" could close, and so reshape,
// a pair someone else opened.
func checkBracketPairs(b *Brackets, ins []span) error {
	worst := -1
	var msg string
	for _, p := range b.Pairs {
		o, c := inserted(ins, p.Open), inserted(ins, p.Close)
		switch {
		case o && !c && (worst < 0 || p.Open < worst):
			worst = p.Open
			msg = fmt.Sprintf(`the "[" inserted at offset %d is closed by the existing "]" at offset %d`, p.Open, p.Close)
		case c && !o && (worst < 0 || p.Close < worst):
			worst = p.Close
			msg = fmt.Sprintf(`the "]" inserted at offset %d closes the existing "[" at offset %d`, p.Close, p.Open)
		}
	}
	if worst >= 0 {
		return forbidden(RuleBracketPairs, "delegates must insert brackets in matching pairs; %s (offsets after the edit)", msg)
	}
	return nil
}

// checkInserts requires every inserted code point other than a bracket to
// sit in a pair holding only the delegation's own text, so that a delegate's
// words are always a bracketed proposal of its own and never blend into
// agreed or others' text.
//
// One exception, so that a proposal can be placed between two words at all:
// whitespace inserted in the same string directly outside an inserted
// bracket, as in "[new words] " or " [new words]", is allowed anywhere. It
// is what MergeMod inserts for a pure addition.
func checkInserts(own string, b *Brackets, authors Authorship, ins []span) error {
	ownPair := map[int]bool{}
	isOwn := func(k int) bool {
		v, ok := ownPair[k]
		if !ok {
			p := b.Pairs[k]
			v = true
			for _, r := range authors.Slice(p.Open+1, p.Close) {
				if r.Author != own {
					v = false
					break
				}
			}
			ownPair[k] = v
		}
		return v
	}
	for _, s := range ins {
		rs := []rune(s.text)
		sep := separators(rs)
		for i, r := range rs {
			if r == '[' || r == ']' || sep[i] {
				continue
			}
			pos := s.at + i
			k := b.Enclosing(pos)
			if k < 0 {
				return forbidden(RuleInsertInBrackets, "delegates may only insert text inside brackets; offset %d is outside", pos)
			}
			if !isOwn(k) {
				p := b.Pairs[k]
				others := slicesWithout(authors.Slice(p.Open+1, p.Close).Authors(), own)
				return forbidden(RuleInsertInBrackets,
					"delegates may only insert text inside brackets holding only their own text; offset %d is inside the brackets at offsets %d-%d, which hold text by %s",
					pos, p.Open, p.Close, strings.Join(others, ", "))
			}
		}
	}
	return nil
}

// separators marks the whitespace in rs that only separates an inserted
// bracket pair from its neighbours: whitespace whose nearest non-space
// neighbour within rs is a "]" on its left or a "[" on its right.
func separators(rs []rune) []bool {
	sep := make([]bool, len(rs))
	last := rune(0)
	for i, r := range rs {
		if unicode.IsSpace(r) {
			sep[i] = last == ']'
		} else {
			last = r
		}
	}
	last = 0
	for i := len(rs) - 1; i >= 0; i-- {
		if r := rs[i]; unicode.IsSpace(r) {
			sep[i] = sep[i] || last == '['
		} else {
			last = r
		}
	}
	return sep
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
	b, err := ParseBrackets(p.Text)
	if err != nil {
		var ue *UnbalancedError
		if errors.As(err, &ue) {
			return invalid(RuleBalance, "brackets must balance: %s", ue.Reason)
		}
		return err
	}
	switch n := b.OpenGroups(); n {
	case 0:
		return nil
	case 1:
		return invalid(RuleAgreedBrackets, "paragraph still has 1 open bracket group")
	default:
		return invalid(RuleAgreedBrackets, "paragraph still has %d open bracket groups", n)
	}
}
