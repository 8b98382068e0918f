package document

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// The floor (speakers' list). A delegate asks for the floor for its own
// delegation, optionally on a paragraph, once at a time, and may withdraw
// the request; the chair gives the floor (to anyone on the list or not:
// a delegation may raise its flag in the room), removes requests, closes
// the floor and switches floor-only typing. While floor-only typing is on,
// a delegate's text edit is refused unless its delegation has the floor
// (mayType). Proposals stay open to every delegation: tabling, editing or
// withdrawing one changes no text on the screen, and the chair alone puts
// it into the text.

// RuleFloorOnly is the rule id of a refusal under floor-only typing.
const RuleFloorOnly = "floor-only"

type floor struct {
	speaking string // a delegation code, "" for nobody
	queue    []wire.FloorRequest
	only     bool
}

func floorFromWire(f *wire.Floor) floor {
	if f == nil {
		return floor{}
	}
	out := floor{only: f.Only, queue: append([]wire.FloorRequest(nil), f.Queue...)}
	if f.Speaking != nil {
		out.speaking = *f.Speaking
	}
	return out
}

func (f *floor) toWire() *wire.Floor {
	w := &wire.Floor{Queue: append([]wire.FloorRequest{}, f.queue...), Only: f.only}
	if f.speaking != "" {
		s := f.speaking
		w.Speaking = &s
	}
	return w
}

func (f floor) clone() floor {
	f.queue = append([]wire.FloorRequest(nil), f.queue...)
	return f
}

// index is where delegation d is on the list, or -1.
func (f *floor) index(d string) int {
	return slices.IndexFunc(f.queue, func(q wire.FloorRequest) bool { return q.Delegation == d })
}

func (f *floor) remove(d string) error {
	i := f.index(d)
	if i < 0 {
		return fmt.Errorf("%s is not on the speakers' list", d)
	}
	f.queue = append(f.queue[:i:i], f.queue[i+1:]...)
	return nil
}

// names reports whether a request names paragraph para.
func (f *floor) names(para string) bool {
	return slices.ContainsFunc(f.queue, func(q wire.FloorRequest) bool { return q.Para == para })
}

// forget drops paragraph para from the requests that name it (it was
// deleted); the requests stay.
func (f *floor) forget(para string) {
	if !f.names(para) {
		return
	}
	q := append([]wire.FloorRequest(nil), f.queue...)
	for i := range q {
		if q[i].Para == para {
			q[i].Para = ""
		}
	}
	f.queue = q
}

// mayType refuses a delegate's text edit while floor-only typing is on and
// its delegation does not have the floor. The chair is never refused;
// the roles that may not edit at all are refused by the drafting rules.
func (f *floor) mayType(who Actor) error {
	if !f.only || !who.Can(Speak) || who.Delegation == "" || who.Delegation == f.speaking {
		return nil
	}
	msg := "Only the delegation that has the floor may change the text now, and nobody has the floor. Ask for the floor to make your change."
	if f.speaking != "" {
		msg = fmt.Sprintf("Only the delegation that has the floor may change the text now: %s has it. Ask for the floor to make your change.", f.speaking)
	}
	return &draft.RuleError{Code: wire.CodeForbidden, Rule: RuleFloorOnly, Message: msg, Offset: draft.NoOffset}
}

// Who may not ask for the floor or withdraw a request, and why.
func floorAskRefusal(who Actor) error {
	if who.Can(Preside) {
		return forbidden("only delegations ask for the floor; the chair gives it")
	}
	return forbidden("only delegations ask for the floor")
}

func floorWithdrawRefusal(Actor) error {
	return forbidden("only a delegation or the chair may withdraw a request for the floor")
}

func decideFloorRequest(c *call) (wire.OpData, Touched, error) {
	d := c.who.Delegation
	if d == "" {
		return wire.OpData{}, Touched{}, forbidden("a delegate must belong to a delegation to ask for the floor")
	}
	fl := &c.doc.floor
	if i := fl.index(d); i >= 0 {
		return wire.OpData{}, Touched{}, invalid("%s has already asked for the floor (number %d on the speakers' list)", d, i+1)
	}
	if n := len(fl.queue); n >= c.env.Limits.MaxFloorQueue {
		return wire.OpData{}, Touched{}, invalid("the speakers' list is full (%d requests, the limit): the chair must give the floor or remove requests first", n)
	}
	data := wire.OpData{Delegation: d}
	if c.f.Para != "" {
		p, err := c.para(c.f.Para)
		if err != nil {
			return wire.OpData{}, Touched{}, err
		}
		data.Para = p.id
	}
	if c.env.Now != nil {
		// Microseconds: what PostgreSQL keeps, so a reload reads the same.
		data.At = c.env.Now().UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
	}
	return data, Touched{Floor: true}, nil
}

func applyFloorRequest(m *Model, d wire.OpData) error {
	if d.Delegation == "" || m.floor.index(d.Delegation) >= 0 {
		return fmt.Errorf("floor request of %q: missing or already on the list", d.Delegation)
	}
	if d.Para != "" && m.paras[d.Para] == nil {
		return fmt.Errorf("floor request on paragraph %s: no such paragraph", d.Para)
	}
	m.floor.queue = append(m.floor.queue[:len(m.floor.queue):len(m.floor.queue)],
		wire.FloorRequest{Delegation: d.Delegation, Para: d.Para, At: d.At})
	return nil
}

func decideFloorWithdraw(c *call) (wire.OpData, Touched, error) {
	d := code(c.f.Delegation)
	if !c.who.Can(Preside) {
		if d != "" && d != c.who.Delegation {
			return wire.OpData{}, Touched{}, forbidden("delegates may only withdraw their own delegation's request for the floor")
		}
		d = c.who.Delegation
	}
	if d == "" {
		return wire.OpData{}, Touched{}, invalid("delegation is required: whose request for the floor to remove")
	}
	if c.doc.floor.index(d) < 0 {
		return wire.OpData{}, Touched{}, invalid("%s is not on the speakers' list", d)
	}
	return wire.OpData{Delegation: d}, Touched{Floor: true}, nil
}

func applyFloorWithdraw(m *Model, d wire.OpData) error { return m.floor.remove(d.Delegation) }

func decideFloorGive(c *call) (wire.OpData, Touched, error) {
	d := code(c.f.Delegation)
	if d == "" {
		return wire.OpData{}, Touched{}, invalid("delegation is required: who gets the floor")
	}
	if _, ok := c.env.delegation(d); !ok {
		return wire.OpData{}, Touched{}, invalid("unknown delegation %q", d)
	}
	return wire.OpData{Delegation: d}, Touched{Floor: true}, nil
}

// applyFloorGive gives the floor, taking the delegation off the list.
func applyFloorGive(m *Model, d wire.OpData) error {
	if d.Delegation == "" {
		return fmt.Errorf("no delegation")
	}
	m.floor.speaking = d.Delegation
	if m.floor.index(d.Delegation) >= 0 {
		return m.floor.remove(d.Delegation)
	}
	return nil
}

func decideFloorClose(*call) (wire.OpData, Touched, error) {
	return wire.OpData{}, Touched{Floor: true}, nil
}

func applyFloorClose(m *Model, _ wire.OpData) error {
	m.floor.speaking = ""
	return nil
}

func decideFloorMode(c *call) (wire.OpData, Touched, error) {
	if c.f.Only == nil {
		return wire.OpData{}, Touched{}, invalid("only is required: true limits typing to the delegation that has the floor, false lifts it")
	}
	only := *c.f.Only
	return wire.OpData{Only: &only}, Touched{Floor: true}, nil
}

func applyFloorMode(m *Model, d wire.OpData) error {
	if d.Only == nil {
		return fmt.Errorf("no only")
	}
	m.floor.only = *d.Only
	return nil
}

// code is a delegation code as typed: trimmed, upper case.
func code(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
