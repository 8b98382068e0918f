// Package seedtest finds the shared seed corpus, which sits beside the
// repository (../shared/seeds from the module root), for tests that read
// real compilations. The corpus is never copied into the repository: a
// test that needs it skips cleanly when it is not there.
package seedtest

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Paths returns the corpus's .txt files in name order, or none when there
// is no corpus beside the module root above the working directory.
func Paths() []string {
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			files, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "shared", "seeds", "*.txt"))
			sort.Strings(files)
			return files
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}

// Files is Paths, skipping the test when the corpus is not there.
func Files(t testing.TB) []string {
	t.Helper()
	files := Paths()
	if len(files) == 0 {
		t.Skip("no seed corpus beside the repository (../shared/seeds)")
	}
	return files
}

// File returns the corpus's file called name, skipping the test when it
// is not there.
func File(t testing.TB, name string) string {
	t.Helper()
	for _, p := range Paths() {
		if filepath.Base(p) == name {
			return p
		}
	}
	t.Skipf("seed %s not found beside the repository (../shared/seeds)", name)
	return ""
}
