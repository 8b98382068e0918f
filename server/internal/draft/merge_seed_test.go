package draft_test

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/seedtest"
	"github.com/draftroom/draftroom/server/ot"
)

// Every MOD of the real compilation, merged into its paragraph: the op
// only inserts, the chair may apply it, the groups hug their words without
// double spaces, and removing either side's alternatives gives the other
// side's words back.
func TestMergeSeedMODs(t *testing.T) {
	data, err := os.ReadFile(seedtest.File(t, "000_0f00c6b0aef442b4.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile.Read(data, "seed.txt", compile.FormatAuto, nil)
	if err != nil {
		t.Fatal(err)
	}
	mods, groups, joined, unanchored := 0, 0, 0, 0
	kinds := map[draft.MergeKind]int{}
	for _, s := range c.Sections {
		for _, pr := range s.Proposals {
			if pr.Action == "MOD" {
				unanchored++ // no paragraph to merge into
			}
		}
		for _, p := range s.Paragraphs {
			for _, pr := range p.Proposals {
				if pr.Action != "MOD" || strings.TrimSpace(pr.Text) == "" {
					continue
				}
				mods++
				m := draft.MergeModDetail(p.Text, pr.Text)
				for _, c := range m.Op {
					if c.Delete > 0 {
						t.Fatalf("row %d: the merge deletes", pr.Row)
					}
				}
				merged, err := ot.Apply(p.Text, m.Op)
				if err != nil {
					t.Fatalf("row %d: %v", pr.Row, err)
				}
				para := draft.Paragraph{Text: p.Text, Authors: draft.Uniform(utf8.RuneCountInString(p.Text), draft.AuthorOriginal), Status: draft.StatusOpen}
				if _, _, err := checkChair(para, m.Op); err != nil {
					t.Errorf("row %d: the chair may not apply the merge: %v", pr.Row, err)
				}
				for _, bad := range []string{"  ", "[ ", " ]"} {
					if strings.Count(merged, bad) > strings.Count(p.Text, bad)+strings.Count(pr.Text, bad) {
						t.Errorf("row %d: the merge adds %q", pr.Row, bad)
					}
				}
				for _, g := range m.Groups {
					kinds[g.Kind]++
					groups++
					if strings.Contains(g.Current, " ") && g.Kind == draft.MergeReplace {
						joined++
					}
				}
				for _, side := range []bool{true, false} {
					got, err := m.Remove(merged, side)
					want := pr.Text
					if side {
						want = p.Text
					}
					if err != nil || !sameWords(got, want) {
						t.Errorf("row %d: removing one side gives %q (%v), want the words of %q", pr.Row, got, err, want)
					}
				}
			}
		}
	}
	if mods == 0 {
		t.Fatal("no MOD proposals read from the seed")
	}
	t.Logf("%d MODs merged into %d groups (%d replace, %d insert, %d delete; %d replacements of several words); %d MODs name no paragraph",
		mods, groups, kinds[draft.MergeReplace], kinds[draft.MergeInsert], kinds[draft.MergeDelete], joined, unanchored)
}

func checkChair(p draft.Paragraph, op ot.Op) (string, draft.Authorship, error) {
	got, err := draft.ApplyEdit(draft.Actor{Role: draft.RoleChair}, p, op)
	return got.Text, got.Authors, err
}

// sameWords reports whether a and b differ only in white space.
func sameWords(a, b string) bool {
	for _, s := range draft.DiffWords(a, nil, b, nil) {
		if s.Op != "equal" && strings.TrimSpace(s.Text) != "" {
			return false
		}
	}
	return true
}
