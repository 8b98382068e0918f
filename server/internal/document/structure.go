package document

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// The chair's actions on status, focus and structure.

func decideStatus(c *call) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := draft.CheckStatus(c.who.Draft(), p.draft(), draft.Status(c.f.Status)); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Para: p.id, Status: c.f.Status}, Touched{Paras: []string{p.id}}, nil
}

func applyStatus(m *Model, d wire.OpData) error {
	p, err := m.para(d.Para)
	if err != nil {
		return err
	}
	p.status = draft.Status(d.Status)
	return nil
}

// decideFocus puts the room on a paragraph and, optionally, one of its
// proposals (or one of its section's) on the screen beside it.
func decideFocus(c *call) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if c.f.Proposal != "" {
		pr, err := c.proposal()
		if err != nil {
			return wire.OpData{}, Touched{}, err
		}
		if pr.paragraph != p.id && (pr.paragraph != "" || pr.section != p.sec.id) {
			name := pr.p.Ref
			if name == "" {
				name = pr.p.ID
			}
			return wire.OpData{}, Touched{}, invalid("proposal %s is not about paragraph %s or its section: put the focus on its own paragraph", name, p.labelOrID())
		}
	}
	return wire.OpData{Para: p.id, FocusProposal: c.f.Proposal}, Touched{Focus: true}, nil
}

func applyFocus(m *Model, d wire.OpData) error {
	m.focus, m.focusProp = d.Para, d.FocusProposal
	return nil
}

func decideParagraphInsert(c *call) (wire.OpData, Touched, error) {
	sec, err := c.section(c.f.Section)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := checkAfter(sec, c.f.After); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	lim := &c.env.Limits
	if err := lim.checkParagraphs(c.doc); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	label, text := deref(c.f.Label), deref(c.f.Text)
	if err := lim.checkLabel(label); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := lim.checkText(text); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := lim.checkGrowth(c.doc, len(text)+len(label)+ItemOverhead); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	wp := c.newParagraph(label, text, c.who.Author())
	return wire.OpData{Para: wp.ID, Section: sec.id, After: c.f.After, First: c.f.After == nil, Paragraph: wp},
		Touched{Sections: []string{sec.id}}, nil
}

// newParagraph is a new open paragraph of text, all by author.
func (c *call) newParagraph(label, text, author string) *wire.Paragraph {
	n := utf8.RuneCountInString(text)
	return &wire.Paragraph{ID: c.env.newID(), Label: label, Text: text, Status: string(draft.StatusOpen), Authors: toRuns(draft.Uniform(n, author))}
}

func applyParagraphInsert(m *Model, d wire.OpData) error {
	if d.Paragraph == nil {
		return fmt.Errorf("no paragraph")
	}
	return m.insertParagraph(*d.Paragraph, d.Section, d.After)
}

func decideParagraphDelete(c *call) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if p.status == draft.StatusAgreed {
		return wire.OpData{}, Touched{}, forbidden("paragraph %s is agreed; reopen it before deleting it", p.labelOrID())
	}
	return wire.OpData{Para: p.id, Section: p.sec.id}, c.deleteTouches(p), nil
}

// deleteTouches is what deleting p touches: its section, itself, the
// proposals and notes anchored to it, which move to the section, and the
// focus and the requests for the floor on it, which leave it.
func (c *call) deleteTouches(p *para) Touched {
	t := Touched{Sections: []string{p.sec.id}, Deleted: []string{p.id}, Focus: c.doc.focus == p.id, Floor: c.doc.floor.names(p.id)}
	for id, pr := range c.doc.proposals {
		if pr.paragraph == p.id {
			t.Proposals = append(t.Proposals, id)
		}
	}
	for _, n := range c.doc.notes {
		if n.Paragraph != nil && *n.Paragraph == p.id {
			t.Notes = append(t.Notes, n.ID)
		}
	}
	return t
}

func applyParagraphDelete(m *Model, d wire.OpData) error { return m.deleteParagraph(d.Para) }

// deleteParagraph deletes a paragraph; its proposals and notes stay with
// its section, and the focus and requests for the floor leave it.
func (m *Model) deleteParagraph(id string) error {
	p, err := m.para(id)
	if err != nil {
		return err
	}
	p.sec.paras = removePara(p.sec.paras, p)
	delete(m.paras, p.id)
	m.bytes -= paraSize(p)
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
		m.focus, m.focusProp = "", ""
	}
	m.floor.forget(p.id)
	return nil
}

func decideParagraphMove(c *call) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	sec, err := c.section(c.f.Section)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if c.f.After != nil && *c.f.After == p.id {
		return wire.OpData{}, Touched{}, invalid("a paragraph cannot move after itself")
	}
	if err := checkAfter(sec, c.f.After); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Para: p.id, Section: sec.id, After: c.f.After, First: c.f.After == nil},
		Touched{Sections: []string{p.sec.id, sec.id}}, nil
}

func applyParagraphMove(m *Model, d wire.OpData) error {
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
}

func decideParagraphRelabel(c *call) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if c.f.Label == nil {
		return wire.OpData{}, Touched{}, invalid("label is required")
	}
	if err := c.env.Limits.checkLabel(*c.f.Label); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := c.env.Limits.checkGrowth(c.doc, len(*c.f.Label)-len(p.label)); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Para: p.id, Label: c.f.Label}, Touched{Paras: []string{p.id}}, nil
}

func applyParagraphRelabel(m *Model, d wire.OpData) error {
	p, err := m.para(d.Para)
	if err != nil {
		return err
	}
	if d.Label != nil {
		m.bytes += len(*d.Label) - len(p.label)
		p.label = *d.Label
	}
	return nil
}

func decideSectionInsert(c *call) (wire.OpData, Touched, error) {
	if c.f.After != nil && c.doc.secs[*c.f.After] == nil {
		return wire.OpData{}, Touched{}, notFound("no section %q", *c.f.After)
	}
	heading, err := c.env.Limits.heading(c.f.Heading)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	kind := c.f.SectionKind
	if kind == "" {
		kind = "operative"
		if heading == strings.ToUpper(heading) && heading != "RESOLVES" {
			kind = "preamble"
		}
	}
	if kind != "preamble" && kind != "operative" {
		return wire.OpData{}, Touched{}, invalid("section_kind must be preamble or operative")
	}
	if err := c.env.Limits.checkGrowth(c.doc, sectionSize(heading)); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	id := c.env.newID()
	all := []string{id}
	for _, s := range c.doc.sections {
		all = append(all, s.id)
	}
	return wire.OpData{Section: id, After: c.f.After, First: c.f.After == nil, Heading: heading, SectionKind: kind}, Touched{Sections: all}, nil
}

func applySectionInsert(m *Model, d wire.OpData) error {
	if m.secs[d.Section] != nil {
		return fmt.Errorf("section %s exists", d.Section)
	}
	sec := &section{id: d.Section, heading: d.Heading, kind: d.SectionKind}
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
	m.sections = append(m.sections[:at], append([]*section{sec}, m.sections[at:]...)...)
	m.secs[sec.id] = sec
	m.bytes += sectionSize(sec.heading)
	return nil
}

func decideSectionRename(c *call) (wire.OpData, Touched, error) {
	sec, err := c.section(c.f.Section)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	heading, err := c.env.Limits.heading(c.f.Heading)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if err := c.env.Limits.checkGrowth(c.doc, len(heading)-len(sec.heading)); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Section: sec.id, Heading: heading}, Touched{Sections: []string{sec.id}}, nil
}

func applySectionRename(m *Model, d wire.OpData) error {
	sec := m.secs[d.Section]
	if sec == nil {
		return fmt.Errorf("no section %s", d.Section)
	}
	m.bytes += len(d.Heading) - len(sec.heading)
	sec.heading = d.Heading
	return nil
}

// checkAfter checks that the paragraph to place another after is in sec.
func checkAfter(sec *section, after *string) error {
	if after == nil {
		return nil
	}
	for _, p := range sec.paras {
		if p.id == *after {
			return nil
		}
	}
	return notFound("paragraph %q is not in section %q", *after, sec.id)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
