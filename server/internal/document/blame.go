package document

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// Blame follows every paragraph's text through the op log, character by
// character: who inserted each piece and when, and, for a piece that is
// gone, who deleted it and when. Authorship runs say who wrote the text
// that is there; blame also keeps what was deleted, which is what a
// redline and a diff need to credit a deletion to whoever deleted (not to
// whoever wrote the words).
//
// An insertion is by the author its op gives the text (the typist, or a
// merge's proposer); a deletion is by the author of the op's actor (op.author:
// the typist, the chair resolving a group or undoing a merge, a delegate
// withdrawing its own group). Deleting a paragraph deletes all of its text.
type Blame struct {
	base, seq int64
	paras     map[string][]piece
	added     map[string]Change
	removed   map[string]Change
}

// Change is who made a change and when.
type Change struct {
	By  string    // an authorship tag: a delegation code, "chair"
	At  time.Time // zero when unknown
	Seq int64     // the op's seq; the base's seq for what was there before
}

// Piece is a stretch of a paragraph's text, there now or deleted.
type Piece struct {
	Text   string
	Author string // who the text is credited to (its authorship run)
	Ins    Change
	Del    *Change // nil: still in the text
}

type piece struct {
	text   []rune
	author string
	ins    Change
	del    *Change
}

// NewBlame starts from a document: what it holds was inserted at its seq,
// at baseTime (its import time when it is the import), by its authors.
func NewBlame(base *wire.Document, baseTime time.Time) *Blame {
	b := &Blame{base: base.Seq, seq: base.Seq, paras: map[string][]piece{}, added: map[string]Change{}, removed: map[string]Change{}}
	for _, s := range base.Sections {
		for _, p := range s.Paragraphs {
			b.paras[p.ID] = fromRuns(p.Text, p.Authors, func(author string) Change { return Change{By: author, At: baseTime, Seq: base.Seq} })
		}
	}
	return b
}

// fromRuns cuts text into pieces by its runs.
func fromRuns(text string, runs wire.Runs, ins func(author string) Change) []piece {
	rs := []rune(text)
	var out []piece
	pos := 0
	for _, r := range runs {
		end := min(pos+r.Len, len(rs))
		if end > pos {
			out = push(out, piece{text: rs[pos:end:end], author: r.Author, ins: ins(r.Author)})
		}
		pos = end
	}
	if pos < len(rs) {
		out = push(out, piece{text: rs[pos:], author: "original", ins: ins("original")})
	}
	return out
}

// Base and Seq are the seqs the blame runs from and has reached.
func (b *Blame) Base() int64 { return b.base }
func (b *Blame) Seq() int64  { return b.seq }

// Apply follows one op, the next in seq order.
func (b *Blame) Apply(op wire.Op) error {
	if op.Seq != b.seq+1 {
		return fmt.Errorf("blame: op %d after seq %d", op.Seq, b.seq)
	}
	b.seq = op.Seq
	at := Change{By: op.Author, At: op.At, Seq: op.Seq}
	if op.Kind == wire.KindText {
		return b.text(op.Para, op.Op, op.Author, at)
	}
	if len(op.Data) == 0 {
		return nil
	}
	d, err := Data(op)
	if err != nil {
		return err
	}
	if np := d.Paragraph; np != nil {
		b.paras[np.ID] = fromRuns(np.Text, np.Authors, func(author string) Change { return Change{By: author, At: op.At, Seq: op.Seq} })
		by := op.Author
		if len(np.Authors) > 0 {
			by = np.Authors[0].Author
		}
		b.added[np.ID] = Change{By: by, At: op.At, Seq: op.Seq}
	}
	if len(d.Op) > 0 && d.Para != "" {
		author := d.Author
		if author == "" {
			author = op.Author
		}
		if err := b.text(d.Para, d.Op, author, at); err != nil {
			return err
		}
	}
	gone := d.RemovedParagraph
	if op.Kind == wire.KindParagraphDelete {
		gone = d.Para
	}
	if gone != "" {
		ps := b.paras[gone]
		for i := range ps {
			if ps[i].del == nil {
				c := at
				ps[i].del = &c
			}
		}
		b.removed[gone] = at
	}
	return nil
}

// text follows a text op on paragraph id: what it inserts is author's,
// what it deletes is deleted by del.By.
func (b *Blame) text(id string, op ot.Op, author string, del Change) error {
	ps, ok := b.paras[id]
	if !ok {
		return fmt.Errorf("blame: op %d: no paragraph %s", del.Seq, id)
	}
	out := make([]piece, 0, len(ps)+3)
	i, off := 0, 0 // the piece at the cursor, and how far into it
	// take moves n characters of text past the cursor, deleted when
	// gone is set; deleted pieces on the way are passed as they are.
	take := func(n int, gone *Change) error {
		for n > 0 {
			if i == len(ps) {
				return fmt.Errorf("blame: op %d reaches past the end of paragraph %s", del.Seq, id)
			}
			p := ps[i]
			if p.del != nil {
				out = push(out, p)
				i++
				continue
			}
			k := min(n, len(p.text)-off)
			part := p
			part.text = p.text[off : off+k : off+k]
			part.del = gone
			out = push(out, part)
			n -= k
			off += k
			if off == len(p.text) {
				i, off = i+1, 0
			}
		}
		return nil
	}
	for _, c := range op {
		var err error
		switch {
		case c.Skip > 0:
			err = take(c.Skip, nil)
		case c.Delete > 0:
			d := del
			err = take(c.Delete, &d)
		case c.Insert != "":
			// After what was deleted here: a replacement reads as the
			// old words struck out, then the new ones.
			for off == 0 && i < len(ps) && ps[i].del != nil {
				out = push(out, ps[i])
				i++
			}
			out = push(out, piece{text: []rune(c.Insert), author: author, ins: Change{By: author, At: del.At, Seq: del.Seq}})
		}
		if err != nil {
			return err
		}
	}
	if i < len(ps) {
		rest := ps[i]
		rest.text = rest.text[off:]
		out = push(out, rest)
		for _, p := range ps[i+1:] {
			out = push(out, p)
		}
	}
	b.paras[id] = out
	return nil
}

// push appends p, joined to the last piece when they differ in nothing
// but their text.
func push(ps []piece, p piece) []piece {
	if len(p.text) == 0 {
		return ps
	}
	if k := len(ps) - 1; k >= 0 && ps[k].author == p.author && ps[k].ins == p.ins && sameDel(ps[k].del, p.del) {
		joined := make([]rune, 0, len(ps[k].text)+len(p.text))
		ps[k].text = append(append(joined, ps[k].text...), p.text...)
		return ps
	}
	return append(ps, p)
}

func sameDel(a, b *Change) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Pieces are paragraph id's pieces in text order, deleted ones where they
// were; nil for a paragraph the blame never saw.
func (b *Blame) Pieces(id string) []Piece {
	ps := b.paras[id]
	out := make([]Piece, len(ps))
	for i, p := range ps {
		out[i] = Piece{Text: string(p.text), Author: p.author, Ins: p.ins, Del: p.del}
	}
	return out
}

// Text is paragraph id's text at seq, as the blame has it.
func (b *Blame) Text(id string, seq int64) string {
	var n []rune
	for _, p := range b.paras[id] {
		if p.visible(seq) {
			n = append(n, p.text...)
		}
	}
	return string(n)
}

// Added and Removed say who added or deleted a paragraph, and when.
func (b *Blame) Added(id string) (Change, bool) {
	c, ok := b.added[id]
	return c, ok
}

func (b *Blame) Removed(id string) (Change, bool) {
	c, ok := b.removed[id]
	return c, ok
}

// InsertTimes is when each character of paragraph id's text (now) was
// inserted, one entry per code point.
func (b *Blame) InsertTimes(id string) []time.Time {
	var out []time.Time
	for _, p := range b.paras[id] {
		if p.del == nil {
			for range p.text {
				out = append(out, p.ins.At)
			}
		}
	}
	return out
}

func (p piece) visible(seq int64) bool {
	return p.ins.Seq <= seq && (p.del == nil || p.del.Seq > seq)
}

// Visible reports whether the piece was in the text at seq.
func (p Piece) Visible(seq int64) bool {
	return p.Ins.Seq <= seq && (p.Del == nil || p.Del.Seq > seq)
}

// Len is the piece's length in code points.
func (p Piece) Len() int { return utf8.RuneCountInString(p.Text) }

func (b *Blame) removedBy(id string) (Change, bool) {
	if b == nil {
		return Change{}, false
	}
	return b.Removed(id)
}

// annotate fills in who deleted each deleted segment of a word diff of
// paragraph id from seq from (text oldText) to the blame's seq (newText),
// and when each inserted or deleted segment was made (the latest change
// in it). It leaves the segments as they are when the blame does not give
// the two texts.
func (b *Blame) annotate(id string, from int64, oldText, newText string, segs []draft.Segment) {
	if b == nil {
		return
	}
	// Per code point of each text: the change that put it there (new
	// text) or took it away (old text that is gone).
	var oldDel, newIns []*Change
	var o, n []rune
	for _, p := range b.paras[id] {
		was, is := p.visible(from), p.visible(b.seq)
		for _, r := range p.text {
			if was {
				o = append(o, r)
				var c *Change
				if !is {
					c = p.del
				}
				oldDel = append(oldDel, c)
			}
			if is {
				n = append(n, r)
				c := p.ins
				newIns = append(newIns, &c)
			}
		}
	}
	if string(o) != oldText || string(n) != newText {
		return
	}
	oi, ni := 0, 0
	for i := range segs {
		k := utf8.RuneCountInString(segs[i].Text)
		switch segs[i].Op {
		case "delete":
			var latest time.Time
			seen := map[string]bool{}
			for _, c := range oldDel[oi : oi+k] {
				if c == nil {
					continue
				}
				if !seen[c.By] {
					seen[c.By] = true
					segs[i].DeletedBy = append(segs[i].DeletedBy, c.By)
				}
				if c.At.After(latest) {
					latest = c.At
				}
			}
			segs[i].At = stamp(latest)
			oi += k
		case "insert":
			var latest time.Time
			for _, c := range newIns[ni : ni+k] {
				if c.At.After(latest) {
					latest = c.At
				}
			}
			segs[i].At = stamp(latest)
			ni += k
		default:
			oi += k
			ni += k
		}
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
