package draft

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/draftroom/draftroom/server/ot"
)

type resolveFunc func(actor Actor, p Paragraph, at int) (ot.Op, Paragraph, error)

func keepAlt(k int) resolveFunc {
	return func(actor Actor, p Paragraph, at int) (ot.Op, Paragraph, error) {
		return KeepAlternative(actor, p, at, k)
	}
}

func TestResolveGroup(t *testing.T) {
	orig := func(s string) Paragraph { return para(StatusOpen, part{s, AuthorOriginal}) }
	tests := []struct {
		name string
		p    Paragraph
		at   int
		do   resolveFunc
		want string
	}{
		{"keep second", orig("must be [restored][strengthened] quickly"), 8, keepAlt(1), "must be strengthened quickly"},
		{"keep first from its last ]", orig("must be [restored][strengthened] quickly"), 31, keepAlt(0), "must be restored quickly"},
		{"keep third", orig("to [a][b][c] now"), 5, keepAlt(2), "to c now"},
		{"accept", orig("to [duly] report"), 4, AcceptGroup, "to duly report"},
		{"accept tidies inner spaces", orig("a [ b ] c"), 2, AcceptGroup, "a b c"},
		{"accept hugging punctuation", orig("formats[, national]."), 7, AcceptGroup, "formats, national."},
		{"drop between words", orig("to [quickly] act"), 3, DropGroup, "to act"},
		{"drop before a full stop", orig("to act [now]."), 8, DropGroup, "to act."},
		{"drop at the start", orig("[Please] act now"), 0, DropGroup, "act now"},
		{"drop at the end", orig("act now [please]"), 14, DropGroup, "act now"},
		{"drop alternatives", orig("to [a][b] now"), 6, DropGroup, "to now"},
		{"drop inside parentheses", orig("(see [annex])"), 6, DropGroup, "(see)"},
		{"drop after an opening parenthesis", orig("( [annex] see)"), 3, DropGroup, "(see)"},
		{"drop keeps a line break", orig("first;\n[second]\nthird"), 8, DropGroup, "first;\nthird"},
		{"drop collapses double spaces", orig("a  [b]  c"), 3, DropGroup, "a c"},
		{"drop the whole text", orig(" [all] "), 1, DropGroup, ""},
		{"innermost group", orig("to [[x][y] z] now"), 5, keepAlt(1), "to [y z] now"},
		{"outer group from its [", orig("to [[x][y] z] now"), 3, DropGroup, "to now"},
		{"nested drop tidies inside", orig("[a [x]] b"), 4, DropGroup, "[a] b"},
		{"kept alternative with nested groups", orig("to [[x][y] z][w] now"), 3, keepAlt(0), "to [x][y] z now"},
		{"arabic", orig("يقرر [تعزيز][توطيد] التعاون"), 6, keepAlt(1), "يقرر توطيد التعاون"},
		{"arabic drop before comma", orig("التعاون [الدولي]، و"), 9, DropGroup, "التعاون، و"},
		{"chinese", orig("大会[决定][同意]采取行动"), 2, keepAlt(0), "大会决定采取行动"},
		{"chinese drop before full stop", orig("加强合作[国际]。"), 4, DropGroup, "加强合作。"},
		{"russian", orig("укрепление [связей][сотрудничества] стран"), 12, keepAlt(1), "укрепление сотрудничества стран"},
		{"emoji", orig("go [🚀][👩🏽‍💻] now"), 3, keepAlt(1), "go 👩🏽‍💻 now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, got, err := tt.do(chair, tt.p, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.want {
				t.Errorf("got %q, want %q (op %v)", got.Text, tt.want, o)
			}
			checkResolution(t, tt.p, o, got)
		})
	}
}

// checkResolution checks what every resolution promises: the op only
// deletes, gives got when applied, and every character left keeps its
// author.
func checkResolution(t interface {
	Helper()
	Fatalf(string, ...any)
}, p Paragraph, o ot.Op, got Paragraph) {
	t.Helper()
	if err := ot.Validate(o); err != nil {
		t.Fatalf("op %v: %v", o, err)
	}
	for _, c := range o {
		if c.Insert != "" {
			t.Fatalf("op %v inserts", o)
		}
	}
	text, err := ot.Apply(p.Text, o)
	if err != nil || text != got.Text {
		t.Fatalf("op gives %q (%v), result %q", text, err, got.Text)
	}
	if got.Status != p.Status {
		t.Fatalf("status %q, was %q", got.Status, p.Status)
	}
	// The authors of what is left, code point by code point.
	moved, _, m := opMap(o, utf8.RuneCountInString(p.Text))
	want := make([]string, m)
	for i, to := range moved {
		if to >= 0 {
			want[to] = p.Authors.At(i)
		}
	}
	var runs Authorship
	for _, a := range want {
		runs = runs.push(1, a)
	}
	if !reflect.DeepEqual(got.Authors, runs) && (len(got.Authors) > 0 || len(runs) > 0) {
		t.Fatalf("authors %v, want %v", got.Authors, runs)
	}
	if _, err := ParseBrackets(got.Text); err != nil {
		if _, err0 := ParseBrackets(p.Text); err0 == nil {
			t.Fatalf("unbalanced after: %q", got.Text)
		}
	}
}

// The authors of the words that stay are exactly what they were.
func TestResolveKeepsAuthors(t *testing.T) {
	p := para(StatusOpen,
		part{"The Conference ", "original"},
		part{"[decides]", "BRA"},
		part{"[agrees]", "CHN"},
		part{" to ", "original"},
		part{"[act]", "CEPT"},
		part{".", "original"})
	_, got, err := KeepAlternative(chair, p, 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := Authorship{{15, "original"}, {6, "CHN"}, {4, "original"}, {5, "CEPT"}, {1, "original"}}
	if got.Text != "The Conference agrees to [act]." || !reflect.DeepEqual(got.Authors, want) {
		t.Fatalf("got %q %v", got.Text, got.Authors)
	}
	_, got, err = AcceptGroup(chair, got, 27)
	if err != nil {
		t.Fatal(err)
	}
	want = Authorship{{15, "original"}, {6, "CHN"}, {4, "original"}, {3, "CEPT"}, {1, "original"}}
	if got.Text != "The Conference agrees to act." || !reflect.DeepEqual(got.Authors, want) {
		t.Fatalf("got %q %v", got.Text, got.Authors)
	}
	// Accepted, CEPT's word is no longer held: a later edit of the
	// paragraph by anyone is not refused because of it.
	if _, err := ApplyEdit(bra, got, op(skip(4), ins("[General] "))); err != nil {
		t.Fatalf("edit after accepting: %v", err)
	}
	// Dropping deletes the separating space, which is the original text's:
	// nothing else changes hands.
	_, got, err = DropGroup(chair, p, 37)
	if err != nil {
		t.Fatal(err)
	}
	want = Authorship{{15, "original"}, {9, "BRA"}, {8, "CHN"}, {4, "original"}}
	if got.Text != "The Conference [decides][agrees] to." || !reflect.DeepEqual(got.Authors, want) {
		t.Fatalf("got %q %v", got.Text, got.Authors)
	}
}

func TestResolveRefusals(t *testing.T) {
	p := para(StatusOpen,
		part{"The Conference ", "original"},
		part{"[decides]", "BRA"},
		part{"[agrees]", "CHN"},
		part{" to ", "original"},
		part{"[act] ", "BRA"},
		part{"[now]", "original"})
	for _, c := range []struct {
		name  string
		actor Actor
		p     Paragraph
		at    int
		do    resolveFunc
		code  string
		rule  string
		msg   string
		off   int
	}{
		{name: "no group", actor: chair, p: p, at: 4, do: DropGroup, code: CodeInvalid, rule: RuleNoGroup,
			msg: `There is no bracket group at "The Conference [decides][agrees]". Put the cursor inside the group, between its first [ and its last ].`, off: 4},
		{name: "just past the group", actor: chair, p: p, at: 32, do: DropGroup, code: CodeInvalid, rule: RuleNoGroup},
		{name: "past the end", actor: chair, p: p, at: 99, do: DropGroup, code: CodeInvalid, rule: RuleNoGroup},
		{name: "negative", actor: chair, p: p, at: -1, do: DropGroup, code: CodeInvalid, rule: RuleNoGroup},
		{name: "accept alternatives", actor: chair, p: p, at: 16, do: AcceptGroup, code: CodeInvalid, rule: RuleChooseAlt,
			msg: `The group "[decides][agrees]" has 2 alternatives: choose the one to keep, or drop the group.`, off: 16},
		{name: "no such alternative", actor: chair, p: p, at: 16, do: keepAlt(2), code: CodeInvalid, rule: RuleNoAlternative,
			msg: `The group "[decides][agrees]" has 2 alternatives; there is no alternative 2 (they are counted from 0).`, off: 16},
		{name: "negative alternative", actor: chair, p: p, at: 16, do: keepAlt(-1), code: CodeInvalid, rule: RuleNoAlternative},
		{name: "delegate keeps", actor: bra, p: p, at: 16, do: keepAlt(0), code: CodeForbidden, rule: RuleResolveChair,
			msg: "Only the chair can keep an alternative. You can drop a group that is all your own words.", off: 16},
		{name: "delegate accepts", actor: bra, p: p, at: 37, do: AcceptGroup, code: CodeForbidden, rule: RuleResolveChair},
		{name: "delegate drops a shared group", actor: bra, p: p, at: 16, do: DropGroup, code: CodeForbidden, rule: RuleDropOwn,
			msg: `You can drop only a group that is all your own words, and "[decides][agrees]" also holds CHN's text.`, off: 16},
		{name: "delegate drops original brackets", actor: bra, p: p, at: 44, do: DropGroup, code: CodeForbidden, rule: RuleDropOwn},
		{name: "delegate drops its own", actor: bra, p: p, at: 37, do: DropGroup},
		{name: "chair drops anything", actor: chair, p: p, at: 16, do: DropGroup},
		{name: "observer", actor: observer, p: p, at: 16, do: DropGroup, code: CodeForbidden, rule: RuleReadOnly},
		{name: "agreed", actor: chair, p: para(StatusAgreed, part{"[a]", "BRA"}), at: 0, do: AcceptGroup, code: CodeForbidden, rule: RuleLocked},
		{name: "ad ref delegate", actor: bra, p: para(StatusAgreedAdRef, part{"[a]", "BRA"}), at: 0, do: DropGroup, code: CodeForbidden, rule: RuleAdRef},
		{name: "ad ref chair", actor: chair, p: para(StatusAgreedAdRef, part{"[a]", "BRA"}), at: 0, do: AcceptGroup},
		{name: "unbalanced", actor: chair, p: para(StatusOpen, part{"[a] [b", "original"}), at: 0, do: AcceptGroup, code: CodeInvalid, rule: RuleBalance},
	} {
		t.Run(c.name, func(t *testing.T) {
			o, got, err := c.do(c.actor, c.p, c.at)
			checkRuleErrorAt(t, err, c.code, c.rule, c.msg, c.off)
			if err == nil {
				checkResolution(t, c.p, o, got)
			}
		})
	}
}

// randomGroupParagraph draws a paragraph of words, white space,
// punctuation and bracket groups (nested, with alternatives) by several
// authors.
func randomGroupParagraph(t *rapid.T) Paragraph {
	pieces := []string{"to", "act", "now", "加强", "تعزيز", "связей", "👩🏽‍💻", ",", ".", "(", ")", "\n"}
	authors := []string{AuthorOriginal, AuthorChair, "BRA", "CEPT"}
	var p Paragraph
	add := func(s, a string) {
		p.Text += s
		p.Authors = p.Authors.push(utf8.RuneCountInString(s), a)
	}
	var group func(depth int)
	words := func() {
		for k, n := 0, rapid.IntRange(0, 3).Draw(t, "words"); k < n; k++ {
			add(rapid.SampledFrom([]string{"", " ", "  "}).Draw(t, "sp"), rapid.SampledFrom(authors).Draw(t, "a"))
			if rapid.IntRange(0, 4).Draw(t, "nest?") == 0 {
				group(1)
			} else {
				add(rapid.SampledFrom(pieces).Draw(t, "w"), rapid.SampledFrom(authors).Draw(t, "a"))
			}
		}
	}
	group = func(depth int) {
		if depth > 2 {
			return
		}
		for k, n := 0, rapid.IntRange(1, 3).Draw(t, "alternatives"); k < n; k++ {
			a := rapid.SampledFrom(authors).Draw(t, "a")
			add("[", a)
			words()
			add("]", a)
		}
	}
	for k, n := 0, rapid.IntRange(1, 6).Draw(t, "top"); k < n; k++ {
		add(rapid.SampledFrom([]string{"", " ", "  ", "\n"}).Draw(t, "sp"), AuthorOriginal)
		if rapid.Bool().Draw(t, "group?") {
			group(0)
		} else {
			add(rapid.SampledFrom(pieces).Draw(t, "w"), rapid.SampledFrom(authors).Draw(t, "a"))
		}
	}
	p.Status = StatusOpen
	return p
}

// nonSpaceTokens are the tokens of s other than white space.
func nonSpaceTokens(s string) []string {
	var out []string
	for _, tk := range tokenize(s) {
		if !tk.space {
			out = append(out, tk.text)
		}
	}
	return out
}

// Any group, any action: the op only deletes, authors are kept, the result
// balances, only the group's brackets and other alternatives and white
// space go, and the white space where the group was is tidy.
func TestResolveProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := randomGroupParagraph(t)
		b, err := ParseBrackets(p.Text)
		if err != nil || len(b.Groups) == 0 {
			return
		}
		rs := []rune(p.Text)
		g := rapid.IntRange(0, len(b.Groups)-1).Draw(t, "group")
		grp := b.Groups[g]
		at := rapid.IntRange(grp.Start, grp.End-1).Draw(t, "at")
		if b.GroupAt(at) != g {
			// at names the innermost group there; make sure that is
			// one of ours or nested in it.
			if inner := b.Groups[b.GroupAt(at)]; inner.Start < grp.Start || inner.End > grp.End || inner.Depth <= grp.Depth {
				t.Fatalf("GroupAt(%d) = %+v, not inside %+v", at, inner, grp)
			}
			return
		}
		keep := rapid.IntRange(-1, len(grp.Pairs)-1).Draw(t, "keep")
		var o ot.Op
		var got Paragraph
		switch {
		case keep < 0:
			o, got, err = DropGroup(chair, p, at)
		case len(grp.Pairs) == 1 && rapid.Bool().Draw(t, "accept?"):
			o, got, err = AcceptGroup(chair, p, at)
		default:
			o, got, err = KeepAlternative(chair, p, at, keep)
		}
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		checkResolution(t, p, o, got)
		// What stays: the words before, the kept alternative, the words
		// after, white space aside; words that were apart stay apart.
		var kept string
		if keep >= 0 {
			pr := b.Pairs[grp.Pairs[keep]]
			kept = string(rs[pr.Open+1 : pr.Close])
		}
		left, right := string(rs[:grp.Start]), string(rs[grp.End:])
		spaced := func(s string, end bool) bool {
			r, _ := utf8.DecodeRuneInString(s)
			if end {
				r, _ = utf8.DecodeLastRuneInString(s)
			}
			return s != "" && isSpace(r)
		}
		var whole string
		if strings.TrimSpace(kept) == "" {
			sep := ""
			if spaced(left, true) || kept != "" || spaced(right, false) {
				sep = " "
			}
			whole = left + sep + right
		} else {
			sepL, sepR := "", ""
			if spaced(left, true) || spaced(kept, false) {
				sepL = " "
			}
			if spaced(kept, true) || spaced(right, false) {
				sepR = " "
			}
			whole = left + sepL + strings.TrimSpace(kept) + sepR + right
		}
		want := nonSpaceTokens(whole)
		if gotTokens := nonSpaceTokens(got.Text); strings.Join(gotTokens, "|") != strings.Join(want, "|") {
			t.Fatalf("%q → %q: words %q, want %q", p.Text, got.Text, gotTokens, want)
		}
		// Tidy: at the place where the group was, no run of more than one
		// white space, none at either end of the paragraph or before a
		// closing mark.
		moved, _, _ := opMap(o, len(rs))
		placeAfter := func(from int) int {
			for i := from; i < len(rs); i++ {
				if moved[i] >= 0 {
					return moved[i]
				}
			}
			return len([]rune(got.Text))
		}
		checkTidyAround(t, p.Text, got.Text, placeAfter(grp.Start))
		checkTidyAround(t, p.Text, got.Text, placeAfter(grp.End))
	})
}

// checkTidyAround checks the white space run of text that touches place
// (an offset between code points), and the runs touching the start and
// end of the kept words just before it.
func checkTidyAround(t *rapid.T, before, text string, place int) {
	rs := []rune(text)
	lo, hi := place, place
	// The kept words of the group end at place; look at the runs around
	// both ends of what lies between the nearest non-space neighbours
	// far enough to cover the kept words' own edges too.
	for lo > 0 && isSpace(rs[lo-1]) {
		lo--
	}
	for hi < len(rs) && isSpace(rs[hi]) {
		hi++
	}
	if hi-lo > 1 && !strings.ContainsRune(string(rs[lo:hi]), '\n') {
		t.Fatalf("%q → %q: run of %d spaces at %d", before, text, hi-lo, lo)
	}
	if hi > lo && (lo == 0 || hi == len(rs) || closesAfter(rs[hi]) || opensBefore(rs[lo-1])) {
		t.Fatalf("%q → %q: white space at %d-%d should have gone", before, text, lo, hi)
	}
}

// FuzzResolve runs the three actions on any text, by the chair and by a
// delegate, and checks what an allowed one promises.
func FuzzResolve(f *testing.F) {
	f.Add("must be [restored][strengthened] quickly", 3, 8, byte(0), 1)
	f.Add("to [[x][y] z] now", 3, 5, byte(1), 0)
	f.Add("(see [annex])", 0, 6, byte(2), 0)
	f.Add("يقرر [تعزيز][توطيد] التعاون", 5, 6, byte(0), 1)
	f.Add("go [🚀][👩🏽‍💻] now.", 3, 3, byte(2), 0)
	f.Fuzz(func(t *testing.T, text string, split, at int, action byte, alternative int) {
		if !utf8.ValidString(text) {
			return
		}
		n := utf8.RuneCountInString(text)
		split = min(max(split, 0), n)
		p := Paragraph{Text: text, Authors: Authorship{{split, AuthorOriginal}, {n - split, "BRA"}}.Normalize(), Status: StatusOpen}
		for _, actor := range []Actor{chair, bra} {
			var o ot.Op
			var got Paragraph
			var err error
			switch action % 3 {
			case 0:
				o, got, err = KeepAlternative(actor, p, at, alternative)
			case 1:
				o, got, err = AcceptGroup(actor, p, at)
			default:
				o, got, err = DropGroup(actor, p, at)
			}
			if err != nil {
				if _, ok := err.(*RuleError); !ok {
					t.Fatalf("not a RuleError: %v", err)
				}
				continue
			}
			checkResolution(t, p, o, got)
			if actor == bra {
				b, _ := ParseBrackets(text)
				grp := b.Groups[b.GroupAt(at)]
				for i := grp.Start; i < grp.End; i++ {
					if p.Authors.At(i) != "BRA" {
						t.Fatalf("delegate dropped a group with %s's text", p.Authors.At(i))
					}
				}
			}
		}
	})
}
