package document

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/wire"
)

// Proposals: tabled by a delegation (or the chair for one), edited or
// withdrawn by their delegation or the chair, rejected or merged by the
// chair. Every op of them carries the proposal as it now stands.

var proposalActions = map[string]bool{"MOD": true, "ADD": true, "SUP": true, "NOC": true}

// ProposalBytes is what a proposal counts against the proposal limits.
func ProposalBytes(p wire.Proposal) int { return len(p.Text) + len(p.Ref) + len(p.Label) }

func decideTable(c *call) (wire.OpData, Touched, error) {
	proposer := c.who.Delegation
	if c.who.Can(Preside) {
		proposer = strings.ToUpper(strings.TrimSpace(c.f.Proposer))
	}
	if proposer == "" {
		return wire.OpData{}, Touched{}, invalid("the chair must name the proposer (a delegation code) when tabling a proposal")
	}
	name, ok := c.env.delegation(proposer)
	if !ok {
		return wire.OpData{}, Touched{}, invalid("unknown delegation %q", proposer)
	}
	p := wire.Proposal{ID: c.env.newID(), Proposer: &proposer, ProposerName: name,
		Action: strings.ToUpper(c.f.Action), Text: deref(c.f.Text), Ref: c.f.DocRef, Label: deref(c.f.Label), Status: "tabled"}
	data := wire.OpData{}
	switch {
	case c.f.Para != "":
		para := c.doc.paras[c.f.Para]
		if para == nil {
			return wire.OpData{}, Touched{}, notFound("no paragraph %q in this document", c.f.Para)
		}
		data.Para, data.Section = para.id, para.sec.id
	case c.f.Section != "":
		sec, err := c.section(c.f.Section)
		if err != nil {
			return wire.OpData{}, Touched{}, err
		}
		data.Section = sec.id
	default:
		return wire.OpData{}, Touched{}, invalid("a proposal needs para or section")
	}
	if err := c.env.Limits.checkProposal(p, data.Para); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := c.env.Limits.checkProposalLimits(c.doc, c.who, nil, p); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	data.Proposal = &p
	return data, Touched{Proposals: []string{p.ID}}, nil
}

// tabled finds the tabled proposal an action names, and the op data and
// touches every change of it starts from.
func (c *call) tabled() (*proposal, wire.OpData, Touched, error) {
	pr, err := c.proposal()
	if err != nil {
		return nil, wire.OpData{}, Touched{}, err
	}
	if pr.p.Status != "tabled" {
		return nil, wire.OpData{}, Touched{}, invalid("proposal %s is %s, not tabled", pr.p.ID, pr.p.Status)
	}
	return pr, wire.OpData{Para: pr.paragraph, Section: pr.section}, Touched{Proposals: []string{pr.p.ID}}, nil
}

// describe names a proposal in messages: its action and reference, and
// the paragraph it changes ("MOD B/75/4 of RESOLVES 1").
func (m *Model) describe(pr *proposal) string {
	s := pr.p.Action
	if pr.p.Ref != "" {
		s += " " + pr.p.Ref
	}
	if p := m.paras[pr.paragraph]; p != nil {
		return strings.TrimSpace(s + " of " + p.sec.heading + " " + p.label)
	}
	if sec := m.secs[pr.section]; sec != nil {
		return strings.TrimSpace(s + " in " + sec.heading)
	}
	return s
}

// owns reports whether the actor may change pr as its proposer (or as the
// chair).
func (c *call) owns(pr *proposal) bool {
	own := c.who.Can(Propose) && pr.p.Proposer != nil && *pr.p.Proposer == c.who.Delegation
	return own || c.who.Can(Preside)
}

// withStatus is a proposal's change to a new status.
func (c *call) withStatus(status, notOwn string) (wire.OpData, Touched, error) {
	pr, data, t, err := c.tabled()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if notOwn != "" && !c.owns(pr) {
		return wire.OpData{}, Touched{}, forbidden("%s", notOwn)
	}
	next := pr.p
	next.Status = status
	data.Proposal = &next
	return data, t, nil
}

func decideWithdraw(c *call) (wire.OpData, Touched, error) {
	return c.withStatus("withdrawn", "delegates may only withdraw their own delegation's proposals")
}

func decideReject(c *call) (wire.OpData, Touched, error) { return c.withStatus("rejected", "") }

func decideEdit(c *call) (wire.OpData, Touched, error) {
	pr, data, t, err := c.tabled()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if !c.owns(pr) {
		return wire.OpData{}, Touched{}, forbidden("delegates may only edit their own delegation's proposals")
	}
	next, f := pr.p, c.f
	if f.Text != nil {
		next.Text = *f.Text
	}
	if f.Action != "" {
		next.Action = strings.ToUpper(f.Action)
	}
	if f.DocRef != "" {
		next.Ref = f.DocRef
	}
	if f.Label != nil {
		next.Label = *f.Label
	}
	if err := c.env.Limits.checkProposal(next, pr.paragraph); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := c.env.Limits.checkProposalLimits(c.doc, c.who, &pr.p, next); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	data.Proposal = &next
	return data, t, nil
}

// applyProposal puts a proposal, new or as it now stands, in place.
func applyProposal(m *Model, d wire.OpData) error {
	if d.Proposal == nil {
		return fmt.Errorf("no proposal")
	}
	m.addProposal(*d.Proposal, d.Section, d.Para)
	return nil
}

// checkProposal refuses a proposal that is not well formed.
func (l *Limits) checkProposal(p wire.Proposal, para string) error {
	if !proposalActions[p.Action] {
		return invalid("action must be MOD, ADD, SUP or NOC, not %q", p.Action)
	}
	if p.Action != "ADD" && para == "" {
		return invalid("a %s proposal must name the paragraph it changes", p.Action)
	}
	if (p.Action == "MOD" || p.Action == "ADD") && strings.TrimSpace(p.Text) == "" {
		return invalid("a %s proposal needs text", p.Action)
	}
	if utf8.RuneCountInString(p.Ref) > l.MaxDocRef || utf8.RuneCountInString(p.Label) > l.MaxLabel {
		return invalid("a document reference is at most %d characters and a label %d", l.MaxDocRef, l.MaxLabel)
	}
	return l.checkText(p.Text)
}

// proposerOf is the authorship tag a proposal's merged text gets: its
// delegation (a merge is refused until the proposal has one).
func proposerOf(p wire.Proposal) (author, name string) {
	if p.Proposer != nil {
		author = *p.Proposer
	}
	name = p.ProposerName
	if name == "" {
		name = author
	}
	return author, name
}
