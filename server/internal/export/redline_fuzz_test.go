package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRedline checks the redline of any two texts: its unchanged and
// deleted pieces spell the original, its unchanged and inserted pieces
// the proposal.
func FuzzRedline(f *testing.F) {
	f.Add("to strengthen cooperation among Member States;", "to enhance international cooperation among Member States;")
	f.Add("أن الاتصالات ضرورية", "أن الاتصالات ضرورية جداً")
	f.Add("忆及决议", "忆及新决议")
	f.Add("", "a new text")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || len(a)+len(b) > 4000 {
			return
		}
		var old, cur strings.Builder
		for _, p := range Redline(a, b) {
			switch p.op {
			case opInsert:
				cur.WriteString(p.text)
			case opDelete:
				old.WriteString(p.text)
			default:
				old.WriteString(p.text)
				cur.WriteString(p.text)
			}
		}
		if old.String() != a || cur.String() != b {
			t.Fatalf("Redline(%q, %q) spells %q and %q", a, b, old.String(), cur.String())
		}
	})
}
