package httpapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/draftroom/draftroom/server/internal/room"
)

// Version labels are checked, and a label is never mistaken for a seq:
// ?version= (and from=, to=, redline=) name a label, ?seq= (from_seq=,
// to_seq=, redline_seq=) a seq.
func TestVersionLabels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.token("chair", "")
	doc := "/api/v1/documents/" + e.doc.String()
	for _, bad := range []string{"5", "0042", ".", "..", " ", "\t", "Rev/1", "Rev\u00001", " Rev.1"} {
		if code := e.do("POST", chair, doc+"/versions", fmt.Sprintf(`{"label":%q}`, bad), nil); code != 400 {
			t.Errorf("freeze as %q: %d, want 400", bad, code)
		}
	}
	var v struct {
		Label string `json:"label"`
		Seq   int64  `json:"seq"`
	}
	if code := e.do("POST", chair, doc+"/versions", `{"label":"Rev.1"}`, &v); code != 201 {
		t.Fatalf("freeze Rev.1: %d %+v", code, v)
	}
	rev1 := v.Seq
	if code := e.do("POST", chair, doc+"/versions", ``, &v); code != 201 || v.Label != "Rev.2" {
		t.Fatalf("freeze with the default label: %d %+v", code, v)
	}
	rev2 := v.Seq
	c := e.dial(chair)
	var now int64
	for i := range 6 {
		now = accepted(t, "edit", c.edit(e.paras["3"], fmt.Sprintf(`[3,"%d"]`, i))).Seq
	}
	if rev1 >= 5 || now < 8 {
		t.Fatalf("Rev.1 at seq %d, now %d: the cases below need Rev.1 before seq 5 and 8 ops", rev1, now)
	}
	// A label of digits alone frozen before labels were checked.
	if _, err := e.st.Pool().Exec(context.Background(), `INSERT INTO versions (document_id, label, seq, content, sha256, counts)
SELECT document_id, '5', seq, content, sha256, counts FROM versions WHERE document_id = $1 AND label = 'Rev.1'`, e.doc); err != nil {
		t.Fatal(err)
	}
	var d struct {
		From int64 `json:"from_seq"`
		To   int64 `json:"to_seq"`
	}
	for _, c := range []struct {
		query    string
		from, to int64
	}{
		{"from=5", rev1, now},            // the version labelled "5" (a copy of Rev.1), not seq 5
		{"from_seq=5", 5, now},           // seq 5
		{"from=Rev.1&to_seq=4", rev1, 4}, // a label and a seq
		{"from=7&to=Rev.2", 7, rev2},     // no version is labelled "7": older clients meant seq 7
		{"from_seq=3&to=5", 3, rev1},     // to= is a label too
		{"from_seq=0&to_seq=2", 0, 2},    // seqs alone
		{"from=Rev.2&to_seq=8", rev2, 8},
		{"from=5&from_seq=5", -1, -1}, // both: refused
		{"from_seq=five", -1, -1},     // not a seq
		{"from=Nope", -2, -2},         // no such version
		{"from_seq=-1", -1, -1},       // not a seq
		{"from=Rev.1&to_seq=x", -1, -1} /* to_seq not a seq */} {
		code := e.get(chair, doc+"/diff?"+c.query, &d)
		switch {
		case c.from == -1 && code != 400, c.from == -2 && code != 404:
			t.Errorf("diff?%s: %d", c.query, code)
		case c.from >= 0 && (code != 200 || d.From != c.from || d.To != c.to):
			t.Errorf("diff?%s: %d from %d to %d, want from %d to %d", c.query, code, d.From, d.To, c.from, c.to)
		}
	}
	// Export reads the same parameters.
	for _, c := range []struct {
		query string
		want  int
	}{
		{"format=txt&version=5", 200}, {"format=txt&seq=5", 200}, {"format=txt&version=Rev.1&seq=5", 400},
		{"format=md&seq=6&redline_seq=2", 200}, {"format=md&redline=5", 200}, {"format=txt&redline_seq=2", 400},
	} {
		if code := e.get(chair, doc+"/export?"+c.query, nil); code != c.want {
			t.Errorf("export?%s: %d, want %d", c.query, code, c.want)
		}
	}
	// The version labelled "5" is what version=5 exports.
	_, byLabel := e.raw(chair, doc+"/export?format=txt&version=5")
	_, rev1Text := e.raw(chair, doc+"/export?format=txt&version=Rev.1")
	_, bySeq := e.raw(chair, doc+"/export?format=txt&seq=5")
	if string(byLabel) == string(bySeq) || len(byLabel) == 0 {
		t.Errorf("version=5 exported seq 5:\n%s", byLabel)
	}
	if len(rev1Text) == 0 {
		t.Error("Rev.1 export is empty")
	}
}
