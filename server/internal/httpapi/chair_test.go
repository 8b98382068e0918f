package httpapi

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// The chair's actions of issue 11 over the websocket, on PostgreSQL:
// assigning a proposer, merging a MOD as small bracket groups, resolving
// groups in one step, reopening and undoing; then the document as stored,
// the authors of every run, the DOCX redline's authors and /diff.
func TestChairActionsLive(t *testing.T) {
	t.Parallel()
	c := testCompilation()
	ops := &c.Sections[1]
	// Paragraph 1's MOD came without a proposer; the import suggests Brazil.
	ops.Paragraphs[0].Proposals[0].Proposer = ""
	ops.Paragraphs[0].Proposals[0].SuggestedProposer = "BRA"
	ops.Paragraphs[0].Proposals[0].Text = "to enhance international cooperation among all Member States;"
	ops.Paragraphs[1].Text = "to study the matter in 世界 🌍;"
	ops.Paragraphs[2].Text = "to report back to Совет;"
	e := newEnvWith(t, room.Config{}, c)
	chair := e.dial(e.token("chair", ""))
	bra := e.dial(e.token("delegate", "BRA"))
	cept := e.dial(e.token("delegate", "CEPT"))
	p1, p2, p3 := e.paras["1"], e.paras["2"], e.paras["3"]
	mod := e.para("1").Proposals[0]
	if mod.Proposer != nil || mod.SuggestedProposer != "BRA" {
		t.Fatalf("imported proposal %+v", mod)
	}

	// 1. Assign, then merge: refused before, credited to Brazil after.
	refused(t, "merge without proposer", chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID}), wire.CodeInvalid, "assign a proposer first")
	refused(t, "delegate assigns", bra.action(wire.KindProposalAssign, map[string]any{"proposal": mod.ID, "proposer": "BRA"}), wire.CodeForbidden, "only the chair")
	refused(t, "unknown delegation", chair.action(wire.KindProposalAssign, map[string]any{"proposal": mod.ID, "proposer": "XYZ"}), wire.CodeInvalid, "unknown delegation")
	op := accepted(t, "assign", chair.action(wire.KindProposalAssign, map[string]any{"proposal": mod.ID, "proposer": "BRA"}))
	if d := opData(t, op); d.Proposal == nil || d.Proposal.Proposer == nil || *d.Proposal.Proposer != "BRA" || op.Author != "chair" {
		t.Fatalf("assign op %+v data %s", op, op.Data)
	}
	if got := e.para("1").Proposals[0]; got.Proposer == nil || *got.Proposer != "BRA" {
		t.Fatalf("stored proposal after assign: %+v", got)
	}
	merge := accepted(t, "merge", chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID}))
	if d := opData(t, merge); d.Author != "BRA" || len(d.Op) == 0 {
		t.Fatalf("merge data %s", merge.Data)
	}
	// Two separate changes, two small groups; shared words stay outside.
	// The current words keep their authors inside the brackets.
	wantPara(t, e, "1", "to [strengthen][enhance international] cooperation among [all] Member States;",
		"original:3 BRA:1 original:10 BRA:24 original:19 BRA:6 original:14")

	// Undo the merge, then merge again: the text comes back as it was.
	accepted(t, "unmerge", chair.action(wire.KindProposalUnmerge, map[string]any{"proposal": mod.ID}))
	wantPara(t, e, "1", "to strengthen cooperation among Member States;", "original:46")
	if got := e.para("1").Proposals[0]; got.Status != "tabled" {
		t.Fatalf("proposal after unmerge: %+v", got)
	}
	merged := accepted(t, "merge again", chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID}))
	// A later edit inside the merged words: the merge cannot be undone.
	accepted(t, "chair edits merged words", chair.edit(p1, `[16,{"d":3}]`)) // "[enhance international]" -> "[ance international]"
	refused(t, "unmerge after an edit", chair.action(wire.KindProposalUnmerge, map[string]any{"proposal": mod.ID}), wire.CodeInvalid, "were edited since")

	// 2. Bracket groups. Brazil and CEPT offer alternatives in 2.
	//    "to study the matter in 世界 🌍;" -> "to study the matter [soon][in 2031] in 世界 🌍;"
	at := utf8.RuneCountInString("to study the matter ")
	cept.upTo(accepted(t, "BRA brackets", bra.edit(p2, `[20,"[soon]"]`)).Seq)
	bra.upTo(accepted(t, "CEPT alternative", cept.edit(p2, `[26,"[in 2031] "]`)).Seq)
	wantPara(t, e, "2", "to study the matter [soon][in 2031] in 世界 🌍;", "original:20 BRA:6 CEPT:10 original:8")
	//    "to report back to Совет;" -> "to report [fully] back [now] to Совет;"
	cept.upTo(accepted(t, "BRA brackets 3", bra.edit(p3, `[10,"[fully] "]`)).Seq)
	mid := accepted(t, "CEPT brackets 3", cept.edit(p3, `[23,"[now] "]`)).Seq
	wantPara(t, e, "3", "to report [fully] back [now] to Совет;", "original:10 BRA:8 original:5 CEPT:6 original:9")

	refused(t, "CEPT drops a shared group", cept.action(wire.KindBracketsDrop, map[string]any{"para": p2, "at": at + 1}), wire.CodeForbidden, "")
	refused(t, "delegate keeps", bra.action(wire.KindBracketsKeep, map[string]any{"para": p2, "at": at, "alternative": 0}), wire.CodeForbidden, "")
	refused(t, "no such alternative", chair.action(wire.KindBracketsKeep, map[string]any{"para": p2, "at": at, "alternative": 5}), wire.CodeInvalid, "")
	keep := accepted(t, "keep CEPT's", chair.action(wire.KindBracketsKeep, map[string]any{"para": p2, "at": at + 3, "alternative": 1}))
	if d := opData(t, keep); len(d.Op) == 0 || d.Para != p2 || keep.Author != "chair" {
		t.Fatalf("keep op %+v data %s", keep, keep.Data)
	}
	wantPara(t, e, "2", "to study the matter in 2031 in 世界 🌍;", "original:20 CEPT:8 original:8")

	// Brazil withdraws its own group; the chair accepts CEPT's.
	bra.upTo(keep.Seq)
	accepted(t, "BRA drops its own", bra.action(wire.KindBracketsDrop, map[string]any{"para": p3, "at": 10}))
	wantPara(t, e, "3", "to report back [now] to Совет;", "original:15 CEPT:6 original:9")
	accepted(t, "chair accepts", chair.action(wire.KindBracketsAccept, map[string]any{"para": p3, "at": 16}))
	wantPara(t, e, "3", "to report back now to Совет;", "original:15 CEPT:4 original:9")

	// 5. Reject and reopen.
	sup := e.para("2").Proposals[0]
	accepted(t, "reject", chair.action(wire.KindProposalReject, map[string]any{"proposal": sup.ID}))
	refused(t, "delegate reopens", cept.action(wire.KindProposalReopen, map[string]any{"proposal": sup.ID}), wire.CodeForbidden, "")
	accepted(t, "reopen", chair.action(wire.KindProposalReopen, map[string]any{"proposal": sup.ID}))
	if got := e.para("2").Proposals[0]; got.Status != "tabled" {
		t.Fatalf("reopened: %+v", got)
	}

	// Every member saw every op, in order, and the history has them.
	var hist struct{ Ops []wire.Op }
	if e.get(e.token("chair", ""), "/api/v1/documents/"+e.doc.String()+"/history?limit=500", &hist) != 200 {
		t.Fatal("history")
	}
	kinds := map[string]int{}
	var mergedAt time.Time // live ops carry no time; the history has it
	for _, o := range hist.Ops {
		kinds[o.Kind]++
		if o.Seq == merged.Seq {
			mergedAt = o.At
		}
	}
	if mergedAt.IsZero() {
		t.Fatalf("history has no time for the merge at seq %d", merged.Seq)
	}
	for _, k := range []string{wire.KindProposalAssign, wire.KindProposalMerge, wire.KindProposalUnmerge, wire.KindBracketsKeep, wire.KindBracketsDrop, wire.KindBracketsAccept, wire.KindProposalReopen} {
		if kinds[k] == 0 {
			t.Errorf("history has no %s: %v", k, kinds)
		}
	}

	// 4. The DOCX redline: every insertion by whoever inserted it, every
	// deletion by whoever deleted it. Since the import, only insertions
	// show (what was deleted since had been inserted since).
	const brazil, cepts, chairName = "Brazil", "European Conference of Postal and Telecommunications Administrations", "Chair"
	wantRevisions(t, e, "0", []revision{
		{"ins", brazil, "["}, {"ins", brazil, "][ance international]"}, {"ins", brazil, "[all]"}, {"ins", brazil, " "},
		{"ins", cepts, "in 2031 "}, {"ins", cepts, "now "},
	})
	// Since the brackets were typed: the chair's one-step resolutions
	// deleted Brazil's and CEPT's brackets, Brazil withdrew its own.
	wantRevisions(t, e, itoa64(mid), []revision{
		{"del", chairName, "[soon]["}, {"del", chairName, "]"},
		{"del", brazil, "[fully] "}, {"del", chairName, "["}, {"del", chairName, "]"},
	})

	// Word comments (one per group) carry the time the group was made: the
	// groups left in 1 came with the second merge.
	resp, body := e.raw(e.token("chair", ""), "/api/v1/documents/"+e.doc.String()+"/export?format=docx")
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	dates := regexp.MustCompile(`<w:comment [^>]*w:date="([^"]+)"`).FindAllStringSubmatch(zipPart(t, body, "word/comments.xml"), -1)
	if len(dates) != 2 {
		t.Fatalf("%d dated comments, want 2 (the groups left in 1)", len(dates))
	}
	for _, m := range dates {
		if m[1] != mergedAt.UTC().Format("2006-01-02T15:04:05Z") {
			t.Errorf("comment dated %s, the merge that made its group was at %s", m[1], mergedAt.UTC())
		}
	}

	// /diff: deleted_by apart from authors, section and heading everywhere.
	var diff struct {
		Changed []struct {
			Para, Section, Heading string
			Segments               []struct {
				Op        string
				Text      string
				Authors   []string
				DeletedBy []string `json:"deleted_by"`
			}
		}
	}
	if e.get(e.token("chair", ""), "/api/v1/documents/"+e.doc.String()+"/diff?from_seq="+itoa64(mid), &diff) != 200 {
		t.Fatal("diff")
	}
	var dels []string
	for _, ch := range diff.Changed {
		if ch.Section != e.secs[1] || ch.Heading != "RESOLVES" {
			t.Errorf("changed entry without its section: %+v", ch)
		}
		for _, s := range ch.Segments {
			if s.Op == "delete" {
				dels = append(dels, s.Text+" by "+strings.Join(s.Authors, ",")+" deleted by "+strings.Join(s.DeletedBy, ","))
			}
		}
	}
	if got, want := strings.Join(dels, " | "), "[soon][ by BRA,CEPT deleted by chair | ] by CEPT deleted by chair | [fully]  by BRA deleted by BRA | [ by CEPT deleted by chair | ] by CEPT deleted by chair"; got != want {
		t.Errorf("deleted segments\n got %s\nwant %s", got, want)
	}
}

// wantRevisions exports the DOCX redline since seq and checks every
// w:ins and w:del, in order: its author and its text.
func wantRevisions(t *testing.T, e *env, seq string, want []revision) {
	t.Helper()
	resp, body := e.raw(e.token("chair", ""), "/api/v1/documents/"+e.doc.String()+"/export?format=docx&redline_seq="+seq)
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	got := revisions(t, zipPart(t, body, "word/document.xml"))
	if mustJSONString(got) != mustJSONString(want) {
		t.Fatalf("redline since %s:\n got %s\nwant %s", seq, mustJSONString(got), mustJSONString(want))
	}
}

func mustJSONString(v any) string { b, _ := json.Marshal(v); return string(b) }

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// upTo reads frames until the connection has seen seq.
func (c *conn) upTo(seq int64) {
	c.t.Helper()
	for c.seq < seq {
		c.read()
	}
}

// wantPara checks a paragraph's stored text and its runs, written as
// "author:len author:len".
func wantPara(t *testing.T, e *env, label, text, runs string) {
	t.Helper()
	p := e.para(label)
	var got []string
	for _, r := range p.Authors {
		got = append(got, r.Author+":"+itoa(r.Len))
	}
	if p.Text != text || strings.Join(got, " ") != runs {
		t.Fatalf("paragraph %s:\n got %q %s\nwant %q %s", label, p.Text, strings.Join(got, " "), text, runs)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// revision is a w:ins or w:del of a DOCX body: its author and its text.
type revision struct{ Tag, Author, Text string }

// revisions reads every w:ins and w:del of word/document.xml in order.
func revisions(t *testing.T, doc string) []revision {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var out []revision
	var cur *revision
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "ins" || el.Name.Local == "del" {
				r := revision{Tag: el.Name.Local}
				for _, a := range el.Attr {
					if a.Name.Local == "author" {
						r.Author = a.Value
					}
				}
				out = append(out, r)
				cur = &out[len(out)-1]
			}
		case xml.EndElement:
			if el.Name.Local == "ins" || el.Name.Local == "del" {
				cur = nil
			}
		case xml.CharData:
			if cur != nil {
				cur.Text += string(el)
			}
		}
	}
}

// The proposer picker's list: every delegation of the registry.
func TestDelegationsList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	var list []struct{ Code, Name string }
	if st := e.get(e.token("delegate", "BRA"), "/api/v1/delegations", &list); st != 200 {
		t.Fatalf("GET /api/v1/delegations: %d", st)
	}
	found := false
	for _, d := range list {
		found = found || (d.Code == "BRA" && d.Name == "Brazil")
	}
	if len(list) < 150 || !found {
		t.Fatalf("%d delegations, Brazil among them: %v", len(list), found)
	}
	if st := e.get("", "/api/v1/delegations", &list); st != 401 {
		t.Errorf("without a token: %d, want 401", st)
	}
}

// A merge can be undone after the room was loaded afresh from PostgreSQL
// (a node started after it, as after a restart): the room's recent
// history is read back with the document.
func TestUnmergeAfterReload(t *testing.T) {
	t.Parallel()
	c := testCompilation()
	c.Sections[1].Paragraphs[0].Proposals[0].Text = "to enhance international cooperation among all Member States;"
	e := newEnvWith(t, room.Config{}, c)
	chair := e.dial(e.token("chair", ""))
	mod := e.para("1").Proposals[0]
	if mod.Proposer == nil {
		accepted(t, "assign", chair.action(wire.KindProposalAssign, map[string]any{"proposal": mod.ID, "proposer": "BRA"}))
	}
	accepted(t, "merge", chair.action(wire.KindProposalMerge, map[string]any{"proposal": mod.ID}))
	merged := e.para("1").Text
	if !strings.Contains(merged, "[") {
		t.Fatalf("merged text %q has no brackets", merged)
	}
	chair2, _ := e.dialWelcome(e.node(), e.token("chair", ""), -1)
	accepted(t, "unmerge on a fresh node", chair2.action(wire.KindProposalUnmerge, map[string]any{"proposal": mod.ID}))
	wantPara(t, e, "1", "to strengthen cooperation among Member States;", "original:46")
}
