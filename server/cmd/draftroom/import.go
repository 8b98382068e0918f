package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "[flags] FILE", `Imports a compilation table as a new document, in one transaction: all
of it or nothing. Prints the new document's id alone on stdout and a
summary on stderr (title, language, sections, paragraphs, proposals by
proposer, notes, lines that could not be placed), with warnings: header
names read loosely (a parenthesised abbreviation, a fuzzy match and its
score) or not at all, and proposals that have no proposer, with how many
the import found a suggested proposer for. FILE may be "-" for standard
input.

Forms: the flattened text form, CSV, or XLSX (first sheet). In CSV/XLSX the
first row with an "Original" column is the header: an optional row-id
column, the Original column, then one column per proposer headed "Name" or
"Name --- ACTION REF" (e.g. "Brazil --- MOD B/75/4"). Headings, labels and
proposer names are read in Arabic, Chinese, English, French, Russian and
Spanish. Draftroom's own CSV/XLSX export imports back as the same document
(see README, "The comparison table").

The title comes from a "Title:" row or a line naming a resolution above the
header, else from the text (the header, or the preamble recalling the
resolution's earlier revision), else from the file name; --title overrides
it. The language is detected from the text; --lang overrides it.`)
	format := fs.String("format", "auto", "auto, text, csv or xlsx")
	title := fs.String("title", "", "the document's title (default: the table's own, see above)")
	lang := fs.String("lang", "", "the language of the text: ar, en, es, fr, ru or zh (default: detected)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("need exactly one FILE")
	}
	f := compile.Format(*format)
	switch f {
	case compile.FormatAuto, compile.FormatText, compile.FormatCSV, compile.FormatXLSX:
	default:
		return usagef("unknown --format %q: want auto, text, csv or xlsx", *format)
	}
	if *lang != "" && compile.ParseLang(*lang) == "" {
		return usagef("unknown --lang %q: want ar, en, es, fr, ru or zh", *lang)
	}
	name := fs.Arg(0)
	data, err := readInput(name, compile.MaxInputBytes, "the file is larger than 20 MB; nothing was imported")
	if err != nil {
		return err
	}
	c, err := compile.Read(data, name, f, delegation.Default())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	langHow := "detected"
	if *lang != "" {
		c.Lang, langHow = compile.ParseLang(*lang), "given"
	}
	var id uuid.UUID
	var sum store.ImportSummary
	if err := e.withDatabase(ctx, func(db *database) (err error) {
		id, sum, err = db.store.ImportCompilation(ctx, c, *title)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	shownTitle := *title
	if shownTitle == "" {
		shownTitle = c.Title
	}
	fmt.Fprintf(e.stderr, "imported %s: %d sections, %d paragraphs, %d notes\n", name, sum.Sections, sum.Paragraphs, sum.Notes)
	fmt.Fprintf(e.stderr, "  title: %q\n", shownTitle)
	if c.Lang != "" {
		fmt.Fprintf(e.stderr, "  language: %s (%s), %s\n", compile.LangName(c.Lang), c.Lang, langHow)
	} else {
		fmt.Fprintln(e.stderr, "  language: unknown (give it with --lang)")
	}
	for _, line := range headerWarnings(c) {
		fmt.Fprintln(e.stderr, line)
	}
	names := make([]string, 0, len(sum.Proposals))
	for n := range sum.Proposals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(e.stderr, "  proposals by %s: %d\n", n, sum.Proposals[n])
	}
	if len(sum.Unplaced) > 0 {
		fmt.Fprintf(e.stderr, "%d lines could not be placed and were kept as notes:\n", len(sum.Unplaced))
		for _, u := range sum.Unplaced {
			fmt.Fprintf(e.stderr, "  line %d: %.100s\n", u.Line, u.Text)
		}
	}
	if line := unassignedWarning(c, sum.Unassigned, sum.Suggested); line != "" {
		fmt.Fprintln(e.stderr, line)
	}
	return nil
}

// headerWarnings reports the header's names that resolved loosely (an
// abbreviation, a qualifier, a fuzzy match and its score, a reference's
// symbol) or not at all, so that a person can check them.
func headerWarnings(c *compile.Compilation) []string {
	var out []string
	reg := delegation.Default()
	for _, p := range c.Proposers {
		d, _ := reg.Get(p.Code)
		switch {
		case p.Code == "":
			out = append(out, fmt.Sprintf("warning: header: %q matches no delegation; its proposals keep the name", p.Name))
		case p.Match.How == delegation.MatchFuzzy:
			out = append(out, fmt.Sprintf("warning: header: %q read as %s (%s), a fuzzy match of %q scoring %.2f", p.Name, d.Code, d.Name, p.Match.Key, p.Match.Score))
		case p.Match.How == delegation.MatchAbbreviation:
			out = append(out, fmt.Sprintf("note: header: %q read as %s (%s) by the abbreviation %q", p.Name, d.Code, d.Name, p.Match.Key))
		case p.Match.How == compile.MatchByRef:
			out = append(out, fmt.Sprintf("note: header: %q read as %s (%s) from the reference %s", p.Name, d.Code, d.Name, p.Ref))
		}
	}
	return out
}

// unassignedWarning says how many proposals have no proposer, which
// proposers the header names, and how many have a suggested proposer.
func unassignedWarning(c *compile.Compilation, unassigned, suggested int) string {
	if unassigned == 0 {
		return ""
	}
	total := 0
	for _, s := range c.Sections {
		total += len(s.Proposals)
		for _, p := range s.Paragraphs {
			total += len(p.Proposals)
		}
	}
	names := make([]string, 0, len(c.Proposers))
	for _, p := range c.Proposers {
		switch {
		case p.Code == "":
			names = append(names, p.Name)
		case p.Code == p.Name:
			names = append(names, p.Name)
		default:
			names = append(names, p.Name+" ("+p.Code+")")
		}
	}
	header := "the header names no proposer"
	if len(names) > 0 {
		header = "the header names " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("warning: %d of %d proposals have no proposer (the file does not say which column each came from); %s; %d have a suggested proposer, which the chair accepts or changes",
		unassigned, total, header, suggested)
}
