package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/roster"
	"github.com/draftroom/draftroom/server/internal/store"
)

// The secretariat's desk: documents with their counts, renaming, and the
// participants of a document (enrol one or a roster, list, revoke, new
// link). Admin only.

// admin wraps an authenticated handler that only admins may use.
func (s *Server) admin(next http.HandlerFunc) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if err := requireRole(r, "admin"); err != nil {
			return err
		}
		next(w, r)
		return nil
	})
}

type adminDocumentJSON struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	BaseRef      string `json:"base_ref"`
	Seq          int64  `json:"seq"`
	Sections     int    `json:"sections"`
	Paragraphs   int    `json:"paragraphs"`
	Proposals    int    `json:"proposals"`
	Participants int    `json:"participants"`
	Online       int    `json:"online"`
	Versions     int    `json:"versions"`
	CreatedAt    string `json:"created_at"`
	LastActivity string `json:"last_activity"`
}

func (s *Server) adminDocuments(w http.ResponseWriter, r *http.Request) error {
	docs, err := s.store.ListDocumentStats(r.Context())
	if err != nil {
		return err
	}
	out := make([]adminDocumentJSON, len(docs))
	for i, d := range docs {
		out[i] = adminDocumentJSON{ID: d.ID.String(), Title: d.Title, BaseRef: d.BaseRef, Seq: d.Seq, Sections: d.Sections,
			Paragraphs: d.Paragraphs, Proposals: d.Proposals, Participants: d.Participants, Online: d.Online, Versions: d.Versions,
			CreatedAt: stamp(d.CreatedAt), LastActivity: stamp(d.LastActivity)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": out})
	return nil
}

func (s *Server) renameDocument(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	var body struct {
		Title *string `json:"title"`
	}
	if err := decodeBody(r, &body); err != nil || body.Title == nil {
		return errBadRequest(`send {"title":"…"} as JSON`)
	}
	if err := s.hub.Rename(r.Context(), id, *body.Title); err != nil {
		return err
	}
	s.log.Info("renamed document", "document_id", id)
	writeJSON(w, http.StatusOK, map[string]any{"id": id.String(), "title": strings.TrimSpace(*body.Title)})
	return nil
}

type tokenJSON struct {
	ID        string  `json:"id"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt *string `json:"expires_at"`
	RevokedAt *string `json:"revoked_at"`
}

type participantJSON struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Role       string      `json:"role"`
	Delegation string      `json:"delegation"`
	CreatedAt  string      `json:"created_at"`
	LastSeenAt *string     `json:"last_seen_at"`
	Online     bool        `json:"online"`
	Active     bool        `json:"active"`
	Tokens     []tokenJSON `json:"tokens"`
}

func (s *Server) listParticipants(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	if ok, err := s.store.DocumentExists(r.Context(), id); err != nil || !ok {
		return errOr(err, errNotFound("no document "+id.String()))
	}
	ps, err := s.store.ListParticipants(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]participantJSON, len(ps))
	for i, p := range ps {
		pj := participantJSON{ID: p.ID.String(), Name: p.Name, Role: p.Role, Delegation: p.Delegation, CreatedAt: stamp(p.CreatedAt),
			LastSeenAt: stampPtr(p.LastSeenAt), Online: p.Online, Active: p.Active, Tokens: make([]tokenJSON, len(p.Tokens))}
		for j, t := range p.Tokens {
			pj.Tokens[j] = tokenJSON{ID: t.ID.String(), CreatedAt: stamp(t.CreatedAt), ExpiresAt: stampPtr(t.ExpiresAt), RevokedAt: stampPtr(t.RevokedAt)}
		}
		out[i] = pj
	}
	writeJSON(w, http.StatusOK, map[string]any{"participants": out})
	return nil
}

// issuedJSON is a participant with a new token: the token and its join
// link are in this answer only.
type issuedJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	Delegation string  `json:"delegation"`
	TokenID    string  `json:"token_id"`
	Token      string  `json:"token"`
	JoinURL    string  `json:"join_url"`
	ExpiresAt  *string `json:"expires_at"`
}

func (s *Server) issuedJSON(r *http.Request, is store.Issued) issuedJSON {
	return issuedJSON{ID: is.Participant.ID.String(), Name: is.Participant.Name, Role: is.Participant.Role, Delegation: is.Participant.Delegation,
		TokenID: is.TokenID.String(), Token: is.Token, JoinURL: s.joinBase(r) + "/join#" + is.Token, ExpiresAt: stampPtr(is.Expires)}
}

// joinBase is where participants reach this server: the configured public
// URL, else the address this request came to.
func (s *Server) joinBase(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if s.proxies.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// maxParticipantsBody bounds a roster upload (JSON or CSV).
const maxParticipantsBody = roster.MaxBytes

// addParticipants enrols participants: one ({"role","delegation","name",
// "expires"}), several ({"participants":[…]}), or a roster as text/csv.
// All are created in one transaction, or none.
func (s *Server) addParticipants(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxParticipantsBody+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{http.StatusRequestEntityTooLarge, "too_large", "the roster is larger than 1 MB"}
		}
		return errBadRequest("reading the request: " + err.Error())
	}
	now := time.Now()
	var list []store.Enrolment
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "text/csv", "text/plain":
		entries, err := roster.Parse(data, s.reg, now)
		if err != nil {
			return errBadRequest("the roster was refused and nothing was written: " + err.Error())
		}
		for _, e := range entries {
			list = append(list, store.Enrolment{Role: e.Role, Delegation: e.Delegation, Name: e.Name, Expires: e.Expires, Line: e.Line})
		}
	case "application/json", "":
		list, err = enrolmentsJSON(data, now)
		if err != nil {
			return err
		}
	default:
		return &apiError{http.StatusUnsupportedMediaType, "invalid", "send JSON, or a roster as text/csv"}
	}
	issued, err := s.store.Enrol(r.Context(), id, list)
	if err != nil {
		var ee *store.EnrolError
		if errors.As(err, &ee) {
			return errBadRequest("refused and nothing was written: " + ee.Error())
		}
		return err
	}
	out := make([]issuedJSON, len(issued))
	for i, is := range issued {
		out[i] = s.issuedJSON(r, is)
	}
	s.log.Info("participants added", "document_id", id, "count", len(out))
	writeJSON(w, http.StatusCreated, map[string]any{"participants": out})
	return nil
}

type enrolmentJSON struct {
	Role       string `json:"role"`
	Delegation string `json:"delegation"`
	Name       string `json:"name"`
	Expires    string `json:"expires"`
}

// enrolmentsJSON reads one participant or {"participants":[…]}.
func enrolmentsJSON(data []byte, now time.Time) ([]store.Enrolment, error) {
	var body struct {
		enrolmentJSON
		Participants []enrolmentJSON `json:"participants"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return nil, errBadRequest(`send {"role","delegation","name","expires"} or {"participants":[…]} as JSON: ` + err.Error())
	}
	one := body.enrolmentJSON != enrolmentJSON{}
	if one == (body.Participants != nil) {
		return nil, errBadRequest(`send either one participant {"role",…} or {"participants":[…]}`)
	}
	items := body.Participants
	if one {
		items = []enrolmentJSON{body.enrolmentJSON}
	}
	if len(items) > roster.MaxEntries {
		return nil, errBadRequest("at most 2000 participants at once")
	}
	out := make([]store.Enrolment, len(items))
	for i, it := range items {
		e := store.Enrolment{Role: it.Role, Delegation: it.Delegation, Name: it.Name}
		if it.Expires != "" {
			t, err := roster.ParseExpiry(it.Expires, now)
			if err != nil {
				return nil, errBadRequest(err.Error())
			}
			e.Expires = t
		}
		out[i] = e
	}
	return out, nil
}

// participant adapts a handler of one participant's route: doc, and the
// {pid} in the path.
func (s *Server) participant(h func(w http.ResponseWriter, r *http.Request, doc, pid uuid.UUID) error) http.HandlerFunc {
	return s.doc(func(w http.ResponseWriter, r *http.Request, doc uuid.UUID) error {
		pid, err := uuid.Parse(r.PathValue("pid"))
		if err != nil {
			return errBadRequest("malformed participant id " + quote(r.PathValue("pid")) + ": want a UUID")
		}
		return h(w, r, doc, pid)
	})
}

// revokeParticipant revokes every token of a participant; its browser
// sessions end, and its live connections close within a second.
func (s *Server) revokeParticipant(w http.ResponseWriter, r *http.Request, doc, pid uuid.UUID) error {
	n, err := s.store.RevokeParticipant(r.Context(), doc, pid)
	if err != nil {
		return err
	}
	s.log.Info("participant revoked", "document_id", doc, "participant_id", pid, "tokens", n)
	writeJSON(w, http.StatusOK, map[string]any{"id": pid.String(), "revoked_tokens": n})
	return nil
}

// newParticipantToken gives a participant a new token and join link (a
// lost link: revoke the old one too).
func (s *Server) newParticipantToken(w http.ResponseWriter, r *http.Request, doc, pid uuid.UUID) error {
	var body struct {
		Expires string `json:"expires"`
	}
	if err := decodeBody(r, &body); err != nil {
		return errBadRequest(`send {"expires":"…"} or nothing`)
	}
	var exp *time.Time
	if body.Expires != "" {
		t, err := roster.ParseExpiry(body.Expires, time.Now())
		if err != nil {
			return errBadRequest(err.Error())
		}
		exp = t
	}
	is, err := s.store.IssueToken(r.Context(), doc, pid, exp)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.issuedJSON(r, is))
	return nil
}

// decodeBody reads a small JSON body; an empty body leaves v as it is.
func decodeBody(r *http.Request, v any) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, 16<<10))
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil
	}
	return json.Unmarshal(data, v)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func stampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}
