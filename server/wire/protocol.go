package wire

import (
	"encoding/json"
	"time"

	"github.com/draftroom/draftroom/server/ot"
)

// Message types of the live protocol (GET /api/v1/documents/{id}/live).
// Every frame is one JSON text message with a "type".
const (
	TypeWelcome  = "welcome"  // server → client, first frame
	TypeEdit     = "edit"     // client → server
	TypeAction   = "action"   // client → server (structure, status, proposals…)
	TypeOps      = "ops"      // server → client
	TypeError    = "error"    // server → client
	TypePresence = "presence" // both ways
)

// Op kinds carried in ops frames.
const (
	KindText = "text"
)

// Error codes of error frames.
const (
	CodeInvalid     = "invalid"
	CodeForbidden   = "forbidden"
	CodeNotFound    = "not_found"
	CodeStale       = "stale"
	CodeRateLimited = "rate_limited"
	CodeUnavailable = "unavailable"
)

// Close codes the server uses beyond RFC 6455's.
const (
	CloseSlow     = 4008 // the client did not read fast enough; reconnect with since=
	CloseAbuse    = 4009 // too many invalid frames
	CloseTooFast  = 4029 // a sustained flood of frames over the rate limit
	CloseRevoked  = 4010 // the token was revoked or expired
	CloseNotFound = 4004 // the document does not exist
)

// Envelope reads just the type of an incoming frame.
type Envelope struct {
	Type string `json:"type"`
}

// Welcome is the first frame. Document is null when the client connected
// with ?since=K and ops K+1… follow in an ops frame. Paras and People are
// the room's handles (handles.go): paragraph handle i is Paras[i], and
// who-handle i is People[i].
type Welcome struct {
	Type     string    `json:"type"`
	Seq      int64     `json:"seq"`
	You      You       `json:"you"`
	Paras    []string  `json:"paras"`
	People   []Person  `json:"people"`
	Document *Document `json:"document"`
}

// You describes the connected participant.
type You struct {
	Participant string `json:"participant"`
	Role        string `json:"role"`
	Delegation  string `json:"delegation"`
	Name        string `json:"name"`
}

// Edit is a text operation on one paragraph, made against document seq Base.
type Edit struct {
	Type  string `json:"type"`
	RefID string `json:"ref"`
	Para  string `json:"para"`
	Base  int64  `json:"base"`
	Op    ot.Op  `json:"op"`
}

// Ops carries committed ops in seq order, in their live form.
type Ops struct {
	Type string   `json:"type"`
	Ops  []LiveOp `json:"ops"`
}

// Op is one committed op, in full: the room's record of it, and what the
// history API serves. Ops frames carry it as a LiveOp (handles.go). For kind "text", Op is the text operation as
// applied (after transform) and Para its paragraph. Author is the
// authorship tag given to inserted text: a delegation code or "chair".
//
// A text op always carries "op", as [] when a transform left nothing to do
// (two people deleting the same words): Op is then empty but not nil, and
// omitzero keeps it. Other kinds leave Op nil, and "op" out.
type Op struct {
	Seq         int64           `json:"seq"`
	Kind        string          `json:"kind"`
	Para        string          `json:"para,omitempty"`
	Op          ot.Op           `json:"op,omitzero"`
	Author      string          `json:"author"`
	Delegation  string          `json:"delegation"`
	Participant string          `json:"participant,omitempty"`
	Ref         string          `json:"ref"`
	At          time.Time       `json:"at"`
	Data        json.RawMessage `json:"data,omitempty"` // kind-specific fields of non-text ops
}

// ErrorFrame refuses a client's message; Ref is the refused edit's ref.
type ErrorFrame struct {
	Type    string `json:"type"`
	Ref     string `json:"ref,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Rule names the drafting rule a refusal applies (draft's Rule* ids),
	// and Offset the place in the text it is about, in code points, when
	// there is one. The message says both in words; these are for
	// programs.
	Rule   string `json:"rule,omitempty"`
	Offset *int   `json:"offset,omitempty"`
	// RetryAfterMs, with code rate_limited, is how long to wait before
	// resending.
	RetryAfterMs int64 `json:"retry_after_ms,omitempty"`
}

// Presence lists who is connected and where. Observers (screens at the back
// of the room, often thousands) are counted, not listed.
type Presence struct {
	Type         string          `json:"type"`
	Participants []PresenceEntry `json:"participants"`
	Observers    int             `json:"observers"`
}

// PresenceEntry is one connected participant. H is its handle, the one
// its ops carry in "by".
type PresenceEntry struct {
	H           int     `json:"h"`
	Participant string  `json:"participant"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	Delegation  string  `json:"delegation"`
	Para        *string `json:"para"`
}

// PresenceUpdate is sent by a client when it moves to a paragraph (null: none).
type PresenceUpdate struct {
	Type string  `json:"type"`
	Para *string `json:"para"`
}
