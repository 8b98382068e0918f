package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	web "github.com/draftroom/draftroom/client/web"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/httpapi"
)

const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]", `Runs the HTTP API, the live websocket rooms and the web client.
Without DATABASE_URL it starts (or joins) the managed PostgreSQL cluster in
DRAFTROOM_DATA, and stops it at shutdown only if it started it.`)
	addr := fs.String("addr", e.addr, "listen address (env DRAFTROOM_ADDR)")
	migrate := fs.Bool("migrate", true, "migrate the database up at start; with false, refuse to run on a schema that is behind")
	withDemo := fs.Bool("demo", false, "create the demo resolution (as `draftroom demo` does) and print its tokens before serving")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	db, err := e.openDatabase(ctx, *migrate)
	if err != nil {
		return err
	}
	defer db.close(ctx)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	if *withDemo {
		if err := printDemo(ctx, e, db, base); err != nil {
			ln.Close()
			return err
		}
	}
	api := httpapi.New(httpapi.Config{Store: db.store, Registry: delegation.Default(), Logger: e.log, Web: web.FS()})
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          nil,
	}
	e.log.Info("serving", "addr", ln.Addr().String(), "url", base, "managed_db", db.cluster != nil)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
