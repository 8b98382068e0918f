package draft

import (
	"strings"
	"testing"

	"github.com/draftroom/draftroom/server/ot"
)

func TestMergeMod(t *testing.T) {
	tests := []struct {
		name              string
		current, proposed string
		want              string
	}{
		{"identical", "The Conference decides to act.", "The Conference decides to act.", "The Conference decides to act."},
		{"whitespace only", "The  Conference\tdecides", "The Conference decides", "The  Conference\tdecides"},
		{"one word", "The Conference decides to act.", "The Conference agrees to act.", "The Conference [decides][agrees] to act."},
		{"several words", "a b c d e", "a x y e", "a [b c d][x y] e"},
		{"addition", "to act now", "to act quickly now", "to act [quickly] now"},
		{"addition at end", "to act", "to act now.", "to act [now.]"},
		{"addition at end keeps proposer's separator", "to act", "to act\nnow", "to act\n[now]"},
		{"addition at start", "act now", "please act now", "[please] act now"},
		{"addition after trailing space", "to act ", "to act now", "to act [now]"},
		{"deletion", "to act quickly now", "to act now", "to act [quickly] now"},
		{"deletion at end", "a b c", "a b", "a b [c]"},
		{"deletion at start", "please act now", "act now", "[please] act now"},
		{"everything differs", "foo", "bar", "[foo][bar]"},
		{"empty current", "", "new text", "[new text]"},
		{"whitespace current", "  ", "new", "[new]  "},
		{"empty proposed", "old text", "", "[old text]"},
		{"leading and trailing spaces stay out", "  old text  ", "  new text  ", "  [old][new] text  "},
		{"arabic", "يقرر المؤتمر تعزيز التعاون", "يقرر المؤتمر توطيد التعاون", "يقرر المؤتمر [تعزيز][توطيد] التعاون"},
		{"arabic addition", "يقرر المؤتمر التعاون", "يقرر المؤتمر تعزيز التعاون", "يقرر المؤتمر [تعزيز] التعاون"},
		{"chinese replacement", "决定采取行动", "同意采取行动", "[决定][同意]采取行动"},
		{"chinese addition", "加强合作", "加强国际合作", "加强[国际]合作"},
		{"chinese punctuation", "大会决定，加强合作。", "大会同意，加强合作。", "大会[决定][同意]，加强合作。"},
		{"japanese kana", "協力を強化する", "協力を促進する", "協力を[強化][促進]する"},
		{"emoji", "go 🚀 now", "go 👩🏽‍💻 now", "go [🚀][👩🏽‍💻] now"},
		{"mixed scripts", "The UN 联合国 decides", "The UN 联合国 agrees", "The UN 联合国 [decides][agrees]"},
		{"inside an existing pair", "a [x y] b", "a [x z] b", "a [x [y][z]] b"},
		{"all of an existing pair's words", "a [x y] b", "a [w z] b", "a [[x y][w z]] b"},
		{"widened for proposed brackets", "a x y b", "a [x z] b", "a [x y][[x z]] b"},
		{"not an alternative of the neighbour", "[加强]合作", "[加强]国际合作", "[[加强]][[加强]国际]合作"},
		{"existing alternatives", "to [a][b] now", "to c now", "to [[a][b]][c] now"},

		// Minimal merges: each change its own group.
		{"the demo's MOD", "the work of the Sectors on common alerting formats and on emergency telecommunication plans,",
			"the work of the three Sectors on common alerting formats and on national emergency telecommunication plans,",
			"the work of the [three] Sectors on common alerting formats and on [national] emergency telecommunication plans,"},
		{"the demo's other MOD", "that cell broadcast and location-based messaging can reach millions",
			"that cell broadcast, satellite and location-based messaging can reach millions",
			"that cell broadcast[, satellite] and location-based messaging can reach millions"},
		{"two insertions and a replacement", "to support the studies of the Bureau on flood warnings and on relief networks for all",
			"to support the joint studies of the Bureau on early flood warnings and on relief systems for all",
			"to support the [joint] studies of the Bureau on [early] flood warnings and on relief [networks][systems] for all"},
		{"a deletion among shared words", "invites all Member States, in particular the developing countries, to act",
			"invites all Member States to act",
			"invites all Member States[, in particular the developing countries,] to act"},
		{"joined over one short word", "a b c d e", "a x c y e", "a [b c d][x c y] e"},
		{"joined over two short words", "keep alpha of the beta keep", "keep gamma of the delta keep", "keep [alpha of the beta][gamma of the delta] keep"},
		{"not joined over a long word", "keep alpha common beta keep", "keep gamma common delta keep", "keep [alpha][gamma] common [beta][delta] keep"},
		{"not joined over three words", "keep alpha of the of beta keep", "keep gamma of the of delta keep", "keep [alpha][gamma] of the of [beta][delta] keep"},
		{"comma inserted", "a b", "a, b", "a[,] b"},
		{"edges spaced differently", "calls on all States, in their plans, to act", "calls on all States that have plans to act",
			"calls on all [States, in their][States that have] plans[,] to act"},
		{"comma replaced by a word", "a, b", "a and b", "[a,][a and] b"},
		{"before a full stop", "alerting formats.", "alerting formats, nationally.", "alerting formats[, nationally]."},
		{"proposer's double spaces cut", "to act now", "to act  very   quickly now", "to act [very quickly] now"},
		{"russian", "укрепление сотрудничества между странами", "укрепление международного сотрудничества между всеми странами",
			"укрепление [международного] сотрудничества между [всеми] странами"},
		{"arabic two changes", "يقرر المؤتمر تعزيز التعاون بين الدول", "يقرر المؤتمر توطيد التعاون بين جميع الدول",
			"يقرر المؤتمر [تعزيز][توطيد] التعاون بين [جميع] الدول"},
		{"chinese insertion", "加强各国之间的合作", "加强各国之间的国际合作", "加强各国之间的[国际]合作"},
		{"emoji two changes", "go 🚀 now, later 🌍", "go 👩🏽‍💻 now, later 🇧🇷", "go [🚀][👩🏽‍💻] now, later [🌍][🇧🇷]"},
		{"emoji joined over short words", "go 🚀 now to 🌍", "go 👩🏽‍💻 now to 🇧🇷", "go [🚀 now to 🌍][👩🏽‍💻 now to 🇧🇷]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := MergeMod(tt.current, tt.proposed)
			got := checkMergeOp(t, tt.current, o)
			checkMerge(t, tt.current, tt.proposed) // groups, and Remove gives each side's words
			if got != tt.want {
				t.Errorf("MergeMod(%q, %q)\n got %q\nwant %q\n op %v", tt.current, tt.proposed, got, tt.want, o)
			}
			if tt.current == tt.want && len(o) != 0 {
				t.Errorf("no change expected, got op %v", o)
			}
			// A delegate's MOD must pass the rules it would be checked
			// against, whoever wrote the current text.
			p := para(StatusOpen, part{tt.current, "original"})
			if err := CheckEdit(bra, p, o); err != nil {
				t.Errorf("CheckEdit refused the merge: %v", err)
			}
		})
	}
}

// fataler is what test helpers need of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(string, ...any)
}

// checkMergeOp applies o and checks the promises MergeMod makes about it:
// normalized, only skips and inserts, the proposer credited with exactly the
// inserted code points and the current text's own attribution kept.
func checkMergeOp(t fataler, current string, o ot.Op) string {
	t.Helper()
	if err := ot.Validate(o); err != nil {
		t.Fatalf("op %v not valid: %v", o, err)
	}
	var inserted strings.Builder
	for _, c := range o {
		if c.Delete > 0 {
			t.Fatalf("op %v deletes", o)
		}
		inserted.WriteString(c.Insert)
	}
	got, err := ot.Apply(current, o)
	if err != nil {
		t.Fatalf("%v", err)
	}
	authors, err := Uniform(len([]rune(current)), "original").Apply(o, "BRA")
	if err != nil {
		t.Fatalf("%v", err)
	}
	var mine, kept strings.Builder
	for i, r := range []rune(got) {
		if authors.At(i) == "BRA" {
			mine.WriteRune(r)
		} else {
			kept.WriteRune(r)
		}
	}
	// Comparing through []rune maps invalid UTF-8 to U+FFFD on both sides.
	if mine.String() != inserted.String() || kept.String() != string([]rune(current)) {
		t.Fatalf("attribution: BRA has %q (inserted %q), rest %q (current %q)", mine.String(), inserted.String(), kept.String(), current)
	}
	return got
}

func TestMergeSup(t *testing.T) {
	tests := []struct{ current, want string }{
		{"The Conference decides to act.", "[The Conference decides to act.]"},
		{"  text here \n", "  [text here] \n"},
		{"加强合作", "[加强合作]"},
		{"[a][b]", "[[a][b]]"},
		{"", ""},
		{" \t ", " \t "},
	}
	for _, tt := range tests {
		o := MergeSup(tt.current)
		if got := checkMergeOp(t, tt.current, o); got != tt.want {
			t.Errorf("MergeSup(%q) = %q, want %q", tt.current, got, tt.want)
		}
		if err := CheckEdit(bra, para(StatusOpen, part{tt.current, "original"}), o); err != nil {
			t.Errorf("CheckEdit refused SUP of %q: %v", tt.current, err)
		}
	}
}

// FuzzMergeMod merges any two texts: the op only inserts and keeps the
// current text's attribution; for balanced texts the groups are where the
// merge says, the chair and a delegate may apply it, and removing either
// side's alternatives gives the other side's words.
func FuzzMergeMod(f *testing.F) {
	f.Add("The Conference decides to act.", "The Conference agrees to act.")
	f.Add("a [x y] b", "a [x z] b")
	f.Add("[加强]合作", "[加强]国际合作")
	f.Add("يقرر المؤتمر التعاون", "يقرر المؤتمر تعزيز التعاون")
	f.Add("go 🚀 now", "")
	f.Add("", "👩🏽‍💻")
	f.Add("the work of the Sectors on common alerting formats and on emergency plans,", "the work of the three Sectors on common alerting formats and on national emergency plans,")
	f.Add("[a] the [a]", "[b][c] the the")
	f.Fuzz(func(t *testing.T, current, proposed string) {
		o := MergeMod(current, proposed)
		if current == proposed && len(o) != 0 {
			t.Fatalf("identical texts gave %v", o)
		}
		checkMerge(t, current, proposed)
		_, errCur := ParseBrackets(current)
		_, errProp := ParseBrackets(proposed)
		if errCur != nil || errProp != nil {
			return
		}
		// Balanced in, balanced out, and a delegate may make the edit.
		if err := CheckEdit(bra, para(StatusOpen, part{current, "original"}), o); err != nil {
			t.Fatalf("MergeMod(%q, %q) = %v refused: %v", current, proposed, o, err)
		}
	})
}
