package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/roster"
	"github.com/draftroom/draftroom/server/internal/store"
)

func runParticipants(ctx context.Context, e *env, args []string) error {
	return runSubcommand(ctx, e, "participants", []command{
		{name: "add", run: runParticipantsAdd},
		{name: "list", run: runParticipantsList},
		{name: "revoke", run: runParticipantsRevoke},
	}, `Enrols a document's participants and hands out their join links:
  add      add one participant, or many from a roster (CSV), in one
           transaction, and print their join links
  list     list a document's participants: role, delegation, last seen,
           online now, tokens
  revoke   revoke a participant's tokens; its live connections close
           within a second`, args)
}

func runParticipantsAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "participants add", "--document ID (--roster FILE.csv | --role ROLE [--delegation CODE] [--name N]) [flags]",
		`Adds participants to a document and prints a join link for each, one per
line: role, delegation, name and link (with --csv: a CSV table). Each link
holds a new token, shown this once: only its hash is stored.

The roster is a CSV file (FILE may be "-" for standard input), one
participant per line: role, delegation, name and, optionally, when the
token expires. A first line naming the columns (role,delegation,name,
expires) may give them in another order. Commas, semicolons or tabs
separate cells. Roles: chair, delegate, rapporteur, observer; a delegate
has a delegation code from the registry (BRA, CEPT, …). Expiry: a date
(2026-06-01, the end of that day, UTC), a time (2026-06-01T18:00:00Z) or
a duration (72h, 14d).

A roster with any error (an unknown delegation code, a delegation named
twice or one that already has a delegate on the document, an unknown
role) is refused with the line number, and nothing is written.

Links start with --public-url (or DRAFTROOM_PUBLIC_URL), else
http://DRAFTROOM_ADDR.`)
	doc := fs.String("document", "", "the document id (required)")
	file := fs.String("roster", "", "a roster CSV file, or - for standard input")
	role := fs.String("role", "", "add one participant in this role, instead of a roster")
	deleg := fs.String("delegation", "", "with --role delegate: the delegation code")
	name := fs.String("name", "", "with --role: the display name")
	expires := fs.String("expires", "", "with --role: when the token expires (a date, a time or a duration)")
	asCSV := fs.Bool("csv", false, "print the links as CSV (role, delegation, name, participant id, expires, join link)")
	publicURL := fs.String("public-url", defaultBase(e), "where participants reach the server, for the links (env DRAFTROOM_PUBLIC_URL)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	docID, err := documentFlag(*doc)
	if err != nil {
		return err
	}
	if (*file == "") == (*role == "") {
		return usagef("give --roster FILE or --role ROLE (one participant)")
	}
	if err := checkPublicURL(*publicURL); err != nil {
		return usagef("--public-url: %v", err)
	}
	now := time.Now()
	var list []store.Enrolment
	if *file != "" {
		if *deleg != "" || *name != "" || *expires != "" {
			return usagef("--delegation, --name and --expires go with --role, not --roster (the roster has those columns)")
		}
		data, err := readInput(*file, roster.MaxBytes, "a roster is at most 1 MB; nothing was written")
		if err != nil {
			return err
		}
		entries, err := roster.Parse(data, delegation.Default(), now)
		if err != nil {
			return fmt.Errorf("%s: refused, nothing written: %w", *file, err)
		}
		for _, x := range entries {
			list = append(list, store.Enrolment{Role: x.Role, Delegation: x.Delegation, Name: x.Name, Expires: x.Expires, Line: x.Line})
		}
	} else {
		en := store.Enrolment{Role: *role, Delegation: *deleg, Name: *name}
		if *expires != "" {
			if en.Expires, err = roster.ParseExpiry(*expires, now); err != nil {
				return usagef("--expires: %v", err)
			}
		}
		list = append(list, en)
	}
	var issued []store.Issued
	if err := e.withDatabase(ctx, func(db *database) (err error) {
		issued, err = db.store.Enrol(ctx, docID, list)
		return err
	}); err != nil {
		var ee *store.EnrolError
		if errors.As(err, &ee) && *file != "" {
			return fmt.Errorf("%s: refused, nothing written: %w", *file, err)
		}
		return err
	}
	if *asCSV {
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"role", "delegation", "name", "participant_id", "expires", "join_link"})
		for _, is := range issued {
			w.Write([]string{is.Participant.Role, is.Participant.Delegation, is.Participant.Name, is.Participant.ID.String(), expiry(is.Expires), joinLink(*publicURL, is.Token)})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	} else {
		for _, is := range issued {
			d := is.Participant.Delegation
			if d == "" {
				d = "-"
			}
			fmt.Fprintf(e.stdout, "%-10s  %-6s  %-30s  %s\n", is.Participant.Role, d, is.Participant.Name, joinLink(*publicURL, is.Token))
		}
	}
	fmt.Fprintf(e.stderr, "added %d participant(s) to document %s; each link is shown only now\n", len(issued), docID)
	return nil
}

func expiry(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func runParticipantsList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "participants list", "--document ID", `Lists a document's participants: their id, role, delegation, whether a
token of theirs is active, when they were last seen and whether they are
connected now, and their name. Secrets are never shown.`)
	doc := fs.String("document", "", "the document id (required)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	docID, err := documentFlag(*doc)
	if err != nil {
		return err
	}
	var ps []store.ParticipantInfo
	if err := e.withDatabase(ctx, func(db *database) error {
		if ok, err := db.store.DocumentExists(ctx, docID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("no document %s", docID)
		}
		var err error
		ps, err = db.store.ListParticipants(ctx, docID)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-36s  %-10s  %-10s  %-7s  %-20s  %-6s  %s\n", "ID", "ROLE", "DELEGATION", "ACCESS", "LAST SEEN", "ONLINE", "NAME")
	for _, p := range ps {
		access, seen, online, d := "revoked", "never", "no", p.Delegation
		if p.Active {
			access = "active"
		}
		if p.LastSeenAt != nil {
			seen = p.LastSeenAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		if p.Online {
			online = "yes"
		}
		if d == "" {
			d = "-"
		}
		fmt.Fprintf(e.stdout, "%-36s  %-10s  %-10s  %-7s  %-20s  %-6s  %s\n", p.ID, p.Role, d, access, seen, online, p.Name)
	}
	return nil
}

func runParticipantsRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "participants revoke", "--document ID PARTICIPANT_ID", `Revokes every token of a document's participant (see "participants
list" for ids). Its browser sessions end, and running servers close its
live connections within a second. The participant's text keeps its
authorship.`)
	doc := fs.String("document", "", "the document id (required)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("need exactly one PARTICIPANT_ID")
	}
	docID, err := documentFlag(*doc)
	if err != nil {
		return err
	}
	pid, err := uuid.Parse(fs.Arg(0))
	if err != nil {
		return usagef("%q is not a participant id (a UUID)", fs.Arg(0))
	}
	var n int
	if err := e.withDatabase(ctx, func(db *database) (err error) {
		n, err = db.store.RevokeParticipant(ctx, docID, pid)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "revoked %d token(s) of participant %s\n", n, pid)
	return nil
}
