package compile

import (
	"testing"
)

// A "Working text" column (Draftroom's export has one) is not a proposer,
// and an apostrophe guarding a formula-like CSV cell is taken off.
func TestWorkingTextColumnAndGuardedCells(t *testing.T) {
	in := "#,Original (Rev. 1),Brazil --- MOD B/1/2,\"Working text (Rev.2, seq 9)\"\n" +
		"1,RESOLVES,,\n" +
		"2,1 to act;,1 to act now;,1 to [act][wait];\n" +
		"3,'- a dash first,'=SUM(A1),'- a dash first\n" +
		"4,,'+ to add,\n"
	c, err := Read([]byte(in), "t.csv", FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Proposers) != 1 || c.Proposers[0].Code != "BRA" {
		t.Fatalf("proposers = %+v, want Brazil alone", c.Proposers)
	}
	if len(c.Notes) != 0 || len(c.Unplaced) != 0 {
		t.Errorf("the working text left notes %+v, unplaced %+v", c.Notes, c.Unplaced)
	}
	s := c.Sections[0]
	if len(s.Paragraphs) != 2 || s.Paragraphs[1].Text != "- a dash first" {
		t.Fatalf("paragraphs = %+v", s.Paragraphs)
	}
	if got := s.Paragraphs[1].Proposals[0].Text; got != "=SUM(A1)" {
		t.Errorf("guarded proposal = %q", got)
	}
	if len(s.Proposals) != 1 || s.Proposals[0].Text != "+ to add" || s.Proposals[0].Action != ActionADD {
		t.Errorf("section proposals = %+v", s.Proposals)
	}
}
