package document

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// yes is a *bool, as floor.mode's only.
func yes(b bool) *bool { return &b }

// asks is a prep: each actor asks for the floor, in order.
func asks(who ...Actor) func(*testing.T, *Model) {
	return func(t *testing.T, m *Model) {
		t.Helper()
		for _, a := range who {
			if _, _, err := decideAndApply(t, m, a, wire.KindFloorRequest, wire.ActionFields{}, testEnv()); err != nil {
				t.Fatalf("%s asks for the floor: %v", roleOf(a), err)
			}
		}
	}
}

var (
	russia = Actor{Role: draft.RoleDelegate, Delegation: "RUS", Name: "Russian Federation delegate"}
	china  = Actor{Role: draft.RoleDelegate, Delegation: "CHN", Name: "China delegate"}
	nobody = Actor{Role: draft.RoleDelegate, Name: "A delegate of no delegation"}
)

// floorOf is the floor as the document shows it, in short:
// "speaking | queue… | only".
func floorOf(m *Model) string {
	f := m.ToWire().Floor
	var q []string
	for _, r := range f.Queue {
		s := r.Delegation
		if r.Para != "" {
			s += "@" + r.Para
		}
		q = append(q, s)
	}
	sp := "-"
	if f.Speaking != nil {
		sp = *f.Speaking
	}
	return sp + " | " + strings.Join(q, " ") + " | " + map[bool]string{true: "only", false: "open"}[f.Only]
}

type floorStep struct {
	who  Actor
	kind string
	f    wire.ActionFields
	code string // "" when it is accepted
	msg  string // part of the refusal
	want string // floorOf after the step
}

// Each sequence runs on a fresh document; every step is decided, applied
// when accepted, and the floor checked after it.
func TestFloorActions(t *testing.T) {
	t.Parallel()
	req := wire.KindFloorRequest
	cases := []struct {
		name  string
		steps []floorStep
	}{
		{"the list keeps the order asked, once per delegation", []floorStep{
			{who: brazil, kind: req, f: wire.ActionFields{Para: paraB}, want: "- | BRA@p-b | open"},
			{who: cept, kind: req, want: "- | BRA@p-b CEPT | open"},
			{who: russia, kind: req, f: wire.ActionFields{Para: paraA}, want: "- | BRA@p-b CEPT RUS@p-a | open"},
			{who: cept, kind: req, f: wire.ActionFields{Para: paraA}, code: wire.CodeInvalid, msg: "CEPT has already asked for the floor (number 2 on the speakers' list)", want: "- | BRA@p-b CEPT RUS@p-a | open"},
		}},
		{"a delegate withdraws its own request, not another's", []floorStep{
			{who: brazil, kind: req, want: "- | BRA | open"},
			{who: cept, kind: req, want: "- | BRA CEPT | open"},
			{who: cept, kind: wire.KindFloorWithdraw, f: wire.ActionFields{Delegation: "BRA"}, code: wire.CodeForbidden, msg: "delegates may only withdraw their own delegation's request", want: "- | BRA CEPT | open"},
			{who: cept, kind: wire.KindFloorWithdraw, want: "- | BRA | open"},
			{who: cept, kind: wire.KindFloorWithdraw, code: wire.CodeInvalid, msg: "CEPT is not on the speakers' list", want: "- | BRA | open"},
			{who: cept, kind: req, want: "- | BRA CEPT | open"}, // asks again: at the end
		}},
		{"the chair removes a request, naming the delegation", []floorStep{
			{who: brazil, kind: req, want: "- | BRA | open"},
			{who: theChair, kind: wire.KindFloorWithdraw, code: wire.CodeInvalid, msg: "delegation is required", want: "- | BRA | open"},
			{who: theChair, kind: wire.KindFloorWithdraw, f: wire.ActionFields{Delegation: " bra "}, want: "- |  | open"},
		}},
		{"giving the floor takes the delegation off the list; the next gets it after", []floorStep{
			{who: brazil, kind: req, want: "- | BRA | open"},
			{who: china, kind: req, f: wire.ActionFields{Para: paraC}, want: "- | BRA CHN@p-c | open"},
			{who: theChair, kind: wire.KindFloorGive, f: wire.ActionFields{Delegation: "BRA"}, want: "BRA | CHN@p-c | open"},
			{who: brazil, kind: req, want: "BRA | CHN@p-c BRA | open"}, // may ask again while speaking
			{who: anAdmin, kind: wire.KindFloorGive, f: wire.ActionFields{Delegation: "chn"}, want: "CHN | BRA | open"},
			{who: theChair, kind: wire.KindFloorClose, want: "- | BRA | open"},
			{who: theChair, kind: wire.KindFloorClose, want: "- | BRA | open"}, // closing a closed floor changes nothing
		}},
		{"the chair gives the floor to a delegation that raised its flag, not on the list", []floorStep{
			{who: theChair, kind: wire.KindFloorGive, f: wire.ActionFields{Delegation: "RUS"}, want: "RUS |  | open"},
			{who: theChair, kind: wire.KindFloorGive, f: wire.ActionFields{Delegation: "XYZ"}, code: wire.CodeInvalid, msg: `unknown delegation "XYZ"`, want: "RUS |  | open"},
			{who: theChair, kind: wire.KindFloorGive, code: wire.CodeInvalid, msg: "delegation is required: who gets the floor", want: "RUS |  | open"},
		}},
		{"floor-only typing on and off", []floorStep{
			{who: theChair, kind: wire.KindFloorMode, code: wire.CodeInvalid, msg: "only is required", want: "- |  | open"},
			{who: theChair, kind: wire.KindFloorMode, f: wire.ActionFields{Only: yes(true)}, want: "- |  | only"},
			{who: brazil, kind: wire.KindFloorMode, f: wire.ActionFields{Only: yes(false)}, code: wire.CodeForbidden, msg: "only the chair may switch floor-only typing", want: "- |  | only"},
			{who: theChair, kind: wire.KindFloorMode, f: wire.ActionFields{Only: yes(false)}, want: "- |  | open"},
		}},
		{"who may not ask", []floorStep{
			{who: theChair, kind: req, code: wire.CodeForbidden, msg: "only delegations ask for the floor; the chair gives it", want: "- |  | open"},
			{who: rappo, kind: req, code: wire.CodeForbidden, msg: "only delegations ask for the floor", want: "- |  | open"},
			{who: watcher, kind: wire.KindFloorWithdraw, code: wire.CodeForbidden, msg: "only a delegation or the chair may withdraw", want: "- |  | open"},
			{who: nobody, kind: req, code: wire.CodeForbidden, msg: "must belong to a delegation", want: "- |  | open"},
			{who: brazil, kind: req, f: wire.ActionFields{Para: "nope"}, code: wire.CodeNotFound, msg: `no paragraph "nope"`, want: "- |  | open"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := testModel(t)
			for i, s := range c.steps {
				before := mustJSON(t, m.ToWire())
				d, touched, err := decideAndApply(t, m, s.who, s.kind, s.f, testEnv())
				switch {
				case s.code == "" && err != nil:
					t.Fatalf("step %d (%s by %s): refused: %v", i+1, s.kind, roleOf(s.who), err)
				case s.code != "" && (codeOf(err) != s.code || !strings.Contains(err.Error(), s.msg)):
					t.Fatalf("step %d (%s by %s): got %s %v, want %s %q", i+1, s.kind, roleOf(s.who), codeOf(err), err, s.code, s.msg)
				case s.code != "" && mustJSON(t, m.ToWire()) != before:
					t.Fatalf("step %d: a refused action changed the document", i+1)
				case s.code == "" && !touched.Floor:
					t.Fatalf("step %d: %s does not say it touched the floor (%+v)", i+1, s.kind, d)
				}
				if got := floorOf(m); got != s.want {
					t.Fatalf("step %d (%s by %s): floor %q, want %q", i+1, s.kind, roleOf(s.who), got, s.want)
				}
			}
		})
	}
}

// A request carries when it was made, as the room's clock says, in what
// PostgreSQL keeps (microseconds).
func TestFloorRequestTime(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	env := testEnv()
	env.Now = func() time.Time { return time.Date(2026, 11, 26, 17, 5, 1, 123456789, time.FixedZone("CET", 3600)) }
	d, _, err := decideAndApply(t, m, brazil, wire.KindFloorRequest, wire.ActionFields{Para: paraA}, env)
	if err != nil {
		t.Fatal(err)
	}
	if d.At != "2026-11-26T16:05:01.123456Z" || d.Para != paraA || d.Delegation != "BRA" {
		t.Fatalf("data %+v", d)
	}
	if q := m.ToWire().Floor.Queue; len(q) != 1 || q[0].At != d.At {
		t.Fatalf("queue %+v", q)
	}
}

// The list is bounded; giving the floor or removing a request makes room.
func TestFloorQueueLimit(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	env := testEnv()
	env.Limits.MaxFloorQueue = 2
	for _, a := range []Actor{brazil, cept} {
		if _, _, err := decideAndApply(t, m, a, wire.KindFloorRequest, wire.ActionFields{}, env); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := decideAndApply(t, m, russia, wire.KindFloorRequest, wire.ActionFields{}, env)
	if codeOf(err) != wire.CodeInvalid || !strings.Contains(err.Error(), "the speakers' list is full (2 requests, the limit)") {
		t.Fatalf("a third request: %v", err)
	}
	if _, _, err := decideAndApply(t, m, theChair, wire.KindFloorGive, wire.ActionFields{Delegation: "BRA"}, env); err != nil {
		t.Fatal(err)
	}
	if _, _, err := decideAndApply(t, m, russia, wire.KindFloorRequest, wire.ActionFields{}, env); err != nil {
		t.Fatalf("after the floor was given: %v", err)
	}
	var l Limits
	l.Defaults()
	if l.MaxFloorQueue != 500 {
		t.Fatalf("default MaxFloorQueue %d", l.MaxFloorQueue)
	}
	l.MaxFloorQueue = -1
	if err := l.Validate(); err == nil || !strings.Contains(err.Error(), "MaxFloorQueue") {
		t.Fatalf("validate: %v", err)
	}
}

// Under floor-only typing a delegate's edit is refused unless its
// delegation has the floor; the chair types freely, and the roles that
// never edit hear their own rule. Proposals stay open to everyone.
func TestFloorOnlyTyping(t *testing.T) {
	t.Parallel()
	lim := testEnv().Limits
	bracket := `[10,"[每年 🎉] "]` // a delegate's own bracketed words in paragraph B
	cases := []struct {
		name     string
		only     bool
		speaking string // "" for nobody
		who      Actor
		code     string // "" when the edit is accepted
		rule     string
		msg      string
	}{
		{"open floor: anyone types", false, "", brazil, "", "", ""},
		{"open floor, someone speaking: others still type", false, "CEPT", brazil, "", "", ""},
		{"floor-only: the speaker types", true, "BRA", brazil, "", "", ""},
		{"floor-only: another delegation is refused", true, "BRA", cept, wire.CodeForbidden, RuleFloorOnly,
			"Only the delegation that has the floor may change the text now: BRA has it. Ask for the floor to make your change."},
		{"floor-only, nobody speaking: every delegation is refused", true, "", brazil, wire.CodeForbidden, RuleFloorOnly,
			"Only the delegation that has the floor may change the text now, and nobody has the floor. Ask for the floor"},
		{"floor-only: the chair types", true, "BRA", theChair, "", "", ""},
		{"floor-only: an admin types", true, "", anAdmin, "", "", ""},
		{"floor-only: an observer hears the read-only rule", true, "BRA", watcher, wire.CodeForbidden, draft.RuleReadOnly, "observers may not edit"},
		{"floor-only: a rapporteur hears the read-only rule", true, "BRA", rappo, wire.CodeForbidden, draft.RuleReadOnly, "may not edit"},
		{"floor-only: a delegate of no delegation hears its own rule", true, "BRA", nobody, wire.CodeForbidden, draft.RuleNoDelegation, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := testModel(t)
			if c.speaking != "" {
				if _, _, err := decideAndApply(t, m, theChair, wire.KindFloorGive, wire.ActionFields{Delegation: c.speaking}, testEnv()); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := decideAndApply(t, m, theChair, wire.KindFloorMode, wire.ActionFields{Only: yes(c.only)}, testEnv()); err != nil {
				t.Fatal(err)
			}
			h := History{Oldest: m.Seq(), Durable: m.Seq()}
			_, after, err := AcceptEdit(m, h, c.who, wire.Edit{Para: paraB, Base: m.Seq(), Op: mustOp(t, bracket)}, &lim)
			if c.code == "" {
				if err != nil || !strings.Contains(after.Text, "[每年 🎉]") {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			f := Refusal("r9", err)
			if f.Code != c.code || f.Rule != c.rule || !strings.Contains(f.Message, c.msg) || f.Offset != nil {
				t.Fatalf("refusal %+v, want %s %s %q", f, c.code, c.rule, c.msg)
			}
		})
	}
	// Proposals are not typing: a delegation without the floor tables,
	// edits and withdraws its own under floor-only typing.
	m := testModel(t)
	if _, _, err := decideAndApply(t, m, theChair, wire.KindFloorMode, wire.ActionFields{Only: yes(true)}, testEnv()); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		kind string
		f    wire.ActionFields
	}{
		{wire.KindProposalTable, wire.ActionFields{Para: paraA, Action: "MOD", Text: str("that each مدرسة has a link;")}},
		{wire.KindProposalEdit, wire.ActionFields{Proposal: propMOD, Text: str("to report 进展 yearly;")}},
		{wire.KindProposalWithdraw, wire.ActionFields{Proposal: propNOC}},
		{wire.KindFloorRequest, wire.ActionFields{Para: paraA}},
	} {
		if _, _, err := decideAndApply(t, m, brazil, step.kind, step.f, testEnv()); err != nil {
			t.Errorf("%s under floor-only typing: %v", step.kind, err)
		}
	}
}

// A deleted paragraph leaves the requests that named it (they keep their
// place) and the focus, with its proposal; the delete says it touched both.
func TestParagraphDeleteLeavesFloorAndFocus(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	asks(brazil)(t, m)
	if _, _, err := decideAndApply(t, m, cept, wire.KindFloorRequest, wire.ActionFields{Para: paraB}, testEnv()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := decideAndApply(t, m, theChair, wire.KindFocus, wire.ActionFields{Para: paraB, Proposal: propMOD}, testEnv()); err != nil {
		t.Fatal(err)
	}
	_, touched, err := decideAndApply(t, m, theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraB}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if !touched.Floor || !touched.Focus {
		t.Fatalf("touched %+v", touched)
	}
	d := m.ToWire()
	if d.Focus != "" || d.FocusProposal != "" || floorOf(m) != "- | BRA CEPT | open" {
		t.Fatalf("focus %q %q, floor %s", d.Focus, d.FocusProposal, floorOf(m))
	}
	rows := m.Rows(touched)
	if rows.Focus == nil || *rows.Focus != "" || rows.FocusProposal == nil || *rows.FocusProposal != "" || rows.Floor == nil || len(rows.Floor.Queue) != 2 {
		t.Fatalf("rows %+v", rows)
	}
	// Deleting a paragraph nobody named touches neither.
	_, touched, err = decideAndApply(t, m, theChair, wire.KindParagraphDelete, wire.ActionFields{Para: paraA}, testEnv())
	if err != nil || touched.Floor || touched.Focus {
		t.Fatalf("touched %+v, %v", touched, err)
	}
}

// The chair puts a proposal of the focused paragraph, or of its section,
// on the screen with the focus; a proposal elsewhere is refused.
func TestFocusWithProposal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		f    wire.ActionFields
		code string
		msg  string
	}{
		{"its own paragraph's", wire.ActionFields{Para: paraB, Proposal: propMOD}, "", ""},
		{"its section's", wire.ActionFields{Para: paraC, Proposal: propADD}, "", ""},
		{"a rejected one still shows", wire.ActionFields{Para: paraB, Proposal: propRej}, "", ""},
		{"another paragraph's", wire.ActionFields{Para: paraC, Proposal: propMOD}, wire.CodeInvalid, "proposal BRA/1 is not about paragraph 2 or its section"},
		{"another section's", wire.ActionFields{Para: paraA, Proposal: propADD}, wire.CodeInvalid, "is not about paragraph a) or its section"},
		{"unknown", wire.ActionFields{Para: paraB, Proposal: "nope"}, wire.CodeNotFound, `no proposal "nope"`},
		{"no paragraph", wire.ActionFields{Proposal: propMOD}, wire.CodeInvalid, "para is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := testModel(t)
			d, touched, err := decideAndApply(t, m, theChair, wire.KindFocus, c.f, testEnv())
			if c.code != "" {
				if codeOf(err) != c.code || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("got %s %v, want %s %q", codeOf(err), err, c.code, c.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := m.ToWire()
			if w.Focus != c.f.Para || w.FocusProposal != c.f.Proposal || d.FocusProposal != c.f.Proposal || !touched.Focus {
				t.Fatalf("focus %q %q, data %+v", w.Focus, w.FocusProposal, d)
			}
			raw, _ := json.Marshal(d)
			if want := `{"para":"` + c.f.Para + `","focus_proposal":"` + c.f.Proposal + `"}`; string(raw) != want {
				t.Fatalf("data %s, want %s", raw, want)
			}
			// Moving the focus on without a proposal takes it off the screen.
			if _, _, err := decideAndApply(t, m, theChair, wire.KindFocus, wire.ActionFields{Para: paraA}, testEnv()); err != nil || m.ToWire().FocusProposal != "" {
				t.Fatalf("focus moved on: %q %v", m.ToWire().FocusProposal, err)
			}
		})
	}
}

// A clone's floor is its own; a document without a floor (an old
// snapshot) has an empty one; a frozen version carries no floor.
func TestFloorCloneAndVersions(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	asks(brazil)(t, m)
	c := m.Clone()
	asks(cept)(t, m)
	if floorOf(c) != "- | BRA | open" || floorOf(m) != "- | BRA CEPT | open" {
		t.Fatalf("clone %s, model %s", floorOf(c), floorOf(m))
	}
	if _, _, err := decideAndApply(t, c, theChair, wire.KindFloorWithdraw, wire.ActionFields{Delegation: "BRA"}, testEnv()); err != nil || floorOf(m) != "- | BRA CEPT | open" {
		t.Fatalf("a change to the clone reached the model: %s %v", floorOf(m), err)
	}
	if f := testModel(t).ToWire().Floor; f == nil || f.Speaking != nil || f.Queue == nil || len(f.Queue) != 0 || f.Only {
		t.Fatalf("empty floor %+v", f)
	}
	v := m.Freeze("Rev.1", m.Seq(), time.Unix(0, 0))
	if strings.Contains(v.Content, `"floor"`) || !strings.Contains(v.Content, `"sections"`) {
		t.Fatalf("version content holds the floor: %.200s", v.Content)
	}
	again, err := New(m.ToWire())
	if err != nil || floorOf(again) != floorOf(m) {
		t.Fatalf("round trip through the wire: %s %v", floorOf(again), err)
	}
}
