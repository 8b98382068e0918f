package export

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// Markdown and plain text are for e-mail and for diffing two versions with
// ordinary tools: one line per paragraph, label first, a blank line between
// paragraphs, square brackets as they are.
//
// Markdown redline uses CriticMarkup, {++inserted++} and {--deleted--}: it
// reads plainly in an e-mail, survives any renderer (GFM's ** and ~~ do not
// open next to the brackets that start most proposals), and editors that
// know CriticMarkup show it as tracked changes. User text is escaped so
// that no renderer turns it into HTML, links, emphasis or list items.

func writeMarkdown(w io.Writer, v *view) error {
	bw := bufio.NewWriter(w)
	var b strings.Builder
	line := func(s string) {
		bw.WriteString(s)
		bw.WriteString("\n\n")
	}
	// esc escapes s; start says whether it begins a line.
	esc := func(s string, start bool) string {
		b.Reset()
		mdEscape(&b, strings.TrimSpace(s), &start)
		return b.String()
	}
	line("# " + esc(v.in.Doc.Title, false))
	if v.in.Doc.BaseRef != "" {
		line("Base text: " + esc(v.in.Doc.BaseRef, false))
	}
	line(esc(v.versionLine(), true))
	if s := v.sinceLine(); s != "" {
		line("Changes since " + esc(s, false) + ": {++inserted++}, {--deleted--}.")
	}
	for _, s := range v.sections {
		if s.heading != "" {
			if s.kind == "preamble" {
				line("## *" + esc(s.heading, false) + "*")
			} else {
				line("## " + esc(s.heading, false))
			}
		}
		for i := range s.paras {
			line(mdParagraph(&s.paras[i]))
		}
	}
	return bw.Flush()
}

// mdParagraph writes a paragraph as one Markdown line, merging neighbouring
// pieces of one kind so that a change by two authors is one mark.
func mdParagraph(p *para) string {
	var chunks []redPiece
	if p.label != "" {
		chunks = appendPiece(chunks, p.mark, p.label+" ")
	}
	for _, it := range p.items {
		if it.kind == itemText {
			chunks = appendPiece(chunks, it.op, it.text)
		}
	}
	var b strings.Builder
	start := true
	for _, c := range chunks {
		switch c.op {
		case opInsert:
			b.WriteString("{++")
			mdEscape(&b, c.text, &start)
			b.WriteString("++}")
		case opDelete:
			b.WriteString("{--")
			mdEscape(&b, c.text, &start)
			b.WriteString("--}")
		default:
			mdEscape(&b, c.text, &start)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// mdEscape writes s with a backslash before every character Markdown (and
// CriticMarkup) could read as markup. Square brackets stay readable: a
// link needs "](", "][" or "]:", so only a "]" followed by one of those is
// escaped. A line break becomes a hard break ("\" at the end of the line),
// and a line that would start a list, heading or code block is escaped at
// its start. lineStart says whether s begins a line.
func mdEscape(b *strings.Builder, s string, lineStart *bool) {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		rest := s[i+w:]
		if *lineStart {
			if r == ' ' || r == '\t' {
				i += w
				continue // leading white space would make a code block
			}
			*lineStart = false
			if strings.ContainsRune("#+-=", r) {
				b.WriteByte('\\')
			} else if r >= '0' && r <= '9' {
				j := 0
				for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
					j++
				}
				if j < len(rest) && (rest[j] == '.' || rest[j] == ')') {
					b.WriteString(s[i : i+w+j])
					b.WriteByte('\\')
					i += w + j
					continue
				}
			}
		}
		switch {
		case r == '\n':
			b.WriteString("\\\n")
			*lineStart = true
		case r == '\r':
		case strings.ContainsRune("\\`*_<>&|~{}", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ']' && rest != "" && strings.ContainsRune("([:", rune(rest[0])):
			b.WriteString(`\]`)
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
}

// writeText writes the plain text of the version. It has no redline.
func writeText(w io.Writer, v *view) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(v.in.Doc.Title + "\n")
	if v.in.Doc.BaseRef != "" {
		bw.WriteString("Base text: " + v.in.Doc.BaseRef + "\n")
	}
	bw.WriteString(v.versionLine() + "\n")
	for _, s := range v.sections {
		if s.heading != "" {
			bw.WriteString("\n" + s.heading + "\n")
		}
		for _, p := range s.paras {
			if p.mark == opDelete {
				continue // only in a redline, which plain text does not carry
			}
			bw.WriteString("\n")
			if p.label != "" {
				bw.WriteString(p.label + " ")
			}
			bw.WriteString(p.text + "\n")
		}
	}
	return bw.Flush()
}
