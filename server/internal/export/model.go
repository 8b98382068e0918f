package export

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// The writers of the text formats share one reading of the document: each
// paragraph as a flat list of items (text pieces, and the opening and
// closing of bracket groups) in reading order. Bracket groups nest
// properly, and a text piece never crosses a group boundary, so a writer
// can turn open/close into nested elements (HTML, AKN) or into comment
// ranges (DOCX) without tracking anything.

// op says whether a piece of text is unchanged, inserted or deleted since
// the redline base.
type op uint8

const (
	opEqual op = iota
	opInsert
	opDelete
)

type itemKind uint8

const (
	itemText itemKind = iota
	itemOpen
	itemClose
)

type item struct {
	kind   itemKind
	op     op
	text   string
	author string    // insert: who wrote the text; delete: who deleted it, or (without a blame) who wrote it
	date   time.Time // insert/delete: when, when the blame knows (else zero)
	group  int       // open/close: index into para.groups
}

// group is one bracket group of a paragraph's working text.
type group struct {
	depth        int
	alternatives int
	// authors are the group's proposers: delegation codes and "chair".
	// The original text counts only when nobody else wrote any of it (a
	// base text that came with brackets).
	authors []string
	// made is when the group was made (its opening bracket inserted), or
	// zero when unknown.
	made time.Time
}

type para struct {
	id, label, status string
	text              string // the working text ("" for a removed paragraph)
	rtl               bool
	// mark is opInsert for a paragraph added since the redline base and
	// opDelete for one removed; author is then who wrote its first run.
	mark   op
	author string
	date   time.Time // of the mark, when known
	items  []item
	groups []group
	runs   draft.Authorship // of the working text
}

type section struct {
	heading, kind string
	paras         []para
}

type view struct {
	in       Input
	sections []section
	// proposers lists, sorted, every author of a bracket group and every
	// resolved proposer column: the parties an Akoma Ntoso file refers to.
	proposers []string
}

func build(in Input) *view {
	v := &view{in: in}
	var old map[string]wire.Paragraph
	var anchors removedAnchors
	if in.Since != nil {
		old = map[string]wire.Paragraph{}
		for _, s := range in.Since.Sections {
			for _, p := range s.Paragraphs {
				old[p.ID] = p
			}
		}
		anchors = anchorRemoved(in.Since, in.Doc)
	}
	seen := map[string]bool{}
	for _, p := range in.Doc.Proposers {
		if p.Code != nil {
			seen[*p.Code] = true
		}
	}
	for i, s := range in.Doc.Sections {
		sec := section{heading: s.Heading, kind: s.Kind}
		if i == 0 {
			sec.paras = v.removed(sec.paras, anchors.first)
		}
		sec.paras = v.removed(sec.paras, anchors.start[s.ID])
		for _, p := range s.Paragraphs {
			sec.paras = append(sec.paras, v.paragraph(p, old))
			sec.paras = v.removed(sec.paras, anchors.after[p.ID])
		}
		for _, p := range sec.paras {
			for _, g := range p.groups {
				for _, a := range g.authors {
					seen[a] = true
				}
			}
		}
		v.sections = append(v.sections, sec)
	}
	delete(seen, draft.AuthorOriginal)
	for a := range seen {
		v.proposers = append(v.proposers, a)
	}
	sort.Strings(v.proposers)
	return v
}

// name is how a document shows an author: the delegation's name, "Chair".
func (v *view) name(code string) string {
	switch code {
	case draft.AuthorChair:
		return "Chair"
	case draft.AuthorOriginal:
		return "Original text"
	case "":
		return "Unknown"
	}
	if d, ok := v.in.Registry.Get(code); ok {
		return d.Name
	}
	for _, p := range v.in.Doc.Proposers {
		if p.Code != nil && *p.Code == code && p.Name != "" {
			return p.Name
		}
	}
	return code
}

// names joins the names of a group's proposers: "Brazil, Chair".
func (v *view) names(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = v.name(c)
	}
	return strings.Join(out, ", ")
}

// shortName is a code as a reader sees it: "BRA", "Chair".
func shortName(code string) string {
	switch code {
	case draft.AuthorChair:
		return "Chair"
	case draft.AuthorOriginal:
		return "Original"
	}
	return code
}

// versionLine says which text this is: "Rev.2 (seq 12, 2031-05-04 10:00 UTC)"
// or "Working text (seq 12, …)".
func (v *view) versionLine() string {
	what := "Working text"
	if v.in.Version != "" {
		what = v.in.Version
	}
	when := ""
	if !v.in.Time.IsZero() {
		when = ", " + v.in.Time.UTC().Format("2006-01-02 15:04 UTC")
	}
	return fmt.Sprintf("%s (seq %d%s)", what, v.in.Doc.Seq, when)
}

// sinceLine names the redline base, or is "" without one.
func (v *view) sinceLine() string {
	if v.in.Since == nil {
		return ""
	}
	if v.in.SinceVersion != "" {
		return fmt.Sprintf("%s (seq %d)", v.in.SinceVersion, v.in.Since.Seq)
	}
	return fmt.Sprintf("seq %d", v.in.Since.Seq)
}

func authorship(r wire.Runs) draft.Authorship {
	a := make(draft.Authorship, len(r))
	for i, run := range r {
		a[i] = draft.Run{Len: run.Len, Author: run.Author}
	}
	return a
}

func (v *view) paragraph(p wire.Paragraph, old map[string]wire.Paragraph) para {
	out := para{id: p.ID, label: p.Label, status: p.Status, text: p.Text, rtl: isRTL(p.Text)}
	runs := authorship(p.Authors)
	out.runs = runs
	// A paragraph whose brackets do not balance (possible in imported
	// text) is exported as it is, without groups.
	groups, _ := draft.ParagraphGroups(p.Text, runs)
	starts := make([]int, len(groups))
	for i, g := range groups {
		starts[i] = g.Start
	}
	made := groupTimes(v.blame(), p.ID, p.Text, starts)
	for i, g := range groups {
		out.groups = append(out.groups, group{depth: g.Depth, alternatives: g.Alternatives, authors: proposersOf(g.Authors), made: made[i]})
	}
	var pieces []item
	prev, had := old[p.ID]
	switch {
	case old == nil || (had && prev.Text == p.Text):
		pieces = []item{{op: opEqual, text: p.Text}}
	case had:
		if b := v.blame(); b != nil {
			pieces = blamePieces(b, p.ID, v.in.Since.Seq, v.in.Doc.Seq, prev.Text, p.Text)
		}
		if pieces == nil {
			pieces = diffPieces(prev, p)
		}
	default:
		out.mark = opInsert
		out.author = firstAuthor(runs)
		if b := v.blame(); b != nil {
			pieces = blamePieces(b, p.ID, v.in.Since.Seq, v.in.Doc.Seq, "", p.Text)
			if c, ok := b.Added(p.ID); ok && pieces != nil {
				out.author, out.date = c.By, c.At
			}
		}
		if pieces == nil {
			pieces = runPieces([]rune(p.Text), runs, opInsert)
		}
	}
	out.items = interleave(pieces, groups)
	return out
}

// removed appends paragraphs deleted since the redline base, struck out,
// credited to whoever deleted them (the blame says; without it, the
// chair, who alone deletes paragraphs).
func (v *view) removed(dst []para, ps []wire.Paragraph) []para {
	for _, p := range ps {
		by, at := draft.AuthorChair, time.Time{}
		if b := v.blame(); b != nil {
			if c, ok := b.Removed(p.ID); ok {
				by, at = c.By, c.At
			}
		}
		items := []item{{op: opDelete, text: p.Text, author: by, date: at}}
		dst = append(dst, para{id: p.ID, label: p.Label, status: p.Status, rtl: isRTL(p.Text),
			mark: opDelete, author: by, date: at, items: items})
	}
	return dst
}

// blame is the input's blame when it reaches the exported seq, else nil.
func (v *view) blame() *document.Blame {
	if b := v.in.Blame; b != nil && b.Seq() == v.in.Doc.Seq && (v.in.Since == nil || v.in.Since.Seq >= b.Base()) {
		return b
	}
	return nil
}

func proposersOf(authors []string) []string {
	var out []string
	for _, a := range authors {
		if a != draft.AuthorOriginal {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return authors
	}
	return out
}

func firstAuthor(runs draft.Authorship) string {
	if len(runs) == 0 {
		return draft.AuthorOriginal
	}
	return runs[0].Author
}

// runPieces cuts text into one piece per authorship run, so that every
// inserted or deleted piece has exactly one author (a Word revision has
// one). Code points the runs do not cover are the original text's.
func runPieces(text []rune, runs draft.Authorship, o op) []item {
	var out []item
	pos := 0
	for _, r := range runs {
		if pos >= len(text) {
			break
		}
		end := min(pos+r.Len, len(text))
		out = append(out, item{op: o, text: string(text[pos:end]), author: r.Author})
		pos = end
	}
	if pos < len(text) {
		out = append(out, item{op: o, text: string(text[pos:]), author: draft.AuthorOriginal})
	}
	return out
}

// diffPieces compares a paragraph with its earlier text word by word (the
// diff behind /diff), cutting inserted text by the new authorship and
// deleted text by the old.
func diffPieces(prev, cur wire.Paragraph) []item {
	oldText, newText := []rune(prev.Text), []rune(cur.Text)
	oldRuns, newRuns := authorship(prev.Authors), authorship(cur.Authors)
	var out []item
	o, n := 0, 0
	for _, seg := range draft.DiffWords(prev.Text, oldRuns, cur.Text, newRuns) {
		k := utf8.RuneCountInString(seg.Text)
		switch seg.Op {
		case "insert":
			if n+k > len(newText) {
				return replaceAll(oldText, oldRuns, newText, newRuns)
			}
			out = append(out, runPieces(newText[n:n+k], newRuns.Slice(n, n+k), opInsert)...)
			n += k
		case "delete":
			if o+k > len(oldText) {
				return replaceAll(oldText, oldRuns, newText, newRuns)
			}
			out = append(out, deleted(runPieces(oldText[o:o+k], oldRuns.Slice(o, o+k), opDelete))...)
			o += k
		default:
			out = append(out, item{op: opEqual, text: seg.Text})
			o += k
			n += k
		}
	}
	if o != len(oldText) || n != len(newText) {
		return replaceAll(oldText, oldRuns, newText, newRuns)
	}
	return out
}

// replaceAll shows a paragraph as deleted and rewritten whole: the safe
// reading if a diff ever failed to cover both texts.
func replaceAll(oldText []rune, oldRuns draft.Authorship, newText []rune, newRuns draft.Authorship) []item {
	return append(deleted(runPieces(oldText, oldRuns, opDelete)), runPieces(newText, newRuns, opInsert)...)
}

// deleted attributes deletions. The view does not know who deleted what,
// but the drafting rules narrow it: a delegation may delete only its own
// text, so original text was deleted by the chair; a delegation's deleted
// text is shown as that delegation's (it may have been the chair).
func deleted(pieces []item) []item {
	for i := range pieces {
		if pieces[i].author == draft.AuthorOriginal {
			pieces[i].author = draft.AuthorChair
		}
	}
	return pieces
}

type event struct {
	pos, depth int
	close      bool
	group      int
}

// interleave merges text pieces with the opening and closing of bracket
// groups, cutting pieces at group boundaries. Positions count code points
// of the working text, which equal and inserted pieces advance; a deleted
// piece sits where it was, outside any group that opens right after it.
func interleave(pieces []item, groups []draft.GroupAuthors) []item {
	events := make([]event, 0, 2*len(groups))
	for i, g := range groups {
		events = append(events, event{pos: g.Start, depth: g.Depth, group: i}, event{pos: g.End, depth: g.Depth, close: true, group: i})
	}
	// At one position, groups close (innermost first) before others open
	// (outermost first), so the result nests.
	sort.SliceStable(events, func(i, j int) bool {
		a, b := events[i], events[j]
		switch {
		case a.pos != b.pos:
			return a.pos < b.pos
		case a.close != b.close:
			return a.close
		case a.close:
			return a.depth > b.depth
		}
		return a.depth < b.depth
	})
	out := make([]item, 0, len(pieces)+len(events))
	pos, e := 0, 0
	flush := func(closesOnly bool) {
		for e < len(events) && events[e].pos <= pos && (!closesOnly || events[e].close) {
			k := itemOpen
			if events[e].close {
				k = itemClose
			}
			out = append(out, item{kind: k, group: events[e].group})
			e++
		}
	}
	for _, pc := range pieces {
		if pc.text == "" {
			continue
		}
		if pc.op == opDelete {
			flush(true)
			out = append(out, pc)
			continue
		}
		rest := []rune(pc.text)
		for len(rest) > 0 {
			flush(false)
			cut := len(rest)
			if e < len(events) && events[e].pos-pos < cut {
				cut = events[e].pos - pos
			}
			piece := pc
			piece.text = string(rest[:cut])
			out = append(out, piece)
			rest = rest[cut:]
			pos += cut
		}
	}
	for e < len(events) {
		pos = events[e].pos
		flush(false)
	}
	return out
}

// isRTL reports whether most letters of s are of a right-to-left script.
func isRTL(s string) bool {
	rtl, ltr := 0, 0
	for _, r := range s {
		switch {
		case r < 0x0590:
			if unicode.IsLetter(r) {
				ltr++
			}
		case unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic, unicode.Adlam):
			rtl++
		case unicode.IsLetter(r):
			ltr++
		}
	}
	return rtl > ltr
}

// hasRTL reports whether s has any right-to-left letter: a Word run with
// one is marked w:rtl.
func hasRTL(s string) bool {
	for _, r := range s {
		if r >= 0x0590 && unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic, unicode.Adlam) {
			return true
		}
	}
	return false
}

// removedAnchors places paragraphs deleted since the redline base: after
// the paragraph that preceded them and survived, at the start of their
// section if none did, or at the start of the document.
type removedAnchors struct {
	first []wire.Paragraph
	start map[string][]wire.Paragraph // by section id
	after map[string][]wire.Paragraph // by paragraph id
}

func anchorRemoved(from, to *wire.Document) removedAnchors {
	a := removedAnchors{start: map[string][]wire.Paragraph{}, after: map[string][]wire.Paragraph{}}
	present, sections := map[string]bool{}, map[string]bool{}
	for _, s := range to.Sections {
		sections[s.ID] = true
		for _, p := range s.Paragraphs {
			present[p.ID] = true
		}
	}
	prev := ""
	for _, s := range from.Sections {
		prevInSection := ""
		for _, p := range s.Paragraphs {
			switch {
			case present[p.ID]:
				prev, prevInSection = p.ID, p.ID
			case prevInSection != "":
				a.after[prevInSection] = append(a.after[prevInSection], p)
			case sections[s.ID]:
				a.start[s.ID] = append(a.start[s.ID], p)
			case prev != "":
				a.after[prev] = append(a.after[prev], p)
			default:
				a.first = append(a.first, p)
			}
		}
	}
	return a
}
