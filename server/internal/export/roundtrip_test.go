package export

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/demo"
	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/seedtest"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The comparison table round trip is lossless: importing the CSV or XLSX
// export of a document gives the same document, except ids, source rows
// and authorship (which a table has no place for). Checked on the real
// compilation, on the demo, and on a document with every feature the
// table must carry.
func TestTableRoundTripLossless(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	docs := map[string]uuid.UUID{}

	id, _, err := st.ImportCompilation(ctx, everyFeature(), "")
	if err != nil {
		t.Fatal(err)
	}
	docs["every feature"] = id
	if id, _, _, _, err = demo.Ensure(ctx, st); err != nil {
		t.Fatal(err)
	}
	docs["demo"] = id
	for _, f := range []string{"connectivite_fr.txt", "connectivite_fr.csv", "conectividad_es.csv", "conectividad_es.txt", "conectividad_ar.txt", "conectividad_ar.csv", "difficult_en.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "compile", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		c, err := compile.Read(data, f, compile.FormatAuto, nil)
		if err != nil {
			t.Fatal(err)
		}
		if docs[f], _, err = st.ImportCompilation(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
	}
	if seeds := seedtest.Paths(); len(seeds) > 0 {
		seed := seeds[0]
		data, err := os.ReadFile(seed)
		if err != nil {
			t.Fatal(err)
		}
		c, err := compile.Read(data, filepath.Base(seed), compile.FormatAuto, nil)
		if err != nil {
			t.Fatal(err)
		}
		if docs["seed"], _, err = st.ImportCompilation(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("the compilation seed is not beside the repository; checking the others")
	}

	for name, id := range docs {
		for _, f := range []Format{CSV, XLSX} {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				before, err := st.GetDocument(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				out := export(t, f, Input{Doc: before, Registry: delegation.Default()})
				// No file name and no format: the importer must know it.
				c, err := compile.Read(out, "", compile.FormatAuto, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(c.Unplaced) != 0 {
					t.Errorf("unplaced on re-import: %+v", c.Unplaced)
				}
				again, _, err := st.ImportCompilation(ctx, c, "")
				if err != nil {
					t.Fatal(err)
				}
				after, err := st.GetDocument(ctx, again)
				if err != nil {
					t.Fatal(err)
				}
				if diffs := docDiff(before, after); len(diffs) > 0 {
					t.Errorf("%d differences after the round trip:\n%s", len(diffs), strings.Join(diffs, "\n"))
				}
				// And the table of the re-imported document is the same.
				if second := export(t, f, Input{Doc: after, Registry: delegation.Default()}); f == CSV && !bytes.Equal(out, second) {
					t.Error("exporting the re-imported document gives another table")
				}
			})
		}
	}
}

// everyFeature is a compilation with every feature the comparison table
// must carry back: a title, a base reference and a language, resolved and
// unresolved proposer columns, both kinds of section, headings the
// importer would not recognise alone (and two alike in a row), labels of
// several scripts and a label-like text without a label, statuses,
// proposals of every action and status, with and without proposer, with a
// suggested proposer or another reference than their column's, on a
// paragraph or on a section, notes of every kind and anchor, with authors,
// and the Reasons row.
func everyFeature() *compile.Compilation {
	return &compile.Compilation{
		Title: "Draft revision of Resolution 99 (Rev. Testville 2030): connectivity, for all", BaseRef: "Rev. Testville 2030", Lang: "en",
		Proposers: []compile.Proposer{
			{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/75/4"},
			{Name: "Atlantis"},
			{Name: "CEPT", Code: "CEPT", Action: "ADD", Ref: "EUR/80A1/14"},
			{Name: "Arb", Code: "ARB"},
		},
		Notes: []compile.Note{
			{Kind: compile.NoteCaption, Text: "Texts modifications suggested"},
			{Kind: compile.NoteCaption, Text: "Compilation on Resolution 99, second pass"},
			{Kind: compile.NoteRemark, Text: "To be read with the Council's report.", Author: "Rapporteur"},
			{Kind: compile.NoteUnplaced, Text: "stray | cells"},
			{Kind: compile.NoteReasons, Text: "Reasons: the text must reflect new technologies."},
			{Kind: compile.NoteReasons, Text: "A second reason, of the whole text."},
			{Kind: compile.NoteReasons, Text: "Brazil's reason.", Column: 1},
			{Kind: compile.NoteReasons, Text: "Atlantis's reason.", Column: 2},
		},
		Sections: []compile.Section{
			{Heading: "RECALLING", Kind: compile.KindPreamble,
				Notes: []compile.Note{{Kind: compile.NoteRemark, Text: "[bracketed] note opening with a bracket"}},
				Paragraphs: []compile.Paragraph{
					{Label: "a)", Text: "the Tampere Convention;", Status: "agreed",
						Proposals: []compile.Proposal{
							{Proposer: "BRA", Action: "MOD", Ref: "B/75/4", Label: "a)", Text: "the Tampere Convention, as amended;"},
							{Proposer: "CEPT", Action: "NOC", Ref: "EUR/80A1/14"},
							{Proposer: "BRA", Action: "MOD", Ref: "B/75/4", Label: "a)", Text: "a second MOD of one column;", Status: "withdrawn"},
							{Action: "MOD", Text: "1 a text whose column was lost, starting like a label", SuggestedProposer: "ARB"},
						},
						Notes: []compile.Note{{Kind: compile.NoteRemark, Text: "see Brazil's text"}, {Kind: "heading", Text: "recalling", Author: "Chair"}}},
					{Label: "b)", Text: "that alerts must reach everyone in Arabic (إنذار), Chinese (预警) and Russian (оповещение) 👩🏽‍💻;", Status: "agreed_ad_ref",
						Proposals: []compile.Proposal{
							{Proposer: "CEPT", Action: "MOD", Ref: "EUR/80A1/14", Label: "b)", Text: "that [alerts][warnings] must reach everyone;", Status: "merged"},
							{Proposer: "BRA", Action: "SUP", Ref: "B/75/4", Status: "rejected"},
							{Proposer: "ARB", Action: "MOD", Ref: "ARB/1/1", Text: "SUP"},
						}},
					{Label: "", Text: "invites Member States to read this unlabelled paragraph, which looks like a heading"},
					{Label: "", Text: "1 bis a text that starts like a label but has none"},
				},
				Proposals: []compile.Proposal{
					{Proposer: "BRA", Action: "ADD", Ref: "B/75/4", Label: "c)", Text: "an added paragraph;"},
					{Proposer: "ARB", Action: "MOD", Label: "", Text: "a MOD of the section itself"},
					{Action: "ADD", Label: "d)", Text: "an ADD whose proposer was lost"},
					{Proposer: "", Action: "SUP", Text: ""},
				}},
			{Heading: "Seventh considering, as the chair named it", Kind: compile.KindPreamble,
				Paragraphs: []compile.Paragraph{{Label: "a)", Text: "that a heading the importer does not know still comes back;"}}},
			{Heading: "RESOLVES", Kind: compile.KindOperative, Paragraphs: []compile.Paragraph{
				{Label: "1", Text: "to act;", Proposals: []compile.Proposal{
					{Proposer: "CEPT", Action: "MOD", Ref: "EUR/80A1/14", Label: "1", Text: "to act now;"},
					{Proposer: "BRA", Action: "MOD", Ref: "B/75/4", Label: "1", Text: "to act soon;"},
					{Proposer: "", Action: "MOD", Label: "1", Text: "to act at once;", Status: "withdrawn"},
				}},
				{Label: "1 bis", Text: "to act again;"},
				{Label: "A.", Text: "a label the importer would not take off;"},
			}},
			{Heading: "RESOLVES", Kind: compile.KindOperative, Paragraphs: []compile.Paragraph{
				{Label: "2", Text: "a second section with the same heading;"},
			}},
			{Heading: "instructs the Director of the Telecommunication Development Bureau, in close collaboration with the Directors of the other two Bureaux and the regional offices", Kind: compile.KindOperative,
				Notes: []compile.Note{{Kind: compile.NoteUnplaced, Text: "a stray cell\nwith a second line"}},
				Paragraphs: []compile.Paragraph{
					{Label: "أ)", Text: "أن يساعد الدول الأعضاء؛", Notes: []compile.Note{{Kind: compile.NoteRemark, Text: "ملاحظة", Author: "Arb"}}},
					{Label: "Reasons:", Text: "a paragraph whose label reads as the Reasons row"},
				}},
		},
	}
}

// docDiff lists how two documents differ, except in ids, seq, focus,
// source rows and authorship.
func docDiff(a, b *wire.Document) []string {
	var out []string
	diff := func(what string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			out = append(out, fmt.Sprintf("%s: %q != %q", what, fmt.Sprint(x), fmt.Sprint(y)))
		}
	}
	diff("title", a.Title, b.Title)
	diff("base_ref", a.BaseRef, b.BaseRef)
	diff("lang", a.Lang, b.Lang)
	diff("proposers", proposerKeys(a.Proposers), proposerKeys(b.Proposers))
	notes := func(d *wire.Document) map[string][]string {
		where := map[string]string{}
		for i, s := range d.Sections {
			where[s.ID] = fmt.Sprint("section ", i)
			for j, p := range s.Paragraphs {
				where[p.ID] = fmt.Sprint("section ", i, " paragraph ", j)
			}
		}
		m := map[string][]string{}
		for _, n := range d.Notes {
			at := "document"
			switch {
			case n.Paragraph != nil:
				at = where[*n.Paragraph]
			case n.Section != nil:
				at = where[*n.Section]
			}
			m[at] = append(m[at], n.Kind+"|"+n.Author+"|"+n.Text)
		}
		return m
	}
	na, nb := notes(a), notes(b)
	for k := range na {
		diff("notes of "+k, na[k], nb[k])
	}
	for k := range nb {
		if _, ok := na[k]; !ok {
			diff("notes of "+k, nil, nb[k])
		}
	}
	if len(a.Sections) != len(b.Sections) {
		return append(out, fmt.Sprintf("%d sections != %d", len(a.Sections), len(b.Sections)))
	}
	for i, s := range a.Sections {
		t := b.Sections[i]
		at := fmt.Sprint("section ", i)
		diff(at+" heading", s.Heading, t.Heading)
		diff(at+" kind", s.Kind, t.Kind)
		diff(at+" proposals", proposalKeys(s.Proposals), proposalKeys(t.Proposals))
		if len(s.Paragraphs) != len(t.Paragraphs) {
			out = append(out, fmt.Sprintf("%s: %d paragraphs != %d", at, len(s.Paragraphs), len(t.Paragraphs)))
			continue
		}
		for j, p := range s.Paragraphs {
			q := t.Paragraphs[j]
			pat := fmt.Sprint(at, " paragraph ", j)
			diff(pat+" label", p.Label, q.Label)
			diff(pat+" text", p.Text, q.Text)
			diff(pat+" base_text", p.BaseText, q.BaseText)
			diff(pat+" status", p.Status, q.Status)
			diff(pat+" proposals", proposalKeys(p.Proposals), proposalKeys(q.Proposals))
		}
	}
	return out
}

func proposerKeys(ps []wire.Proposer) []string {
	var out []string
	for _, p := range ps {
		code := ""
		if p.Code != nil {
			code = *p.Code
		}
		out = append(out, strings.Join([]string{code, p.Name, p.Action, p.Ref}, "|"))
	}
	return out
}

func proposalKeys(ps []wire.Proposal) []string {
	var out []string
	for _, p := range ps {
		who := ""
		if p.Proposer != nil {
			who = *p.Proposer
		}
		out = append(out, strings.Join([]string{who, p.ProposerName, p.Action, p.Ref, p.Label, p.Text, p.Status, p.SuggestedProposer}, "|"))
	}
	return out
}

var _ = store.UnknownProposer

// Once the chair assigns proposers (issue 11's proposal.assign; here
// straight in the database), the comparison table puts each proposal in
// its proposer's column, and importing that table keeps the proposers.
func TestAssignedProposalsKeepTheirColumns(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "compile", "testdata", "suggest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile.Read(data, "suggest.txt", compile.FormatText, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := st.ImportCompilation(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	// Every proposal goes to its suggested proposer, or else to the
	// header's proposers in turn.
	codes := []string{"BRA", "CUB", "CEPT"}
	names := map[string]string{"BRA": "Brazil", "CUB": "Cuba", "CEPT": "CEPT"}
	rows, err := st.Pool().Query(ctx, `SELECT id, coalesce(suggested_proposer, '') FROM proposals WHERE document_id = $1 ORDER BY position`, id)
	if err != nil {
		t.Fatal(err)
	}
	assign := map[string]string{}
	i := 0
	for rows.Next() {
		var pid, sugg string
		if err := rows.Scan(&pid, &sugg); err != nil {
			t.Fatal(err)
		}
		if sugg == "" {
			sugg = codes[i%len(codes)]
			i++
		}
		assign[pid] = sugg
	}
	rows.Close()
	for pid, code := range assign {
		if _, err := st.Pool().Exec(ctx, `UPDATE proposals SET proposer = $2, proposer_name = $3 WHERE id = $1`, pid, code, names[code]); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := st.GetDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{CSV, XLSX} {
		out := export(t, f, Input{Doc: doc})
		if f == CSV && strings.Contains(string(out), compile.UnknownProposerHeader) {
			t.Errorf("the table still has a %q column", compile.UnknownProposerHeader)
		}
		back, err := compile.Read(out, "", compile.FormatAuto, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Proposers) != 3 {
			t.Errorf("%s: proposers %+v", f, back.Proposers)
		}
		again, _, err := st.ImportCompilation(ctx, back, "")
		if err != nil {
			t.Fatal(err)
		}
		after, err := st.GetDocument(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if diffs := docDiff(doc, after); len(diffs) > 0 {
			t.Errorf("%s: %d differences:\n%s", f, len(diffs), strings.Join(diffs, "\n"))
		}
		// In the table, each proposal is in its proposer's column.
		for _, s := range back.Sections {
			check := func(ps []compile.Proposal) {
				for _, p := range ps {
					if p.Column == 0 || back.Proposers[p.Column-1].Code != p.Proposer || p.Proposer == "" {
						t.Errorf("%s: proposal %q is in column %d, proposer %q", f, p.Text, p.Column, p.Proposer)
					}
				}
			}
			check(s.Proposals)
			for _, p := range s.Paragraphs {
				check(p.Proposals)
			}
		}
	}
}
