package export

import (
	"html/template"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/palette"
)

// The HTML export is one standalone page: inline CSS (it is a downloaded
// file, so nothing else could be loaded), no script. html/template escapes
// every piece of user text for the context it lands in. Bracket groups are
// spans carrying their proposers; with a redline base, changes are
// <ins>/<del> with the author's code in data-author and name in title.
// A paragraph mostly in a right-to-left script gets dir="rtl". Words are
// tinted by their author in the delegation colours of the web client (one
// palette, server/internal/palette), with a legend in the header.

type htmlDoc struct {
	Title, BaseRef, Version, Since string
	Lang                           string
	RTL                            bool
	Sections                       []htmlSection
	Palette                        template.CSS
	Legend                         []htmlLegend
}

// htmlLegend is one author in the legend: code, name and colour class.
type htmlLegend struct{ Code, Name, Class string }

type htmlSection struct {
	Heading, Kind string
	Paras         []htmlPara
}

type htmlPara struct {
	ID, Label, Class, Title string
	LabelOp                 int // the label is inserted or deleted with its paragraph
	RTL                     bool
	Items                   []htmlItem
}

type htmlItem struct {
	Kind, Op      int // item kind and op, as numbers for the template
	Text          string
	Author, Title string // ins/del: author's code and "Inserted by …"; open: codes and "Bracketed by …"
	Date          string
	Top           bool   // a top-level bracket group
	Class         string // text: its author's colour class
}

// pageHead opens every HTML export: the language and direction, and the
// title. The page's data has Lang, RTL and Title.
const pageHead = `<!DOCTYPE html>
<html lang="{{.Lang}}"{{if .RTL}} dir="rtl"{{end}}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Draftroom">
<title>{{.Title}}</title>
`

var htmlPage = template.Must(template.New("page").Parse(pageHead + `<style>
@page { size: A4; margin: 2cm 2cm 2.2cm; }
html { font-family: "Times New Roman", Times, "Noto Serif", serif; font-size: 12pt; line-height: 1.35; color: #000; background: #fff; }
body { max-width: 46em; margin: 2em auto; padding: 0 1em; }
header { text-align: center; margin-bottom: 1.5em; }
h1 { font-size: 14pt; margin: 0 0 .6em; }
.meta { font-size: 10pt; margin: .1em 0; }
h2 { font-size: 12pt; font-weight: normal; font-style: italic; margin: 1.2em 0 .4em; break-after: avoid; page-break-after: avoid; }
p.para { margin: .5em 0 0 2.5em; text-indent: -2.5em; white-space: pre-wrap; orphans: 2; widows: 2; }
p.para[dir="rtl"] { margin: .5em 2.5em 0 0; }
.label { display: inline-block; min-width: 2.5em; text-indent: 0; }
.bracket { background: #fff4c2; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.bracket.top::after { content: " " attr(data-proposers); font-size: 7pt; vertical-align: super; color: #555; white-space: nowrap; }
ins { color: #0b5d1e; text-decoration: underline; }
del { color: #9b1c1c; text-decoration: line-through; }
p.agreed .label::before { content: "\2713\00a0"; color: #0b5d1e; }
.au { border-radius: 2px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.legend { font-size: 10pt; margin: .4em 0 0; }
.legend .au { padding: 0 .3em; font-weight: bold; }
{{.Palette}}
@media print { body { max-width: none; margin: 0; padding: 0; } }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{if .BaseRef}}<p class="meta">Base text: {{.BaseRef}}</p>
{{end}}<p class="meta">{{.Version}}</p>
{{if .Since}}<p class="meta">Changes since {{.Since}}: <ins>inserted</ins>, <del>deleted</del>.</p>
{{end}}{{if .Legend}}<p class="legend">Colours:{{range .Legend}} <span class="au {{.Class}}">{{.Code}}</span> {{.Name}}{{end}}</p>
{{end}}</header>
<main>
{{range .Sections}}<section class="{{.Kind}}">
{{if .Heading}}<h2 class="{{.Kind}}">{{.Heading}}</h2>
{{end}}{{range .Paras}}<p class="{{.Class}}" id="p-{{.ID}}"{{if .RTL}} dir="rtl"{{end}}{{if .Title}} title="{{.Title}}"{{end}}>{{if .Label}}<span class="label">{{if eq .LabelOp 1}}<ins>{{.Label}}</ins>{{else if eq .LabelOp 2}}<del>{{.Label}}</del>{{else}}{{.Label}}{{end}}</span>{{end}}{{range .Items}}{{if eq .Kind 1}}<span class="bracket{{if .Top}} top{{end}}" title="{{.Title}}" data-proposers="{{.Author}}">{{else if eq .Kind 2}}</span>{{else if eq .Op 1}}<ins title="{{.Title}}" data-author="{{.Author}}"{{if .Date}} datetime="{{.Date}}"{{end}}>{{.Text}}</ins>{{else if eq .Op 2}}<del title="{{.Title}}" data-author="{{.Author}}"{{if .Date}} datetime="{{.Date}}"{{end}}>{{.Text}}</del>{{else if .Class}}<span class="au {{.Class}}" title="{{.Title}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}</p>
{{end}}</section>
{{end}}</main>
</body>
</html>
`))

func writeHTML(w io.Writer, v *view) error {
	date := ""
	if !v.in.Time.IsZero() {
		date = v.in.Time.UTC().Format("2006-01-02T15:04:05Z")
	}
	d := htmlDoc{Title: v.in.Doc.Title, BaseRef: v.in.Doc.BaseRef, Version: v.versionLine(), Since: v.sinceLine(),
		Lang: langTag(v.in.Doc.Lang), RTL: rtlLang(v.in.Doc.Lang)}
	for _, s := range v.sections {
		hs := htmlSection{Heading: s.heading, Kind: s.kind}
		for _, p := range s.paras {
			hp := htmlPara{ID: p.id, Label: p.label, LabelOp: int(p.mark), RTL: p.rtl, Class: "para " + p.status}
			switch p.mark {
			case opInsert:
				hp.Class += " added"
				hp.Title = "Paragraph added by " + v.name(p.author)
			case opDelete:
				hp.Class += " removed"
				hp.Title = "Paragraph deleted by " + v.name(p.author)
			}
			pos := 0 // in the working text, code points
			for _, it := range p.items {
				if it.kind == itemText && it.op == opEqual {
					hp.Items = append(hp.Items, v.tinted(it.text, p.runs.Slice(pos, pos+utf8.RuneCountInString(it.text)))...)
					pos += utf8.RuneCountInString(it.text)
					continue
				}
				if it.kind == itemText && it.op == opInsert {
					pos += utf8.RuneCountInString(it.text)
				}
				hi := htmlItem{Kind: int(it.kind), Op: int(it.op), Text: it.text, Date: date}
				if !it.date.IsZero() {
					hi.Date = it.date.UTC().Format("2006-01-02T15:04:05Z")
				}
				switch {
				case it.kind == itemOpen:
					g := p.groups[it.group]
					codes := make([]string, len(g.authors))
					for i, a := range g.authors {
						codes[i] = shortName(a)
					}
					hi.Author = strings.Join(codes, " ")
					hi.Title = "Bracketed by " + v.names(g.authors)
					hi.Top = g.depth == 0
				case it.op == opInsert:
					hi.Author, hi.Title = shortName(it.author), "Inserted by "+v.name(it.author)
				case it.op == opDelete:
					hi.Author, hi.Title = shortName(it.author), "Deleted by "+v.name(it.author)
				}
				hp.Items = append(hp.Items, hi)
			}
			hs.Paras = append(hs.Paras, hp)
		}
		d.Sections = append(d.Sections, hs)
	}
	d.Palette = template.CSS(palette.CSS())
	d.Legend = v.legend()
	return htmlPage.Execute(w, d)
}

// tinted cuts unchanged text by author: each delegation's (and the
// chair's) words in its colour, the original text plain.
func (v *view) tinted(text string, runs draft.Authorship) []htmlItem {
	var out []htmlItem
	rest := text
	for _, r := range runs {
		if rest == "" {
			break
		}
		cut := 0 // bytes of r.Len code points
		for n := 0; n < r.Len && cut < len(rest); n++ {
			_, size := utf8.DecodeRuneInString(rest[cut:])
			cut += size
		}
		it := htmlItem{Kind: int(itemText), Op: int(opEqual), Text: rest[:cut]}
		if r.Author != draft.AuthorOriginal && r.Author != "" {
			it.Class, it.Title = palette.Class(r.Author), "Written by "+v.name(r.Author)
		}
		out = append(out, it)
		rest = rest[cut:]
	}
	if rest != "" {
		out = append(out, htmlItem{Kind: int(itemText), Op: int(opEqual), Text: rest})
	}
	return out
}

// legend lists the authors whose words are in the working text, the chair
// first, then by code.
func (v *view) legend() []htmlLegend {
	seen := map[string]bool{}
	for _, s := range v.sections {
		for _, p := range s.paras {
			for _, r := range p.runs {
				if r.Len > 0 && r.Author != draft.AuthorOriginal && r.Author != "" {
					seen[r.Author] = true
				}
			}
		}
	}
	var out []htmlLegend
	if seen[draft.AuthorChair] {
		out = append(out, htmlLegend{Code: "Chair", Class: palette.Class(draft.AuthorChair)})
		delete(seen, draft.AuthorChair)
	}
	codes := make([]string, 0, len(seen))
	for c := range seen {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		name := v.name(c)
		if name == c {
			name = ""
		}
		out = append(out, htmlLegend{Code: c, Name: name, Class: palette.Class(c)})
	}
	return out
}
