package compile

// Values of Section.Kind.
const (
	KindPreamble  = "preamble"
	KindOperative = "operative"
)

// Values of Note.Kind.
const (
	NoteRemark   = "remark"   // a comment in the table: "see the Brazilian text …"
	NoteReasons  = "reasons"  // the Reasons row
	NoteUnplaced = "unplaced" // a line or row the importer could not place
	// NoteHeading keeps a repetition of a section heading found among the
	// texts of a row ("recalling" under RECALLING, or a proposer's cell that
	// starts by restating the heading it amends).
	NoteHeading = "heading"
)

// Values of Proposal.Action and Proposer.Action.
const (
	ActionMOD = "MOD"
	ActionADD = "ADD"
	ActionSUP = "SUP"
	ActionNOC = "NOC"
)
