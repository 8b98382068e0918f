package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/draftroom/draftroom/schema"
)

// ErrSchemaBehind means the database has not been migrated to the version
// this binary needs.
var ErrSchemaBehind = errors.New("database schema is behind this binary")

// Migrator runs the embedded migrations against one database.
type Migrator struct {
	m  *migrate.Migrate
	db *sql.DB
}

// NewMigrator opens a migrator on the database at url. golang-migrate takes
// an advisory lock, so several nodes migrating at once is safe.
func NewMigrator(ctx context.Context, url string) (*Migrator, error) {
	db, err := sql.Open("pgx/v5", url)
	if err != nil {
		return nil, fmt.Errorf("migrate: open database: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: connect: %w", err)
	}
	drv, err := pgxmigrate.WithInstance(db, &pgxmigrate.Config{})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: driver: %w", err)
	}
	src, err := iofs.New(schema.FS, ".")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: source: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", drv)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return &Migrator{m: m, db: db}, nil
}

// Close releases the migrator's connection.
func (g *Migrator) Close() error {
	serr, derr := g.m.Close()
	return errors.Join(serr, derr)
}

// Up applies every pending migration.
func (g *Migrator) Up() error {
	if err := g.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down reverts n migrations.
func (g *Migrator) Down(n int) error {
	if n <= 0 {
		return fmt.Errorf("migrate down: need a positive count, got %d", n)
	}
	cur, _, err := g.Version()
	if err != nil {
		return err
	}
	// Versions may have gaps (numbers are reserved ahead of merging), so
	// the steps down to zero are the migrations at or below cur, not cur.
	if applied := appliedCount(cur); n > applied {
		n = applied
	}
	if n == 0 {
		return nil
	}
	if err := g.m.Steps(-n); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate down %d: %w", n, err)
	}
	return nil
}

// Version reports the applied version (0 when none) and whether a failed
// migration left the database dirty.
func (g *Migrator) Version() (uint, bool, error) {
	v, dirty, err := g.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("migrate version: %w", err)
	}
	return v, dirty, nil
}

// Check returns ErrSchemaBehind unless the database is exactly at
// LatestVersion and clean.
func (g *Migrator) Check() error {
	v, dirty, err := g.Version()
	if err != nil {
		return err
	}
	latest := LatestVersion()
	switch {
	case dirty:
		return fmt.Errorf("%w: version %d is dirty (a migration failed); fix it and run `draftroom migrate up`", ErrSchemaBehind, v)
	case v < latest:
		return fmt.Errorf("%w: database is at version %d, this binary needs %d; run `draftroom migrate up`", ErrSchemaBehind, v, latest)
	case v > latest:
		return fmt.Errorf("database schema version %d is newer than this binary's %d; upgrade the binary", v, latest)
	}
	return nil
}

// LatestVersion is the highest migration embedded in the binary.
func LatestVersion() uint {
	var latest uint
	for _, v := range versions() {
		latest = max(latest, v)
	}
	return latest
}

// versions lists the embedded migrations' versions.
func versions() []uint {
	entries, _ := fs.ReadDir(schema.FS, ".")
	seen := map[uint]bool{}
	var out []uint
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		if v, err := strconv.ParseUint(num, 10, 32); err == nil && !seen[uint(v)] {
			seen[uint(v)] = true
			out = append(out, uint(v))
		}
	}
	return out
}

// appliedCount is how many embedded migrations are at or below version v.
func appliedCount(v uint) int {
	n := 0
	for _, x := range versions() {
		if x <= v {
			n++
		}
	}
	return n
}

var _ = stdlib.GetDefaultDriver // registers the "pgx/v5" database/sql driver

// SchemaVersion reads the applied migration version through the pool, for
// readiness checks that must stay cheap.
func (s *Store) SchemaVersion(ctx context.Context) (uint, bool, error) {
	var v int64
	var dirty bool
	err := s.pool.QueryRow(ctx, `SELECT version, dirty FROM schema_migrations LIMIT 1`).Scan(&v, &dirty)
	if err != nil {
		return 0, false, fmt.Errorf("schema version: %w", err)
	}
	return uint(v), dirty, nil
}
