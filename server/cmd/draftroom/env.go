package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/pgmanaged"
	"github.com/draftroom/draftroom/server/internal/store"
)

// env is the validated configuration every subcommand starts from.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	databaseURL    string // empty: managed cluster
	dataDir        string
	addr           string
	publicURL      string // DRAFTROOM_PUBLIC_URL: where participants reach the server
}

func newEnv(stdout, stderr io.Writer) (*env, error) {
	e := &env{stdout: stdout, stderr: stderr}
	var err error
	if e.databaseURL, err = secretEnv("DATABASE_URL"); err != nil {
		return nil, err
	}
	e.dataDir = os.Getenv("DRAFTROOM_DATA")
	if e.dataDir == "" {
		e.dataDir = "draftroom-data"
	}
	e.addr = os.Getenv("DRAFTROOM_ADDR")
	if e.addr == "" {
		e.addr = "127.0.0.1:8080"
	}
	e.publicURL = strings.TrimRight(os.Getenv("DRAFTROOM_PUBLIC_URL"), "/")
	var level slog.Level
	if v := os.Getenv("DRAFTROOM_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return nil, fmt.Errorf("DRAFTROOM_LOG_LEVEL: %w", err)
		}
	}
	e.log = newLogger(stderr, level)
	return e, nil
}

// newLogger logs text on a terminal and JSON otherwise.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, opts))
		}
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// secretEnv reads NAME, or the file named by NAME_FILE.
func secretEnv(name string) (string, error) {
	v := os.Getenv(name)
	if f := os.Getenv(name + "_FILE"); f != "" {
		if v != "" {
			return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		v = strings.TrimSpace(string(b))
	}
	return v, nil
}

// database is an open store plus, when managed, the cluster behind it.
type database struct {
	store   *store.Store
	url     string
	cluster *pgmanaged.Cluster // nil with DATABASE_URL
}

// openDatabase connects to DATABASE_URL or to the managed cluster (starting
// it if it is down), migrates up unless told not to, and loads the
// delegation registry.
func (e *env) openDatabase(ctx context.Context, migrate bool) (*database, error) {
	db := &database{url: e.databaseURL}
	if db.url == "" {
		c, err := pgmanaged.Open(ctx, pgmanaged.Options{Dir: e.dataDir, Logger: e.log})
		if err != nil {
			return nil, err
		}
		db.cluster = c
		db.url = c.URL("")
	}
	fail := func(err error) (*database, error) {
		db.close(ctx)
		return nil, err
	}
	mg, err := store.NewMigrator(ctx, db.url)
	if err != nil {
		return fail(err)
	}
	if migrate {
		err = mg.Up()
	} else {
		err = mg.Check()
	}
	mg.Close()
	if err != nil {
		return fail(err)
	}
	if db.store, err = store.Open(ctx, db.url); err != nil {
		return fail(err)
	}
	if err := db.store.SyncDelegations(ctx, delegation.Default()); err != nil {
		return fail(err)
	}
	return db, nil
}

// withDatabase opens the database (migrating it up, as every command but
// serve does), runs fn on it, and closes it.
func (e *env) withDatabase(ctx context.Context, fn func(db *database) error) error {
	db, err := e.openDatabase(ctx, true)
	if err != nil {
		return err
	}
	defer db.close(ctx)
	return fn(db)
}

// close closes the pool and stops the managed cluster if this process
// started it, leaving a cluster it found running as it was.
func (db *database) close(ctx context.Context) {
	if db.store != nil {
		db.store.Close()
	}
	if db.cluster != nil {
		_ = db.cluster.Stop(context.WithoutCancel(ctx))
	}
}
