package room

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/pgtest"
	"github.com/draftroom/draftroom/server/internal/seedtest"
)

// seedFiles returns the shared seed corpus (../shared/seeds beside the
// repository), or skips the test when it is not there.
func seedFiles(t *testing.T) []string {
	return seedtest.Files(t)
}

// The default limits are generous for a real resolution: the compilation
// in the seed corpus uses a small fraction of every one.
func TestRealCompilationFitsTheLimits(t *testing.T) {
	t.Parallel()
	files := seedFiles(t)
	var cfg Config
	cfg.defaults()
	st := pgtest.NewStore(t)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := compile.Read(data, filepath.Base(path), compile.FormatAuto, nil)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		id, _, err := st.ImportCompilation(context.Background(), c, "")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := st.GetDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		m, err := document.New(doc)
		if err != nil {
			t.Fatal(err)
		}
		props, propBytes := m.ProposalStats()
		byDelegation := map[string]int{}
		for _, s := range doc.Sections {
			all := s.Proposals
			for _, p := range s.Paragraphs {
				all = append(all, p.Proposals...)
			}
			for _, p := range all {
				if p.Proposer != nil {
					byDelegation[*p.Proposer] += document.ProposalBytes(p)
				}
			}
		}
		t.Logf("%s: %d paragraphs, %d proposals (%d bytes), %d notes; size %d bytes of %d",
			filepath.Base(path), m.Paragraphs(), props, propBytes, m.Notes(), m.Size(), cfg.MaxDocumentBytes)
		for _, check := range []struct {
			what        string
			used, limit int
		}{
			{"document size", m.Size(), cfg.MaxDocumentBytes},
			{"proposals", props, cfg.MaxProposals},
			{"proposal bytes", propBytes, cfg.MaxProposalBytes},
			{"notes", m.Notes(), cfg.MaxNotes},
			{"paragraphs", m.Paragraphs(), cfg.MaxParagraphs},
		} {
			if check.used*20 > check.limit {
				t.Errorf("%s: %d uses over a twentieth of its limit %d", check.what, check.used, check.limit)
			}
		}
		for d, n := range byDelegation {
			if n*20 > cfg.MaxProposalBytesPerDelegation {
				t.Errorf("%s's proposals: %d bytes, over a twentieth of the limit", d, n)
			}
		}
	}
}
