// Command draftroom runs Draftroom: a server and web client for drafting
// intergovernmental resolutions live. See `draftroom help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/google/uuid"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = []command{
	{"serve", "run the server (migrates the database first)", runServe},
	{"demo", "create the demo resolution and print a token per role", runDemo},
	{"import", "import a compilation table (text, CSV or XLSX)", runImport},
	{"export", "export a document: docx, html, md, txt, akn, csv or xlsx", runExport},
	{"migrate", "apply or revert database migrations: up, down N, version", runMigrate},
	{"participants", "a document's participants: add (one, or a roster), list, revoke", runParticipants},
	{"token", "participant tokens: token create, list, revoke", runToken},
	{"db", "the managed PostgreSQL cluster: url, start, stop", runDB},
	{"healthcheck", "exit 0 if a running server is up (or ready)", runHealthcheck},
	{"bench", "load-test a server: N participants, K typing, latency and resources", runBench},
}

func usage(w io.Writer) {
	fmt.Fprint(w, `draftroom — live drafting of resolutions, with brackets, proposals and frozen versions.

Usage: draftroom COMMAND [flags] [args]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "draftroom COMMAND --help" for a command's flags.

Environment:
  DATABASE_URL        PostgreSQL URL; when unset, Draftroom runs its own cluster
  DATABASE_URL_FILE   read DATABASE_URL from this file (for secrets)
  DRAFTROOM_DATA      the managed cluster's directory (default ./draftroom-data)
  DRAFTROOM_ADDR      serve's listen address (default 127.0.0.1:8080)
  DRAFTROOM_PUBLIC_URL where participants reach the server, for join links
  DRAFTROOM_LOG_LEVEL debug, info, warn or error (default info)
  (serve has more: see "draftroom serve --help")
`)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		e, err := newEnv(stdout, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "draftroom:", err)
			return 2
		}
		err = c.run(ctx, e, args[1:])
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "draftroom %s: %v\n", c.name, err)
			return 2
		}
		if err != nil {
			fmt.Fprintf(stderr, "draftroom %s: %v\n", c.name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "draftroom: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// usageError marks a bad command line (exit status 2).
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// newFlags makes a subcommand's flag set with a --help that describes it.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: draftroom %s %s\n\n%s\n", name, args, about)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags, sending --help output to stdout.
func parse(e *env, fs *flag.FlagSet, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return flag.ErrHelp
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	return nil
}

// runSubcommand runs the one of subs that args[0] names. Without one, it
// shows about for --help and is otherwise a usage error.
func runSubcommand(ctx context.Context, e *env, name string, subs []command, about string, args []string) error {
	names := make([]string, len(subs))
	for i, c := range subs {
		if len(args) > 0 && args[0] == c.name {
			return c.run(ctx, e, args[1:])
		}
		names[i] = c.name
	}
	fs := newFlags(e, name, strings.Join(names, "|")+" [flags]", about)
	if err := parse(e, fs, args); err != nil {
		return err
	}
	last := len(names) - 1
	return usagef("need a subcommand: %s or %s", strings.Join(names[:last], ", "), names[last])
}

// documentFlag reads a --document flag's document id.
func documentFlag(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, usagef("--document %q is not a document id (a UUID)", s)
	}
	return id, nil
}

// readInput reads the file name (standard input for "-"), of at most max
// bytes; a larger one is refused with name and tooLarge, which says so and
// what was not done.
func readInput(name string, max int, tooLarge string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > max {
		return nil, fmt.Errorf("%s: %s", name, tooLarge)
	}
	return data, nil
}
