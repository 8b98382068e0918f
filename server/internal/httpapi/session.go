package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/draftroom/draftroom/server/internal/store"
)

// createSession exchanges a token for a server-side session: the browser
// keeps only the session's id, in an HttpOnly cookie, so the token is
// never where scripts can read it and never travels in a URL. Logging out
// ends the session; revoking the token ends all of its sessions.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&body); err != nil || body.Token == "" {
		return errBadRequest(`send {"token":"…"} as JSON`)
	}
	p, err := s.store.Authenticate(r.Context(), body.Token)
	if err != nil {
		return err
	}
	if err := s.startSession(w, r, &p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionJSON(p))
	return nil
}

// startSession opens a session for p and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, p *store.Participant) error {
	sess, err := s.store.CreateSession(r.Context(), *p)
	if err != nil {
		return err
	}
	p.SessionID = sess.ID
	maxAge := int(time.Until(sess.ExpiresAt).Seconds())
	if maxAge < 1 {
		maxAge = 1
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess.Secret, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.secure(r),
	})
	return nil
}

// deleteSession logs out: it ends the session on the server (its live
// connections close within a second) and clears the cookie.
func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.store.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.secure(r),
	})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, sessionJSON(participantFrom(r.Context())))
}
