package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/limits"
	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/store"
)

func smallCompilation() *compile.Compilation {
	return &compile.Compilation{
		Title:     "Test resolution on satellite spectrum for rural schools",
		BaseRef:   "Rev. Testville, 2020",
		Proposers: []compile.Proposer{{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/1/2"}, {Name: "Atlantis"}},
		Notes:     []compile.Note{{Kind: "reasons", Text: "Reasons: connectivity for schools.", Row: 20}},
		Sections: []compile.Section{
			{Heading: "CONSIDERING", Kind: "preamble", Row: 3, Paragraphs: []compile.Paragraph{
				{Label: "a)", Text: "that schools in rural areas — المدارس الريفية — lack connectivity;", Row: 4,
					Proposals: []compile.Proposal{{Proposer: "BRA", Action: "MOD", Ref: "B/1/2", Text: "that many schools lack connectivity;", Row: 4}}},
				{Label: "b)", Text: "that 卫星 links 🛰️ can help;", Row: 5, Notes: []compile.Note{{Text: "see Brazil's text", Row: 5}}},
			}},
			{Heading: "resolves", Kind: "operative", Row: 6, Paragraphs: []compile.Paragraph{
				{Label: "1", Text: "to study the matter;", Row: 7, Proposals: []compile.Proposal{{Action: "SUP", Row: 7}}},
			}, Proposals: []compile.Proposal{{Proposer: "BRA", Action: "ADD", Label: "2", Text: "to report back;", Row: 8}}},
		},
	}
}

func TestImportRoundTrip(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	id, sum, err := st.ImportCompilation(ctx, smallCompilation(), "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sections != 2 || sum.Paragraphs != 3 || sum.Notes != 2 || sum.Proposals["Brazil"] != 2 || sum.Proposals[store.UnknownProposer] != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	doc, err := st.GetDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Test resolution on satellite spectrum for rural schools" || doc.BaseRef != "Rev. Testville, 2020" || doc.Seq != 0 {
		t.Fatalf("doc header = %q %q %d", doc.Title, doc.BaseRef, doc.Seq)
	}
	if len(doc.Proposers) != 2 || *doc.Proposers[0].Code != "BRA" || doc.Proposers[0].Ref != "B/1/2" || doc.Proposers[1].Code != nil || doc.Proposers[1].Name != "Atlantis" {
		t.Fatalf("proposers = %+v", doc.Proposers)
	}
	if len(doc.Sections) != 2 || doc.Sections[0].Heading != "CONSIDERING" || doc.Sections[1].Kind != "operative" {
		t.Fatalf("sections = %+v", doc.Sections)
	}
	pa := doc.Sections[0].Paragraphs[0]
	if pa.Label != "a)" || pa.Text != "that schools in rural areas — المدارس الريفية — lack connectivity;" || pa.Status != "open" || pa.BaseText != pa.Text {
		t.Fatalf("paragraph a) = %+v", pa)
	}
	// Authorship counts code points: the Arabic and the dashes are one each.
	if len(pa.Authors) != 1 || pa.Authors[0].Len != len([]rune(pa.Text)) || pa.Authors[0].Author != "original" {
		t.Fatalf("authors = %+v", pa.Authors)
	}
	if len(pa.Proposals) != 1 || *pa.Proposals[0].Proposer != "BRA" || pa.Proposals[0].Action != "MOD" || pa.Proposals[0].Status != "tabled" {
		t.Fatalf("proposals = %+v", pa.Proposals)
	}
	sup := doc.Sections[1].Paragraphs[0].Proposals
	if len(sup) != 1 || sup[0].Proposer != nil || sup[0].Action != "SUP" {
		t.Fatalf("unknown-proposer SUP = %+v", sup)
	}
	add := doc.Sections[1].Proposals
	if len(add) != 1 || add[0].Action != "ADD" || add[0].Label != "2" {
		t.Fatalf("section proposals = %+v", add)
	}
	if len(doc.Notes) != 2 || doc.Notes[0].Kind != "reasons" || doc.Notes[0].Section != nil || doc.Notes[1].Paragraph == nil || *doc.Notes[1].Paragraph != doc.Sections[0].Paragraphs[1].ID {
		t.Fatalf("notes = %+v", doc.Notes)
	}
	docs, err := st.ListDocuments(ctx, nil)
	if err != nil || len(docs) != 1 || docs[0].ID != id.String() {
		t.Fatalf("list = %+v %v", docs, err)
	}
	other := uuid.New()
	if docs, _ := st.ListDocuments(ctx, &other); len(docs) != 0 {
		t.Fatalf("bound list = %+v", docs)
	}
	if _, err := st.GetDocument(ctx, other); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown document: %v", err)
	}
}

// A failure part-way writes nothing.
func TestImportIsAtomic(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	c := smallCompilation()
	// An unknown delegation code violates a foreign key on the last proposal.
	c.Sections[1].Proposals[0].Proposer = "ZZZ"
	if _, _, err := st.ImportCompilation(ctx, c, ""); err == nil {
		t.Fatal("import with an unknown delegation succeeded")
	}
	var n int
	for _, table := range []string{"documents", "sections", "paragraphs", "proposals", "notes", "document_proposers"} {
		if err := st.Pool().QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s has %d rows after a failed import (%v)", table, n, err)
		}
	}
}

// The store refuses a compilation over the room's limits even when it was
// built without compile.Read (issue 15, item 8); nothing is written.
func TestImportRefusesOverLimits(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	c := smallCompilation()
	sec := &c.Sections[1]
	for len(sec.Paragraphs) < limits.Paragraphs+1 {
		sec.Paragraphs = append(sec.Paragraphs, compile.Paragraph{Label: "1", Text: "to act;"})
	}
	if _, _, err := st.ImportCompilation(ctx, c, ""); !errors.Is(err, compile.ErrTooLarge) {
		t.Fatalf("5,001 paragraphs: err = %v", err)
	}
	c = smallCompilation()
	c.Sections[0].Paragraphs[0].Text = strings.Repeat("x", limits.ParagraphRunes+1)
	if _, _, err := st.ImportCompilation(ctx, c, ""); !errors.Is(err, compile.ErrTooLarge) {
		t.Fatalf("a paragraph of 100,001 characters: err = %v", err)
	}
	docs, err := st.ListDocuments(ctx, nil)
	if err != nil || len(docs) != 0 {
		t.Fatalf("documents after refused imports: %v, %v", docs, err)
	}
}

// The language and the suggested proposers are stored and read back; a
// proposal without a suggestion has no suggested_proposer in the JSON.
func TestImportLangAndSuggestions(t *testing.T) {
	t.Parallel()
	st := pgtest.NewStore(t)
	ctx := context.Background()
	c := smallCompilation()
	c.Lang = "fr"
	c.Sections[1].Paragraphs[0].Proposals[0].SuggestedProposer = "BRA"
	c.Sections[0].Paragraphs[0].Status = "agreed"
	id, sum, err := st.ImportCompilation(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unassigned != 1 || sum.Suggested != 1 {
		t.Errorf("summary: %d unassigned, %d suggested", sum.Unassigned, sum.Suggested)
	}
	doc, err := st.GetDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Lang != "fr" || doc.Sections[0].Paragraphs[0].Status != "agreed" {
		t.Errorf("lang %q, status %q", doc.Lang, doc.Sections[0].Paragraphs[0].Status)
	}
	sup := doc.Sections[1].Paragraphs[0].Proposals[0]
	if sup.SuggestedProposer != "BRA" || sup.Proposer != nil {
		t.Errorf("SUP proposal = %+v", sup)
	}
	if lang, err := st.DocumentLang(ctx, id); err != nil || lang != "fr" {
		t.Errorf("DocumentLang = %q, %v", lang, err)
	}
	with, _ := json.Marshal(sup)
	without, _ := json.Marshal(doc.Sections[0].Paragraphs[0].Proposals[0])
	if !strings.Contains(string(with), `"suggested_proposer":"BRA"`) || strings.Contains(string(without), "suggested_proposer") {
		t.Errorf("JSON: %s / %s", with, without)
	}
}
