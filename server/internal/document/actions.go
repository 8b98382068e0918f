package document

import (
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// An action kind, in one row of kinds: who may ask for it, how a request
// is decided against the document, and how the op it becomes applies to
// a model. A new action kind is a file with its decide and apply
// functions, and one row below.
type kind struct {
	// may: the actor must hold one of these powers (0: the kind is made by
	// the server, never asked for as an action).
	may Power
	// refuse is the refusal when the actor holds none of them.
	refuse func(Actor) error
	decide func(*call) (wire.OpData, Touched, error)
	apply  func(*Model, wire.OpData) error
}

var kinds = map[string]kind{
	wire.KindStatus:           {Preside, statusRefusal, decideStatus, applyStatus},
	wire.KindFocus:            {Preside, chairOnly("move the focus"), decideFocus, applyFocus},
	wire.KindParagraphInsert:  {Preside, chairOnly("add paragraphs"), decideParagraphInsert, applyParagraphInsert},
	wire.KindParagraphDelete:  {Preside, chairOnly("delete paragraphs"), decideParagraphDelete, applyParagraphDelete},
	wire.KindParagraphMove:    {Preside, chairOnly("move paragraphs"), decideParagraphMove, applyParagraphMove},
	wire.KindParagraphRelabel: {Preside, chairOnly("relabel paragraphs"), decideParagraphRelabel, applyParagraphRelabel},
	wire.KindSectionInsert:    {Preside, chairOnly("add sections"), decideSectionInsert, applySectionInsert},
	wire.KindSectionRename:    {Preside, chairOnly("rename sections"), decideSectionRename, applySectionRename},
	wire.KindNoteAdd:          {Annotate, refusal("only the chair and the rapporteur add notes"), decideNote, applyNote},
	wire.KindProposalTable:    {Propose | Preside, notProposer, decideTable, applyProposal},
	wire.KindProposalEdit:     {Propose | Preside, notProposer, decideEdit, applyProposal},
	wire.KindProposalWithdraw: {Propose | Preside, notProposer, decideWithdraw, applyProposal},
	wire.KindProposalReject:   {Preside, chairOnlyProposals("reject a proposal"), decideReject, applyProposal},
	wire.KindProposalMerge:    {Preside, chairOnlyProposals("merge a proposal"), decideMerge, applyMerge},
	wire.KindProposalAssign:   {Preside, chairOnlyProposals("assign a proposal's proposer"), decideAssign, applyProposal},
	wire.KindProposalReopen:   {Preside, chairOnlyProposals("reopen a rejected proposal"), decideReopen, applyProposal},
	wire.KindProposalUnmerge:  {Preside, chairOnlyProposals("undo a merge"), decideUnmerge, applyUnmerge},
	wire.KindBracketsKeep:     {Preside | Propose, editRefusal, decideKeep, applyTextData},
	wire.KindBracketsAccept:   {Preside | Propose, editRefusal, decideAccept, applyTextData},
	wire.KindBracketsDrop:     {Preside | Propose, editRefusal, decideDrop, applyTextData},
	wire.KindVersionFreeze:    {0, nil, nil, applyNothing},
	wire.KindFloorRequest:     {Speak, floorAskRefusal, decideFloorRequest, applyFloorRequest},
	wire.KindFloorWithdraw:    {Speak | Preside, floorWithdrawRefusal, decideFloorWithdraw, applyFloorWithdraw},
	wire.KindFloorGive:        {Preside, chairOnly("give the floor"), decideFloorGive, applyFloorGive},
	wire.KindFloorClose:       {Preside, chairOnly("close the floor"), decideFloorClose, applyFloorClose},
	wire.KindFloorMode:        {Preside, chairOnly("switch floor-only typing"), decideFloorMode, applyFloorMode},
}

// Env is what deciding an action needs from outside the document.
type Env struct {
	Limits Limits
	// NewID makes the id of a new paragraph, section, proposal or note
	// (nil: a random UUID).
	NewID func() string
	// Delegation names a delegation by its code, or reports it unknown
	// (nil: the registry of ITU Member States and regional groups).
	Delegation func(code string) (name string, ok bool)
	// Now is when a request for the floor is made (nil: no time is
	// recorded with it).
	Now func() time.Time
	// Recent gives the ops at hand, in seq order, up to the model's seq
	// (nil: none): undoing a merge looks there for the merge and the
	// edits after it.
	Recent func() []wire.Op
}

func (e *Env) newID() string {
	if e.NewID == nil {
		return uuid.NewString()
	}
	return e.NewID()
}

func (e *Env) delegation(code string) (string, bool) {
	if e.Delegation == nil {
		d, ok := delegation.Default().Get(code)
		return d.Name, ok
	}
	return e.Delegation(code)
}

// Touched names what an op changed, so that a commit writes just those
// rows (see Rows).
type Touched struct {
	Paras     []string // text, label, status or position
	Sections  []string // the section itself and its paragraphs' positions
	Proposals []string
	Notes     []string
	Deleted   []string // paragraphs
	// DeletedNotes are notes taken away (undoing a merge).
	DeletedNotes []string
	Focus        bool // the chair's focus
	Floor        bool // the floor
}

// call is one action being decided.
type call struct {
	doc *Model
	who Actor
	f   wire.ActionFields
	env *Env
}

// Decide checks an action against the actor's powers, the document and
// its limits, and says what it does: the op's data, and what it touches.
// A refusal is an *Error or a *draft.RuleError.
func Decide(m *Model, who Actor, kindName string, f wire.ActionFields, env *Env) (wire.OpData, Touched, error) {
	k, ok := kinds[kindName]
	if !ok || k.decide == nil {
		return wire.OpData{}, Touched{}, invalid("unknown action kind %q", kindName)
	}
	if !who.Can(k.may) {
		return wire.OpData{}, Touched{}, k.refuse(who)
	}
	return k.decide(&call{doc: m, who: who, f: f, env: env})
}

func refusal(msg string) func(Actor) error {
	return func(Actor) error { return forbidden("%s", msg) }
}

func chairOnly(what string) func(Actor) error { return refusal("only the chair may " + what) }

// notProposer refuses the roles that may not touch proposals at all.
func notProposer(who Actor) error {
	return forbidden("a %s may not table or change proposals", who.Role)
}

// chairOnlyProposals refuses a delegate what only the chair does to
// proposals, and the other roles as notProposer does.
func chairOnlyProposals(what string) func(Actor) error {
	return func(who Actor) error {
		if who.Can(Propose) {
			return forbidden("only the chair may %s", what)
		}
		return notProposer(who)
	}
}

// statusRefusal is the drafting rules' own refusal of a status change.
func statusRefusal(who Actor) error {
	return draft.CheckStatus(who.Draft(), draft.Paragraph{}, draft.StatusOpen)
}

func applyNothing(*Model, wire.OpData) error { return nil }

// para finds the paragraph an action names.
func (c *call) para(id string) (*para, error) {
	if id == "" {
		return nil, invalid("para is required")
	}
	p := c.doc.paras[id]
	if p == nil {
		return nil, notFound("no paragraph %q in this document", id)
	}
	return p, nil
}

// proposal finds the proposal an action names.
func (c *call) proposal() (*proposal, error) {
	pr := c.doc.proposals[c.f.Proposal]
	if c.f.Proposal == "" || pr == nil {
		return nil, notFound("no proposal %q in this document", c.f.Proposal)
	}
	return pr, nil
}

// section finds the section an action names.
func (c *call) section(id string) (*section, error) {
	sec := c.doc.secs[id]
	if sec == nil {
		return nil, notFound("no section %q", id)
	}
	return sec, nil
}
