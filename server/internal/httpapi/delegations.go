package httpapi

import (
	"net/http"

	"github.com/draftroom/draftroom/server/internal/delegation"
)

// delegationJSON is one delegation of the registry, as the chair's
// proposer picker lists it.
type delegationJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// listDelegations serves GET /api/v1/delegations: every delegation the
// registry knows (the codes proposal.assign takes), by code.
func (s *Server) listDelegations(w http.ResponseWriter, r *http.Request) {
	reg := s.reg
	if reg == nil {
		reg = delegation.Default()
	}
	all := reg.All()
	out := make([]delegationJSON, len(all))
	for i, d := range all {
		out[i] = delegationJSON{Code: d.Code, Name: d.Name}
	}
	writeJSON(w, http.StatusOK, out)
}
