package compile

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTableCells feeds the readers of the table's cells (meta lines, the
// Notes column, the Status column) arbitrary text, and checks that notes
// written by NotesCell read back as they were.
func FuzzTableCells(f *testing.F) {
	f.Add("[MOD; withdrawn; ref B/1/2; suggested BRA]\nb) a text", "reasons", "Brazil", "a note")
	f.Add("[heading: operative]\nRESOLVES", "", "", "[not a tag] text")
	f.Add("[paragraph; label A.]\ntext", "caption", "Rapporteur; chair", "two\nlines")
	f.Add("[kind heading; by Chair]\n\nrecalling", "kind x", "", "")
	f.Fuzz(func(t *testing.T, cell, kind, author, text string) {
		parseMeta(cell)
		splitMeta(cell)
		parseNotesCell(cell)
		parseStatus(cell)
		// A note that a cell can hold: trimmed lines, no blank line, an
		// author and kind without the meta line's separators.
		text = strings.TrimSpace(text)
		if !utf8.ValidString(text+kind+author) || text == "" || strings.Contains(text, "\r") || strings.ContainsAny(author+kind, "\n\r;[]") {
			return
		}
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		text = strings.Join(lines, "\n")
		kind, author = strings.TrimSpace(kind), strings.TrimSpace(author)
		if strings.Contains(kind, " ") && !strings.HasPrefix(kind, "kind ") || strings.HasPrefix(kind, "kind ") {
			return
		}
		in := []CellNote{{Kind: kind, Author: author, Text: text}, {Kind: NoteRemark, Text: "second"}}
		got := parseNotesCell(NotesCell(in))
		if kind == "" {
			in[0].Kind = NoteRemark
		}
		if len(got) != 2 || got[0] != in[0] || got[1] != in[1] {
			t.Fatalf("notes %+v read back as %+v (cell %q)", in, got, NotesCell(in))
		}
	})
}
