package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Security headers on every response. Scripts come only from the server
// itself; CodeMirror sets element styles from script, hence the style
// allowance. frame-ancestors is configurable so the projector view can be
// embedded in a venue's display system.
func (s *Server) headers(next http.Handler) http.Handler {
	csp := "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + s.frameAncestors
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin refuses state-changing requests that a browser sent from
// another site. Requests with no Origin (curl, the Go client) pass: they
// carry a bearer token, which another site cannot.
func (s *Server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if r.Header.Get("Origin") != "" && !s.checkOrigin(r) {
				writeError(w, s.log, errForbidden("cross-origin request refused: "+r.Header.Get("Origin")+" is not an allowed origin"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Hijack lets websocket upgrades through the wrapper.
func (w *statusWriter) Hijack() (net.Conn, *bufioReadWriter, error) {
	return hijack(w.ResponseWriter)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request with an id. It logs the path, never the
// query string, headers or cookies: tokens must never reach a log.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(sw, r)
		level := s.log.Debug
		if sw.status >= 500 {
			level = s.log.Warn
		}
		level("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration_ms", time.Since(start).Milliseconds(), "document_id", r.PathValue("id"))
	})
}

// ipLimiter limits requests per client address (session creation, where a
// token is guessed if anywhere).
type ipLimiter struct {
	proxies proxies
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	m       map[string]*ipEntry
}

type ipEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func newIPLimiter(r rate.Limit, burst int, p proxies) *ipLimiter {
	return &ipLimiter{rate: r, burst: burst, m: map[string]*ipEntry{}, proxies: p}
}

func (l *ipLimiter) allow(r *http.Request) bool {
	host := l.proxies.clientIP(r)
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 10_000 {
		for k, e := range l.m {
			if now.Sub(e.seen) > time.Minute {
				delete(l.m, k)
			}
		}
	}
	e := l.m[host]
	if e == nil {
		e = &ipEntry{l: rate.NewLimiter(l.rate, l.burst)}
		l.m[host] = e
	}
	e.seen = now
	return e.l.Allow()
}

func (s *Server) limitIP(l *ipLimiter, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !l.allow(r) {
			w.Header().Set("Retry-After", "1")
			writeError(w, s.log, &apiError{http.StatusTooManyRequests, "rate_limited", "too many requests from this address; wait a moment"})
			return
		}
		next(w, r)
	}
}

func trimOrigin(o string) string { return strings.TrimRight(o, "/") }
