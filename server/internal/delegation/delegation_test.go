package delegation

import (
	"regexp"
	"slices"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// Some tests read the registry from many goroutines; none may outlive
// them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDefaultData(t *testing.T) {
	all := Default().All()

	var states, groups []Delegation
	for _, d := range all {
		switch d.Kind {
		case KindState:
			states = append(states, d)
		case KindGroup:
			groups = append(groups, d)
		default:
			t.Errorf("%s: unexpected kind %q", d.Code, d.Kind)
		}
	}
	if len(states) != 193 {
		t.Errorf("got %d states, want the 193 ITU Member States", len(states))
	}

	wantGroups := []Delegation{
		{Code: "APT", Symbol: "ACP", Name: "Asia-Pacific Telecommunity"},
		{Code: "ARB", Symbol: "ARB", Name: "Arab States"},
		{Code: "ATU", Symbol: "AFCP", Name: "African Telecommunications Union"},
		{Code: "CEPT", Symbol: "EUR", Name: "European Conference of Postal and Telecommunications Administrations"},
		{Code: "CITEL", Symbol: "IAP", Name: "Inter-American Telecommunication Commission"},
		{Code: "RCC", Symbol: "RCC", Name: "Regional Commonwealth in the field of Communications"},
	}
	if len(groups) != len(wantGroups) {
		t.Fatalf("got %d groups, want %d", len(groups), len(wantGroups))
	}
	for i, want := range wantGroups {
		g := groups[i]
		if g.Code != want.Code || g.Symbol != want.Symbol || g.Name != want.Name || g.ISO3 != "" {
			t.Errorf("group %d = %+v, want code %s, symbol %s, name %q and no ISO3",
				i, g, want.Code, want.Symbol, want.Name)
		}
	}

	iso3 := regexp.MustCompile(`^[A-Z]{3}$`)
	codes, symbols := map[string]bool{}, map[string]bool{}
	for _, d := range all {
		if d.Kind == KindState {
			if !iso3.MatchString(d.ISO3) {
				t.Errorf("%s: ISO3 %q is not three upper-case letters", d.Code, d.ISO3)
			}
			if d.Code != d.ISO3 {
				t.Errorf("%s: code differs from ISO3 %q", d.Code, d.ISO3)
			}
		}
		if d.Symbol == "" {
			t.Errorf("%s: empty symbol", d.Code)
		}
		if d.Name == "" {
			t.Errorf("%s: empty name", d.Code)
		}
		if codes[d.Code] {
			t.Errorf("duplicate code %s", d.Code)
		}
		if symbols[d.Symbol] {
			t.Errorf("duplicate symbol %s", d.Symbol)
		}
		codes[d.Code], symbols[d.Symbol] = true, true
	}

	// All documents its order: groups, then states, each sorted by code.
	if !slices.IsSortedFunc(all, func(a, b Delegation) int {
		if a.Kind != b.Kind {
			if a.Kind == KindGroup {
				return -1
			}
			return 1
		}
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	}) {
		t.Error("All is not groups then states, each sorted by code")
	}
}

// Every name, alias, code and symbol must lead back to its own delegation;
// Parse rejects collisions, and this guards the data against a Resolve that
// folds differently from Parse.
func TestDefaultDataSelfConsistent(t *testing.T) {
	r := Default()
	for _, d := range r.All() {
		keys := append([]string{d.Code, d.Name, d.Symbol}, d.Aliases...)
		for _, k := range keys {
			if got, ok := r.Resolve(k); !ok || got.Code != d.Code {
				t.Errorf("Resolve(%q) = %s, %v; want %s", k, got.Code, ok, d.Code)
			}
		}
		if got, ok := r.Get(d.Code); !ok || got.Code != d.Code {
			t.Errorf("Get(%q) = %s, %v", d.Code, got.Code, ok)
		}
		if got, ok := r.BySymbol(d.Symbol); !ok || got.Code != d.Code {
			t.Errorf("BySymbol(%q) = %s, %v; want %s", d.Symbol, got.Code, ok, d.Code)
		}
		if got, n, ok := r.MatchPrefix(d.Name); !ok || got.Code != d.Code || n != len(d.Name) {
			t.Errorf("MatchPrefix(%q) = %s, %d, %v; want %s, %d", d.Name, got.Code, n, ok, d.Code, len(d.Name))
		}
	}
}

func TestSymbols(t *testing.T) {
	tests := map[string]string{
		"BRA": "B", "DEU": "D", "FRA": "F", "GBR": "G", "USA": "USA", "JPN": "J",
		"CHN": "CHN", "RUS": "RUS", "ITA": "I", "ESP": "E", "KEN": "KEN", "AUS": "AUS",
		"CAN": "CAN", "IND": "IND", "IDN": "INS", "CUB": "CUB", "SWE": "S", "NLD": "HOL",
		"CHE": "SUI", "SAU": "ARS", "ZAF": "AFS", "KOR": "KOR", "PRK": "KRE", "VNM": "VTN",
		"MEX": "MEX", "ARE": "UAE", "DZA": "ALG", "CIV": "CTI", "VAT": "CVA",
	}
	r := Default()
	for code, sym := range tests {
		d, ok := r.Get(code)
		if !ok {
			t.Errorf("Get(%q): not found", code)
			continue
		}
		if d.Symbol != sym {
			t.Errorf("%s: symbol %q, want %q", code, d.Symbol, sym)
		}
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for not found
	}{
		{"BRA", "BRA"},
		{"bra", "BRA"},
		{" cept ", "CEPT"},
		{"Arb", "ARB"},
		{"Brazil", ""}, // a name, not a code
		{"B", ""},      // a symbol, not a code
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := Default().Get(tt.in)
		if ok != (tt.want != "") || d.Code != tt.want {
			t.Errorf("Get(%q) = %q, %v; want %q", tt.in, d.Code, ok, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for not found
	}{
		{"Arb", "ARB"},
		{"Arab States", "ARB"},
		{"Arab Group", "ARB"},
		{"ARB", "ARB"},
		{"Brazil", "BRA"},
		{"Brasil", "BRA"},
		{"brazil.", "BRA"},
		{"BRA", "BRA"},
		{"B", "BRA"},
		{"CEPT", "CEPT"},
		{"Europe", "CEPT"},
		{"EUR", "CEPT"},
		{"Indonesia", "IDN"},
		{"INS", "IDN"},
		{"United States", "USA"},
		{"  united \t STATES ", "USA"},
		{"USA", "USA"},
		{"United States of America", "USA"},
		{"U.S.A.", "USA"},
		{"UK", "GBR"},
		{"United Kingdom", "GBR"},
		{"G", "GBR"},
		{"Russia", "RUS"},
		{"Russian Federation", "RUS"},
		{"Iran", "IRN"},
		{"Iran (Islamic Republic of)", "IRN"},
		{"Korea (Rep. of)", "KOR"},
		{"Republic of Korea", "KOR"},
		{"South Korea", "KOR"},
		{"Korea (Republic of)", "KOR"},
		{"Türkiye", "TUR"},
		{"Turkiye", "TUR"},
		{"TÜRKIYE", "TUR"},
		{"Turkey", "TUR"},
		{"Côte d'Ivoire", "CIV"},
		{"Cote d'Ivoire", "CIV"},
		{"Côte d’Ivoire", "CIV"},       // typographic apostrophe
		{"Co\u0302te d'Ivoire", "CIV"}, // decomposed accent
		{"COTE D'IVOIRE", "CIV"},
		{"Viet Nam", "VNM"},
		{"Vietnam", "VNM"},
		{"Việt Nam", "VNM"},
		{"China", "CHN"},
		{"People's Republic of China", "CHN"},
		{"São Tomé and Príncipe", "STP"},
		{"Sao Tome and Principe", "STP"},
		{"Lao P.D.R", "LAO"},
		{"Lao P.D.R.", "LAO"},
		{"Netherlands (Kingdom of the)", "NLD"},
		{"HOL", "NLD"},
		{"Switzerland", "CHE"},
		{"Korea, Republic of", "KOR"},
		{"Democratic People's Republic of Korea", "PRK"},
		{"Dem. Rep. of the Congo", "COD"},
		{"Congo", "COG"},
		{"Guinea-Bissau", "GNB"},
		{"Guinea–Bissau", "GNB"}, // en dash
		{"Holy See", "VAT"},
		{"Asia-Pacific Telecommunity", "APT"},
		{"ACP", "APT"},
		{"CITEL", "CITEL"},
		{"IAP", "CITEL"},
		{"AFCP", "ATU"},
		{"RCC", "RCC"},
		{"Bra\u00ADzil", "BRA"}, // soft hyphen from a word processor
		{"Korea", ""},           // ambiguous on purpose
		{"Atlantis", ""},
		{"", ""},
		{".", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		d, ok := Default().Resolve(tt.in)
		if ok != (tt.want != "") || d.Code != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, d.Code, ok, tt.want)
		}
	}
}

func TestBySymbol(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"B", "BRA"},
		{"b", "BRA"},
		{"EUR", "CEPT"},
		{"ARB", "ARB"},
		{"ACP", "APT"},
		{"AFCP", "ATU"},
		{"IAP", "CITEL"},
		{"RCC", "RCC"},
		{"G", "GBR"},
		{"D", "DEU"},
		{"HOL", "NLD"},
		{"SUI", "CHE"},
		{"INS", "IDN"},
		{"BRA", ""}, // the ISO code, not the symbol
		{"CEPT", ""},
		{"X", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := Default().BySymbol(tt.in)
		if ok != (tt.want != "") || d.Code != tt.want {
			t.Errorf("BySymbol(%q) = %q, %v; want %q", tt.in, d.Code, ok, tt.want)
		}
	}
}

func TestResolveRef(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"B/75/4", "BRA"},
		{"EUR/80A1/14", "CEPT"},
		{"ACP/75A1/1", "APT"},
		{"AFCP/79A25/1", "ATU"},
		{"IAP/44A1/1", "CITEL"},
		{"RCC/85A1/1", "RCC"},
		{"ARB/64A1/3", "ARB"},
		{"USA/12/3", "USA"},
		{" J/20/1", "JPN"},
		{"INS/33/2", "IDN"},
		{"B", ""}, // no '/': not a reference
		{"/75/4", ""},
		{"BRA/75/4", ""},
		{"XYZ/1/2", ""},
		{"", ""},
	}
	for _, tt := range tests {
		d, ok := Default().ResolveRef(tt.in)
		if ok != (tt.want != "") || d.Code != tt.want {
			t.Errorf("ResolveRef(%q) = %q, %v; want %q", tt.in, d.Code, ok, tt.want)
		}
	}
}

// The registry is shared by every request handler.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Default()
			for range 50 {
				if _, ok := r.Resolve("Brazil"); !ok {
					t.Error("Resolve(Brazil) failed")
				}
				if _, _, ok := r.MatchPrefix("RCCArbIndonesia"); !ok {
					t.Error("MatchPrefix failed")
				}
				_ = r.All()
			}
		}()
	}
	wg.Wait()
}

func TestReturnedValuesAreCopies(t *testing.T) {
	r := Default()
	d, _ := r.Get("BRA")
	d.Aliases[0] = "Mutated"
	all := r.All()
	all[0].Aliases = nil
	if again, _ := r.Get("BRA"); again.Aliases[0] == "Mutated" {
		t.Error("changing a returned Delegation changed the registry")
	}
	if again := r.All(); again[0].Aliases == nil {
		t.Error("changing the slice from All changed the registry")
	}
}
