package compile

import (
	"testing"
)

// The importer suggests a proposer where the flattened form gives
// evidence, and nowhere else: a row with one cell per proposer column, a
// reference in the text, a remark placing a delegation's proposal in a
// section. Proposers are never assigned.
func TestSuggestedProposers(t *testing.T) {
	c, err := Read(readFixture(t, "suggest.txt"), "suggest.txt", FormatText, nil)
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ label, suggested, by string }
	got := func(ps []Proposal) []want {
		var out []want
		for _, p := range ps {
			if p.Proposer != "" {
				t.Errorf("proposal %q was assigned %q", p.Text, p.Proposer)
			}
			out = append(out, want{p.Label, p.SuggestedProposer, p.SuggestedBy})
		}
		return out
	}
	check := func(where string, ps []Proposal, w []want) {
		t.Helper()
		g := got(ps)
		if len(g) != len(w) {
			t.Errorf("%s: %+v, want %+v", where, g, w)
			return
		}
		for i := range w {
			if g[i] != w[i] {
				t.Errorf("%s proposal %d: %+v, want %+v", where, i, g[i], w[i])
			}
		}
	}
	recalling := section(t, c, "RECALLING")
	// Row 4 has three cells for three columns: Brazil, Cuba (NOC), CEPT.
	check("RECALLING a)", paragraph(t, recalling, "a)").Proposals, []want{
		{"a)", "BRA", SuggestedByRow}, {"", "CUB", SuggestedByRow}, {"a)", "CEPT", SuggestedByRow},
	})
	// Row 5 (whose one paragraph both proposals go to): CEPT's reference
	// in the text; Cuba's proposal on satellites, which a remark in
	// CONSIDERING places under recalling.
	check("RECALLING b)", paragraph(t, recalling, "b)").Proposals, []want{{"b)", "CEPT", SuggestedByRef}, {"c)", "CUB", SuggestedByRemark}})
	// Row 9: two cells for three columns and nothing else to go by.
	check("RESOLVES 1", paragraph(t, section(t, c, "RESOLVES"), "1").Proposals, []want{{"1", "", ""}, {"1", "", ""}})
}

// The real compilation: the suggestions the importer makes there. Which
// are right is in the closing report; this pins what is suggested.
func TestSeedSuggestions(t *testing.T) {
	_, c := readSeed(t)
	type s struct{ section, label, code, by string }
	var got []s
	for _, sec := range c.Sections {
		for _, p := range sec.Proposals {
			if p.SuggestedProposer != "" {
				got = append(got, s{sec.Heading, p.Label, p.SuggestedProposer, p.SuggestedBy})
			}
		}
		for _, para := range sec.Paragraphs {
			for _, p := range para.Proposals {
				if p.SuggestedProposer != "" {
					got = append(got, s{sec.Heading, p.Label, p.SuggestedProposer, p.SuggestedBy})
				}
			}
		}
	}
	want := []s{
		{"RECOGNIZING", "c)", "BRA", SuggestedByRemark},
		{"AWARE", "d)", "BRA", SuggestedByRemark},
		{"AWARE", "f)", "BRA", SuggestedByRemark},
	}
	if len(got) != len(want) {
		t.Fatalf("suggestions = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("suggestion %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
