package delegation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const head = "code,kind,iso3,symbol,name,aliases\n"

func TestParse(t *testing.T) {
	in := "\uFEFF" + head +
		"# comments and blank lines are skipped\n" +
		"\n" +
		"KOR,state,KOR,KOR,Korea (Republic of),\"Republic of Korea|Korea, Republic of\"\n" +
		"BRA,state,BRA,B,Brazil, Brasil | Federative Republic of Brazil \n" +
		"CEPT,group,,EUR,European Conference of Postal and Telecommunications Administrations,Europe\n" +
		"FJI,state,FJI,FJI,Fiji,\n"
	r, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range r.All() {
		codes = append(codes, d.Code)
	}
	if got, want := strings.Join(codes, " "), "CEPT BRA FJI KOR"; got != want {
		t.Errorf("All() codes = %s, want %s", got, want)
	}
	bra, ok := r.Get("BRA")
	if !ok {
		t.Fatal("BRA missing")
	}
	if bra.Name != "Brazil" || bra.Symbol != "B" || bra.Kind != KindState || bra.ISO3 != "BRA" {
		t.Errorf("BRA = %+v", bra)
	}
	if got := strings.Join(bra.Aliases, "|"); got != "Brasil|Federative Republic of Brazil" {
		t.Errorf("BRA aliases = %q", got)
	}
	if fji, _ := r.Get("FJI"); len(fji.Aliases) != 0 {
		t.Errorf("FJI aliases = %q, want none", fji.Aliases)
	}
	if d, ok := r.Resolve("korea, republic of"); !ok || d.Code != "KOR" {
		t.Errorf("Resolve of a quoted alias with a comma = %s, %v", d.Code, ok)
	}
	if d, ok := r.ResolveRef("EUR/1/1"); !ok || d.Code != "CEPT" {
		t.Errorf("ResolveRef(EUR/1/1) = %s, %v", d.Code, ok)
	}
}

func TestParseEmptyRegistry(t *testing.T) {
	r, err := Parse(strings.NewReader(head))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.All()); n != 0 {
		t.Errorf("got %d delegations, want 0", n)
	}
	if _, _, ok := r.MatchPrefix("Brazil"); ok {
		t.Error("empty registry matched")
	}
}

func TestParseErrors(t *testing.T) {
	bra := "BRA,state,BRA,B,Brazil,Brasil\n"
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{"empty", "", []string{"missing header"}},
		{"only comments", "# nothing\n", []string{"missing header"}},
		{"bad header", "code,kind,iso,symbol,name,aliases\n" + bra, []string{"line 1", "header"}},
		{"header after comment", "# x\ncode,kind\n", []string{"line 2", "header"}},
		{"too few fields", head + bra + "CUB,state,CUB,CUB,Cuba\n", []string{"line 3", "want 6 fields", "got 5"}},
		{"too many fields", head + "CUB,state,CUB,CUB,Cuba,,x\n", []string{"line 2", "got 7"}},
		{"bare quote", head + "CUB,state,CUB,CUB,Cu\"ba,\n", []string{"line 2"}},
		{"unterminated quote", head + bra + "CUB,state,CUB,CUB,\"Cuba,\n", []string{"line 3"}},
		{"lower-case code", head + "bra,state,BRA,B,Brazil,\n", []string{"line 2", "code \"bra\""}},
		{"empty code", head + ",state,BRA,B,Brazil,\n", []string{"line 2", "code"}},
		{"unknown kind", head + "BRA,country,BRA,B,Brazil,\n", []string{"line 2", "unknown kind \"country\""}},
		{"short iso3", head + "BRA,state,BR,B,Brazil,\n", []string{"line 2", "iso3 \"BR\""}},
		{"digits in iso3", head + "BR1,state,BR1,B,Brazil,\n", []string{"line 2", "iso3"}},
		{"iso3 differs from code", head + "BRZ,state,BRA,B,Brazil,\n", []string{"line 2", "ISO 3166-1 alpha-3"}},
		{"group with iso3", head + "CEPT,group,EUR,EUR,CEPT,\n", []string{"line 2", "iso3 must be empty"}},
		{"empty symbol", head + "BRA,state,BRA,,Brazil,\n", []string{"line 2", "symbol"}},
		{"lower-case symbol", head + "BRA,state,BRA,b,Brazil,\n", []string{"line 2", "symbol"}},
		{"empty name", head + "BRA,state,BRA,B, ,\n", []string{"line 2", "name is empty"}},
		{"dots for a name", head + "BRA,state,BRA,B,...,\n", []string{"line 2", "name is empty"}},
		{"empty alias", head + "BRA,state,BRA,B,Brazil,Brasil||Brésil\n", []string{"line 2", "empty alias"}},
		{"invalid UTF-8", head + "BRA,state,BRA,B,Bra\xffzil,\n", []string{"line 2", "UTF-8"}},
		{"duplicate code", head + bra + "# between\n" + bra, []string{"line 4", "duplicate code \"BRA\"", "line 2"}},
		{"duplicate symbol", head + bra + "BRB,state,BRB,B,Barbados,\n", []string{"line 3", "symbol \"B\"", "BRA (line 2)"}},
		{"alias collides with alias", head + bra + "PRT,state,PRT,POR,Portugal,Brasil\n",
			[]string{"line 3", "alias \"Brasil\"", "alias \"Brasil\" of BRA (line 2)"}},
		{"alias collides with name", head + bra + "PRT,state,PRT,POR,Portugal,brazil\n",
			[]string{"line 3", "name \"Brazil\" of BRA"}},
		{"collision ignoring accents", head + "CIV,state,CIV,CTI,Côte d'Ivoire,\n" + "CTX,state,CTX,CTX,Cote d’Ivoire,\n",
			[]string{"line 3", "name \"Cote d’Ivoire\"", "CIV (line 2)"}},
		{"name collides with another code", head + bra + "PRT,state,PRT,POR,Bra,\n", []string{"line 3", "code \"BRA\""}},
		{"alias collides with another code", head + "INS,state,INS,INS,Insula,\n" + "IDN,state,IDN,INS2,Indonesia,Ins\n",
			[]string{"line 3", "alias \"Ins\"", "INS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded with %d delegations, want an error", len(r.All()))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseEmbeddedData(t *testing.T) {
	if _, err := Parse(strings.NewReader(embedded)); err != nil {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(head + "BRA,state,BRA,B,Brazil,Brasil\n"))
	f.Add([]byte(head + "CEPT,group,,EUR,European Conference,\"Europe|Europa, CEPT\"\n"))
	f.Add([]byte(head + "CIV,state,CIV,CTI,Côte d'Ivoire,Cote d'Ivoire\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		for _, d := range r.All() {
			if got, ok := r.Get(d.Code); !ok || got.Code != d.Code {
				t.Fatalf("Get(%q) = %q, %v", d.Code, got.Code, ok)
			}
			if got, ok := r.BySymbol(d.Symbol); !ok || got.Code != d.Code {
				t.Fatalf("BySymbol(%q) = %q, %v", d.Symbol, got.Code, ok)
			}
			for _, k := range append([]string{d.Name, d.Code, d.Symbol}, d.Aliases...) {
				if got, ok := r.Resolve(k); !ok || got.Code != d.Code {
					t.Fatalf("Resolve(%q) = %q, %v; want %q", k, got.Code, ok, d.Code)
				}
			}
			got, n, ok := r.MatchPrefix(d.Name)
			if n < 0 || n > len(d.Name) {
				t.Fatalf("MatchPrefix(%q) length %d out of range", d.Name, n)
			}
			if utf8.RuneCountInString(d.Name) >= minPrefixRunes && (!ok || got.Code != d.Code || n != len(d.Name)) {
				t.Fatalf("MatchPrefix(%q) = %q, %d, %v; want %q, %d", d.Name, got.Code, n, ok, d.Code, len(d.Name))
			}
		}
		// Arbitrary text must not make the lookups panic either.
		s := string(data)
		r.Resolve(s)
		r.ResolveRef(s)
		for i := 0; i < len(s) && i < 256; i++ {
			if _, n, ok := r.MatchPrefix(s[i:]); ok && (n <= 0 || n > len(s)-i) {
				t.Fatalf("MatchPrefix(%q) length %d out of range", s[i:], n)
			}
		}
	})
}
