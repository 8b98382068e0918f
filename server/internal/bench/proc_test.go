package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

func TestProcReadings(t *testing.T) {
	t.Parallel()
	self := readProc([]int{os.Getpid()})
	if self.rssKB <= 0 || self.hwmKB < self.rssKB || self.cpu < 0 {
		t.Errorf("readProc(self) = %+v", self)
	}
	if st := readProc([]int{-1}); st != (procStats{}) {
		t.Errorf("readProc of no process = %+v", st)
	}
	if f := statFields("/proc/self/stat"); len(f) < 13 || f[1] != strconv.Itoa(os.Getppid()) {
		t.Errorf("statFields(/proc/self/stat) = %v", f)
	}
	if busy, total := machineCPU(); total <= 0 || busy < 0 || busy > total {
		t.Errorf("machineCPU = %d, %d", busy, total)
	}
	if selfCPU() <= 0 {
		t.Error("selfCPU is 0")
	}

	// A child process, and a data directory whose "postmaster" is us.
	cat := exec.Command("cat")
	in, err := cat.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); cat.Wait() }()
	if !slices.Contains(childPIDs(os.Getpid()), cat.Process.Pid) {
		t.Errorf("childPIDs misses %d", cat.Process.Pid)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "pgdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	pidFile := strconv.Itoa(os.Getpid()) + "\n" + dir + "\n"
	if err := os.WriteFile(filepath.Join(dir, "pgdata", "postmaster.pid"), []byte(pidFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if pids := postgresPIDs(dir); len(pids) < 2 || pids[0] != os.Getpid() || !slices.Contains(pids, cat.Process.Pid) {
		t.Errorf("postgresPIDs = %v", pids)
	}
	if pids := postgresPIDs(t.TempDir()); pids != nil {
		t.Errorf("postgresPIDs without a cluster = %v", pids)
	}
}
