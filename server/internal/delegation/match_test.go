package delegation

import "testing"

func TestMatchPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for no match
		n    int
	}{
		// A flattened header row, taken apart cell by cell.
		{"Brazil --- MOD B/75/4RCCArbIndonesiaCubaCEPT --- MOD EUR/80A1/14", "BRA", 6},
		{"RCCArbIndonesiaCubaCEPT --- MOD EUR/80A1/14", "RCC", 3},
		{"ArbIndonesiaCubaCEPT --- MOD EUR/80A1/14", "ARB", 3},
		{"IndonesiaCubaCEPT --- MOD EUR/80A1/14", "IDN", 9},
		{"CubaCEPT --- MOD EUR/80A1/14", "CUB", 4},
		{"CEPT --- MOD EUR/80A1/14", "CEPT", 4},

		{"CEPT", "CEPT", 4},
		{"Brazil", "BRA", 6},
		{"BRAZIL", "BRA", 6},   // no case-sensitive match, so case is ignored
		{"brazil:", "BRA", 6},  // ends at a non-letter
		{"BRA/75/4", "BRA", 3}, // code
		{"United States of America (USA)", "USA", 24},
		{"United StatesCanada", "USA", 13},
		{"United KingdomUnited States", "GBR", 14},
		{"GermanyFrance", "DEU", 7},
		{"Korea (Rep. of)Japan", "KOR", 15},
		{"Iran (Islamic Republic of)Iraq", "IRN", 26},
		{"Côte d'IvoireCuba", "CIV", len("Côte d'Ivoire")},
		{"Cote d'IvoireCuba", "CIV", len("Cote d'Ivoire")},
		{"Côte d’Ivoire", "CIV", len("Côte d’Ivoire")},
		{"COTE D'IVOIRE", "CIV", len("COTE D'IVOIRE")},
		{"Co\u0302te d'Ivoire", "CIV", len("Co\u0302te d'Ivoire")},
		{"TürkiyeBrazil", "TUR", len("Türkiye")},
		{"Cuba\u0301", "CUB", len("Cuba\u0301")}, // decomposed accent taken along
		{"Cuba\u0301CEPT", "CUB", len("Cuba\u0301")},
		{"TurkiyeBrazil", "TUR", len("Turkiye")},
		{"Viet NamLao P.D.R.", "VNM", 8},
		{"Lao P.D.R.Cuba", "LAO", 10},
		{"United\u00a0\u00a0States", "USA", len("United\u00a0\u00a0States")},
		{"Arab States", "ARB", 11},
		{"Arab StatesAPT", "ARB", 11},
		{"Arab Group/ARB", "ARB", 10},
		{"Democratic Republic of the CongoCongo", "COD", 32},
		{"CongoDemocratic Republic of the Congo", "COG", 5},

		// Symbols and short aliases are never used.
		{"B/75/4", "", 0},
		{"EUR/80A1/14", "", 0},
		{"UK proposal", "", 0},
		{"D", "", 0},

		// A match must not end inside a word.
		{"Cuban", "", 0},
		{"Indiana", "", 0},
		{"Canadian", "", 0},
		{"Chadian", "", 0},
		{"Nigerian", "", 0},
		{"USACEPT", "", 0}, // no case change to split at
		{"Cuba\u0301n", "", 0},

		{"", "", 0},
		{" Brazil", "", 0},
		{"MOD", "", 0},
		{"\xff\xfe", "", 0},
	}
	for _, tt := range tests {
		d, n, ok := Default().MatchPrefix(tt.in)
		if ok != (tt.want != "") || d.Code != tt.want || n != tt.n {
			t.Errorf("MatchPrefix(%q) = %q, %d, %v; want %q, %d", tt.in, d.Code, n, ok, tt.want, tt.n)
		}
	}
}

// The header row of the brief, walked as a caller would: take a match,
// skip what is not a delegation, repeat.
func TestMatchPrefixWalk(t *testing.T) {
	s := "Brazil --- MOD B/75/4RCCArbIndonesiaCubaCEPT --- MOD EUR/80A1/14"
	var got []string
	for i := 0; i < len(s); {
		if d, n, ok := Default().MatchPrefix(s[i:]); ok {
			got = append(got, d.Code)
			i += n
			continue
		}
		i++
	}
	want := []string{"BRA", "RCC", "ARB", "IDN", "CUB", "CEPT"}
	if len(got) != len(want) {
		t.Fatalf("walk found %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("walk found %v, want %v", got, want)
		}
	}
}

func TestAtBoundary(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want bool
	}{
		{"Cuba", 4, true},
		{"CubaCEPT", 4, true},
		{"Cuban", 4, false},
		{"RCCArb", 3, true},
		{"RCCARB", 3, false},
		{"RCC", 3, true},
		{"RCC/1", 3, true},
		{"Cuba1", 4, true},
		{"P.D.R.Cuba", 6, true},
		{"CubaÉtat", 4, true},
		{"Cubaé", 4, false},
		{"Cuba\u0301", 4, false},
		{"Cuba\u0301X", 6, true},
		{"Cuba\u0301x", 6, false},
	}
	for _, tt := range tests {
		if got := atBoundary(tt.s, tt.n); got != tt.want {
			t.Errorf("atBoundary(%q, %d) = %v, want %v", tt.s, tt.n, got, tt.want)
		}
	}
}
