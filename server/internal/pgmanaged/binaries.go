package pgmanaged

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// Supported server major versions. Older ones lack features the schema
// uses; newer ones are untested.
const (
	minMajor = 14
	maxMajor = 17
)

// ErrNoBinaries is returned when no usable initdb/postgres/pg_ctl is found.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found")

// Binaries names the server programs of one PostgreSQL installation.
type Binaries struct {
	Dir      string
	Major    int
	Initdb   string
	Postgres string
	PgCtl    string
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// FindBinaries looks for initdb, postgres and pg_ctl of a supported major
// version, first on PATH and then under libRoot/*/bin (Debian installs them
// in /usr/lib/postgresql/N/bin, off PATH). An empty libRoot means
// /usr/lib/postgresql.
func FindBinaries(libRoot string) (Binaries, error) {
	if libRoot == "" {
		libRoot = "/usr/lib/postgresql"
	}
	var tried []string
	if p, err := exec.LookPath("initdb"); err == nil {
		// Follow symlinks so that pg_ctl and postgres come from the same
		// installation as initdb.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		b, err := binariesIn(dir)
		if err == nil {
			return b, nil
		}
		tried = append(tried, fmt.Sprintf("%s: %v", dir, err))
	}
	dirs, _ := filepath.Glob(filepath.Join(libRoot, "*", "bin"))
	// Prefer the newest supported version.
	sort.Slice(dirs, func(i, j int) bool { return dirVersion(dirs[i]) > dirVersion(dirs[j]) })
	for _, dir := range dirs {
		b, err := binariesIn(dir)
		if err == nil {
			return b, nil
		}
		tried = append(tried, fmt.Sprintf("%s: %v", dir, err))
	}
	msg := fmt.Sprintf("%v (looked for initdb, postgres and pg_ctl, versions %d–%d, on PATH and in %s/*/bin)",
		ErrNoBinaries, minMajor, maxMajor, libRoot)
	for _, t := range tried {
		msg += "; " + t
	}
	return Binaries{}, fmt.Errorf("%s: install the Debian package postgresql (e.g. `apt-get install postgresql-15`), or set DATABASE_URL to use an existing server: %w",
		msg, ErrNoBinaries)
}

func dirVersion(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func binariesIn(dir string) (Binaries, error) {
	b := Binaries{
		Dir:      dir,
		Initdb:   filepath.Join(dir, "initdb"),
		Postgres: filepath.Join(dir, "postgres"),
		PgCtl:    filepath.Join(dir, "pg_ctl"),
	}
	for _, p := range []string{b.Initdb, b.Postgres, b.PgCtl} {
		st, err := os.Stat(p)
		if err != nil {
			return Binaries{}, fmt.Errorf("missing %s", filepath.Base(p))
		}
		if st.Mode()&0o111 == 0 {
			return Binaries{}, fmt.Errorf("%s is not executable", p)
		}
	}
	out, err := exec.Command(b.Postgres, "--version").Output()
	if err != nil {
		return Binaries{}, fmt.Errorf("postgres --version: %w", err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return Binaries{}, fmt.Errorf("cannot read version from %q", out)
	}
	b.Major, _ = strconv.Atoi(string(m[1]))
	if b.Major < minMajor || b.Major > maxMajor {
		return Binaries{}, fmt.Errorf("version %d is not supported (need %d–%d)", b.Major, minMajor, maxMajor)
	}
	return b, nil
}
