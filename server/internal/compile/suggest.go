package compile

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// When the flattened form loses which column a proposal came from, the
// file may still say whose it is. The importer suggests a proposer where
// it finds evidence, and keeps the suggestion beside the proposal: the
// chair accepts or corrects it; nothing is assigned silently.

// Values of Proposal.SuggestedBy.
const (
	// SuggestedByRef: the text cites a document reference whose ITU symbol
	// is a proposer's ("see EUR/80A1/14").
	SuggestedByRef = "ref"
	// SuggestedByRow: the row has one cell per proposer column, so the
	// cells, in order, are the columns'.
	SuggestedByRow = "row"
	// SuggestedByRemark: a remark says a delegation has a proposal in a
	// section ("brazil has a proposal in the aware section"), and this is
	// the proposal there closest to the remark's row.
	SuggestedByRemark = "remark"
)

// proposalAt returns the proposal at a location.
func (c *Compilation) proposalAt(at propAt) *Proposal {
	s := &c.Sections[at.sec]
	if at.para >= 0 {
		return &s.Paragraphs[at.para].Proposals[at.i]
	}
	return &s.Proposals[at.i]
}

// forEachProposal calls fn with every proposal and where it is.
func (c *Compilation) forEachProposal(fn func(at propAt, p *Proposal)) {
	for si := range c.Sections {
		s := &c.Sections[si]
		for pi := range s.Paragraphs {
			for i := range s.Paragraphs[pi].Proposals {
				fn(propAt{sec: si, para: pi, i: i}, &s.Paragraphs[pi].Proposals[i])
			}
		}
		for i := range s.Proposals {
			fn(propAt{sec: si, para: -1, i: i}, &s.Proposals[i])
		}
	}
}

// suggest fills in suggested proposers from references and remarks (rows
// are done while the text form is read). A suggestion for one piece of a
// run-together cell holds for the cell's other pieces too.
func (c *Compilation) suggest(reg *delegation.Registry) {
	if len(c.Proposers) == 0 {
		return
	}
	c.suggestFromRefs(reg)
	c.suggestFromRemarks(reg)
	c.spreadOverCells()
}

// docRef finds document references in running text: "B/75/4",
// "EUR/80A1/14", "RCC/3(Add.1)/2".
var docRef = regexp.MustCompile(`\b` + refSyntax + `\b`)

// suggestFromRefs suggests the proposer whose reference, or whose ITU
// symbol, a proposal's text cites.
func (c *Compilation) suggestFromRefs(reg *delegation.Registry) {
	c.forEachProposal(func(_ propAt, p *Proposal) {
		if p.Proposer != "" || p.SuggestedProposer != "" {
			return
		}
		for _, ref := range docRef.FindAllString(p.Label+" "+p.Text, -1) {
			if code := c.proposerOfRef(ref, reg); code != "" {
				p.SuggestedProposer, p.SuggestedBy = code, SuggestedByRef
				return
			}
		}
	})
}

// proposerOfRef returns the header proposer a reference belongs to: the
// one whose reference it is, or whose ITU symbol it starts with.
func (c *Compilation) proposerOfRef(ref string, reg *delegation.Registry) string {
	for _, pr := range c.Proposers {
		if pr.Code != "" && pr.Ref == ref {
			return pr.Code
		}
	}
	d, ok := reg.ResolveRef(ref)
	if !ok {
		return ""
	}
	for _, pr := range c.Proposers {
		if pr.Code == d.Code {
			return pr.Code
		}
	}
	return ""
}

// suggestFromRemarks reads remarks that place a delegation's proposal in
// a section ("see BR proposal on recognizing", "brazil have a proposal in
// aware section"). The delegation must be a header proposer and the
// section must exist; the suggestion goes to the unassigned proposal of
// that section whose words are closest to the remark's own row (its
// paragraph and that row's proposals), if any is close enough.
func (c *Compilation) suggestFromRemarks(reg *delegation.Registry) {
	type remark struct {
		note Note
		sec  int
		para int
	}
	var remarks []remark
	for si, s := range c.Sections {
		for _, n := range s.Notes {
			remarks = append(remarks, remark{n, si, -1})
		}
		for pi, p := range s.Paragraphs {
			for _, n := range p.Notes {
				remarks = append(remarks, remark{n, si, pi})
			}
		}
	}
	for _, r := range remarks {
		if r.note.Kind != NoteRemark {
			continue
		}
		code := c.delegationNamed(r.note.Text, reg)
		target := c.sectionNamed(r.note.Text, r.sec)
		if code == "" || target < 0 {
			continue
		}
		context := words(c.rowText(r.sec, r.para, r.note.Row))
		best, bestScore, second := (*Proposal)(nil), 0.0, 0.0
		c.forEachProposal(func(at propAt, p *Proposal) {
			if at.sec != target || p.Proposer != "" || p.SuggestedProposer != "" {
				return
			}
			switch s := overlap(context, words(p.Text)); {
			case s > bestScore:
				best, bestScore, second = p, s, bestScore
			case s > second:
				second = s
			}
		})
		if best != nil && bestScore >= minRemarkOverlap && bestScore-second >= minRemarkLead {
			best.SuggestedProposer, best.SuggestedBy = code, SuggestedByRemark
		}
	}
}

// minRemarkOverlap is how much of the smaller word set the proposal and
// the remark's row must share, and minRemarkLead how far ahead of the
// next proposal of the section it must be: the same subject, and no
// doubt which proposal it is.
const (
	minRemarkOverlap = 0.4
	minRemarkLead    = 0.1
)

// delegationNamed returns the header proposer a remark names: by name,
// alias or code, or by its two-letter country code ("BR").
func (c *Compilation) delegationNamed(text string, reg *delegation.Registry) string {
	ws := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
	for i := range ws {
		for n := min(4, len(ws)-i); n >= 1; n-- {
			phrase := strings.Join(ws[i:i+n], " ")
			phrase = strings.TrimSuffix(strings.TrimSuffix(phrase, "'s"), "’s")
			for _, pr := range c.Proposers {
				if pr.Code == "" {
					continue
				}
				if d, ok := reg.Resolve(phrase); ok && d.Code == pr.Code && (n > 1 || len(phrase) > 2) {
					return pr.Code
				}
				if d, ok := reg.Get(pr.Code); ok && n == 1 && len(phrase) == 2 && phrase == strings.ToUpper(phrase) && d.ISO2() == phrase {
					return pr.Code
				}
			}
		}
	}
	return ""
}

// sectionLeads come before a section's name in a remark, in the
// languages of the headings: "in aware section", "sous décide".
var sectionLeads = []string{"in", "on", "under", "see", "to", "sous", "dans", "voir", "bajo", "en", "ver", "в", "см"}

// sectionNamed returns the section, other than own, whose heading's first
// word the remark uses after "in", "on" or "under" ("in aware section",
// "on recognizing"), or -1.
func (c *Compilation) sectionNamed(text string, own int) int {
	ws := strings.Fields(foldHead(text))
	for i := 1; i < len(ws); i++ {
		if !hasWord(sectionLeads, ws[i-1]) {
			continue
		}
		w := strings.Trim(ws[i], "\"'“”‘’,.;:()")
		if w == "the" && i+1 < len(ws) {
			w = strings.Trim(ws[i+1], "\"'“”‘’,.;:()")
		}
		for si, s := range c.Sections {
			if si == own {
				continue
			}
			if first := strings.Fields(foldKey(s.Heading)); len(first) > 0 && first[0] == w && len(w) > 3 {
				return si
			}
		}
	}
	return -1
}

// rowText is the text of a remark's row: its paragraph's, and the row's
// proposals'.
func (c *Compilation) rowText(sec, para, row int) string {
	var b strings.Builder
	s := c.Sections[sec]
	if para >= 0 {
		b.WriteString(s.Paragraphs[para].Text)
	}
	c.forEachProposal(func(at propAt, p *Proposal) {
		if at.sec == sec && p.Row == row {
			b.WriteString(" " + p.Text)
		}
	})
	return b.String()
}

// words returns the set of words of four letters or more, folded.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(foldHead(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) >= 4 {
			out[w] = true
		}
	}
	return out
}

// overlap is the share of the smaller set's words found in the other.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	small, big := a, b
	if len(b) < len(a) {
		small, big = b, a
	}
	n := 0
	for w := range small {
		if big[w] {
			n++
		}
	}
	return float64(n) / float64(len(small))
}

// spreadOverCells extends a suggestion to the other pieces of the same
// run-together cell (one line of the flattened form), which are the same
// proposer's.
func (c *Compilation) spreadOverCells() {
	type key struct{ row, line int }
	byCell := map[key]*Proposal{}
	c.forEachProposal(func(_ propAt, p *Proposal) {
		if p.Line > 0 && p.SuggestedProposer != "" {
			if _, ok := byCell[key{p.Row, p.Line}]; !ok {
				byCell[key{p.Row, p.Line}] = p
			}
		}
	})
	c.forEachProposal(func(_ propAt, p *Proposal) {
		if p.Line == 0 || p.Proposer != "" || p.SuggestedProposer != "" {
			return
		}
		if src, ok := byCell[key{p.Row, p.Line}]; ok {
			p.SuggestedProposer, p.SuggestedBy = src.SuggestedProposer, src.SuggestedBy
		}
	})
}
