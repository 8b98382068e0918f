package draft

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseBrackets(t *testing.T) {
	type pair struct{ open, close, depth, parent int }
	tests := []struct {
		name   string
		text   string
		pairs  []pair
		groups [][]int // pair indices per group
		open   int     // OpenGroups
	}{
		{name: "empty", text: ""},
		{name: "no brackets", text: "The Conference decides to act."},
		{
			name:   "alternatives",
			text:   "The Conference [decides][agrees] to act.",
			pairs:  []pair{{15, 23, 0, -1}, {24, 31, 0, -1}},
			groups: [][]int{{0, 1}},
			open:   1,
		},
		{
			name:   "space separates groups",
			text:   "[a] [b]",
			pairs:  []pair{{0, 2, 0, -1}, {4, 6, 0, -1}},
			groups: [][]int{{0}, {1}},
			open:   2,
		},
		{
			name:   "nested",
			text:   "[a [b][c]] [d]",
			pairs:  []pair{{0, 9, 0, -1}, {3, 5, 1, 0}, {6, 8, 1, 0}, {11, 13, 0, -1}},
			groups: [][]int{{0}, {1, 2}, {3}},
			open:   2,
		},
		{
			name:   "nested group adjacent to parent sibling",
			text:   "[[a]][b]",
			pairs:  []pair{{0, 4, 0, -1}, {1, 3, 1, 0}, {5, 7, 0, -1}},
			groups: [][]int{{0, 2}, {1}},
			open:   1,
		},
		{
			name:   "deep",
			text:   "[[[x]]]",
			pairs:  []pair{{0, 6, 0, -1}, {1, 5, 1, 0}, {2, 4, 2, 1}},
			groups: [][]int{{0}, {1}, {2}},
			open:   1,
		},
		{
			name:   "arabic",
			text:   "تعزيز [التعاون][الشراكة] الدولي",
			pairs:  []pair{{6, 14, 0, -1}, {15, 23, 0, -1}},
			groups: [][]int{{0, 1}},
			open:   1,
		},
		{
			name:   "chinese",
			text:   "加强[国际][区域]合作",
			pairs:  []pair{{2, 5, 0, -1}, {6, 9, 0, -1}},
			groups: [][]int{{0, 1}},
			open:   1,
		},
		{
			name:   "emoji with ZWJ is four code points",
			text:   "👩🏽‍💻 [🌍] ok",
			pairs:  []pair{{5, 7, 0, -1}},
			groups: [][]int{{0}},
			open:   1,
		},
		{
			name:   "arabic nested with flag",
			text:   "قرر [أ [ب][ج]] 🇺🇳 [د]",
			pairs:  []pair{{4, 13, 0, -1}, {7, 9, 1, 0}, {10, 12, 1, 0}, {18, 20, 0, -1}},
			groups: [][]int{{0}, {1, 2}, {3}},
			open:   2,
		},
		{
			name:   "invalid UTF-8 counts one per byte",
			text:   "\xff\xfe[a]",
			pairs:  []pair{{2, 4, 0, -1}},
			groups: [][]int{{0}},
			open:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseBrackets(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			var got []pair
			for _, p := range b.Pairs {
				got = append(got, pair{p.Open, p.Close, p.Depth, p.Parent})
			}
			if !slices.Equal(got, tt.pairs) {
				t.Errorf("pairs = %v, want %v", got, tt.pairs)
			}
			var groups [][]int
			for _, g := range b.Groups {
				groups = append(groups, g.Pairs)
			}
			if fmt.Sprint(groups) != fmt.Sprint(tt.groups) {
				t.Errorf("groups = %v, want %v", groups, tt.groups)
			}
			if n := b.OpenGroups(); n != tt.open {
				t.Errorf("OpenGroups = %d, want %d", n, tt.open)
			}
			if b.Len != utf8.RuneCountInString(tt.text) {
				t.Errorf("Len = %d", b.Len)
			}
		})
	}
}

func TestParseBracketsUnbalanced(t *testing.T) {
	tests := []struct {
		text   string
		offset int
		msg    string
	}{
		{"a ] b", 2, `unbalanced brackets: "]" at offset 2 has no matching "["`},
		{"[a]]", 3, `unbalanced brackets: "]" at offset 3 has no matching "["`},
		{"[[a]", 0, `unbalanced brackets: "[" at offset 0 is never closed`},
		{"ab [c [d", 3, `unbalanced brackets: "[" at offset 3 is never closed`},
		{"加强[合作", 2, `unbalanced brackets: "[" at offset 2 is never closed`},
		{"🌍]", 1, `unbalanced brackets: "]" at offset 1 has no matching "["`},
		{"تعزيز ] [التعاون", 6, `unbalanced brackets: "]" at offset 6 has no matching "["`},
	}
	for _, tt := range tests {
		_, err := ParseBrackets(tt.text)
		var ue *UnbalancedError
		if !errors.As(err, &ue) {
			t.Errorf("%q: err = %v, want *UnbalancedError", tt.text, err)
			continue
		}
		if ue.Offset != tt.offset || err.Error() != tt.msg {
			t.Errorf("%q: got offset %d %q, want %d %q", tt.text, ue.Offset, err, tt.offset, tt.msg)
		}
	}
}

func TestEnclosing(t *testing.T) {
	b, err := ParseBrackets("x[a [b][c]] [d]")
	if err != nil {
		t.Fatal(err)
	}
	// offsets: x0 [1 a2 _3 [4 b5 ]6 [7 c8 ]9 ]10 _11 [12 d13 ]14
	want := []int{-1, -1, 0, 0, 0, 1, 0, 0, 2, 0, -1, -1, -1, 3, -1, -1}
	for pos, w := range want {
		if got := b.Enclosing(pos); got != w {
			t.Errorf("Enclosing(%d) = %d, want %d", pos, got, w)
		}
	}
}

func TestParagraphGroups(t *testing.T) {
	// "加强[国际][区域]合作 [🌍]": original text, CHN wrote "[国际]", BRA wrote
	// "[区域]" and JPN bracketed the original globe.
	text := "加强[国际][区域]合作 [🌍]"
	authors := Authorship{
		{2, "original"}, {4, "CHN"}, {4, "BRA"}, {3, "original"}, {1, "JPN"}, {1, "original"}, {1, "JPN"},
	}
	got, err := ParagraphGroups(text, authors)
	if err != nil {
		t.Fatal(err)
	}
	want := []GroupAuthors{
		{Start: 2, End: 10, Depth: 0, Alternatives: 2, Authors: []string{"BRA", "CHN"}},
		{Start: 13, End: 16, Depth: 0, Alternatives: 1, Authors: []string{"JPN", "original"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if _, err := ParagraphGroups(text, Uniform(3, "x")); err == nil {
		t.Error("mismatched authorship accepted")
	}
	if _, err := ParagraphGroups("[", Uniform(1, "x")); err == nil {
		t.Error("unbalanced text accepted")
	}
}

func FuzzParseBrackets(f *testing.F) {
	for _, s := range []string{
		"", "[]", "[a][b] [c]", "[[a]][b]", "]", "[", "a]b[", "加强[国际][区域]合作",
		"تعزيز [التعاون][الشراكة] الدولي", "👩🏽‍💻 [🌍] ok", "\xff[\xfe]", "[[[[]]]][][]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		runes := []rune(text)
		n := len(runes)
		b, err := ParseBrackets(text)
		if err != nil {
			checkUnbalanced(t, runes, err)
			return
		}
		if b.Len != n {
			t.Fatalf("Len = %d, want %d", b.Len, n)
		}
		// Reconstruct the brackets from the pairs alone.
		rebuilt := make([]rune, n)
		for k, p := range b.Pairs {
			if p.Open < 0 || p.Open >= p.Close || p.Close >= n {
				t.Fatalf("pair %d out of range: %+v", k, p)
			}
			if k > 0 && b.Pairs[k-1].Open >= p.Open {
				t.Fatalf("pairs not ordered by Open at %d", k)
			}
			rebuilt[p.Open], rebuilt[p.Close] = '[', ']'
			if p.Parent < 0 {
				if p.Depth != 0 {
					t.Fatalf("pair %d: depth %d without parent", k, p.Depth)
				}
			} else {
				q := b.Pairs[p.Parent]
				if q.Depth+1 != p.Depth || q.Open >= p.Open || q.Close <= p.Close {
					t.Fatalf("pair %d %+v not inside parent %+v", k, p, q)
				}
			}
		}
		for i, r := range runes {
			want := rune(0)
			if r == '[' || r == ']' {
				want = r
			}
			if rebuilt[i] != want {
				t.Fatalf("offset %d: rebuilt %q, text %q", i, rebuilt[i], r)
			}
		}
		checkGroups(t, b)
		for pos := 0; pos < n; pos++ {
			want := -1
			for k, p := range b.Pairs {
				if p.Open < pos && pos < p.Close {
					want = k // later pairs that qualify are nested deeper
				}
			}
			if got := b.Enclosing(pos); got != want {
				t.Fatalf("Enclosing(%d) = %d, want %d", pos, got, want)
			}
		}
	})
}

func checkUnbalanced(t *testing.T, runes []rune, err error) {
	t.Helper()
	var ue *UnbalancedError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v is not *UnbalancedError", err)
	}
	if ue.Offset < 0 || ue.Offset >= len(runes) {
		t.Fatalf("offset %d out of range [0,%d)", ue.Offset, len(runes))
	}
	r := runes[ue.Offset]
	if r != '[' && r != ']' {
		t.Fatalf("offset %d is %q, not a bracket", ue.Offset, r)
	}
	if !strings.Contains(ue.Reason, fmt.Sprintf(`"%c" at offset %d `, r, ue.Offset)) {
		t.Fatalf("reason %q does not name %q at %d", ue.Reason, r, ue.Offset)
	}
	depth, neg := 0, false
	for _, r := range runes {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
			neg = neg || depth < 0
		}
	}
	if depth == 0 && !neg {
		t.Fatalf("balanced text reported unbalanced: %v", err)
	}
}

func checkGroups(t *testing.T, b *Brackets) {
	t.Helper()
	seen := make([]bool, len(b.Pairs))
	top := 0
	for gi, g := range b.Groups {
		if len(g.Pairs) == 0 {
			t.Fatalf("group %d empty", gi)
		}
		if g.Depth == 0 {
			top++
		}
		for j, k := range g.Pairs {
			p := b.Pairs[k]
			if seen[k] || p.Group != gi || p.Depth != g.Depth || p.Parent != g.Parent {
				t.Fatalf("pair %d inconsistent with group %d", k, gi)
			}
			seen[k] = true
			if j > 0 && b.Pairs[g.Pairs[j-1]].Close+1 != p.Open {
				t.Fatalf("group %d: pairs %d and %d not adjacent", gi, g.Pairs[j-1], k)
			}
		}
		if g.Start != b.Pairs[g.Pairs[0]].Open || g.End != b.Pairs[g.Pairs[len(g.Pairs)-1]].Close+1 {
			t.Fatalf("group %d span wrong", gi)
		}
		// Maximal: no pair opens right after the group or closes right
		// before it.
		for _, p := range b.Pairs {
			if p.Open == g.End || p.Close+1 == g.Start {
				t.Fatalf("group %d could be extended by %+v", gi, p)
			}
		}
	}
	for k, s := range seen {
		if !s {
			t.Fatalf("pair %d in no group", k)
		}
	}
	if top != b.OpenGroups() {
		t.Fatalf("OpenGroups = %d, top-level groups %d", b.OpenGroups(), top)
	}
}
