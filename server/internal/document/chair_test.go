package document

import (
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// The chair's actions of issue 11: assigning proposers, resolving bracket
// groups in one step, reopening and undoing.

const propNobody = "pr-nobody"

// withUnassigned is the test document with a MOD of paragraph a) whose
// proposer the import could not tell (it suggests Brazil).
func withUnassigned(t *testing.T) *logged {
	t.Helper()
	d := testDoc()
	pa := &d.Sections[0].Paragraphs[0]
	pa.Proposals = append(pa.Proposals, wire.Proposal{ID: propNobody, Action: "MOD", Text: "that every مدرسة needs a fast link;", Ref: "B/75/4", Status: "tabled", SuggestedProposer: "BRA"})
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	l := newLogged(t)
	l.m = m
	return l
}

func wantRuns(t *testing.T, l *logged, para, text string, runs wire.Runs) {
	t.Helper()
	gotText, gotRuns := l.text(para)
	if gotText != text {
		t.Fatalf("text %q, want %q", gotText, text)
	}
	if mustJSON(t, gotRuns) != mustJSON(t, runs) {
		t.Fatalf("authors %s, want %s", mustJSON(t, gotRuns), mustJSON(t, runs))
	}
}

func TestAssignThenMerge(t *testing.T) {
	t.Parallel()
	l := withUnassigned(t)
	// Merging a proposal nobody proposed would credit its words to nobody
	// (before: to the chair).
	_, _, err := l.do(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propNobody})
	if codeOf(err) != wire.CodeInvalid || !strings.HasPrefix(err.Error(), "assign a proposer first") || !strings.Contains(err.Error(), "MOD B/75/4 of CONSIDERING a)") {
		t.Fatalf("merge without a proposer: %s %v", codeOf(err), err)
	}
	for _, c := range []struct{ proposer, code, msg string }{
		{"", wire.CodeInvalid, "proposer is required"},
		{"XYZ", wire.CodeInvalid, `unknown delegation "XYZ"`},
	} {
		if _, _, err := l.do(t, theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: propNobody, Proposer: c.proposer}); codeOf(err) != c.code || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("assign %q: %s %v", c.proposer, codeOf(err), err)
		}
	}
	if _, _, err := l.do(t, theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: "nope", Proposer: "BRA"}); codeOf(err) != wire.CodeNotFound {
		t.Errorf("assign an unknown proposal: %v", err)
	}
	// Assigned first to the wrong delegation, then put right.
	l.must(t, theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: propNobody, Proposer: "cept"})
	d := l.must(t, theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: propNobody, Proposer: " bra "})
	if p := d.Proposal; p == nil || p.Proposer == nil || *p.Proposer != "BRA" || p.ProposerName != "Brazil" || p.SuggestedProposer != "BRA" || d.Para != paraA || d.Section != secPre {
		t.Fatalf("assign's data: %+v", d)
	}
	d = l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propNobody})
	if d.Author != "BRA" {
		t.Fatalf("merged text credited to %q", d.Author)
	}
	// "that every مدرسة needs a link;" + "[fast] " before "link", Brazil's.
	wantRuns(t, l, paraA, "that every مدرسة needs a [fast] link;", wire.Runs{{Len: 25, Author: "original"}, {Len: 7, Author: "BRA"}, {Len: 5, Author: "original"}})
	// Its text is in under Brazil's name: the proposer stays.
	if _, _, err := l.do(t, theChair, wire.KindProposalAssign, wire.ActionFields{Proposal: propNobody, Proposer: "CEPT"}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "undo the merge") {
		t.Fatalf("reassigning a merged proposal: %v", err)
	}
}

func TestBracketActions(t *testing.T) {
	t.Parallel()
	// "to report 进展 [yearly] 👩🏽‍💻;" with Brazil's group, then CEPT's
	// alternative typed beside it: "[yearly][每年 🎉]".
	setup := func(t *testing.T) *logged {
		l := newLogged(t)
		if err := l.edit(t, cept, paraB, ot.Op{{Skip: 21}, {Insert: "[每年 🎉]"}}); err != nil {
			t.Fatal(err)
		}
		wantRuns(t, l, paraB, "to report 进展 [yearly][每年 🎉] 👩🏽‍💻;", wire.Runs{{Len: 13, Author: "original"}, {Len: 8, Author: "BRA"}, {Len: 6, Author: "CEPT"}, {Len: 6, Author: "original"}})
		return l
	}
	emoji := len([]rune(" 👩🏽‍💻;"))
	t.Run("keep the second alternative", func(t *testing.T) {
		l := setup(t)
		d := l.must(t, theChair, wire.KindBracketsKeep, wire.ActionFields{Para: paraB, At: num(14), Alternative: num(1)})
		if d.Para != paraB || d.Alternative == nil || *d.Alternative != 1 || d.Author != "chair" || len(d.Op) == 0 {
			t.Fatalf("data %+v", d)
		}
		for _, c := range d.Op {
			if c.Insert != "" {
				t.Fatalf("a resolution inserts nothing: %v", d.Op)
			}
		}
		wantRuns(t, l, paraB, "to report 进展 每年 🎉 👩🏽‍💻;", wire.Runs{{Len: 13, Author: "original"}, {Len: 4, Author: "CEPT"}, {Len: emoji, Author: "original"}})
	})
	t.Run("keep the first", func(t *testing.T) {
		l := setup(t)
		l.must(t, theChair, wire.KindBracketsKeep, wire.ActionFields{Para: paraB, At: num(26), Alternative: num(0)})
		wantRuns(t, l, paraB, "to report 进展 yearly 👩🏽‍💻;", wire.Runs{{Len: 13, Author: "original"}, {Len: 6, Author: "BRA"}, {Len: emoji, Author: "original"}})
	})
	t.Run("drop the group", func(t *testing.T) {
		l := setup(t)
		l.must(t, theChair, wire.KindBracketsDrop, wire.ActionFields{Para: paraB, At: num(21)})
		wantRuns(t, l, paraB, "to report 进展 👩🏽‍💻;", wire.Runs{{Len: 12 + emoji, Author: "original"}})
	})
	t.Run("accept a single alternative; refusals", func(t *testing.T) {
		l := newLogged(t)
		refusals := []struct {
			who  Actor
			f    wire.ActionFields
			rule string
		}{
			{theChair, wire.ActionFields{Para: paraB, At: num(3)}, draft.RuleNoGroup},
			{theChair, wire.ActionFields{Para: paraB, At: num(500)}, draft.RuleNoGroup},
			{cept, wire.ActionFields{Para: paraB, At: num(14)}, draft.RuleResolveChair},
		}
		for _, r := range refusals {
			_, _, err := l.do(t, r.who, wire.KindBracketsAccept, r.f)
			re, ok := err.(*draft.RuleError)
			if !ok || re.Rule != r.rule {
				t.Errorf("accept by %s at %v: %v, want rule %s", roleOf(r.who), *r.f.At, err, r.rule)
			}
		}
		if _, _, err := l.do(t, theChair, wire.KindBracketsAccept, wire.ActionFields{Para: paraB}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "at is required") {
			t.Errorf("no at: %v", err)
		}
		if _, _, err := l.do(t, theChair, wire.KindBracketsKeep, wire.ActionFields{Para: paraB, At: num(14)}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "alternative is required") {
			t.Errorf("keep without alternative: %v", err)
		}
		l.must(t, theChair, wire.KindBracketsAccept, wire.ActionFields{Para: paraB, At: num(13)})
		wantRuns(t, l, paraB, "to report 进展 yearly 👩🏽‍💻;", wire.Runs{{Len: 13, Author: "original"}, {Len: 6, Author: "BRA"}, {Len: emoji, Author: "original"}})
	})
	t.Run("a delegation withdraws its own group", func(t *testing.T) {
		l := newLogged(t)
		l.must(t, brazil, wire.KindBracketsDrop, wire.ActionFields{Para: paraB, At: num(16)})
		wantRuns(t, l, paraB, "to report 进展 👩🏽‍💻;", wire.Runs{{Len: 12 + emoji, Author: "original"}})
		// The op is a text change on the paragraph, for transforms.
		last := l.ops[len(l.ops)-1]
		if para, change, ok := TextChange(last); !ok || para != paraB || len(change) == 0 {
			t.Fatalf("TextChange(brackets.drop) = %q %v %v", para, change, ok)
		}
	})
}

// A MOD that deletes words brackets them and says who would delete them.
func TestMergeDeletionNote(t *testing.T) {
	t.Parallel()
	l := newLogged(t)
	l.must(t, brazil, wire.KindProposalEdit, wire.ActionFields{Proposal: propMOD, Text: str("to report 进展 👩🏽‍💻;")})
	d := l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
	// Brazil would delete its own bracketed word: it brackets the group.
	wantRuns(t, l, paraB, "to report 进展 [[yearly]] 👩🏽‍💻;", wire.Runs{{Len: 13, Author: "original"}, {Len: 10, Author: "BRA"}, {Len: emojiLen(), Author: "original"}})
	if d.Note == nil || d.Note.Text != `BRA name proposes to delete "[yearly]" (BRA/1).` || d.Note.Author != "BRA name" || *d.Note.Paragraph != paraB {
		t.Fatalf("note %+v", d.Note)
	}
	l2 := newLogged(t)
	l2.must(t, brazil, wire.KindProposalEdit, wire.ActionFields{Proposal: propMOD, Text: str("to 进展 [yearly] 👩🏽‍💻;")})
	d = l2.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
	wantRuns(t, l2, paraB, "to [report] 进展 [yearly] 👩🏽‍💻;", wire.Runs{{Len: 3, Author: "original"}, {Len: 1, Author: "BRA"}, {Len: 6, Author: "original"}, {Len: 1, Author: "BRA"}, {Len: 4, Author: "original"}, {Len: 8, Author: "BRA"}, {Len: emojiLen(), Author: "original"}})
	if d.Note == nil || d.Note.Text != `BRA name proposes to delete "report" (BRA/1).` {
		t.Fatalf("note %+v", d.Note)
	}
}

func emojiLen() int { return len([]rune(" 👩🏽‍💻;")) }

func TestReopen(t *testing.T) {
	t.Parallel()
	l := newLogged(t)
	d := l.must(t, theChair, wire.KindProposalReopen, wire.ActionFields{Proposal: propRej})
	if d.Proposal.Status != "tabled" || d.Para != paraB {
		t.Fatalf("reopen: %+v", d)
	}
	if _, _, err := l.do(t, theChair, wire.KindProposalReopen, wire.ActionFields{Proposal: propRej}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "is tabled, not rejected") {
		t.Fatalf("reopen a tabled proposal: %v", err)
	}
	// Tabled again, it can be merged.
	l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propRej})
}

func TestUnmerge(t *testing.T) {
	t.Parallel()
	orig := func(l *logged, para string) (string, wire.Runs) { return l.text(para) }
	t.Run("MOD: back to the text before, authors and all", func(t *testing.T) {
		l := newLogged(t)
		text, runs := orig(l, paraB)
		l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
		merged, _ := l.text(paraB)
		// Typed before and after the merged words: not touching them.
		if err := l.edit(t, theChair, paraB, ot.Op{{Insert: "И "}}); err != nil {
			t.Fatal(err)
		}
		if err := l.edit(t, cept, paraB, ot.Op{{Skip: len([]rune(merged)) + 2}, {Insert: " [ЕС]"}}); err != nil {
			t.Fatal(err)
		}
		d := l.must(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD})
		if d.Proposal.Status != "tabled" || d.Author != "chair" || d.Para != paraB {
			t.Fatalf("unmerge data %+v", d)
		}
		want := append(wire.Runs{{Len: 2, Author: "chair"}}, runs...)
		want = append(want, wire.Run{Len: 5, Author: "CEPT"})
		wantRuns(t, l, paraB, "И "+text+" [ЕС]", want)
		// And merged again, then undone again.
		l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
		l.must(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD})
		wantRuns(t, l, paraB, "И "+text+" [ЕС]", want)
	})
	t.Run("MOD: refused when the merged words were edited", func(t *testing.T) {
		l := newLogged(t)
		l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
		merged, _ := l.text(paraB)
		at := strings.Index(merged, "every") // inside "[every year]"
		if at < 0 {
			t.Fatalf("merged %q", merged)
		}
		if err := l.edit(t, theChair, paraB, ot.Op{{Skip: len([]rune(merged[:at]))}, {Delete: 1}}); err != nil {
			t.Fatal(err)
		}
		_, _, err := l.do(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD})
		if codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "were edited since (by the chair, change 9)") {
			t.Fatalf("unmerge after an edit inside: %v", err)
		}
	})
	t.Run("SUP: brackets and note go", func(t *testing.T) {
		l := newLogged(t)
		text, runs := orig(l, paraB)
		notes := l.m.Notes()
		d := l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propSUP})
		if l.m.Notes() != notes+1 {
			t.Fatal("the SUP added no note")
		}
		u := l.must(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propSUP})
		if len(u.RemovedNotes) != 1 || u.RemovedNotes[0] != d.Note.ID || l.m.Notes() != notes {
			t.Fatalf("notes after undo: %d, removed %v", l.m.Notes(), u.RemovedNotes)
		}
		wantRuns(t, l, paraB, text, runs)
	})
	t.Run("ADD: the paragraph goes, unless edited", func(t *testing.T) {
		l := newLogged(t)
		paras := l.m.Paragraphs()
		d := l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propADD})
		u := l.must(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propADD})
		if u.RemovedParagraph != d.Paragraph.ID || l.m.Paragraphs() != paras || l.m.HasParagraph(d.Paragraph.ID) {
			t.Fatalf("after undoing the ADD: %+v, %d paragraphs", u, l.m.Paragraphs())
		}
		d = l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propADD})
		if err := l.edit(t, theChair, d.Paragraph.ID, ot.Op{{Skip: 1}, {Insert: "о"}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.do(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propADD}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "was edited since") {
			t.Fatalf("undo an edited ADD: %v", err)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		l := newLogged(t)
		if _, _, err := l.do(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "is tabled, not merged") {
			t.Errorf("undo a tabled proposal: %v", err)
		}
		l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
		l.ops = nil // the merge is no longer at hand
		if _, _, err := l.do(t, theChair, wire.KindProposalUnmerge, wire.ActionFields{Proposal: propMOD}); codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "further back") {
			t.Errorf("undo a merge out of reach: %v", err)
		}
	})
}

func TestFollow(t *testing.T) {
	t.Parallel()
	spans := []ot.Span{{Start: 2, End: 4}, {Start: 6, End: 7}}
	cases := []struct {
		op      ot.Op
		want    []ot.Span
		touched bool
	}{
		{ot.Op{{Insert: "ab"}}, []ot.Span{{Start: 4, End: 6}, {Start: 8, End: 9}}, false},
		{ot.Op{{Skip: 2}, {Insert: "x"}}, []ot.Span{{Start: 3, End: 5}, {Start: 7, End: 8}}, false}, // right before a span
		{ot.Op{{Skip: 4}, {Insert: "x"}}, []ot.Span{{Start: 2, End: 4}, {Start: 7, End: 8}}, false}, // right after it
		{ot.Op{{Skip: 3}, {Insert: "x"}}, nil, true},                                                // inside
		{ot.Op{{Skip: 3}, {Delete: 1}}, nil, true},
		{ot.Op{{Skip: 4}, {Delete: 2}}, []ot.Span{{Start: 2, End: 4}, {Start: 4, End: 5}}, false},
		{ot.Op{{Delete: 3}}, nil, true},
	}
	for _, c := range cases {
		got, touched := follow(spans, c.op)
		if touched != c.touched || mustJSON(t, got) != mustJSON(t, c.want) {
			t.Errorf("follow(%v) = %v %v, want %v %v", c.op, got, touched, c.want, c.touched)
		}
	}
}
