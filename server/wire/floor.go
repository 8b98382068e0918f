package wire

// The floor (speakers' list): who has the floor, who asked for it, and
// whether only the delegation that has it may type. Each change is an
// action on the op stream (docs/protocol.md, "The floor").
const (
	KindFloorRequest  = "floor.request"
	KindFloorWithdraw = "floor.withdraw"
	KindFloorGive     = "floor.give"
	KindFloorClose    = "floor.close"
	KindFloorMode     = "floor.mode"
)

// Floor is the floor as the document carries it.
type Floor struct {
	// Speaking is the delegation that has the floor (null: nobody).
	Speaking *string `json:"speaking"`
	// Queue is who asked for the floor, in the order they asked; a
	// delegation is in it at most once.
	Queue []FloorRequest `json:"queue"`
	// Only: while true, only the delegation that has the floor (and the
	// chair) may change the text.
	Only bool `json:"only"`
}

// FloorRequest is one delegation asking for the floor.
type FloorRequest struct {
	Delegation string `json:"delegation"`
	// Para is the paragraph it asked to speak on ("" for none).
	Para string `json:"para,omitempty"`
	// At is when it asked (RFC 3339, UTC), "" when unknown.
	At string `json:"at,omitempty"`
}
