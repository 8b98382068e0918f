// Package e2e drives the built draftroom binary the way a user would.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dre2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "draftroom")
	// The binary embeds client/web/dist, so the web client is built first.
	flag.Parse()
	if err := buildWebClient(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	// The binary is race-enabled; DRAFTROOM_E2E_RACE=0 builds it without,
	// for measuring (the load tests' figures), never for checking.
	args := []string{"build", "-race", "-o", binary, "../server/cmd/draftroom"}
	if os.Getenv("DRAFTROOM_E2E_RACE") == "0" {
		args = append(args[:1], args[2:]...)
	}
	build := exec.Command("go", args...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building draftroom:", err)
		os.Exit(1)
	}
	if err := pinForMeasuring(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Goroutines the tests leave behind (log readers, clients, servers'
	// waiters) fail the run; those alive now are the baseline.
	baseline := goleak.IgnoreCurrent()
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(baseline); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: goroutines left running after the tests:", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// dataDir makes a short, traversable directory for a managed cluster.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "dre")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Stop a cluster a failed test left running, then remove it.
		cmd := exec.Command(binary, "db", "stop")
		cmd.Env = append(os.Environ(), "DRAFTROOM_DATA="+dir)
		cmd.Run()
		os.RemoveAll(dir)
	})
	return dir
}

type result struct {
	stdout, stderr string
	code           int
}

// importDoc imports a compilation with the CLI and returns the new
// document's id.
func importDoc(t *testing.T, data string, args ...string) string {
	t.Helper()
	res := draftroom(t, data, nil, append([]string{"import"}, args...)...)
	if res.code != 0 {
		t.Fatalf("import %v: %+v", args, res)
	}
	return strings.TrimSpace(res.stdout)
}

// createToken makes a participant and its token for a document with the
// CLI (args: --role, --delegation, --name…) and returns the token.
func createToken(t *testing.T, data, docID string, args ...string) string {
	t.Helper()
	res := draftroom(t, data, nil, append([]string{"token", "create", "--document", docID}, args...)...)
	if res.code != 0 {
		t.Fatalf("token create %v: %+v", args, res)
	}
	return strings.TrimSpace(res.stdout)
}

// draftroom runs the binary to completion.
func draftroom(t *testing.T, data string, stdin []byte, args ...string) result {
	t.Helper()
	return draftroomEnv(t, data, nil, stdin, args...)
}

// draftroomEnv runs the binary to completion with extra environment.
func draftroomEnv(t *testing.T, data string, env []string, stdin []byte, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(append(os.Environ(), "DRAFTROOM_DATA="+data, "DATABASE_URL=", "DRAFTROOM_PUBLIC_URL="), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("draftroom %v: %v", args, err)
	}
	return r
}

// server is a running `draftroom serve`.
type server struct {
	cmd    *exec.Cmd
	url    string
	stdout *lockedBuffer
	logs   *lockedBuffer
	done   chan error // receives the exit status once
	exited chan struct{}
}

// lockedBuffer is a bytes.Buffer safe to read while a process writes it.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // signalled after each write
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{changed: make(chan struct{}, 1)} }

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	select {
	case b.changed <- struct{}{}:
	default:
	}
	return n, err
}

// waitFor waits until the buffer holds s. Stdout and stderr are separate
// pipes, so a line on one can arrive before what was written to the other
// earlier.
func (b *lockedBuffer) waitFor(s string, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		if strings.Contains(b.String(), s) {
			return true
		}
		select {
		case <-b.changed:
		case <-deadline:
			return false
		}
	}
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs `draftroom serve` on a free port and waits for its
// "serving" log line.
func startServer(t *testing.T, data string, extraEnv []string, args ...string) *server {
	t.Helper()
	return startServerWith(t, data, extraEnv, "", args...)
}

// startServerWith is startServer run through a shell prefix (e.g. "ulimit
// -n 512 &&"), when prefix is not empty.
func startServerWith(t *testing.T, data string, extraEnv []string, prefix string, args ...string) *server {
	t.Helper()
	argv := append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	if !hasFlag(args, "--metrics-addr") {
		// A port of its own: servers of tests that run at once (and a real
		// server on this machine) must not fight over the default.
		argv = append(argv, "--metrics-addr", "127.0.0.1:0")
	}
	cmd := exec.Command(binary, argv...)
	if prefix != "" {
		cmd = exec.Command("bash", append([]string{"-c", prefix + ` exec "$0" "$@"`, binary}, argv...)...)
	}
	cmd.Env = append(append(os.Environ(), "DRAFTROOM_DATA="+data, "DATABASE_URL="), extraEnv...)
	stdout := newLockedBuffer()
	cmd.Stdout = stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := newLockedBuffer()
	s := &server{cmd: cmd, stdout: stdout, logs: logs, done: make(chan error, 1), exited: make(chan struct{})}
	urlc := make(chan string, 1)
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			logs.Write([]byte(line + "\n"))
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving" {
				urlc <- rec.URL
			}
		}
	}()
	go func() {
		<-logDone
		err := cmd.Wait()
		close(s.exited)
		s.done <- err
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
			}
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	select {
	case s.url = <-urlc:
	case err := <-s.done:
		t.Fatalf("server exited before serving: %v\n%s", err, logs.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	for _, a := range args {
		if a == "--demo" && !stdout.waitFor("Open http", 30*time.Second) {
			t.Fatalf("serve --demo printed no tokens:\n%s", stdout.String())
		}
	}
	return s
}

// hasFlag reports whether args set flag (as "--flag v" or "--flag=v").
func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// stop sends SIGTERM and waits for the exit status.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Fatal("server did not stop within 30s of SIGTERM")
		return nil
	}
}

type apiResp struct {
	status int
	body   []byte
}

func (r apiResp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r apiResp) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	r.decode(t, &e)
	if e.Error.Message == "" {
		t.Errorf("error without a message: %s", r.body)
	}
	return e.Error.Code
}

func call(t *testing.T, method, url, token string, body io.Reader) apiResp {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return apiResp{resp.StatusCode, b}
}

// demoTokens parses the table `demo` prints: role, name and join link, a
// line each; tokens are keyed by name ("Chair", "Brazil delegate", …,
// "Demo secretariat").
func demoTokens(t *testing.T, out string) (docID string, tokens map[string]string) {
	t.Helper()
	tokens = map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Demo document ") {
			docID = strings.Fields(line)[2]
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		if _, tok, ok := strings.Cut(f[len(f)-1], "/join#"); ok && strings.HasPrefix(tok, "drt_") {
			tokens[strings.Join(f[1:len(f)-1], " ")] = tok
		}
	}
	if docID == "" || len(tokens) != 6 {
		t.Fatalf("demo output not understood:\n%s", out)
	}
	return docID, tokens
}
