package document

import (
	"github.com/draftroom/draftroom/server/wire"
)

// Rows are the rows of a document's tables as they now stand, for a
// commit to write: just those a batch of ops touched.
type Rows struct {
	Sections          []SectionRow
	Paragraphs        []ParagraphRow
	Proposals         []ProposalRow
	Notes             []NoteRow
	DeletedParagraphs []string
	DeletedNotes      []string
	// Focus, when set, is the chair's focus after the batch ("" for none),
	// and FocusProposal the proposal on the screen with it.
	Focus, FocusProposal *string
	// Floor, when set, is the floor after the batch.
	Floor *wire.Floor
}

// SectionRow is a section as it now stands.
type SectionRow struct {
	ID       string
	Position int
	Heading  string
	Kind     string
}

// ParagraphRow is a paragraph as it now stands.
type ParagraphRow struct {
	ID, Section string
	Position    int
	Label, Text string
	BaseText    string // written only when the paragraph is new
	Status      string
	Authors     wire.Runs
}

// ProposalRow is a proposal as it now stands.
type ProposalRow struct {
	Proposal           wire.Proposal
	Section, Paragraph string // ids; Paragraph "" when anchored to the section
	Position           int
}

// NoteRow is a note as it now stands.
type NoteRow struct {
	Note     wire.Note
	Position int
}

// Rows collects the rows a batch of ops touched, from m: the model just
// after the batch.
func (m *Model) Rows(touched ...Touched) Rows {
	var r Rows
	paras, secs, props, notes := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, t := range touched {
		for _, id := range t.Paras {
			paras[id] = true
		}
		for _, id := range t.Sections {
			secs[id] = true
		}
		for _, id := range t.Proposals {
			props[id] = true
		}
		for _, id := range t.Notes {
			notes[id] = true
		}
		r.DeletedParagraphs = append(r.DeletedParagraphs, t.Deleted...)
		r.DeletedNotes = append(r.DeletedNotes, t.DeletedNotes...)
		if t.Focus {
			f, p := m.focus, m.focusProp
			r.Focus, r.FocusProposal = &f, &p
		}
		if t.Floor {
			r.Floor = m.floor.toWire()
		}
	}
	for i, sec := range m.sections {
		if secs[sec.id] {
			r.Sections = append(r.Sections, SectionRow{ID: sec.id, Position: i, Heading: sec.heading, Kind: sec.kind})
			for _, p := range sec.paras {
				paras[p.id] = true
			}
		}
	}
	for id := range paras {
		if row, ok := m.paragraphRow(id); ok {
			r.Paragraphs = append(r.Paragraphs, row)
		}
	}
	for i, id := range m.propOrder {
		if pr := m.proposals[id]; props[id] && pr != nil {
			r.Proposals = append(r.Proposals, ProposalRow{Proposal: pr.p, Section: pr.section, Paragraph: pr.paragraph, Position: i})
		}
	}
	for i, n := range m.notes {
		if notes[n.ID] {
			r.Notes = append(r.Notes, NoteRow{Note: n, Position: i})
		}
	}
	return r
}

// paragraphRow is paragraph id's row, or false when it is gone (deleted
// later in the batch).
func (m *Model) paragraphRow(id string) (ParagraphRow, bool) {
	p := m.paras[id]
	if p == nil {
		return ParagraphRow{}, false
	}
	pos := 0
	for i, q := range p.sec.paras {
		if q == p {
			pos = i
		}
	}
	return ParagraphRow{ID: p.id, Section: p.sec.id, Position: pos,
		Label: p.label, Text: p.text, BaseText: p.baseText, Status: string(p.status), Authors: toRuns(p.runs)}, true
}
