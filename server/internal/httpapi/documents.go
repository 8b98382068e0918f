package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/compile"
	"github.com/draftroom/draftroom/server/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	v, dirty, err := s.store.SchemaVersion(r.Context())
	if err != nil {
		s.log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "database unreachable or not migrated"})
		return
	}
	if dirty || v < latestSchema() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "reason": "schema behind", "schema_version": v})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "schema_version": v})
}

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) error {
	p := participantFrom(r.Context())
	docs, err := s.store.ListDocuments(r.Context(), p.DocumentID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": docs})
	return nil
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	doc, err := s.store.GetDocument(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// importDocument takes a compilation table as the request body.
func (s *Server) importDocument(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := compile.Format(q.Get("format"))
	if format == "" {
		format = compile.FormatAuto
	}
	switch format {
	case compile.FormatAuto, compile.FormatText, compile.FormatCSV, compile.FormatXLSX:
	default:
		return errBadRequest("unknown format " + quote(string(format)) + ": want auto, text, csv or xlsx")
	}
	body := http.MaxBytesReader(w, r.Body, compile.MaxInputBytes+1)
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{http.StatusRequestEntityTooLarge, "too_large", "the file is larger than 20 MB"}
		}
		return errBadRequest("reading the upload: " + err.Error())
	}
	c, err := compile.Read(buf.Bytes(), q.Get("filename"), format, s.reg)
	if err != nil {
		return errBadRequest(err.Error())
	}
	if l := q.Get("lang"); l != "" {
		if c.Lang = compile.ParseLang(l); c.Lang == "" {
			return errBadRequest("unknown lang " + quote(l) + ": want ar, en, es, fr, ru or zh")
		}
	}
	id, sum, err := s.store.ImportCompilation(r.Context(), c, q.Get("title"))
	if err != nil {
		return err
	}
	s.log.Info("imported compilation", "document_id", id, "sections", sum.Sections, "paragraphs", sum.Paragraphs, "notes", sum.Notes, "unplaced", len(sum.Unplaced))
	unplaced := make([]map[string]any, 0, len(sum.Unplaced))
	for _, u := range sum.Unplaced {
		unplaced = append(unplaced, map[string]any{"line": u.Line, "text": u.Text})
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": id.String(),
		"summary": map[string]any{
			"sections": sum.Sections, "paragraphs": sum.Paragraphs, "proposals": sum.Proposals,
			"notes": sum.Notes, "unplaced": unplaced, "lang": c.Lang,
			"unassigned": sum.Unassigned, "suggested": sum.Suggested,
		},
	})
	return nil
}

func latestSchema() uint { return store.LatestVersion() }
