package compile

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/seedtest"
)

func TestTextFixture(t *testing.T) {
	c, err := Read(readFixture(t, "early_warning.txt"), "early_warning.txt", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	// "Compilation of proposals" is a caption, not the resolution's title,
	// and the text names no resolution: the title is the file's name.
	if c.Title != "early warning" || c.BaseRef != "Rev. Montevideo 2031" || c.Lang != "en" {
		t.Errorf("Title, BaseRef, Lang = %q, %q, %q", c.Title, c.BaseRef, c.Lang)
	}
	want := []Proposer{
		{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/12/3"},
		{Name: "Côte d'Ivoire", Code: "CIV"},
		{Name: "Türkiye", Code: "TUR"},
		{Name: "CEPT", Code: "CEPT", Action: "MOD", Ref: "EUR/20A1/5"},
	}
	if !reflect.DeepEqual(withoutMatch(c.Proposers), want) {
		t.Errorf("Proposers = %+v", c.Proposers)
	}
	got := count(c)
	wantCounts := counts{
		Sections: 5, Paragraphs: 7, Proposals: 5, Notes: 3,
		Actions:   map[string]int{"MOD": 4, "ADD": 1},
		NoteKinds: map[string]int{"remark": 1, "reasons": 1, "caption": 1},
	}
	if !reflect.DeepEqual(got, wantCounts) {
		t.Errorf("counts = %+v\nwant %+v", got, wantCounts)
	}

	recalling := section(t, c, "RECALLING")
	if a := paragraph(t, recalling, "a)"); a.Text != "the Tampere Convention on the Provision of Telecommunication Resources for Disaster Mitigation and Relief Operations;" {
		t.Errorf("wrapped paragraph = %q", a.Text)
	}
	// The Original column's restatement of the heading is no note.
	if len(recalling.Notes) != 0 || !reflect.DeepEqual(recalling.Restated, []string{"recalling"}) {
		t.Errorf("RECALLING notes = %+v, restated %q", recalling.Notes, recalling.Restated)
	}
	// c) continues the numbering but is a long, unwrapped line: a proposal.
	// The row has two paragraphs and no c), so it stays with the section.
	if p := recalling.Proposals; len(p) != 2 || p[0].Label != "c)" || p[0].Action != "MOD" || p[1].Action != "ADD" || p[1].Row != 5 {
		t.Errorf("RECALLING proposals = %+v", p)
	}

	a := paragraph(t, section(t, c, "CONSIDERING"), "a)")
	if len(a.Notes) != 1 || a.Notes[0].Text != "cf. the Brazilian text under resolves, which could replace this" {
		t.Errorf("remark = %+v", a.Notes)
	}
	if len(a.Proposals) != 1 || a.Proposals[0].Label != "b)" || !strings.HasPrefix(a.Proposals[0].Text, "that cell broadcast") {
		t.Errorf("glued proposal = %+v", a.Proposals)
	}

	resolves := section(t, c, "RESOLVES")
	one := paragraph(t, resolves, "1")
	if one.Text != "to promote the use of common alerting formats in national early-warning systems, so that one message reaches every network;" {
		t.Errorf("RESOLVES 1 = %q", one.Text)
	}
	if len(one.Proposals) != 1 || one.Proposals[0].Label != "1" || one.Proposals[0].Proposer != "" || one.Proposals[0].Column != 0 {
		t.Errorf("RESOLVES 1 proposals = %+v", one.Proposals)
	}
	paragraph(t, resolves, "2")

	instructs := section(t, c, "instructs the Director of the Telecommunication Development Bureau")
	// A proposer's cell that restates the heading: recorded on the
	// proposal, not as a note.
	if n := instructs.Notes; len(n) != 0 {
		t.Errorf("repeated heading kept as notes %+v", n)
	}
	if p := paragraph(t, instructs, "1").Proposals; len(p) != 1 || p[0].Label != "2" || p[0].Heading != instructs.Heading {
		t.Errorf("instructs proposals = %+v", p)
	}
	if len(c.Notes) != 2 || c.Notes[1].Kind != NoteReasons || c.Notes[1].Row != 12 ||
		c.Notes[0].Kind != NoteCaption || c.Notes[0].Text != "Compilation of proposals" {
		t.Errorf("document notes = %+v", c.Notes)
	}
	checkNothingLost(t, string(readFixture(t, "early_warning.txt")), c)
}

// Windows line ends and a byte order mark change nothing.
func TestTextCRLF(t *testing.T) {
	lf := readFixture(t, "early_warning.txt")
	crlf := append([]byte("\ufeff"), strings.ReplaceAll(string(lf), "\n", "\r\n")...)
	a, err := Read(lf, "a.txt", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(crlf, "b.txt", FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("CRLF and BOM changed the result")
	}
}

// Text before the first heading has no section to go to.
func TestTextUnplaced(t *testing.T) {
	src := "Original (Rev. 2030)Cuba\n3\nstray text before any heading\n4\nRESOLVES\n5\n1\nto act;\n____\n"
	c, err := Read([]byte(src), "", FormatText, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Unplaced{{Line: 3, Text: "stray text before any heading"}, {Line: 9, Text: "____"}}
	if !reflect.DeepEqual(c.Unplaced, want) {
		t.Errorf("Unplaced = %+v", c.Unplaced)
	}
	if len(c.Notes) != 1 || c.Notes[0].Kind != NoteUnplaced || c.Notes[0].Row != 3 {
		t.Errorf("document notes = %+v", c.Notes)
	}
	if n := paragraph(t, section(t, c, "RESOLVES"), "1").Notes; len(n) != 1 || n[0].Text != "____" || n[0].Row != 5 {
		t.Errorf("paragraph notes = %+v", n)
	}
}

const seedName = "000_0f00c6b0aef442b4.txt"

func readSeed(t *testing.T) (string, *Compilation) {
	t.Helper()
	data, err := os.ReadFile(seedtest.File(t, seedName))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Read(data, seedName, FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), c
}

func TestSeedProposers(t *testing.T) {
	_, c := readSeed(t)
	type p struct{ code, action, ref string }
	var got []p
	for _, x := range c.Proposers {
		got = append(got, p{x.Code, x.Action, x.Ref})
	}
	want := []p{{"BRA", "MOD", "B/75/4"}, {"RCC", "", ""}, {"ARB", "", ""}, {"IDN", "", ""}, {"CUB", "", ""}, {"CEPT", "MOD", "EUR/80A1/14"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("proposers = %+v\nwant %+v", got, want)
	}
	if c.Proposers[0].Name != "Brazil" || c.Proposers[2].Name != "Arb" {
		t.Errorf("names as written: %+v", c.Proposers)
	}
	if c.BaseRef != "Rev. Guadalajara 2010" {
		t.Errorf("BaseRef = %q", c.BaseRef)
	}
}

func TestSeedSections(t *testing.T) {
	_, c := readSeed(t)
	var upper []string
	for _, s := range c.Sections {
		if s.Heading == strings.ToUpper(s.Heading) {
			upper = append(upper, s.Heading)
			wantKind := KindPreamble
			if s.Heading == "RESOLVES" {
				wantKind = KindOperative
			}
			if s.Kind != wantKind {
				t.Errorf("%s is %s", s.Heading, s.Kind)
			}
		}
	}
	want := []string{"RECALLING", "CONSIDERING", "RECOGNIZING", "AWARE", "NOTING", "BEARING IN MIND", "RESOLVES"}
	if !reflect.DeepEqual(upper, want) {
		t.Errorf("upper-case headings = %q", upper)
	}
	// The operative headings, in this order among the sections.
	ops := []string{
		"instructs the Secretary-General and the Directors of the Bureaux",
		"instructs the Director of the Telecommunication Standardization Bureau",
		"instructs the Director of the Telecommunication Development Bureau",
		"instructs the Secretary-General",
		"requests the Council",
		"invites Member States",
	}
	i := 0
	for _, s := range c.Sections {
		if i < len(ops) && s.Heading == ops[i] {
			if s.Kind != KindOperative {
				t.Errorf("%q is %s", s.Heading, s.Kind)
			}
			i++
		}
	}
	if i < len(ops) {
		t.Errorf("missing or out of order: %q", ops[i])
	}
}

func TestSeedParagraphs(t *testing.T) {
	_, c := readSeed(t)
	if got := paragraph(t, section(t, c, "CONSIDERING"), "a)").Text; got != "the crucial importance of information and communication infrastructures and their applications to practically all forms of social and economic activity;" {
		t.Errorf("CONSIDERING a) = %q", got)
	}
	if got := paragraph(t, section(t, c, "RESOLVES"), "1").Text; got != "to continue to give this work high priority within ITU, in accordance with its competences and expertise;" {
		t.Errorf("RESOLVES 1 = %q", got)
	}
}

// The 701-character line starting "f) Resolution 68/167 adopted by the
// United Nations General Assembly" is a proposer's cell, not original text.
func TestSeedLongLineIsProposal(t *testing.T) {
	src, c := readSeed(t)
	var line string
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, "f) Resolution 68/167 adopted by the United Nations General Assembly") {
			line = strings.TrimSpace(l)
		}
	}
	if n := len([]rune(line)); n != 701 {
		t.Fatalf("line is %d characters, want 701", n)
	}
	text := strings.TrimPrefix(line, "f) ")
	for _, s := range c.Sections {
		for _, p := range s.Paragraphs {
			if strings.Contains(p.Text, text[:40]) {
				t.Errorf("paragraph %s %q holds it", s.Heading, p.Label)
			}
		}
	}
	found := false
	for _, p := range allProposals(c) {
		if p.Label == "f)" && p.Text == text {
			found = true
			if p.Proposer != "" || p.Action != ActionADD {
				t.Errorf("proposal = %+v", p)
			}
		}
	}
	if !found {
		t.Error("no proposal holds the line")
	}
}

func TestSeedNothingLost(t *testing.T) {
	src, c := readSeed(t)
	checkNothingLost(t, src, c)
}

func TestSeedSummary(t *testing.T) {
	_, c := readSeed(t)
	n := count(c)
	t.Logf("sections %d, paragraphs %d, proposals %d (%v), notes %d (%v), unplaced %d",
		n.Sections, n.Paragraphs, n.Proposals, n.Actions, n.Notes, n.NoteKinds, n.Unplaced)
	for _, u := range c.Unplaced {
		t.Logf("unplaced line %d: %q", u.Line, u.Text)
	}
}

// checkNothingLost checks that every line after the header row (bare
// numbers aside: they are row numbers, or labels kept on their paragraph)
// can be found, white space folded, inside some text of c: a heading, a
// paragraph or proposal as label + " " + text, or a note.
//
// Where the importer cut a line at a seam between cells (a remark glued to
// a proposal, two proposals glued together, a restated heading before a
// proposal), no one text holds the whole line. Such a line must then be
// exactly a concatenation of whole texts, joined with a space or nothing:
// every character is kept, in order, and the pieces are the importer's own
// texts, not fragments of them.
func checkNothingLost(t *testing.T, src string, c *Compilation) {
	t.Helper()
	var texts []string
	forEachText(c, func(s string) {
		if s = fold(s); s != "" {
			texts = append(texts, s)
		}
	})
	lines := strings.Split(src, "\n")
	header := -1
	for i, l := range lines {
		if isOriginalHeader(l) {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatal("no header line")
	}
	for i := header + 1; i < len(lines); i++ {
		l := fold(lines[i])
		if l == "" || bareInt(l) > 0 || actionOnly(l) != "" {
			continue
		}
		if !containedIn(l, texts) && !concatenation(l, texts, false) {
			t.Errorf("line %d is lost: %q", i+1, l)
		}
	}
}

func containedIn(l string, texts []string) bool {
	for _, s := range texts {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}

// concatenation reports whether l is a sequence of two or more whole texts
// joined by one space or nothing. With openEnd the last piece may be the
// start of a text: a label that ends a line takes its text from the next.
func concatenation(l string, texts []string, openEnd bool) bool {
	reach := make([]int, len(l)+1) // pieces needed to reach each offset, 0 = unreached
	reach[0] = 1
	for i := 0; i < len(l); i++ {
		if reach[i] == 0 {
			continue
		}
		start := i
		if i > 0 && l[i] == ' ' {
			start++
		}
		for _, s := range texts {
			if strings.HasPrefix(l[start:], s) {
				if j := start + len(s); reach[j] == 0 || reach[j] > reach[i]+1 {
					reach[j] = reach[i] + 1
				}
			}
			if openEnd && i > 0 && strings.HasPrefix(s, l[start:]) {
				return true
			}
		}
	}
	return reach[len(l)] > 2
}

// The seed reads well: its title from its own evidence, its caption kept
// as a note, no restated heading among the notes, its language.
func TestSeedReadsWell(t *testing.T) {
	_, c := readSeed(t)
	if c.Title != "Resolution 130 (Rev. Guadalajara 2010)" || c.Lang != "en" {
		t.Errorf("title %q, lang %q", c.Title, c.Lang)
	}
	if len(c.Notes) == 0 || c.Notes[0].Kind != NoteCaption || c.Notes[0].Text != "Texts modifications suggested" {
		t.Errorf("document notes = %+v", c.Notes)
	}
	kinds := count(c).NoteKinds
	if kinds[NoteCaption] != 1 || kinds[NoteReasons] != 1 || kinds[NoteRemark] != 2 || len(kinds) != 3 {
		t.Errorf("note kinds = %v", kinds)
	}
	// Restatements in proposers' cells are on their proposals.
	restated := 0
	for _, p := range allProposals(c) {
		if p.Heading != "" {
			restated++
		}
	}
	if restated == 0 {
		t.Error("no proposal records the heading its cell restated")
	}
}
