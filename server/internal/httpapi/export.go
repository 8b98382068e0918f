package httpapi

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/draftroom/draftroom/server/internal/export"
	"github.com/draftroom/draftroom/server/internal/store"
)

// exportDocument serves GET /api/v1/documents/{id}/export?format=F
// [&version=L][&redline=L][&compilation=true]: the document (now, or at a
// version label or seq) as a downloadable file; with compilation, docx and
// html give the compilation table instead of the working text. Anyone who may read the document may
// export it.
func (s *Server) exportDocument(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		writeError(w, s.log, err)
		return
	}
	q := r.URL.Query()
	f, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		writeError(w, s.log, errBadRequest(err.Error()))
		return
	}
	if q.Get("redline") != "" && !f.Redlines() {
		writeError(w, s.log, errBadRequest("redline applies to docx, html and md, not "+string(f)))
		return
	}
	compilation := false
	switch v := q.Get("compilation"); v {
	case "", "0", "false":
	case "1", "true":
		compilation = true
	default:
		writeError(w, s.log, errBadRequest("compilation is true or false, not "+quote(v)))
		return
	}
	if compilation && !f.Compiles() {
		writeError(w, s.log, errBadRequest("compilation applies to docx and html, not "+string(f)))
		return
	}
	if compilation && q.Get("redline") != "" {
		writeError(w, s.log, errBadRequest("compilation and redline do not combine: the compilation shows proposals, not changes"))
		return
	}
	at, err := export.Load(r.Context(), s.store, id, q.Get("version"))
	if err != nil {
		writeError(w, s.log, exportErr(err, "version"))
		return
	}
	in := export.Input{Doc: at.Doc, Version: at.Label, Time: at.Time, Registry: s.reg, Compilation: compilation}
	if q.Get("redline") != "" {
		since, err := export.Load(r.Context(), s.store, id, q.Get("redline"))
		if err != nil {
			writeError(w, s.log, exportErr(err, "redline"))
			return
		}
		in.Since, in.SinceVersion = since.Doc, since.Label
	}
	// Built in memory first, so that a failure is a clean JSON error
	// rather than half a file.
	var buf bytes.Buffer
	if err := export.Write(&buf, f, in); err != nil {
		s.log.Error("export failed", "document_id", id, "format", f, "err", err)
		writeError(w, s.log, &apiError{http.StatusInternalServerError, "internal", "the export failed; see the server log"})
		return
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
}

// exportErr says which parameter a version error is about.
func exportErr(err error, param string) error {
	switch {
	case errors.Is(err, export.ErrBadVersion):
		return errBadRequest(param + ": " + err.Error())
	case errors.Is(err, store.ErrNotFound):
		return errNotFound(param + ": " + err.Error())
	}
	return err
}
