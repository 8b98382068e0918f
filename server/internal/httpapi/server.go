// Package httpapi serves Draftroom's HTTP API, its websocket endpoint and
// the web client. Every route is listed in routes().
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
)

// Config is what the API needs from the process.
type Config struct {
	Store    *store.Store
	Registry *delegation.Registry
	Logger   *slog.Logger
	// Web holds the built web client (index.html at its root), or nil.
	Web fs.FS
	// Hub runs the live rooms.
	Hub *room.Hub
	// Origins lists extra origins allowed to open websockets (the server's
	// own origin is always allowed).
	Origins []string
}

// Server holds the API's dependencies.
type Server struct {
	store   *store.Store
	reg     *delegation.Registry
	log     *slog.Logger
	web     fs.FS
	hub     *room.Hub
	origins []string
	mux     *http.ServeMux
	conns   sync.WaitGroup // live websocket connections
}

// New builds the API.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: cfg.Store, reg: cfg.Registry, log: log, web: cfg.Web, hub: cfg.Hub, origins: cfg.Origins, mux: http.NewServeMux()}
	s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// routes lists every route in one place.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)

	s.mux.HandleFunc("POST /api/v1/session", s.createSession)
	s.mux.HandleFunc("DELETE /api/v1/session", s.deleteSession)
	s.mux.HandleFunc("GET /api/v1/session", s.authed(s.getSession))

	s.mux.HandleFunc("GET /api/v1/documents", s.authed(s.listDocuments))
	s.mux.HandleFunc("POST /api/v1/documents", s.authed(s.importDocument))
	s.mux.HandleFunc("GET /api/v1/documents/{id}", s.authed(s.getDocument))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/live", s.authed(s.live))
	s.mux.HandleFunc("POST /api/v1/documents/{id}/versions", s.authed(s.freezeVersion))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions", s.authed(s.listVersions))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions/{label}", s.authed(s.getVersion))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions/{label}/verify", s.authed(s.verifyVersion))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/history", s.authed(s.history))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/at/{seq}", s.authed(s.documentAt))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/diff", s.authed(s.diff))

	s.mux.HandleFunc("/api/", s.notFoundAPI)
	s.mux.HandleFunc("/", s.serveWeb)
}

// WaitConnections waits until every websocket connection has finished
// (after the hub has closed them), or ctx is done.
func (s *Server) WaitConnections(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) notFoundAPI(w http.ResponseWriter, r *http.Request) {
	writeError(w, s.log, errNotFound("no such endpoint: "+r.Method+" "+r.URL.Path))
}
