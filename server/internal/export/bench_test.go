package export

import (
	"io"
	"regexp"
	"testing"
)

var brackets = regexp.MustCompile(`\[[^\]]*\]`)

// BenchmarkExport exports a 500-paragraph document with 2,000 bracket
// groups by four authors in each format (and as a DOCX redline against an
// earlier text that lacked every alternative).
//
//	go test ./server/internal/export -run '^$' -bench Export -benchmem
func BenchmarkExport(b *testing.B) {
	doc := bigDoc(500)
	groups := 0
	for _, s := range testView(Input{Doc: doc}).sections {
		for _, p := range s.paras {
			groups += len(p.groups)
		}
	}
	if groups != 2000 {
		b.Fatalf("the benchmark document has %d groups, want 2000", groups)
	}
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			in := Input{Doc: doc, Version: "Rev.3", Time: fixtureTime}
			for b.Loop() {
				if err := Write(io.Discard, f, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("docx-redline", func(b *testing.B) {
		old := bigDoc(500)
		for i := range old.Sections {
			for j := range old.Sections[i].Paragraphs {
				p := &old.Sections[i].Paragraphs[j]
				*p = original(p.ID, p.Label, brackets.ReplaceAllString(p.Text, ""))
			}
		}
		in := Input{Doc: doc, Version: "Rev.3", Time: fixtureTime, Since: old, SinceVersion: "Rev.2"}
		for b.Loop() {
			if err := Write(io.Discard, DOCX, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
