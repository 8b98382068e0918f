// Package wire holds the JSON shapes of Draftroom's HTTP API and websocket
// protocol. Fields may be added; they are never renamed (see docs/protocol.md).
package wire

import (
	"encoding/json"
	"fmt"
)

// Document is the read API's document shape, also carried by the welcome frame.
type Document struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	BaseRef   string     `json:"base_ref"`
	Seq       int64      `json:"seq"`
	Proposers []Proposer `json:"proposers"`
	Notes     []Note     `json:"notes"`
	Sections  []Section  `json:"sections"`
	// Focus is the paragraph the chair has the room on ("" for none), so a
	// projector that connects late scrolls to it.
	Focus string `json:"focus,omitempty"`
	// FocusProposal is a proposal of the focused paragraph (or of its
	// section) that the chair put on the screen beside it ("" for none).
	FocusProposal string `json:"focus_proposal,omitempty"`
	// Floor is the speakers' list (nil in frozen versions, which hold the
	// text, not the room's procedure).
	Floor *Floor `json:"floor,omitempty"`
	// Lang is the language of the text (ISO 639-1: ar, en, es, fr, ru,
	// zh), "" when unknown.
	Lang string `json:"lang,omitempty"`
}

// Proposer is one proposer column of the compilation the document came from.
type Proposer struct {
	Code   *string `json:"code"` // delegation code, null when unresolved
	Name   string  `json:"name"`
	Action string  `json:"action"`
	Ref    string  `json:"ref"`
}

// Note is a remark kept with the document, a section or a paragraph.
type Note struct {
	ID        string  `json:"id"`
	Text      string  `json:"text"`
	Section   *string `json:"section"`
	Paragraph *string `json:"paragraph"`
	Row       *int    `json:"row"`
	Kind      string  `json:"kind"`
	Author    string  `json:"author,omitempty"`
}

// Section is a heading and its paragraphs, in order.
type Section struct {
	ID         string      `json:"id"`
	Heading    string      `json:"heading"`
	Kind       string      `json:"kind"` // "preamble" or "operative"
	Paragraphs []Paragraph `json:"paragraphs"`
	// Proposals anchored to the section but to no paragraph.
	Proposals []Proposal `json:"proposals"`
}

// Paragraph is one labelled paragraph with its working text.
type Paragraph struct {
	ID        string     `json:"id"`
	Label     string     `json:"label"`
	Text      string     `json:"text"`
	Status    string     `json:"status"` // open, agreed_ad_ref, agreed
	Proposals []Proposal `json:"proposals"`
	BaseText  string     `json:"base_text"`
	Authors   Runs       `json:"authors"`
}

// Proposal is one formal proposal layer.
type Proposal struct {
	ID           string  `json:"id"`
	Proposer     *string `json:"proposer"` // delegation code, null when unknown
	ProposerName string  `json:"proposer_name,omitempty"`
	Action       string  `json:"action"` // MOD, ADD, SUP, NOC
	Label        string  `json:"label,omitempty"`
	Text         string  `json:"text"`
	Ref          string  `json:"ref"`
	Status       string  `json:"status"` // tabled, merged, withdrawn, rejected
	// SuggestedProposer is the delegation code the import found evidence
	// for when the compilation lost the proposal's column ("" for none).
	// A suggestion for the chair; Proposer is what counts.
	SuggestedProposer string `json:"suggested_proposer,omitempty"`
}

// DocumentSummary is one entry of the document list.
type DocumentSummary struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	BaseRef string `json:"base_ref"`
	Seq     int64  `json:"seq"`
}

// Run is a stretch of Len code points written by Author: a delegation code,
// "chair" or "original".
type Run struct {
	Len    int
	Author string
}

// Runs is an authorship: consecutive runs covering a text. On the wire it is
// [[len, "author"], ...], compact because it is sent for every paragraph.
type Runs []Run

// MarshalJSON writes [[len, author], ...].
func (r Runs) MarshalJSON() ([]byte, error) {
	out := make([]any, len(r))
	for i, run := range r {
		out[i] = [2]any{run.Len, run.Author}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads [[len, author], ...].
func (r *Runs) UnmarshalJSON(data []byte) error {
	var raw [][2]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("authorship runs: %w", err)
	}
	runs := make(Runs, len(raw))
	for i, pair := range raw {
		if err := json.Unmarshal(pair[0], &runs[i].Len); err != nil {
			return fmt.Errorf("authorship run %d: length: %w", i, err)
		}
		if err := json.Unmarshal(pair[1], &runs[i].Author); err != nil {
			return fmt.Errorf("authorship run %d: author: %w", i, err)
		}
		if runs[i].Len <= 0 {
			return fmt.Errorf("authorship run %d: length %d is not positive", i, runs[i].Len)
		}
	}
	*r = runs
	return nil
}

// Error is the body of every failed HTTP request and the payload of an
// error frame.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody wraps Error as {"error": {...}}.
type ErrorBody struct {
	Error Error `json:"error"`
}
