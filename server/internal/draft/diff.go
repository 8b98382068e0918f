package draft

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Segment is one stretch of a word-level diff.
type Segment struct {
	Op      string   `json:"op"` // "equal", "insert" or "delete"
	Text    string   `json:"text"`
	Authors []string `json:"authors,omitempty"` // who wrote the inserted or deleted text
}

// maxDiffCells bounds the LCS table; larger paragraphs are diffed as a
// whole replacement rather than risk a quadratic blow-up.
const maxDiffCells = 4_000_000

type token struct {
	text       string
	start, end int // code points
}

// tokenize splits text into words, runs of white space, and single other
// characters (punctuation, brackets), each CJK character on its own.
func tokenize(s string) []token {
	var out []token
	pos := 0
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		j, n := i+size, 1
		class := classOf(r)
		if class == 'w' || class == 's' {
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if classOf(r2) != class {
					break
				}
				j += size2
				n++
			}
		}
		out = append(out, token{text: s[i:j], start: pos, end: pos + n})
		pos += n
		i = j
	}
	return out
}

func classOf(r rune) byte {
	switch {
	case unicode.IsSpace(r):
		return 's'
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return 'c' // each on its own
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\u200d':
		return 'w'
	}
	return 'p'
}

// DiffWords compares two texts word by word. Inserted text carries the
// authors of the new text, deleted text those of the old.
func DiffWords(oldText string, oldRuns Authorship, newText string, newRuns Authorship) []Segment {
	a, b := tokenize(oldText), tokenize(newText)
	// Trim the common start and end before the quadratic part.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre].text == b[pre].text {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf].text == b[len(b)-1-suf].text {
		suf++
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	type step struct {
		op  byte
		tok token
	}
	var steps []step
	for _, t := range a[:pre] {
		steps = append(steps, step{'=', t})
	}
	if len(am)*len(bm) > maxDiffCells {
		for _, t := range am {
			steps = append(steps, step{'-', t})
		}
		for _, t := range bm {
			steps = append(steps, step{'+', t})
		}
	} else {
		// lcs[i][j] is the LCS length of am[i:] and bm[j:].
		n, m := len(am), len(bm)
		lcs := make([]int32, (n+1)*(m+1))
		at := func(i, j int) *int32 { return &lcs[i*(m+1)+j] }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if am[i].text == bm[j].text {
					*at(i, j) = *at(i+1, j+1) + 1
				} else {
					*at(i, j) = max(*at(i+1, j), *at(i, j+1))
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && am[i].text == bm[j].text:
				steps = append(steps, step{'=', bm[j]})
				i++
				j++
			case j < m && (i == n || *at(i, j+1) >= *at(i+1, j)):
				steps = append(steps, step{'+', bm[j]})
				j++
			default:
				steps = append(steps, step{'-', am[i]})
				i++
			}
		}
	}
	for _, t := range b[len(b)-suf:] {
		steps = append(steps, step{'=', t})
	}

	var out []Segment
	names := map[byte]string{'=': "equal", '+': "insert", '-': "delete"}
	for k := 0; k < len(steps); {
		op := steps[k].op
		l := k
		text := ""
		for l < len(steps) && steps[l].op == op {
			text += steps[l].tok.text
			l++
		}
		seg := Segment{Op: names[op], Text: text}
		switch op {
		case '+':
			seg.Authors = spanAuthors(newRuns, steps[k].tok.start, steps[l-1].tok.end)
		case '-':
			seg.Authors = spanAuthors(oldRuns, steps[k].tok.start, steps[l-1].tok.end)
		}
		out = append(out, seg)
		k = l
	}
	return out
}

func spanAuthors(runs Authorship, from, to int) []string {
	seen := map[string]bool{}
	for _, r := range runs.Slice(from, to) {
		seen[r.Author] = true
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
