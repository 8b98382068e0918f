package draft

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// BenchmarkApplyEditDelegate times one keystroke by a delegate inside its
// own pair, in paragraphs of growing size with a bracket group every few
// words: the price of checking the hold rule on the whole paragraph.
func BenchmarkApplyEditDelegate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		var p Paragraph
		add := func(s, a string) {
			p.Text += s
			p.Authors = p.Authors.push(utf8.RuneCountInString(s), a)
		}
		for i := 0; utf8.RuneCountInString(p.Text) < n-40; i++ {
			add("to strengthen cooperation among States ", AuthorOriginal)
			add("[duly]", []string{"BRA", "CEPT", "CHN"}[i%3])
			add(" ", AuthorOriginal)
		}
		at := strings.Index(p.Text, "[duly]") + 1 // inside BRA's first pair
		o := op(skip(at), ins("x"))
		b.Run(itoaBench(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ApplyEdit(bra, p, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoaBench(n int) string {
	switch n {
	case 1_000:
		return "1k"
	case 10_000:
		return "10k"
	}
	return "100k"
}
