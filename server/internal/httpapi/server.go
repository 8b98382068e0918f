// Package httpapi serves Draftroom's HTTP API, its websocket endpoint and
// the web client. Every route is listed in routes().
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/store"
)

// Config is what the API needs from the process.
type Config struct {
	Store    *store.Store
	Registry *delegation.Registry
	Logger   *slog.Logger
	// Web holds the built web client (index.html at its root), or nil.
	Web fs.FS
}

// Server holds the API's dependencies.
type Server struct {
	store *store.Store
	reg   *delegation.Registry
	log   *slog.Logger
	web   fs.FS
	mux   *http.ServeMux
}

// New builds the API.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: cfg.Store, reg: cfg.Registry, log: log, web: cfg.Web, mux: http.NewServeMux()}
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

	s.mux.HandleFunc("/api/", s.notFoundAPI)
	s.mux.HandleFunc("/", s.serveWeb)
}

func (s *Server) notFoundAPI(w http.ResponseWriter, r *http.Request) {
	writeError(w, s.log, errNotFound("no such endpoint: "+r.Method+" "+r.URL.Path))
}
