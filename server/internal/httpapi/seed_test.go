package httpapi

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/seedtest"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// seedCompilation reads the first file of the shared seed corpus
// (../shared/seeds beside the repository), or skips the test.
func seedCompilation(t *testing.T) *compile.Compilation {
	t.Helper()
	files := seedtest.Files(t)
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile.Read(data, filepath.Base(files[0]), compile.FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The real compilation: every proposal assigned through the websocket
// (the import's suggestion where it made one, else the header's first
// delegation, in turn), the comparison table exported, every proposal in
// its proposer's column, and a re-import of the table keeps the proposers.
func TestSeedAssignAllAndRoundTrip(t *testing.T) {
	t.Parallel()
	c := seedCompilation(t)
	var header []string
	for _, p := range c.Proposers {
		if p.Code != "" {
			header = append(header, p.Code)
		}
	}
	if len(header) == 0 {
		t.Fatal("the seed's header names no delegation")
	}
	e := newEnvWith(t, room.Config{}, c)
	chair := e.dial(e.token("chair", ""))
	want := map[string]string{} // proposal key → proposer
	n, unassigned, suggested := 0, 0, 0
	for _, s := range e.document().Sections {
		all := append([]wire.Proposal{}, s.Proposals...)
		for _, p := range s.Paragraphs {
			all = append(all, p.Proposals...)
		}
		for _, pr := range all {
			code := pr.SuggestedProposer
			if code != "" {
				suggested++
			} else {
				code = header[n%len(header)]
			}
			if pr.Proposer == nil {
				unassigned++
			}
			n++
			op := accepted(t, "assign "+pr.ID, chair.action(wire.KindProposalAssign, map[string]any{"proposal": pr.ID, "proposer": code}))
			if d := opData(t, op); d.Proposal == nil || d.Proposal.Proposer == nil || *d.Proposal.Proposer != code {
				t.Fatalf("assign %s to %s: %s", pr.ID, code, op.Data)
			}
			want[proposalKey(pr.Action, pr.Ref, pr.Text)] = code
		}
	}
	t.Logf("seed: %d proposals, %d without a proposer at import, %d with a suggestion", n, unassigned, suggested)
	if n == 0 || len(want) == 0 {
		t.Fatal("the seed has no proposals")
	}
	for _, s := range e.document().Sections {
		for _, p := range s.Paragraphs {
			for _, pr := range p.Proposals {
				if pr.Proposer == nil || *pr.Proposer != want[proposalKey(pr.Action, pr.Ref, pr.Text)] {
					t.Fatalf("stored proposal %s: proposer %v", pr.ID, pr.Proposer)
				}
			}
		}
	}

	// Merge the first MOD of every paragraph: small groups, the inserted
	// words the assigned proposer's, every other character's author kept.
	merged := 0
	for _, s := range e.document().Sections {
		for _, p := range s.Paragraphs {
			for _, pr := range p.Proposals {
				if pr.Action != "MOD" {
					continue
				}
				r := chair.action(wire.KindProposalMerge, map[string]any{"proposal": pr.ID})
				if r.op == nil {
					t.Logf("MOD %s of %s refused: %s", pr.Ref, p.Label, r.f.Message)
					break
				}
				merged++
				d := opData(t, r.op)
				if d.Author != *pr.Proposer {
					t.Errorf("MOD %s merged as %q's, assigned to %s", pr.Ref, d.Author, *pr.Proposer)
				}
				after := findParagraph(e.document(), p.ID)
				text, err := ot.Apply(p.Text, d.Op)
				if err != nil || text != after.Text {
					t.Fatalf("MOD %s: data.op gives %q (%v), stored %q", pr.Ref, text, err, after.Text)
				}
				wantRuns, err := authorship(p.Authors).Apply(d.Op, d.Author)
				if err != nil {
					t.Fatal(err)
				}
				if perChar(wantRuns) != perChar(authorship(after.Authors)) {
					t.Errorf("MOD %s: runs %v, want the old ones with the inserts %s's: %v", pr.Ref, after.Authors, d.Author, wantRuns)
				}
				break
			}
		}
	}
	t.Logf("seed: merged %d MODs", merged)
	if merged == 0 {
		t.Error("no MOD of the seed merged")
	}

	for _, format := range []string{"csv", "xlsx"} {
		resp, body := e.raw(e.token("chair", ""), "/api/v1/documents/"+e.doc.String()+"/export?format="+format)
		if resp.StatusCode != 200 {
			t.Fatalf("export %s: %d %s", format, resp.StatusCode, body)
		}
		back, err := compile.Read(body, "table."+format, compile.FormatAuto, delegation.Default())
		if err != nil {
			t.Fatalf("re-import %s: %v", format, err)
		}
		got := 0
		visit := func(pr compile.Proposal) {
			got++
			key := proposalKey(pr.Action, pr.Ref, pr.Text)
			code, ok := want[key]
			if !ok {
				t.Errorf("%s: a proposal the document does not have: %s", format, key)
				return
			}
			if pr.Proposer != code {
				t.Errorf("%s: %s came back as %q's, want %s", format, key, pr.Proposer, code)
			}
			// Its column is its proposer's.
			if pr.Column < 1 || pr.Column > len(back.Proposers) || back.Proposers[pr.Column-1].Code != code {
				t.Errorf("%s: %s is in column %d, not %s's", format, key, pr.Column, code)
			}
		}
		for _, s := range back.Sections {
			for _, pr := range s.Proposals {
				visit(pr)
			}
			for _, p := range s.Paragraphs {
				for _, pr := range p.Proposals {
					visit(pr)
				}
			}
		}
		if got != n {
			t.Errorf("%s: %d proposals came back, want %d", format, got, n)
		}
	}
}

func findParagraph(d *wire.Document, id string) wire.Paragraph {
	for _, s := range d.Sections {
		for _, p := range s.Paragraphs {
			if p.ID == id {
				return p
			}
		}
	}
	return wire.Paragraph{}
}

func authorship(r wire.Runs) draft.Authorship {
	a := make(draft.Authorship, len(r))
	for i, run := range r {
		a[i] = draft.Run{Len: run.Len, Author: run.Author}
	}
	return a
}

// perChar is the author of every code point, one per line.
func perChar(a draft.Authorship) string {
	var b strings.Builder
	for _, r := range a {
		for range r.Len {
			b.WriteString(r.Author + "\n")
		}
	}
	return b.String()
}

func proposalKey(action, ref, text string) string {
	return fmt.Sprintf("%s %s %q", action, ref, strings.TrimSpace(text))
}
