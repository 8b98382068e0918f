package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/export"
	"github.com/draftroom/draftroom/server/internal/store"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "DOCUMENT_ID --format FORMAT [--version LABEL | --seq N] [--redline LABEL | --redline-seq N] [--compilation] [-o FILE]",
		`Writes a document, as it stands now or at a frozen version, to FILE or to
standard output, as GET /api/v1/documents/{id}/export does.

Formats:
  docx  Word: bracketed text carries a comment by its proposers; with
        --redline, changes are tracked revisions by the delegation (or the
        chair) that made them, dated with the exported version's time
  html  one printable page (print it to PDF from a browser); redline as
        <ins>/<del>
  md    Markdown for e-mail; redline as CriticMarkup {++inserted++}
        {--deleted--}
  txt   plain text, one paragraph a line, for diffing two versions
  akn   Akoma Ntoso 3.0 XML (OASIS LegalDocML)
  csv   the comparison table: Original, one column per proposer, notes,
        statuses, working text; "draftroom import" reads it back as the
        same document
  xlsx  the same table as an Excel workbook

--version and --redline take a version label (Rev.2); --seq and
--redline-seq a seq number (the document as it stood after that op). An
all-digit --version that is no version's label is read as a seq, as
before --seq existed. --redline applies to docx, html and md: it shows
the changes made since that version. --compilation (docx and html) writes
the compilation table the way a secretariat circulates it instead of the
working text: landscape, the original and one column per proposer with
its reference, MODs as redlines against the original (insertions
underlined, deletions struck through), the notes and the Reasons row.
Without --format, the format is taken from the -o file name's extension.`)
	format := fs.String("format", "", "docx, html, md, txt, akn, csv or xlsx")
	version := fs.String("version", "", "export this version (its label) instead of the working text")
	seq := fs.String("seq", "", "export the document as it stood at this seq")
	redline := fs.String("redline", "", "show the changes since this version (its label); docx, html and md")
	redlineSeq := fs.String("redline-seq", "", "show the changes since this seq; docx, html and md")
	compilation := fs.Bool("compilation", false, "docx or html: the compilation table (original, one column per proposer, MODs as redlines)")
	out := fs.String("o", "", "write to this file instead of standard output")
	fs.StringVar(out, "output", "", "same as -o")
	// Flags may come before or after the document id.
	if err := parse(e, fs, args); err != nil {
		return err
	}
	var pos []string
	for rest := fs.Args(); len(rest) > 0; rest = fs.Args() {
		pos = append(pos, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			return usageError{err}
		}
	}
	if len(pos) != 1 {
		return usagef("need exactly one DOCUMENT_ID (see draftroom export --help)")
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return usagef("%q is not a document id (a UUID)", pos[0])
	}
	name := *format
	if name == "" && *out != "" {
		name = strings.TrimPrefix(filepath.Ext(*out), ".")
		if strings.HasSuffix(strings.ToLower(*out), ".akn.xml") {
			name = "akn"
		}
	}
	f, err := export.ParseFormat(name)
	if err != nil {
		return usagef("--format: %v", err)
	}
	if (*redline != "" || *redlineSeq != "") && !f.Redlines() {
		return usagef("--redline applies to docx, html and md, not %s", f)
	}
	if *version != "" && *seq != "" || *redline != "" && *redlineSeq != "" {
		return usagef("give a version label or a seq, not both")
	}
	if *compilation && !f.Compiles() {
		return usagef("--compilation applies to docx and html, not %s", f)
	}
	if *compilation && (*redline != "" || *redlineSeq != "") {
		return usagef("--compilation and --redline do not combine: the compilation shows proposals, not changes")
	}

	var at *export.Point
	var in export.Input
	if err := e.withDatabase(ctx, func(db *database) error {
		var err error
		if at, err = loadPoint(ctx, db, id, *version, *seq); err != nil {
			return pointErr(pointFlag("--version", "--seq", *seq), *version+*seq, err)
		}
		in = export.Input{Doc: at.Doc, Version: at.Label, Time: at.Time, Registry: delegation.Default(), Compilation: *compilation}
		if *redline != "" || *redlineSeq != "" {
			since, err := loadPoint(ctx, db, id, *redline, *redlineSeq)
			if err != nil {
				return pointErr(pointFlag("--redline", "--redline-seq", *redlineSeq), *redline+*redlineSeq, err)
			}
			in.Since, in.SinceVersion = since.Doc, since.Label
		}
		if f == export.DOCX || in.Since != nil {
			in.Blame = export.LoadBlame(ctx, db.store, id, at.Doc.Seq)
		}
		return nil
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, f, in); err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s (%s, %s, %d bytes)\n", *out, f, at.Describe(), buf.Len())
	return nil
}

// loadPoint reads the document at a label (or, all digits and no such
// label, a seq) or at a seq.
func loadPoint(ctx context.Context, db *database, id uuid.UUID, label, seq string) (*export.Point, error) {
	if seq == "" {
		return export.Load(ctx, db.store, id, label)
	}
	at, err := export.ParseAt(label, seq)
	if err != nil {
		return nil, err
	}
	return export.LoadAt(ctx, db.store, id, at)
}

// pointFlag is the flag a point came from, for messages.
func pointFlag(label, seqFlag, seq string) string {
	if seq != "" {
		return seqFlag
	}
	return label
}

// pointErr words a version error for the command line.
func pointErr(flagName, value string, err error) error {
	switch {
	case value == "":
		return err // the document itself
	case errors.Is(err, export.ErrBadVersion):
		return usagef("%s: %v", flagName, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%s: %w", flagName, err)
	}
	return err
}
