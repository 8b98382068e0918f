package export

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/wire"
)

// The fixtures are made up for these tests: a small resolution with the
// shapes exports must handle (alternatives, nested brackets, brackets by
// several delegations and the chair, an Arabic paragraph, proposals of
// every action), and an earlier state of it for the redline.

var fixtureTime = time.Date(2031, 5, 4, 10, 30, 0, 0, time.UTC)

func str(s string) *string { return &s }

// authored builds a text and its authorship from author, text pairs.
func authored(pairs ...string) (string, wire.Runs) {
	var text strings.Builder
	runs := wire.Runs{}
	for i := 0; i+1 < len(pairs); i += 2 {
		n := utf8.RuneCountInString(pairs[i+1])
		if n == 0 {
			continue
		}
		text.WriteString(pairs[i+1])
		if k := len(runs); k > 0 && runs[k-1].Author == pairs[i] {
			runs[k-1].Len += n
		} else {
			runs = append(runs, wire.Run{Len: n, Author: pairs[i]})
		}
	}
	return text.String(), runs
}

func mkPara(id, label, base string, pairs ...string) wire.Paragraph {
	text, runs := authored(pairs...)
	return wire.Paragraph{ID: id, Label: label, Text: text, BaseText: base, Status: "open", Authors: runs, Proposals: []wire.Proposal{}}
}

func original(id, label, text string) wire.Paragraph {
	return mkPara(id, label, text, "original", text)
}

func proposal(id, who, action, ref, label, text string) wire.Proposal {
	names := map[string]string{"BRA": "Brazil", "CEPT": "CEPT", "ARB": "Arab States"}
	return wire.Proposal{ID: id, Proposer: str(who), ProposerName: names[who], Action: action, Ref: ref, Label: label, Text: text, Status: "tabled"}
}

const arabicText = "أن الاتصالات ضرورية في حالات الطوارئ، "

// fixture is the working text at seq 42.
func fixture() *wire.Document {
	r1 := mkPara("p-r1", "1", "to strengthen cooperation among Member States;",
		"original", "to ", "BRA", "[", "original", "strengthen", "BRA", "][enhance international]", "original", " cooperation among Member States;")
	r1.Proposals = []wire.Proposal{proposal("pr-1", "BRA", "MOD", "B/75/4", "", "to enhance international cooperation among Member States;")}
	r2 := mkPara("p-r2", "2", "to study the matter carefully;", "original", "to study the matter;")
	r2.Proposals = []wire.Proposal{proposal("pr-2", "CEPT", "SUP", "EUR/20A1/5", "", "")}
	r2.Status = "agreed_ad_ref"
	recb := original("p-b", "b)", "that connectivity narrows the gap between regions;")
	recb.Proposals = []wire.Proposal{proposal("pr-3", "CEPT", "MOD", "EUR/20A1/5", "b)", "that connectivity narrows the digital divide;")}
	return &wire.Document{
		ID: "0b5e3c1e-7d1a-4f5e-9c61-2f1f0a9b8c70", Title: "Draft new Resolution: Connecting schools & clinics", BaseRef: "Rev. Testville 2030", Seq: 42,
		Proposers: []wire.Proposer{
			{Code: str("BRA"), Name: "Brazil", Action: "MOD", Ref: "B/75/4"},
			{Code: str("CEPT"), Name: "CEPT", Action: "MOD", Ref: "EUR/20A1/5"},
			{Code: str("ARB"), Name: "Arab States", Action: "ADD", Ref: "ARB/9/1"},
		},
		Notes: []wire.Note{},
		Sections: []wire.Section{
			{ID: "s-rec", Heading: "RECALLING", Kind: "preamble", Proposals: []wire.Proposal{}, Paragraphs: []wire.Paragraph{
				original("p-a", "a)", "the convention on relief telecommunications;"),
				recb,
			}},
			{ID: "s-con", Heading: "CONSIDERING", Kind: "preamble", Proposals: []wire.Proposal{}, Paragraphs: []wire.Paragraph{
				mkPara("p-ar", "a)", arabicText+"وأن الوقت حاسم.", "original", arabicText, "ARB", "[وأن الوقت حاسم.]"),
			}},
			{ID: "s-res", Heading: "RESOLVES", Kind: "operative", Paragraphs: []wire.Paragraph{
				r1, r2,
				mkPara("p-r3", "3", "", "CEPT", "[to report ", "BRA", "[annually]", "chair", "[biennially]", "CEPT", " to the Council;]"),
			}, Proposals: []wire.Proposal{proposal("pr-4", "ARB", "ADD", "ARB/9/1", "4", "to support developing countries;")}},
			{ID: "s-ins", Heading: "instructs the Secretary-General", Kind: "operative", Proposals: []wire.Proposal{}, Paragraphs: []wire.Paragraph{
				original("p-i1", "1", "to bring this resolution to the attention of all Member States."),
			}},
		},
	}
}

// fixtureRev1 is the same document at seq 30, frozen as Rev.1: before
// Brazil's alternative, the chair's edit of 2, paragraph 3, and with a
// paragraph 5 since deleted.
func fixtureRev1() *wire.Document {
	d := fixture()
	d.Seq = 30
	res := &d.Sections[2]
	res.Paragraphs = []wire.Paragraph{
		original("p-r1", "1", "to strengthen cooperation among Member States;"),
		original("p-r2", "2", "to study the matter carefully;"),
		mkPara("p-r5", "5", "", "CEPT", "[to keep an obsolete clause;]"),
	}
	return d
}

func fixtureInput() Input {
	return Input{Doc: fixture(), Version: "Rev.2", Time: fixtureTime}
}

func redlineInput() Input {
	in := fixtureInput()
	in.Since, in.SinceVersion = fixtureRev1(), "Rev.1"
	return in
}

// nasty is text that must come out intact and inert in every format.
const nasty = `<script>alert("x")</script> & ]]> 'q' [a](javascript:x) *b* =SUM(A1)`

func nastyDoc() *wire.Document {
	d := fixture()
	d.Title = "Title <b>&amp;</b> ]]>"
	d.Sections[0].Heading = "RECALLING <i>"
	p := mkPara("p-nasty", "c)", nasty, "original", nasty)
	p.Proposals = []wire.Proposal{proposal("pr-n", "BRA", "MOD", "B/75/4", "c)", nasty)}
	d.Sections[0].Paragraphs = append(d.Sections[0].Paragraphs, p)
	return d
}

// bigDoc is the benchmark's document: n paragraphs with four bracket
// groups each, by four delegations.
func bigDoc(n int) *wire.Document {
	d := fixture()
	d.Sections = nil
	who := []string{"BRA", "CEPT", "ARB", "chair"}
	for s := 0; s < 10; s++ {
		sec := wire.Section{ID: fmt.Sprintf("s%d", s), Heading: "RESOLVES", Kind: "operative", Proposals: []wire.Proposal{}}
		if s < 3 {
			sec.Heading, sec.Kind = "CONSIDERING", "preamble"
		}
		for i := 0; i < n/10; i++ {
			var pairs []string
			for g := 0; g < 4; g++ {
				pairs = append(pairs, "original", fmt.Sprintf("clause %d of the paragraph on telecommunications for all, ", g),
					who[g], fmt.Sprintf("[option %d][alternative wording %d]", g, g))
			}
			pairs = append(pairs, "original", " and the rest of the sentence;")
			text, _ := authored(pairs...)
			p := mkPara(fmt.Sprintf("p%d-%d", s, i), fmt.Sprint(i+1), text, pairs...)
			p.Proposals = []wire.Proposal{proposal(fmt.Sprintf("pr%d-%d", s, i), who[i%3], "MOD", "B/1/1", "", "a modified text;")}
			sec.Paragraphs = append(sec.Paragraphs, p)
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}
