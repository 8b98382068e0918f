package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/server/internal/demo"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[flags]", `Creates the demo resolution once (a draft written for Draftroom, with
bracketed text and proposals from three delegations), then gives a chair,
two delegates, a rapporteur, an observer and the demo's secretariat (an
admin) a new token each, and prints their join links. The tokens earlier
runs printed are revoked, so at most one set is valid.`)
	base := fs.String("url", defaultBase(e), "the server's base URL, for the join links (env DRAFTROOM_PUBLIC_URL, else http://DRAFTROOM_ADDR)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	return e.withDatabase(ctx, func(db *database) error {
		return printDemo(ctx, e, db, *base)
	})
}

// defaultBase is where participants reach the server, as far as a command
// can tell: DRAFTROOM_PUBLIC_URL, else the listen address.
func defaultBase(e *env) string {
	if e.publicURL != "" {
		return e.publicURL
	}
	return "http://" + e.addr
}

func printDemo(ctx context.Context, e *env, db *database, base string) error {
	id, created, people, revoked, err := demo.Ensure(ctx, db.store)
	if err != nil {
		return err
	}
	verb := "exists"
	if created {
		verb = "created"
	}
	base = strings.TrimRight(base, "/")
	fmt.Fprintf(e.stdout, "Demo document %s (%s): %s\n\n", id, verb, demo.Title)
	fmt.Fprintf(e.stdout, "Join links: open each in its own browser or private window (a browser holds one session).\n\n")
	fmt.Fprintf(e.stdout, "%-11s %-17s %s\n", "ROLE", "NAME", "JOIN LINK")
	for _, p := range people {
		fmt.Fprintf(e.stdout, "%-11s %-17s %s\n", p.Role, p.Name, joinLink(base, p.Token))
	}
	fmt.Fprintf(e.stdout, "\nThe admin link opens the secretariat's desk: import a compilation, add participants, print join links.\n")
	if revoked > 0 {
		fmt.Fprintf(e.stdout, "The %d tokens of earlier demo runs were revoked.\n", revoked)
	}
	fmt.Fprintf(e.stdout, "Open %s/join#TOKEN in a browser, or call the API with Authorization: Bearer TOKEN.\n", base)
	return nil
}

// joinLink is the link that signs a participant in: the token rides in the
// fragment, which browsers never send to a server.
func joinLink(base, token string) string {
	return strings.TrimRight(base, "/") + "/join#" + token
}
