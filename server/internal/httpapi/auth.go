package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/store"
)

// SessionCookie carries a browser's token; it is HttpOnly and
// SameSite=Strict, so scripts and other sites cannot use it.
const SessionCookie = "draftroom_session"

type ctxKey struct{}

// participantFrom returns the authenticated participant of a request.
func participantFrom(ctx context.Context) store.Participant {
	p, _ := ctx.Value(ctxKey{}).(store.Participant)
	return p
}

// tokenFrom reads the bearer token, or the session cookie. Never the URL.
func tokenFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// authed wraps a handler that needs a participant.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := tokenFrom(r)
		if tok == "" {
			writeError(w, s.log, errUnauthorized("missing token: send Authorization: Bearer TOKEN"))
			return
		}
		p, err := s.store.Authenticate(r.Context(), tok)
		if err != nil {
			writeError(w, s.log, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
	}
}

// documentID parses the {id} path value and checks the participant may see
// that document.
func documentID(r *http.Request) (uuid.UUID, error) {
	raw := r.PathValue("id")
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil, errBadRequest("malformed document id " + quote(raw) + ": want a UUID")
	}
	p := participantFrom(r.Context())
	if p.DocumentID != nil && *p.DocumentID != id {
		return uuid.Nil, errForbidden("this token is bound to another document")
	}
	return id, nil
}

func requireRole(r *http.Request, roles ...string) error {
	p := participantFrom(r.Context())
	for _, role := range roles {
		if p.Role == role {
			return nil
		}
	}
	return errForbidden("role " + p.Role + " may not do this; it needs " + strings.Join(roles, " or "))
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return "\"" + s + "\""
}
