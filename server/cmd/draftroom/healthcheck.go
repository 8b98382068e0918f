package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

func runHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "healthcheck", "[flags]", `Asks a running server whether it is up (GET /healthz) or ready
(GET /readyz: database reachable and migrated), and exits 0 if so. For
container health checks, where no curl is installed.`)
	url := fs.String("url", "", "the server's base URL (default: http:// + DRAFTROOM_ADDR, 0.0.0.0 read as 127.0.0.1)")
	ready := fs.Bool("ready", false, "check /readyz instead of /healthz")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	base := *url
	if base == "" {
		base = "http://" + strings.Replace(e.addr, "0.0.0.0", "127.0.0.1", 1)
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+path, nil)
	if err != nil {
		return usagef("bad --url: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", path, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}
