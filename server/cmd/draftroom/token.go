package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
)

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fs := newFlags(e, "token", "create [flags]", `Manages participant tokens. "token create --help" shows the flags.`)
		if err := parse(e, fs, args); err != nil {
			return err
		}
		return usagef("need a subcommand: create")
	}
	fs := newFlags(e, "token create", "--role ROLE [flags]", `Creates a participant and prints a new token for it, alone on stdout. The
token is shown once: only its hash is stored. A token bound to a document
(--document) sees only that document; an admin token sees all.`)
	role := fs.String("role", "", "admin, chair, delegate, rapporteur or observer (required)")
	deleg := fs.String("delegation", "", "the delegation code of a delegate, e.g. BRA or CEPT")
	doc := fs.String("document", "", "bind the token to this document id")
	name := fs.String("name", "", "the participant's display name")
	expires := fs.Duration("expires", 0, "make the token expire after this long (e.g. 72h); 0 means never")
	if err := parse(e, fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *role == "" {
		return usagef("--role is required: one of %s", strings.Join(store.Roles, ", "))
	}
	p := store.Participant{Role: *role, Name: *name, Delegation: strings.ToUpper(*deleg)}
	if *doc != "" {
		id, err := uuid.Parse(*doc)
		if err != nil {
			return usagef("--document %q is not a document id (a UUID)", *doc)
		}
		p.DocumentID = &id
	}
	var exp *time.Time
	if *expires < 0 {
		return usagef("--expires must not be negative")
	}
	if *expires > 0 {
		t := time.Now().Add(*expires)
		exp = &t
	}
	db, err := e.openDatabase(ctx, true)
	if err != nil {
		return err
	}
	defer db.close(ctx)
	part, err := db.store.CreateParticipant(ctx, p)
	if err != nil {
		return err
	}
	tok, _, err := db.store.CreateToken(ctx, part.ID, exp)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}
