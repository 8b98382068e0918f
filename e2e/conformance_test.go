package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// conformanceCSV has four paragraphs in several scripts and no brackets,
// so chairs' random edits never unbalance any.
const conformanceCSV = `Row,Original (Rev. Testville 2020)
1,CONSIDERING
2,a) that every مدرسة and every 学校 deserves a link 👩🏽‍💻;
3,b) that Мир and peace go together 🇺🇳;
4,resolves
5,1 to act at once on the matter before it;
6,2 to report back to the next conference;
`

// The protocol conformance test: e2e/conformance/client.mjs is a client
// written only from docs/protocol.md (with ot-text-unicode and ws). Its
// clients make concurrent deletes of the same range (which the server
// turns into empty ops, sent as "op":[]), random concurrent edits, and
// reconnect with since=; every replica must end equal to the server's
// document, which must equal the replay of the op log. Without node (or
// its packages: `npm ci --prefix e2e/conformance`, which make test runs)
// it skips, except under CI, where it fails.
func TestConformanceNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join("conformance", "node_modules", "ws", "package.json"))
	}
	if err == nil {
		_, err = os.Stat(filepath.Join("conformance", "node_modules", "ot-text-unicode", "package.json"))
	}
	if err != nil {
		msg := "the conformance test needs node and its packages: run `npm ci --prefix e2e/conformance` (" + err.Error() + ")"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	data := dataDir(t)
	doc := importLive(t, data, conformanceCSV)
	srv := startServer(t, data, nil) // keeps the cluster up for the token commands
	tokens := chairTokens(t, data, doc, 4)
	res := draftroom(t, data, nil, "token", "create", "--role", "delegate", "--delegation", "BRA", "--document", doc, "--name", "Brazil")
	if res.code != 0 {
		t.Fatalf("token create: %s", res.stderr)
	}
	delegate := strings.TrimSpace(res.stdout)
	start := getDocument(t, srv.url, tokens[0], doc)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("conformance", "client.mjs"))
	cmd.Env = append(os.Environ(), "DRAFTROOM_URL="+srv.url, "DRAFTROOM_DOCUMENT="+doc, "DRAFTROOM_TOKENS="+strings.Join(tokens, ","), "DRAFTROOM_DELEGATE_TOKEN="+delegate)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the conformance client failed: %v\n%s%s", err, stderr.String(), stdout.String())
	}
	var sum struct {
		Clients, Acks, EmptyTextOps, Reconnects, RateLimited, FloorOps int
		Seq                                                            int64
		Kept, Proposal                                                 string
	}
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("summary %q: %v", stdout.String(), err)
	}
	t.Logf("conformance client: %+v", sum)
	if sum.EmptyTextOps == 0 || sum.Reconnects != len(tokens) || sum.Acks < 4*60 || sum.FloorOps != 5 {
		t.Errorf("the client did not exercise what it should: %+v", sum)
	}
	// The server's document is the replay of its own op log.
	d := getDocument(t, srv.url, tokens[0], doc)
	if d.Seq != sum.Seq {
		t.Fatalf("server at seq %d, the client settled at %d", d.Seq, sum.Seq)
	}
	// The chair's actions it made: an alternative kept, a proposal
	// assigned to CEPT and merged.
	if !strings.HasPrefix(sum.Kept, "beta ") {
		t.Errorf("the kept alternative: %q", sum.Kept)
	}
	assigned := false
	for _, p := range paragraphs(d) {
		for _, pr := range p.Proposals {
			if pr.ID == sum.Proposal {
				assigned = pr.Proposer != nil && *pr.Proposer == "CEPT" && pr.Status == "merged"
			}
		}
	}
	if !assigned {
		t.Errorf("proposal %s is not CEPT's and merged", sum.Proposal)
	}
	replayed := replayLog(t, data, doc, start, d.Seq)
	for _, p := range paragraphs(d) {
		if replayed[p.ID] != p.Text {
			t.Errorf("paragraph %s: server %q, log replay %q", p.ID, p.Text, replayed[p.ID])
		}
	}
}
