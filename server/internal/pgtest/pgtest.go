// Package pgtest gives each test binary one throwaway managed PostgreSQL
// cluster, and each test its own database cloned from a migrated template.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"github.com/draftroom/draftroom/server/internal/delegation"
	"github.com/draftroom/draftroom/server/internal/pgmanaged"
	"github.com/draftroom/draftroom/server/internal/store"
)

const templateDB = "draftroom_template"

var (
	cluster *pgmanaged.Cluster
	cloneMu sync.Mutex // CREATE DATABASE ... TEMPLATE refuses concurrent clones
	counter atomic.Int64
)

// Main starts the cluster, runs the tests and removes the cluster. Call it
// from TestMain. A missing PostgreSQL fails the run: these tests never skip
// to a mock. A goroutine the tests leave running fails it too: the ones
// alive before the tests start (the cluster's) are the baseline.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A short path: the socket path must fit in 107 bytes.
	dir, err := os.MkdirTemp("", "drpg")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The cluster may run as an unprivileged user, which must reach it.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	cluster, err = pgmanaged.Open(ctx, pgmanaged.Options{Dir: dir, Ephemeral: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer cluster.ForceStop(context.Background())
	if err := prepareTemplate(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	cancel()
	baseline := goleak.IgnoreCurrent()
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(baseline); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: goroutines left running after the tests:", err)
			return 1
		}
	}
	return code
}

func prepareTemplate(ctx context.Context) error {
	if err := cluster.EnsureDatabase(ctx, templateDB, ""); err != nil {
		return err
	}
	url := cluster.URL(templateDB)
	mg, err := store.NewMigrator(ctx, url)
	if err != nil {
		return err
	}
	if err := mg.Up(); err != nil {
		mg.Close()
		return err
	}
	mg.Close()
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.SyncDelegations(ctx, delegation.Default())
}

// Cluster returns the binary's cluster (for tests that restart it).
func Cluster() *pgmanaged.Cluster { return cluster }

// NewEmptyDB creates an empty database (no migrations), dropped when the
// test ends, and returns its URL.
func NewEmptyDB(t testing.TB) string {
	return newDB(t, "")
}

// NewDB creates a database cloned from the migrated template, dropped when
// the test ends, and returns its URL.
func NewDB(t testing.TB) string {
	return newDB(t, templateDB)
}

func newDB(t testing.TB, template string) string {
	t.Helper()
	if cluster == nil {
		t.Fatal("pgtest: no cluster; call pgtest.Main from TestMain")
	}
	name := fmt.Sprintf("t_%s_%d", sanitize(t.Name()), counter.Add(1))
	ctx := context.Background()
	cloneMu.Lock()
	err := cluster.EnsureDatabase(ctx, name, template)
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
		if err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return cluster.URL(name)
}

// NewStore opens a store on a fresh database.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), NewDB(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}

func sanitize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}
