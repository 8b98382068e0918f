package compile

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/limits"
)

// A small workbook whose cells all name one long shared string expands to
// far more text than the file holds; the reader refuses it before building
// anything from it (issue 15, item 7).
func TestSharedStringExpansionIsCapped(t *testing.T) {
	long := strings.Repeat("to strengthen cooperation on early warning; ", 680) // 29,920 bytes, under Excel's cell limit
	recs := [][]string{{"Original", "Brazil"}}
	for i := 0; i < 400; i++ {
		recs = append(recs, []string{long, long})
	}
	data := xlsxFromRecords(t, recs)
	if len(data) > 200<<10 {
		t.Fatalf("the workbook is %d bytes; it should be small", len(data))
	}
	_, err := Read(data, "shared.xlsx", FormatAuto, nil)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "expands to more than 20 MB") {
		t.Fatalf("err = %v, want a refusal naming the expanded size", err)
	}
	// The same cells, fewer times, are fine.
	if _, err := Read(xlsxFromRecords(t, recs[:50]), "ok.xlsx", FormatAuto, nil); err != nil {
		t.Fatalf("a workbook under the cap: %v", err)
	}
}

// An import obeys the limits of live editing: no more paragraphs than a
// document may have, no paragraph longer than the room accepts (issue 15,
// item 8). At the limit it is accepted.
func TestImportObeysDocumentLimits(t *testing.T) {
	table := func(paras int, text string) []byte {
		var b strings.Builder
		b.WriteString("Original,Brazil\nRESOLVES,\n")
		for i := 0; i < paras; i++ {
			fmt.Fprintf(&b, "%d %s,\n", i+1, text)
		}
		return []byte(b.String())
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string // "" to accept
	}{
		{"paragraphs at the limit", table(limits.Paragraphs, "to act;"), ""},
		{"one paragraph too many", table(limits.Paragraphs+1, "to act;"), "more than 5000 paragraphs"},
		{"paragraph at the limit", table(1, strings.Repeat("é", limits.ParagraphRunes)), ""},
		{"paragraph one character too long", table(1, strings.Repeat("é", limits.ParagraphRunes+1)), "100001 characters long; the limit is 100000"},
		{"long proposal", []byte("Original,Brazil\nRESOLVES,\n1 to act;,1 " + strings.Repeat("ж", limits.ProposalRunes+1) + "\n"), "a proposal in \"RESOLVES\" is 100001 characters"},
		{"long heading", []byte("Original,Brazil\ninvites the " + strings.Repeat("Telecommunication-Standardization-Development-Radiocommunication ", 8) + ",\n1 to act;,\n"), "the limit is 500"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Read(tt.data, "t.csv", FormatCSV, nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), tt.want) {
				n := 0
				if c != nil {
					n = count(c).Paragraphs
				}
				t.Fatalf("err = %v (%d paragraphs read), want ErrTooLarge with %q", err, n, tt.want)
			}
		})
	}
}
