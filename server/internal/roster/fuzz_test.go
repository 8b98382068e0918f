package roster

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// FuzzParse: any input is either refused with line-numbered errors or read
// into entries that hold to the roster's rules.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"role,delegation,name,expires\nchair,,Chair,\ndelegate,BRA,Brazil,2026-06-01\n",
		"delegate;CEPT;CEPT\r\nobserver;;Press\r\n",
		"delegate\tBRA\tBrazil\n",
		"\"a\"\"b\",BRA\n",
		"# c\n\ndelegate,BRA,x,14d\n",
	} {
		f.Add([]byte(s))
	}
	reg := delegation.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data, reg, now)
		if err != nil {
			es, ok := err.(Errors)
			if !ok || len(es) == 0 || len(es) > maxErrors {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range got {
			if e.Line < 1 || !validRole(e.Role) || (e.Role == "delegate") != (e.Delegation != "") || seen[e.Delegation] && e.Delegation != "" {
				t.Fatalf("bad entry %+v", e)
			}
			if _, ok := reg.Get(e.Delegation); e.Delegation != "" && !ok {
				t.Fatalf("unknown delegation in %+v", e)
			}
			if !utf8.ValidString(e.Name) || strings.ContainsRune(e.Name, 0) || utf8.RuneCountInString(e.Name) > MaxName {
				t.Fatalf("bad name in %+v", e)
			}
			if e.Expires != nil && !e.Expires.After(now) {
				t.Fatalf("expired entry %+v", e)
			}
			seen[e.Delegation] = true
		}
	})
}
