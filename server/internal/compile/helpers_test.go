package compile

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// counts summarises a Compilation for table tests.
type counts struct {
	Sections, Paragraphs, Proposals, Notes, Unplaced int
	Actions                                          map[string]int
	NoteKinds                                        map[string]int
}

func count(c *Compilation) counts {
	n := counts{Actions: map[string]int{}, NoteKinds: map[string]int{}, Unplaced: len(c.Unplaced)}
	notes := func(ns []Note) {
		for _, x := range ns {
			n.Notes++
			n.NoteKinds[x.Kind]++
		}
	}
	props := func(ps []Proposal) {
		for _, p := range ps {
			n.Proposals++
			n.Actions[p.Action]++
		}
	}
	notes(c.Notes)
	for _, s := range c.Sections {
		n.Sections++
		notes(s.Notes)
		props(s.Proposals)
		for _, p := range s.Paragraphs {
			n.Paragraphs++
			notes(p.Notes)
			props(p.Proposals)
		}
	}
	return n
}

// allProposals lists every proposal with the heading of its section.
func allProposals(c *Compilation) []Proposal {
	var out []Proposal
	for _, s := range c.Sections {
		out = append(out, s.Proposals...)
		for _, p := range s.Paragraphs {
			out = append(out, p.Proposals...)
		}
	}
	return out
}

func section(t *testing.T, c *Compilation, heading string) *Section {
	t.Helper()
	for i := range c.Sections {
		if c.Sections[i].Heading == heading {
			return &c.Sections[i]
		}
	}
	t.Fatalf("no section %q", heading)
	return nil
}

func paragraph(t *testing.T, s *Section, label string) *Paragraph {
	t.Helper()
	for i := range s.Paragraphs {
		if s.Paragraphs[i].Label == label {
			return &s.Paragraphs[i]
		}
	}
	t.Fatalf("section %q has no paragraph %q", s.Heading, label)
	return nil
}

// xlsxFromCSV writes the records of a CSV file to the first sheet of a new
// workbook, numbers as numbers, so that the XLSX fixture is the CSV one.
func xlsxFromCSV(t testing.TB, data []byte) []byte {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return xlsxFromRecords(t, recs)
}

func xlsxFromRecords(t testing.TB, recs [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, v := range rec {
			if n, err := strconv.Atoi(v); err == nil {
				row[j] = n
			} else {
				row[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// withoutMatch drops how each name resolved, for comparing proposers with
// literals.
func withoutMatch(ps []Proposer) []Proposer {
	out := make([]Proposer, len(ps))
	for i, p := range ps {
		p.Match = delegation.Match{}
		out[i] = p
	}
	return out
}
