package compile

import (
	"reflect"
	"testing"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// Headers of the flattened form whose cells run together, with the
// difficulties real ones have: multi-word names, names containing other
// names, parenthesised abbreviations, small misspellings, names in other
// languages and scripts.
func TestRunTogetherHeaders(t *testing.T) {
	type p struct{ code, name, action, ref string }
	tests := []struct {
		in   string
		ref  string
		want []p
	}{
		{
			"Original (Rev. Busan 2014) – full textAfrica Telecommunications Union --- MOD AFCP/12/1Asia-Pacific TelecommunityInter-American Telecommunication Commission (CITEL)Saudi ArabiaRegional Commonwealth --- ADD RCC/3/2",
			"Rev. Busan 2014",
			[]p{{"ATU", "Africa Telecommunications Union", "MOD", "AFCP/12/1"}, {"APT", "Asia-Pacific Telecommunity", "", ""},
				{"CITEL", "Inter-American Telecommunication Commission (CITEL)", "", ""}, {"SAU", "Saudi Arabia", "", ""},
				{"RCC", "Regional Commonwealth", "ADD", "RCC/3/2"}},
		},
		{
			"Original (Rev. Busan 2014)Papua New GuineaGuinea-BissauNigerNigeriaSouth SudanSudanDominican RepublicDominica",
			"Rev. Busan 2014",
			[]p{{"PNG", "Papua New Guinea", "", ""}, {"GNB", "Guinea-Bissau", "", ""}, {"NER", "Niger", "", ""}, {"NGA", "Nigeria", "", ""},
				{"SSD", "South Sudan", "", ""}, {"SDN", "Sudan", "", ""}, {"DOM", "Dominican Republic", "", ""}, {"DMA", "Dominica", "", ""}},
		},
		{
			"Original (Rev. Busan 2014)Arab State --- MOD ARB/7/1IndonisiaKingdom of Nowhere --- ADD KN/1/1Cuba",
			"Rev. Busan 2014",
			[]p{{"ARB", "Arab State", "MOD", "ARB/7/1"}, {"IDN", "Indonisia", "", ""}, {"", "Kingdom of Nowhere", "ADD", "KN/1/1"}, {"CUB", "Cuba", "", ""}},
		},
		{
			"Original (Rév. Busan 2014) - version complèteBrésil --- MOD B/75/4Fédération de RussieÉtats arabesUnion africaine des télécommunicationsCEPT --- MOD EUR/80A1/14",
			"Rév. Busan 2014",
			[]p{{"BRA", "Brésil", "MOD", "B/75/4"}, {"RUS", "Fédération de Russie", "", ""}, {"ARB", "États arabes", "", ""},
				{"ATU", "Union africaine des télécommunications", "", ""}, {"CEPT", "CEPT", "MOD", "EUR/80A1/14"}},
		},
		{
			"Original (Rev. Busan 2014)Estados Árabes --- MOD ARB/1/2Comisión Interamericana de Telecomunicaciones (CITEL)México",
			"Rev. Busan 2014",
			[]p{{"ARB", "Estados Árabes", "MOD", "ARB/1/2"}, {"CITEL", "Comisión Interamericana de Telecomunicaciones (CITEL)", "", ""}, {"MEX", "México", "", ""}},
		},
		{
			"Original (Rev. Busan 2014)البرازيل --- MOD B/75/4الاتحاد الروسيالدول العربية",
			"Rev. Busan 2014",
			[]p{{"BRA", "البرازيل", "MOD", "B/75/4"}, {"RUS", "الاتحاد الروسي", "", ""}, {"ARB", "الدول العربية", "", ""}},
		},
		{
			"Original (Rev. Busan 2014)巴西 --- MOD B/75/4俄罗斯联邦阿拉伯国家中国",
			"Rev. Busan 2014",
			[]p{{"BRA", "巴西", "MOD", "B/75/4"}, {"RUS", "俄罗斯联邦", "", ""}, {"ARB", "阿拉伯国家", "", ""}, {"CHN", "中国", "", ""}},
		},
		{
			"Original (Rev. Busan 2014)Российская Федерация --- MOD RUS/3/1Региональное содружество в области связиБразилия",
			"Rev. Busan 2014",
			[]p{{"RUS", "Российская Федерация", "MOD", "RUS/3/1"}, {"RCC", "Региональное содружество в области связи", "", ""}, {"BRA", "Бразилия", "", ""}},
		},
	}
	reg := delegation.Default()
	for _, tt := range tests {
		ref, got := parseTextHeader(tt.in, reg)
		var g []p
		for _, x := range got {
			g = append(g, p{x.Code, x.Name, x.Action, x.Ref})
		}
		if ref != tt.ref || !reflect.DeepEqual(g, tt.want) {
			t.Errorf("parseTextHeader(%q)\n = %q, %q\nwant %q", tt.in, ref, g, tt.want)
		}
	}
}

// How a name resolved is kept, so that the import can report fuzzy and
// abbreviated matches.
func TestHeaderMatchReported(t *testing.T) {
	_, got := parseTextHeader("Original (Rev. X)Africa Telecommunications Union --- MOD AFCP/1/1Delegation --- MOD B/1/2", delegation.Default())
	if len(got) != 2 {
		t.Fatalf("proposers = %+v", got)
	}
	if m := got[0].Match; m.How != delegation.MatchFuzzy || m.Key != "African Telecommunications Union" || m.Score < 0.9 {
		t.Errorf("ATU match = %+v", m)
	}
	if m := got[1].Match; got[1].Code != "BRA" || m.How != MatchByRef {
		t.Errorf("Delegation = %+v", got[1])
	}
}
