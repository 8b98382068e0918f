package draft

import (
	"reflect"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
)

// ApplyEdit returns exactly what applying the op to the text and the
// authorship gives, attributed to the actor.
func TestApplyEditResult(t *testing.T) {
	text := "to [تعزيز] cooperation 👩🏽‍💻;"
	p := Paragraph{Text: text, Authors: Uniform(len([]rune(text)), AuthorOriginal), Status: StatusOpen}
	for _, c := range []struct {
		actor Actor
		op    ot.Op
	}{
		{Actor{Role: RoleChair}, ot.Op{{Skip: 3}, {Delete: 1}, {Skip: 5}, {Delete: 1}}},
		{Actor{Role: RoleDelegate, Delegation: "ARB"}, ot.Op{{Skip: 3}, {Insert: "[دعم] "}}},
		{Actor{Role: RoleAdmin}, ot.Op{{Insert: "«"}}},
	} {
		got, err := ApplyEdit(c.actor, p, c.op)
		if err != nil {
			t.Fatalf("%v: %v", c.actor, err)
		}
		wantText, _ := ot.Apply(text, c.op)
		wantRuns, _ := p.Authors.Apply(c.op, c.actor.Author())
		if got.Text != wantText || !reflect.DeepEqual(got.Authors, wantRuns) || got.Status != p.Status {
			t.Errorf("%v: got %q %v, want %q %v", c.actor, got.Text, got.Authors, wantText, wantRuns)
		}
	}
	if got, err := ApplyEdit(Actor{Role: RoleObserver}, p, nil); err != nil || got.Text != text {
		t.Errorf("empty op: %q %v", got.Text, err)
	}
	if _, err := ApplyEdit(Actor{Role: RoleDelegate, Delegation: "ARB"}, p, ot.Op{{Insert: "x"}}); err == nil {
		t.Error("insert outside brackets allowed")
	}
}
