package document

import (
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// proposal.merge: the chair brings a proposal into the working text. A MOD
// becomes word-level bracketed alternatives, a SUP brackets the paragraph
// and notes who would suppress it, an ADD becomes a new bracketed
// paragraph, and a NOC changes nothing but the proposal's status.

func decideMerge(c *call) (wire.OpData, Touched, error) {
	pr, data, t, err := c.tabled()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if pr.p.Proposer == nil || *pr.p.Proposer == "" {
		// Merged text is credited to its proposer, never to the chair.
		return wire.OpData{}, Touched{}, invalid("assign a proposer first: proposal %s has no proposer, and merged text is credited to the delegation that proposed it", c.doc.describe(pr))
	}
	next := pr.p
	next.Status = "merged"
	switch pr.p.Action {
	case "MOD", "SUP":
		err = c.mergeText(pr, &data, &t)
	case "ADD":
		err = c.mergeAdd(pr, &data, &t)
	}
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	data.Proposal = &next
	return data, t, nil
}

// mergeText works out a MOD's or SUP's text op on its paragraph.
func (c *call) mergeText(pr *proposal, data *wire.OpData, t *Touched) error {
	author, name := proposerOf(pr.p)
	p := c.doc.paras[pr.paragraph]
	if p == nil {
		return invalid("the paragraph this proposal changes no longer exists")
	}
	ref := ""
	if pr.p.Ref != "" {
		ref = " (" + pr.p.Ref + ")"
	}
	note := func(text string) {
		n := wire.Note{ID: c.env.newID(), Text: text, Kind: "remark", Author: name, Paragraph: &p.id, Section: &p.sec.id}
		data.Note = &n
		t.Notes = append(t.Notes, n.ID)
	}
	var op ot.Op
	if pr.p.Action == "SUP" {
		op = draft.MergeSup(p.text)
		note(name + " proposes to suppress this paragraph" + ref + ".")
	} else {
		m := draft.MergeModDetail(p.text, pr.p.Text)
		op = m.Op
		// Brackets alone do not say that the proposer wants bracketed
		// words gone: a note on the paragraph does.
		if gone := deletedWords(m); gone != "" {
			note(name + " proposes to delete " + gone + ref + ".")
		}
	}
	// The merge is the chair's edit: it must pass the chair's rules.
	if err := draft.CheckEdit(chair.Draft(), p.draft(), op); err != nil {
		return err
	}
	grown := insertedBytes(op)
	if data.Note != nil {
		if err := c.env.Limits.checkNote(c.doc, chair, *data.Note); err != nil {
			return err
		}
		grown += noteSize(*data.Note)
	}
	if err := c.env.Limits.checkGrowth(c.doc, grown); err != nil {
		return err
	}
	data.Para, data.Op, data.Author = p.id, op, author
	t.Paras = append(t.Paras, p.id)
	return nil
}

// mergeAdd makes an ADD's new paragraph, bracketed, after the paragraph
// it is anchored to (or at the end of its section).
func (c *call) mergeAdd(pr *proposal, data *wire.OpData, t *Touched) error {
	if err := c.env.Limits.checkParagraphs(c.doc); err != nil {
		return err
	}
	sec := c.doc.secs[pr.section]
	if sec == nil {
		return invalid("the section this proposal adds to no longer exists")
	}
	var after *string
	if pr.paragraph != "" && c.doc.paras[pr.paragraph] != nil {
		id := pr.paragraph
		after = &id
	} else if n := len(sec.paras); n > 0 {
		id := sec.paras[n-1].id
		after = &id
	}
	text := "[" + strings.TrimSpace(pr.p.Text) + "]"
	if err := c.env.Limits.checkGrowth(c.doc, len(text)+len(pr.p.Label)+ItemOverhead); err != nil {
		return err
	}
	author, _ := proposerOf(pr.p)
	data.Paragraph, data.Section, data.After, data.First = c.newParagraph(pr.p.Label, text, author), sec.id, after, after == nil
	t.Sections = append(t.Sections, sec.id)
	return nil
}

// deletedWords quotes the words a merge's MergeDelete groups bracket:
// "a", "a" and "b", "a", "b" and "c".
func deletedWords(m draft.Merge) string {
	var q []string
	for _, g := range m.Groups {
		if g.Kind == draft.MergeDelete {
			q = append(q, `"`+strings.TrimSpace(g.Current)+`"`)
		}
	}
	return draft.JoinAnd(q)
}

// applyMerge records the merged proposal and applies what the merge did
// to the text: an op on a paragraph, a new paragraph, a note.
func applyMerge(m *Model, d wire.OpData) error {
	if d.Proposal == nil {
		return fmt.Errorf("no proposal")
	}
	pr := m.proposals[d.Proposal.ID]
	if pr == nil {
		return fmt.Errorf("no proposal %s", d.Proposal.ID)
	}
	m.bytes += proposalSize(*d.Proposal) - proposalSize(pr.p)
	pr.p = *d.Proposal
	if len(d.Op) > 0 {
		if err := m.applyText(d.Para, d.Op, d.Author); err != nil {
			return err
		}
	}
	if d.Paragraph != nil {
		if err := m.insertParagraph(*d.Paragraph, d.Section, d.After); err != nil {
			return err
		}
	}
	if d.Note != nil {
		m.addNote(*d.Note)
	}
	return nil
}
