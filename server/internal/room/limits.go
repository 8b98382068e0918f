package room

import (
	"github.com/draftroom/draftroom/server/wire"
)

// The document limits (Config, "Limits"). Each check is made on what an
// action adds; an action that adds nothing is never refused by a limit,
// so deleting, withdrawing and rejecting work on a document at its limits.

// checkGrowth refuses an action that would take the document past its
// size limit. add is what the action adds to model.size (≤ 0: nothing).
func (r *Room) checkGrowth(add int) error {
	if add <= 0 {
		return nil
	}
	if n, max := r.state.live.size()+add, r.cfg.MaxDocumentBytes; n > max {
		return invalid("the document would be %d bytes, over its limit of %d bytes: delete text, paragraphs or notes first", n, max)
	}
	return nil
}

// proposalBytes is what a proposal counts against the proposal limits.
func proposalBytes(p wire.Proposal) int { return len(p.Text) + len(p.Ref) + len(p.Label) }

// checkProposal refuses a proposal tabled (old nil) or edited (old its
// current state) past the limits on proposals. The per-delegation limits
// hold a delegation's own delegates, not the chair tabling for it.
func (r *Room) checkProposalLimits(who Participant, old *wire.Proposal, next wire.Proposal) error {
	live := r.state.live
	count, total, mine, mineBytes := 0, 0, 0, 0
	proposer := ""
	if next.Proposer != nil {
		proposer = *next.Proposer
	}
	for _, pr := range live.proposals {
		count++
		total += proposalBytes(pr.p)
		if pr.p.Proposer != nil && *pr.p.Proposer == proposer {
			mine++
			mineBytes += proposalBytes(pr.p)
		}
	}
	added, grown := 1, proposalBytes(next)
	if old != nil {
		added, grown = 0, grown-proposalBytes(*old)
	}
	perDelegation := !isChair(who)
	switch {
	case added > 0 && count+added > r.cfg.MaxProposals:
		return invalid("the document already has %d proposals, its limit", count)
	case added > 0 && perDelegation && mine+added > r.cfg.MaxProposalsPerDelegation:
		return invalid("%s already has %d proposals in this document, the limit for a delegation", proposer, mine)
	case grown > 0 && total+grown > r.cfg.MaxProposalBytes:
		return invalid("the document's proposals would hold %d bytes, over their limit of %d bytes", total+grown, r.cfg.MaxProposalBytes)
	case grown > 0 && perDelegation && mineBytes+grown > r.cfg.MaxProposalBytesPerDelegation:
		return invalid("%s's proposals would hold %d bytes, over the limit of %d bytes for a delegation", proposer, mineBytes+grown, r.cfg.MaxProposalBytesPerDelegation)
	}
	size := proposalSize(next)
	if old != nil {
		size -= proposalSize(*old)
	}
	return r.checkGrowth(size)
}

// checkNoteLimits refuses a note past the limits on notes. The per-author
// limits hold everyone but the chair.
func (r *Room) checkNoteLimits(who Participant, n wire.Note) error {
	live := r.state.live
	total, mine, mineBytes := 0, 0, 0
	for _, x := range live.notes {
		total += len(x.Text)
		if x.Author == n.Author {
			mine++
			mineBytes += len(x.Text)
		}
	}
	perAuthor := !isChair(who)
	switch {
	case len(live.notes)+1 > r.cfg.MaxNotes:
		return invalid("the document already has %d notes, its limit", len(live.notes))
	case perAuthor && mine+1 > r.cfg.MaxNotesPerAuthor:
		return invalid("you already have %d notes in this document, the limit for one author", mine)
	case total+len(n.Text) > r.cfg.MaxNoteBytes:
		return invalid("the document's notes would hold %d bytes, over their limit of %d bytes", total+len(n.Text), r.cfg.MaxNoteBytes)
	case perAuthor && mineBytes+len(n.Text) > r.cfg.MaxNoteBytesPerAuthor:
		return invalid("your notes would hold %d bytes, over the limit of %d bytes for one author", mineBytes+len(n.Text), r.cfg.MaxNoteBytesPerAuthor)
	}
	return r.checkGrowth(noteSize(n))
}
