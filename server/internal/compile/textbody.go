package compile

import (
	"strings"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// mode says which column the lines of a row are taken to come from.
type mode int

const (
	modeOriginal mode = iota // the Original cell, which comes first
	modeProposal             // proposers' cells, which follow it
	modeReasons              // the Reasons row
)

type unitKind int

const (
	unitParagraph unitKind = iota
	unitProposal
	unitHeading
	unitNote
)

// A unit is a paragraph, proposal, heading or note being assembled from
// consecutive lines; it is added to the Compilation when it closes.
type unit struct {
	kind     unitKind
	label    string
	text     strings.Builder
	last     string // the last line added, to decide whether the next continues it
	lines    int
	noteKind string // for unitNote
	headKind string // for unitHeading
	action   string // for unitProposal: SUP or NOC from a cell of its own
	line     int    // 1-based line of the file the unit starts on
	cell     int    // for unitProposal: the proposers' cell of the row it came from
}

func (u *unit) add(line string) {
	switch {
	case u.lines == 0:
	case hyphenated(u.last):
	default:
		u.text.WriteByte(' ')
	}
	u.text.WriteString(line)
	u.last = line
	u.lines++
}

// textParser turns the body rows of the text form into sections.
type textParser struct {
	c     *Compilation
	reg   *delegation.Registry
	lines []string
	rowAt []int

	row  int
	mode mode
	unit *unit
	cur  int // current section, -1 before the first heading
	// redirect is the section a repeated heading in this row pointed at:
	// the proposals after it amend that section.
	redirect int
	// rowParas are the original paragraphs of this row, by section.
	rowParas  map[int][]int
	rowCount  int
	rowLabels map[int]map[string]int

	seqs       []labelSeq
	labels     []map[string]int // per section: label key -> paragraph
	headingIdx map[string]int   // folded heading -> latest section with it

	// restated is a restated heading waiting for the proposal it opens.
	restated    string
	restatedSec int

	// rowCells counts the proposers' cells of this row (one a line), and
	// rowProps are the proposals they gave, for suggestRow.
	rowCells int
	rowProps []propAt
}

// propAt locates a proposal of the Compilation: in section sec, on
// paragraph para (-1 for the section), at index i; cell is the cell of
// its row it came from.
type propAt struct {
	sec, para, i, cell int
}

func newTextParser(c *Compilation, reg *delegation.Registry, lines []string, rowAt []int) *textParser {
	return &textParser{
		c: c, reg: reg, lines: lines, rowAt: rowAt,
		cur: -1, redirect: -1,
		headingIdx: map[string]int{},
	}
}

// parse reads the lines from body on.
func (p *textParser) parse(body int) {
	p.startRow(p.row)
	for i := body; i < len(p.lines); i++ {
		if n := p.rowAt[i]; n > 0 {
			p.closeUnit()
			p.startRow(n)
			continue
		}
		p.line(i)
	}
	p.closeUnit()
	p.flushRestated()
	p.suggestRow()
}

// suggestRow suggests proposers for a row that has a cell for every
// proposer column: the cells come in column order, so the k-th cell is
// the k-th proposer's.
func (p *textParser) suggestRow() {
	if p.rowCells == 0 || p.rowCells != len(p.c.Proposers) {
		return
	}
	for _, at := range p.rowProps {
		pr := p.c.proposalAt(at)
		if pr.Proposer == "" && pr.SuggestedProposer == "" {
			pr.SuggestedProposer = p.c.Proposers[at.cell].Code
			pr.SuggestedBy = SuggestedByRow
		}
	}
}

func (p *textParser) startRow(n int) {
	p.flushRestated()
	p.suggestRow()
	p.rowCells, p.rowProps = 0, nil
	p.row = n
	p.mode = modeOriginal
	p.redirect = -1
	p.rowParas = map[int][]int{}
	p.rowCount = 0
	p.rowLabels = map[int]map[string]int{}
}

// line handles line i of the file.
func (p *textParser) line(i int) {
	t := p.lines[i]
	if t == "" {
		p.closeUnit()
		return
	}
	if p.mode == modeReasons {
		if u := p.unit; u != nil && p.continues(u, t) {
			u.add(t)
			return
		}
		p.closeUnit()
		p.unit = &unit{kind: unitNote, noteKind: NoteReasons}
		p.unit.add(t)
		return
	}
	if isReasons(t) {
		p.closeUnit()
		p.mode = modeReasons
		p.unit = &unit{kind: unitNote, noteKind: NoteReasons}
		p.unit.add(t)
		return
	}
	if u := p.unit; u != nil && p.continues(u, t) {
		u.add(t)
		return
	}
	p.closeUnit()
	if !hasWordChar(t) {
		p.unplaced(i+1, t)
		return
	}
	if h, ok := detectHeading(t); ok && p.heading(i, t, h) {
		return
	}
	if a := actionOnly(t); a != "" && p.cur >= 0 {
		// A proposer's cell that holds only "SUP" or "NOC": that action
		// for the row, not a text.
		p.mode = modeProposal
		p.rowCells++
		p.unit = &unit{kind: unitProposal, action: a, line: i + 1, cell: p.rowCells - 1}
		p.closeUnit()
		return
	}
	if p.mode == modeOriginal && p.original(i, t) {
		return
	}
	p.mode = modeProposal
	p.proposal(i+1, t)
}

// continues decides whether line t carries on unit u: the Original column
// is hard-wrapped, so a paragraph goes on until a line that the wrap did
// not end (short, and ending a sentence) or a line that opens something
// new (a label, a heading).
func (p *textParser) continues(u *unit, t string) bool {
	if u.lines == 0 {
		// A label standing alone: its text follows.
		return !isLabelOnly(t) && !isHeadingLine(t)
	}
	prev := u.last
	if runeLen(prev) > wrapWidth || runeLen(t) > wrapWidth || isLabelOnly(t) || actionOnly(t) != "" {
		return false
	}
	if u.kind == unitHeading {
		return (endsWithConnective(prev) || hyphenated(prev)) && labelLen(t) == 0
	}
	if hyphenated(prev) {
		return true
	}
	full := runeLen(prev) >= fullWidth
	if labelLen(t) > 0 || isHeadingLine(t) || isRemark(t, p.reg) || isReasons(t) {
		// A wrapped number ("47 (Rev. Montevideo, 2031)") can start a
		// line only where the wrap cut a sentence.
		return full && !terminated(prev)
	}
	return !terminated(prev) || full
}

func isHeadingLine(t string) bool {
	_, ok := detectHeading(t)
	return ok
}

// heading handles a line that starts with a section heading. It returns
// false when the line is better read as a proposal.
func (p *textParser) heading(i int, t string, h heading) bool {
	existing, repeat := p.headingIdx[foldKey(h.text)]
	long := runeLen(t) > wrapWidth
	if !repeat {
		// New headings stand on short lines of the Original column; a long
		// line opening with "encourages Member States to …" is a
		// proposer's paragraph.
		if long || (h.rest != "" && p.mode == modeProposal) {
			return false
		}
		p.unit = &unit{kind: unitHeading, headKind: h.kind}
		p.unit.add(h.text)
		if h.rest == "" {
			return true // the heading may go on over the next line
		}
		p.closeUnit()
		rest := t[h.cut:]
		if !p.original(i, rest) {
			p.mode = modeProposal
			p.proposal(i+1, rest)
		}
		return true
	}
	p.repeatHeading(existing, strings.TrimSpace(t[:h.cut]))
	if h.rest != "" {
		rest := t[h.cut:]
		if long || p.rowCount > 0 || p.mode == modeProposal || !p.original(i, rest) {
			p.mode = modeProposal
			p.proposal(i+1, rest)
		}
	}
	return true
}

// repeatHeading records a heading that repeats section sec's: under the
// secretariat's capitalised heading row the Original cell may restate it
// ("recalling"), and a proposer's cell may start with the heading it
// amends. Either way the proposals that follow belong to sec.
//
// The restatement is not kept as a note: a proposer's is recorded on the
// proposal that follows it (Proposal.Heading), the Original column's on
// the section (Section.Restated).
func (p *textParser) repeatHeading(sec int, text string) {
	p.flushRestated()
	p.restated, p.restatedSec = text, sec
	p.redirect = sec
	if p.rowCount > 0 || sec != p.cur {
		p.mode = modeProposal
	}
}

// flushRestated records a restated heading that no proposal took as the
// Original column's.
func (p *textParser) flushRestated() {
	if p.restated != "" {
		s := &p.c.Sections[p.restatedSec]
		s.Restated = append(s.Restated, p.restated)
		p.restated = ""
	}
}

// original handles a line in the Original column's part of a row. It
// returns false when the line cannot be original text, which ends that
// part of the row.
func (p *textParser) original(i int, t string) bool {
	if p.cur < 0 || runeLen(t) > wrapWidth || isRemark(t, p.reg) {
		return false
	}
	sec := &p.c.Sections[p.cur]
	label, rest, ok := splitLabel(t)
	if !ok {
		// Unlabelled original text opens a section ("within the
		// resources available:"); later it would be a proposer's.
		if len(sec.Paragraphs) > 0 {
			return false
		}
		p.unit = &unit{kind: unitParagraph}
		p.unit.add(t)
		return true
	}
	afterColon := false
	if n := len(sec.Paragraphs); n > 0 {
		afterColon = strings.HasSuffix(sec.Paragraphs[n-1].Text, ":")
	}
	preferRoman := romanNext(label, p.nextLabel(i))
	if !p.seqs[p.cur].accept(label, preferRoman, afterColon) {
		return false
	}
	p.unit = &unit{kind: unitParagraph, label: label}
	if rest != "" {
		p.unit.add(rest)
	}
	return true
}

// nextLabel returns the label of the next labelled line in the row.
func (p *textParser) nextLabel(i int) string {
	for j := i + 1; j < len(p.lines) && p.rowAt[j] == 0; j++ {
		if l, _, ok := splitLabel(p.lines[j]); ok {
			return l
		}
	}
	return ""
}

// proposal handles a line from the proposers' part of a row.
func (p *textParser) proposal(line int, t string) {
	if p.cur < 0 {
		p.unplaced(line, t)
		return
	}
	// Each line of the proposers' part of a row is one cell.
	p.rowCells++
	cell := p.rowCells - 1
	if isRemark(t, p.reg) {
		remark, rest := splitRemark(t)
		p.unit = &unit{kind: unitNote, noteKind: NoteRemark, line: line}
		p.unit.add(remark)
		if rest == "" {
			return
		}
		p.closeUnit()
		t = rest
	}
	pieces := splitGlued(t)
	for k, piece := range pieces {
		label, rest, _ := splitLabel(piece)
		p.unit = &unit{kind: unitProposal, label: label, line: line, cell: cell}
		if rest != "" {
			p.unit.add(rest)
		}
		if k < len(pieces)-1 {
			p.closeUnit()
		}
	}
}

func (p *textParser) unplaced(line int, t string) {
	p.c.Unplaced = append(p.c.Unplaced, Unplaced{Line: line, Text: t})
	n := Note{Text: t, Row: p.row, Kind: NoteUnplaced}
	if p.cur < 0 {
		p.c.Notes = append(p.c.Notes, n)
		return
	}
	sec, para := p.anchor("")
	p.addNote(sec, para, n)
}

// closeUnit adds the unit being assembled to the Compilation.
func (p *textParser) closeUnit() {
	u := p.unit
	if u == nil {
		return
	}
	p.unit = nil
	text := u.text.String()
	switch u.kind {
	case unitHeading:
		p.closeHeading(u, text)
	case unitParagraph:
		// A heading restated before original text is the Original
		// column's.
		p.flushRestated()
		sec := &p.c.Sections[p.cur]
		sec.Paragraphs = append(sec.Paragraphs, Paragraph{Label: u.label, Text: text, Row: p.row})
		idx := len(sec.Paragraphs) - 1
		p.rowParas[p.cur] = append(p.rowParas[p.cur], idx)
		p.rowCount++
		if u.label != "" {
			k := labelKey(u.label)
			p.labels[p.cur][k] = idx
			if p.rowLabels[p.cur] == nil {
				p.rowLabels[p.cur] = map[string]int{}
			}
			p.rowLabels[p.cur][k] = idx
		}
	case unitProposal:
		action := ActionADD
		switch {
		case u.action != "":
			action = u.action
		case p.rowCount > 0:
			action = ActionMOD
		}
		sec, para := p.anchor(u.label)
		pr := Proposal{Action: action, Label: u.label, Text: text, Row: p.row, Line: u.line}
		if p.restated != "" && p.restatedSec == sec {
			pr.Heading, p.restated = p.restated, ""
		}
		at := propAt{sec: sec, para: para, cell: u.cell}
		if para >= 0 {
			ps := &p.c.Sections[sec].Paragraphs[para]
			ps.Proposals = append(ps.Proposals, pr)
			at.i = len(ps.Proposals) - 1
		} else {
			s := &p.c.Sections[sec]
			s.Proposals = append(s.Proposals, pr)
			at.i = len(s.Proposals) - 1
		}
		p.rowProps = append(p.rowProps, at)
	case unitNote:
		n := Note{Text: text, Row: p.row, Kind: u.noteKind, Line: u.line}
		if u.noteKind == NoteReasons || p.cur < 0 {
			p.c.Notes = append(p.c.Notes, n)
			return
		}
		sec, para := p.anchor("")
		p.addNote(sec, para, n)
	}
}

// closeHeading opens a section, unless the heading, now that its wrapped
// lines are joined, turns out to repeat an earlier one.
func (p *textParser) closeHeading(u *unit, text string) {
	if sec, ok := p.headingIdx[foldKey(text)]; ok {
		p.repeatHeading(sec, text)
		return
	}
	p.c.Sections = append(p.c.Sections, Section{Heading: text, Kind: u.headKind, Row: p.row})
	p.cur = len(p.c.Sections) - 1
	p.seqs = append(p.seqs, labelSeq{})
	p.labels = append(p.labels, map[string]int{})
	p.headingIdx[foldKey(text)] = p.cur
	p.mode = modeOriginal
	p.redirect = -1
}

// anchor picks where a proposal or remark of this row goes. The column is
// lost, so the row is what ties a proposal to the original text: the
// row's paragraph with the same label, else the row's only paragraph, else
// the section. After a repeated heading the section is the one it named,
// and a label may match any of that section's paragraphs.
func (p *textParser) anchor(label string) (sec, para int) {
	sec = p.cur
	if p.redirect >= 0 {
		sec = p.redirect
	}
	if p.rowCount == 0 {
		return sec, -1
	}
	k := labelKey(label)
	rowParas := p.rowParas[sec]
	if k != "" {
		if i, ok := p.rowLabels[sec][k]; ok {
			return sec, i
		}
		if len(rowParas) == 0 {
			if i, ok := p.labels[sec][k]; ok {
				return sec, i
			}
		}
	}
	if len(rowParas) == 1 && (p.redirect < 0 || p.redirect == p.cur) {
		return sec, rowParas[0]
	}
	return sec, -1
}

func (p *textParser) addNote(sec, para int, n Note) {
	if para >= 0 {
		ps := &p.c.Sections[sec].Paragraphs[para]
		ps.Notes = append(ps.Notes, n)
		return
	}
	s := &p.c.Sections[sec]
	s.Notes = append(s.Notes, n)
}
