// Package demo creates Draftroom's demo: a short resolution written for this
// project, with bracketed text and proposals, and one participant per role.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// Title identifies the demo document; Ensure creates it once.
const Title = "DEMO — Draft new Resolution: Telecommunications for early warning and disaster relief"

// Compilation is the demo resolution as a compilation table.
func Compilation() *compile.Compilation {
	return &compile.Compilation{
		Title:   Title,
		BaseRef: "Demo draft, Rev. 0",
		Lang:    "en",
		Proposers: []compile.Proposer{
			{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/12/3"},
			{Name: "CEPT", Code: "CEPT", Action: "MOD", Ref: "EUR/7A1/2"},
			{Name: "Arab States", Code: "ARB", Action: "ADD", Ref: "ARB/9/1"},
		},
		Notes: []compile.Note{{Kind: "reasons", Text: "Reasons: early-warning messages reach people only when networks survive the disaster and alerts arrive in a language they read."}},
		Sections: []compile.Section{
			{Heading: "RECALLING", Kind: "preamble", Paragraphs: []compile.Paragraph{
				{Label: "a)", Text: "the role of telecommunications in saving lives before, during and after natural disasters;"},
				{Label: "b)", Text: "the work of the Sectors on common alerting formats and on emergency telecommunication plans,",
					Proposals: []compile.Proposal{{Proposer: "CEPT", Action: "MOD", Ref: "EUR/7A1/2", Text: "the work of the three Sectors on common alerting formats and on national emergency telecommunication plans,"}}},
			}},
			{Heading: "CONSIDERING", Kind: "preamble", Paragraphs: []compile.Paragraph{
				{Label: "a)", Text: "that an alert is useful only if it reaches everyone at risk, in a language they understand, including persons with disabilities;"},
				{Label: "b)", Text: "that networks must be [restored][strengthened] quickly after a disaster;"},
			}},
			{Heading: "RECOGNIZING", Kind: "preamble", Paragraphs: []compile.Paragraph{
				{Label: "a)", Text: "that cell broadcast and location-based messaging can reach millions of people within minutes,",
					Proposals: []compile.Proposal{{Proposer: "BRA", Action: "MOD", Ref: "B/12/3", Text: "that cell broadcast, satellite and location-based messaging can reach millions of people within minutes,"}}},
				{Label: "b)", Text: "that alerts in Arabic (إنذار مبكر), Chinese (预警), Russian (раннее оповещение) and the other official languages must render correctly on every device;"},
			}},
			{Heading: "RESOLVES", Kind: "operative", Paragraphs: []compile.Paragraph{
				{Label: "1", Text: "to encourage Member States to [adopt][consider adopting] national early-warning systems that use common alerting formats;"},
				{Label: "2", Text: "to promote the exchange of best practices among Member States,",
					Proposals: []compile.Proposal{{Proposer: "ARB", Action: "SUP", Ref: "ARB/9/1"}}},
			},
				Proposals: []compile.Proposal{{Proposer: "ARB", Action: "ADD", Ref: "ARB/9/1", Label: "3", Text: "to support developing countries in building resilient networks for early warning;"}}},
			{Heading: "instructs the Director of the Telecommunication Development Bureau", Kind: "operative", Paragraphs: []compile.Paragraph{
				{Label: "1", Text: "to assist Member States, on request, in preparing national emergency telecommunication plans;"},
				{Label: "2", Text: "to report to the next conference on the implementation of this resolution."},
			}},
		},
	}
}

// Person is a demo participant and the token it was just given.
type Person struct {
	Role, Name, Delegation, Token string
}

var people = []store.Participant{
	{Role: "chair", Name: "Chair"},
	{Role: "delegate", Name: "Brazil delegate", Delegation: "BRA"},
	{Role: "delegate", Name: "CEPT delegate", Delegation: "CEPT"},
	{Role: "rapporteur", Name: "Rapporteur"},
	{Role: "observer", Name: "Observer"},
}

// Admin is the demo's secretariat: an admin, bound to no document, who
// opens the secretariat's desk.
var Admin = store.Participant{Role: "admin", Name: "Demo secretariat"}

// Ensure creates the demo document if it does not exist yet, then gives each
// demo participant (and the demo's admin) a new token, revoking the tokens
// earlier runs gave them, so that at most one set is valid (tokens are
// stored only as hashes, so old ones could not be shown again anyway). It
// returns how many old tokens it revoked.
func Ensure(ctx context.Context, st *store.Store) (uuid.UUID, bool, []Person, int, error) {
	id, created, err := ensureDocument(ctx, st)
	if err != nil {
		return uuid.Nil, false, nil, 0, err
	}
	var parts []store.Participant
	for _, p := range append(append([]store.Participant{}, people...), Admin) {
		var doc *uuid.UUID
		if p.Role != "admin" {
			doc = &id
		}
		part, err := st.FindParticipant(ctx, doc, p.Role, p.Name, p.Delegation)
		if errors.Is(err, store.ErrNotFound) {
			p.DocumentID = doc
			part, err = st.CreateParticipant(ctx, p)
		}
		if err != nil {
			return uuid.Nil, false, nil, 0, fmt.Errorf("demo participant %s: %w", p.Name, err)
		}
		part.Name, part.Role, part.Delegation = p.Name, p.Role, p.Delegation
		parts = append(parts, part)
	}
	ids := make([]uuid.UUID, len(parts))
	for i, p := range parts {
		ids[i] = p.ID
	}
	revoked, err := st.RevokeTokensOf(ctx, ids)
	if err != nil {
		return uuid.Nil, false, nil, 0, fmt.Errorf("demo: revoke earlier tokens: %w", err)
	}
	var out []Person
	for _, p := range parts {
		tok, _, err := st.CreateToken(ctx, p.ID, nil)
		if err != nil {
			return uuid.Nil, false, nil, 0, fmt.Errorf("demo token for %s: %w", p.Name, err)
		}
		out = append(out, Person{Role: p.Role, Name: p.Name, Delegation: p.Delegation, Token: tok})
	}
	return id, created, out, revoked, nil
}

func ensureDocument(ctx context.Context, st *store.Store) (uuid.UUID, bool, error) {
	docs, err := st.ListDocuments(ctx, nil)
	if err != nil {
		return uuid.Nil, false, err
	}
	for _, d := range docs {
		if d.Title == Title {
			id, err := uuid.Parse(d.ID)
			return id, false, err
		}
	}
	id, _, err := st.ImportCompilation(ctx, Compilation(), Title)
	if err != nil {
		return uuid.Nil, false, fmt.Errorf("create demo document: %w", err)
	}
	if err := markDemoBrackets(ctx, st, id); err != nil {
		return uuid.Nil, false, err
	}
	return id, true, nil
}

// markDemoBrackets attributes the demo's bracketed alternatives to the
// delegations that proposed them, as if they had typed them in the room.
func markDemoBrackets(ctx context.Context, st *store.Store, id uuid.UUID) error {
	doc, err := st.GetDocument(ctx, id)
	if err != nil {
		return err
	}
	for _, sec := range doc.Sections {
		for _, p := range sec.Paragraphs {
			runs := attributeBrackets(p.Text, "CEPT")
			if len(runs) <= 1 {
				continue
			}
			aj, err := json.Marshal(runs)
			if err != nil {
				return err
			}
			if err := st.SetAuthorship(ctx, uuid.MustParse(p.ID), aj); err != nil {
				return err
			}
		}
	}
	return nil
}

// attributeBrackets gives every bracket group after the first alternative
// to author: "[restored][strengthened]" reads as the original word and a
// delegation's alternative.
func attributeBrackets(text, author string) wire.Runs {
	var runs wire.Runs
	add := func(n int, a string) {
		if n == 0 {
			return
		}
		if len(runs) > 0 && runs[len(runs)-1].Author == a {
			runs[len(runs)-1].Len += n
			return
		}
		runs = append(runs, wire.Run{Len: n, Author: a})
	}
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		// "][" starts a delegation's alternative, up to its closing bracket.
		if rs[i] == ']' && i+1 < len(rs) && rs[i+1] == '[' {
			add(1, "original")
			j := i + 1
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			add(j-i-1, author)
			if j < len(rs) {
				add(1, author)
			}
			i = j
			continue
		}
		add(1, "original")
	}
	return runs
}
