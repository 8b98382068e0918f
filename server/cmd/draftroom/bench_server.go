package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// benchServer is a `draftroom serve` the bench started on a scratch
// managed cluster.
type benchServer struct {
	cmd    *exec.Cmd
	url    string
	data   string
	self   string
	log    string // the server's log file
	exited chan struct{}
}

// startBenchServer runs this binary's serve on 127.0.0.1:0 with a fresh
// DRAFTROOM_DATA and waits for its "serving" log line. The audience shares
// one observer token, so the server lets a token hold conns connections.
func startBenchServer(ctx context.Context, conns int) (*benchServer, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	data, err := os.MkdirTemp("", "drbench")
	if err != nil {
		return nil, err
	}
	// When we run as root the cluster runs as another user, who must be
	// able to reach the directory.
	if err := os.Chmod(data, 0o755); err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	s := &benchServer{data: data, self: self, log: filepath.Join(data, "server.log"), exited: make(chan struct{})}
	// The log goes to a file, not a pipe: if the bench dies, a server
	// writing to a broken pipe would die of SIGPIPE before stopping its
	// cluster. Pdeathsig asks it to shut down cleanly instead.
	logf, err := os.Create(s.log)
	if err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	defer logf.Close()
	s.cmd = exec.Command(self, "serve", "--addr", "127.0.0.1:0", "--conns-per-token", strconv.Itoa(max(conns, 8)))
	s.cmd.Env = s.env()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	// The log file has no change notification to wait on, so poll it.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		if u := s.servingURL(); u != "" {
			s.url = u
			return s, nil
		}
		select {
		case <-tick.C:
			continue
		case <-s.exited:
			err = fmt.Errorf("the server exited before serving:\n%s", s.logTail())
		case <-deadline:
			err = fmt.Errorf("the server did not start within 2 minutes:\n%s", s.logTail())
		case <-ctx.Done():
			err = ctx.Err()
		}
		s.stop()
		return nil, err
	}
}

// servingURL finds the URL in the server's "serving" log line, if logged.
func (s *benchServer) servingURL() string {
	b, _ := os.ReadFile(s.log)
	for _, line := range bytes.Split(b, []byte("\n")) {
		var rec struct{ Msg, URL string }
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "serving" {
			return rec.URL
		}
	}
	return ""
}

// logTail is the end of the server's log, for error messages.
func (s *benchServer) logTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (s *benchServer) env() []string {
	return append(os.Environ(), "DRAFTROOM_DATA="+s.data, "DATABASE_URL=", "DATABASE_URL_FILE=", "DRAFTROOM_LOG_LEVEL=info")
}

func (s *benchServer) pid() int { return s.cmd.Process.Pid }

// stop shuts the server down (it stops the cluster it started) and removes
// the scratch directory.
func (s *benchServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		// A killed server leaves its cluster running.
		stop := exec.Command(s.self, "db", "stop")
		stop.Env = s.env()
		stop.Run()
	}
	os.RemoveAll(s.data)
}

// run runs one of this binary's subcommands against the scratch data and
// returns its stdout.
func (s *benchServer) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.self, args...)
	cmd.Env = s.env()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("draftroom %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String()), nil
}

// importDocument imports a compilation of paras operative paragraphs.
func (s *benchServer) importDocument(ctx context.Context, paras int) (string, error) {
	var b strings.Builder
	b.WriteString("Row,Original (Bench 2026)\n1,RESOLVES\n")
	for i := range paras {
		fmt.Fprintf(&b, "%d,%d to consider item %d of the agenda;\n", i+2, i+1, i+1)
	}
	path := filepath.Join(s.data, "bench.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return "", err
	}
	return s.run(ctx, "import", "--format", "csv", "--title", "Bench", path)
}

// tokens creates n tokens bound to doc, a few processes at a time.
func (s *benchServer) tokens(ctx context.Context, doc, role string, n int) ([]string, error) {
	out := make([]string, n)
	err := forEach(n, 8, func(i int) error {
		var err error
		out[i], err = s.run(ctx, "token", "create", "--role", role, "--document", doc, "--name", fmt.Sprintf("bench %s %d", role, i+1))
		return err
	})
	return out, err
}

// loopbackURL refuses anything but a loopback http(s) URL: the bench is
// for measuring one's own server, not for loading someone else's.
func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want an http:// or https:// URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%q is not a loopback address; the bench only targets 127.0.0.0/8, ::1 or localhost", raw)
}

// raiseNofile lifts the soft open-file limit to the hard one: every
// simulated participant holds a socket.
func raiseNofile() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	lim.Cur = lim.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
}

// procStats reads a process's CPU time (user+system, in seconds) and its
// resident and peak resident memory (in KiB) from /proc.
type procStats struct {
	cpu      float64
	rssKB    int64
	hwmKB    int64
	measured bool
}

// clockTicks is USER_HZ, which Linux fixes at 100 for /proc/PID/stat.
const clockTicks = 100

func readProc(pids []int) procStats {
	var st procStats
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command name, which may itself hold spaces.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		stt, _ := strconv.ParseInt(f[12], 10, 64)
		st.cpu += float64(ut+stt) / clockTicks
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		st.rssKB += statusKB(status, "VmRSS:")
		st.hwmKB += statusKB(status, "VmHWM:")
		st.measured = true
	}
	return st
}

func statusKB(status []byte, key string) int64 {
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// listenerPIDs finds the processes listening on the ports of the given
// loopback URLs, so a server the bench did not start can still be
// measured. It finds nothing when /proc hides other users' processes.
func listenerPIDs(urls []string) []int {
	inodes := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			continue
		}
		for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
			for _, ino := range listeningInodes(table, p) {
				inodes[ino] = true
			}
		}
	}
	if len(inodes) == 0 {
		return nil
	}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, dir := range procs {
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil || pid == os.Getpid() {
			continue
		}
		fds, _ := os.ReadDir(filepath.Join(dir, "fd"))
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(dir, "fd", fd.Name()))
			if err == nil && strings.HasPrefix(link, "socket:[") && inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
				pids = append(pids, pid)
				break
			}
		}
	}
	return pids
}

// listeningInodes reads a /proc/net/tcp table for sockets in LISTEN (0A)
// on port.
func listeningInodes(table string, port int) []string {
	f, err := os.Open(table)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[3] != "0A" {
			continue
		}
		_, hexPort, ok := strings.Cut(fields[1], ":")
		if !ok {
			continue
		}
		if p, err := strconv.ParseInt(hexPort, 16, 32); err == nil && int(p) == port {
			out = append(out, fields[9])
		}
	}
	return out
}
