package httpapi

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/draftroom/draftroom/server/internal/store"
)

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Draftroom</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Draftroom</h1>
<p>The server is running, but this binary was built without the web client.</p>
<p>Build it and rebuild the binary:</p>
<pre>make web    # npm ci && npm run build in client/web
make build</pre>
<p>or run <code>make run</code>, which does both. The API is available at <code>/api/v1/</code>.</p>
</body></html>
`

// serveWeb serves the built client, falling back to index.html for the
// client's own routes, or a page that says how to build it.
func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.web == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(notBuiltPage))
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name != "" {
		if st, err := fs.Stat(s.web, name); err == nil && !st.IsDir() {
			http.ServeFileFS(w, r, s.web, name)
			return
		}
	}
	http.ServeFileFS(w, r, s.web, "index.html")
}

func sessionJSON(p store.Participant) map[string]any {
	out := map[string]any{"participant": p.ID.String(), "name": p.Name, "role": p.Role, "delegation": p.Delegation}
	if p.DocumentID != nil {
		out["document"] = p.DocumentID.String()
	} else {
		out["document"] = nil
	}
	return out
}
