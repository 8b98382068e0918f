package document

import (
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Who may ask for each action kind, with fields that make it succeed for
// whoever may: every kind against every role, on a fresh document each.
func TestWhoMayDoWhat(t *testing.T) {
	t.Parallel()
	chairs := []string{"chair", "admin"}
	cases := []struct {
		kind    string
		f       wire.ActionFields
		allowed []string // roleOf of the actors allowed
		refusal string   // what the others are told (for a delegate, if it differs: delegateRefusal)
		// delegateRefusal is what a delegate is told when it differs.
		delegateRefusal string
		// prep readies the document (ops decided and applied before).
		prep func(*testing.T, *Model)
		// setup, when set, prepares the document first (as the chair).
		setup func(t *testing.T, l *logged)
	}{
		{kind: wire.KindStatus, f: wire.ActionFields{Para: paraA, Status: "agreed_ad_ref"}, allowed: chairs,
			refusal: "only the chair may change a paragraph's status"},
		{kind: wire.KindFocus, f: wire.ActionFields{Para: paraB}, allowed: chairs, refusal: "only the chair may move the focus"},
		{kind: wire.KindParagraphInsert, f: wire.ActionFields{Section: secOp, After: str(paraB), Label: str("1bis"), Text: str("и 中文 [text]")},
			allowed: chairs, refusal: "only the chair may add paragraphs"},
		{kind: wire.KindParagraphDelete, f: wire.ActionFields{Para: paraA}, allowed: chairs, refusal: "only the chair may delete paragraphs"},
		{kind: wire.KindParagraphMove, f: wire.ActionFields{Para: paraA, Section: secOp}, allowed: chairs, refusal: "only the chair may move paragraphs"},
		{kind: wire.KindParagraphRelabel, f: wire.ActionFields{Para: paraA, Label: str("b)")}, allowed: chairs, refusal: "only the chair may relabel paragraphs"},
		{kind: wire.KindSectionInsert, f: wire.ActionFields{Heading: "INVITES", After: str(secOp)}, allowed: chairs, refusal: "only the chair may add sections"},
		{kind: wire.KindSectionRename, f: wire.ActionFields{Section: secOp, Heading: "DECIDES"}, allowed: chairs, refusal: "only the chair may rename sections"},
		{kind: wire.KindNoteAdd, f: wire.ActionFields{Para: paraA, Text: str("مراجعة")}, allowed: []string{"chair", "admin", "rapporteur"},
			refusal: "only the chair and the rapporteur add notes"},
		{kind: wire.KindProposalTable, f: wire.ActionFields{Para: paraA, Action: "mod", Text: str("[每个] school"), Proposer: "CHN"},
			allowed: []string{"chair", "admin", "delegate/BRA", "delegate/CEPT"}, refusal: "may not table or change proposals"},
		{kind: wire.KindProposalEdit, f: wire.ActionFields{Proposal: propMOD, Text: str("to report every year;")},
			allowed: []string{"chair", "admin", "delegate/BRA"}, refusal: "may not table or change proposals",
			delegateRefusal: "delegates may only edit their own delegation's proposals"},
		{kind: wire.KindProposalWithdraw, f: wire.ActionFields{Proposal: propMOD},
			allowed: []string{"chair", "admin", "delegate/BRA"}, refusal: "may not table or change proposals",
			delegateRefusal: "delegates may only withdraw their own delegation's proposals"},
		{kind: wire.KindProposalReject, f: wire.ActionFields{Proposal: propMOD}, allowed: chairs,
			refusal: "may not table or change proposals", delegateRefusal: "only the chair may reject a proposal"},
		{kind: wire.KindProposalMerge, f: wire.ActionFields{Proposal: propMOD}, allowed: chairs,
			refusal: "may not table or change proposals", delegateRefusal: "only the chair may merge a proposal"},
		{kind: wire.KindFloorRequest, f: wire.ActionFields{Para: paraB}, allowed: []string{"delegate/BRA", "delegate/CEPT"},
			refusal: "only delegations ask for the floor"},
		{kind: wire.KindFloorWithdraw, f: wire.ActionFields{Delegation: "CEPT"}, allowed: []string{"chair", "admin", "delegate/CEPT"},
			refusal:         "only a delegation or the chair may withdraw a request for the floor",
			delegateRefusal: "delegates may only withdraw their own delegation's request", prep: asks(cept)},
		{kind: wire.KindFloorGive, f: wire.ActionFields{Delegation: "CEPT"}, allowed: chairs, refusal: "only the chair may give the floor", prep: asks(cept)},
		{kind: wire.KindFloorClose, allowed: chairs, refusal: "only the chair may close the floor"},
		{kind: wire.KindFloorMode, f: wire.ActionFields{Only: yes(true)}, allowed: chairs, refusal: "only the chair may switch floor-only typing"},
		{kind: wire.KindProposalAssign, f: wire.ActionFields{Proposal: propMOD, Proposer: "chn"}, allowed: chairs,
			refusal: "may not table or change proposals", delegateRefusal: "only the chair may assign a proposal's proposer"},
		{kind: wire.KindProposalReopen, f: wire.ActionFields{Proposal: propRej}, allowed: chairs,
			refusal: "may not table or change proposals", delegateRefusal: "only the chair may reopen a rejected proposal"},
		{kind: wire.KindProposalUnmerge, f: wire.ActionFields{Proposal: propMOD}, allowed: chairs,
			refusal: "may not table or change proposals", delegateRefusal: "only the chair may undo a merge",
			setup: func(t *testing.T, l *logged) {
				l.must(t, theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propMOD})
			}},
		// paragraph b) is "to report 进展 [yearly] 👩🏽‍💻;", its group Brazil's.
		{kind: wire.KindBracketsKeep, f: wire.ActionFields{Para: paraB, At: num(15), Alternative: num(0)}, allowed: chairs,
			refusal: "may not edit text", delegateRefusal: "Only the chair can keep an alternative"},
		{kind: wire.KindBracketsAccept, f: wire.ActionFields{Para: paraB, At: num(13)}, allowed: chairs,
			refusal: "may not edit text", delegateRefusal: "Only the chair can accept bracketed words"},
		{kind: wire.KindBracketsDrop, f: wire.ActionFields{Para: paraB, At: num(20)}, allowed: []string{"chair", "admin", "delegate/BRA"},
			refusal: "may not edit text", delegateRefusal: "You can drop only a group that is all your own words"},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.kind] = true
		for _, who := range everyone {
			t.Run(c.kind+"/"+roleOf(who), func(t *testing.T) {
				allowed := false
				for _, a := range c.allowed {
					allowed = allowed || a == roleOf(who)
				}
				l := newLogged(t)
				if c.prep != nil {
					c.prep(t, l.m)
				}
				if c.setup != nil {
					c.setup(t, l)
				}
				_, _, err := l.do(t, who, c.kind, c.f)
				if allowed {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				want := c.refusal
				if who.Role == draft.RoleDelegate && c.delegateRefusal != "" {
					want = c.delegateRefusal
				}
				if codeOf(err) != wire.CodeForbidden || !strings.Contains(err.Error(), want) {
					t.Fatalf("got %s %v, want forbidden %q", codeOf(err), err, want)
				}
			})
		}
	}
	// Every kind a client may ask for is in the table above.
	for kind, k := range kinds {
		if k.decide != nil && !seen[kind] {
			t.Errorf("kind %s has no row here", kind)
		}
	}
}

// The powers are mapped from roles in one place; an unknown role has none.
func TestPowersOf(t *testing.T) {
	t.Parallel()
	for role, want := range map[draft.Role]Power{
		draft.RoleChair: Preside | Annotate | Freeze, draft.RoleAdmin: Preside | Annotate | Freeze,
		draft.RoleDelegate: Propose | Speak, draft.RoleRapporteur: Annotate | Freeze, draft.RoleObserver: 0, "janitor": 0, "": 0,
	} {
		if got := PowersOf(role); got != want {
			t.Errorf("%q: %b, want %b", role, got, want)
		}
	}
	if _, _, err := Decide(testModel(t), Actor{Role: "janitor"}, wire.KindProposalTable, wire.ActionFields{Para: paraA}, testEnv()); codeOf(err) != wire.CodeForbidden {
		t.Errorf("an unknown role tabling: %v", err)
	}
	if _, _, err := Decide(testModel(t), theChair, wire.KindVersionFreeze, wire.ActionFields{}, testEnv()); codeOf(err) != wire.CodeInvalid ||
		!strings.Contains(err.Error(), "unknown action kind") {
		t.Errorf("version.freeze asked as an action: %v", err)
	}
	if _, _, err := Decide(testModel(t), theChair, "paragraph.explode", wire.ActionFields{}, testEnv()); codeOf(err) != wire.CodeInvalid {
		t.Errorf("an unknown kind: %v", err)
	}
}

// What each kind refuses, for the chair, who may ask for every kind.
func TestActionRefusals(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("я", 33)
	cases := []struct {
		name string
		who  Actor
		kind string
		f    wire.ActionFields
		code string
		msg  string
	}{
		{"status: no para", theChair, wire.KindStatus, wire.ActionFields{Status: "open"}, wire.CodeInvalid, "para is required"},
		{"status: unknown para", theChair, wire.KindStatus, wire.ActionFields{Para: "nope", Status: "open"}, wire.CodeNotFound, `no paragraph "nope"`},
		{"status: unknown status", theChair, wire.KindStatus, wire.ActionFields{Para: paraA, Status: "done"}, wire.CodeInvalid, `unknown status "done"`},
		{"status: agreed with brackets", theChair, wire.KindStatus, wire.ActionFields{Para: paraB, Status: "agreed"}, wire.CodeInvalid, "Resolve the brackets"},
		{"focus: unknown para", theChair, wire.KindFocus, wire.ActionFields{Para: "nope"}, wire.CodeNotFound, "no paragraph"},
		{"insert: unknown section", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: "nope"}, wire.CodeNotFound, `no section "nope"`},
		{"insert: after a paragraph elsewhere", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secPre, After: str(paraB)}, wire.CodeNotFound, "is not in section"},
		{"insert: label too long", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secOp, Label: str(long)}, wire.CodeInvalid, "a label is at most 32 characters"},
		{"insert: label on two lines", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secOp, Label: str("1\n2")}, wire.CodeInvalid, "on one line"},
		{"insert: unbalanced", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secOp, Text: str("[открыто")}, wire.CodeInvalid, "unbalanced"},
		{"insert: NUL", theChair, wire.KindParagraphInsert, wire.ActionFields{Section: secOp, Text: str("a\x00b")}, wire.CodeInvalid, "U+0000"},
		{"delete: agreed", theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraC}, wire.CodeForbidden, "paragraph 2 is agreed; reopen it"},
		{"move: after itself", theChair, wire.KindParagraphMove, wire.ActionFields{Para: paraB, Section: secOp, After: str(paraB)}, wire.CodeInvalid, "after itself"},
		{"move: unknown section", theChair, wire.KindParagraphMove, wire.ActionFields{Para: paraB, Section: "nope"}, wire.CodeNotFound, "no section"},
		{"relabel: no label", theChair, wire.KindParagraphRelabel, wire.ActionFields{Para: paraB}, wire.CodeInvalid, "label is required"},
		{"section: blank heading", theChair, wire.KindSectionInsert, wire.ActionFields{Heading: "  "}, wire.CodeInvalid, "heading must be 1 to 500 characters"},
		{"section: after unknown", theChair, wire.KindSectionInsert, wire.ActionFields{Heading: "X", After: str("nope")}, wire.CodeNotFound, "no section"},
		{"section: bad kind", theChair, wire.KindSectionInsert, wire.ActionFields{Heading: "X", SectionKind: "middle"}, wire.CodeInvalid, "section_kind must be"},
		{"rename: unknown", theChair, wire.KindSectionRename, wire.ActionFields{Section: "nope", Heading: "X"}, wire.CodeNotFound, "no section"},
		{"note: empty", rappo, wire.KindNoteAdd, wire.ActionFields{Text: str(" ")}, wire.CodeInvalid, "a note needs 1 to 10000 characters"},
		{"note: unknown section", rappo, wire.KindNoteAdd, wire.ActionFields{Section: "nope", Text: str("x")}, wire.CodeNotFound, "no section"},
		{"table: chair names nobody", theChair, wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "MOD", Text: str("x")}, wire.CodeInvalid, "the chair must name the proposer"},
		{"table: unknown delegation", theChair, wire.KindProposalTable, wire.ActionFields{Proposer: "XYZ", Para: paraA, Action: "MOD", Text: str("x")}, wire.CodeInvalid, `unknown delegation "XYZ"`},
		{"table: no anchor", brazil, wire.KindProposalTable, wire.ActionFields{Action: "ADD", Text: str("x")}, wire.CodeInvalid, "a proposal needs para or section"},
		{"table: bad action", brazil, wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "DEL", Text: str("x")}, wire.CodeInvalid, "action must be MOD, ADD, SUP or NOC"},
		{"table: SUP of a section", brazil, wire.KindProposalTable, wire.ActionFields{Section: secOp, Action: "SUP"}, wire.CodeInvalid, "a SUP proposal must name the paragraph"},
		{"table: MOD without text", brazil, wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "MOD"}, wire.CodeInvalid, "a MOD proposal needs text"},
		{"table: unknown para", brazil, wire.KindProposalTable, wire.ActionFields{Para: "nope", Action: "MOD", Text: str("x")}, wire.CodeNotFound, "no paragraph"},
		{"edit: unknown proposal", brazil, wire.KindProposalEdit, wire.ActionFields{Proposal: "nope"}, wire.CodeNotFound, `no proposal "nope"`},
		{"withdraw: not tabled", brazil, wire.KindProposalWithdraw, wire.ActionFields{Proposal: propRej}, wire.CodeInvalid, "is rejected, not tabled"},
		{"merge: not tabled", theChair, wire.KindProposalMerge, wire.ActionFields{Proposal: propRej}, wire.CodeInvalid, "not tabled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := testModel(t)
			before := m.ToWire()
			_, _, err := Decide(m, c.who, c.kind, c.f, testEnv())
			if codeOf(err) != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %s %v, want %s %q", codeOf(err), err, c.code, c.msg)
			}
			if got, want := mustJSON(t, m.ToWire()), mustJSON(t, before); got != want {
				t.Fatal("a refused action changed the document")
			}
		})
	}
}

// RolesWith names the roles holding a power, for messages: freezing
// versions is the rapporteur's and the chair's (and an admin's).
func TestRolesWith(t *testing.T) {
	got := RolesWith(Freeze)
	if len(got) != 3 || got[0] != draft.RoleChair || got[1] != draft.RoleAdmin || got[2] != draft.RoleRapporteur {
		t.Fatalf("roles with Freeze: %v", got)
	}
}
