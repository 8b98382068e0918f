package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/wire"
)

// Every AKN export validates against the OASIS Akoma Ntoso 3.0 schema
// (testdata/akomantoso30.xsd, OASIS Standard of 29 August 2018, CC BY 4.0)
// with xmllint. Without xmllint the test skips, except in CI, where
// .ci/run installs libxml2-utils and a missing xmllint is a failure.
func TestAKNValidates(t *testing.T) {
	t.Parallel()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils); skipping schema validation")
		}
		t.Fatal("xmllint is required in CI to validate Akoma Ntoso exports: apt-get install libxml2-utils")
	}
	odd := fixture()
	odd.Sections = []wire.Section{
		{ID: "s1", Heading: "", Kind: "preamble"}, // no heading, no paragraphs
		{ID: "s2", Heading: "NOTING", Kind: "preamble", Paragraphs: []wire.Paragraph{ // duplicate and missing labels
			original("x1", "a)", "one;"), original("x2", "a)", "two;"), original("x3", "", "three;"),
			mkPara("x4", "(ii)", "", "original", "unbalanced [bracket;"),
		}},
	}
	cases := map[string]Input{
		"fixture":    fixtureInput(),
		"nasty":      {Doc: nastyDoc(), Time: fixtureTime},
		"no-main":    {Doc: odd},
		"big":        {Doc: bigDoc(100), Time: fixtureTime},
		"no-version": {Doc: fixture()},
	}
	dir := t.TempDir()
	for name, in := range cases {
		path := filepath.Join(dir, name+".akn.xml")
		if err := os.WriteFile(path, export(t, AKN, in), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "akomantoso30.xsd"), path).CombinedOutput()
		if err != nil {
			t.Errorf("%s does not validate: %v\n%s", name, err, out)
		}
	}
}

// The structure the schema does not check: eIds after the naming
// convention, proposers in the references, bracket groups pointing at them.
func TestAKNStructure(t *testing.T) {
	t.Parallel()
	s := string(export(t, AKN, fixtureInput()))
	xmlText2(t, []byte(s))
	for _, want := range []string{
		`<statement name="resolution">`,
		`<TLCOrganization eId="bra" href="/ontology/organization/itu/bra" showAs="Brazil"/>`,
		`<TLCOrganization eId="arb" href="/ontology/organization/itu/arb" showAs="Arab States"/>`,
		`<TLCRole eId="chair" href="/ontology/role/chair" showAs="Chair"/>`,
		`<preamble xml:lang="en"><recitals eId="recs_1"><heading>RECALLING</heading><recital eId="recs_1__rec_a" class="open"><num>a)</num>`,
		`<mainBody xml:lang="en"><section eId="sec_1"><heading>RESOLVES</heading><paragraph eId="sec_1__para_1" class="open"><num>1</num><content><p>to <span class="brackets" refersTo="#bra">[strengthen][enhance international]</span>`,
		`<span class="brackets" refersTo="#bra #cept #chair">[to report <span class="brackets" refersTo="#bra #chair">[annually][biennially]</span> to the Council;]</span>`,
		`<section eId="sec_2"><heading>instructs the Secretary-General</heading>`,
		`<FRBRversionNumber value="Rev.2"/>`,
		`<FRBRlanguage language="eng"/>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("akn lacks %s", want)
		}
	}
}

// The document's language marks the Akoma Ntoso text, the HTML page and
// the Word styles; Arabic reads right to left.
func TestExportsCarryTheLanguage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, akn, frbr, html, word string }{
		{"fr", `<mainBody xml:lang="fr">`, `<FRBRlanguage language="fra"/>`, `<html lang="fr">`, `<w:lang w:val="fr-FR" w:bidi="ar-SA"/>`},
		{"ar", `<preamble xml:lang="ar">`, `<FRBRlanguage language="ara"/>`, `<html lang="ar" dir="rtl">`, `<w:lang w:val="en-GB" w:bidi="ar-SA"/>`},
		{"zh", `<preface xml:lang="zh">`, `/zho@`, `<html lang="zh">`, `w:eastAsia="zh-CN"`},
	} {
		in := fixtureInput()
		in.Doc.Lang = tt.lang
		if s := string(export(t, AKN, in)); !strings.Contains(s, tt.akn) || !strings.Contains(s, tt.frbr) {
			t.Errorf("%s: akn lacks %s or %s", tt.lang, tt.akn, tt.frbr)
		}
		if s := string(export(t, HTML, in)); !strings.Contains(s, tt.html) {
			t.Errorf("%s: html lacks %s", tt.lang, tt.html)
		}
		if s := string(readDOCX(t, export(t, DOCX, in)).parts["word/styles.xml"]); !strings.Contains(s, tt.word) {
			t.Errorf("%s: styles lack %s", tt.lang, tt.word)
		}
	}
}
