// Package httpapi serves Draftroom's HTTP API, its websocket endpoint and
// the web client. Every route is listed in routes().
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/metrics"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/internal/syncx"
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
	// Origins lists extra origins allowed to open websockets and make
	// state-changing requests (the server's own origin is always allowed).
	Origins []string
	// FrameAncestors is the CSP frame-ancestors value ('none' when empty),
	// e.g. "'self' https://screens.example.org" to embed the projector view.
	FrameAncestors string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (per-address limits, Secure cookies).
	TrustedProxies []netip.Prefix
	// Metrics records connections (nil: nothing).
	Metrics *metrics.Metrics
	// EditsPerSecond limits messages per connection (default 50, burst 2×);
	// a token's connections together get twice that.
	EditsPerSecond float64
	// PublicURL is the address participants reach the server at (e.g.
	// https://draft.example.org), for join links; its origin is allowed
	// like the server's own. Empty: links are built from each request.
	PublicURL string
	// Heavy bounds exports, diffs, documents at a seq and imports.
	Heavy HeavyLimits
	// ConnsPerToken caps one token's live websocket connections on this
	// node (default 8); the next upgrade is refused with 429.
	ConnsPerToken int
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

	metrics        *metrics.Metrics
	proxies        proxies
	frameAncestors string
	handler        http.Handler
	sessionLimit   *ipLimiter
	perConn        rate.Limit
	slots          *tokenSlots

	mu       sync.Mutex
	byToken  map[uuid.UUID]map[*wsConn]struct{} // live connections, to close on revocation
	tokenLim map[uuid.UUID]*rate.Limiter

	watch     *registry // every live connection, checked for revocation (registry.go)
	heavyLim  *heavyLimiter
	publicURL string // e.g. https://draft.example.org, for join links; "" when unknown
}

// New builds the API.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: cfg.Store, reg: cfg.Registry, log: log, web: cfg.Web, hub: cfg.Hub, mux: http.NewServeMux(),
		frameAncestors: cfg.FrameAncestors, metrics: cfg.Metrics, sessionLimit: newIPLimiter(5, 20, cfg.TrustedProxies), proxies: cfg.TrustedProxies, perConn: rate.Limit(cfg.EditsPerSecond),
		byToken: map[uuid.UUID]map[*wsConn]struct{}{}, tokenLim: map[uuid.UUID]*rate.Limiter{},
		watch: newRegistry(), heavyLim: newHeavyLimiter(cfg.Heavy), publicURL: strings.TrimRight(cfg.PublicURL, "/")}
	if s.publicURL != "" {
		s.origins = append(s.origins, s.publicURL)
	}
	for _, o := range cfg.Origins {
		s.origins = append(s.origins, trimOrigin(o))
	}
	if s.frameAncestors == "" {
		s.frameAncestors = "'none'"
	}
	if s.perConn <= 0 {
		s.perConn = 50
	}
	if cfg.ConnsPerToken <= 0 {
		cfg.ConnsPerToken = 8
	}
	s.slots = newTokenSlots(cfg.ConnsPerToken)
	s.routes()
	s.handler = s.logRequests(s.headers(s.sameOrigin(s.mux)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) track(tok uuid.UUID, c *wsConn) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byToken[tok] == nil {
		s.byToken[tok] = map[*wsConn]struct{}{}
	}
	s.byToken[tok][c] = struct{}{}
	l := s.tokenLim[tok]
	if l == nil {
		l = rate.NewLimiter(2*s.perConn, int(4*s.perConn))
		s.tokenLim[tok] = l
	}
	return l
}

func (s *Server) untrack(tok uuid.UUID, c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byToken[tok], c)
	if len(s.byToken[tok]) == 0 {
		delete(s.byToken, tok)
		delete(s.tokenLim, tok)
	}
}

// routes lists every route in one place.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)

	s.mux.HandleFunc("POST /api/v1/session", s.limitIP(s.sessionLimit, s.api(s.createSession)))
	s.mux.HandleFunc("DELETE /api/v1/session", s.api(s.deleteSession))
	s.mux.HandleFunc("GET /api/v1/session", s.authed(s.getSession))

	s.mux.HandleFunc("GET /api/v1/delegations", s.authed(s.listDelegations))
	s.mux.HandleFunc("GET /api/v1/documents", s.authed(s.api(s.listDocuments)))
	s.mux.HandleFunc("POST /api/v1/documents", s.authed(s.admin(s.heavy(s.api(s.importDocument)))))
	s.mux.HandleFunc("GET /api/v1/documents/{id}", s.authed(s.doc(s.getDocument)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/live", s.authed(s.live))
	s.mux.HandleFunc("POST /api/v1/documents/{id}/versions", s.authed(s.doc(s.freezeVersion)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions", s.authed(s.doc(s.listVersions)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions/{label}", s.authed(s.doc(s.getVersion)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/versions/{label}/verify", s.authed(s.doc(s.verifyVersion)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/history", s.authed(s.doc(s.history)))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/at/{seq}", s.authed(s.heavy(s.doc(s.documentAt))))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/diff", s.authed(s.heavy(s.doc(s.diff))))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/export", s.authed(s.heavy(s.doc(s.exportDocument))))

	// The secretariat's desk (admin only; admin.go).
	s.mux.HandleFunc("GET /api/v1/admin/documents", s.authed(s.admin(s.api(s.adminDocuments))))
	s.mux.HandleFunc("PATCH /api/v1/documents/{id}", s.authed(s.admin(s.doc(s.renameDocument))))
	s.mux.HandleFunc("GET /api/v1/documents/{id}/participants", s.authed(s.admin(s.doc(s.listParticipants))))
	s.mux.HandleFunc("POST /api/v1/documents/{id}/participants", s.authed(s.admin(s.doc(s.addParticipants))))
	s.mux.HandleFunc("POST /api/v1/documents/{id}/participants/{pid}/revoke", s.authed(s.admin(s.participant(s.revokeParticipant))))
	s.mux.HandleFunc("POST /api/v1/documents/{id}/participants/{pid}/tokens", s.authed(s.admin(s.participant(s.newParticipantToken))))

	s.mux.HandleFunc("/api/", s.notFoundAPI)
	s.mux.HandleFunc("/", s.serveWeb)
}

// WaitConnections waits until every websocket connection has finished
// (after the hub has closed them), or ctx is done.
func (s *Server) WaitConnections(ctx context.Context) error {
	return syncx.Wait(ctx, &s.conns)
}

func (s *Server) notFoundAPI(w http.ResponseWriter, r *http.Request) {
	writeError(w, s.log, errNotFound("no such endpoint: "+r.Method+" "+r.URL.Path))
}
