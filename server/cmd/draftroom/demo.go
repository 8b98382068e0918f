package main

import (
	"context"
	"fmt"

	"github.com/draftroom/draftroom/server/internal/demo"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[flags]", `Creates the demo resolution once (a draft written for Draftroom, with
bracketed text and proposals from three delegations), then gives a chair,
two delegates, a rapporteur and an observer a new token each, and prints
them. Running it again reuses the document and prints new tokens.`)
	base := fs.String("url", "http://"+e.addr, "the server's base URL, for the join links")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	db, err := e.openDatabase(ctx, true)
	if err != nil {
		return err
	}
	defer db.close(ctx)
	return printDemo(ctx, e, db, *base)
}

func printDemo(ctx context.Context, e *env, db *database, base string) error {
	id, created, people, err := demo.Ensure(ctx, db.store)
	if err != nil {
		return err
	}
	verb := "exists"
	if created {
		verb = "created"
	}
	fmt.Fprintf(e.stdout, "Demo document %s (%s): %s\n\n", id, verb, demo.Title)
	fmt.Fprintf(e.stdout, "%-11s %-17s %s\n", "ROLE", "NAME", "TOKEN")
	for _, p := range people {
		fmt.Fprintf(e.stdout, "%-11s %-17s %s\n", p.Role, p.Name, p.Token)
	}
	fmt.Fprintf(e.stdout, "\nOpen %s/join#TOKEN in a browser, or call the API with Authorization: Bearer TOKEN.\n", base)
	return nil
}
