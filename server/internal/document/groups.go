package document

import (
	"fmt"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// brackets.keep, brackets.accept and brackets.drop: the chair resolves the
// bracket group at a place in one step (draft.KeepAlternative,
// AcceptGroup, DropGroup); a delegate may drop a group that is all its own
// delegation's. The op carries the text op in data.op, like a merge, so
// clients and the transform of pending edits treat it as text. The op
// only deletes, so every character that stays keeps its author.

type resolver func(a draft.Actor, p draft.Paragraph, at int) (ot.Op, draft.Paragraph, error)

func decideKeep(c *call) (wire.OpData, Touched, error) {
	if c.f.Alternative == nil {
		return wire.OpData{}, Touched{}, invalid("alternative is required: the number of the alternative to keep, from 0")
	}
	alt := *c.f.Alternative
	d, t, err := c.resolveGroup(func(a draft.Actor, p draft.Paragraph, at int) (ot.Op, draft.Paragraph, error) {
		return draft.KeepAlternative(a, p, at, alt)
	})
	if err == nil {
		d.Alternative = &alt
	}
	return d, t, err
}

func decideAccept(c *call) (wire.OpData, Touched, error) { return c.resolveGroup(draft.AcceptGroup) }

func decideDrop(c *call) (wire.OpData, Touched, error) { return c.resolveGroup(draft.DropGroup) }

// resolveGroup finds the paragraph and the place an action names and has
// the drafting rules resolve the group there.
func (c *call) resolveGroup(resolve resolver) (wire.OpData, Touched, error) {
	p, err := c.para(c.f.Para)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	if c.f.At == nil {
		return wire.OpData{}, Touched{}, invalid("at is required: an offset (in code points) inside the bracket group")
	}
	op, _, err := resolve(c.who.Draft(), p.draft(), *c.f.At)
	if err != nil {
		return wire.OpData{}, Touched{}, err
	}
	return wire.OpData{Para: p.id, Op: op, Author: c.who.Author()}, Touched{Paras: []string{p.id}}, nil
}

// applyTextData applies an action's text op (data.op on data.para).
func applyTextData(m *Model, d wire.OpData) error {
	if len(d.Op) == 0 {
		return fmt.Errorf("no op")
	}
	return m.applyText(d.Para, d.Op, d.Author)
}

// editRefusal refuses the roles that may not edit text at all, as the
// drafting rules word it (any edit would do: the role is refused first).
func editRefusal(who Actor) error {
	return draft.CheckEdit(who.Draft(), draft.Paragraph{}, ot.Op{{Insert: " "}})
}
