package compile

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// The flattened text form is a table exported cell by cell, one cell's
// lines after another: row numbers on lines of their own, a line of column
// letters ("ABCDEFG"), a title row, a header row whose cells run together,
// then for each row the Original cell (hard-wrapped at about 100
// characters) followed by the proposers' cells (one unwrapped line each).
// Which column a proposer's line came from is lost.

const (
	// wrapWidth is the longest line the Original column's hard wrap
	// produces; longer lines were never wrapped and so are proposers' cells.
	wrapWidth = 105
	// fullWidth is how far a wrapped line reaches when the wrap, not the
	// end of a paragraph, ended it.
	fullWidth = 70
	// maxLines bounds the lines read, to bound memory on hostile input.
	maxLines = 1 << 20
	// maxHeaderBytes bounds the header row, which is matched against the
	// delegation names at every capital letter.
	maxHeaderBytes = 64 << 10
)

// readText parses the flattened text form.
func readText(src string, reg *delegation.Registry) (*Compilation, error) {
	lines := strings.Split(src, "\n")
	if len(lines) > maxLines {
		return nil, inputErr(ErrTooLarge, 0, "more than %d lines", maxLines)
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	rowAt := rowNumbers(lines)
	start, head, body := textHeader(lines, rowAt)
	if head < 0 {
		return nil, inputErr(ErrNoOriginal, 0, `no header row starting with "Original"`)
	}

	c := &Compilation{}
	for i := start; i < head; i++ {
		if lines[i] != "" && rowAt[i] == 0 {
			c.above = append(c.above, aboveLine{text: lines[i], row: rowBefore(rowAt, i)})
		}
	}
	var hdr []string
	for _, l := range lines[head:body] {
		if l != "" {
			hdr = append(hdr, l)
		}
	}
	header := strings.Join(hdr, "\n")
	if len(header) > maxHeaderBytes {
		return nil, inputErr(ErrTooLarge, head+1, "header row longer than %d bytes", maxHeaderBytes)
	}
	c.BaseRef, c.Proposers = parseTextHeader(header, reg)
	c.originalCell = header[:originalCellEnd(header, reg)]

	p := newTextParser(c, reg, lines, rowAt)
	p.row = rowBefore(rowAt, head)
	p.parse(body)
	return c, nil
}

// textHeader finds the header row in the trimmed lines of the flattened
// form: after blank lines and the column letters (from start), the first
// line that is no row number and names the Original column (head, or -1).
// The header row runs to the next row number; without row numbers it is
// the one line. The body starts after it.
func textHeader(lines []string, rowAt []int) (start, head, body int) {
	for start < len(lines) && lines[start] == "" {
		start++
	}
	if start < len(lines) && isColumnLetters(lines[start]) {
		start++
	}
	head = -1
	for i := start; i < len(lines); i++ {
		if rowAt[i] == 0 && isOriginalHeader(lines[i]) {
			head = i
			break
		}
	}
	if head < 0 {
		return start, -1, -1
	}
	body = head + 1
	if hasRowNumbers(rowAt) {
		for body < len(lines) && rowAt[body] == 0 {
			body++
		}
	}
	return start, head, body
}

// isColumnLetters reports whether s is the spreadsheet's column letters:
// "ABCDEFG".
func isColumnLetters(s string) bool {
	return len(s) >= 2 && len(s) <= 26 && strings.HasPrefix("ABCDEFGHIJKLMNOPQRSTUVWXYZ", s)
}

func hasRowNumbers(rowAt []int) bool {
	for _, r := range rowAt {
		if r > 0 {
			return true
		}
	}
	return false
}

// rowBefore returns the number of the row that line i is in.
func rowBefore(rowAt []int, i int) int {
	for ; i >= 0; i-- {
		if rowAt[i] > 0 {
			return rowAt[i]
		}
	}
	return 0
}

// bareInt returns the value of a line that is only a number, or 0.
func bareInt(s string) int {
	if s == "" || len(s) > 6 {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0
		}
	}
	n, _ := strconv.Atoi(s)
	return n
}

// rowNumbers tells row numbers from paragraph labels standing alone ("1"
// in RESOLVES): both are lines holding only a number, but row numbers count
// up by one through the whole file. It returns, for each line, the row
// number it holds, or 0.
//
// It picks the longest chain of such lines whose values go up by one.
// Labels can form short chains of their own ("1", "2", "3" in one row); a
// number whose next line starts in lower case (the text of a label) counts
// against the chain, so a label only joins it when nothing better links
// the rows. Ties go to the later line, since a row number comes after the
// row's last label.
func rowNumbers(lines []string) []int {
	type node struct {
		line, val, score, prev int
	}
	var nodes []node
	best := map[int]int{} // value -> index into nodes of the best chain ending there
	for i, l := range lines {
		v := bareInt(l)
		if v == 0 {
			continue
		}
		penalty := 0
		if next := nextNonBlank(lines, i); next != "" {
			if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) {
				penalty = 1
			}
		}
		n := node{line: i, val: v, score: 1 - penalty, prev: -1}
		if j, ok := best[v-1]; ok && nodes[j].score+1-penalty >= n.score {
			n.score, n.prev = nodes[j].score+1-penalty, j
		}
		nodes = append(nodes, n)
		if j, ok := best[v]; !ok || n.score >= nodes[j].score {
			best[v] = len(nodes) - 1
		}
	}
	out := make([]int, len(lines))
	end := -1
	for i, n := range nodes {
		if end < 0 || n.score > nodes[end].score {
			end = i
		}
	}
	// A chain of one is a lone number, not a numbering of rows.
	if end < 0 || nodes[end].prev < 0 {
		return out
	}
	for i := end; i >= 0; i = nodes[i].prev {
		out[nodes[i].line] = nodes[i].val
	}
	return out
}

func nextNonBlank(lines []string, i int) string {
	for j := i + 1; j < len(lines); j++ {
		if lines[j] != "" {
			return lines[j]
		}
	}
	return ""
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// terminated reports whether a line ends a sentence or clause, ignoring
// closing quotes and brackets.
func terminated(s string) bool {
	s = strings.TrimRight(s, "\"'”’)]»")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".;:,!?،؛؟。；，：！？", r)
}

// hyphenated reports whether a line ends inside a hyphenated word
// ("well-"), which joins the next line without a space.
func hyphenated(s string) bool {
	if !strings.HasSuffix(s, "-") || len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

// connectives end a heading line that the wrap cut short ("… Bureau and
// the" / "Director of the Telecommunication Development Bureau"), in the
// languages whose headings run long.
var connectives = []string{
	"the", "and", "of", "for", "to", "in", "on", "with", "or",
	"de", "du", "des", "d'", "la", "le", "les", "l'", "et", "avec", "en", "au", "aux", "à", "pour", "sur",
	"del", "el", "los", "las", "y", "con", "al", "a", "para",
	"и", "в", "с", "по", "для", "на", "со",
}

func endsWithConnective(s string) bool {
	i := strings.LastIndexByte(s, ' ')
	return hasWord(connectives, strings.ToLower(s[i+1:])) || strings.HasSuffix(s, ",")
}
