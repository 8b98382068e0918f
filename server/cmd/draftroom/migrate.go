package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/draftroom/draftroom/server/internal/pgmanaged"
	"github.com/draftroom/draftroom/server/internal/store"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "up | down N | version", `Applies (up) or reverts (down N) the embedded schema migrations, or prints
the database's schema version (version).`)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("need up, down N or version")
	}
	var n int
	switch rest[0] {
	case "up", "version":
		if len(rest) != 1 {
			return usagef("%s takes no arguments", rest[0])
		}
	case "down":
		if len(rest) != 2 {
			return usagef("down needs a count: down N")
		}
		var err error
		if n, err = strconv.Atoi(rest[1]); err != nil || n <= 0 {
			return usagef("down needs a positive count, got %q", rest[1])
		}
	default:
		return usagef("unknown migrate action %q: want up, down N or version", rest[0])
	}

	url := e.databaseURL
	if url == "" {
		c, err := pgmanaged.Open(ctx, pgmanaged.Options{Dir: e.dataDir, Logger: e.log})
		if err != nil {
			return err
		}
		defer c.Stop(context.WithoutCancel(ctx))
		url = c.URL("")
	}
	mg, err := store.NewMigrator(ctx, url)
	if err != nil {
		return err
	}
	defer mg.Close()
	switch rest[0] {
	case "up":
		err = mg.Up()
	case "down":
		err = mg.Down(n)
	}
	if err != nil {
		return err
	}
	v, dirty, err := mg.Version()
	if err != nil {
		return err
	}
	state := ""
	if dirty {
		state = " (dirty)"
	}
	fmt.Fprintf(e.stdout, "schema version %d%s; this binary's latest is %d\n", v, state, store.LatestVersion())
	return nil
}
