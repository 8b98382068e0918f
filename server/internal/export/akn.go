package export

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/server/internal/draft"
)

// Akoma Ntoso 3.0 (OASIS LegalDocML): a resolution is a <statement>.
// Preambular sections are <recitals> in the <preamble> (a preamble holds
// no <section>), each paragraph a <recital>; operative sections are
// <section>s of the <mainBody>, each paragraph a <paragraph>. eIds follow
// the naming convention's abbreviations (recs, rec, sec, para) with the
// paragraph's label as its number: recs_1__rec_a, sec_2__para_1.
//
// Every proposer is a TLCOrganization in <references> (the chair a
// TLCRole), and each bracket group is a <span refersTo="#bra #chair">
// naming its proposers. testdata/akomantoso30.xsd is the schema the tests
// validate against.

const aknNS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

type aknWriter struct {
	v    *view
	b    bytes.Buffer
	refs map[string]string // author code -> eId in <references>
}

func writeAKN(w io.Writer, v *view) error {
	a := &aknWriter{v: v, refs: map[string]string{}}
	a.meta()
	b := &a.b
	lang := ` xml:lang="` + langTag(v.in.Doc.Lang) + `"`
	b.WriteString(`<preface` + lang + `><longTitle><p>`)
	xmlText(b, v.in.Doc.Title)
	b.WriteString(`</p></longTitle></preface>`)
	var pre, main []section
	for _, s := range v.sections {
		if s.kind == "preamble" {
			pre = append(pre, s)
		} else {
			main = append(main, s)
		}
	}
	if len(pre) > 0 {
		b.WriteString(`<preamble` + lang + `>`)
		for i, s := range pre {
			a.section(s, "recitals", "recs_"+strconv.Itoa(i+1), "recital", "rec")
		}
		b.WriteString(`</preamble>`)
	}
	b.WriteString(`<mainBody` + lang + `>`)
	for i, s := range main {
		a.section(s, "section", "sec_"+strconv.Itoa(i+1), "paragraph", "para")
	}
	if len(main) == 0 {
		b.WriteString(`<p/>`) // the schema wants a mainBody with content
	}
	b.WriteString(`</mainBody></statement></akomaNtoso>` + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

func (a *aknWriter) meta() {
	v := a.v
	b := &a.b
	t := v.in.Time
	if t.IsZero() {
		t = time.Now()
	}
	day := t.UTC().Format("2006-01-02")
	work := "/akn/un/statement/resolution/" + uriPart(v.in.Doc.ID)
	expr := work + "/" + iso639_2(v.in.Doc.Lang) + "@" + day
	version := v.in.Version
	if version == "" {
		version = "seq " + strconv.FormatInt(v.in.Doc.Seq, 10)
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<akomaNtoso xmlns="` + aknNS + `"><statement name="resolution"><meta>`)
	b.WriteString(`<identification source="#draftroom">`)
	frbr := func(level, this, uri, dateName string) {
		b.WriteString(`<FRBR` + level + `><FRBRthis value="`)
		xmlText(b, this)
		b.WriteString(`"/><FRBRuri value="`)
		xmlText(b, uri)
		b.WriteString(`"/><FRBRdate date="` + day + `" name="`)
		xmlText(b, dateName)
		b.WriteString(`"/><FRBRauthor href="#draftroom"/>`)
	}
	frbr("Work", work+"/!main", work, "draft")
	b.WriteString(`<FRBRcountry value="un"/><FRBRname value="`)
	xmlText(b, v.in.Doc.Title)
	b.WriteString(`"/></FRBRWork>`)
	frbr("Expression", expr+"/!main", expr, version)
	b.WriteString(`<FRBRversionNumber value="`)
	xmlText(b, version)
	b.WriteString(`"/><FRBRlanguage language="` + iso639_2(v.in.Doc.Lang) + `"/></FRBRExpression>`)
	frbr("Manifestation", expr+"/!main.xml", expr+".akn", "export")
	b.WriteString(`<FRBRformat value="application/akn+xml"/></FRBRManifestation></identification>`)

	b.WriteString(`<references source="#draftroom"><TLCOrganization eId="draftroom" href="/ontology/organization/draftroom" showAs="Draftroom"/>`)
	used := map[string]bool{"draftroom": true}
	for _, code := range v.proposers {
		id := refID(code)
		for n := 2; used[id]; n++ {
			id = refID(code) + "_" + strconv.Itoa(n)
		}
		used[id] = true
		a.refs[code] = id
		tag, href := "TLCOrganization", "/ontology/organization/itu/"+id
		if code == draft.AuthorChair {
			tag, href = "TLCRole", "/ontology/role/chair"
		}
		b.WriteString(`<` + tag + ` eId="` + id + `" href="` + href + `" showAs="`)
		xmlText(b, v.name(code))
		b.WriteString(`"/>`)
	}
	b.WriteString(`</references></meta>`)
}

// section writes one section and its paragraphs as container/item elements.
func (a *aknWriter) section(s section, container, eid, itemTag, itemAbbr string) {
	b := &a.b
	b.WriteString(`<` + container + ` eId="` + eid + `">`)
	if s.heading != "" {
		b.WriteString(`<heading>`)
		xmlText(b, s.heading)
		b.WriteString(`</heading>`)
	}
	ids := map[string]bool{}
	written := 0
	for i, p := range s.paras {
		if p.mark == opDelete {
			continue
		}
		written++
		num := labelID(p.label)
		if num == "" {
			num = "nn_" + strconv.Itoa(i+1)
		}
		id := eid + "__" + itemAbbr + "_" + num
		for n := 2; ids[id]; n++ {
			id = eid + "__" + itemAbbr + "_" + num + "_" + strconv.Itoa(n)
		}
		ids[id] = true
		b.WriteString(`<` + itemTag + ` eId="` + id + `"`)
		if p.status != "" {
			b.WriteString(` class="` + uriPart(p.status) + `"`)
		}
		b.WriteString(`>`)
		if p.label != "" {
			b.WriteString(`<num>`)
			xmlText(b, p.label)
			b.WriteString(`</num>`)
		}
		if itemTag == "paragraph" {
			b.WriteString(`<content>`)
		}
		a.text(&p)
		if itemTag == "paragraph" {
			b.WriteString(`</content>`)
		}
		b.WriteString(`</` + itemTag + `>`)
	}
	if written == 0 && itemTag == "recital" {
		// recitals must hold at least one recital.
		b.WriteString(`<recital eId="` + eid + `__rec_nn_1"><p/></recital>`)
	}
	b.WriteString(`</` + container + `>`)
}

func (a *aknWriter) text(p *para) {
	b := &a.b
	b.WriteString(`<p>`)
	for _, it := range p.items {
		switch it.kind {
		case itemOpen:
			var refs []string
			for _, au := range p.groups[it.group].authors {
				if id, ok := a.refs[au]; ok {
					refs = append(refs, "#"+id)
				}
			}
			b.WriteString(`<span class="brackets"`)
			if len(refs) > 0 {
				b.WriteString(` refersTo="` + strings.Join(refs, " ") + `"`)
			}
			b.WriteString(`>`)
		case itemClose:
			b.WriteString(`</span>`)
		default:
			if it.op != opDelete {
				xmlText(b, it.text)
			}
		}
	}
	b.WriteString(`</p>`)
}

// refID turns an author code into an eId: "BRA" -> "bra".
func refID(code string) string {
	if id := labelID(code); id != "" {
		return id
	}
	return "proposer"
}

// labelID keeps the lower-case letters and digits of a label: "a)" -> "a",
// "1 bis" -> "1bis", "(iv)" -> "iv".
func labelID(label string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uriPart keeps a value safe inside an IRI path or a class name.
func uriPart(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}
