package compile

import (
	"strings"
)

// The comparison table's shape, as Draftroom's export writes it and this
// package reads it back. The exporter (package export) builds its cells
// with these functions, so that what it writes is what Read parses; README
// ("The comparison table") describes the shape for people.

// Headers of the optional columns.
const (
	// UnknownProposerHeader heads the column of proposals whose proposer is
	// not known (the flattened form lost their column). It is not a
	// proposer: its proposals come back with no proposer.
	UnknownProposerHeader = "Proposer unknown"
	// NotesHeader heads the column of notes on the row's paragraph or
	// heading.
	NotesHeader = "Notes"
	// StatusHeader heads the column of paragraph statuses.
	StatusHeader = "Status"
)

// UnknownProposer is the name a proposal with no proposer is shown under.
const UnknownProposer = "(unknown)"

// ActionOnly returns SUP or NOC when a cell holds nothing but that word.
func ActionOnly(cell string) string { return actionOnly(cell) }

// StartsWithLabel reports whether s starts with a paragraph label, which a
// reader would take off it.
func StartsWithLabel(s string) bool { return labelLen(s) > 0 }

// A meta line is the first line of a cell, in square brackets, holding
// what the cell's place in the table does not say, as items separated by
// "; ": "[MOD; withdrawn; ref B/1/2]". Every item must be known, so a text
// that merely starts with a bracket is not one.

// cellMeta is what a meta line says; which fields may be set depends on
// the kind of cell.
type cellMeta struct {
	action, status, ref, suggested, label string
	noRef, noLabel                        bool
	hasLabel                              bool // "label X": the label, even one a reader would not take off
	headingKind                           string
	paragraph                             bool
	noteKind, author                      string
}

var (
	metaActions  = []string{ActionMOD, ActionADD, ActionSUP, ActionNOC}
	metaStatuses = []string{"tabled", "merged", "withdrawn", "rejected"}
	metaKinds    = []string{NoteRemark, NoteReasons, NoteUnplaced, NoteCaption}
)

// parseMeta reads a meta line; ok is false when line is not one.
func parseMeta(line string) (m cellMeta, ok bool) {
	line = strings.TrimSpace(line)
	if len(line) < 3 || line[0] != '[' || line[len(line)-1] != ']' {
		return cellMeta{}, false
	}
	for _, item := range strings.Split(line[1:len(line)-1], "; ") {
		item = strings.TrimSpace(item)
		switch {
		case hasWord(metaActions, item):
			m.action = item
		case hasWord(metaStatuses, item):
			m.status = item
		case item == "no ref":
			m.noRef = true
		case strings.HasPrefix(item, "ref ") && len(item) > 4:
			m.ref = item[4:]
		case strings.HasPrefix(item, "suggested ") && len(item) > 10:
			m.suggested = item[10:]
		case item == "no label":
			m.noLabel = true
		case strings.HasPrefix(item, "label ") && len(item) > 6:
			m.label, m.hasLabel = item[6:], true
		case item == "heading: "+KindPreamble || item == "heading: "+KindOperative:
			m.headingKind = strings.TrimPrefix(item, "heading: ")
		case item == "paragraph":
			m.paragraph = true
		case hasWord(metaKinds, item):
			m.noteKind = item
		case strings.HasPrefix(item, "kind ") && len(item) > 5:
			m.noteKind = item[5:]
		case strings.HasPrefix(item, "by ") && len(item) > 3:
			m.author = item[3:]
		default:
			return cellMeta{}, false
		}
	}
	return m, true
}

// IsMetaLine reports whether line would be read as a meta line.
func IsMetaLine(line string) bool {
	_, ok := parseMeta(line)
	return ok
}

// splitMeta takes a meta line off the top of a cell.
func splitMeta(cell string) (cellMeta, string, bool) {
	first, rest, _ := strings.Cut(cell, "\n")
	m, ok := parseMeta(first)
	if !ok {
		return cellMeta{}, cell, false
	}
	return m, rest, true
}

// Labelled joins a label and a text as a cell shows them: "a) text".
func Labelled(label, text string) string {
	switch {
	case label == "":
		return text
	case text == "":
		return label
	}
	return label + " " + text
}

// readsBack reports whether splitLabel gives label and text back from
// their joined form.
func readsBack(label, text string) bool {
	l, r, _ := splitLabel(Labelled(label, text))
	return l == label && r == text
}

// HeadingCell is the Original cell of a heading row: the heading as it
// is when the importer recognises it as one of this kind and as a new
// section (prev is the heading before it), else behind "[heading: kind]".
func HeadingCell(prev, heading, kind string) string {
	if h, ok := detectHeading(heading); ok && h.text == heading && h.rest == "" && h.kind == kind &&
		!strings.Contains(heading, "\n") && !IsMetaLine(heading) && foldKey(prev) != foldKey(heading) {
		return heading
	}
	return "[heading: " + kind + "]\n" + heading
}

// ParagraphCell is the Original cell of a paragraph: its label and base
// text, behind "[paragraph]" when they would read as a heading, as two
// paragraphs, or with another label.
func ParagraphCell(label, text string) string {
	cell := Labelled(label, text)
	var meta []string
	first := firstLine(cell)
	_, heading := detectHeading(first)
	if (label == "" && heading) || strings.Contains(cell, "\n") || IsMetaLine(first) || isReasons(first) {
		meta = append(meta, "paragraph")
	}
	switch {
	case label == "" && labelLen(text) > 0:
		meta = append(meta, "no label")
	case label != "" && !readsBack(label, text):
		meta = append(meta, "label "+label)
		cell = text
	}
	if len(meta) == 0 {
		return cell
	}
	if !hasWord(meta, "paragraph") {
		meta = append([]string{"paragraph"}, meta...)
	}
	return "[" + strings.Join(meta, "; ") + "]\n" + cell
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// StatusCell is a paragraph's Status cell: "agreed", "agreed ad ref", or
// "" for an open paragraph.
func StatusCell(status string) string {
	switch status {
	case "agreed_ad_ref":
		return "agreed ad ref"
	case "agreed":
		return "agreed"
	}
	return ""
}

// parseStatus reads a Status cell.
func parseStatus(cell string) string {
	switch strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(cell, "_", " "))), " ") {
	case "agreed ad ref", "ad ref", "agreed ad referendum":
		return "agreed_ad_ref"
	case "agreed":
		return "agreed"
	}
	return ""
}

// ReasonsCell is the Original cell of the Reasons row: the reasons for
// the whole text, one a paragraph, opened by the word "Reasons:" unless
// the first already starts with it.
func ReasonsCell(texts []string) string {
	if len(texts) == 0 {
		return "Reasons:"
	}
	cell := strings.Join(texts, "\n\n")
	if !isReasons(firstLine(texts[0])) || isReasonsWord(texts[0]) {
		cell = "Reasons:\n\n" + cell
	}
	return cell
}

// CellNote is a note as the Notes column holds it.
type CellNote struct {
	Kind, Author, Text string
}

// NotesCell writes notes for the Notes column: one after the other,
// separated by a blank line, each behind a meta line with its kind and
// author when it is not an anonymous remark.
func NotesCell(ns []CellNote) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		var meta []string
		switch {
		case n.Kind == "" || n.Kind == NoteRemark:
		case hasWord(metaKinds, n.Kind):
			meta = append(meta, n.Kind)
		default:
			meta = append(meta, "kind "+n.Kind)
		}
		if n.Author != "" {
			meta = append(meta, "by "+n.Author)
		}
		if len(meta) == 0 && IsMetaLine(firstLine(n.Text)) {
			meta = append(meta, NoteRemark)
		}
		text := collapseBlankLines(n.Text)
		if len(meta) > 0 {
			text = "[" + strings.Join(meta, "; ") + "]\n" + text
		}
		parts[i] = text
	}
	return strings.Join(parts, "\n\n")
}

// collapseBlankLines keeps a note's blank lines from reading as the end
// of the note.
func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n") {
		s = strings.ReplaceAll(s, "\n\n", "\n")
	}
	return s
}

// paragraphsOf splits a cell at its blank lines, trimming each part.
func paragraphsOf(cell string) []string {
	cell = strings.ReplaceAll(cell, "\r\n", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, l := range strings.Split(cell, "\n") {
		if l = strings.TrimSpace(l); l == "" {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return out
}

// parseNotesCell reads a Notes cell: its notes, each with the kind and
// author its meta line gives.
func parseNotesCell(cell string) []CellNote {
	var out []CellNote
	for _, part := range paragraphsOf(cell) {
		n := CellNote{Kind: NoteRemark, Text: part}
		if m, rest, ok := splitMeta(part); ok && strings.TrimSpace(rest) != "" {
			if m.noteKind != "" {
				n.Kind = m.noteKind
			}
			n.Author, n.Text = m.author, rest
		}
		out = append(out, n)
	}
	return out
}

// IsPlainCaption reports whether a caption can stand above the header as
// it is and be read back as a caption: one line that reads as neither the
// title, the language, nor the header.
func IsPlainCaption(s string) bool {
	return s != "" && !strings.ContainsAny(s, "\n\r") && strings.TrimSpace(s) == s &&
		!hasPrefixFold(s, titlePrefix) && !hasPrefixFold(s, langPrefix) && !looksLikeTitle(s) &&
		!isOriginalHeader(s) && !strings.HasPrefix(strings.ToLower(s), "sep=") && !strings.ContainsAny(s[:1], "=+-@'")
}
