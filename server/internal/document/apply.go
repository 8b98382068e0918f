package document

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// Apply applies one committed or accepted op: a text op, or an action's
// result as its data holds it (each kind's apply, in kinds).
func (m *Model) Apply(op wire.Op) error {
	if err := m.applyKind(op); err != nil {
		return fmt.Errorf("apply op %d (%s): %w", op.Seq, op.Kind, err)
	}
	m.seq = op.Seq
	return nil
}

func (m *Model) applyKind(op wire.Op) error {
	if op.Kind == wire.KindText {
		return m.applyText(op.Para, op.Op, op.Author)
	}
	k, ok := kinds[op.Kind]
	if !ok {
		return fmt.Errorf("unknown kind")
	}
	d, err := Data(op)
	if err != nil {
		return err
	}
	return k.apply(m, d)
}

// Data decodes an op's kind-specific data.
func Data(op wire.Op) (wire.OpData, error) {
	var d wire.OpData
	if len(op.Data) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(op.Data, &d); err != nil {
		return d, fmt.Errorf("op %d (%s): data: %w", op.Seq, op.Kind, err)
	}
	return d, nil
}

// SetText records a text op whose result the rules already worked out
// (AcceptEdit), rather than applying the op a second time.
func (m *Model) SetText(op wire.Op, after draft.Paragraph) error {
	p, err := m.para(op.Para)
	if err != nil {
		return fmt.Errorf("apply op %d (%s): %w", op.Seq, op.Kind, err)
	}
	m.bytes += len(after.Text) - len(p.text)
	p.text, p.runs = after.Text, after.Authors
	m.seq = op.Seq
	return nil
}

func (m *Model) para(id string) (*para, error) {
	p := m.paras[id]
	if p == nil {
		return nil, fmt.Errorf("no paragraph %s", id)
	}
	return p, nil
}

func (m *Model) applyText(id string, op ot.Op, author string) error {
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

func (m *Model) insertParagraph(wp wire.Paragraph, section string, after *string) error {
	sec := m.secs[section]
	if sec == nil {
		return fmt.Errorf("no section %s", section)
	}
	if m.paras[wp.ID] != nil {
		return fmt.Errorf("paragraph %s exists", wp.ID)
	}
	p := &para{id: wp.ID, label: wp.Label, text: wp.Text, baseText: wp.BaseText, status: draft.Status(wp.Status), runs: toAuthorship(wp.Authors)}
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
func (m *Model) place(p *para, sec *section, after *string) error {
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
	sec.paras = append(sec.paras[:at], append([]*para{p}, sec.paras[at:]...)...)
	p.sec = sec
	return nil
}

func removePara(list []*para, p *para) []*para {
	out := list[:0:0]
	for _, q := range list {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

// TextChange is the change an op makes to a paragraph's text, if any: a
// text op's own, or an action's data.op on data.para (merges, bracket-group
// resolutions, undoing a merge): any action that changes text says so
// that way.
func TextChange(op wire.Op) (para string, change ot.Op, ok bool) {
	if op.Kind == wire.KindText {
		return op.Para, op.Op, true
	}
	if len(op.Data) == 0 || !bytes.Contains(op.Data, []byte(`"op"`)) {
		return "", nil, false
	}
	if d, err := Data(op); err == nil && len(d.Op) > 0 && d.Para != "" {
		return d.Para, d.Op, true
	}
	return "", nil, false
}
