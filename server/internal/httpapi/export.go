package httpapi

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/draftroom/draftroom/server/internal/export"
	"github.com/draftroom/draftroom/server/internal/store"
)

// exportDocument serves GET /api/v1/documents/{id}/export?format=F
// [&version=L][&redline=L][&compilation=true]: the document (now, or at a
// version label or seq) as a downloadable file; with compilation, docx and
// html give the compilation table instead of the working text. Anyone who may read the document may
// export it.
func (s *Server) exportDocument(w http.ResponseWriter, r *http.Request, id uuid.UUID) error {
	q := r.URL.Query()
	f, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		return errBadRequest(err.Error())
	}
	if (q.Get("redline") != "" || q.Get("redline_seq") != "") && !f.Redlines() {
		return errBadRequest("redline applies to docx, html and md, not " + string(f))
	}
	compilation := false
	switch v := q.Get("compilation"); v {
	case "", "0", "false":
	case "1", "true":
		compilation = true
	default:
		return errBadRequest("compilation is true or false, not " + quote(v))
	}
	if compilation && !f.Compiles() {
		return errBadRequest("compilation applies to docx and html, not " + string(f))
	}
	if compilation && (q.Get("redline") != "" || q.Get("redline_seq") != "") {
		return errBadRequest("compilation and redline do not combine: the compilation shows proposals, not changes")
	}
	at, err := s.loadPoint(r, id, "version", "seq")
	if err != nil {
		return err
	}
	in := export.Input{Doc: at.Doc, Version: at.Label, Time: at.Time, Registry: s.reg, Compilation: compilation}
	if q.Get("redline") != "" || q.Get("redline_seq") != "" {
		since, err := s.loadPoint(r, id, "redline", "redline_seq")
		if err != nil {
			return err
		}
		in.Since, in.SinceVersion = since.Doc, since.Label
	}
	if !compilation && (f == export.DOCX || in.Since != nil) {
		// Who inserted and deleted what, and when: the redline's authors
		// and dates, the comments' times.
		in.Blame = export.LoadBlame(r.Context(), s.store, id, at.Doc.Seq)
	}
	// Built in memory first, so that a failure is a clean JSON error
	// rather than half a file.
	var buf bytes.Buffer
	if err := export.Write(&buf, f, in); err != nil {
		s.log.Error("export failed", "document_id", id, "format", f, "err", err)
		return &apiError{http.StatusInternalServerError, "internal", "the export failed; see the server log"}
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": export.Filename(f, in)}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	// A draft under negotiation is not for shared caches.
	h.Set("Cache-Control", "private, no-store")
	if f == export.HTML {
		// The page needs its inline styles and nothing else, should it
		// ever be opened from this origin rather than saved.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// loadPoint reads the document at the point a request names with a
// label parameter (always a version label) and a seq parameter (always a
// seq). An all-digit value of the label parameter that is no version's
// label still means that seq, as it did before the seq parameters.
func (s *Server) loadPoint(r *http.Request, id uuid.UUID, labelParam, seqParam string) (*export.Point, error) {
	q := r.URL.Query()
	if q.Get(seqParam) == "" {
		p, err := export.Load(r.Context(), s.store, id, q.Get(labelParam))
		return p, exportErr(err, labelParam)
	}
	at, err := export.ParseAt(q.Get(labelParam), q.Get(seqParam))
	if err != nil {
		return nil, exportErr(err, labelParam+"/"+seqParam)
	}
	p, err := export.LoadAt(r.Context(), s.store, id, at)
	return p, exportErr(err, seqParam)
}

// exportErr says which parameter a version error is about.
func exportErr(err error, param string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, export.ErrBadVersion):
		return errBadRequest(param + ": " + err.Error())
	case errors.Is(err, store.ErrNotFound):
		return errNotFound(param + ": " + err.Error())
	}
	return err
}
