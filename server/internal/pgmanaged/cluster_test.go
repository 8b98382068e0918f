package pgmanaged

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"
)

// The cluster runs processes and watches them from goroutines; none may
// outlive the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "drpgm")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestFindBinariesMissingSaysWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := FindBinaries(t.TempDir())
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	for _, want := range []string{"apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestFindBinariesFromLibRoot(t *testing.T) {
	b, err := FindBinaries("")
	if err != nil {
		t.Fatal(err)
	}
	if b.Major < minMajor || b.Major > maxMajor {
		t.Fatalf("major %d out of range", b.Major)
	}
	// With PATH emptied, the versioned directory must still be found.
	t.Setenv("PATH", t.TempDir())
	b2, err := FindBinaries("")
	if err != nil {
		t.Fatalf("without PATH: %v", err)
	}
	if b2.Major != b.Major {
		t.Errorf("major %d, want %d", b2.Major, b.Major)
	}
}

func ping(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var listen string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil {
		t.Fatal(err)
	}
	if listen != "" {
		t.Errorf("listen_addresses = %q, want no TCP", listen)
	}
}

// Two openers racing on one directory: one initializes and starts the
// cluster, the other waits on the lock and finds it running.
func TestConcurrentOpenStartsOnce(t *testing.T) {
	dir := tempDir(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	clusters := make([]*Cluster, 2)
	errs := make([]error, 2)
	for i := range clusters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clusters[i], errs[i] = Open(ctx, Options{Dir: dir, Ephemeral: true})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var started []*Cluster
	for _, c := range clusters {
		if c.Started() {
			started = append(started, c)
		}
	}
	if len(started) != 1 {
		t.Fatalf("%d openers started the cluster, want exactly 1", len(started))
	}
	t.Cleanup(func() { started[0].ForceStop(context.Background()) })
	for _, c := range clusters {
		ping(t, c.URL(""))
	}
	if _, err := os.Stat(filepath.Join(dir, "run", ".s.PGSQL.5432")); err != nil {
		t.Errorf("socket not inside the data directory: %v", err)
	}

	// The opener that found it running leaves it running when it stops.
	var other *Cluster
	for _, c := range clusters {
		if !c.Started() {
			other = c
		}
	}
	if err := other.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	ping(t, started[0].URL(""))
	if err := started[0].Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if running, err := started[0].running(ctx); err != nil || running {
		t.Fatalf("after Stop: running=%v err=%v", running, err)
	}

	// Opening again restarts the existing cluster without a new initdb.
	c, err := Open(ctx, Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.ForceStop(ctx)
	if !c.Started() {
		t.Error("reopen did not start the stopped cluster")
	}
	ping(t, c.URL(""))
}

func TestSocketPathTooLong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 100))
	_, err := Open(context.Background(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "shorter DRAFTROOM_DATA") {
		t.Fatalf("err = %v, want a socket path error", err)
	}
}
