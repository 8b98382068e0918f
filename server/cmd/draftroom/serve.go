package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	web "github.com/draftroom/draftroom/client/web"
	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/httpapi"
	"github.com/draftroom/draftroom/server/internal/metrics"
	"github.com/draftroom/draftroom/server/internal/room"
)

const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]", `Runs the HTTP API, the live websocket rooms and the web client.
Without DATABASE_URL it starts (or joins) the managed PostgreSQL cluster in
DRAFTROOM_DATA, and stops it at shutdown only if it started it.`)
	addr := fs.String("addr", e.addr, "listen address (env DRAFTROOM_ADDR)")
	migrate := fs.Bool("migrate", true, "migrate the database up at start; with false, refuse to run on a schema that is behind")
	withDemo := fs.Bool("demo", false, "create the demo resolution (as `draftroom demo` does) and print its tokens before serving")
	var origins listFlag
	if v := os.Getenv("DRAFTROOM_ORIGINS"); v != "" {
		origins = strings.Split(v, ",")
	}
	frameAncestors := fs.String("frame-ancestors", envOr("DRAFTROOM_FRAME_ANCESTORS", "'none'"), "the CSP frame-ancestors allowed to embed pages, e.g. \"'self' https://screens.example.org\" for the projector view (env DRAFTROOM_FRAME_ANCESTORS)")
	var trusted listFlag
	if v := os.Getenv("DRAFTROOM_TRUSTED_PROXIES"); v != "" {
		trusted = strings.Split(v, ",")
	}
	fs.Var(&trusted, "trusted-proxy", "a reverse proxy (address or CIDR) whose X-Forwarded-For and X-Forwarded-Proto are believed, for per-address limits and Secure cookies (repeatable; env DRAFTROOM_TRUSTED_PROXIES, comma-separated)")
	metricsAddr := fs.String("metrics-addr", envOr("DRAFTROOM_METRICS_ADDR", "127.0.0.1:9464"), "where to serve Prometheus /metrics; empty turns it off (env DRAFTROOM_METRICS_ADDR)")
	pprofAddr := fs.String("pprof-addr", envOr("DRAFTROOM_PPROF_ADDR", ""), "serve net/http/pprof here, loopback addresses only; empty (the default) turns it off (env DRAFTROOM_PPROF_ADDR)")
	editRate := fs.Float64("edit-rate", 50, "messages per second allowed per connection (burst twice that; a token's connections share twice the rate)")
	connsPerToken := fs.Int("conns-per-token", 8, "live websocket connections one token may hold on this node; more are refused with 429")
	fs.Var(&origins, "origin", "an extra origin allowed to open websockets, e.g. https://draft.example.org (repeatable; env DRAFTROOM_ORIGINS, comma-separated)")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	proxies, err := httpapi.ParseProxies(trusted)
	if err != nil {
		return usagef("--trusted-proxy: %v", err)
	}
	if *pprofAddr != "" && !isLoopback(*pprofAddr) {
		return usagef("--pprof-addr %q must be a loopback address, e.g. 127.0.0.1:6060", *pprofAddr)
	}
	db, err := e.openDatabase(ctx, *migrate)
	if err != nil {
		return err
	}
	defer db.close(ctx)
	m := metrics.New(db.store.Pool())
	var side []*http.Server
	defer func() {
		for _, s := range side {
			s.Close()
		}
	}()
	if *metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		// Metrics are for operators: a busy port (a second node on the same
		// host) turns them off with a warning rather than stopping the node.
		if s, err := serveSide(e, "metrics", *metricsAddr, mux); err != nil {
			e.log.Warn("metrics are off", "err", err)
		} else {
			side = append(side, s)
		}
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		s, err := serveSide(e, "pprof", *pprofAddr, mux)
		if err != nil {
			return err
		}
		side = append(side, s)
	}

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
	hub := room.NewHub(room.Config{Store: db.store, Logger: e.log, Metrics: m})
	api := httpapi.New(httpapi.Config{Store: db.store, Registry: delegation.Default(), Logger: e.log, Web: web.FS(), Hub: hub,
		Origins: origins, FrameAncestors: *frameAncestors, EditsPerSecond: *editRate, ConnsPerToken: *connsPerToken, Metrics: m, TrustedProxies: proxies})
	watchCtx, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWatch()
	go api.Run(watchCtx)
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
	// Stop accepting, let rooms commit what they accepted and close their
	// clients with 1001, wait for the connections to finish, then let the
	// deferred close shut the pool (and a cluster this process started).
	// http.Server.Shutdown does not wait for hijacked websocket connections,
	// which is why the hub and the API are waited on too.
	e.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := hub.Close(sctx); err != nil {
		e.log.Warn("rooms did not close in time", "err", err)
	}
	if err := api.WaitConnections(sctx); err != nil {
		e.log.Warn("connections did not close in time", "err", err)
	}
	e.log.Info("stopped")
	return nil
}

// serveSide serves an operator-only endpoint (metrics, pprof) on its own
// listener, away from the public address.
func serveSide(e *env, what, addr string, h http.Handler) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s listener: %w", what, err)
	}
	s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go s.Serve(ln)
	e.log.Info("serving "+what, "addr", ln.Addr().String())
	return s, nil
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
