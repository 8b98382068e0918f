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
	return runSubcommand(ctx, e, "token", []command{
		{name: "create", run: runTokenCreate},
		{name: "list", run: runTokenList},
		{name: "revoke", run: runTokenRevoke},
	}, `Manages participant tokens:
  create   make a participant and print its token ("token create --help")
  list     list tokens: ids, roles, names, delegations, expiry; never secrets
  revoke   revoke a token, given as the token or its id; its live
           connections are closed within a second`, args)
}

func runTokenCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token create", "--role ROLE (--document ID | --all-documents) [flags]", `Creates a participant and prints a new token for it, alone on stdout. The
token is shown once: only its hash is stored. A token bound to a document
(--document) sees only that document. An admin token sees every document;
any other role must be given --document, or --all-documents to say that it
may open every document.

When the public URL is known (--public-url or DRAFTROOM_PUBLIC_URL), the
participant's join link is printed on stderr too. To enrol many people at
once, see "draftroom participants add --roster".`)
	role := fs.String("role", "", "admin, chair, delegate, rapporteur or observer (required)")
	deleg := fs.String("delegation", "", "the delegation code of a delegate, e.g. BRA or CEPT")
	doc := fs.String("document", "", "bind the token to this document id")
	all := fs.Bool("all-documents", false, "let a token of a role other than admin open every document (instead of --document)")
	name := fs.String("name", "", "the participant's display name")
	expires := fs.Duration("expires", 0, "make the token expire after this long (e.g. 72h); 0 means never")
	publicURL := fs.String("public-url", e.publicURL, "where participants reach the server, e.g. https://draft.example.org, to print the join link (env DRAFTROOM_PUBLIC_URL)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *role == "" {
		return usagef("--role is required: one of %s", strings.Join(store.Roles, ", "))
	}
	switch {
	case *doc != "" && *all:
		return usagef("give --document or --all-documents, not both")
	case *role == "admin" && *doc != "":
		return usagef("an admin is not bound to a document: drop --document")
	case *role != "admin" && *doc == "" && !*all:
		return usagef("a %s token needs --document ID (the document it may open), or --all-documents to let it open every document", *role)
	}
	if *publicURL != "" {
		if err := checkPublicURL(*publicURL); err != nil {
			return usagef("--public-url: %v", err)
		}
	}
	p := store.Participant{Role: *role, Name: *name, Delegation: strings.ToUpper(*deleg)}
	if *doc != "" {
		id, err := documentFlag(*doc)
		if err != nil {
			return err
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
	var tok string
	if err := e.withDatabase(ctx, func(db *database) error {
		part, err := db.store.CreateParticipant(ctx, p)
		if err != nil {
			return err
		}
		tok, _, err = db.store.CreateToken(ctx, part.ID, exp)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	if *publicURL != "" {
		fmt.Fprintf(e.stderr, "join link: %s\n", joinLink(*publicURL, tok))
	}
	return nil
}

func runTokenList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token list", "", `Lists every token, newest first: its id, role, participant name,
delegation, document, and whether it is expired or revoked. Secrets are
never shown (only their hashes are stored).`)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	var toks []store.TokenInfo
	if err := e.withDatabase(ctx, func(db *database) (err error) {
		toks, err = db.store.ListTokens(ctx)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-36s  %-10s  %-10s  %-36s  %-8s  %s\n", "ID", "ROLE", "DELEGATION", "DOCUMENT", "STATE", "NAME")
	now := time.Now()
	for _, t := range toks {
		state := "active"
		switch {
		case t.RevokedAt != nil:
			state = "revoked"
		case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
			state = "expired"
		}
		doc := "(all)"
		if t.Document != nil {
			doc = t.Document.String()
		}
		deleg := t.Delegation
		if deleg == "" {
			deleg = "-"
		}
		fmt.Fprintf(e.stdout, "%-36s  %-10s  %-10s  %-36s  %-8s  %s\n", t.ID, t.Role, deleg, doc, state, t.Name)
	}
	return nil
}

func runTokenRevoke(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "token revoke", "TOKEN_OR_ID", `Revokes a token, given as the token itself or as its id from "token
list". Running servers close its live connections within a second.`)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("need exactly one token or token id")
	}
	var id uuid.UUID
	if err := e.withDatabase(ctx, func(db *database) (err error) {
		id, err = db.store.RevokeToken(ctx, fs.Arg(0))
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "revoked token %s\n", id)
	return nil
}
