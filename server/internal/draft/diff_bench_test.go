package draft

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// benchText builds a paragraph of about n code points from words of our
// own, the same for the same seed.
func benchText(seed uint64, n int) string {
	words := []string{"to", "strengthen", "cooperation", "among", "Member", "States", "on", "early", "warning",
		"and", "disaster", "relief", "networks", "the", "Sectors", "common", "alerting", "formats", "emergency",
		"telecommunications", "for", "everyone", "at", "risk;"}
	r := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

// edited changes about one word in every k of s.
func edited(s string, k int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	ws := strings.Split(s, " ")
	for i := range ws {
		switch r.IntN(k) {
		case 0:
			ws[i] = "national"
		case 1:
			ws[i] = "[" + ws[i] + "][three]"
		}
	}
	return strings.Join(ws, " ")
}

// BenchmarkDiffWords diffs paragraphs of 84,000 characters, the size that
// took 20 s for 20 paragraphs before the Myers diff.
func BenchmarkDiffWords(b *testing.B) {
	const n = 84_000
	old := benchText(1, n)
	for _, c := range []struct {
		name string
		neu  string
	}{
		{"identical", old},
		{"few-edits", edited(old, 200, 2)},
		{"many-edits", edited(old, 8, 3)},
		{"rewritten", benchText(4, n)},
	} {
		oldRuns := Uniform(len([]rune(old)), AuthorOriginal)
		newRuns := Uniform(len([]rune(c.neu)), "CEPT")
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DiffWords(old, oldRuns, c.neu, newRuns)
			}
		})
	}
}
