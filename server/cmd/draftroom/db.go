package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/draftroom/draftroom/server/internal/pgmanaged"
)

func runDB(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "db", "url | start | stop", `Manages the PostgreSQL cluster Draftroom runs in DRAFTROOM_DATA when
DATABASE_URL is unset.
  url    print the cluster's connection URL (for psql, pg_dump, other nodes)
  start  start the cluster (initializing it on first use) and leave it running
  stop   stop the cluster`)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("need one of url, start, stop")
	}
	if e.databaseURL != "" {
		return fmt.Errorf("DATABASE_URL is set, so the managed cluster is not in use")
	}
	switch fs.Arg(0) {
	case "url":
		c, err := pgmanaged.Open(ctx, pgmanaged.Options{Dir: e.dataDir, Logger: e.log})
		if err != nil {
			return err
		}
		// Printing the URL of a cluster we just stopped would be useless, so
		// `db url` leaves it running when it had to start it, and says so.
		if c.Started() {
			abs, _ := filepath.Abs(e.dataDir)
			fmt.Fprintf(e.stderr, "started the managed cluster in %s; stop it with `draftroom db stop`\n", abs)
		}
		fmt.Fprintln(e.stdout, c.URL(""))
	case "start":
		c, err := pgmanaged.Open(ctx, pgmanaged.Options{Dir: e.dataDir, Logger: e.log})
		if err != nil {
			return err
		}
		if c.Started() {
			fmt.Fprintln(e.stderr, "started")
		} else {
			fmt.Fprintln(e.stderr, "already running")
		}
	case "stop":
		stopped, err := pgmanaged.StopDir(ctx, pgmanaged.Options{Dir: e.dataDir, Logger: e.log})
		if err != nil {
			return err
		}
		if stopped {
			fmt.Fprintln(e.stderr, "stopped")
		} else {
			fmt.Fprintln(e.stderr, "not running")
		}
	default:
		return usagef("unknown db action %q: want url, start or stop", fs.Arg(0))
	}
	return nil
}
