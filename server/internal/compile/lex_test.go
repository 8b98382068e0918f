package compile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

func TestSplitLabel(t *testing.T) {
	tests := []struct{ in, label, rest string }{
		{"a) the text", "a)", "the text"},
		{"(b) the text", "(b)", "the text"},
		{"iii) facilitate", "iii)", "facilitate"},
		{"12 to report", "12", "to report"},
		{"3) to report", "3)", "to report"},
		{"4. to report", "4.", "to report"},
		{"1 bis to report", "1 bis", "to report"},
		{"1 bistable circuits", "1", "bistable circuits"},
		{"a bis) that", "a bis)", "that"},
		{"abis) that", "abis)", "that"},
		{"a)", "a)", ""},
		{"7", "7", ""},
		{"2012-2015, and all", "", "2012-2015, and all"},
		{"1.5 GHz", "", "1.5 GHz"},
		{"1234 items", "", "1234 items"},
		{"§ 7 of the Charter", "", "§ 7 of the Charter"},
		{"ab) no", "", "ab) no"},
		{"iiii) no", "", "iiii) no"},
		{"the a) text", "", "the a) text"},
		{"a)text", "", "a)text"},
		// Labels in the scripts of the six languages.
		{"б) что связь", "б)", "что связь"},
		{"(в) что", "(в)", "что"},
		{"أ) أن الاتصالات", "أ)", "أن الاتصالات"},
		{"هـ) أن", "هـ)", "أن"},
		{"١٢ أن يواصل", "١٢", "أن يواصل"},
		{"۳) أن", "۳)", "أن"},
		{"a） 考虑", "a）", "考虑"},
		{"（b） 考虑", "（b）", "考虑"},
		{"бб) нет", "", "бб) нет"},
		{"и) что", "и)", "что"},
	}
	for _, tt := range tests {
		label, rest, ok := splitLabel(tt.in)
		if label != tt.label || rest != tt.rest || ok != (tt.label != "") {
			t.Errorf("splitLabel(%q) = %q, %q, %v", tt.in, label, rest, ok)
		}
	}
}

func TestLabelSeq(t *testing.T) {
	tests := []struct {
		name   string
		labels []string // "label:" marks a paragraph ending with a colon
		want   []bool
	}{
		{"letters", []string{"a)", "b)", "c)"}, []bool{true, true, true}},
		{"back", []string{"a)", "b)", "c)", "d)", "e)", "d)"}, []bool{true, true, true, true, true, false}},
		{"skip", []string{"a)", "c)"}, []bool{true, false}},
		{"nested", []string{"1:", "i)", "ii)", "2", "3:", "a)", "b)", "4"}, []bool{true, true, true, true, true, true, true, true}},
		{"nest needs colon", []string{"1", "a)"}, []bool{true, false}},
		{"letter i", []string{"g)", "h)", "i)", "j)"}, []bool{true, true, true, true}},
		{"roman after colon", []string{"h:", "i)", "ii)", "i)"}, []bool{true, true, true, true}},
		{"repeat", []string{"1", "2", "2"}, []bool{true, true, false}},
		{"bis", []string{"1", "1 bis", "2"}, []bool{true, true, true}},
		{"start anywhere", []string{"e)", "f)"}, []bool{true, true}},
	}
	for _, tt := range tests {
		var q labelSeq
		colon := false
		for i, l := range tt.labels {
			next := ""
			if i+1 < len(tt.labels) {
				next = strings.TrimSuffix(tt.labels[i+1], ":")
			}
			label := strings.TrimSuffix(l, ":")
			if label == "h" {
				label = "h)"
			}
			got := q.accept(label, romanNext(label, next), colon)
			if got != tt.want[i] {
				t.Errorf("%s: label %d %q: accept = %v", tt.name, i, label, got)
			}
			colon = strings.HasSuffix(l, ":")
		}
	}
}

func TestDetectHeading(t *testing.T) {
	tests := []struct {
		in         string
		text, kind string
		rest       string
		ok         bool
	}{
		{"RECALLING", "RECALLING", KindPreamble, "", true},
		{"BEARING IN MIND", "BEARING IN MIND", KindPreamble, "", true},
		{"FURTHER CONSIDERING", "FURTHER CONSIDERING", KindPreamble, "", true},
		{"AWARE", "AWARE", KindPreamble, "", true},
		{"RESOLVES", "RESOLVES", KindOperative, "", true},
		{"INSTRUCTS THE SECRETARY-GENERAL", "INSTRUCTS THE SECRETARY-GENERAL", KindOperative, "", true},
		{"recalling", "recalling", KindPreamble, "", true},
		{"noting further", "noting further", KindPreamble, "", true},
		{"recalling 'e) the Convention", "recalling", KindPreamble, "e) the Convention", true},
		{"resolves 2 ... shall not", "resolves", KindOperative, "2 ... shall not", true},
		{"instructs the Secretary-General", "instructs the Secretary-General", KindOperative, "", true},
		{"further instructs the Director of the Bureau and the", "further instructs the Director of the Bureau and the", KindOperative, "", true},
		{"instructs the Director of the Bureau to keep under review:", "instructs the Director of the Bureau", KindOperative, "to keep under review:", true},
		{"invites Member States, operators and academia", "invites Member States, operators and academia", KindOperative, "", true},
		{"invites Member States 3 to share warning data", "invites Member States", KindOperative, "3 to share warning data", true},
		{"invites member states: 4 to cooperate", "invites member states", KindOperative, "4 to cooperate", true},
		{"requests the Council", "requests the Council", KindOperative, "", true},
		{"encourages Member States", "encourages Member States", KindOperative, "", true},
		{"aware that the Union plays a part", "", "", "", false},
		{"considering the need", "", "", "", false},
		{"resolves to establish a group", "", "", "", false},
		{"requests that the text be changed; and", "", "", "", false},
		{"resilience of networks, invites operators to act", "", "", "", false},
		{"CEPT", "", "", "", false},
		{"WSIS+10", "", "", "", false},
		{"the Council", "", "", "", false},
	}
	for _, tt := range tests {
		h, ok := detectHeading(tt.in)
		if ok != tt.ok || (ok && (h.text != tt.text || h.kind != tt.kind || h.rest != tt.rest)) {
			t.Errorf("detectHeading(%q) = %+v, %v", tt.in, h, ok)
		}
	}
}

func TestGlue(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"d) people at risk;c) that sirens fail", []string{"d) people at risk;", "c) that sirens fail"}},
		{"could replace the CEPT texta) that early warning", []string{"could replace the CEPT text", "a) that early warning"}},
		{"could replace the RCCa) that early warning", []string{"could replace the RCC", "a) that early warning"}},
		{"reach the public”,b) Sendai Framework", []string{"reach the public”,", "b) Sendai Framework"}},
		{"text;ii) that more", []string{"text;", "ii) that more"}},
		{"operators (MNOs) in every country", []string{"operators (MNOs) in every country"}},
		{"a network of sensors) of the agency", []string{"a network of sensors) of the agency"}},
		{"floods; ii) that warn; and iii) that reach", []string{"floods; ii) that warn; and iii) that reach"}},
		{"see (a) below", []string{"see (a) below"}},
		{"period (2010), and then", []string{"period (2010), and then"}},
		// Numbered items glued after the punctuation that ended the last.
		{"to the Council on progress;4 to share data", []string{"to the Council on progress;", "4 to share data"}},
		{"as agreed:12 that networks", []string{"as agreed:", "12 that networks"}},
		{"of the plan;2 'instructs the Council", []string{"of the plan;", "2 'instructs the Council"}},
		{"in 1.5 GHz and No.81 of the Convention", []string{"in 1.5 GHz and No.81 of the Convention"}},
		{"the plan; 3 to act", []string{"the plan; 3 to act"}},
		{"связи;б) что сети", []string{"связи;", "б) что сети"}},
		{"الطوارئ؛ب) أن الشبكات", []string{"الطوارئ؛", "ب) أن الشبكات"}},
	}
	for _, tt := range tests {
		if got := splitGlued(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitGlued(%q) = %q", tt.in, got)
		}
	}
}

func TestIsRemark(t *testing.T) {
	reg := delegation.Default()
	for in, want := range map[string]bool{
		"see the Brazilian text in resolves":   true,
		"Note: to be aligned with resolves 2":  true,
		"brazil has a text under noting":       true,
		"CEPT proposes to delete this":         true,
		"Cuba's proposal goes further":         true,
		"seeks to improve the situation":       false,
		"Brazilian networks are at risk":       false,
		"that the Arab States region is large": false,
	} {
		if got := isRemark(in, reg); got != want {
			t.Errorf("isRemark(%q) = %v", in, got)
		}
	}
}

func TestRowNumbers(t *testing.T) {
	lines := strings.Split("ABC\n1\nTitle\n2\nOriginal\n3\nRESOLVES\n4\n1\nto act\n2\nto report\n3\nto review\n5\n6\nReasons: x", "\n")
	got := rowNumbers(lines)
	want := map[int]int{1: 1, 3: 2, 5: 3, 7: 4, 14: 5, 15: 6}
	for i, v := range got {
		if v != want[i] {
			t.Errorf("line %d %q: row %d, want %d", i+1, lines[i], v, want[i])
		}
	}
}

func TestTextHeader(t *testing.T) {
	reg := delegation.Default()
	tests := []struct {
		in   string
		ref  string
		want []Proposer
	}{
		{
			"Original (Rev. Dubai 2018) - full textBrazil --- MOD B/1/2RCCArbCEPT --- MOD EUR/3A1/4",
			"Rev. Dubai 2018",
			[]Proposer{{Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/1/2"}, {Name: "RCC", Code: "RCC", Action: "", Ref: ""}, {Name: "Arb", Code: "ARB", Action: "", Ref: ""}, {Name: "CEPT", Code: "CEPT", Action: "MOD", Ref: "EUR/3A1/4"}},
		},
		{
			"Original (Rev. Mexico 2022)\nAtlantis --- ADD ATL/1/1\nTürkiye",
			"Rev. Mexico 2022",
			[]Proposer{{Name: "Atlantis", Code: "", Action: "ADD", Ref: "ATL/1/1"}, {Name: "Türkiye", Code: "TUR", Action: "", Ref: ""}},
		},
		{
			"Original\n(Rev. Mexico 2022)\n- complete\nCuba\nAtlantis",
			"Rev. Mexico 2022",
			[]Proposer{{Name: "Cuba", Code: "CUB", Action: "", Ref: ""}, {Name: "Atlantis", Code: "", Action: "", Ref: ""}},
		},
		{
			"Original (Rev. X)Atlantis --- ADD ATL/1/1Lemuria",
			"Rev. X",
			[]Proposer{{Name: "Atlantis", Code: "", Action: "ADD", Ref: "ATL/1/1"}, {Name: "Lemuria", Code: "", Action: "", Ref: ""}},
		},
		{
			"Original Cuba Brasil",
			"",
			[]Proposer{{Name: "Cuba", Code: "CUB", Action: "", Ref: ""}, {Name: "Brasil", Code: "BRA", Action: "", Ref: ""}},
		},
	}
	for _, tt := range tests {
		ref, got := parseTextHeader(tt.in, reg)
		if ref != tt.ref || !reflect.DeepEqual(withoutMatch(got), tt.want) {
			t.Errorf("parseTextHeader(%q) = %q, %+v", tt.in, ref, got)
		}
	}
}

func TestProposerCell(t *testing.T) {
	reg := delegation.Default()
	tests := map[string]Proposer{
		"Brazil --- MOD B/75/4":      {Name: "Brazil", Code: "BRA", Action: "MOD", Ref: "B/75/4"},
		"CEPT – MOD EUR/80A1/14":     {Name: "CEPT", Code: "CEPT", Action: "MOD", Ref: "EUR/80A1/14"},
		"Brazil (B/75/4)":            {Name: "Brazil", Code: "BRA", Action: "", Ref: "B/75/4"},
		"Asia-Pacific":               {Name: "Asia-Pacific", Code: "APT", Action: "", Ref: ""},
		"Arab States (as corrected)": {Name: "Arab States (as corrected)", Code: "ARB", Action: "", Ref: ""},
		"Kingdom of Nowhere --- ADD": {Name: "Kingdom of Nowhere", Code: "", Action: "ADD", Ref: ""},
		"Delegation --- MOD B/1/2":   {Name: "Delegation", Code: "BRA", Action: "MOD", Ref: "B/1/2"},
		"Côte d'Ivoire":              {Name: "Côte d'Ivoire", Code: "CIV", Action: "", Ref: ""},
	}
	for in, want := range tests {
		if got := parseProposerCell(in, reg); withoutMatch([]Proposer{got})[0] != want {
			t.Errorf("parseProposerCell(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// The title from the file name, when nothing in the file names the
// resolution.
func TestTitleFromFilename(t *testing.T) {
	for in, want := range map[string]string{
		"early_warning.txt":            "early warning",
		"/tmp/Res-139 compilation.csv": "Res 139 compilation",
		`C:\Docs\draft_res_47.xlsx`:    "draft res 47",
		"000_0f00c6b0aef442b4.txt":     "",
		"upload.bin":                   "",
		"-":                            "",
		"":                             "",
	} {
		if got := titleFromFilename(in); got != want {
			t.Errorf("titleFromFilename(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]string{
		"fr": "fr", "FR-fr": "fr", "zh-Hans": "zh", "French": "fr", "Français": "fr", "العربية": "ar",
		"French (fr)": "fr", "de": "", "": "", "klingon": "",
	} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// A cell holding only the action word, in its spellings.
func TestActionOnly(t *testing.T) {
	for in, want := range map[string]string{
		"SUP": "SUP", "(SUP)": "SUP", "NOC.": "NOC", "[Noc]": "NOC", " sup ": "SUP",
		"MOD": "", "SUP this": "", "SUPPRESS": "", "": "",
	} {
		if got := actionOnly(in); got != want {
			t.Errorf("actionOnly(%q) = %q, want %q", in, got, want)
		}
	}
}
