package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/wire"
)

// Every drafting rule, over the websocket: the forbidden op is refused with
// the right code and message and changes nothing; the allowed one succeeds.
func TestDelegateRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	bra := e.dial(e.token("delegate", "BRA"))
	cept := e.dial(e.token("delegate", "CEPT"))
	p3 := e.paras["3"] // "to report back;"

	r := bra.edit(p3, `[3,"quickly "]`)
	refused(t, "insert outside brackets", r, wire.CodeForbidden, "You can type only inside brackets")
	r = bra.edit(p3, `[3,"["]`)
	refused(t, "unbalanced", r, wire.CodeInvalid, "Brackets must balance")
	accepted(t, "new bracketed text", bra.edit(p3, `[3,"[quickly] "]`)) // "to [quickly] report back;"
	accepted(t, "insert into own pair", bra.edit(p3, `[11,"and fully"]`))
	// "to [quicklyand fully] report back;": CEPT may not write inside BRA's pair.
	r = cept.edit(p3, `[5,"x"]`)
	refused(t, "insert into another's pair", r, wire.CodeForbidden, "inside brackets")
	// CEPT brackets existing original text instead: "[back]".
	accepted(t, "bracket existing text", cept.edit(p3, `[29,"[",4,"]"]`))
	r = cept.edit(p3, `[{"d":2}]`)
	refused(t, "delete original text", r, wire.CodeForbidden, "You can delete only your own delegation's text")
	r = cept.edit(p3, `[4,{"d":3}]`)
	refused(t, "delete another delegation's text", r, wire.CodeForbidden, "is BRA's text")
	accepted(t, "delete own text", bra.edit(p3, `[11,{"d":9}]`)) // drop "and fully"
	want := "to [quickly] report [back];"
	if got := e.para("3").Text; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}

	// Chair-only actions.
	for _, c := range []struct {
		kind   string
		fields map[string]any
	}{
		{wire.KindStatus, map[string]any{"para": p3, "status": "agreed"}},
		{wire.KindFocus, map[string]any{"para": p3}},
		{wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": nil, "label": "0", "text": "x"}},
		{wire.KindParagraphDelete, map[string]any{"para": p3}},
		{wire.KindParagraphRelabel, map[string]any{"para": p3, "label": "9"}},
		{wire.KindSectionRename, map[string]any{"section": e.secs[1], "heading": "DECIDES"}},
	} {
		r := bra.action(c.kind, c.fields)
		refused(t, "delegate "+c.kind, r, wire.CodeForbidden, "only the chair")
	}
	r = bra.action(wire.KindProposalMerge, map[string]any{"proposal": e.document().Sections[1].Paragraphs[0].Proposals[0].ID})
	refused(t, "delegate merge", r, wire.CodeForbidden, "only the chair may merge")

	// Proposals: table, edit and withdraw its own, not another's.
	tabled := accepted(t, "table", bra.action(wire.KindProposalTable, map[string]any{"para": p3, "action": "MOD", "text": "to report back promptly;", "doc_ref": "B/2/1"}))
	prop := opData(t, tabled).Proposal
	if prop == nil || *prop.Proposer != "BRA" || prop.Status != "tabled" || prop.Ref != "B/2/1" {
		t.Fatalf("tabled proposal = %+v", prop)
	}
	r = cept.action(wire.KindProposalWithdraw, map[string]any{"proposal": prop.ID})
	refused(t, "withdraw another's", r, wire.CodeForbidden, "own delegation's")
	accepted(t, "edit own", bra.action(wire.KindProposalEdit, map[string]any{"proposal": prop.ID, "text": "to report back soon;"}))
	accepted(t, "withdraw own", bra.action(wire.KindProposalWithdraw, map[string]any{"proposal": prop.ID}))
	r = bra.action(wire.KindProposalTable, map[string]any{"para": p3, "action": "XYZ", "text": "t"})
	refused(t, "bad action", r, wire.CodeInvalid, "MOD, ADD, SUP or NOC")

	// Observers and rapporteurs do not edit.
	obs := e.dial(e.token("observer", ""))
	r = obs.edit(p3, `[3,"[x]"]`)
	refused(t, "observer edit", r, wire.CodeForbidden, "")
	r = obs.action(wire.KindProposalTable, map[string]any{"para": p3, "action": "NOC"})
	refused(t, "observer table", r, wire.CodeForbidden, "")
	r = obs.action(wire.KindNoteAdd, map[string]any{"para": p3, "text": "n"})
	refused(t, "observer note", r, wire.CodeForbidden, "")
	rap := e.dial(e.token("rapporteur", ""))
	r = rap.edit(p3, `[3,"[x]"]`)
	refused(t, "rapporteur edit", r, wire.CodeForbidden, "")
	accepted(t, "rapporteur note", rap.action(wire.KindNoteAdd, map[string]any{"para": p3, "text": "check with capitals"}))

	// Agreed paragraphs are locked for delegates.
	chair := e.dial(e.token("chair", ""))
	p1 := e.paras["1"]
	accepted(t, "chair agrees", chair.action(wire.KindStatus, map[string]any{"para": p1, "status": "agreed_ad_ref"}))
	r = bra.edit(p1, `[3,"[x]"]`)
	refused(t, "delegate edits agreed ad ref", r, wire.CodeForbidden, "agreed")

	if got := e.para("3").Text; got != want {
		t.Fatalf("refusals changed the text: %q", got)
	}
}

func TestChairActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, room.Config{})
	chair := e.dial(e.token("chair", ""))
	bra := e.dial(e.token("delegate", "BRA"))
	p3 := e.paras["3"]
	accepted(t, "bracket", bra.edit(p3, `[3,"[promptly] "]`))
	r := chair.action(wire.KindStatus, map[string]any{"para": p3, "status": "agreed"})
	refused(t, "agree with brackets", r, wire.CodeInvalid, "bracket")
	// The chair cleans the brackets: removes "[promptly] ".
	accepted(t, "clean", chair.edit(p3, `[3,{"d":11}]`))
	accepted(t, "agree", chair.action(wire.KindStatus, map[string]any{"para": p3, "status": "agreed"}))
	r = chair.edit(p3, `[3,"x"]`)
	refused(t, "chair edits agreed", r, wire.CodeForbidden, "reopen")
	reopen := accepted(t, "reopen", chair.action(wire.KindStatus, map[string]any{"para": p3, "status": "open"}))
	if reopen.Kind != wire.KindStatus {
		t.Fatalf("reopen op kind %s", reopen.Kind)
	}
	accepted(t, "edit reopened", chair.edit(p3, `[3,"duly "]`))

	ins := accepted(t, "insert", chair.action(wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": p3, "label": "3bis", "text": "to [consider] next steps;"}))
	newID := opData(t, ins).Paragraph.ID
	accepted(t, "relabel", chair.action(wire.KindParagraphRelabel, map[string]any{"para": newID, "label": "4"}))
	accepted(t, "move to front", chair.action(wire.KindParagraphMove, map[string]any{"para": newID, "section": e.secs[1], "after": nil}))
	accepted(t, "move to preamble", chair.action(wire.KindParagraphMove, map[string]any{"para": e.paras["2"], "section": e.secs[0], "after": nil}))
	sec := accepted(t, "section", chair.action(wire.KindSectionInsert, map[string]any{"after": e.secs[1], "heading": "instructs the Secretary-General"}))
	secID := opData(t, sec).Section
	accepted(t, "rename", chair.action(wire.KindSectionRename, map[string]any{"section": secID, "heading": "instructs the Secretary-General, in consultation"}))
	accepted(t, "focus", chair.action(wire.KindFocus, map[string]any{"para": p3}))
	accepted(t, "delete", chair.action(wire.KindParagraphDelete, map[string]any{"para": e.paras["1"]}))
	r = chair.action(wire.KindParagraphInsert, map[string]any{"section": e.secs[1], "after": nil, "text": "unbalanced ["})
	refused(t, "insert unbalanced", r, wire.CodeInvalid, "")

	d := e.document()
	if len(d.Sections) != 3 || d.Sections[2].Heading != "instructs the Secretary-General, in consultation" || d.Sections[2].Kind != "operative" {
		t.Fatalf("sections = %+v", d.Sections)
	}
	var labels []string
	for _, p := range d.Sections[1].Paragraphs {
		labels = append(labels, p.Label+":"+p.Text)
	}
	wantOrder := []string{"4:to [consider] next steps;", "3:to duly report back;"}
	if len(labels) != 2 || labels[0] != wantOrder[0] || labels[1] != wantOrder[1] {
		t.Fatalf("operative paragraphs = %q, want %q", labels, wantOrder)
	}
	if d.Sections[0].Paragraphs[0].Label != "2" {
		t.Fatalf("moved paragraph not first in preamble: %+v", d.Sections[0].Paragraphs)
	}
	// The deleted paragraph's proposal stays with its section.
	if len(d.Sections[1].Proposals) != 2 {
		t.Fatalf("section proposals after delete = %+v", d.Sections[1].Proposals)
	}
	// A projector that connects now learns where the chair's focus is.
	var welcome frame
	late := e.dial(e.token("observer", ""))
	_ = late
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/documents/" + e.doc.String() + "/live"
	ws, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + e.token("observer", "")}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if err := ws.ReadJSON(&welcome); err != nil || welcome.Document == nil || welcome.Document.Focus != p3 {
		t.Fatalf("late welcome focus = %v (%v)", welcome.Document, err)
	}
	// It is stored, so it survives the room and the server.
	if f := e.document().Focus; f != p3 {
		t.Fatalf("stored focus = %q, want %q", f, p3)
	}
}
