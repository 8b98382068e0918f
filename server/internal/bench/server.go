package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// scratchServer is a `draftroom serve` the bench started on a scratch
// managed cluster.
type scratchServer struct {
	cmd    *exec.Cmd
	url    string
	data   string
	binary string
	log    string // the server's log file
	exited chan struct{}
}

// startServer runs binary's serve on 127.0.0.1:0 with a fresh
// DRAFTROOM_DATA and waits for its "serving" log line. The audience shares
// one observer token, so the server lets a token hold conns connections.
func startServer(ctx context.Context, binary string, conns int) (*scratchServer, error) {
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
	s := &scratchServer{data: data, binary: binary, log: filepath.Join(data, "server.log"), exited: make(chan struct{})}
	// The log goes to a file, not a pipe: if the bench dies, a server
	// writing to a broken pipe would die of SIGPIPE before stopping its
	// cluster. Pdeathsig asks it to shut down cleanly instead.
	logf, err := os.Create(s.log)
	if err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	defer logf.Close()
	// Every participant comes from this machine's one address: the
	// per-address cap (2,000 by default) would refuse the rest.
	s.cmd = exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--conns-per-token", strconv.Itoa(max(conns, 8)),
		"--max-connections-per-address", "0")
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
func (s *scratchServer) servingURL() string {
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
func (s *scratchServer) logTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (s *scratchServer) env() []string {
	return append(os.Environ(), "DRAFTROOM_DATA="+s.data, "DATABASE_URL=", "DATABASE_URL_FILE=", "DRAFTROOM_LOG_LEVEL=info")
}

func (s *scratchServer) pid() int { return s.cmd.Process.Pid }

// stop shuts the server down (it stops the cluster it started) and removes
// the scratch directory.
func (s *scratchServer) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		// A killed server leaves its cluster running.
		stop := exec.Command(s.binary, "db", "stop")
		stop.Env = s.env()
		stop.Run()
	}
	os.RemoveAll(s.data)
}

// run runs one of the binary's subcommands against the scratch data and
// returns its stdout.
func (s *scratchServer) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.binary, args...)
	cmd.Env = s.env()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("draftroom %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String()), nil
}

// importDocument imports a compilation of paras operative paragraphs.
func (s *scratchServer) importDocument(ctx context.Context, paras int) (string, error) {
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
func (s *scratchServer) tokens(ctx context.Context, doc, role string, n int) ([]string, error) {
	out := make([]string, n)
	err := forEach(n, 8, func(i int) error {
		var err error
		out[i], err = s.run(ctx, "token", "create", "--role", role, "--document", doc, "--name", fmt.Sprintf("bench %s %d", role, i+1))
		return err
	})
	return out, err
}
