package document

import (
	"slices"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// proposal.unmerge: the chair undoes a merge. The merge's op is inverted
// as a new op: a MOD's or SUP's inserted brackets and words are deleted,
// an ADD's paragraph is deleted, and the notes the merge added go. It is
// refused when a later edit changed what the merge inserted (deleted any
// of it, or typed inside it): the chair then edits the text by hand. The
// proposal is tabled again.
//
// The merge and the edits after it are found among the ops the room
// still holds (Env.Recent); a merge further back than that is refused.

func decideUnmerge(c *call) (wire.OpData, Touched, error) {
	pr, err := c.proposal()
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if pr.p.Status != "merged" {
		return wire.OpData{}, Touched{}, invalid("proposal %s is %s, not merged", c.doc.describe(pr), pr.p.Status)
	}
	merge, later, ok := c.findMerge(pr.p.ID)
	if !ok {
		return wire.OpData{}, Touched{}, invalid("the merge of proposal %s is further back than the changes the server keeps at hand, so it cannot be undone in one step; edit the text instead", c.doc.describe(pr))
	}
	md, err := Data(merge)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	next := pr.p
	next.Status = "tabled"
	data := wire.OpData{Proposal: &next, Para: pr.paragraph, Section: pr.section}
	t := Touched{Proposals: []string{pr.p.ID}}
	switch {
	case len(md.Op) > 0:
		err = c.undoText(md, later, &data, &t)
	case md.Paragraph != nil:
		err = c.undoAdd(md, &data, &t)
	}
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if md.Note != nil && c.doc.hasNote(md.Note.ID) {
		data.RemovedNotes = []string{md.Note.ID}
		t.DeletedNotes = append(t.DeletedNotes, md.Note.ID)
	}
	return data, t, nil
}

// findMerge finds the latest merge of proposal id among the recent ops,
// and the ops after it.
func (c *call) findMerge(id string) (wire.Op, []wire.Op, bool) {
	if c.env.Recent == nil {
		return wire.Op{}, nil, false
	}
	ops := c.env.Recent()
	for i := len(ops) - 1; i >= 0; i-- {
		if ops[i].Kind != wire.KindProposalMerge {
			continue
		}
		if d, err := Data(ops[i]); err == nil && d.Proposal != nil && d.Proposal.ID == id {
			return ops[i], ops[i+1:], true
		}
	}
	return wire.Op{}, nil, false
}

// undoText deletes what a MOD or SUP merge inserted, where it now is.
func (c *call) undoText(md wire.OpData, later []wire.Op, data *wire.OpData, t *Touched) error {
	p := c.doc.paras[md.Para]
	if p == nil {
		return invalid("the paragraph this merge changed has been deleted since")
	}
	spans := md.Op.Inserted()
	for _, op := range later {
		para, change, ok := TextChange(op)
		if !ok || para != p.id {
			continue
		}
		var touched bool
		if spans, touched = follow(spans, change); touched {
			return invalid("the words this merge added to %s were edited since (by %s, change %d): undo it by editing the text",
				p.labelOrID(), authorName(op.Author), op.Seq)
		}
	}
	inverse := deleteSpans(spans)
	// The undo is the chair's edit: it must pass the chair's rules.
	if err := draft.CheckEdit(chair.Draft(), p.draft(), inverse); err != nil {
		return err
	}
	data.Para, data.Op, data.Author = p.id, inverse, c.who.Author()
	t.Paras = append(t.Paras, p.id)
	return nil
}

// undoAdd deletes the paragraph an ADD merge added, if nobody changed it.
func (c *call) undoAdd(md wire.OpData, data *wire.OpData, t *Touched) error {
	added := md.Paragraph
	p := c.doc.paras[added.ID]
	if p == nil {
		return invalid("the paragraph this merge added has been deleted since")
	}
	if p.text != added.Text || !sameRuns(p.runs, toAuthorship(added.Authors)) {
		return invalid("the paragraph this merge added (%s) was edited since: undo it by editing or deleting the paragraph", p.labelOrID())
	}
	if p.status == draft.StatusAgreed {
		return forbidden("paragraph %s is agreed; reopen it before undoing the merge", p.labelOrID())
	}
	data.RemovedParagraph, data.Section = p.id, p.sec.id
	dt := c.deleteTouches(p)
	t.Sections = append(t.Sections, dt.Sections...)
	t.Deleted = append(t.Deleted, dt.Deleted...)
	t.Proposals = append(t.Proposals, dt.Proposals...)
	t.Notes = append(t.Notes, dt.Notes...)
	return nil
}

// applyUnmerge tables the proposal again and takes away what the merge
// added.
func applyUnmerge(m *Model, d wire.OpData) error {
	if err := applyProposal(m, d); err != nil {
		return err
	}
	if len(d.Op) > 0 {
		if err := m.applyText(d.Para, d.Op, d.Author); err != nil {
			return err
		}
	}
	if d.RemovedParagraph != "" {
		if err := m.deleteParagraph(d.RemovedParagraph); err != nil {
			return err
		}
	}
	for _, id := range d.RemovedNotes {
		m.removeNote(id)
	}
	return nil
}

// follow moves spans (in order, apart) through a later op on the same
// text. It reports touched when the op deletes any of their characters or
// inserts strictly inside one; text typed just before or after a span
// leaves it whole.
func follow(spans []ot.Span, op ot.Op) ([]ot.Span, bool) {
	type edit struct{ at, ins, del int }
	var edits []edit
	pos := 0
	for _, c := range op {
		switch {
		case c.Skip > 0:
			pos += c.Skip
		case c.Insert != "":
			edits = append(edits, edit{at: pos, ins: utf8.RuneCountInString(c.Insert)})
		case c.Delete > 0:
			edits = append(edits, edit{at: pos, del: c.Delete})
			pos += c.Delete
		}
	}
	out := make([]ot.Span, len(spans))
	for i, s := range spans {
		shift := 0
		for _, e := range edits {
			switch {
			case e.ins > 0 && e.at > s.Start && e.at < s.End:
				return nil, true
			case e.ins > 0 && e.at <= s.Start:
				shift += e.ins
			case e.del > 0 && e.at < s.End && e.at+e.del > s.Start:
				return nil, true
			case e.del > 0 && e.at+e.del <= s.Start:
				shift -= e.del
			}
		}
		out[i] = ot.Span{Start: s.Start + shift, End: s.End + shift}
	}
	return out, false
}

// deleteSpans is the op deleting spans (in order, apart).
func deleteSpans(spans []ot.Span) ot.Op {
	var op ot.Op
	pos := 0
	for _, s := range spans {
		if s.Start > pos {
			op = append(op, ot.Component{Skip: s.Start - pos})
		}
		if s.End > s.Start {
			op = append(op, ot.Component{Delete: s.End - s.Start})
		}
		pos = s.End
	}
	return ot.Normalize(op)
}

func sameRuns(a, b draft.Authorship) bool {
	a, b = a.Normalize(), b.Normalize()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// authorName is an author tag as a message shows it.
func authorName(author string) string {
	switch author {
	case draft.AuthorChair:
		return "the chair"
	case "":
		return "someone"
	}
	return author
}

func (m *Model) hasNote(id string) bool { return m.noteIndex(id) >= 0 }

func (m *Model) noteIndex(id string) int {
	return slices.IndexFunc(m.notes, func(n wire.Note) bool { return n.ID == id })
}

// removeNote takes a note away (undoing the merge that added it).
func (m *Model) removeNote(id string) {
	if i := m.noteIndex(id); i >= 0 {
		m.bytes -= noteSize(m.notes[i])
		m.notes = append(m.notes[:i:i], m.notes[i+1:]...)
	}
}
