package draft

import (
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/draftroom/draftroom/server/ot"
)

func TestMergeGroups(t *testing.T) {
	current := "invites all Member States, in particular the developing countries, to act on the plans"
	proposed := "invites all Member States to act swiftly on the national plans"
	m := MergeModDetail(current, proposed)
	merged, err := ot.Apply(current, m.Op)
	if err != nil {
		t.Fatal(err)
	}
	want := "invites all Member States[, in particular the developing countries,] to act [swiftly] on the [national] plans"
	if merged != want {
		t.Fatalf("merged %q\nwant   %q", merged, want)
	}
	wantGroups := []MergeGroup{
		{Kind: MergeDelete, Start: 25, End: 68, Current: ", in particular the developing countries,"},
		{Kind: MergeInsert, Start: 76, End: 85, Proposed: "swiftly"},
		{Kind: MergeInsert, Start: 93, End: 103, Proposed: "national"},
	}
	if !reflect.DeepEqual(m.Groups, wantGroups) {
		t.Fatalf("groups %+v\nwant   %+v", m.Groups, wantGroups)
	}
	for _, g := range m.Groups {
		if got := string([]rune(merged)[g.Start:g.End]); got != "["+g.Current+"]" && got != "["+g.Proposed+"]" {
			t.Errorf("group %+v covers %q", g, got)
		}
	}
	if back, err := m.Remove(merged, true); err != nil || back != current {
		t.Errorf("without the proposal: %q, %v", back, err)
	}
	if prop, err := m.Remove(merged, false); err != nil || prop != proposed {
		t.Errorf("without the current words: %q, %v", prop, err)
	}
	if m := MergeModDetail("same  text", "same text"); len(m.Op) != 0 || len(m.Groups) != 0 {
		t.Errorf("white space only: %+v", m)
	}
}

// checkMerge checks a merge of current and proposed: the op promises of
// checkMergeOp, groups where the merged text has them, and Remove giving
// each side's words back. It returns the merged text.
func checkMerge(t fataler, current, proposed string) string {
	t.Helper()
	m := MergeModDetail(current, proposed)
	merged := checkMergeOp(t, current, m.Op)
	_, errC := ParseBrackets(current)
	_, errP := ParseBrackets(proposed)
	if errC != nil || errP != nil {
		return merged
	}
	rs := []rune(merged)
	for _, g := range m.Groups {
		if g.Start < 0 || g.End > len(rs) || g.Start >= g.End {
			t.Fatalf("group %+v outside %q", g, merged)
		}
		text := string(rs[g.Start:g.End])
		var want string
		switch g.Kind {
		case MergeReplace:
			want = "[" + g.Current + "][" + g.Proposed + "]"
		case MergeInsert:
			want = "[" + g.Proposed + "]"
		case MergeDelete:
			want = "[" + g.Current + "]"
		}
		if text != want {
			t.Fatalf("group %+v covers %q in %q", g, text, merged)
		}
		if strings.TrimSpace(g.Current) != g.Current || strings.TrimSpace(g.Proposed) != g.Proposed || strings.Contains(g.Proposed, "  ") {
			t.Fatalf("group %+v does not hug its words", g)
		}
	}
	if err := CheckEdit(chair, para(StatusOpen, part{current, AuthorOriginal}), m.Op); err != nil {
		t.Fatalf("the chair may not apply the merge of %q and %q: %v", current, proposed, err)
	}
	for _, side := range []bool{true, false} {
		got, err := m.Remove(merged, side)
		if err != nil {
			t.Fatalf("Remove(%q, %v): %v", merged, side, err)
		}
		// Invalid UTF-8 reads as U+FFFD, in the merge as in the room.
		want := string([]rune(proposed))
		if side {
			want = string([]rune(current))
		}
		if g, w := nonSpaceTokens(string([]rune(got))), nonSpaceTokens(want); !reflect.DeepEqual(g, w) && (len(g) > 0 || len(w) > 0) {
			t.Fatalf("%q and %q merged to %q; without the %s side: %q, want the words of %q", current, proposed, merged, sideName(side), got, want)
		}
	}
	return merged
}

func sideName(proposed bool) string {
	if proposed {
		return "proposed"
	}
	return "current"
}

// Removing every proposed alternative gives the current text back, and
// removing every current alternative gives the proposal: word for word
// for any texts, and character for character for texts of words spaced
// the usual way (single spaces between words, none at the ends) without
// brackets. (With brackets, "[a] x [b]" against "[a][b]" shows why not:
// the merge keeps the current space between the pairs, and cannot make
// them the proposal's alternatives of one group.)
func TestMergeRemoveProperty(t *testing.T) {
	words := []string{"the", "of", "and", "to", "Sectors", "common", "alerting", "formats", "national",
		"emergency", "加强", "国际合作", "تعزيز", "التعاون", "сотрудничества", "👩🏽‍💻", "🇧🇷", "[a]", "[b][c]", "[d [e]]"}
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.SliceOfN(rapid.SampledFrom(words), 0, 14).Draw(t, "base")
		edit := func(label string) []string {
			out := append([]string(nil), base...)
			for k, n := 0, rapid.IntRange(0, 4).Draw(t, label); k < n; k++ {
				i := rapid.IntRange(0, len(out)).Draw(t, "i")
				switch rapid.IntRange(0, 2).Draw(t, "how") {
				case 0:
					out = append(out[:i], append([]string{rapid.SampledFrom(words).Draw(t, "w")}, out[i:]...)...)
				case 1:
					if i < len(out) {
						out = append(out[:i], out[i+1:]...)
					}
				default:
					if i < len(out) {
						out[i] = rapid.SampledFrom(words).Draw(t, "w")
					}
				}
			}
			return out
		}
		current, proposed := strings.Join(edit("cur"), " "), strings.Join(edit("prop"), " ")
		m := MergeModDetail(current, proposed)
		merged := checkMerge(t, current, proposed)
		if strings.Contains(merged, "  ") || strings.Contains(merged, "[ ") || strings.Contains(merged, " ]") {
			t.Fatalf("untidy merge of %q and %q: %q", current, proposed, merged)
		}
		if strings.Contains(current+proposed, "[") {
			return
		}
		for _, side := range []bool{true, false} {
			got, _ := m.Remove(merged, side)
			want := proposed
			if side {
				want = current
			}
			if got != want {
				t.Fatalf("%q and %q merged to %q; without the %s side: %q", current, proposed, merged, sideName(side), got)
			}
		}
	})
}
