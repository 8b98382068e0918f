// Package document is the document model and its rules, with no I/O: the
// document, ops and actions applied to it, who may do what, replay of the
// op log, comparison of two states, and canonical JSON of versions. The
// live room, the API and the exports all use it; none of it knows about
// sockets or the database.
package document

import (
	"fmt"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Model is a document that ops apply to. A live room keeps two (every
// accepted op, every committed op); replaying the op log on one rebuilds
// the document at any seq. Apply is deterministic, which is what lets
// every client and every replay agree.
type Model struct {
	id, title, baseRef, lang string
	seq                      int64
	proposers                []wire.Proposer
	sections                 []*section
	secs                     map[string]*section
	paras                    map[string]*para
	proposals                map[string]*proposal
	propOrder                []string
	notes                    []wire.Note
	focus                    string
	focusProp                string // a proposal on the screen with the focus
	floor                    floor
	// bytes is the document's size as the limits count it (see Size),
	// kept up to date by every change.
	bytes int
}

type section struct {
	id, heading, kind string
	paras             []*para
}

type para struct {
	id, label, text, baseText string
	status                    draft.Status
	runs                      draft.Authorship
	sec                       *section
}

type proposal struct {
	p         wire.Proposal
	section   string
	paragraph string
}

// ItemOverhead is what each section, paragraph, proposal and note adds to
// a document's size beyond its text: about what its ids, status and
// fields take in the document's JSON, so that many tiny items count too.
const ItemOverhead = 128

// Sizes of a document's parts as the document-size limit counts them:
// UTF-8 bytes of their text, plus ItemOverhead.
func sectionSize(heading string) int { return len(heading) + ItemOverhead }
func paraSize(p *para) int           { return len(p.text) + len(p.baseText) + len(p.label) + ItemOverhead }
func proposalSize(p wire.Proposal) int {
	return len(p.Text) + len(p.Ref) + len(p.Label) + ItemOverhead
}
func noteSize(n wire.Note) int { return len(n.Text) + ItemOverhead }

// New makes a model of d. It refuses a paragraph whose authorship does
// not cover its text.
func New(d *wire.Document) (*Model, error) {
	m := &Model{id: d.ID, title: d.Title, baseRef: d.BaseRef, lang: d.Lang, seq: d.Seq,
		proposers: d.Proposers, secs: map[string]*section{}, paras: map[string]*para{}, proposals: map[string]*proposal{}}
	m.notes = append([]wire.Note(nil), d.Notes...)
	m.focus, m.focusProp = d.Focus, d.FocusProposal
	m.floor = floorFromWire(d.Floor)
	for _, s := range d.Sections {
		sec := &section{id: s.ID, heading: s.Heading, kind: s.Kind}
		m.sections = append(m.sections, sec)
		m.secs[sec.id] = sec
		for _, p := range s.Paragraphs {
			runs := toAuthorship(p.Authors)
			if runs.Len() != utf8.RuneCountInString(p.Text) {
				return nil, fmt.Errorf("paragraph %s: authorship covers %d code points, text has %d", p.ID, runs.Len(), utf8.RuneCountInString(p.Text))
			}
			mp := &para{id: p.ID, label: p.Label, text: p.Text, baseText: p.BaseText, status: draft.Status(p.Status), runs: runs, sec: sec}
			sec.paras = append(sec.paras, mp)
			m.paras[mp.id] = mp
			for _, pr := range p.Proposals {
				m.addProposal(pr, sec.id, p.ID)
			}
		}
		for _, pr := range s.Proposals {
			m.addProposal(pr, sec.id, "")
		}
	}
	m.bytes = m.Recount()
	return m, nil
}

// Seq is the seq of the last op applied.
func (m *Model) Seq() int64 { return m.seq }

// Size is the document's size: the UTF-8 bytes of every section heading,
// paragraph text, base text and label, proposal text, reference and
// label, and note text, plus ItemOverhead for each of those items.
func (m *Model) Size() int { return m.bytes }

// Recount works the size out from scratch (Size keeps it up to date).
func (m *Model) Recount() int {
	n := 0
	for _, s := range m.sections {
		n += sectionSize(s.heading)
		for _, p := range s.paras {
			n += paraSize(p)
		}
	}
	for _, p := range m.proposals {
		n += proposalSize(p.p)
	}
	for _, note := range m.notes {
		n += noteSize(note)
	}
	return n
}

// HasParagraph reports whether the document has a paragraph with id.
func (m *Model) HasParagraph(id string) bool { return m.paras[id] != nil }

// Paragraphs is how many paragraphs the document has.
func (m *Model) Paragraphs() int { return len(m.paras) }

// ProposalStats is how many proposals the document has and the bytes
// they count against the proposal limits (ProposalBytes).
func (m *Model) ProposalStats() (count, bytes int) {
	for _, p := range m.proposals {
		bytes += ProposalBytes(p.p)
	}
	return len(m.proposals), bytes
}

// Notes is how many notes the document has.
func (m *Model) Notes() int { return len(m.notes) }

// SetTitle renames the document.
func (m *Model) SetTitle(title string) { m.title = title }

// addProposal adds a proposal, or replaces the one with its id.
func (m *Model) addProposal(p wire.Proposal, section, para string) {
	if old, ok := m.proposals[p.ID]; ok {
		m.bytes -= proposalSize(old.p)
	} else {
		m.propOrder = append(m.propOrder, p.ID)
	}
	m.bytes += proposalSize(p)
	m.proposals[p.ID] = &proposal{p: p, section: section, paragraph: para}
}

func (m *Model) addNote(n wire.Note) {
	m.notes = append(m.notes, n)
	m.bytes += noteSize(n)
}

// Clone deep-copies the model (texts are immutable strings; runs are
// replaced, never mutated, by Apply).
func (m *Model) Clone() *Model {
	c := *m
	c.proposers = append([]wire.Proposer(nil), m.proposers...)
	c.notes = append([]wire.Note(nil), m.notes...)
	c.propOrder = append([]string(nil), m.propOrder...)
	c.floor = m.floor.clone()
	c.secs, c.paras, c.proposals = map[string]*section{}, map[string]*para{}, map[string]*proposal{}
	c.sections = make([]*section, len(m.sections))
	for i, s := range m.sections {
		ns := &section{id: s.id, heading: s.heading, kind: s.kind, paras: make([]*para, len(s.paras))}
		for j, p := range s.paras {
			np := *p
			np.sec = ns
			ns.paras[j] = &np
			c.paras[np.id] = &np
		}
		c.sections[i] = ns
		c.secs[ns.id] = ns
	}
	for id, p := range m.proposals {
		np := *p
		c.proposals[id] = &np
	}
	return &c
}

// ToWire renders the model in the read API's shape. The result shares
// nothing the model changes, so it may be read while the model goes on.
func (m *Model) ToWire() *wire.Document {
	d := &wire.Document{ID: m.id, Title: m.title, BaseRef: m.baseRef, Seq: m.seq, Lang: m.lang,
		Proposers: append([]wire.Proposer{}, m.proposers...), Notes: append([]wire.Note{}, m.notes...),
		Sections: make([]wire.Section, 0, len(m.sections)), Focus: m.focus, FocusProposal: m.focusProp, Floor: m.floor.toWire()}
	byPara := map[string][]wire.Proposal{}
	bySec := map[string][]wire.Proposal{}
	for _, id := range m.propOrder {
		p := m.proposals[id]
		if p.paragraph != "" {
			byPara[p.paragraph] = append(byPara[p.paragraph], p.p)
		} else {
			bySec[p.section] = append(bySec[p.section], p.p)
		}
	}
	for _, s := range m.sections {
		ws := wire.Section{ID: s.id, Heading: s.heading, Kind: s.kind, Paragraphs: make([]wire.Paragraph, 0, len(s.paras)), Proposals: orEmpty(bySec[s.id])}
		for _, p := range s.paras {
			wp := p.toWire()
			wp.Proposals = orEmpty(byPara[p.id])
			ws.Paragraphs = append(ws.Paragraphs, wp)
		}
		d.Sections = append(d.Sections, ws)
	}
	return d
}

func orEmpty(ps []wire.Proposal) []wire.Proposal {
	if ps == nil {
		return []wire.Proposal{}
	}
	return ps
}

func (p *para) toWire() wire.Paragraph {
	return wire.Paragraph{ID: p.id, Label: p.label, Text: p.text, Status: string(p.status), BaseText: p.baseText, Authors: toRuns(p.runs)}
}

// draft is the paragraph as the drafting rules see it.
func (p *para) draft() draft.Paragraph {
	return draft.Paragraph{Text: p.text, Authors: p.runs, Status: p.status}
}

func toAuthorship(r wire.Runs) draft.Authorship {
	a := make(draft.Authorship, len(r))
	for i, run := range r {
		a[i] = draft.Run{Len: run.Len, Author: run.Author}
	}
	return a
}

func toRuns(a draft.Authorship) wire.Runs {
	r := make(wire.Runs, len(a))
	for i, run := range a {
		r[i] = wire.Run{Len: run.Len, Author: run.Author}
	}
	return r
}

func (p *para) labelOrID() string {
	if p.label != "" {
		return p.label
	}
	return p.id
}
