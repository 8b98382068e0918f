package client

import (
	"fmt"
	"maps"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// sequencer is a server in miniature: it transforms each edit against the
// ops its sender had not seen (Left, as the room does), numbers it and
// remembers refs so a resend is applied once.
type sequencer struct {
	order []string
	texts map[string]string
	log   []wire.Op
	acks  map[string]int64
	snaps []map[string]string // texts after each seq; snaps[0] is the start
}

func newSequencer(paras ...string) *sequencer {
	s := &sequencer{texts: map[string]string{}, acks: map[string]int64{}}
	for i := 0; i < len(paras); i += 2 {
		s.order = append(s.order, paras[i])
		s.texts[paras[i]] = paras[i+1]
	}
	s.snaps = []map[string]string{maps.Clone(s.texts)}
	return s
}

func (s *sequencer) seq() int64 { return int64(len(s.log)) }

func (s *sequencer) document() *wire.Document {
	sec := wire.Section{ID: "s1", Kind: "operative"}
	for _, id := range s.order {
		sec.Paragraphs = append(sec.Paragraphs, wire.Paragraph{ID: id, Text: s.texts[id]})
	}
	return &wire.Document{ID: "doc", Seq: s.seq(), Sections: []wire.Section{sec}}
}

// submit applies an edit. It returns the op to send (the new one, or the
// original for a resend: dup) or an error code.
func (s *sequencer) submit(e *editFrame) (op *wire.Op, dup bool, code string) {
	if seq, ok := s.acks[e.Ref]; ok {
		return &s.log[seq-1], true, ""
	}
	text, ok := s.texts[e.Para]
	if !ok {
		return nil, false, wire.CodeNotFound
	}
	if e.Base < 0 || e.Base > s.seq() {
		return nil, false, wire.CodeInvalid
	}
	baseLen := utf8.RuneCountInString(s.snaps[e.Base][e.Para])
	if ot.CheckFits(e.Op, baseLen) != nil {
		return nil, false, wire.CodeInvalid
	}
	t := e.Op
	for _, l := range s.log[e.Base:] {
		if l.Para == e.Para {
			t = ot.Transform(t, l.Op, ot.Left)
		}
	}
	next, err := ot.Apply(text, t)
	if err != nil {
		return nil, false, wire.CodeInvalid
	}
	s.texts[e.Para] = next
	s.log = append(s.log, wire.Op{Seq: s.seq() + 1, Kind: wire.KindText, Para: e.Para, Op: t, Ref: e.Ref, At: time.Unix(0, 0)})
	s.acks[e.Ref] = s.seq()
	s.snaps = append(s.snaps, maps.Clone(s.texts))
	return &s.log[len(s.log)-1], false, ""
}

// note appends a non-text op, which clients must count but not apply.
func (s *sequencer) note() *wire.Op {
	s.log = append(s.log, wire.Op{Seq: s.seq() + 1, Kind: "status", Para: s.order[0], Data: []byte(`{"status":"agreed"}`)})
	s.snaps = append(s.snaps, maps.Clone(s.texts))
	return &s.log[len(s.log)-1]
}

// replay rebuilds the texts from the start and the log alone.
func (s *sequencer) replay() (map[string]string, error) {
	texts := maps.Clone(s.snaps[0])
	for _, op := range s.log {
		if op.Kind != wire.KindText {
			continue
		}
		t, err := ot.Apply(texts[op.Para], op.Op)
		if err != nil {
			return nil, fmt.Errorf("replay op %d: %w", op.Seq, err)
		}
		texts[op.Para] = t
	}
	return texts, nil
}

// texts of a machine, for comparison.
func machineTexts(m *machine) map[string]string {
	out := map[string]string{}
	for id, p := range m.paras {
		out[id] = p.Text
	}
	return out
}

// pieces are what random text is made of: several scripts, a combining
// accent, and emoji of one to seven code points. No brackets: the server's
// drafting rules want them balanced.
var pieces = []string{
	"a", "Z", " ", ",", "resolves ", "مرحبا", "ب", "الأمم المتحدة ", "你好", "决议", "世",
	"e\u0301", "👍", "👩🏽‍💻", "🇺🇳", "ñ", "Ω", "—", "\u200f",
}
