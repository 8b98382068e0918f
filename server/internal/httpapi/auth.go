package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/draft"
	"github.com/draftroom/draftroom/server/internal/store"
)

// SessionCookie carries a browser's session id: a random secret of its own,
// stored only hashed, never the token. It is HttpOnly and SameSite=Strict,
// so scripts and other sites cannot use it.
const SessionCookie = "draftroom_session"

type ctxKey struct{}

// participantFrom returns the authenticated participant of a request.
func participantFrom(ctx context.Context) store.Participant {
	p, _ := ctx.Value(ctxKey{}).(store.Participant)
	return p
}

// bearerFrom reads the bearer token of a request. Never the URL.
func bearerFrom(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok), true
	}
	return "", true
}

// authed wraps a handler that needs a participant: a bearer token, or a
// browser's session cookie.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.authenticate(w, r)
		if err != nil {
			return err
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)))
		return nil
	})
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (store.Participant, error) {
	if tok, ok := bearerFrom(r); ok {
		if tok == "" {
			return store.Participant{}, errUnauthorized("malformed Authorization header: send Authorization: Bearer TOKEN")
		}
		return s.store.Authenticate(r.Context(), tok)
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return store.Participant{}, errUnauthorized("missing token: send Authorization: Bearer TOKEN")
	}
	if strings.HasPrefix(c.Value, "drt_") {
		// A cookie from before server-side sessions holds the token
		// itself: swap it for a session once, so browsers signed in before
		// an upgrade stay signed in and stop carrying the token.
		p, err := s.store.Authenticate(r.Context(), c.Value)
		if err != nil {
			return p, err
		}
		if err := s.startSession(w, r, &p); err != nil {
			return p, err
		}
		return p, nil
	}
	return s.store.AuthenticateSession(r.Context(), c.Value)
}

// api adapts a handler that returns its error: the error is written
// (writeError), so that each handler says only what it does.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, s.log, err)
		}
	}
}

// doc adapts a handler of one document's route: it reads and checks the
// {id} in the path (documentID), and writes the error as api does.
func (s *Server) doc(h func(w http.ResponseWriter, r *http.Request, id uuid.UUID) error) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		id, err := documentID(r)
		if err != nil {
			return err
		}
		return h(w, r, id)
	})
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

// requirePower refuses a request whose participant's role lacks the
// power (document.PowersOf: the one place roles map to powers).
func requirePower(r *http.Request, power document.Power) error {
	p := participantFrom(r.Context())
	if (document.Actor{Role: draft.Role(p.Role)}).Can(power) {
		return nil
	}
	var roles []string
	for _, role := range document.RolesWith(power) {
		roles = append(roles, string(role))
	}
	return errForbidden("role " + p.Role + " may not do this; it needs " + strings.Join(roles, " or "))
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return "\"" + s + "\""
}
