package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/document"
	"github.com/draftroom/draftroom/server/internal/export"
	"github.com/draftroom/draftroom/server/internal/room"
	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

type versionJSON struct {
	Label     string          `json:"label"`
	Seq       int64           `json:"seq"`
	SHA256    string          `json:"sha256"`
	CreatedAt string          `json:"created_at"`
	Counts    json.RawMessage `json:"counts"`
	Document  json.RawMessage `json:"document,omitempty"`
}

func (s *Server) freezeVersion(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	if err := requirePower(r, document.Freeze); err != nil {
		return err
	}
	var body struct {
		Label string `json:"label"`
	}
	if r.ContentLength != 0 {
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
			return errBadRequest(`send {"label":"Rev.2"} or nothing`)
		}
	}
	p := participantFrom(r.Context())
	info, err := s.hub.Freeze(r.Context(), id, room.Participant{ID: p.ID.String(), Name: p.Name, Role: p.Role, Delegation: p.Delegation}, body.Label)
	switch {
	case errors.Is(err, room.ErrVersionExists):
		return &apiError{http.StatusConflict, "conflict", err.Error()}
	case errors.Is(err, room.ErrInvalidLabel):
		return errBadRequest(err.Error())
	case errors.Is(err, store.ErrNotFound):
		return errNotFound("no document " + id.String())
	case err != nil:
		s.log.Warn("freeze failed", "document_id", id, "err", err)
		return &apiError{http.StatusServiceUnavailable, wire.CodeUnavailable, "the version could not be stored; try again"}
	}
	counts, _ := json.Marshal(info.Counts)
	writeJSON(w, http.StatusCreated, versionJSON{Label: info.Label, Seq: info.Seq, SHA256: info.SHA256, CreatedAt: info.CreatedAt, Counts: counts})
	return nil
}

func toVersionJSON(v store.Version) versionJSON {
	return versionJSON{Label: v.Label, Seq: v.Seq, SHA256: v.SHA256, CreatedAt: v.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00"), Counts: v.Counts}
}

func (s *Server) listVersions(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	vs, err := s.store.ListVersions(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = toVersionJSON(v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	v, err := s.store.GetVersion(r.Context(), id, r.PathValue("label"))
	if err != nil {
		return err
	}
	out := toVersionJSON(*v)
	out.Document = json.RawMessage(v.Content)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// verifyVersion recomputes the hash of the stored content.
func (s *Server) verifyVersion(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	v, err := s.store.GetVersion(r.Context(), id, r.PathValue("label"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(v.Content))
	got := hex.EncodeToString(sum[:])
	writeJSON(w, http.StatusOK, map[string]any{"valid": got == v.SHA256, "sha256": got, "stored_sha256": v.SHA256})
	return nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	q := r.URL.Query()
	from, limit := int64(0), 100
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = strconv.ParseInt(v, 10, 64); err != nil || from < 0 {
			return errBadRequest("from must be a seq (a non-negative integer)")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			return errBadRequest("limit must be 1 to 1000")
		}
	}
	if ok, err := s.store.DocumentExists(r.Context(), id); err != nil || !ok {
		return errOr(err, errNotFound("no document "+id.String()))
	}
	ops, err := s.store.OpsSince(r.Context(), id, from, limit)
	if err != nil {
		return err
	}
	next := from
	if len(ops) > 0 {
		next = ops[len(ops)-1].Seq
	}
	writeJSON(w, http.StatusOK, map[string]any{"ops": ops, "next": next})
	return nil
}

func errOr(err error, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

func (s *Server) documentAt(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 0 {
		return errBadRequest("seq must be a non-negative integer")
	}
	doc, err := s.store.DocumentAt(r.Context(), id, seq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (s *Server) diff(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	q := r.URL.Query()
	if q.Get("from") == "" && q.Get("from_seq") == "" {
		return errBadRequest("from (a version label) or from_seq (a seq) is required")
	}
	from, err := s.loadPoint(r, id, "from", "from_seq")
	if err != nil {
		return err
	}
	// Without to or to_seq: the working text.
	to, err := s.loadPoint(r, id, "to", "to_seq")
	if err != nil {
		return err
	}
	// Who deleted what, and when, comes from the op log (a diff back in
	// time has no deleters: it is the plain comparison).
	var blame *document.Blame
	if from.Doc.Seq < to.Doc.Seq {
		blame = export.LoadBlame(r.Context(), s.store, id, to.Doc.Seq)
	}
	writeJSON(w, http.StatusOK, document.CompareBlame(from.Doc, to.Doc, blame))
	return nil
}
