package document

import (
	"strings"

	"github.com/draftroom/draftroom/server/wire"
)

// proposal.assign: the chair says which delegation made a proposal, for
// proposals that came without one (a compilation whose columns were lost)
// or with the wrong one. proposal.reopen: the chair tables a rejected
// proposal again.

func decideAssign(c *call) (wire.OpData, Touched, error) {
	pr, err := c.proposal()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if pr.p.Status == "merged" {
		// Its text is in the working text under the proposer it had.
		return wire.OpData{}, Touched{}, invalid("proposal %s is merged, and its text is credited to %s: undo the merge before changing its proposer",
			c.doc.describe(pr), deref(pr.p.Proposer))
	}
	code := strings.ToUpper(strings.TrimSpace(c.f.Proposer))
	if code == "" {
		return wire.OpData{}, Touched{}, invalid("proposer is required: a delegation code such as BRA or CEPT")
	}
	name, ok := c.env.delegation(code)
	if !ok {
		return wire.OpData{}, Touched{}, invalid("unknown delegation %q", code)
	}
	next := pr.p
	next.Proposer, next.ProposerName = &code, name
	return wire.OpData{Proposal: &next, Para: pr.paragraph, Section: pr.section}, Touched{Proposals: []string{pr.p.ID}}, nil
}

func decideReopen(c *call) (wire.OpData, Touched, error) {
	pr, err := c.proposal()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if pr.p.Status != "rejected" {
		how := "undo the merge instead"
		if pr.p.Status != "merged" {
			how = "only a rejected proposal is reopened"
		}
		return wire.OpData{}, Touched{}, invalid("proposal %s is %s, not rejected: %s", c.doc.describe(pr), pr.p.Status, how)
	}
	next := pr.p
	next.Status = "tabled"
	return wire.OpData{Proposal: &next, Para: pr.paragraph, Section: pr.section}, Touched{Proposals: []string{pr.p.ID}}, nil
}
