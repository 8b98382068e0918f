// Package pgmanaged runs the local PostgreSQL cluster that Draftroom uses
// when DATABASE_URL is unset: the embedded default for newcomers, and the
// throwaway cluster of every test binary.
//
// The cluster lives in one directory, listens only on a Unix socket inside
// it, and is shared by every process that opens the same directory: the
// first starts it, the others find it running and leave it alone.
package pgmanaged

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the cluster's superuser role; trust authentication is safe
// because only the socket's owner (and root) can reach the socket.
const Superuser = "draftroom"

// DefaultDatabase is the database the server uses inside the cluster.
const DefaultDatabase = "draftroom"

// DefaultSystemUser is the unprivileged account the server runs as when
// Draftroom itself runs as root (PostgreSQL refuses to run as root).
const DefaultSystemUser = "draftroom"

const port = 5432

// maxSocketPath is sun_path's size on Linux less the terminating NUL.
const maxSocketPath = 107

// Options configures Open.
type Options struct {
	Dir    string       // the data directory (DRAFTROOM_DATA)
	Logger *slog.Logger // nil: discard
	// LibRoot is where versioned installations live (default /usr/lib/postgresql).
	LibRoot string
	// SystemUser is the account to run the server as when running as root
	// (default DefaultSystemUser, created if missing).
	SystemUser string
	// Ephemeral trades durability for speed (fsync off); for tests only.
	Ephemeral bool
}

// Cluster is a handle on a managed cluster.
type Cluster struct {
	dir     string
	bin     Binaries
	log     *slog.Logger
	cred    *syscall.Credential // nil when not running as root
	started bool                // this handle started the server
}

func (c *Cluster) pgdata() string  { return filepath.Join(c.dir, "pgdata") }
func (c *Cluster) sockDir() string { return filepath.Join(c.dir, "run") }

// Dir returns the data directory.
func (c *Cluster) Dir() string { return c.dir }

// Started reports whether this handle started the server (and so should stop it).
func (c *Cluster) Started() bool { return c.started }

// URL returns the connection URL of database db (DefaultDatabase if empty).
func (c *Cluster) URL(db string) string {
	if db == "" {
		db = DefaultDatabase
	}
	q := url.Values{"host": {c.sockDir()}, "port": {strconv.Itoa(port)}}
	return (&url.URL{Scheme: "postgres", User: url.User(Superuser), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// Open initializes the cluster on first use and starts it if it is not
// running. A lock file serializes concurrent openers, so two processes
// starting at once neither corrupt nor double-start the cluster.
func Open(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("pgmanaged: no data directory")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgmanaged: %w", err)
	}
	c := &Cluster{dir: dir, log: opts.logger()}
	if n := len(filepath.Join(c.sockDir(), ".s.PGSQL."+strconv.Itoa(port))); n > maxSocketPath {
		return nil, fmt.Errorf("pgmanaged: data directory %s is too deep for a Unix socket path (%d bytes, at most %d): choose a shorter DRAFTROOM_DATA", dir, n, maxSocketPath)
	}
	bin, err := FindBinaries(opts.LibRoot)
	if err != nil {
		return nil, fmt.Errorf("pgmanaged: %w", err)
	}
	c.bin = bin
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pgmanaged: create data directory: %w", err)
	}
	// Everything from here on, creating the system user included, happens
	// under the lock: concurrent useradd calls race on /etc/passwd.
	unlock, err := lockDir(ctx, filepath.Join(dir, "cluster.lock"))
	if err != nil {
		return nil, fmt.Errorf("pgmanaged: %w", err)
	}
	defer unlock()
	if c.cred, err = opts.credential(ctx); err != nil {
		return nil, fmt.Errorf("pgmanaged: %w", err)
	}
	if c.cred != nil {
		if err := checkTraversable(dir); err != nil {
			return nil, fmt.Errorf("pgmanaged: %w", err)
		}
	}

	if _, err := os.Stat(filepath.Join(c.pgdata(), "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx, opts.Ephemeral); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("pgmanaged: %w", err)
	}
	running, err := c.running(ctx)
	if err != nil {
		return nil, err
	}
	if !running {
		if err := c.start(ctx); err != nil {
			return nil, err
		}
		c.started = true
	} else {
		c.log.Debug("managed postgres already running", "dir", dir)
	}
	if err := c.EnsureDatabase(ctx, DefaultDatabase, ""); err != nil {
		if c.started {
			_ = c.Stop(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	return c, nil
}

func (c *Cluster) initdb(ctx context.Context, ephemeral bool) error {
	c.log.Info("initializing managed postgres", "dir", c.pgdata(), "version", c.bin.Major)
	// A failed earlier initdb leaves a partial directory that initdb refuses.
	if err := os.RemoveAll(c.pgdata()); err != nil {
		return fmt.Errorf("pgmanaged: remove partial cluster: %w", err)
	}
	for _, d := range []string{c.pgdata(), c.sockDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("pgmanaged: %w", err)
		}
		if err := c.chown(d); err != nil {
			return err
		}
	}
	args := []string{"-D", c.pgdata(), "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-locale"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	if out, err := c.run(ctx, c.bin.Initdb, args...); err != nil {
		return fmt.Errorf("pgmanaged: initdb: %w: %s", err, lastLines(out, 10))
	}
	conf := fmt.Sprintf(`
# Added by Draftroom: a Unix socket inside the data directory, no TCP.
listen_addresses = ''
port = %d
unix_socket_directories = '%s'
unix_socket_permissions = 0700
max_connections = 200
`, port, strings.ReplaceAll(c.sockDir(), "'", "''"))
	if ephemeral {
		conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	}
	f, err := os.OpenFile(filepath.Join(c.pgdata(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgmanaged: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(conf); err != nil {
		return fmt.Errorf("pgmanaged: write postgresql.conf: %w", err)
	}
	return nil
}

// running asks pg_ctl, which checks postmaster.pid against live processes.
func (c *Cluster) running(ctx context.Context) (bool, error) {
	out, err := c.run(ctx, c.bin.PgCtl, "status", "-D", c.pgdata())
	if err == nil {
		return true, nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		return false, nil
	}
	return false, fmt.Errorf("pgmanaged: pg_ctl status: %w: %s", err, lastLines(out, 5))
}

func (c *Cluster) start(ctx context.Context) error {
	c.log.Info("starting managed postgres", "dir", c.pgdata())
	logFile := filepath.Join(c.pgdata(), "server.log")
	out, err := c.run(ctx, c.bin.PgCtl, "start", "-D", c.pgdata(), "-l", logFile, "-w", "-t", "60")
	if err != nil {
		log, _ := os.ReadFile(logFile)
		return fmt.Errorf("pgmanaged: pg_ctl start: %w: %s %s", err, lastLines(out, 5), lastLines(log, 10))
	}
	return nil
}

// Stop stops the server if this handle started it. Callers that share a
// cluster they found running leave it running.
func (c *Cluster) Stop(ctx context.Context) error {
	if !c.started {
		return nil
	}
	c.started = false
	return c.ForceStop(ctx)
}

// ForceStop stops the server whoever started it (tests that restart the
// database under load use it).
func (c *Cluster) ForceStop(ctx context.Context) error {
	c.log.Info("stopping managed postgres", "dir", c.pgdata())
	if out, err := c.run(ctx, c.bin.PgCtl, "stop", "-D", c.pgdata(), "-m", "fast", "-w", "-t", "60"); err != nil {
		return fmt.Errorf("pgmanaged: pg_ctl stop: %w: %s", err, lastLines(out, 5))
	}
	return nil
}

// StopDir stops the cluster in opts.Dir if it is running, and does nothing
// if it is not (or was never initialized).
func StopDir(ctx context.Context, opts Options) (bool, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return false, fmt.Errorf("pgmanaged: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pgdata", "PG_VERSION")); err != nil {
		return false, nil
	}
	bin, err := FindBinaries(opts.LibRoot)
	if err != nil {
		return false, fmt.Errorf("pgmanaged: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, log: opts.logger()}
	if c.cred, err = opts.credential(ctx); err != nil {
		return false, fmt.Errorf("pgmanaged: %w", err)
	}
	unlock, err := lockDir(ctx, filepath.Join(dir, "cluster.lock"))
	if err != nil {
		return false, fmt.Errorf("pgmanaged: %w", err)
	}
	defer unlock()
	running, err := c.running(ctx)
	if err != nil || !running {
		return false, err
	}
	return true, c.ForceStop(ctx)
}

// Restart starts the server again after ForceStop.
func (c *Cluster) Restart(ctx context.Context) error { return c.start(ctx) }

// EnsureDatabase creates database name if it does not exist, optionally
// from a template.
func (c *Cluster) EnsureDatabase(ctx context.Context, name, template string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgmanaged: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pgmanaged: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgmanaged: create database %s: %w", name, err)
	}
	return nil
}

// run runs a PostgreSQL program, as the unprivileged user when we are root.
func (c *Cluster) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

func (c *Cluster) chown(path string) error {
	if c.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
		return fmt.Errorf("pgmanaged: chown %s: %w", path, err)
	}
	return nil
}

// logger is the logger to use: Logger, or one that discards.
func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// credential is whom to run PostgreSQL as: nil (this process's user)
// unless running as root, else the system user, created if missing.
func (o Options) credential(ctx context.Context) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	name := o.SystemUser
	if name == "" {
		name = DefaultSystemUser
	}
	return systemUser(ctx, name)
}

// systemUser looks up (or creates) the account PostgreSQL runs as.
func systemUser(ctx context.Context, name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		// Clusters in other directories may be creating the user right now
		// (parallel test binaries): serialize machine-wide.
		unlock, lerr := lockDir(ctx, filepath.Join(os.TempDir(), "draftroom-useradd.lock"))
		if lerr != nil {
			return nil, lerr
		}
		defer unlock()
		u, err = user.Lookup(name)
	}
	if err != nil {
		out, cerr := exec.Command("useradd", "--system", "--user-group", "--no-create-home",
			"--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name).CombinedOutput()
		// Another process may have created it meanwhile; look again either way.
		if u, err = user.Lookup(name); err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user %q and creating it failed: %v %s", name, cerr, out)
		}
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if uid == 0 {
		return nil, fmt.Errorf("system user %q is root; PostgreSQL refuses to run as root", name)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// checkTraversable makes sure the unprivileged user can reach dir: every
// parent must be searchable by others.
func checkTraversable(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("directory %s is not searchable by other users, so the unprivileged PostgreSQL user cannot reach the data directory: chmod o+x it or choose another DRAFTROOM_DATA", p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// lockDir takes an exclusive flock on path, waiting until ctx is done.
func lockDir(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
