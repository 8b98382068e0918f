// Package export writes a document, as it stands now or at a frozen
// version, in the forms delegations take away from the room: Word (DOCX)
// with brackets as comments and changes as tracked revisions, a standalone
// HTML page for printing, Markdown and plain text for e-mail and diffing,
// Akoma Ntoso XML for archives, and the CSV/XLSX comparison table that the
// importer (package compile) reads back.
//
// Writers are pure: they take an Input and write bytes. Load, in load.go,
// is the one function that reads the store.
package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/wire"
)

// Format names an export form.
type Format string

const (
	DOCX Format = "docx"
	HTML Format = "html"
	MD   Format = "md"
	TXT  Format = "txt"
	AKN  Format = "akn"
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Formats lists every format, in the order help texts show them.
var Formats = []Format{DOCX, HTML, MD, TXT, AKN, CSV, XLSX}

// FormatList is Formats for messages: "docx, html, md, txt, akn, csv or xlsx".
func FormatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ParseFormat reads a format name, ignoring case and a leading dot.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")))
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	if s == "" {
		return "", fmt.Errorf("a format is required: %s", FormatList())
	}
	return "", fmt.Errorf("unknown format %q: want %s", s, FormatList())
}

// Redlines reports whether the format can show changes since a version.
// The others are the text of one version (txt, akn) or the proposals table
// (csv, xlsx), where tracked changes have no place.
func (f Format) Redlines() bool { return f == DOCX || f == HTML || f == MD }

// ContentType is the media type to serve the format with.
func (f Format) ContentType() string {
	switch f {
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case HTML:
		return "text/html; charset=utf-8"
	case MD:
		return "text/markdown; charset=utf-8"
	case TXT:
		return "text/plain; charset=utf-8"
	case AKN:
		return "application/akn+xml"
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

// Ext is the file name extension, without the dot.
func (f Format) Ext() string {
	if f == AKN {
		return "akn.xml"
	}
	return string(f)
}

// Input is what an export is made from.
type Input struct {
	Doc *wire.Document
	// Version labels the exported text ("Rev.2"), or is "" for the working
	// text (or a bare seq).
	Version string
	// Time is when the exported text stood: a version's freeze time, else
	// the time of the op that made its seq. Word comments and revisions and
	// the Akoma Ntoso dates carry it.
	Time time.Time
	// Since, when set, is the earlier text the redline (docx, html, md)
	// shows changes from; SinceVersion labels it ("Rev.1", "seq 12").
	Since        *wire.Document
	SinceVersion string
	// Blame, when set and reaching Doc's seq, says who inserted and who
	// deleted each piece and when (LoadBlame): redlines credit deletions
	// to the deleter and date every change, Word comments carry their
	// group's creation time. Without it, a redline diffs the two texts.
	Blame *document.Blame
	// Registry names delegations; nil means delegation.Default().
	Registry *delegation.Registry
	// Compilation asks docx and html for the compilation table (the
	// original and one column per proposer, MODs as redlines) instead of
	// the working text.
	Compilation bool
}

// Compiles reports whether the format can be written as the compilation
// table.
func (f Format) Compiles() bool { return f == DOCX || f == HTML }

// Write writes in in format f.
func Write(w io.Writer, f Format, in Input) error {
	if in.Doc == nil {
		return fmt.Errorf("export: no document")
	}
	if in.Since != nil && !f.Redlines() {
		return fmt.Errorf("export: a redline applies to docx, html and md, not %s", f)
	}
	if in.Registry == nil {
		in.Registry = delegation.Default()
	}
	if in.Compilation {
		switch {
		case !f.Compiles():
			return fmt.Errorf("export: the compilation table is docx or html, not %s", f)
		case in.Since != nil:
			return fmt.Errorf("export: the compilation table shows proposals, not changes since a version")
		case f == DOCX:
			return writeCompilationDOCX(w, buildCompilation(in))
		default:
			return writeCompilationHTML(w, buildCompilation(in))
		}
	}
	switch f {
	case DOCX:
		return writeDOCX(w, build(in))
	case HTML:
		return writeHTML(w, build(in))
	case MD:
		return writeMarkdown(w, build(in))
	case TXT:
		return writeText(w, build(in))
	case AKN:
		return writeAKN(w, build(in))
	case CSV:
		return writeCSV(w, in)
	case XLSX:
		return writeXLSX(w, in)
	}
	return fmt.Errorf("export: unknown format %q", f)
}

// Filename is the name to save an export under: the title cut to a short
// ASCII slug, the version, and the redline base, e.g.
// "Draft-resolution-on-rural-connectivity_Rev.2_changes-since-Rev.1.docx".
func Filename(f Format, in Input) string {
	name := slug(in.Doc.Title, 60)
	if name == "" {
		name = "document"
	}
	if v := versionName(in.Version, in.Doc.Seq); v != "" {
		name += "_" + v
	}
	if in.Since != nil {
		name += "_changes-since-" + versionName(in.SinceVersion, in.Since.Seq)
	}
	if in.Compilation {
		name += "_compilation"
	}
	return name + "." + f.Ext()
}

func versionName(label string, seq int64) string {
	if label != "" {
		return slug(label, 40)
	}
	return fmt.Sprintf("seq%d", seq)
}

// slug keeps ASCII letters, digits and dots, turning runs of anything else
// into one hyphen, so that the name is safe in every file system and in a
// Content-Disposition header.
func slug(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= max {
			break
		}
	}
	return strings.Trim(b.String(), ".-")
}
