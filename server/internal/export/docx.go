package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
)

// A DOCX file is a zip of XML parts. This writer produces the smallest set
// Word and LibreOffice need: the document, its styles, its comments and
// settings, the relationships between them, and the package's content
// types and core properties.
//
// Each bracket group is a Word comment spanning the group and authored by
// its proposers, dated when the group was made. With a redline base,
// insertions and deletions are tracked revisions: a w:ins by whoever
// inserted the text, at the insert time; a w:del by whoever deleted it, at
// the delete time. Both come from the op log (Input.Blame); without it, or
// for what it does not know, a revision is authored by whoever wrote the
// text and dated with the time of the exported version.

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

type docxWriter struct {
	v        *view
	doc      bytes.Buffer
	comments bytes.Buffer
	nextID   int
	date     string   // w:date, or "" when the time is unknown
	open     []string // comment id of each open group, by group index
}

func writeDOCX(w io.Writer, v *view) error {
	d := &docxWriter{v: v}
	if !v.in.Time.IsZero() {
		d.date = v.in.Time.UTC().Format("2006-01-02T15:04:05Z")
	}
	d.document()
	parts := []docxPart{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", d.coreProps()},
		{"docProps/app.xml", []byte(appProps)},
		{"word/_rels/document.xml.rels", []byte(documentRels)},
		{"word/document.xml", d.doc.Bytes()},
		{"word/styles.xml", []byte(stylesFor(v.in.Doc.Lang))},
		{"word/settings.xml", []byte(settings)},
		{"word/comments.xml", d.comments.Bytes()},
	}
	return writeParts(w, parts, v.in.Time)
}

// docxPart is one part of a DOCX package.
type docxPart struct {
	name string
	data []byte
}

// writeParts zips a DOCX package's parts. A fixed modification time (the
// exported text's, else a constant) keeps two exports of one version
// byte-identical.
func writeParts(w io.Writer, parts []docxPart, at time.Time) error {
	if at.IsZero() {
		at = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: at.UTC()})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (d *docxWriter) document() {
	v := d.v
	b := &d.doc
	b.WriteString(xmlHeader + `<w:document ` + wordNS + `><w:body>`)
	d.comments.WriteString(xmlHeader + `<w:comments ` + wordNS + `>`)
	d.plain("Title", v.in.Doc.Title)
	if v.in.Doc.BaseRef != "" {
		d.plain("DocInfo", "Base text: "+v.in.Doc.BaseRef)
	}
	d.plain("DocInfo", v.versionLine())
	if s := v.sinceLine(); s != "" {
		d.plain("DocInfo", "Changes since "+s+" are shown as tracked changes.")
	}
	for _, s := range v.sections {
		if s.heading != "" {
			style := "OperativeHeading"
			if s.kind == "preamble" {
				style = "PreambularHeading"
			}
			d.plain(style, s.heading)
		}
		for i := range s.paras {
			d.paragraph(&s.paras[i])
		}
	}
	// A4 with the margins of ITU documents.
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	d.comments.WriteString(`</w:comments>`)
}

// plain writes a one-run paragraph in a style.
func (d *docxWriter) plain(style, text string) {
	b := &d.doc
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if isRTL(text) {
		b.WriteString(`<w:bidi/>`)
	}
	b.WriteString(`</w:pPr>`)
	d.run(text, false)
	b.WriteString(`</w:p>`)
}

func (d *docxWriter) id() string {
	d.nextID++
	return strconv.Itoa(d.nextID - 1)
}

// when is a change's w:date: its own time, else the exported version's.
func (d *docxWriter) when(at time.Time) string {
	if at.IsZero() {
		return d.date
	}
	return at.UTC().Format("2006-01-02T15:04:05Z")
}

// revision opens a w:ins or w:del authored by code at time at (the caller
// closes it), or writes it as an empty element to mark a paragraph mark.
func (d *docxWriter) revision(tag, code string, at time.Time, empty bool) {
	b := &d.doc
	b.WriteString(`<w:` + tag + ` w:id="` + d.id() + `" w:author="`)
	xmlText(b, d.v.name(code))
	b.WriteString(`"`)
	if date := d.when(at); date != "" {
		b.WriteString(` w:date="` + date + `"`)
	}
	if empty {
		b.WriteString(`/>`)
	} else {
		b.WriteString(`>`)
	}
}

func (d *docxWriter) paragraph(p *para) {
	b := &d.doc
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Para"/>`)
	if p.rtl {
		b.WriteString(`<w:bidi/>`)
	}
	// The paragraph mark of an added or removed paragraph is itself a
	// revision, so that accepting or rejecting it joins the paragraphs.
	tag := map[op]string{opInsert: "ins", opDelete: "del"}[p.mark]
	if tag != "" {
		b.WriteString(`<w:rPr>`)
		d.revision(tag, p.author, p.date, true)
		b.WriteString(`</w:rPr>`)
	}
	b.WriteString(`</w:pPr>`)
	if p.label != "" {
		if tag != "" {
			d.revision(tag, p.author, p.date, false)
		}
		d.run(p.label+"\t", p.mark == opDelete)
		if tag != "" {
			b.WriteString(`</w:` + tag + `>`)
		}
	}
	d.open = d.open[:0]
	for _, it := range p.items {
		switch it.kind {
		case itemOpen:
			for len(d.open) <= it.group {
				d.open = append(d.open, "")
			}
			id := d.id()
			d.open[it.group] = id
			b.WriteString(`<w:commentRangeStart w:id="` + id + `"/>`)
			d.comment(id, p.groups[it.group])
		case itemClose:
			id := d.open[it.group]
			b.WriteString(`<w:commentRangeEnd w:id="` + id + `"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="` + id + `"/></w:r>`)
		default:
			switch it.op {
			case opInsert:
				d.revision("ins", it.author, it.date, false)
				d.run(it.text, false)
				b.WriteString(`</w:ins>`)
			case opDelete:
				d.revision("del", it.author, it.date, false)
				d.run(it.text, true)
				b.WriteString(`</w:del>`)
			default:
				d.run(it.text, false)
			}
		}
	}
	b.WriteString(`</w:p>`)
}

// run writes text as one run; line breaks and tabs become w:br and w:tab.
// Deleted text goes in w:delText, as Word requires inside w:del.
func (d *docxWriter) run(text string, deleted bool) {
	writeRun(&d.doc, text, "", deleted)
}

// writeRun writes text as one run with the run properties rpr (w:rtl is
// added for right-to-left text); line breaks and tabs become w:br and
// w:tab, and deleted text goes in w:delText.
func writeRun(b *bytes.Buffer, text, rpr string, deleted bool) {
	if text == "" {
		return
	}
	if hasRTL(text) {
		rpr += `<w:rtl/>`
	}
	b.WriteString(`<w:r>`)
	if rpr != "" {
		b.WriteString(`<w:rPr>` + rpr + `</w:rPr>`)
	}
	t := "w:t"
	if deleted {
		t = "w:delText"
	}
	for text != "" {
		i := strings.IndexAny(text, "\t\n")
		chunk := text
		if i >= 0 {
			chunk = text[:i]
		}
		if chunk != "" {
			b.WriteString(`<` + t + ` xml:space="preserve">`)
			xmlText(b, chunk)
			b.WriteString(`</` + t + `>`)
		}
		if i < 0 {
			break
		}
		if text[i] == '\t' {
			b.WriteString(`<w:tab/>`)
		} else {
			b.WriteString(`<w:br/>`)
		}
		text = text[i+1:]
	}
	b.WriteString(`</w:r>`)
}

// comment writes the Word comment of a bracket group.
func (d *docxWriter) comment(id string, g group) {
	c := &d.comments
	names := d.v.names(g.authors)
	if names == "" {
		names = "Unknown" // brackets without authorship (should not happen)
	}
	initials := make([]string, len(g.authors))
	for i, a := range g.authors {
		initials[i] = shortName(a)
	}
	c.WriteString(`<w:comment w:id="` + id + `" w:author="`)
	xmlText(c, names)
	c.WriteString(`"`)
	if date := d.when(g.made); date != "" {
		c.WriteString(` w:date="` + date + `"`)
	}
	c.WriteString(` w:initials="`)
	xmlText(c, strings.Join(initials, ","))
	c.WriteString(`"><w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r><w:r><w:t xml:space="preserve">`)
	text := "Bracketed by " + names
	if g.alternatives > 1 {
		text += " (" + strconv.Itoa(g.alternatives) + " alternatives)"
	}
	xmlText(c, text)
	c.WriteString(`</w:t></w:r></w:p></w:comment>`)
}

func (d *docxWriter) coreProps() []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	xmlText(&b, d.v.in.Doc.Title)
	b.WriteString(`</dc:title><dc:creator>Draftroom</dc:creator><cp:version>`)
	xmlText(&b, d.v.versionLine())
	b.WriteString(`</cp:version>`)
	if d.date != "" {
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + d.date + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.Bytes()
}

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>` +
	`</Relationships>`

const appProps = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Draftroom</Application></Properties>`

const settings = xmlHeader + `<w:settings ` + wordNS + `><w:defaultTabStop w:val="567"/></w:settings>`

// stylesFor is styles with the document's language as the text's: the
// headings and paragraphs keep the language they are written in.
func stylesFor(lang string) string {
	return strings.Replace(styles, `<w:lang w:val="en-GB" w:bidi="ar-SA"/>`, `<w:lang `+wordLang(lang)+`/>`, 1)
}

// styles: Times New Roman 12 pt as in ITU texts; headings of both kinds
// italic ("considering", "resolves"), kept with the paragraph after them;
// labelled paragraphs with the label hanging in a 1 cm tab.
const styles = xmlHeader + `<w:styles ` + wordNS + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:before="120" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocInfo"><w:name w:val="Document information"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="PreambularHeading"><w:name w:val="Preambular heading"/><w:basedOn w:val="Normal"/><w:next w:val="Para"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:i/><w:iCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="OperativeHeading"><w:name w:val="Operative heading"/><w:basedOn w:val="Normal"/><w:next w:val="Para"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:i/><w:iCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Para"><w:name w:val="Labelled paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:tabs><w:tab w:val="left" w:pos="567"/></w:tabs><w:ind w:left="567" w:hanging="567"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Cell"><w:name w:val="Compilation cell"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="CellHead"><w:name w:val="Compilation column head"/><w:basedOn w:val="Cell"/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="CellSub"><w:name w:val="Compilation column reference"/><w:basedOn w:val="Cell"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="CellHeading"><w:name w:val="Compilation heading"/><w:basedOn w:val="Cell"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>` +
	`</w:styles>`
