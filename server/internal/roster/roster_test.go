package roster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

var now = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	in := "\uFEFFrole,delegation,name,expires\n" +
		"chair,,Chair of WG-PLEN,\n" +
		"delegate,bra,Delegação do Brasil,2026-06-01\n" +
		"# a comment\n" +
		"\n" +
		"delegate,CEPT,,14d\n" +
		"delegate,ARB,الوفد العربي,\n" +
		"delegate,CHN,中国代表团 🇨🇳,72h\n" +
		"delegate,RUS,Делегация России,2026-06-01T18:00:00+02:00\n" +
		"observer,,\"Observer, press gallery\"\n"
	got, err := Parse([]byte(in), delegation.Default(), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Line: 2, Role: "chair", Name: "Chair of WG-PLEN"},
		{Line: 3, Role: "delegate", Delegation: "BRA", Name: "Delegação do Brasil", Expires: ptr(time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC))},
		{Line: 6, Role: "delegate", Delegation: "CEPT", Expires: ptr(now.Add(14 * 24 * time.Hour))},
		{Line: 7, Role: "delegate", Delegation: "ARB", Name: "الوفد العربي"},
		{Line: 8, Role: "delegate", Delegation: "CHN", Name: "中国代表团 🇨🇳", Expires: ptr(now.Add(72 * time.Hour))},
		{Line: 9, Role: "delegate", Delegation: "RUS", Name: "Делегация России", Expires: ptr(time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC))},
		{Line: 10, Role: "observer", Name: "Observer, press gallery"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Line != w.Line || g.Role != w.Role || g.Delegation != w.Delegation || g.Name != w.Name || (g.Expires == nil) != (w.Expires == nil) ||
			(g.Expires != nil && !g.Expires.Equal(*w.Expires)) {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestParseWithoutHeaderAndOtherSeparators(t *testing.T) {
	for name, in := range map[string]string{
		"comma":     "delegate,BRA,Brazil\ndelegate,CEPT,CEPT\n",
		"semicolon": "delegate;BRA;Brazil\r\ndelegate;CEPT;CEPT\r\n",
		"tab":       "delegate\tBRA\tBrazil\ndelegate\tCEPT\tCEPT\n",
		"reordered": "Name,Code,Role\nBrazil,BRA,delegate\nCEPT,CEPT,delegate\n",
	} {
		got, err := Parse([]byte(in), delegation.Default(), now)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != 2 || got[0].Delegation != "BRA" || got[0].Name != "Brazil" || got[1].Delegation != "CEPT" {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

func TestParseRefusesWithLineNumbers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"delegate,BRA,Brazil\ndelegate,XYZ,Nowhere\n", "line 2: unknown delegation code \"XYZ\""},
		{"delegate,BRA,Brazil\nchair,,Chair\ndelegate,bra,Brazil again\n", "line 3: delegation BRA is already on line 1"},
		{"delegate,Brazil,Brazil\n", "line 1: unknown delegation code \"BRAZIL\" (did you mean BRA, Brazil?)"},
		{"role,delegation\nemperor,\n", "line 2: unknown role \"emperor\""},
		{"admin,,Secretariat\n", "line 1: an admin is not bound to a document"},
		{"delegate,,Someone\n", "line 1: a delegate needs a delegation code"},
		{"observer,BRA,Press\n", "line 1: only delegates have a delegation"},
		{"chair,,Chair,2020-01-01\n", "line 1: expiry \"2020-01-01\" has passed"},
		{"chair,,Chair,soon\n", "line 1: expiry \"soon\": want a date"},
		{"chair,,Chair,,extra\n", "line 1: 5 cells, but a line holds at most 4"},
		{"role,team\nchair,x\n", "line 1: unknown column \"team\""},
		{"chair,,\"unterminated\n", "line 1:"},
		{"chair,,a\x00b\n", "control character (U+0000)"},
		{"chair,,\xff\n", "not UTF-8"},
		{"# only a comment\n\n", "names nobody"},
		{"chair,," + strings.Repeat("x", 201) + "\n", "longer than 200"},
	} {
		_, err := Parse([]byte(c.in), delegation.Default(), now)
		var es Errors
		if !errors.As(err, &es) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

// Every problem is reported (up to a limit), not only the first.
func TestParseReportsSeveralLines(t *testing.T) {
	_, err := Parse([]byte("delegate,XXA,a\ndelegate,BRA,b\ndelegate,XXB,c\n"), delegation.Default(), now)
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 || es[0].Line != 1 || es[1].Line != 3 {
		t.Fatalf("err = %#v", err)
	}
}

func TestParseExpiry(t *testing.T) {
	for _, ok := range []string{"2026-05-02", "1d", "90m", "2026-05-01T10:00:00Z"} {
		if _, err := ParseExpiry(ok, now); err != nil {
			t.Errorf("ParseExpiry(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0d", "-3h", "2026-04-30", "yesterday", "99999d", "2026-13-01"} {
		if _, err := ParseExpiry(bad, now); err == nil {
			t.Errorf("ParseExpiry(%q) accepted", bad)
		}
	}
}

func ptr[T any](v T) *T { return &v }
