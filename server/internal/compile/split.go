package compile

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// Flattening a table into text runs cells together: a remark and the
// proposal in the next cell ("… could replace the CEPT texta) that early
// warning …"), or two proposals ("… at risk;c) that sirens …"). These
// helpers find the seams.

// remarkStarts are openings of secretariat or delegate comments, lower case.
var remarkStarts = []string{
	"see ", "note:", "note -", "nb:", "nb ", "n.b.", "editor's note", "editorial note",
	"secretariat note", "comment:", "comments:", "cf. ",
	"voir ", "note :", "remarque", "commentaire", "véase ", "ver ", "nota:", "nota :", "comentario",
	"см. ", "примечание", "комментарий", "انظر", "ملاحظة", "تعليق", "见", "参见", "注：", "注:", "备注",
}

// remarkVerbs follow a delegation's name in a comment: "brazil have a
// proposal in aware section".
var remarkVerbs = []string{
	" has ", " have ", " proposes", " propose ", " suggests", " suggest ", " prefers",
	" prefer ", " supports", " support ", " wishes", " would ", " will ", " reserves",
	"'s proposal", "’s proposal", " proposal",
	" a une proposition", " propose ", " souhaite", " préfère", " tiene una propuesta", " propone", " prefiere",
	" предлагает", " предпочитает",
}

// isRemark reports whether line opens with a comment about the proposals
// rather than with resolution text.
func isRemark(line string, reg *delegation.Registry) bool {
	low := strings.ToLower(line)
	for _, p := range remarkStarts {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	if _, n, ok := reg.MatchPrefix(line); ok && n < len(line) {
		rest := strings.ToLower(line[n:])
		for _, v := range remarkVerbs {
			if strings.HasPrefix(rest, v) {
				return true
			}
		}
	}
	return false
}

// isReasons reports whether line opens the Reasons row, in one of the six
// languages: "Reasons:", "Motifs :", "Motivos:", "Основания:", "الأسباب:",
// "理由：".
func isReasons(line string) bool {
	f := strings.TrimSpace(foldHead(line))
	for _, w := range reasonWords {
		if f == w || strings.HasPrefix(f, w+":") || strings.HasPrefix(f, w+" :") {
			return true
		}
	}
	return false
}

// isReasonsWord reports whether cell is the word "Reasons" alone, in one
// of the six languages, with its colon.
func isReasonsWord(cell string) bool {
	return hasWord(reasonWords, strings.TrimRight(foldHead(strings.TrimSpace(cell)), ": "))
}

var reasonWords = func() []string {
	var out []string
	for _, w := range []string{
		"reasons", "reason", "motifs", "motif", "motivos", "motivo", "razones",
		"основания", "основание", "обоснование", "الأسباب", "الاسباب", "السبب", "理由",
	} {
		out = append(out, foldHead(w))
	}
	return out
}()

// glueCuts returns the byte offsets where a paragraph label is glued to
// the text before it, which is where one cell ended and the next began:
// after punctuation ("ICTs;f) that"), after a capital ("RCCa) that"), or
// as the last letter of a word ("sectione) the"). A ")" that closes a "("
// is not a label, nor is one in running text after a space ("; ii) that"),
// which is an enumeration inside one proposal.
func glueCuts(s string) []int {
	var cuts []int
	depth := 0
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '(':
			depth++
			continue
		case ')':
			if depth > 0 {
				depth--
				continue
			}
		default:
			continue
		}
		// A label is followed by a space and a word.
		if k+2 >= len(s) || s[k+1] != ' ' {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[k+2:]); !unicode.IsLetter(r) && !strings.ContainsRune("'‘\"“", r) {
			continue
		}
		if hasWord(joiners, strings.ToLower(firstWord(s[k+2:]))) {
			continue // "cybersecurity) of the", where the "(" is on another line
		}
		m := k
		for m > 0 && 'a' <= s[m-1] && s[m-1] <= 'z' {
			m--
		}
		run := s[m:k]
		if run == "" {
			// One Cyrillic or Arabic label letter, after punctuation:
			// "связи;б) что", "الطوارئ؛ب) أن".
			r, w := utf8.DecodeLastRuneInString(s[:k])
			if letterValue(r) > 0 && k-w > 0 {
				before, _ := utf8.DecodeLastRuneInString(s[:k-w])
				if strings.ContainsRune(gluePunct, before) && strings.TrimSpace(s[:k-w]) != "" {
					cuts = append(cuts, k-w)
				}
			}
			continue
		}
		if m == 0 {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:m])
		var cut int
		switch {
		case validLetters(run) && (unicode.IsLetter(before) || strings.ContainsRune(gluePunct, before)):
			cut = m
		case !validLetters(run) && len(run) > 1:
			cut = k - 1
		default:
			continue
		}
		if cut > 0 && strings.TrimSpace(s[:cut]) != "" {
			cuts = append(cuts, cut)
		}
	}
	cuts = append(cuts, numberCuts(s)...)
	sort.Ints(cuts)
	return slices.Compact(cuts)
}

// gluePunct may end a cell right before a glued label.
const gluePunct = ";,.:”\"'’»)؛،。；，"

// numberCuts finds numbered items glued to the punctuation that ended the
// one before: "…action plan;3 to make provision", "…ICTs;2 'instructs".
// A number after a full stop must not be part of a reference ("No.81",
// "1.5 GHz"): it needs a word before the stop that is not an
// abbreviation.
func numberCuts(s string) []int {
	var cuts []int
	for k := 1; k < len(s); k++ {
		c := s[k-1]
		if c != ';' && c != ':' && c != '.' && !strings.HasSuffix(s[:k], "؛") && !strings.HasSuffix(s[:k], "；") {
			continue
		}
		j := k
		for j < len(s) && j-k < 3 && isDigit(s[j]) {
			j++
		}
		if j == k || (j < len(s) && isDigit(s[j])) {
			continue
		}
		if j < len(s) && (s[j] == ')' || s[j] == '.') {
			j++
		}
		if j+1 >= len(s) || s[j] != ' ' {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[j+1:]); !unicode.IsLetter(r) && !strings.ContainsRune("'‘\"“", r) {
			continue
		}
		if c == '.' {
			prev := lastWord(s[:k-1])
			if prev == "" || hasWord(abbreviations, strings.ToLower(prev)) || unicode.IsDigit(rune(s[k-2])) {
				continue
			}
		}
		if strings.TrimSpace(s[:k]) != "" {
			cuts = append(cuts, k)
		}
	}
	return cuts
}

// abbreviations end with a full stop before a number that belongs to them.
var abbreviations = []string{"no", "nos", "art", "arts", "para", "paras", "p", "pp", "vol", "rev", "add", "corr", "doc", "res", "ch", "sec", "fig", "op", "cf"}

// lastWord returns the letters at the end of s.
func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

// joiners carry a sentence on; a paragraph does not open with them, so a
// ")" before one closes a parenthesis rather than a label.
var joiners = []string{
	"of", "and", "or", "nor", "but", "in", "on", "for", "which", "whose", "with", "by",
	"is", "are", "was", "were", "has", "have", "had", "as", "at", "from", "where", "when",
	"while", "so", "than", "into",
}

func firstWord(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		return s
	}
	return s[:end]
}

// splitGlued splits s at its glue cuts.
func splitGlued(s string) []string {
	cuts := glueCuts(s)
	if len(cuts) == 0 {
		return []string{s}
	}
	out := make([]string, 0, len(cuts)+1)
	prev := 0
	for _, c := range cuts {
		out = append(out, strings.TrimSpace(s[prev:c]))
		prev = c
	}
	return append(out, strings.TrimSpace(s[prev:]))
}

// splitRemark separates a remark from a proposal glued to its end. rest is
// "" when the whole line is the remark.
func splitRemark(s string) (remark, rest string) {
	cuts := glueCuts(s)
	if len(cuts) == 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:cuts[0]]), strings.TrimSpace(s[cuts[0]:])
}

// hasWordChar reports whether s holds a letter or a digit; a line without
// any (a rule of underscores, a lone bullet) cannot be resolution text.
func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
