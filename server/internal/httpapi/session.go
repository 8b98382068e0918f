package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
)

// createSession exchanges a token for an HttpOnly session cookie, so the
// browser never keeps the token where scripts can read it, and it never
// travels in a URL.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&body); err != nil || body.Token == "" {
		writeError(w, s.log, errBadRequest(`send {"token":"…"} as JSON`))
		return
	}
	p, err := s.store.Authenticate(r.Context(), body.Token)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: body.Token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.secure(r),
	})
	writeJSON(w, http.StatusOK, sessionJSON(p))
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.secure(r),
	})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, sessionJSON(participantFrom(r.Context())))
}
