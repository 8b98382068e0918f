package draft

import (
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestDiffWords(t *testing.T) {
	old := "to strengthen cooperation among Member States;"
	neu := "to [strengthen][enhance] international cooperation among States;"
	oldRuns := Uniform(len([]rune(old)), "original")
	got := DiffWords(old, oldRuns, neu, Uniform(len([]rune(neu)), "CEPT"))
	var ins, del []string
	for _, s := range got {
		switch s.Op {
		case "insert":
			ins = append(ins, s.Text)
			if !reflect.DeepEqual(s.Authors, []string{"CEPT"}) {
				t.Errorf("insert %q authors %v", s.Text, s.Authors)
			}
		case "delete":
			del = append(del, s.Text)
			if !reflect.DeepEqual(s.Authors, []string{"original"}) {
				t.Errorf("delete %q authors %v", s.Text, s.Authors)
			}
		}
	}
	// Reassembling the equal+insert segments gives the new text, and
	// equal+delete the old.
	var newText, oldText string
	for _, s := range got {
		if s.Op != "delete" {
			newText += s.Text
		}
		if s.Op != "insert" {
			oldText += s.Text
		}
	}
	if newText != neu || oldText != old {
		t.Fatalf("segments do not rebuild the texts:\n%q\n%q", newText, oldText)
	}
	if len(ins) == 0 || len(del) != 1 || strings.TrimSpace(del[0]) != "Member" {
		t.Fatalf("inserts %q deletes %q", ins, del)
	}
}

func TestDiffWordsScripts(t *testing.T) {
	for _, c := range []struct{ old, neu string }{
		{"", "نص جديد"},
		{"加强国际合作", "加强合作"},
		{"укрепление 👩🏽‍💻 сотрудничества", "укрепление сотрудничества 🇧🇷"},
		{"same", "same"},
	} {
		segs := DiffWords(c.old, Uniform(len([]rune(c.old)), "original"), c.neu, Uniform(len([]rune(c.neu)), "ARB"))
		var n, o string
		for _, s := range segs {
			if s.Op != "delete" {
				n += s.Text
			}
			if s.Op != "insert" {
				o += s.Text
			}
		}
		if n != c.neu || o != c.old {
			t.Errorf("%q → %q: rebuilt %q / %q", c.old, c.neu, o, n)
		}
	}
}

func TestTokenizeKeepsCharactersWhole(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"go 👩🏽‍💻 now", []string{"go", " ", "👩🏽‍💻", " ", "now"}},
		{"🇧🇷🇫🇷!", []string{"🇧🇷", "🇫🇷", "!"}},
		{"café, naïve", []string{"café", ",", " ", "naïve"}},     // precomposed
		{"cafe\u0301,", []string{"cafe\u0301", ","}},             // combining accent
		{"加强国际合作。", []string{"加", "强", "国", "际", "合", "作", "。"}}, // each Han on its own
		{"تعزيز التعاون؛", []string{"تعزيز", " ", "التعاون", "؛"}},
		{"укрепление  [связей]", []string{"укрепление", "  ", "[", "связей", "]"}},
		{"❤️x", []string{"❤️", "x"}}, // variation selector
		{"B/75/4", []string{"B", "/", "75", "/", "4"}},
	} {
		var got []string
		pos := 0
		for _, tk := range tokenize(c.in) {
			got = append(got, tk.text)
			if tk.start != pos || tk.end != pos+len([]rune(tk.text)) || c.in[tk.b0:tk.b1] != tk.text {
				t.Errorf("%q: token %q at %d-%d (bytes %d-%d)", c.in, tk.text, tk.start, tk.end, tk.b0, tk.b1)
			}
			pos = tk.end
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// rebuild returns the old and new texts a diff describes.
func rebuild(segs []Segment) (oldText, newText string) {
	var o, n strings.Builder
	for _, s := range segs {
		if s.Op != "insert" {
			o.WriteString(s.Text)
		}
		if s.Op != "delete" {
			n.WriteString(s.Text)
		}
	}
	return o.String(), n.String()
}

// Any two texts: the segments rebuild both, are maximal (no two neighbours
// of one kind), and name exactly the authors of their text.
func TestDiffWordsProperty(t *testing.T) {
	words := []string{"to", "act", "now", " ", "  ", ",", "[", "]", "加", "强", "تعزيز", "сотрудничества", "👩🏽‍💻", "🇧🇷", "e\u0301"}
	rapid.Check(t, func(t *rapid.T) {
		text := func(label string) (string, Authorship) {
			var s string
			var a Authorship
			for _, w := range rapid.SliceOfN(rapid.SampledFrom(words), 0, 30).Draw(t, label) {
				s += w
				a = a.push(len([]rune(w)), rapid.SampledFrom([]string{"original", "BRA", "CEPT"}).Draw(t, "author"))
			}
			return s, a
		}
		oldText, oldRuns := text("old")
		newText, newRuns := text("new")
		segs := DiffWords(oldText, oldRuns, newText, newRuns)
		if o, n := rebuild(segs); o != oldText || n != newText {
			t.Fatalf("rebuilt %q / %q from %q / %q", o, n, oldText, newText)
		}
		o, n := 0, 0
		for i, s := range segs {
			if s.Text == "" || (i > 0 && segs[i-1].Op == s.Op) {
				t.Fatalf("segment %d %+v empty or not maximal in %+v", i, s, segs)
			}
			k := len([]rune(s.Text))
			switch s.Op {
			case "insert":
				if want := newRuns.Slice(n, n+k).Authors(); !reflect.DeepEqual(s.Authors, want) {
					t.Fatalf("insert %q authors %v, want %v", s.Text, s.Authors, want)
				}
				n += k
			case "delete":
				if want := oldRuns.Slice(o, o+k).Authors(); !reflect.DeepEqual(s.Authors, want) {
					t.Fatalf("delete %q authors %v, want %v", s.Text, s.Authors, want)
				}
				o += k
			default:
				o += k
				n += k
			}
		}
	})
}

// A paragraph of the largest kind, rewritten whole: the diff stays correct
// (and, see BenchmarkDiffWords, fast).
func TestDiffWordsLarge(t *testing.T) {
	old, neu := benchText(1, 84_000), benchText(4, 84_000)
	segs := DiffWords(old, Uniform(len([]rune(old)), "original"), neu, Uniform(len([]rune(neu)), "CEPT"))
	if o, n := rebuild(segs); o != old || n != neu {
		t.Fatal("segments do not rebuild the texts")
	}
	neu = edited(old, 200, 2)
	segs = DiffWords(old, Uniform(len([]rune(old)), "original"), neu, Uniform(len([]rune(neu)), "CEPT"))
	changed := 0
	for _, s := range segs {
		if s.Op != "equal" {
			changed += len(s.Text)
		}
	}
	if o, n := rebuild(segs); o != old || n != neu || changed > len(old)/20 {
		t.Fatalf("a few edits gave %d changed bytes of %d", changed, len(old))
	}
}
