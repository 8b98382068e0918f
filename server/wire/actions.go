package wire

import (
	"github.com/draftroom/draftroom/server/ot"
)

// Action and op kinds beyond "text". A client sends
// {"type":"action","ref","kind",…fields}; the server answers with one op of
// the same kind in the ops stream (same ref), whose data holds the result.
const (
	KindStatus           = "status"
	KindFocus            = "focus"
	KindParagraphInsert  = "paragraph.insert"
	KindParagraphDelete  = "paragraph.delete"
	KindParagraphMove    = "paragraph.move"
	KindParagraphRelabel = "paragraph.relabel"
	KindSectionInsert    = "section.insert"
	KindSectionRename    = "section.rename"
	KindProposalTable    = "proposal.table"
	KindProposalEdit     = "proposal.edit"
	KindProposalWithdraw = "proposal.withdraw"
	KindProposalMerge    = "proposal.merge"
	KindProposalReject   = "proposal.reject"
	KindNoteAdd          = "note.add"
	KindVersionFreeze    = "version.freeze"

	// The chair's actions on proposals and bracket groups (issue 11).
	KindProposalAssign  = "proposal.assign"
	KindProposalReopen  = "proposal.reopen"
	KindProposalUnmerge = "proposal.unmerge"
	KindBracketsKeep    = "brackets.keep"
	KindBracketsAccept  = "brackets.accept"
	KindBracketsDrop    = "brackets.drop"
)

// ActionFields are the fields an action may carry; which ones a kind reads
// is listed in docs/protocol.md. The frame's own "kind" and "ref" name the
// action and identify the request, so a section's kind travels as
// "section_kind" and a proposal's document reference as "doc_ref".
type ActionFields struct {
	Para        string  `json:"para"`
	Section     string  `json:"section"`
	After       *string `json:"after"`
	Label       *string `json:"label"`
	Text        *string `json:"text"`
	Status      string  `json:"status"`
	Heading     string  `json:"heading"`
	SectionKind string  `json:"section_kind"`
	Action      string  `json:"action"`
	DocRef      string  `json:"doc_ref"`
	Proposal    string  `json:"proposal"`
	Proposer    string  `json:"proposer"` // the chair may table for a delegation, or assign one
	// Delegation names whose floor request an action is about (floor.give,
	// floor.withdraw by the chair).
	Delegation string `json:"delegation"`
	// Only switches floor-only typing on or off (floor.mode).
	Only *bool `json:"only"`
	// At is any offset (code points) inside the bracket group a brackets.*
	// action resolves, and Alternative the one brackets.keep keeps
	// (0-based).
	At          *int `json:"at"`
	Alternative *int `json:"alternative"`
}

// OpData is the kind-specific result carried in an op's "data".
type OpData struct {
	Para        string     `json:"para,omitempty"`
	Section     string     `json:"section,omitempty"`
	After       *string    `json:"after,omitempty"`
	First       bool       `json:"first,omitempty"` // insert/move at the start of the section (after = null)
	Label       *string    `json:"label,omitempty"`
	Status      string     `json:"status,omitempty"`
	Heading     string     `json:"heading,omitempty"`
	SectionKind string     `json:"section_kind,omitempty"`
	Paragraph   *Paragraph `json:"paragraph,omitempty"` // a new paragraph (insert, ADD merge)
	Proposal    *Proposal  `json:"proposal,omitempty"`  // a proposal as it now stands
	Note        *Note      `json:"note,omitempty"`
	// Op is a text operation the action applies to Para (MOD and SUP
	// merges, bracket-group resolutions, undoing a merge), with inserted
	// text attributed to Author.
	Op     ot.Op  `json:"op,omitempty"`
	Author string `json:"author,omitempty"`
	// Alternative is the alternative brackets.keep kept.
	Alternative *int `json:"alternative,omitempty"`
	// RemovedNotes and RemovedParagraph are what undoing a merge takes
	// away: the notes the merge added (a SUP's, a MOD's note on words it
	// would delete) and the paragraph an ADD added.
	RemovedNotes     []string `json:"removed_notes,omitempty"`
	RemovedParagraph string   `json:"removed_paragraph,omitempty"`
	// Version is set by version.freeze.
	Version *VersionInfo `json:"version,omitempty"`
	// FocusProposal is the proposal the chair puts on the screen with the
	// focus (focus), "" for none.
	FocusProposal string `json:"focus_proposal,omitempty"`
	// Delegation, At and Only are a floor action's: the delegation it is
	// about, when it asked for the floor, and floor-only typing.
	Delegation string `json:"delegation,omitempty"`
	At         string `json:"at,omitempty"`
	Only       *bool  `json:"only,omitempty"`
}

// VersionInfo describes a frozen version.
type VersionInfo struct {
	Label     string        `json:"label"`
	Seq       int64         `json:"seq"`
	SHA256    string        `json:"sha256"`
	CreatedAt string        `json:"created_at"`
	Counts    VersionCounts `json:"counts"`
}

// VersionCounts summarizes a frozen version.
type VersionCounts struct {
	Paragraphs       int            `json:"paragraphs"`
	Agreed           int            `json:"agreed"`
	AgreedAdRef      int            `json:"agreed_ad_ref"`
	OpenBrackets     int            `json:"open_brackets"`
	BracketsByAuthor map[string]int `json:"brackets_by_author"`
}
