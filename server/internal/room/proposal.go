package room

import (
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

var proposalActions = map[string]bool{"MOD": true, "ADD": true, "SUP": true, "NOC": true}

// decideProposal handles table, edit, withdraw, reject and merge.
func (r *Room) decideProposal(who Participant, kind string, f wire.ActionFields) (wire.OpData, touched, error) {
	live := r.state.live
	if who.Role == "rapporteur" || who.Role == "observer" {
		return wire.OpData{}, touched{}, forbidden("a %s may not table or change proposals", who.Role)
	}
	if kind == wire.KindProposalTable {
		return r.tableProposal(who, f)
	}
	pr := live.proposals[f.Proposal]
	if f.Proposal == "" || pr == nil {
		return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no proposal %q in this document", f.Proposal)
	}
	if pr.p.Status != "tabled" {
		return wire.OpData{}, touched{}, invalid("proposal %s is %s, not tabled", pr.p.ID, pr.p.Status)
	}
	own := who.Role == "delegate" && pr.p.Proposer != nil && *pr.p.Proposer == who.Delegation
	next := pr.p
	data := wire.OpData{Para: pr.paragraph, Section: pr.section}
	t := touched{proposals: []string{pr.p.ID}}
	switch kind {
	case wire.KindProposalWithdraw:
		if !own && !isChair(who) {
			return wire.OpData{}, touched{}, forbidden("delegates may only withdraw their own delegation's proposals")
		}
		next.Status = "withdrawn"
	case wire.KindProposalEdit:
		if !own && !isChair(who) {
			return wire.OpData{}, touched{}, forbidden("delegates may only edit their own delegation's proposals")
		}
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
		if err := r.checkProposal(next, pr.paragraph); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if err := r.checkProposalLimits(who, &pr.p, next); err != nil {
			return wire.OpData{}, touched{}, err
		}
	case wire.KindProposalReject:
		if !isChair(who) {
			return wire.OpData{}, touched{}, forbidden("only the chair may reject a proposal")
		}
		next.Status = "rejected"
	case wire.KindProposalMerge:
		if !isChair(who) {
			return wire.OpData{}, touched{}, forbidden("only the chair may merge a proposal")
		}
		next.Status = "merged"
		if err := r.merge(pr, &data, &t); err != nil {
			return wire.OpData{}, touched{}, err
		}
	}
	data.Proposal = &next
	return data, t, nil
}

func (r *Room) tableProposal(who Participant, f wire.ActionFields) (wire.OpData, touched, error) {
	live := r.state.live
	proposer := who.Delegation
	if isChair(who) {
		proposer = strings.ToUpper(strings.TrimSpace(f.Proposer))
	}
	if proposer == "" {
		return wire.OpData{}, touched{}, invalid("the chair must name the proposer (a delegation code) when tabling a proposal")
	}
	name, ok := r.cfg.Delegation(proposer)
	if !ok {
		return wire.OpData{}, touched{}, invalid("unknown delegation %q", proposer)
	}
	p := wire.Proposal{ID: uuid.NewString(), Proposer: &proposer, ProposerName: name,
		Action: strings.ToUpper(f.Action), Text: deref(f.Text), Ref: f.DocRef, Label: deref(f.Label), Status: "tabled"}
	data := wire.OpData{}
	switch {
	case f.Para != "":
		para := live.paras[f.Para]
		if para == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no paragraph %q in this document", f.Para)
		}
		data.Para, data.Section = para.id, para.sec.id
	case f.Section != "":
		sec := live.secs[f.Section]
		if sec == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", f.Section)
		}
		data.Section = sec.id
	default:
		return wire.OpData{}, touched{}, invalid("a proposal needs para or section")
	}
	if err := r.checkProposal(p, data.Para); err != nil {
		return wire.OpData{}, touched{}, err
	}
	if err := r.checkProposalLimits(who, nil, p); err != nil {
		return wire.OpData{}, touched{}, err
	}
	data.Proposal = &p
	return data, touched{proposals: []string{p.ID}}, nil
}

func (r *Room) checkProposal(p wire.Proposal, para string) error {
	if !proposalActions[p.Action] {
		return invalid("action must be MOD, ADD, SUP or NOC, not %q", p.Action)
	}
	if p.Action != "ADD" && para == "" {
		return invalid("a %s proposal must name the paragraph it changes", p.Action)
	}
	if (p.Action == "MOD" || p.Action == "ADD") && strings.TrimSpace(p.Text) == "" {
		return invalid("a %s proposal needs text", p.Action)
	}
	if utf8.RuneCountInString(p.Ref) > r.cfg.MaxDocRef || utf8.RuneCountInString(p.Label) > r.cfg.MaxLabel {
		return invalid("a document reference is at most %d characters and a label %d", r.cfg.MaxDocRef, r.cfg.MaxLabel)
	}
	return r.checkText(p.Text)
}

// merge works out what merging a proposal does to the working text.
func (r *Room) merge(pr *mproposal, data *wire.OpData, t *touched) error {
	live := r.state.live
	author := "chair"
	if pr.p.Proposer != nil {
		author = *pr.p.Proposer
	}
	name := pr.p.ProposerName
	if name == "" {
		name = author
	}
	switch pr.p.Action {
	case "MOD", "SUP":
		p := live.paras[pr.paragraph]
		if p == nil {
			return invalid("the paragraph this proposal changes no longer exists")
		}
		op := draft.MergeMod(p.text, pr.p.Text)
		if pr.p.Action == "SUP" {
			op = draft.MergeSup(p.text)
			ref := ""
			if pr.p.Ref != "" {
				ref = " (" + pr.p.Ref + ")"
			}
			n := wire.Note{ID: uuid.NewString(), Text: name + " proposes to suppress this paragraph" + ref + ".", Kind: "remark", Author: name, Paragraph: &p.id, Section: &p.sec.id}
			data.Note = &n
			t.notes = append(t.notes, n.ID)
		}
		if err := textOpFor(p, op); err != nil {
			return err
		}
		grown := lenBytesDelta(op)
		if data.Note != nil {
			if err := r.checkNoteLimits(Participant{Role: "chair"}, *data.Note); err != nil {
				return err
			}
			grown += noteSize(*data.Note)
		}
		if err := r.checkGrowth(grown); err != nil {
			return err
		}
		data.Para, data.Op, data.Author = p.id, op, author
		t.paras = append(t.paras, p.id)
	case "ADD":
		if len(live.paras) >= r.cfg.MaxParagraphs {
			return invalid("the document already has %d paragraphs, the limit", r.cfg.MaxParagraphs)
		}
		sec := live.secs[pr.section]
		if sec == nil {
			return invalid("the section this proposal adds to no longer exists")
		}
		var after *string
		if pr.paragraph != "" && live.paras[pr.paragraph] != nil {
			id := pr.paragraph
			after = &id
		} else if n := len(sec.paras); n > 0 {
			id := sec.paras[n-1].id
			after = &id
		}
		text := "[" + strings.TrimSpace(pr.p.Text) + "]"
		if err := r.checkGrowth(len(text) + len(pr.p.Label) + ItemOverhead); err != nil {
			return err
		}
		n := utf8.RuneCountInString(text)
		wp := &wire.Paragraph{ID: uuid.NewString(), Label: pr.p.Label, Text: text, Status: string(draft.StatusOpen), Authors: toRuns(draft.Uniform(n, author))}
		data.Paragraph, data.Section, data.After, data.First = wp, sec.id, after, after == nil
		t.sections = append(t.sections, sec.id)
	case "NOC":
		// No change to the text: the proposal is simply recorded as merged.
	}
	return nil
}
