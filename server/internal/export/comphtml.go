package export

import (
	"html/template"
	"io"
)

// writeCompilationHTML writes the compilation as one page with a table,
// landscape when printed; MODs as <ins>/<del> against the original text.
func writeCompilationHTML(w io.Writer, v *compView) error {
	page := htmlComp{Title: v.title, BaseRef: v.in.Doc.BaseRef, Lines: v.lines, DocNotes: v.notes,
		Lang: langTag(v.in.Doc.Lang), RTL: rtlLang(v.in.Doc.Lang), Span: len(v.columns) + 1, Notes: v.hasNote}
	for _, c := range v.columns {
		page.Columns = append(page.Columns, htmlCompColumn{Name: c.name, Sub: c.sub})
	}
	for _, r := range v.rows {
		hr := htmlCompRow{Heading: r.kind == rowHeading, Section: r.kind == rowSection, Reasons: r.kind == rowReasons,
			Text: r.heading, Label: r.label, Status: r.status, Notes: r.notes, Original: htmlPieces(r.original)}
		for _, cells := range r.cells {
			var hc []htmlCompCell
			for _, c := range cells {
				hc = append(hc, htmlCompCell{Action: c.action, Tag: c.tag, Label: c.label, Pieces: htmlPieces(c.pieces)})
			}
			hr.Cells = append(hr.Cells, hc)
		}
		page.Rows = append(page.Rows, hr)
	}
	return compPage.Execute(w, page)
}

// The template's view of the compilation (templates see exported fields
// only).
type (
	htmlComp struct {
		Title, BaseRef, Lang string
		Lines, DocNotes      []string
		RTL, Notes           bool
		Span                 int
		Columns              []htmlCompColumn
		Rows                 []htmlCompRow
	}
	htmlCompColumn struct{ Name, Sub string }
	htmlCompRow    struct {
		Heading, Section, Reasons bool
		Text, Label, Status       string
		Original                  []htmlPiece
		Cells                     [][]htmlCompCell
		Notes                     []string
	}
	htmlCompCell struct {
		Action, Tag, Label string
		Pieces             []htmlPiece
	}
	htmlPiece struct {
		Op   int // 0 equal, 1 inserted, 2 deleted
		Text string
	}
)

func htmlPieces(ps []redPiece) []htmlPiece {
	out := make([]htmlPiece, len(ps))
	for i, p := range ps {
		out[i] = htmlPiece{Op: int(p.op), Text: p.text}
	}
	return out
}

var compPage = template.Must(template.New("compilation").Parse(pageHead + `<style>
@page { size: A4 landscape; margin: 1.5cm; }
html { font-family: "Times New Roman", Times, "Noto Serif", serif; font-size: 10pt; line-height: 1.3; color: #000; background: #fff; }
body { margin: 1em; }
header { text-align: center; margin-bottom: 1em; }
h1 { font-size: 14pt; margin: 0 0 .4em; }
.meta { font-size: 9pt; margin: .1em 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #808080; padding: .3em .4em; vertical-align: top; text-align: start; }
thead th { background: #d9d9d9; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th .sub { display: block; font-weight: normal; font-size: 8pt; }
tr.heading td { background: #f2f2f2; font-style: italic; }
.prop { margin: 0 0 .4em; white-space: pre-wrap; }
.act { font-weight: bold; font-variant: small-caps; font-size: 8pt; }
.label { font-weight: bold; }
.note { font-style: italic; }
ins { text-decoration: underline; color: #0b5d1e; }
del { text-decoration: line-through; color: #9b1c1c; }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{range .Lines}}<p class="meta">{{.}}</p>
{{end}}{{range .DocNotes}}<p class="meta note">Note: {{.}}</p>
{{end}}</header>
<table class="compilation">
<thead><tr><th scope="col">Original{{if .BaseRef}} ({{.BaseRef}}){{end}}</th>{{range .Columns}}<th scope="col">{{.Name}}{{if .Sub}}<span class="sub">{{.Sub}}</span>{{end}}</th>{{end}}{{if .Notes}}<th scope="col">Notes</th>{{end}}</tr></thead>
<tbody>
{{$notes := .Notes}}{{$span := .Span}}{{range .Rows}}{{if .Heading}}<tr class="heading"><td colspan="{{$span}}" dir="auto">{{.Text}}</td>{{if $notes}}<td>{{range .Notes}}<div class="note" dir="auto">{{.}}</div>{{end}}</td>{{end}}</tr>
{{else}}<tr>{{if .Reasons}}<td dir="auto"><span class="label">Reasons</span>{{range .Original}}{{if .Text}}<div>{{.Text}}</div>{{end}}{{end}}</td>{{else if .Section}}<td class="note">(to the section as a whole)</td>{{else}}<td dir="auto">{{if .Label}}<span class="label">{{.Label}}</span> {{end}}{{range .Original}}{{.Text}}{{end}}{{if .Status}} <span class="note">[{{.Status}}]</span>{{end}}</td>{{end}}{{range .Cells}}<td>{{range .}}<div class="prop" dir="auto">{{if .Action}}<span class="act">{{.Action}}{{if .Tag}} ({{.Tag}}){{end}}</span> {{end}}{{if .Label}}<span class="label">{{.Label}}</span> {{end}}{{range .Pieces}}{{if eq .Op 1}}<ins>{{.Text}}</ins>{{else if eq .Op 2}}<del>{{.Text}}</del>{{else}}{{.Text}}{{end}}{{end}}</div>{{end}}</td>{{end}}{{if $notes}}<td>{{range .Notes}}<div class="note" dir="auto">{{.}}</div>{{end}}</td>{{end}}</tr>
{{end}}{{end}}</tbody>
</table>
<p class="meta">In MOD proposals, text added to the original is <ins>underlined</ins> and text removed is <del>struck through</del>.</p>
</body>
</html>
`))
