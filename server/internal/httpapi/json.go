package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/draftroom/draftroom/server/internal/store"
	"github.com/draftroom/draftroom/server/wire"
)

// apiError is an error with the status and code the client sees.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func errBadRequest(msg string) *apiError { return &apiError{http.StatusBadRequest, "invalid", msg} }
func errUnauthorized(msg string) *apiError {
	return &apiError{http.StatusUnauthorized, "unauthorized", msg}
}
func errForbidden(msg string) *apiError { return &apiError{http.StatusForbidden, "forbidden", msg} }
func errNotFound(msg string) *apiError  { return &apiError{http.StatusNotFound, "not_found", msg} }

// writeJSON answers with v as JSON. API answers are never cached: they
// hold a negotiation's text and participants' details.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// writeError answers with {"error":{"code","message"}}. Errors that are not
// apiErrors are logged and answered as 500 without their details.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, store.ErrNotFound):
		ae = errNotFound(err.Error())
	case errors.Is(err, store.ErrUnauthorized):
		ae = errUnauthorized(err.Error())
	case errors.Is(err, store.ErrInvalid):
		ae = errBadRequest(err.Error())
	default:
		log.Error("request failed", "err", err)
		ae = &apiError{http.StatusInternalServerError, "internal", "internal error; see the server log"}
	}
	writeJSON(w, ae.status, wire.ErrorBody{Error: wire.Error{Code: ae.code, Message: ae.message}})
}
