// Package web exposes the built browser client (client/web/dist, produced
// by `npm ci && npm run build`) to the server binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built client, or nil when the binary was built before the
// client (the server then serves a page saying how to build it).
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil
	}
	return sub
}
