package document

import (
	"errors"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

func mustOp(t testing.TB, js string) ot.Op {
	t.Helper()
	op, err := ot.Decode([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// An edit made against an older seq is transformed against every text op
// on its paragraph since, one at a time, with the server's side (left).
func TestAcceptEditTransforms(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	lim := testEnv().Limits
	// Two ops reached paragraph A after seq 3: "كل " at 11 (seq 5), then
	// the first five code points deleted (seq 6).
	for i, js := range []string{`[11,"كل "]`, `[{"d":5}]`} {
		op := wire.Op{Seq: int64(5 + i), Kind: wire.KindText, Para: paraA, Op: mustOp(t, js), Author: "chair"}
		if err := m.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	h := History{Ops: []TextOp{{Seq: 2, Op: mustOp(t, `[3,"x"]`)}, {Seq: 5, Op: mustOp(t, `[11,"كل "]`)}, {Seq: 6, Op: mustOp(t, `[{"d":5}]`)}},
		Oldest: 1, Durable: 6}
	// Made at seq 3 (after the op at seq 2): insert at 11, where "كل "
	// went too; left puts it before.
	op, after, err := AcceptEdit(m, h, theChair, wire.Edit{Para: paraA, Base: 3, Op: mustOp(t, `[11,"🙂"]`)}, &lim)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(mustJSONBytes(t, op)); got != `[6,"🙂"]` {
		t.Errorf("transformed op %s, want [6,\"🙂\"]", got)
	}
	if after.Text != "every 🙂كل مدرسة needs a link;" || after.Authors.Len() != 29 {
		t.Errorf("after: %q %v", after.Text, after.Authors)
	}
}

func mustJSONBytes(t testing.TB, v ot.Op) []byte {
	t.Helper()
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAcceptEditRefusals(t *testing.T) {
	t.Parallel()
	lim := testEnv().Limits
	small := lim
	small.MaxParagraph = 31
	tiny := lim
	tiny.MaxDocumentBytes = testModel(t).Size() + 3
	h := History{Oldest: 2, Durable: 7}
	cases := []struct {
		name string
		who  Actor
		e    wire.Edit
		lim  *Limits
		code string
		rule string
		msg  string
		off  int
	}{
		{"no paragraph", theChair, wire.Edit{Para: "nope", Base: 7, Op: mustOp(t, `["x"]`)}, &lim, wire.CodeNotFound, "", `no paragraph "nope"`, draft.NoOffset},
		{"base in the future", theChair, wire.Edit{Para: paraA, Base: 8, Op: mustOp(t, `["x"]`)}, &lim, wire.CodeInvalid, "", "base 8 is not a seq you can have seen (the document is at 7)", draft.NoOffset},
		{"base too old", theChair, wire.Edit{Para: paraA, Base: 1, Op: mustOp(t, `["x"]`)}, &lim, wire.CodeStale, "", "too old to transform against (oldest kept is 2)", draft.NoOffset},
		{"op past the text", theChair, wire.Edit{Para: paraA, Base: 7, Op: mustOp(t, `[31,"x"]`)}, &lim, wire.CodeInvalid, "", "op does not fit paragraph p-a at base 7", draft.NoOffset},
		{"observer", watcher, wire.Edit{Para: paraA, Base: 7, Op: mustOp(t, `["x"]`)}, &lim, wire.CodeForbidden, draft.RuleReadOnly, "observers may not edit text", draft.NoOffset},
		{"delegate outside brackets", brazil, wire.Edit{Para: paraA, Base: 7, Op: mustOp(t, `[5,"всё "]`)}, &lim, wire.CodeForbidden, draft.RuleInsertInBrackets, "", 5},
		{"agreed paragraph", theChair, wire.Edit{Para: paraC, Base: 7, Op: mustOp(t, `["x"]`)}, &lim, wire.CodeForbidden, draft.RuleLocked, "agreed", draft.NoOffset},
		{"paragraph too long", theChair, wire.Edit{Para: paraA, Base: 7, Op: mustOp(t, `["xy"]`)}, &small, wire.CodeInvalid, "", "the paragraph would be 32 characters long; the limit is 31", draft.NoOffset},
		{"document too big", theChair, wire.Edit{Para: paraA, Base: 7, Op: mustOp(t, `["中文"]`)}, &tiny, wire.CodeInvalid, "", "over its limit of", draft.NoOffset},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := AcceptEdit(testModel(t), h, c.who, c.e, c.lim)
			if err == nil {
				t.Fatal("accepted")
			}
			f := Refusal("r1", err)
			if f.Code != c.code || f.Rule != c.rule || !strings.Contains(f.Message, c.msg) || f.Ref != "r1" {
				t.Fatalf("refusal %+v, want %s %s %q", f, c.code, c.rule, c.msg)
			}
			if (f.Offset == nil) != (c.off == draft.NoOffset) || (f.Offset != nil && *f.Offset != c.off) {
				t.Fatalf("offset %v, want %d", f.Offset, c.off)
			}
		})
	}
}

// A transform can leave an edit with nothing to do; it still goes out as
// an op of kind text with "op":[].
func TestAcceptEditEmptied(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	lim := testEnv().Limits
	h := History{Ops: []TextOp{{Seq: 7, Op: mustOp(t, `[{"d":5}]`)}}, Oldest: 0, Durable: 7}
	if err := m.Apply(wire.Op{Seq: 7, Kind: wire.KindText, Para: paraA, Op: mustOp(t, `[{"d":5}]`)}); err != nil {
		t.Fatal(err)
	}
	op, after, err := AcceptEdit(m, h, theChair, wire.Edit{Para: paraA, Base: 6, Op: mustOp(t, `[{"d":5}]`)}, &lim)
	if err != nil || op == nil || len(op) != 0 || after.Text != "every مدرسة needs a link;" {
		t.Fatalf("op %#v, after %q, err %v", op, after.Text, err)
	}
}

// Replay rebuilds a seq from a snapshot and the ops after it, and says
// when the log stops short of it.
func TestReplay(t *testing.T) {
	t.Parallel()
	ops := []wire.Op{
		{Seq: 8, Kind: wire.KindText, Para: paraA, Op: mustOp(t, `["Ж"]`), Author: "chair"},
		{Seq: 9, Kind: wire.KindFocus, Data: []byte(`{"para":"p-c"}`)},
	}
	d, err := Replay(testDoc(), ops, 9)
	if err != nil || findPara(d, paraA).Text != "Жthat every مدرسة needs a link;" || d.Focus != paraC || d.Seq != 9 || d.Lang != "en" {
		t.Fatalf("replay: %v", err)
	}
	_, err = Replay(testDoc(), ops, 10)
	var se *SeqError
	if !errors.As(err, &se) || se.At != 9 || se.Want != 10 {
		t.Fatalf("short log: %v", err)
	}
	if _, err := Replay(testDoc(), []wire.Op{{Seq: 8, Kind: "mystery"}}, 8); err == nil {
		t.Fatal("an unknown kind replayed")
	}
}

// A version is the document at the freeze's seq, without its language,
// hashed over canonical JSON.
func TestFreeze(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	v := m.Freeze("Rev.1", 8, caseTime)
	if strings.Contains(v.Content, `"lang"`) || !strings.Contains(v.Content, `"seq":8`) {
		t.Errorf("content %s", v.Content)
	}
	if v.Info.Counts.Paragraphs != 3 || v.Info.Counts.Agreed != 1 || v.Info.Counts.OpenBrackets != 1 || v.Info.Counts.BracketsByAuthor["BRA"] != 1 {
		t.Errorf("counts %+v", v.Info.Counts)
	}
	again := testModel(t).Freeze("Rev.1", 8, caseTime)
	if again.Info.SHA256 != v.Info.SHA256 || len(v.Info.SHA256) != 64 {
		t.Errorf("hash %s then %s", v.Info.SHA256, again.Info.SHA256)
	}
	if got := NextLabel(map[string]bool{"Rev.1": true, "Rev.3": true, "Final": true}); got != "Rev.4" {
		t.Errorf("next label %s", got)
	}
	if got := NextLabel(map[string]bool{"Rev.2": true}); got != "Rev.3" {
		t.Errorf("next label %s", got)
	}
}

// Rows are the touched rows as the model now has them, with positions.
func TestRows(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	env := testEnv()
	_, t1, err := decideAndApply(t, m, theChair, wire.KindParagraphMove, wire.ActionFields{Para: paraA, Section: secOp, After: str(paraB)}, env)
	if err != nil {
		t.Fatal(err)
	}
	_, t2, err := decideAndApply(t, m, theChair, wire.KindFocus, wire.ActionFields{Para: paraA}, env)
	if err != nil {
		t.Fatal(err)
	}
	rows := m.Rows(t1, t2)
	if len(rows.Sections) != 2 || rows.Focus == nil || *rows.Focus != paraA {
		t.Fatalf("rows %+v", rows)
	}
	pos := map[string]int{}
	for _, p := range rows.Paragraphs {
		pos[p.ID] = p.Position
		if p.Section != secOp {
			t.Errorf("%s in %s", p.ID, p.Section)
		}
	}
	if len(pos) != 3 || pos[paraB] != 0 || pos[paraA] != 1 || pos[paraC] != 2 {
		t.Fatalf("positions %v", pos)
	}
}
