package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
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
	publicURL := fs.String("public-url", e.publicURL, "the address participants open, e.g. https://draft.example.org, for join links; its origin is allowed too (env DRAFTROOM_PUBLIC_URL)")
	limits := httpapi.DefaultLimits(openFileLimit())
	fs.IntVar(&limits.MaxConns, "max-connections", limits.MaxConns, "most open connections, websockets included; the last few are kept for health checks (default: 20000, or fewer when the open-file limit is lower) (env DRAFTROOM_MAX_CONNECTIONS)")
	fs.IntVar(&limits.PerAddr, "max-connections-per-address", limits.PerAddr, "most open connections from one client address; trusted proxies are exempt; 0 turns the cap off (env DRAFTROOM_MAX_CONNECTIONS_PER_ADDRESS)")
	if err := envInt("DRAFTROOM_MAX_CONNECTIONS", &limits.MaxConns); err != nil {
		return err
	}
	if err := envInt("DRAFTROOM_MAX_CONNECTIONS_PER_ADDRESS", &limits.PerAddr); err != nil {
		return err
	}
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if limits.MaxConns < 8 {
		return usagef("--max-connections must be at least 8")
	}
	limits.Reserve = min(32, limits.MaxConns/4)
	if *publicURL != "" {
		if err := checkPublicURL(*publicURL); err != nil {
			return usagef("--public-url: %v", err)
		}
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
	metricsOn := ""
	if *metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		// Metrics are for operators: a busy port (a second node on the same
		// host) turns them off with a warning rather than stopping the node.
		if s, addr, err := serveSide(e, "metrics", *metricsAddr, mux); err != nil {
			e.log.Warn("metrics are off", "err", err)
		} else {
			side = append(side, s)
			metricsOn = addr
		}
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		s, _, err := serveSide(e, "pprof", *pprofAddr, mux)
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
	links := base
	if *publicURL != "" {
		links = strings.TrimRight(*publicURL, "/")
	}
	if *withDemo {
		if err := printDemo(ctx, e, db, links); err != nil {
			ln.Close()
			return err
		}
		if metricsOn != "" {
			fmt.Fprintf(e.stdout, "Prometheus metrics are on http://%s/metrics too (--metrics-addr= turns them off).\n", metricsOn)
		}
	}
	hub := room.NewHub(room.Config{Store: db.store, Logger: e.log, Metrics: m})
	api := httpapi.New(httpapi.Config{Store: db.store, Registry: delegation.Default(), Logger: e.log, Web: web.FS(), Hub: hub,
		Origins: origins, FrameAncestors: *frameAncestors, EditsPerSecond: *editRate, ConnsPerToken: *connsPerToken, Metrics: m, TrustedProxies: proxies,
		PublicURL: *publicURL})
	watchCtx, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		api.Run(watchCtx)
	}()
	defer func() {
		stopWatch()
		<-watchDone // it clears this node's presence rows before the pool closes
	}()
	srv := httpapi.NewHTTPServer(api, limits, e.log)
	e.log.Info("serving", "addr", ln.Addr().String(), "url", base, "managed_db", db.cluster != nil,
		"max_connections", limits.MaxConns, "max_connections_per_address", limits.PerAddr)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(httpapi.Listen(ln, limits, proxies, e.log)) }()
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
func serveSide(e *env, what, addr string, h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("%s listener: %w", what, err)
	}
	lim := httpapi.SideLimits()
	if what == "pprof" {
		lim.WriteTimeout = 5 * time.Minute // profile?seconds= and trace run long
	}
	s := httpapi.NewHTTPServer(h, lim, e.log)
	go s.Serve(httpapi.Listen(ln, lim, nil, e.log))
	e.log.Info("serving "+what, "addr", ln.Addr().String())
	return s, ln.Addr().String(), nil
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

// envInt reads an integer setting from the environment, if set.
func envInt(name string, v *int) error {
	s := os.Getenv(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s: %q is not a number", name, s)
	}
	*v = n
	return nil
}

// openFileLimit is the process's open-file limit (Go raises the soft limit
// to the hard one at start), or 0 when unknown.
func openFileLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 0
	}
	return int(rl.Cur)
}

// checkPublicURL accepts an http or https URL with a host and no query.
func checkPublicURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q: want http(s)://host[:port][/path]", s)
	}
	return nil
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
