package compile

import (
	"fmt"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/limits"
)

// CheckLimits refuses a compilation that live editing could not hold: more
// paragraphs, proposals, notes or sections than a document may have, or a
// text longer than the room accepts. An imported paragraph that is already
// over the limit could never be edited again, so the import is refused
// rather than cut. The error is an *InputError wrapping ErrTooLarge, with
// the row of the first offending text.
func (c *Compilation) CheckLimits() error {
	var paras, props, notes, total int
	var first error
	fail := func(row int, format string, args ...any) {
		if first == nil {
			first = inputErr(ErrTooLarge, row, format, args...)
		}
	}
	text := func(row int, what, s string, max int) {
		n := utf8.RuneCountInString(s)
		total += n
		if n > max {
			fail(row, "%s is %d characters long; the limit is %d", what, n, max)
		}
	}
	note := func(n Note) {
		notes++
		text(n.Row, "a note", n.Text, limits.NoteRunes)
	}
	prop := func(where string, p Proposal) {
		props++
		text(p.Row, "a proposal in "+where, p.Text, limits.ProposalRunes)
		text(p.Row, "a proposal's label in "+where, p.Label, limits.LabelRunes)
	}
	text(0, "the title", c.Title, limits.TitleRunes)
	text(0, "the base text's reference", c.BaseRef, limits.HeadingRunes)
	for _, n := range c.Notes {
		note(n)
	}
	if len(c.Sections) > limits.Sections {
		fail(c.Sections[limits.Sections].Row, "more than %d sections", limits.Sections)
	}
	for _, s := range c.Sections {
		where := sectionName(s)
		text(s.Row, "the heading "+where, s.Heading, limits.HeadingRunes)
		for _, p := range s.Paragraphs {
			paras++
			if paras == limits.Paragraphs+1 {
				fail(p.Row, "more than %d paragraphs, the most a document may have", limits.Paragraphs)
			}
			what := fmt.Sprintf("paragraph %s under %s", p.Label, where)
			if p.Label == "" {
				what = "a paragraph under " + where
			}
			text(p.Row, what, p.Text, limits.ParagraphRunes)
			text(p.Row, "the label of "+what, p.Label, limits.LabelRunes)
			for _, pr := range p.Proposals {
				prop(where, pr)
			}
			for _, n := range p.Notes {
				note(n)
			}
		}
		for _, pr := range s.Proposals {
			prop(where, pr)
		}
		for _, n := range s.Notes {
			note(n)
		}
	}
	switch {
	case first != nil:
		return first
	case props > limits.Proposals:
		return inputErr(ErrTooLarge, 0, "%d proposals; a document may have at most %d", props, limits.Proposals)
	case notes > limits.Notes:
		return inputErr(ErrTooLarge, 0, "%d notes; a document may have at most %d", notes, limits.Notes)
	case total > limits.DocumentRunes:
		return inputErr(ErrTooLarge, 0, "%d characters of text in all; a document may have at most %d", total, limits.DocumentRunes)
	}
	return nil
}

// sectionName names a section in messages: its heading, cut short.
func sectionName(s Section) string {
	h := s.Heading
	if h == "" {
		return "the untitled first section"
	}
	if utf8.RuneCountInString(h) > 60 {
		h = string([]rune(h)[:60]) + "…"
	}
	return fmt.Sprintf("%q", h)
}
