package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// Every CSV cell that a spreadsheet would run as a formula starts with an
// apostrophe, including cells whose formula follows a tab or a carriage
// return (issue 15, item 10).
func TestCSVGuardsEveryFormulaStart(t *testing.T) {
	t.Parallel()
	doc := fixture()
	starts := []string{"=1+1", "+1", "-1", "@SUM(A1)", "\t=HYPERLINK(\"http://x\")", "\r=1+1", "\t\r@x"}
	res := &doc.Sections[2]
	for i, s := range starts {
		p := original("p-g"+string(rune('a'+i)), "", s)
		p.Proposals = append(p.Proposals, proposal("pr-g"+string(rune('a'+i)), "BRA", "MOD", "B/75/4", "", s))
		res.Paragraphs = append(res.Paragraphs, p)
	}
	out := export(t, CSV, Input{Doc: doc})
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, rec := range recs {
		for _, cell := range rec {
			if cell == "" {
				continue
			}
			if strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("unguarded cell %q", cell)
			}
			for _, s := range starts {
				// encoding/csv drops a lone carriage return on reading.
				if cell == "'"+strings.ReplaceAll(s, "\r", "") {
					seen++
					break
				}
			}
		}
	}
	// Each start appears as a base text, a proposal and a working text;
	// "=1+1" and "\r=1+1" read back alike.
	if seen != 3*len(starts) {
		t.Errorf("%d guarded cells, want %d", seen, 3*len(starts))
	}
}
