package document

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/limits"
	"github.com/draftroom/draftroom/server/wire"
)

// Limits bound what a document grows to. Each is documented in
// docs/protocol.md ("Limits and closing"); zero takes the default (see
// Defaults). An action that would pass one is refused with invalid and a
// message naming it, while whatever does not grow the document (deleting,
// withdrawing, rejecting, changing a status) is always allowed, so the
// chair can clean up a document at its limits.
type Limits struct {
	// MaxParagraph is the longest paragraph text, in code points.
	MaxParagraph int
	// MaxParagraphs is the most paragraphs a document may have.
	MaxParagraphs int
	// MaxLabel, MaxHeading, MaxNote and MaxDocRef are the longest
	// paragraph or proposal label, section heading, note and proposal
	// document reference, in code points.
	MaxLabel, MaxHeading, MaxNote, MaxDocRef int
	// MaxDocumentBytes caps the document's size (see Model.Size): the
	// UTF-8 bytes of every text it holds plus ItemOverhead per section,
	// paragraph, proposal and note.
	MaxDocumentBytes int
	// MaxProposals and MaxProposalBytes cap a document's proposals (of any
	// status) and the bytes of their texts.
	MaxProposals, MaxProposalBytes int
	// MaxProposalsPerDelegation and MaxProposalBytesPerDelegation cap what
	// one delegation's delegates table. The chair, tabling for a
	// delegation, is held only to the document's limits.
	MaxProposalsPerDelegation, MaxProposalBytesPerDelegation int
	// MaxNotes and MaxNoteBytes cap a document's notes and their text.
	MaxNotes, MaxNoteBytes int
	// MaxNotesPerAuthor and MaxNoteBytesPerAuthor cap the notes one author
	// other than the chair (a rapporteur) adds.
	MaxNotesPerAuthor, MaxNoteBytesPerAuthor int
	// MaxFloorQueue is the most requests for the floor waiting at once
	// (each delegation asks once at a time).
	MaxFloorQueue int
}

// Defaults sets every zero limit to its default; the lengths are the
// importer's too (package limits). The real compilation
// this is made for (70 paragraphs, 53 proposals) measures 80 KB as
// Model.Size counts it, its proposals 21 KB: every default is about 100
// times what it uses or more (room's TestRealCompilationFitsTheLimits).
func (l *Limits) Defaults() {
	for _, v := range []struct {
		p   *int
		def int
	}{
		{&l.MaxParagraph, limits.ParagraphRunes}, {&l.MaxParagraphs, limits.Paragraphs},
		{&l.MaxLabel, limits.LabelRunes}, {&l.MaxHeading, limits.HeadingRunes}, {&l.MaxNote, limits.NoteRunes}, {&l.MaxDocRef, 64},
		{&l.MaxDocumentBytes, 8 << 20},
		{&l.MaxProposals, 2_000}, {&l.MaxProposalBytes, 4 << 20},
		{&l.MaxProposalsPerDelegation, 200}, {&l.MaxProposalBytesPerDelegation, 1 << 20},
		{&l.MaxNotes, 2_000}, {&l.MaxNoteBytes, 2 << 20},
		{&l.MaxNotesPerAuthor, 500}, {&l.MaxNoteBytesPerAuthor, 1 << 20},
		{&l.MaxFloorQueue, 500},
	} {
		if *v.p == 0 {
			*v.p = v.def
		}
	}
}

// Validate reports the first limit that makes no sense, after Defaults.
func (l *Limits) Validate() error {
	for _, v := range []struct {
		name string
		n    int
	}{
		{"MaxParagraph", l.MaxParagraph}, {"MaxParagraphs", l.MaxParagraphs},
		{"MaxLabel", l.MaxLabel}, {"MaxHeading", l.MaxHeading}, {"MaxNote", l.MaxNote}, {"MaxDocRef", l.MaxDocRef},
		{"MaxDocumentBytes", l.MaxDocumentBytes},
		{"MaxProposals", l.MaxProposals}, {"MaxProposalBytes", l.MaxProposalBytes},
		{"MaxProposalsPerDelegation", l.MaxProposalsPerDelegation}, {"MaxProposalBytesPerDelegation", l.MaxProposalBytesPerDelegation},
		{"MaxNotes", l.MaxNotes}, {"MaxNoteBytes", l.MaxNoteBytes},
		{"MaxNotesPerAuthor", l.MaxNotesPerAuthor}, {"MaxNoteBytesPerAuthor", l.MaxNoteBytesPerAuthor},
		{"MaxFloorQueue", l.MaxFloorQueue},
	} {
		if v.n <= 0 {
			return fmt.Errorf("%s must be positive, not %d", v.name, v.n)
		}
	}
	switch {
	case l.MaxProposalsPerDelegation > l.MaxProposals || l.MaxProposalBytesPerDelegation > l.MaxProposalBytes:
		return errors.New("a delegation's proposal limits exceed the document's")
	case l.MaxNotesPerAuthor > l.MaxNotes || l.MaxNoteBytesPerAuthor > l.MaxNoteBytes:
		return errors.New("an author's note limits exceed the document's")
	case l.MaxProposalBytes > l.MaxDocumentBytes || l.MaxNoteBytes > l.MaxDocumentBytes:
		return errors.New("proposal or note bytes exceed the document's size limit")
	}
	return nil
}

// Each check below is made on what an action adds; an action that adds
// nothing is never refused by a limit.

// checkGrowth refuses an action that would take the document past its
// size limit. add is what the action adds to Size (≤ 0: nothing).
func (l *Limits) checkGrowth(m *Model, add int) error {
	if add <= 0 {
		return nil
	}
	if n, max := m.Size()+add, l.MaxDocumentBytes; n > max {
		return invalid("the document would be %d bytes, over its limit of %d bytes: delete text, paragraphs or notes first", n, max)
	}
	return nil
}

func (l *Limits) checkParagraphs(m *Model) error {
	if len(m.paras) >= l.MaxParagraphs {
		return invalid("the document already has %d paragraphs, the limit", l.MaxParagraphs)
	}
	return nil
}

// checkText refuses text the database cannot store, longer than a
// paragraph may be, or with unbalanced brackets.
func (l *Limits) checkText(text string) error {
	if err := wire.CheckText(text); err != nil {
		return invalid("%v", err)
	}
	if n := utf8.RuneCountInString(text); n > l.MaxParagraph {
		return invalid("text is %d characters long; the limit is %d", n, l.MaxParagraph)
	}
	if _, err := draft.ParseBrackets(text); err != nil {
		return invalid("%v", err)
	}
	return nil
}

func (l *Limits) checkLabel(label string) error {
	if utf8.RuneCountInString(label) > l.MaxLabel || strings.ContainsAny(label, "\n\r") {
		return invalid("a label is at most %d characters on one line", l.MaxLabel)
	}
	return nil
}

// heading trims a section heading and checks its length.
func (l *Limits) heading(h string) (string, error) {
	h = strings.TrimSpace(h)
	if h == "" || utf8.RuneCountInString(h) > l.MaxHeading {
		return "", invalid("heading must be 1 to %d characters", l.MaxHeading)
	}
	return h, nil
}

// checkProposalLimits refuses a proposal tabled (old nil) or edited (old
// its current state) past the limits on proposals. The per-delegation
// limits hold a delegation's own delegates, not the chair tabling for it.
func (l *Limits) checkProposalLimits(m *Model, who Actor, old *wire.Proposal, next wire.Proposal) error {
	count, total, mine, mineBytes := 0, 0, 0, 0
	proposer := ""
	if next.Proposer != nil {
		proposer = *next.Proposer
	}
	for _, pr := range m.proposals {
		count++
		total += ProposalBytes(pr.p)
		if pr.p.Proposer != nil && *pr.p.Proposer == proposer {
			mine++
			mineBytes += ProposalBytes(pr.p)
		}
	}
	added, grown := 1, ProposalBytes(next)
	if old != nil {
		added, grown = 0, grown-ProposalBytes(*old)
	}
	perDelegation := !who.Can(Preside)
	switch {
	case added > 0 && count+added > l.MaxProposals:
		return invalid("the document already has %d proposals, its limit", count)
	case added > 0 && perDelegation && mine+added > l.MaxProposalsPerDelegation:
		return invalid("%s already has %d proposals in this document, the limit for a delegation", proposer, mine)
	case grown > 0 && total+grown > l.MaxProposalBytes:
		return invalid("the document's proposals would hold %d bytes, over their limit of %d bytes", total+grown, l.MaxProposalBytes)
	case grown > 0 && perDelegation && mineBytes+grown > l.MaxProposalBytesPerDelegation:
		return invalid("%s's proposals would hold %d bytes, over the limit of %d bytes for a delegation", proposer, mineBytes+grown, l.MaxProposalBytesPerDelegation)
	}
	size := proposalSize(next)
	if old != nil {
		size -= proposalSize(*old)
	}
	return l.checkGrowth(m, size)
}

// checkNote refuses a note past the limits on notes. The per-author
// limits hold everyone but the chair.
func (l *Limits) checkNote(m *Model, who Actor, n wire.Note) error {
	total, mine, mineBytes := 0, 0, 0
	for _, x := range m.notes {
		total += len(x.Text)
		if x.Author == n.Author {
			mine++
			mineBytes += len(x.Text)
		}
	}
	perAuthor := !who.Can(Preside)
	switch {
	case len(m.notes)+1 > l.MaxNotes:
		return invalid("the document already has %d notes, its limit", len(m.notes))
	case perAuthor && mine+1 > l.MaxNotesPerAuthor:
		return invalid("you already have %d notes in this document, the limit for one author", mine)
	case total+len(n.Text) > l.MaxNoteBytes:
		return invalid("the document's notes would hold %d bytes, over their limit of %d bytes", total+len(n.Text), l.MaxNoteBytes)
	case perAuthor && mineBytes+len(n.Text) > l.MaxNoteBytesPerAuthor:
		return invalid("your notes would hold %d bytes, over the limit of %d bytes for one author", mineBytes+len(n.Text), l.MaxNoteBytesPerAuthor)
	}
	return l.checkGrowth(m, noteSize(n))
}
