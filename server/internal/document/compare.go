package document

import (
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/wire"
)

// Diff is the comparison of two states of a document.
type Diff struct {
	From     int64             `json:"from_seq"`
	To       int64             `json:"to_seq"`
	Changed  []ParagraphChange `json:"changed"`
	Added    []ParagraphRef    `json:"added"`
	Removed  []ParagraphRef    `json:"removed"`
	Moved    []ParagraphMove   `json:"moved"`
	Statuses []StatusChange    `json:"status_changes"`
}

// ParagraphRef names a paragraph and where it stands.
type ParagraphRef struct {
	Para    string   `json:"para"`
	Label   string   `json:"label"`
	Section string   `json:"section"`
	Heading string   `json:"heading"`
	Text    string   `json:"text"`
	Authors []string `json:"authors"`
	// DeletedBy is who deleted a removed paragraph (when the op log says).
	DeletedBy string `json:"deleted_by,omitempty"`
}

// ParagraphChange is a word-level diff of one paragraph's text.
type ParagraphChange struct {
	Para     string          `json:"para"`
	Label    string          `json:"label"`
	Section  string          `json:"section"`
	Heading  string          `json:"heading"`
	Segments []draft.Segment `json:"segments"`
}

// ParagraphMove is a paragraph that changed section or order.
type ParagraphMove struct {
	Para  string `json:"para"`
	Label string `json:"label"`
	// Section and Heading are where the paragraph is now.
	Section     string `json:"section"`
	Heading     string `json:"heading"`
	FromSection string `json:"from_section"`
	ToSection   string `json:"to_section"`
	FromIndex   int    `json:"from_index"`
	ToIndex     int    `json:"to_index"`
}

// StatusChange is a paragraph whose status changed.
type StatusChange struct {
	Para    string `json:"para"`
	Label   string `json:"label"`
	Section string `json:"section"`
	Heading string `json:"heading"`
	From    string `json:"from"`
	To      string `json:"to"`
}

type located struct {
	p       wire.Paragraph
	sec     wire.Section
	index   int // in document order, among paragraphs present in both
	ordinal int // overall position
}

func locate(d *wire.Document) (map[string]*located, []string) {
	out := map[string]*located{}
	var order []string
	for _, s := range d.Sections {
		for _, p := range s.Paragraphs {
			out[p.ID] = &located{p: p, sec: s, ordinal: len(order)}
			order = append(order, p.ID)
		}
	}
	return out, order
}

// Compare diffs two documents paragraph by paragraph.
func Compare(from, to *wire.Document) Diff {
	return CompareBlame(from, to, nil)
}

// CompareBlame is Compare with a blame reaching to's seq from at most
// from's (nil: none): each deleted segment then says who deleted it
// (deleted_by) and each changed segment when (at), and a removed
// paragraph who deleted it.
func CompareBlame(from, to *wire.Document, bl *Blame) Diff {
	if bl != nil && (bl.Seq() != to.Seq || bl.Base() > from.Seq) {
		bl = nil
	}
	d := Diff{From: from.Seq, To: to.Seq, Changed: []ParagraphChange{}, Added: []ParagraphRef{}, Removed: []ParagraphRef{}, Moved: []ParagraphMove{}, Statuses: []StatusChange{}}
	a, aOrder := locate(from)
	b, bOrder := locate(to)
	ref := func(l *located) ParagraphRef {
		return ParagraphRef{Para: l.p.ID, Label: l.p.Label, Section: l.sec.ID, Heading: l.sec.Heading, Text: l.p.Text, Authors: toAuthorship(l.p.Authors).Authors()}
	}
	// Relative order among paragraphs present in both, to tell a move from
	// a shift caused by insertions and deletions around it.
	n := 0
	for _, id := range aOrder {
		if b[id] != nil {
			a[id].index = n
			n++
		}
	}
	n = 0
	for _, id := range bOrder {
		if a[id] != nil {
			b[id].index = n
			n++
		}
	}
	// The paragraphs on a longest increasing run of new positions kept
	// their order; the others moved.
	var common []string
	for _, id := range aOrder {
		if b[id] == nil {
			r := ref(a[id])
			if c, ok := bl.removedBy(id); ok {
				r.DeletedBy = c.By
			}
			d.Removed = append(d.Removed, r)
		} else {
			common = append(common, id)
		}
	}
	stayed := longestIncreasing(common, func(id string) int { return b[id].index })
	for _, id := range bOrder {
		nb := b[id]
		na := a[id]
		if na == nil {
			d.Added = append(d.Added, ref(nb))
			continue
		}
		if na.sec.ID != nb.sec.ID || !stayed[id] {
			d.Moved = append(d.Moved, ParagraphMove{Para: id, Label: nb.p.Label, Section: nb.sec.ID, Heading: nb.sec.Heading, FromSection: na.sec.ID, ToSection: nb.sec.ID, FromIndex: na.index, ToIndex: nb.index})
		}
		if na.p.Status != nb.p.Status {
			d.Statuses = append(d.Statuses, StatusChange{Para: id, Label: nb.p.Label, Section: nb.sec.ID, Heading: nb.sec.Heading, From: na.p.Status, To: nb.p.Status})
		}
		if na.p.Text != nb.p.Text {
			segs := draft.DiffWords(na.p.Text, toAuthorship(na.p.Authors), nb.p.Text, toAuthorship(nb.p.Authors))
			bl.annotate(id, from.Seq, na.p.Text, nb.p.Text, segs)
			d.Changed = append(d.Changed, ParagraphChange{Para: id, Label: nb.p.Label, Section: nb.sec.ID, Heading: nb.sec.Heading, Segments: segs})
		}
	}
	return d
}

// longestIncreasing returns the ids on a longest run whose keys increase.
func longestIncreasing(ids []string, key func(string) int) map[string]bool {
	tails := []int{} // index into ids of the smallest tail of each length
	prev := make([]int, len(ids))
	for i, id := range ids {
		k := key(id)
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if key(ids[tails[mid]]) < k {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		prev[i] = -1
		if lo > 0 {
			prev[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	out := map[string]bool{}
	if len(tails) == 0 {
		return out
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		out[ids[i]] = true
	}
	return out
}
