package export

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/ot"
	"github.com/draftroom/draftroom/server/wire"
)

// With a blame, every revision is by whoever made it, at its own time, and
// a comment carries its group's creation time; without one, the text's
// author at the version's time (what the export did before).
func TestDOCXRedlineFromTheBlame(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2031, 5, 4, 10, 0, 0, 0, time.UTC)
	para := func(text string, runs ...wire.Run) wire.Document {
		return wire.Document{ID: "d", Title: "T", Sections: []wire.Section{{ID: "s", Heading: "RESOLVES", Kind: "operative",
			Paragraphs: []wire.Paragraph{{ID: "p", Label: "1", Text: text, Status: "open", Authors: runs}}}}}
	}
	base := para("to act [now] today;", wire.Run{Len: 19, Author: "CEPT"})
	// Brazil adds "[soon] " at 10:01; the chair deletes CEPT's "[now] " at 10:02.
	ops := []wire.Op{
		{Seq: 1, Kind: wire.KindText, Para: "p", Op: ot.Op{{Skip: 7}, {Insert: "[soon] "}}, Author: "BRA", At: t0.Add(time.Minute)},
		{Seq: 2, Kind: wire.KindText, Para: "p", Op: ot.Op{{Skip: 14}, {Delete: 6}}, Author: "chair", At: t0.Add(2 * time.Minute)},
	}
	b := document.NewBlame(&base, t0)
	for _, op := range ops {
		if err := b.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	now := para("to act [soon] today;", wire.Run{Len: 7, Author: "CEPT"}, wire.Run{Len: 7, Author: "BRA"}, wire.Run{Len: 6, Author: "CEPT"})
	now.Seq = 2
	in := Input{Doc: &now, Since: &base, Time: t0.Add(time.Hour)}
	revs := regexp.MustCompile(`<w:(ins|del) w:id="\d+" w:author="([^"]+)" w:date="([^"]+)">`)
	comment := regexp.MustCompile(`<w:comment [^>]*w:date="([^"]+)"`)
	write := func(in Input) (string, string) {
		var buf bytes.Buffer
		if err := Write(&buf, DOCX, in); err != nil {
			t.Fatal(err)
		}
		f := readDOCX(t, buf.Bytes())
		var got string
		for _, m := range revs.FindAllStringSubmatch(string(f.parts["word/document.xml"]), -1) {
			got += m[1] + " " + m[2] + " " + m[3] + "; "
		}
		c := comment.FindAllStringSubmatch(string(f.parts["word/comments.xml"]), -1)
		if len(c) != 1 {
			t.Fatalf("%d comments", len(c))
		}
		return got, c[0][1]
	}
	// Without: the deleted words' writer (CEPT) as deleter, everything
	// at the version's time.
	got, made := write(in)
	fallback := "del European Conference of Postal and Telecommunications Administrations 2031-05-04T11:00:00Z; ins Brazil 2031-05-04T11:00:00Z; "
	if got != fallback || made != "2031-05-04T11:00:00Z" {
		t.Errorf("without the blame:\n got %s comment %s\nwant %s", got, made, fallback)
	}
	// With: the chair deleted at 10:02, Brazil inserted at 10:01 (its
	// group and the space after it, a revision each side of the comment's
	// end), and the comment is dated when Brazil's "[" was typed.
	in.Blame = b
	got, made = write(in)
	want := "ins Brazil 2031-05-04T10:01:00Z; ins Brazil 2031-05-04T10:01:00Z; del Chair 2031-05-04T10:02:00Z; "
	if got != want || made != "2031-05-04T10:01:00Z" {
		t.Errorf("with the blame:\n got %s comment %s\nwant %s comment 2031-05-04T10:01:00Z", got, made, want)
	}
}
