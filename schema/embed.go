// Package schema holds the database migrations, in golang-migrate's
// NNNN_name.up.sql / NNNN_name.down.sql form, embedded into the binary.
package schema

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
