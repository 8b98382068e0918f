package room

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// model is a document that ops apply to. A room keeps two: live (every
// accepted op) and durable (every committed op). Replaying the op log on a
// model rebuilds the document at any seq. apply is deterministic, which is
// what lets every client and every replay agree.
type model struct {
	id, title, baseRef string
	seq                int64
	proposers          []wire.Proposer
	sections           []*msection
	secs               map[string]*msection
	paras              map[string]*mpara
	proposals          map[string]*mproposal
	propOrder          []string
	notes              []wire.Note
	focus              string
	// bytes is the document's size as the limits count it (see size),
	// kept up to date by every change.
	bytes int
}

// ItemOverhead is what each section, paragraph, proposal and note adds to
// a document's size beyond its text: about what its ids, status and
// fields take in the document's JSON, so that many tiny items count too.
const ItemOverhead = 128

// Sizes of a document's parts as the document-size limit counts them:
// UTF-8 bytes of their text, plus ItemOverhead.
func sectionSize(heading string) int { return len(heading) + ItemOverhead }
func paraSize(p *mpara) int          { return len(p.text) + len(p.baseText) + len(p.label) + ItemOverhead }
func proposalSize(p wire.Proposal) int {
	return len(p.Text) + len(p.Ref) + len(p.Label) + ItemOverhead
}
func noteSize(n wire.Note) int { return len(n.Text) + ItemOverhead }

// size is the document's size: the UTF-8 bytes of every section heading,
// paragraph text, base text and label, proposal text, reference and
// label, and note text, plus ItemOverhead for each of those items.
func (m *model) size() int { return m.bytes }

// recount works the size out from scratch.
func (m *model) recount() int {
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

type msection struct {
	id, heading, kind string
	paras             []*mpara
}

type mpara struct {
	id, label, text, baseText string
	status                    draft.Status
	runs                      draft.Authorship
	sec                       *msection
}

type mproposal struct {
	p         wire.Proposal
	section   string
	paragraph string
}

func newModel(d *wire.Document) (*model, error) {
	m := &model{id: d.ID, title: d.Title, baseRef: d.BaseRef, seq: d.Seq,
		proposers: d.Proposers, secs: map[string]*msection{}, paras: map[string]*mpara{}, proposals: map[string]*mproposal{}}
	m.notes = append([]wire.Note(nil), d.Notes...)
	m.focus = d.Focus
	for _, s := range d.Sections {
		sec := &msection{id: s.ID, heading: s.Heading, kind: s.Kind}
		m.sections = append(m.sections, sec)
		m.secs[sec.id] = sec
		for _, p := range s.Paragraphs {
			runs := toAuthorship(p.Authors)
			if runs.Len() != utf8.RuneCountInString(p.Text) {
				return nil, fmt.Errorf("paragraph %s: authorship covers %d code points, text has %d", p.ID, runs.Len(), utf8.RuneCountInString(p.Text))
			}
			mp := &mpara{id: p.ID, label: p.Label, text: p.Text, baseText: p.BaseText, status: draft.Status(p.Status), runs: runs, sec: sec}
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
	m.bytes = m.recount()
	return m, nil
}

// addProposal adds a proposal, or replaces the one with its id.
func (m *model) addProposal(p wire.Proposal, section, para string) {
	if old, ok := m.proposals[p.ID]; ok {
		m.bytes -= proposalSize(old.p)
	} else {
		m.propOrder = append(m.propOrder, p.ID)
	}
	m.bytes += proposalSize(p)
	m.proposals[p.ID] = &mproposal{p: p, section: section, paragraph: para}
}

func (m *model) addNote(n wire.Note) {
	m.notes = append(m.notes, n)
	m.bytes += noteSize(n)
}

// clone deep-copies the model (texts are immutable strings; runs are
// replaced, never mutated, by Apply).
func (m *model) clone() *model {
	c := *m
	c.proposers = append([]wire.Proposer(nil), m.proposers...)
	c.notes = append([]wire.Note(nil), m.notes...)
	c.propOrder = append([]string(nil), m.propOrder...)
	c.secs, c.paras, c.proposals = map[string]*msection{}, map[string]*mpara{}, map[string]*mproposal{}
	c.sections = make([]*msection, len(m.sections))
	for i, s := range m.sections {
		ns := &msection{id: s.id, heading: s.heading, kind: s.kind, paras: make([]*mpara, len(s.paras))}
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

// toWire renders the model in the read API's shape.
func (m *model) toWire() *wire.Document {
	d := &wire.Document{ID: m.id, Title: m.title, BaseRef: m.baseRef, Seq: m.seq,
		Proposers: m.proposers, Notes: m.notes, Sections: make([]wire.Section, 0, len(m.sections)), Focus: m.focus}
	if d.Proposers == nil {
		d.Proposers = []wire.Proposer{}
	}
	if d.Notes == nil {
		d.Notes = []wire.Note{}
	}
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
		ws := wire.Section{ID: s.id, Heading: s.heading, Kind: s.kind, Paragraphs: make([]wire.Paragraph, 0, len(s.paras)), Proposals: bySec[s.id]}
		if ws.Proposals == nil {
			ws.Proposals = []wire.Proposal{}
		}
		for _, p := range s.paras {
			wp := p.toWire()
			wp.Proposals = byPara[p.id]
			if wp.Proposals == nil {
				wp.Proposals = []wire.Proposal{}
			}
			ws.Paragraphs = append(ws.Paragraphs, wp)
		}
		d.Sections = append(d.Sections, ws)
	}
	return d
}

func (p *mpara) toWire() wire.Paragraph {
	return wire.Paragraph{ID: p.id, Label: p.label, Text: p.text, Status: string(p.status), BaseText: p.baseText, Authors: toRuns(p.runs)}
}

func opData(op wire.Op) (wire.OpData, error) {
	var d wire.OpData
	if len(op.Data) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(op.Data, &d); err != nil {
		return d, fmt.Errorf("op %d (%s): data: %w", op.Seq, op.Kind, err)
	}
	return d, nil
}

// apply applies one committed or accepted op.
func (m *model) apply(op wire.Op) error {
	if err := m.applyKind(op); err != nil {
		return fmt.Errorf("apply op %d (%s): %w", op.Seq, op.Kind, err)
	}
	m.seq = op.Seq
	return nil
}

func (m *model) para(id string) (*mpara, error) {
	p := m.paras[id]
	if p == nil {
		return nil, fmt.Errorf("no paragraph %s", id)
	}
	return p, nil
}

func (m *model) applyText(id string, op ot.Op, author string) error {
	p, err := m.para(id)
	if err != nil {
		return err
	}
	text, err := ot.Apply(p.text, op)
	if err != nil {
		return err
	}
	runs, err := p.runs.Apply(op, author)
	if err != nil {
		return err
	}
	m.bytes += len(text) - len(p.text)
	p.text, p.runs = text, runs
	return nil
}

// setText records a text op whose result the rules already worked out.
func (m *model) setText(op wire.Op, text string, runs draft.Authorship) error {
	p, err := m.para(op.Para)
	if err != nil {
		return fmt.Errorf("apply op %d (%s): %w", op.Seq, op.Kind, err)
	}
	m.bytes += len(text) - len(p.text)
	p.text, p.runs = text, runs
	m.seq = op.Seq
	return nil
}

func (m *model) applyKind(op wire.Op) error {
	if op.Kind == wire.KindText {
		return m.applyText(op.Para, op.Op, op.Author)
	}
	d, err := opData(op)
	if err != nil {
		return err
	}
	switch op.Kind {
	case wire.KindStatus:
		p, err := m.para(d.Para)
		if err != nil {
			return err
		}
		p.status = draft.Status(d.Status)
	case wire.KindFocus:
		m.focus = d.Para
	case wire.KindParagraphInsert:
		if d.Paragraph == nil {
			return fmt.Errorf("no paragraph")
		}
		return m.insertParagraph(*d.Paragraph, d.Section, d.After)
	case wire.KindParagraphDelete:
		p, err := m.para(d.Para)
		if err != nil {
			return err
		}
		p.sec.paras = removePara(p.sec.paras, p)
		delete(m.paras, p.id)
		m.bytes -= paraSize(p)
		// Its proposals and notes stay with the section.
		for _, pr := range m.proposals {
			if pr.paragraph == p.id {
				pr.paragraph = ""
			}
		}
		for i := range m.notes {
			if m.notes[i].Paragraph != nil && *m.notes[i].Paragraph == p.id {
				m.notes[i].Paragraph = nil
				sec := p.sec.id
				m.notes[i].Section = &sec
			}
		}
		if m.focus == p.id {
			m.focus = ""
		}
	case wire.KindParagraphMove:
		p, err := m.para(d.Para)
		if err != nil {
			return err
		}
		sec := m.secs[d.Section]
		if sec == nil {
			return fmt.Errorf("no section %s", d.Section)
		}
		p.sec.paras = removePara(p.sec.paras, p)
		return m.place(p, sec, d.After)
	case wire.KindParagraphRelabel:
		p, err := m.para(d.Para)
		if err != nil {
			return err
		}
		if d.Label != nil {
			m.bytes += len(*d.Label) - len(p.label)
			p.label = *d.Label
		}
	case wire.KindSectionInsert:
		if m.secs[d.Section] != nil {
			return fmt.Errorf("section %s exists", d.Section)
		}
		sec := &msection{id: d.Section, heading: d.Heading, kind: d.SectionKind}
		at := 0
		if d.After != nil {
			after := m.secs[*d.After]
			if after == nil {
				return fmt.Errorf("no section %s", *d.After)
			}
			for i, s := range m.sections {
				if s == after {
					at = i + 1
				}
			}
		}
		m.sections = append(m.sections[:at], append([]*msection{sec}, m.sections[at:]...)...)
		m.secs[sec.id] = sec
		m.bytes += sectionSize(sec.heading)
	case wire.KindSectionRename:
		sec := m.secs[d.Section]
		if sec == nil {
			return fmt.Errorf("no section %s", d.Section)
		}
		m.bytes += len(d.Heading) - len(sec.heading)
		sec.heading = d.Heading
	case wire.KindProposalTable, wire.KindProposalEdit, wire.KindProposalWithdraw, wire.KindProposalReject:
		if d.Proposal == nil {
			return fmt.Errorf("no proposal")
		}
		m.addProposal(*d.Proposal, d.Section, d.Para)
	case wire.KindProposalMerge:
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
	case wire.KindNoteAdd:
		if d.Note == nil {
			return fmt.Errorf("no note")
		}
		m.addNote(*d.Note)
	case wire.KindVersionFreeze:
		// Freezing records a version; the text does not change.
	default:
		return fmt.Errorf("unknown kind")
	}
	return nil
}

func (m *model) insertParagraph(wp wire.Paragraph, section string, after *string) error {
	sec := m.secs[section]
	if sec == nil {
		return fmt.Errorf("no section %s", section)
	}
	if m.paras[wp.ID] != nil {
		return fmt.Errorf("paragraph %s exists", wp.ID)
	}
	p := &mpara{id: wp.ID, label: wp.Label, text: wp.Text, baseText: wp.BaseText, status: draft.Status(wp.Status), runs: toAuthorship(wp.Authors)}
	if p.status == "" {
		p.status = draft.StatusOpen
	}
	if err := m.place(p, sec, after); err != nil {
		return err
	}
	m.paras[p.id] = p
	m.bytes += paraSize(p)
	return nil
}

// place puts p into sec after the paragraph after (first when nil).
func (m *model) place(p *mpara, sec *msection, after *string) error {
	at := 0
	if after != nil {
		found := false
		for i, q := range sec.paras {
			if q.id == *after {
				at, found = i+1, true
			}
		}
		if !found {
			return fmt.Errorf("paragraph %s is not in section %s", *after, sec.id)
		}
	}
	sec.paras = append(sec.paras[:at], append([]*mpara{p}, sec.paras[at:]...)...)
	p.sec = sec
	return nil
}

func removePara(list []*mpara, p *mpara) []*mpara {
	out := list[:0:0]
	for _, q := range list {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}
