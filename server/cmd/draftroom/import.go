package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/delegation"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "[flags] FILE", `Imports a compilation table as a new document, in one transaction: all
of it or nothing. Prints the new document's id alone on stdout and a
summary on stderr (sections, paragraphs, proposals by proposer, notes, and
lines that could not be placed). FILE may be "-" for standard input.

Forms: the flattened text form, CSV, or XLSX (first sheet). In CSV/XLSX the
first row is the header: an optional row-id column, the column whose header
starts with "Original", then one column per proposer headed "Name" or
"Name --- ACTION REF" (e.g. "Brazil --- MOD B/75/4").`)
	format := fs.String("format", "auto", "auto, text, csv or xlsx")
	title := fs.String("title", "", "the document's title (default: the table's own title)")
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
	name := fs.Arg(0)
	data, err := readLimited(name)
	if err != nil {
		return err
	}
	c, err := compile.Read(data, name, f, delegation.Default())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	db, err := e.openDatabase(ctx, true)
	if err != nil {
		return err
	}
	defer db.close(ctx)
	id, sum, err := db.store.ImportCompilation(ctx, c, *title)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	fmt.Fprintf(e.stderr, "imported %s: %d sections, %d paragraphs, %d notes\n", name, sum.Sections, sum.Paragraphs, sum.Notes)
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
	return nil
}

// readLimited reads a file (or stdin for "-") of at most MaxInputBytes.
func readLimited(name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, compile.MaxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > compile.MaxInputBytes {
		return nil, fmt.Errorf("%s: the file is larger than 20 MB; nothing was imported", name)
	}
	return data, nil
}
