package compile

import "strings"

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
	// NoteCaption is a line above the table's header that is not the
	// resolution's title ("Texts modifications suggested").
	NoteCaption = "caption"
)

// Values of Proposal.Action and Proposer.Action.
const (
	ActionMOD = "MOD"
	ActionADD = "ADD"
	ActionSUP = "SUP"
	ActionNOC = "NOC"
)

// actionOnly returns SUP or NOC when a proposer's cell holds nothing but
// that word ("SUP", "(SUP)", "NOC.", "[Noc]"), or "".
func actionOnly(cell string) string {
	w := strings.ToUpper(strings.Trim(cell, " \t\n()[].:;,"))
	if w == ActionSUP || w == ActionNOC {
		return w
	}
	return ""
}
