package document

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/wire"
)

// note.add: a remark on the document, a section or a paragraph.

func decideNote(c *call) (wire.OpData, Touched, error) {
	text := strings.TrimSpace(deref(c.f.Text))
	if text == "" || utf8.RuneCountInString(text) > c.env.Limits.MaxNote {
		return wire.OpData{}, Touched{}, invalid("a note needs 1 to %d characters of text", c.env.Limits.MaxNote)
	}
	n := wire.Note{ID: c.env.newID(), Text: text, Kind: "remark", Author: c.who.Name}
	switch {
	case c.f.Para != "":
		p, err := c.para(c.f.Para)
		if err != nil {
			return wire.OpData{}, Touched{}, err
		}
		n.Paragraph, n.Section = &p.id, &p.sec.id
	case c.f.Section != "":
		sec, err := c.section(c.f.Section)
		if err != nil {
			return wire.OpData{}, Touched{}, err
		}
		n.Section = &sec.id
	}
	if err := c.env.Limits.checkNote(c.doc, c.who, n); err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Para: c.f.Para, Section: c.f.Section, Note: &n}, Touched{Notes: []string{n.ID}}, nil
}

func applyNote(m *Model, d wire.OpData) error {
	if d.Note == nil {
		return fmt.Errorf("no note")
	}
	m.addNote(*d.Note)
	return nil
}
