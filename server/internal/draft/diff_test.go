package draft

import (
	"reflect"
	"strings"
	"testing"
)

func TestDiffWords(t *testing.T) {
	old := "to strengthen cooperation among Member States;"
	neu := "to [strengthen][enhance] international cooperation among States;"
	oldRuns := Uniform(len([]rune(old)), "original")
	got := DiffWords(old, oldRuns, neu, Uniform(len([]rune(neu)), "CEPT"))
	var ins, del []string
	for _, s := range got {
		switch s.Op {
		case "insert":
			ins = append(ins, s.Text)
			if !reflect.DeepEqual(s.Authors, []string{"CEPT"}) {
				t.Errorf("insert %q authors %v", s.Text, s.Authors)
			}
		case "delete":
			del = append(del, s.Text)
			if !reflect.DeepEqual(s.Authors, []string{"original"}) {
				t.Errorf("delete %q authors %v", s.Text, s.Authors)
			}
		}
	}
	// Reassembling the equal+insert segments gives the new text, and
	// equal+delete the old.
	var newText, oldText string
	for _, s := range got {
		if s.Op != "delete" {
			newText += s.Text
		}
		if s.Op != "insert" {
			oldText += s.Text
		}
	}
	if newText != neu || oldText != old {
		t.Fatalf("segments do not rebuild the texts:\n%q\n%q", newText, oldText)
	}
	if len(ins) == 0 || len(del) != 1 || strings.TrimSpace(del[0]) != "Member" {
		t.Fatalf("inserts %q deletes %q", ins, del)
	}
}

func TestDiffWordsScripts(t *testing.T) {
	for _, c := range []struct{ old, neu string }{
		{"", "نص جديد"},
		{"加强国际合作", "加强合作"},
		{"укрепление 👩🏽‍💻 сотрудничества", "укрепление сотрудничества 🇧🇷"},
		{"same", "same"},
	} {
		segs := DiffWords(c.old, Uniform(len([]rune(c.old)), "original"), c.neu, Uniform(len([]rune(c.neu)), "ARB"))
		var n, o string
		for _, s := range segs {
			if s.Op != "delete" {
				n += s.Text
			}
			if s.Op != "insert" {
				o += s.Text
			}
		}
		if n != c.neu || o != c.old {
			t.Errorf("%q → %q: rebuilt %q / %q", c.old, c.neu, o, n)
		}
	}
}
