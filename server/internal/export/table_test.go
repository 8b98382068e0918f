package export

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/wire"
)

// The CSV and XLSX tables read back through the importer give the
// document's sections, paragraphs and proposals.
func TestTableRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, XLSX} {
		t.Run(string(f), func(t *testing.T) {
			doc := fixture()
			out := export(t, f, Input{Doc: doc, Version: "Rev.2"})
			// No file name and no format: the importer must recognize it.
			c, err := compile.Read(out, "", compile.FormatAuto, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Notes) != 0 || len(c.Unplaced) != 0 {
				t.Errorf("notes %+v, unplaced %+v", c.Notes, c.Unplaced)
			}
			if c.BaseRef != doc.BaseRef {
				t.Errorf("base ref %q", c.BaseRef)
			}
			if f == XLSX && c.Title != doc.Title {
				t.Errorf("title %q", c.Title)
			}
			want := append([]wire.Proposer(nil), doc.Proposers...)
			if got := fromCompilation(c).Proposers; !slices.EqualFunc(got, want, func(a, b wire.Proposer) bool {
				return *a.Code == *b.Code && a.Name == b.Name && a.Action == b.Action && a.Ref == b.Ref
			}) {
				t.Errorf("proposers %+v", got)
			}
			compareTables(t, doc, c)
		})
	}
}

// Exporting what was imported from an export gives the same table: the
// shape is stable (for a document whose working text is its base text).
func TestTableIdempotent(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{CSV, XLSX} {
		first, err := compile.Read(export(t, f, Input{Doc: fixture()}), "", compile.FormatAuto, nil)
		if err != nil {
			t.Fatal(err)
		}
		doc := fromCompilation(first)
		a := export(t, f, Input{Doc: doc})
		second, err := compile.Read(a, "", compile.FormatAuto, nil)
		if err != nil {
			t.Fatal(err)
		}
		if f == CSV && !bytes.Equal(a, export(t, f, Input{Doc: fromCompilation(second)})) {
			t.Errorf("%s: a second round trip changed the table", f)
		}
		compareTables(t, doc, second)
	}
}

// compareTables checks headings, labels, base texts and proposals (by
// proposer, action, label, text and reference, anchored to a paragraph or
// to the section).
func compareTables(t *testing.T, doc *wire.Document, c *compile.Compilation) {
	t.Helper()
	if len(c.Sections) != len(doc.Sections) {
		t.Fatalf("%d sections, want %d", len(c.Sections), len(doc.Sections))
	}
	for i, s := range doc.Sections {
		cs := c.Sections[i]
		if cs.Heading != s.Heading || cs.Kind != s.Kind {
			t.Errorf("section %d: %q/%s, want %q/%s", i, cs.Heading, cs.Kind, s.Heading, s.Kind)
		}
		var want, got []string
		var wantProps, gotProps []string
		for _, p := range s.Paragraphs {
			if p.BaseText == "" {
				continue // added in the room: not part of the compilation
			}
			want = append(want, p.Label+"|"+p.BaseText)
			for _, pr := range p.Proposals {
				wantProps = append(wantProps, propKey(p.Label, *pr.Proposer, pr.Action, pr.Label, pr.Text, pr.Ref))
			}
		}
		for _, pr := range s.Proposals {
			wantProps = append(wantProps, propKey("", *pr.Proposer, pr.Action, pr.Label, pr.Text, pr.Ref))
		}
		for _, p := range cs.Paragraphs {
			got = append(got, p.Label+"|"+p.Text)
			for _, pr := range p.Proposals {
				gotProps = append(gotProps, propKey(p.Label, pr.Proposer, pr.Action, pr.Label, pr.Text, pr.Ref))
			}
		}
		for _, pr := range cs.Proposals {
			gotProps = append(gotProps, propKey("", pr.Proposer, pr.Action, pr.Label, pr.Text, pr.Ref))
		}
		if !slices.Equal(got, want) {
			t.Errorf("section %s paragraphs:\n%q\nwant\n%q", s.Heading, got, want)
		}
		sort.Strings(gotProps)
		sort.Strings(wantProps)
		if !slices.Equal(gotProps, wantProps) {
			t.Errorf("section %s proposals:\n%q\nwant\n%q", s.Heading, gotProps, wantProps)
		}
	}
}

func propKey(para, who, action, label, text, ref string) string {
	return fmt.Sprintf("%s: %s %s %s [%s|%s]", para, who, action, ref, label, text)
}

// fromCompilation is the document the store makes of an import (as
// store.ImportCompilation does), without a database.
func fromCompilation(c *compile.Compilation) *wire.Document {
	d := &wire.Document{ID: "00000000-0000-0000-0000-000000000001", Title: c.Title, BaseRef: c.BaseRef}
	names := map[string]string{}
	for _, p := range c.Proposers {
		wp := wire.Proposer{Name: p.Name, Action: p.Action, Ref: p.Ref}
		if p.Code != "" {
			wp.Code = str(p.Code)
			names[p.Code] = p.Name
		}
		d.Proposers = append(d.Proposers, wp)
	}
	n := 0
	prop := func(p compile.Proposal) wire.Proposal {
		n++
		wp := wire.Proposal{ID: fmt.Sprint("pr", n), ProposerName: names[p.Proposer], Action: p.Action, Label: p.Label, Text: p.Text, Ref: p.Ref, Status: "tabled"}
		if p.Proposer != "" {
			wp.Proposer = str(p.Proposer)
		} else if p.Column > 0 {
			wp.ProposerName = c.Proposers[p.Column-1].Name
		}
		return wp
	}
	for i, s := range c.Sections {
		ws := wire.Section{ID: fmt.Sprint("s", i), Heading: s.Heading, Kind: s.Kind}
		for j, p := range s.Paragraphs {
			wp := wire.Paragraph{ID: fmt.Sprint("p", i, "-", j), Label: p.Label, Text: p.Text, BaseText: p.Text, Status: "open"}
			if k := utf8.RuneCountInString(p.Text); k > 0 {
				wp.Authors = wire.Runs{{Len: k, Author: "original"}}
			}
			for _, pr := range p.Proposals {
				wp.Proposals = append(wp.Proposals, prop(pr))
			}
			ws.Paragraphs = append(ws.Paragraphs, wp)
		}
		for _, pr := range s.Proposals {
			ws.Proposals = append(ws.Proposals, prop(pr))
		}
		d.Sections = append(d.Sections, ws)
	}
	return d
}
