package export

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
)

// writeCompilationDOCX writes the compilation as a Word table on
// landscape pages. Redlines are formatting (underline, strike-through),
// not tracked changes: the compilation shows proposals, nobody accepts
// them in Word.
func writeCompilationDOCX(w io.Writer, v *compView) error {
	d := &compDocx{v: v}
	d.document()
	core := (&docxWriter{v: &view{in: v.in}}).coreProps()
	parts := []docxPart{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", core},
		{"docProps/app.xml", []byte(appProps)},
		{"word/_rels/document.xml.rels", []byte(documentRels)},
		{"word/document.xml", d.b.Bytes()},
		{"word/styles.xml", []byte(stylesFor(v.in.Doc.Lang))},
		{"word/settings.xml", []byte(settings)},
		// No bracket comments in the compilation; the part is there so
		// that the package is the same shape as the other exports.
		{"word/comments.xml", []byte(xmlHeader + `<w:comments ` + wordNS + `/>`)},
	}
	return writeParts(w, parts, v.in.Time)
}

type compDocx struct {
	v *compView
	b bytes.Buffer
}

// Landscape A4 with 2 cm margins, in twentieths of a point.
const (
	landscapeWidth  = 16838
	landscapeHeight = 11906
	landscapeMargin = 1134
)

func (d *compDocx) document() {
	v := d.v
	b := &d.b
	b.WriteString(xmlHeader + `<w:document ` + wordNS + `><w:body>`)
	d.para("Title", "", func() { d.run(v.title, "") })
	for _, l := range v.lines {
		d.para("DocInfo", "", func() { d.run(l, "") })
	}
	for _, n := range v.notes {
		d.para("DocInfo", "", func() { d.run("Note: "+n, `<w:i/>`) })
	}
	d.table()
	b.WriteString(`<w:sectPr><w:pgSz w:w="` + strconv.Itoa(landscapeWidth) + `" w:h="` + strconv.Itoa(landscapeHeight) + `" w:orient="landscape"/>`)
	m := strconv.Itoa(landscapeMargin)
	b.WriteString(`<w:pgMar w:top="` + m + `" w:right="` + m + `" w:bottom="` + m + `" w:left="` + m + `" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
}

// widths shares the page among the columns by how much text each holds
// (its square root, so that a full column does not crush the others),
// with the original column at least as wide as any other.
//
// Every column first gets room for the longest word of its header (a
// column head broken inside a word is unreadable), then the rest of the
// page is shared by the weights.
func (d *compDocx) widths() []int {
	chars, words := d.v.columnStats()
	w := weights(chars)
	heads := []string{"Original"}
	for _, c := range d.v.columns {
		heads = append(heads, c.name+" "+c.sub)
	}
	if d.v.hasNote {
		heads = append(heads, "Notes")
	}
	usable := landscapeWidth - 2*landscapeMargin
	floor := make([]int, len(w))
	floors := 0
	for i, h := range heads {
		longest := words[i]
		for _, word := range strings.Fields(h) {
			longest = max(longest, len([]rune(word)))
		}
		// About 110 twentieths of a point a character at 9 pt, and the
		// cell's margins.
		floor[i] = min(longest*110+250, 2600)
		floors += floor[i]
	}
	scale := 1.0
	if floors > usable {
		scale = float64(usable) / float64(floors)
	}
	total := 0.0
	for _, x := range w {
		total += x
	}
	rest := usable - int(float64(floors)*scale)
	out := make([]int, len(w))
	used := 0
	for i := 1; i < len(w); i++ {
		out[i] = int(float64(floor[i])*scale) + int(float64(rest)*w[i]/total)
		used += out[i]
	}
	out[0] = usable - used
	return out
}

func (d *compDocx) table() {
	v := d.v
	b := &d.b
	widths := d.widths()
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="808080"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)

	// The header row repeats on every page.
	b.WriteString(`<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
	original := "Original"
	if v.in.Doc.BaseRef != "" {
		original += " (" + v.in.Doc.BaseRef + ")"
	}
	d.cell(widths[0], 1, "D9D9D9", func() { d.para("CellHead", "", func() { d.run(original, "") }) })
	for i, c := range v.columns {
		d.cell(widths[i+1], 1, "D9D9D9", func() {
			d.para("CellHead", "", func() { d.run(c.name, "") })
			if c.sub != "" {
				d.para("CellSub", "", func() { d.run(c.sub, "") })
			}
		})
	}
	if v.hasNote {
		d.cell(widths[len(widths)-1], 1, "D9D9D9", func() { d.para("CellHead", "", func() { d.run("Notes", "") }) })
	}
	b.WriteString(`</w:tr>`)

	for _, r := range v.rows {
		b.WriteString(`<w:tr>`)
		switch r.kind {
		case rowHeading:
			span := len(widths)
			if v.hasNote {
				span--
			}
			d.cell(sum(widths[:span]), span, "F2F2F2", func() {
				d.para("CellHeading", bidi(r.rtl), func() { d.run(r.heading, "") })
			})
			if v.hasNote {
				d.cell(widths[span], 1, "F2F2F2", func() { d.notes(r.notes) })
			}
			b.WriteString(`</w:tr>`)
			continue
		case rowReasons:
			d.cell(widths[0], 1, "", func() {
				d.para("Cell", "", func() { d.run("Reasons", `<w:b/>`) })
				for _, p := range r.original {
					if p.text != "" {
						d.para("Cell", bidi(isRTL(p.text)), func() { d.run(p.text, "") })
					}
				}
			})
		default:
			d.cell(widths[0], 1, "", func() {
				d.para("Cell", bidi(r.rtl), func() {
					if r.kind == rowSection {
						d.run("(to the section as a whole)", `<w:i/>`)
						return
					}
					if r.label != "" {
						d.run(r.label+" ", `<w:b/>`)
					}
					for _, p := range r.original {
						d.run(p.text, "")
					}
					if r.status != "" {
						d.run(" ["+r.status+"]", `<w:i/>`)
					}
				})
			})
		}
		for i := range v.columns {
			cells := r.cells[i]
			d.cell(widths[i+1], 1, "", func() {
				if len(cells) == 0 {
					d.para("Cell", "", nil)
				}
				for _, c := range cells {
					d.proposal(c)
				}
			})
		}
		if v.hasNote {
			d.cell(widths[len(widths)-1], 1, "", func() { d.notes(r.notes) })
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	d.para("DocInfo", "", func() {
		d.run("In MOD proposals, text added to the original is ", "")
		d.run("underlined", `<w:u w:val="single"/>`)
		d.run(" and text removed is ", "")
		d.run("struck through", `<w:strike/>`)
		d.run(".", "")
	})
}

// proposal writes one proposal in its cell: its action (and what the
// column header does not say) in small capitals, then its text, a MOD's
// as a redline.
func (d *compDocx) proposal(c compCell) {
	d.para("Cell", bidi(c.rtl), func() {
		head := c.action
		if c.tag != "" {
			head += " (" + c.tag + ")"
		}
		d.run(head, `<w:b/><w:smallCaps/><w:sz w:val="16"/><w:szCs w:val="16"/>`)
		if c.label != "" || len(c.pieces) > 0 {
			d.run(" ", "")
		}
		if c.label != "" {
			d.run(c.label+" ", `<w:b/>`)
		}
		for _, p := range c.pieces {
			switch p.op {
			case opInsert:
				d.run(p.text, `<w:u w:val="single"/><w:color w:val="0B5D1E"/>`)
			case opDelete:
				d.run(p.text, `<w:strike/><w:color w:val="9B1C1C"/>`)
			default:
				d.run(p.text, "")
			}
		}
	})
}

func (d *compDocx) notes(ns []string) {
	if len(ns) == 0 {
		d.para("Cell", "", nil)
	}
	for _, n := range ns {
		d.para("Cell", bidi(isRTL(n)), func() { d.run(n, `<w:i/>`) })
	}
}

// cell writes a table cell of width w spanning span grid columns.
func (d *compDocx) cell(w, span int, shade string, body func()) {
	b := &d.b
	b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(w) + `" w:type="dxa"/>`)
	if span > 1 {
		b.WriteString(`<w:gridSpan w:val="` + strconv.Itoa(span) + `"/>`)
	}
	if shade != "" {
		b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="` + shade + `"/>`)
	}
	b.WriteString(`</w:tcPr>`)
	body()
	b.WriteString(`</w:tc>`)
}

// para writes a paragraph in a style; body writes its runs.
func (d *compDocx) para(style, extra string, body func()) {
	b := &d.b
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + extra + `</w:pPr>`)
	if body != nil {
		body()
	}
	b.WriteString(`</w:p>`)
}

func bidi(rtl bool) string {
	if rtl {
		return `<w:bidi/>`
	}
	return ""
}

// run writes text as a run with the given run properties.
func (d *compDocx) run(text, rpr string) { writeRun(&d.b, text, rpr, false) }

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// columnStats measures each column (the original, the proposers' and the
// unknown proposer's, the notes when there are any): how much text it
// holds, and its longest word (capped at 16 characters).
func (v *compView) columnStats() (chars []float64, longest []int) {
	n := len(v.columns) + 1
	if v.hasNote {
		n++
	}
	chars, longest = make([]float64, n), make([]int, n)
	see := func(i int, text string) {
		chars[i] += float64(len([]rune(text)))
		for _, w := range strings.Fields(text) {
			longest[i] = max(longest[i], min(len([]rune(w)), 16))
		}
	}
	for _, r := range v.rows {
		for _, p := range r.original {
			see(0, p.text)
		}
		for i, cells := range r.cells {
			for _, c := range cells {
				for _, p := range c.pieces {
					see(i+1, p.text)
				}
			}
		}
		if v.hasNote {
			for _, t := range r.notes {
				see(n-1, t)
			}
		}
	}
	return chars, longest
}

// weights are the columns' relative widths: the square root of their
// text's length, the original's at least the largest.
func weights(chars []float64) []float64 {
	w := make([]float64, len(chars))
	top := 0.0
	for i, c := range chars {
		w[i] = math.Sqrt(c)
		top = math.Max(top, w[i])
	}
	w[0] = math.Max(top, 1)
	return w
}
