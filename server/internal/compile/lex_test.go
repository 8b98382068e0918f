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
		{"a bis) that", "a bis)", "that"},
		{"abis) that", "abis)", "that"},
		{"a)", "a)", ""},
		{"7", "7", ""},
		{"2012-2015, and all", "", "2012-2015, and all"},
		{"1.5 GHz", "", "1.5 GHz"},
		{"1234 items", "", "1234 items"},
		{"§ 15 of the Tunis", "", "§ 15 of the Tunis"},
		{"ab) no", "", "ab) no"},
		{"iiii) no", "", "iiii) no"},
		{"the a) text", "", "the a) text"},
		{"a)text", "", "a)text"},
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
		{"recalling 'd) that the Assembly", "recalling", KindPreamble, "d) that the Assembly", true},
		{"resolves 3 ... does not", "resolves", KindOperative, "3 ... does not", true},
		{"instructs the Secretary-General", "instructs the Secretary-General", KindOperative, "", true},
		{"further instructs the Director of the Bureau and the", "further instructs the Director of the Bureau and the", KindOperative, "", true},
		{"instructs the Director of the Bureau to continue to review:", "instructs the Director of the Bureau", KindOperative, "to continue to review:", true},
		{"invites Member States, Sector Members and Associates", "invites Member States, Sector Members and Associates", KindOperative, "", true},
		{"invites Member States 2 to support the index", "invites Member States", KindOperative, "2 to support the index", true},
		{"invites member states: 2 to strengthen", "invites member states", KindOperative, "2 to strengthen", true},
		{"requests the Council", "requests the Council", KindOperative, "", true},
		{"encourages Member States", "encourages Member States", KindOperative, "", true},
		{"aware that ITU has a role", "", "", "", false},
		{"considering the need", "", "", "", false},
		{"resolves to establish a group", "", "", "", false},
		{"requests that the text be changed; and", "", "", "", false},
		{"security in the use of ICTs, invites ITU to pursue", "", "", "", false},
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
		{"d) first text of ICTs;f) that second text", []string{"d) first text of ICTs;", "f) that second text"}},
		{"in substitution to RCCa) that the text", []string{"in substitution to RCC", "a) that the text"}},
		{"a proposal in aware sectione) the text", []string{"a proposal in aware section", "e) the text"}},
		{"right to privacy”,a) United Nations", []string{"right to privacy”,", "a) United Nations"}},
		{"text;ii) that more", []string{"text;", "ii) that more"}},
		{"teams (CIRTs) in every country", []string{"teams (CIRTs) in every country"}},
		{"a culture of cybersecurity) of the ITU", []string{"a culture of cybersecurity) of the ITU"}},
		{"protection; ii) that undermine; and iii) that affect", []string{"protection; ii) that undermine; and iii) that affect"}},
		{"see (a) below", []string{"see (a) below"}},
		{"period (2010), and then", []string{"period (2010), and then"}},
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
		"see BR proposal on recognizing":       true,
		"Note: to be aligned with resolves 2":  true,
		"brazil have a proposal in aware":      true,
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
			[]Proposer{{"Brazil", "BRA", "MOD", "B/1/2"}, {"RCC", "RCC", "", ""}, {"Arb", "ARB", "", ""}, {"CEPT", "CEPT", "MOD", "EUR/3A1/4"}},
		},
		{
			"Original (Rev. Mexico 2022)\nAtlantis --- ADD ATL/1/1\nTürkiye",
			"Rev. Mexico 2022",
			[]Proposer{{"Atlantis", "", "ADD", "ATL/1/1"}, {"Türkiye", "TUR", "", ""}},
		},
		{
			"Original Cuba Brasil",
			"",
			[]Proposer{{"Cuba", "CUB", "", ""}, {"Brasil", "BRA", "", ""}},
		},
	}
	for _, tt := range tests {
		ref, got := parseTextHeader(tt.in, reg)
		if ref != tt.ref || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseTextHeader(%q) = %q, %+v", tt.in, ref, got)
		}
	}
}
