package document

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// testdata/model_cases.json holds documents, ops and the documents they
// make, for the two models that apply ops: this one and the web client's
// (client/web/src/model.ts with its text replica, run by npm test in
// client/web). Both must turn "start" and each case's ops into its
// "expected" document.
//
// The expected documents are written by this model (go test -run
// TestModelCases -update) and read by a person before they are committed:
// the web client then holds this model to them.

var update = flag.Bool("update", false, "rewrite testdata/model_cases.json from the Go model")

const casesFile = "testdata/model_cases.json"

type modelCase struct {
	Name     string         `json:"name"`
	Ops      []wire.Op      `json:"ops"`
	Expected *wire.Document `json:"expected"`
}

type modelCases struct {
	Comment string         `json:"comment"`
	Start   *wire.Document `json:"start"`
	Cases   []modelCase    `json:"cases"`
}

func TestModelCases(t *testing.T) {
	t.Parallel()
	if *update {
		writeCases(t)
	}
	raw, err := os.ReadFile(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	var mc modelCases
	if err := json.Unmarshal(raw, &mc); err != nil {
		t.Fatal(err)
	}
	if len(mc.Cases) < 20 {
		t.Fatalf("%d cases in %s", len(mc.Cases), casesFile)
	}
	for _, c := range mc.Cases {
		t.Run(c.Name, func(t *testing.T) {
			m, err := New(mc.Start)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range c.Ops {
				if err := m.Apply(op); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := mustJSON(t, m.ToWire()), mustJSON(t, c.Expected); got != want {
				t.Errorf("document after the ops:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Canonicalize(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// caseBuilder makes a case's ops the way the room does: actions decided
// by Decide, text ops checked by AcceptEdit.
type caseBuilder struct {
	t   *testing.T
	m   *Model
	env *Env
	ops []wire.Op
}

var caseTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func (b *caseBuilder) next(op wire.Op) {
	op.Seq = b.m.Seq() + 1
	op.At = caseTime.Add(time.Duration(op.Seq) * time.Second)
	op.Participant = "participant-" + op.Author
	op.Ref = "r" + string(rune('a'+len(b.ops)))
	if err := b.m.Apply(op); err != nil {
		b.t.Fatalf("op %d (%s): %v", op.Seq, op.Kind, err)
	}
	b.ops = append(b.ops, op)
}

func (b *caseBuilder) act(who Actor, kind string, f wire.ActionFields) *caseBuilder {
	d, _, err := Decide(b.m, who, kind, f, b.env)
	if err != nil {
		b.t.Fatalf("%s: %v", kind, err)
	}
	raw, _ := json.Marshal(d)
	b.next(wire.Op{Kind: kind, Para: d.Para, Author: who.Author(), Delegation: who.Delegation, Data: raw})
	return b
}

func (b *caseBuilder) edit(who Actor, para, op string) *caseBuilder {
	o, err := ot.Decode([]byte(op))
	if err != nil {
		b.t.Fatal(err)
	}
	lim := b.env.Limits
	done, _, err := AcceptEdit(b.m, History{Oldest: b.m.Seq(), Durable: b.m.Seq()}, who, wire.Edit{Para: para, Base: b.m.Seq(), Op: o}, &lim)
	if err != nil {
		b.t.Fatalf("edit %s: %v", op, err)
	}
	b.next(wire.Op{Kind: wire.KindText, Para: para, Op: done, Author: who.Author(), Delegation: who.Delegation})
	return b
}

func (b *caseBuilder) freeze(label string) *caseBuilder {
	v := b.m.Freeze(label, b.m.Seq()+1, caseTime)
	raw, _ := json.Marshal(wire.OpData{Version: &v.Info})
	b.next(wire.Op{Kind: wire.KindVersionFreeze, Author: theChair.Author(), Data: raw})
	return b
}

func writeCases(t *testing.T) {
	mc := modelCases{
		Comment: "Documents, ops and the documents they make, run by the Go model (server/internal/document) and the web client's " +
			"(client/web). Written by go test ./server/internal/document -run TestModelCases -update; read before committing.",
		Start: testDoc(),
	}
	// The room has a floor already: Russia speaks, China waits.
	rus := "RUS"
	mc.Start.Floor = &wire.Floor{Speaking: &rus, Queue: []wire.FloorRequest{{Delegation: "CHN", Para: paraC, At: "2026-03-02T09:00:00Z"}}}
	add := func(name string, build func(b *caseBuilder)) {
		m, err := New(mc.Start)
		if err != nil {
			t.Fatal(err)
		}
		b := &caseBuilder{t: t, m: m, env: testEnv()}
		b.env.Recent = func() []wire.Op { return b.ops }
		build(b)
		mc.Cases = append(mc.Cases, modelCase{Name: name, Ops: b.ops, Expected: b.m.ToWire()})
	}
	add("text: the chair types Arabic", func(b *caseBuilder) { b.edit(theChair, paraA, `[11,"كل "]`) })
	add("text: a delegate brackets Chinese and emoji", func(b *caseBuilder) { b.edit(brazil, paraB, `[10,"[每年 🎉] "]`) })
	add("text: the chair deletes across authors", func(b *caseBuilder) { b.edit(theChair, paraB, `[10,{"d":12}]`) })
	add("text: two edits in a row", func(b *caseBuilder) { b.edit(theChair, paraA, `["И "]`).edit(cept, paraA, `[32," [ЕС]"]`) })
	add("status: agreed ad ref", func(b *caseBuilder) {
		b.act(theChair, wire.KindStatus, wire.ActionFields{Para: paraA, Status: "agreed_ad_ref"})
	})
	add("status: reopened", func(b *caseBuilder) { b.act(theChair, wire.KindStatus, wire.ActionFields{Para: paraC, Status: "open"}) })
	add("focus: set", func(b *caseBuilder) { b.act(theChair, wire.KindFocus, wire.ActionFields{Para: paraB}) })
	add("paragraph.insert: after a paragraph", func(b *caseBuilder) {
		b.act(theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secOp, After: str(paraB), Label: str("1bis"), Text: str("и [все] страны 🌍")})
	})
	add("paragraph.insert: first in its section, then typed in", func(b *caseBuilder) {
		b.act(theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secPre, Label: str("0)"), Text: str("")}).
			edit(theChair, "id-1", `["أولا"]`)
	})
	add("paragraph.delete: its proposals and notes stay with its section, the focus leaves", func(b *caseBuilder) {
		b.act(theChair, wire.KindFocus, wire.ActionFields{Para: paraB}).act(theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraB})
	})
	add("paragraph.move: to another section, first", func(b *caseBuilder) {
		b.act(theChair, wire.KindParagraphMove, wire.ActionFields{Para: paraA, Section: secOp})
	})
	add("paragraph.move: after another", func(b *caseBuilder) {
		b.act(theChair, wire.KindParagraphMove, wire.ActionFields{Para: paraB, Section: secOp, After: str(paraC)})
	})
	add("paragraph.relabel", func(b *caseBuilder) {
		b.act(theChair, wire.KindParagraphRelabel, wire.ActionFields{Para: paraC, Label: str("2 bis")})
	})
	add("section.insert: after a section, kind from its heading", func(b *caseBuilder) {
		b.act(theChair, wire.KindSectionInsert, wire.ActionFields{Heading: "RECOGNIZING", After: str(secPre)})
	})
	add("section.insert: first, operative", func(b *caseBuilder) {
		b.act(theChair, wire.KindSectionInsert, wire.ActionFields{Heading: "invites Member States", SectionKind: "operative"})
	})
	add("section.rename", func(b *caseBuilder) {
		b.act(theChair, wire.KindSectionRename, wire.ActionFields{Section: secOp, Heading: "DECIDES"})
	})
	add("proposal.table: a delegate's MOD of a paragraph", func(b *caseBuilder) {
		b.act(brazil, wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "mod", Text: str("that every школа needs a link;"), DocRef: "B/2/1"})
	})
	add("proposal.table: the chair's ADD for a delegation, on a section", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalTable, wire.ActionFields{Section: secPre, Action: "ADD", Text: str("认识到合作"), Proposer: "chn", Label: str("b)")})
	})
	add("proposal.edit", func(b *caseBuilder) {
		b.act(brazil, wire.KindProposalEdit, wire.ActionFields{Proposal: propMOD, Text: str("to report 进展 each year 📅;"), DocRef: "B/1/rev"})
	})
	add("proposal.withdraw", func(b *caseBuilder) { b.act(brazil, wire.KindProposalWithdraw, wire.ActionFields{Proposal: propMOD}) })
	add("proposal.reject", func(b *caseBuilder) { b.act(theChair, wire.KindProposalReject, wire.ActionFields{Proposal: propSUP}) })
	add("proposal.merge: a MOD becomes bracketed alternatives (data.op)", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
	})
	add("proposal.merge: a SUP brackets the paragraph and adds a note", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propSUP})
	})
	add("proposal.merge: an ADD becomes a new paragraph", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propADD})
	})
	add("proposal.merge: a NOC changes only the proposal", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propNOC})
	})
	add("proposal: tabled, edited, merged, then the merge typed over", func(b *caseBuilder) {
		b.act(cept, wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "MOD", Text: str("that each مدرسة has a link;")}).
			act(cept, wire.KindProposalEdit, wire.ActionFields{Proposal: "id-1", Text: str("that each مدرسة has a fast link;")}).
			act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: "id-1"}).
			edit(theChair, paraA, `[{"d":5}]`)
	})
	add("note.add: on a paragraph, a section and the document", func(b *caseBuilder) {
		b.act(rappo, wire.KindNoteAdd, wire.ActionFields{Para: paraC, Text: str("Перевод проверен.")}).
			act(theChair, wire.KindNoteAdd, wire.ActionFields{Section: secPre, Text: str("见附件")}).
			act(rappo, wire.KindNoteAdd, wire.ActionFields{Text: str("Draft of the working group 👍")})
	})
	add("version.freeze: nothing changes but the seq", func(b *caseBuilder) { b.freeze("Rev.1") })
	add("focus: a proposal on the screen, then a section's, then none", func(b *caseBuilder) {
		b.act(theChair, wire.KindFocus, wire.ActionFields{Para: paraB, Proposal: propMOD}).
			act(theChair, wire.KindFocus, wire.ActionFields{Para: paraC, Proposal: propADD}).
			act(theChair, wire.KindFocus, wire.ActionFields{Para: paraA})
	})
	add("focus: with a proposal, on a paragraph then deleted", func(b *caseBuilder) {
		b.act(theChair, wire.KindFocus, wire.ActionFields{Para: paraB, Proposal: propSUP}).
			act(theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraB})
	})
	add("floor: asked for, withdrawn, given, closed", func(b *caseBuilder) {
		b.env.Now = func() time.Time { return caseTime.Add(90 * time.Second) }
		b.act(brazil, wire.KindFloorRequest, wire.ActionFields{Para: paraA}).
			act(cept, wire.KindFloorRequest, wire.ActionFields{}).
			act(theChair, wire.KindFloorWithdraw, wire.ActionFields{Delegation: "CHN"}).
			act(theChair, wire.KindFloorGive, wire.ActionFields{Delegation: "BRA"}).
			act(cept, wire.KindFloorWithdraw, wire.ActionFields{}).
			act(theChair, wire.KindFloorClose, wire.ActionFields{})
	})
	add("floor: floor-only typing, the delegation with the floor types", func(b *caseBuilder) {
		b.act(theChair, wire.KindFloorMode, wire.ActionFields{Only: yes(true)}).
			act(theChair, wire.KindFloorGive, wire.ActionFields{Delegation: "CEPT"}).
			edit(cept, paraA, `[30," [и всё]"]`)
	})
	add("floor: a request's paragraph is deleted; the request keeps its place", func(b *caseBuilder) {
		b.act(brazil, wire.KindFloorRequest, wire.ActionFields{Para: paraB}).
			act(theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraB}).
			act(theChair, wire.KindFloorMode, wire.ActionFields{Only: yes(false)})
	})
	add("proposal.assign: the chair names the proposer", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: propMOD, Proposer: "CHN"})
	})
	add("proposal.reopen: a rejected proposal is tabled again", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalReopen, wire.ActionFields{Proposal: propRej})
	})
	add("brackets.keep: the second alternative, in one op (data.op)", func(b *caseBuilder) {
		b.edit(cept, paraB, `[21,"[每年 🎉]"]`).act(theChair, wire.KindBracketsKeep, wire.ActionFields{Para: paraB, At: num(22), Alternative: num(1)})
	})
	add("brackets.accept: the words stay, the brackets go", func(b *caseBuilder) {
		b.act(theChair, wire.KindBracketsAccept, wire.ActionFields{Para: paraB, At: num(20)})
	})
	add("brackets.drop: a delegation withdraws its own group", func(b *caseBuilder) {
		b.act(brazil, wire.KindBracketsDrop, wire.ActionFields{Para: paraB, At: num(13)})
	})
	add("proposal.merge: a MOD that deletes words adds a note from the proposer", func(b *caseBuilder) {
		b.act(brazil, wire.KindProposalEdit, wire.ActionFields{Proposal: propMOD, Text: str("to 进展 [yearly] 👩🏽‍💻;")}).
			act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
	})
	add("proposal.unmerge: a MOD's brackets and words go, typing beside them stays", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD}).
			edit(theChair, paraB, `["Я "]`).
			act(theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD})
	})
	add("proposal.unmerge: a SUP's brackets and note go", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propSUP}).
			act(theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propSUP})
	})
	add("proposal.unmerge: an ADD's paragraph goes", func(b *caseBuilder) {
		b.act(theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propADD}).
			act(theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propADD})
	})
	out, err := json.MarshalIndent(mc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(casesFile, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
