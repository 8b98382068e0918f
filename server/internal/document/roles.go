package document

import (
	"github.com/draftroom/draftroom/server/internal/draft"
)

// Power is something a participant may do to a document beyond reading
// it. Text edits are judged by draft.ApplyEdit, which knows the bracket
// rules; every other power is here.
type Power uint8

const (
	// Preside is the chair's: status, focus, structure, the floor, merging
	// and rejecting proposals, tabling for any delegation, changing anyone's
	// proposal, and freedom from the per-delegation and per-author limits.
	Preside Power = 1 << iota
	// Propose is a delegate's: tabling proposals for its own delegation,
	// and editing and withdrawing them.
	Propose
	// Annotate is adding notes.
	Annotate
	// Freeze is freezing versions (over HTTP).
	Freeze
	// Speak is a delegate's: asking for the floor for its own delegation,
	// and withdrawing the request. (Giving the floor, closing it and
	// floor-only typing are the chair's: Preside.)
	Speak
)

// powers maps each role to what it may do. It is the one place that does:
// an admin presides as the chair does.
var powers = map[draft.Role]Power{
	draft.RoleChair:      Preside | Annotate | Freeze,
	draft.RoleAdmin:      Preside | Annotate | Freeze,
	draft.RoleDelegate:   Propose | Speak,
	draft.RoleRapporteur: Annotate | Freeze,
	draft.RoleObserver:   0,
}

// PowersOf is what a role may do; an unknown role may do nothing.
func PowersOf(role draft.Role) Power { return powers[role] }

// RolesWith lists the roles that hold any of the powers p, for messages.
func RolesWith(p Power) []draft.Role {
	var out []draft.Role
	for _, r := range []draft.Role{draft.RoleChair, draft.RoleAdmin, draft.RoleDelegate, draft.RoleRapporteur, draft.RoleObserver} {
		if powers[r]&p != 0 {
			out = append(out, r)
		}
	}
	return out
}

// Actor is who asks for an action.
type Actor struct {
	Role       draft.Role
	Delegation string // a delegate's
	Name       string // shown as a note's author
}

// Can reports whether the actor holds any of the powers p.
func (a Actor) Can(p Power) bool { return PowersOf(a.Role)&p != 0 }

// Draft is the actor as the drafting rules see it.
func (a Actor) Draft() draft.Actor { return draft.Actor{Role: a.Role, Delegation: a.Delegation} }

// Author is the authorship tag of the text the actor writes.
func (a Actor) Author() string { return a.Draft().Author() }

// chair is the actor a merge acts as: the chair merges.
var chair = Actor{Role: draft.RoleChair}
