package delegation

import (
	"strings"
	"testing"
)

// Every delegation has a name in each of the six languages: the groups
// from names.csv, the Member States from CLDR.
func TestNamesInSixLanguages(t *testing.T) {
	for _, d := range Default().All() {
		for _, lang := range Languages {
			n := d.Names[lang]
			if n == "" {
				t.Errorf("%s has no name in %s", d.Code, lang)
				continue
			}
			if got, ok := Default().Resolve(n); !ok || got.Code != d.Code {
				t.Errorf("%s's %s name %q resolves to %q, %v", d.Code, lang, n, got.Code, ok)
			}
		}
		if d.NameIn("en-GB") != d.Name || d.NameIn("de") != d.Name {
			t.Errorf("%s: NameIn falls back wrongly: %q, %q", d.Code, d.NameIn("en-GB"), d.NameIn("de"))
		}
	}
}

func TestResolveOtherLanguages(t *testing.T) {
	tests := map[string]string{
		// CLDR short names.
		"Brésil": "BRA", "Brasil": "BRA", "Бразилия": "BRA", "البرازيل": "BRA", "巴西": "BRA",
		"Arabie saoudite": "SAU", "Arabia Saudí": "SAU", "Саудовская Аравия": "SAU", "المملكة العربية السعودية": "SAU", "沙特阿拉伯": "SAU",
		"Côte d’Ivoire": "CIV", "ساحل العاج": "CIV", "科特迪瓦": "CIV",
		// Long forms and the groups, from names.csv.
		"Fédération de Russie": "RUS", "Federación de Rusia": "RUS", "Российская Федерация": "RUS", "الاتحاد الروسي": "RUS", "俄罗斯联邦": "RUS",
		"Union africaine des télécommunications": "ATU", "Unión Africana de Telecomunicaciones": "ATU", "Африканский союз электросвязи": "ATU",
		"Estados Árabes": "ARB", "États arabes": "ARB", "Арабские государства": "ARB", "الدول العربية": "ARB", "阿拉伯国家": "ARB",
		"Региональное содружество в области связи": "RCC", "РСС": "RCC", "区域通信联合体": "RCC",
		"Comisión Interamericana de Telecomunicaciones": "CITEL", "СИТЕЛ": "CITEL",
		// Arabic spelling variants: hamza on alif, tatweel, vowel marks.
		"الاتحاد الافريقي للاتصالات": "ATU", "البرازيــل": "BRA", "البَرازيل": "BRA",
		// Russian ё.
		"Соединённые Штаты Америки": "USA",
	}
	r := Default()
	for in, want := range tests {
		if d, ok := r.Resolve(in); !ok || d.Code != want {
			t.Errorf("Resolve(%q) = %q, %v; want %s", in, d.Code, ok, want)
		}
	}
	if d := mustGet(t, "BRA"); d.NameIn("fr") != "Brésil" || d.NameIn("zh") != "巴西" || d.NameIn("ar") != "البرازيل" {
		t.Errorf("Brazil's names: %v", d.Names)
	}
	if d := mustGet(t, "ARB"); d.NameIn("es") != "Estados Árabes" || d.NameIn("ru") != "Арабские государства" {
		t.Errorf("Arab States' names: %v", d.Names)
	}
}

func mustGet(t *testing.T, code string) Delegation {
	t.Helper()
	d, ok := Default().Get(code)
	if !ok {
		t.Fatalf("no %s", code)
	}
	return d
}

// Run-together names in scripts without capitals split at the longest
// known name.
func TestMatchPrefixUncased(t *testing.T) {
	tests := []struct {
		in   string
		want string
		n    int
	}{
		{"巴西俄罗斯联邦阿拉伯国家", "BRA", len("巴西")},
		{"俄罗斯联邦阿拉伯国家", "RUS", len("俄罗斯联邦")},
		{"阿拉伯国家", "ARB", len("阿拉伯国家")},
		{"البرازيلالاتحاد الروسي", "BRA", len("البرازيل")},
		{"الاتحاد الروسيالدول العربية", "RUS", len("الاتحاد الروسي")},
		{"Fédération de RussieBrésil", "RUS", len("Fédération de Russie")},
		{"Российская ФедерацияБразилия", "RUS", len("Российская Федерация")},
	}
	r := Default()
	for _, tt := range tests {
		d, n, ok := r.MatchPrefix(tt.in)
		if !ok || d.Code != tt.want || n != tt.n {
			t.Errorf("MatchPrefix(%q) = %s, %d, %v; want %s, %d", tt.in, d.Code, n, ok, tt.want, tt.n)
		}
	}
}

func TestResolveLoose(t *testing.T) {
	tests := []struct {
		in, want, how string
	}{
		{"Brazil", "BRA", MatchExact},
		{"CEPT (as amended)", "CEPT", MatchQualified},
		{"Inter-American Telecommunication Commission (CITEL)", "CITEL", MatchQualified},
		{"Comisión Interamericana de Telecommunicaciones (CITEL)", "CITEL", MatchAbbreviation},
		{"Africa Telecommunications Union", "ATU", MatchFuzzy},
		{"Arab State", "ARB", MatchFuzzy},
		{"Indonisia", "IDN", MatchFuzzy},
		{"Union africaine des telecomunications", "ATU", MatchFuzzy},
		// Fragments and near-ties resolve to nothing.
		{"Telecommunications Union", "", ""},
		{"Guinia", "", ""},
		{"Republic", "", ""},
		{"Mali Cuba", "", ""},
		{"Kingdom of Nowhere", "", ""},
	}
	r := Default()
	for _, tt := range tests {
		d, m, ok := r.ResolveLoose(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("ResolveLoose(%q) = %s (%+v), want nothing", tt.in, d.Code, m)
			}
			continue
		}
		if !ok || d.Code != tt.want || m.How != tt.how {
			t.Errorf("ResolveLoose(%q) = %s, %+v, %v; want %s by %s", tt.in, d.Code, m, ok, tt.want, tt.how)
		}
		if m.How == MatchFuzzy && (m.Score < MinFuzzyScore || m.Score >= 1 || m.Key == "") {
			t.Errorf("ResolveLoose(%q): fuzzy match %+v", tt.in, m)
		}
	}
}

func TestParseNamesErrors(t *testing.T) {
	rows := "code,kind,iso3,symbol,name,aliases\nBRA,state,BRA,B,Brazil,\nCUB,state,CUB,CUB,Cuba,\n"
	for _, tt := range []struct{ names, want string }{
		{"code,lang,name\n", "header"},
		{"code,lang,name,aliases\nXXX,fr,Nulle part,\n", `unknown code "XXX"`},
		{"code,lang,name,aliases\nBRA,de,Brasilien,\n", `language "de"`},
		{"code,lang,name,aliases\nBRA,fr,Cuba,\n", "collides"},
		{"code,lang,name,aliases\nBRA,fr,Brésil,|\n", "empty name"},
	} {
		_, err := ParseAll(strings.NewReader(rows), strings.NewReader(tt.names), false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("names %q: err = %v, want %q", tt.names, err, tt.want)
		}
	}
}

// FuzzParseNames reads arbitrary names data after valid rows: an error or
// a registry whose every name resolves to its delegation.
func FuzzParseNames(f *testing.F) {
	f.Add("code,lang,name,aliases\nBRA,fr,Brésil,Brasil|Bresil\n")
	f.Add("code,lang,name,aliases\nCUB,zh,古巴,\nBRA,ar,البرازيل,\n")
	f.Add("code,lang,name\n")
	rows := "code,kind,iso3,symbol,name,aliases\nBRA,state,BRA,B,Brazil,\nCUB,state,CUB,CUB,Cuba,\n"
	f.Fuzz(func(t *testing.T, names string) {
		r, err := ParseAll(strings.NewReader(rows), strings.NewReader(names), false)
		if err != nil {
			return
		}
		for _, d := range r.All() {
			for lang, n := range d.Names {
				if got, ok := r.Resolve(n); !ok || got.Code != d.Code {
					t.Fatalf("%s's %s name %q resolves to %q, %v", d.Code, lang, n, got.Code, ok)
				}
			}
		}
	})
}
