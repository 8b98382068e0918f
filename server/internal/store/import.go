package store

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/wire"
)

// ImportSummary counts what an import wrote.
type ImportSummary struct {
	Sections   int
	Paragraphs int
	Proposals  map[string]int // by proposer name ("(unknown)" when the column was lost)
	Notes      int
	Unplaced   []compile.Unplaced
	// Unassigned counts the proposals with no proposer, and Suggested
	// those of them with a suggested proposer.
	Unassigned, Suggested int
}

// UnknownProposer labels proposals whose column was lost.
const UnknownProposer = "(unknown)"

// ImportCompilation writes a compilation as a new document in one
// transaction: either all of it is stored or none.
//
// A compilation over the limits of live editing (package limits) is
// refused, whoever built it.
func (s *Store) ImportCompilation(ctx context.Context, c *compile.Compilation, title string) (uuid.UUID, ImportSummary, error) {
	if err := c.CheckLimits(); err != nil {
		return uuid.Nil, ImportSummary{}, fmt.Errorf("import: %w", err)
	}
	docID := uuid.New()
	sum := ImportSummary{Proposals: map[string]int{}, Unplaced: c.Unplaced}
	if title == "" {
		title = c.Title
	}
	if title == "" {
		title = "Untitled compilation"
	}
	names := map[string]string{} // code -> column name, for proposals' proposer_name
	for _, p := range c.Proposers {
		if p.Code != "" {
			names[p.Code] = p.Name
		}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO documents (id, title, base_ref, lang) VALUES ($1, $2, $3, $4)`, docID, title, c.BaseRef, c.Lang)
		for i, p := range c.Proposers {
			b.Queue(`INSERT INTO document_proposers (document_id, position, code, name, action, ref) VALUES ($1, $2, $3, $4, $5, $6)`,
				docID, i, nullIfEmpty(p.Code), p.Name, p.Action, p.Ref)
		}
		notePos := 0
		addNote := func(n compile.Note, sec, para *uuid.UUID) {
			author := n.Author
			if author == "" && n.Column > 0 && n.Column <= len(c.Proposers) {
				author = c.Proposers[n.Column-1].Name // a proposer's Reasons cell
			}
			b.Queue(`INSERT INTO notes (id, document_id, section_id, paragraph_id, position, kind, text, source_row, author) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				uuid.New(), docID, sec, para, notePos, noteKind(n.Kind), n.Text, rowOrNil(n.Row), author)
			notePos++
			sum.Notes++
		}
		propPos := 0
		addProposal := func(p compile.Proposal, sec, para *uuid.UUID) {
			name := names[p.Proposer]
			switch {
			case p.Proposer == "" && p.Column > 0 && p.Column <= len(c.Proposers):
				// A column whose header did not resolve keeps its name.
				name = c.Proposers[p.Column-1].Name
			case p.Proposer == "":
				name = UnknownProposer
			case name == "":
				name = p.Proposer
			}
			status := p.Status
			if status == "" {
				status = "tabled"
			}
			b.Queue(`INSERT INTO proposals (id, document_id, section_id, paragraph_id, position, proposer, proposer_name, action, label, text, ref, source_row, status, suggested_proposer)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
				uuid.New(), docID, sec, para, propPos, nullIfEmpty(p.Proposer), name, p.Action, p.Label, p.Text, p.Ref, rowOrNil(p.Row), status, nullIfEmpty(p.SuggestedProposer))
			propPos++
			sum.Proposals[name]++
			if p.Proposer == "" {
				sum.Unassigned++
				if p.SuggestedProposer != "" {
					sum.Suggested++
				}
			}
		}
		for _, n := range c.Notes {
			addNote(n, nil, nil)
		}
		for si, sec := range c.Sections {
			secID := uuid.New()
			b.Queue(`INSERT INTO sections (id, document_id, position, heading, kind, source_row) VALUES ($1, $2, $3, $4, $5, $6)`,
				secID, docID, si, sec.Heading, sec.Kind, rowOrNil(sec.Row))
			sum.Sections++
			for pi, p := range sec.Paragraphs {
				paraID := uuid.New()
				authors := wire.Runs{}
				if n := utf8.RuneCountInString(p.Text); n > 0 {
					authors = wire.Runs{{Len: n, Author: "original"}}
				}
				aj, err := json.Marshal(authors)
				if err != nil {
					return err
				}
				status := p.Status
				if status == "" {
					status = "open"
				}
				b.Queue(`INSERT INTO paragraphs (id, document_id, section_id, position, label, text, base_text, authorship, source_row, status)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)`, paraID, docID, secID, pi, p.Label, p.Text, aj, rowOrNil(p.Row), status)
				sum.Paragraphs++
				for _, pr := range p.Proposals {
					addProposal(pr, &secID, &paraID)
				}
				for _, n := range p.Notes {
					addNote(n, &secID, &paraID)
				}
			}
			for _, pr := range sec.Proposals {
				addProposal(pr, &secID, nil)
			}
			for _, n := range sec.Notes {
				addNote(n, &secID, nil)
			}
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("import: %w", err)
		}
		// The document at seq 0, for rebuilding it at any later seq.
		d, err := loadDocument(ctx, tx, docID)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		return insertSnapshot(ctx, tx, docID, d)
	})
	if err != nil {
		return uuid.Nil, ImportSummary{}, err
	}
	return docID, sum, nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func rowOrNil(r int) *int {
	if r <= 0 {
		return nil
	}
	return &r
}

func noteKind(k string) string {
	if k == "" {
		return "remark"
	}
	return k
}
