package document

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// Ids of the test document (testDoc).
const (
	secPre  = "s-pre"
	secOp   = "s-op"
	paraA   = "p-a" // preamble a): Arabic and English, open
	paraB   = "p-b" // resolves 1: Chinese and emoji, with a BRA bracket
	paraC   = "p-c" // resolves 2: Cyrillic, agreed
	propMOD = "pr-mod"
	propSUP = "pr-sup"
	propADD = "pr-add"
	propNOC = "pr-noc"
	propRej = "pr-rejected"
)

func str(s string) *string { return &s }

func wpara(id, label, text string, status draft.Status, runs ...wire.Run) wire.Paragraph {
	if runs == nil {
		runs = wire.Runs{{Len: utf8.RuneCountInString(text), Author: draft.AuthorOriginal}}
	}
	return wire.Paragraph{ID: id, Label: label, Text: text, BaseText: text, Status: string(status), Authors: runs, Proposals: []wire.Proposal{}}
}

func prop(id, proposer, action, text, status string) wire.Proposal {
	return wire.Proposal{ID: id, Proposer: &proposer, ProposerName: proposer + " name", Action: action, Text: text, Ref: proposer + "/1", Status: status}
}

// testDoc is a small resolution in several scripts, with proposals of
// every action and a note.
func testDoc() *wire.Document {
	a := wpara(paraA, "a)", "that every مدرسة needs a link;", draft.StatusOpen)
	b := wpara(paraB, "1", "to report 进展 [yearly] 👩🏽‍💻;", draft.StatusOpen,
		wire.Run{Len: 13, Author: draft.AuthorOriginal}, wire.Run{Len: 8, Author: "BRA"}, wire.Run{Len: utf8.RuneCountInString(" 👩🏽‍💻;"), Author: draft.AuthorOriginal})
	c := wpara(paraC, "2", "приглашает все страны;", draft.StatusAgreed)
	b.Proposals = []wire.Proposal{prop(propMOD, "BRA", "MOD", "to report 进展 every year;", "tabled"), prop(propSUP, "CEPT", "SUP", "", "tabled"),
		prop(propNOC, "BRA", "NOC", "", "tabled"), prop(propRej, "BRA", "MOD", "x", "rejected")}
	return &wire.Document{ID: "doc", Title: "Connectivity", BaseRef: "Res. 1", Seq: 7, Lang: "en",
		Proposers: []wire.Proposer{{Code: str("BRA"), Name: "Brazil", Action: "MOD", Ref: "B/1"}},
		Notes:     []wire.Note{{ID: "n1", Text: "Check the Arabic.", Section: str(secOp), Paragraph: str(paraB), Kind: "remark", Author: "Rapporteur"}},
		Sections: []wire.Section{
			{ID: secPre, Heading: "CONSIDERING", Kind: "preamble", Paragraphs: []wire.Paragraph{a}, Proposals: []wire.Proposal{}},
			{ID: secOp, Heading: "RESOLVES", Kind: "operative", Paragraphs: []wire.Paragraph{b, c},
				Proposals: []wire.Proposal{prop(propADD, "RUS", "ADD", "to invite Меморандум", "tabled")}},
		},
	}
}

func testModel(t testing.TB) *Model {
	t.Helper()
	m, err := New(testDoc())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testEnv makes ids id-1, id-2, … and knows a few delegations.
func testEnv() *Env {
	n := 0
	env := &Env{
		NewID: func() string { n++; return fmt.Sprintf("id-%d", n) },
		Delegation: func(code string) (string, bool) {
			name, ok := map[string]string{"BRA": "Brazil", "CEPT": "CEPT", "RUS": "Russian Federation", "CHN": "China"}[code]
			return name, ok
		},
	}
	env.Limits.Defaults()
	return env
}

var (
	theChair = Actor{Role: draft.RoleChair, Name: "Chair"}
	anAdmin  = Actor{Role: draft.RoleAdmin, Name: "Secretariat"}
	brazil   = Actor{Role: draft.RoleDelegate, Delegation: "BRA", Name: "Brazil delegate"}
	cept     = Actor{Role: draft.RoleDelegate, Delegation: "CEPT", Name: "CEPT delegate"}
	rappo    = Actor{Role: draft.RoleRapporteur, Name: "Rapporteur"}
	watcher  = Actor{Role: draft.RoleObserver, Name: "Observer"}
	everyone = []Actor{theChair, anAdmin, brazil, cept, rappo, watcher}
)

func roleOf(a Actor) string {
	if a.Delegation != "" {
		return string(a.Role) + "/" + a.Delegation
	}
	return string(a.Role)
}

// decideAndApply decides an action and applies the op it makes to m,
// checking that the size kept is the size counted.
func decideAndApply(t *testing.T, m *Model, who Actor, kind string, f wire.ActionFields, env *Env) (wire.OpData, Touched, error) {
	t.Helper()
	d, touched, err := Decide(m, who, kind, f, env)
	if err != nil {
		return d, touched, err
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	op := wire.Op{Seq: m.Seq() + 1, Kind: kind, Para: d.Para, Author: who.Author(), Data: raw}
	if err := m.Apply(op); err != nil {
		t.Fatalf("%s by %s: decided, but the op does not apply: %v", kind, roleOf(who), err)
	}
	if m.Size() != m.Recount() {
		t.Fatalf("%s: size kept %d, counted %d", kind, m.Size(), m.Recount())
	}
	return d, touched, nil
}

func codeOf(err error) string {
	switch e := err.(type) {
	case nil:
		return ""
	case *Error:
		return e.Code
	case *draft.RuleError:
		return e.Code
	}
	return "untyped: " + err.Error()
}

func findPara(d *wire.Document, id string) *wire.Paragraph {
	for i := range d.Sections {
		for j := range d.Sections[i].Paragraphs {
			if d.Sections[i].Paragraphs[j].ID == id {
				return &d.Sections[i].Paragraphs[j]
			}
		}
	}
	return nil
}

func num(n int) *int { return &n }

// logged is a model with an op log that its env's Recent reads, as a
// room's history: actions decided and applied through it are logged.
type logged struct {
	m   *Model
	env *Env
	ops []wire.Op
}

func newLogged(t testing.TB) *logged {
	l := &logged{m: testModel(t), env: testEnv()}
	l.env.Recent = func() []wire.Op { return l.ops }
	return l
}

// do decides an action and, when allowed, applies and logs its op.
func (l *logged) do(t *testing.T, who Actor, kind string, f wire.ActionFields) (wire.OpData, Touched, error) {
	t.Helper()
	d, touched, err := decideAndApply(t, l.m, who, kind, f, l.env)
	if err == nil {
		raw, _ := json.Marshal(d)
		l.ops = append(l.ops, wire.Op{Seq: l.m.Seq(), Kind: kind, Para: d.Para, Author: who.Author(), Delegation: who.Delegation, Data: raw})
	}
	return d, touched, err
}

// must is do, failing the test on a refusal.
func (l *logged) must(t *testing.T, who Actor, kind string, f wire.ActionFields) wire.OpData {
	t.Helper()
	d, _, err := l.do(t, who, kind, f)
	if err != nil {
		t.Fatalf("%s by %s: %v", kind, roleOf(who), err)
	}
	return d
}

// edit checks and applies a text edit made at the current seq, and logs it.
func (l *logged) edit(t *testing.T, who Actor, para string, op ot.Op) error {
	t.Helper()
	lim := l.env.Limits
	done, after, err := AcceptEdit(l.m, History{Oldest: l.m.Seq(), Durable: l.m.Seq()}, who, wire.Edit{Para: para, Base: l.m.Seq(), Op: op}, &lim)
	if err != nil {
		return err
	}
	w := wire.Op{Seq: l.m.Seq() + 1, Kind: wire.KindText, Para: para, Op: done, Author: who.Author(), Delegation: who.Delegation}
	if err := l.m.SetText(w, after); err != nil {
		t.Fatal(err)
	}
	l.ops = append(l.ops, w)
	return nil
}

// text is paragraph id's text and authorship runs.
func (l *logged) text(id string) (string, wire.Runs) {
	p := findPara(l.m.ToWire(), id)
	if p == nil {
		return "", nil
	}
	return p.Text, p.Authors
}
