package room

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

func (r *Room) onAction(m *Member, a wire.Action) {
	if !r.ready(m, a.RefID) || r.resent(m, a.RefID) {
		return
	}
	r.doAction(m, a)
}

func (r *Room) doAction(m *Member, a wire.Action) {
	var f wire.ActionFields
	if err := json.Unmarshal(a.Fields, &f); err != nil {
		r.sendError(m, a.RefID, wire.CodeInvalid, "action fields: "+err.Error())
		return
	}
	data, t, err := r.decide(m.who, a.Kind, f)
	if err != nil {
		r.refuse(m, a.RefID, err)
		return
	}
	raw, _ := json.Marshal(data)
	op := wire.Op{Kind: a.Kind, Para: data.Para, Author: m.who.actor().Author(), Delegation: m.who.Delegation,
		Participant: m.who.ID, Ref: a.RefID, Data: raw}
	r.push(&accepted{op: op, sender: m, touch: t, action: &a})
}

func forbidden(format string, a ...any) error { return errCode(wire.CodeForbidden, format, a...) }
func invalid(format string, a ...any) error   { return errCode(wire.CodeInvalid, format, a...) }

func isChair(who Participant) bool { return who.Role == "chair" || who.Role == "admin" }

// decide checks an action against the roles and the live document and says
// what it does.
func (r *Room) decide(who Participant, kind string, f wire.ActionFields) (wire.OpData, touched, error) {
	live := r.state.live
	chairOnly := func(what string) error {
		if !isChair(who) {
			return forbidden("only the chair may %s", what)
		}
		return nil
	}
	para := func(id string) (*mpara, error) {
		if id == "" {
			return nil, invalid("para is required")
		}
		p := live.paras[id]
		if p == nil {
			return nil, errCode(wire.CodeNotFound, "no paragraph %q in this document", id)
		}
		return p, nil
	}
	switch kind {
	case wire.KindStatus:
		p, err := para(f.Para)
		if err != nil {
			return wire.OpData{}, touched{}, err
		}
		if err := draft.CheckStatus(who.actor(), draft.Paragraph{Text: p.text, Authors: p.runs, Status: p.status}, draft.Status(f.Status)); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Para: p.id, Status: f.Status}, touched{paras: []string{p.id}}, nil

	case wire.KindFocus:
		if err := chairOnly("move the focus"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if _, err := para(f.Para); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Para: f.Para}, touched{}, nil

	case wire.KindParagraphInsert:
		if err := chairOnly("add paragraphs"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		sec := live.secs[f.Section]
		if sec == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", f.Section)
		}
		if err := checkAfter(sec, f.After); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if len(live.paras) >= r.cfg.MaxParagraphs {
			return wire.OpData{}, touched{}, invalid("the document already has %d paragraphs, the limit", r.cfg.MaxParagraphs)
		}
		label, text := deref(f.Label), deref(f.Text)
		if err := r.checkLabel(label); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if err := r.checkText(text); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if err := r.checkGrowth(len(text) + len(label) + ItemOverhead); err != nil {
			return wire.OpData{}, touched{}, err
		}
		author := who.actor().Author()
		n := utf8.RuneCountInString(text)
		wp := &wire.Paragraph{ID: uuid.NewString(), Label: label, Text: text, Status: string(draft.StatusOpen), Authors: toRuns(draft.Uniform(n, author))}
		return wire.OpData{Para: wp.ID, Section: sec.id, After: f.After, First: f.After == nil, Paragraph: wp},
			touched{sections: []string{sec.id}}, nil

	case wire.KindParagraphDelete:
		if err := chairOnly("delete paragraphs"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		p, err := para(f.Para)
		if err != nil {
			return wire.OpData{}, touched{}, err
		}
		if p.status == draft.StatusAgreed {
			return wire.OpData{}, touched{}, forbidden("paragraph %s is agreed; reopen it before deleting it", labelOf(p))
		}
		t := touched{sections: []string{p.sec.id}, deleted: []string{p.id}}
		for id, pr := range live.proposals {
			if pr.paragraph == p.id {
				t.proposals = append(t.proposals, id)
			}
		}
		for _, n := range live.notes {
			if n.Paragraph != nil && *n.Paragraph == p.id {
				t.notes = append(t.notes, n.ID)
			}
		}
		return wire.OpData{Para: p.id, Section: p.sec.id}, t, nil

	case wire.KindParagraphMove:
		if err := chairOnly("move paragraphs"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		p, err := para(f.Para)
		if err != nil {
			return wire.OpData{}, touched{}, err
		}
		sec := live.secs[f.Section]
		if sec == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", f.Section)
		}
		if f.After != nil && *f.After == p.id {
			return wire.OpData{}, touched{}, invalid("a paragraph cannot move after itself")
		}
		if err := checkAfter(sec, f.After); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Para: p.id, Section: sec.id, After: f.After, First: f.After == nil},
			touched{sections: []string{p.sec.id, sec.id}}, nil

	case wire.KindParagraphRelabel:
		if err := chairOnly("relabel paragraphs"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		p, err := para(f.Para)
		if err != nil {
			return wire.OpData{}, touched{}, err
		}
		if f.Label == nil {
			return wire.OpData{}, touched{}, invalid("label is required")
		}
		if err := r.checkLabel(*f.Label); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if err := r.checkGrowth(len(*f.Label) - len(p.label)); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Para: p.id, Label: f.Label}, touched{paras: []string{p.id}}, nil

	case wire.KindSectionInsert:
		if err := chairOnly("add sections"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		if f.After != nil && live.secs[*f.After] == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", *f.After)
		}
		heading := strings.TrimSpace(f.Heading)
		if heading == "" || utf8.RuneCountInString(heading) > r.cfg.MaxHeading {
			return wire.OpData{}, touched{}, invalid("heading must be 1 to %d characters", r.cfg.MaxHeading)
		}
		kind := f.SectionKind
		if kind == "" {
			kind = "operative"
			if heading == strings.ToUpper(heading) && heading != "RESOLVES" {
				kind = "preamble"
			}
		}
		if kind != "preamble" && kind != "operative" {
			return wire.OpData{}, touched{}, invalid("section_kind must be preamble or operative")
		}
		if err := r.checkGrowth(sectionSize(heading)); err != nil {
			return wire.OpData{}, touched{}, err
		}
		id := uuid.NewString()
		all := []string{id}
		for _, s := range live.sections {
			all = append(all, s.id)
		}
		return wire.OpData{Section: id, After: f.After, First: f.After == nil, Heading: heading, SectionKind: kind}, touched{sections: all}, nil

	case wire.KindSectionRename:
		if err := chairOnly("rename sections"); err != nil {
			return wire.OpData{}, touched{}, err
		}
		sec := live.secs[f.Section]
		if sec == nil {
			return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", f.Section)
		}
		heading := strings.TrimSpace(f.Heading)
		if heading == "" || utf8.RuneCountInString(heading) > r.cfg.MaxHeading {
			return wire.OpData{}, touched{}, invalid("heading must be 1 to %d characters", r.cfg.MaxHeading)
		}
		if err := r.checkGrowth(len(heading) - len(sec.heading)); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Section: sec.id, Heading: heading}, touched{sections: []string{sec.id}}, nil

	case wire.KindNoteAdd:
		if !isChair(who) && who.Role != "rapporteur" {
			return wire.OpData{}, touched{}, forbidden("only the chair and the rapporteur add notes")
		}
		text := strings.TrimSpace(deref(f.Text))
		if text == "" || utf8.RuneCountInString(text) > r.cfg.MaxNote {
			return wire.OpData{}, touched{}, invalid("a note needs 1 to %d characters of text", r.cfg.MaxNote)
		}
		n := wire.Note{ID: uuid.NewString(), Text: text, Kind: "remark", Author: who.Name}
		switch {
		case f.Para != "":
			p, err := para(f.Para)
			if err != nil {
				return wire.OpData{}, touched{}, err
			}
			n.Paragraph, n.Section = &p.id, &p.sec.id
		case f.Section != "":
			sec := live.secs[f.Section]
			if sec == nil {
				return wire.OpData{}, touched{}, errCode(wire.CodeNotFound, "no section %q", f.Section)
			}
			n.Section = &sec.id
		}
		if err := r.checkNoteLimits(who, n); err != nil {
			return wire.OpData{}, touched{}, err
		}
		return wire.OpData{Para: f.Para, Section: f.Section, Note: &n}, touched{notes: []string{n.ID}}, nil

	case wire.KindProposalTable, wire.KindProposalEdit, wire.KindProposalWithdraw, wire.KindProposalReject, wire.KindProposalMerge:
		return r.decideProposal(who, kind, f)
	}
	return wire.OpData{}, touched{}, invalid("unknown action kind %q", kind)
}

func (r *Room) checkText(text string) error {
	if err := wire.CheckText(text); err != nil {
		return invalid("%v", err)
	}
	if n := utf8.RuneCountInString(text); n > r.cfg.MaxParagraph {
		return invalid("text is %d characters long; the limit is %d", n, r.cfg.MaxParagraph)
	}
	if _, err := draft.ParseBrackets(text); err != nil {
		return invalid("%v", err)
	}
	return nil
}

func (r *Room) checkLabel(l string) error {
	if utf8.RuneCountInString(l) > r.cfg.MaxLabel || strings.ContainsAny(l, "\n\r") {
		return invalid("a label is at most %d characters on one line", r.cfg.MaxLabel)
	}
	return nil
}

func checkAfter(sec *msection, after *string) error {
	if after == nil {
		return nil
	}
	for _, p := range sec.paras {
		if p.id == *after {
			return nil
		}
	}
	return errCode(wire.CodeNotFound, "paragraph %q is not in section %q", *after, sec.id)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func labelOf(p *mpara) string {
	if p.label != "" {
		return p.label
	}
	return p.id
}

// textOpFor checks the chair's rules on a merge's text op.
func textOpFor(p *mpara, op ot.Op) error {
	return draft.CheckEdit(draft.Actor{Role: draft.RoleChair}, draft.Paragraph{Text: p.text, Authors: p.runs, Status: p.status}, op)
}

var _ = fmt.Sprintf
