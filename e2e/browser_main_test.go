package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive the built web client in Debian's Chromium against
// the real binary. TestMain calls buildWebClient before it builds the
// binary, because the binary embeds client/web/dist when it is built.

const chromiumPath = "/usr/bin/chromium"

// browserTests are the tests that need the web client and Chromium.
var browserTests = []string{"TestBrowserDrafting", "TestBrowserOffline", "TestBrowserLargeDocument", "TestBrowserDesk", "TestBrowserKeepsUpUnderLoad"}

// webSkip says why the browser tests skip; "" when they run.
var webSkip string

// buildWebClient runs `npm ci && npm run build` in client/web when a browser
// test is selected. Without npm or Chromium it fails under CI (so a CI
// machine that lacks them is noticed) and skips the browser tests elsewhere.
func buildWebClient() error {
	if !browserTestsSelected() {
		webSkip = "no browser test selected"
		return nil
	}
	unavailable := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("CI") != "" {
			return fmt.Errorf("browser tests: %s", msg)
		}
		webSkip = msg
		fmt.Fprintln(os.Stderr, "browser tests will skip:", msg)
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return unavailable("npm is not installed, so the web client cannot be built (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		return unavailable("%s is missing (apt-get install chromium)", chromiumPath)
	}
	for _, args := range [][]string{{"ci", "--no-audit", "--no-fund"}, {"run", "build"}} {
		cmd := exec.Command(npm, args...)
		cmd.Dir = filepath.Join("..", "client", "web")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return unavailable("npm %s in client/web failed: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// browserTestsSelected reads -test.run as `go test` would match it.
func browserTestsSelected() bool {
	f := flag.Lookup("test.run")
	if f == nil || f.Value.String() == "" {
		return true
	}
	top, _, _ := strings.Cut(f.Value.String(), "/")
	re, err := regexp.Compile(top)
	if err != nil {
		return true
	}
	for _, name := range browserTests {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// artefacts is where screenshots go: $DRAFTROOM_E2E_ARTIFACTS if set (so
// they outlive the test), else the test's temporary directory.
func artefacts(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("DRAFTROOM_E2E_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// newBrowser starts one headless Chromium for a test; each tab gets a
// browser context of its own, so each has its own session cookie.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if webSkip != "" {
		t.Skip(webSkip)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserExec(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// tab is one participant's browser window.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
	mu   sync.Mutex
	// dialogs records alert/confirm texts: a script the page ran that it
	// should not have (see the XSS check).
	dialogs []string
	errors  []string
}

func newTab(t *testing.T, browser context.Context, name string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: new tab: %v", name, err)
	}
	tb := &tab{t: t, name: name, ctx: ctx}
	dialogs := make(chan string, 16)
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			select {
			case dialogs <- e.Message:
			default:
			}
		case *runtime.EventExceptionThrown:
			tb.mu.Lock()
			msg := e.ExceptionDetails.Text
			if ex := e.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			tb.errors = append(tb.errors, msg)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case msg := <-dialogs:
				tb.mu.Lock()
				tb.dialogs = append(tb.dialogs, msg)
				tb.mu.Unlock()
				// Dismiss it, or the page (and the test) would hang.
				chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			case <-ctx.Done():
				return
			}
		}
	}()
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.errors {
			t.Errorf("%s: uncaught exception in the page: %s", name, e)
		}
	})
	return tb
}

// use points the tabs' failures at t (a subtest) until t ends.
func use(t *testing.T, tabs ...*tab) {
	for _, tb := range tabs {
		parent := tb.t
		tb.t = t
		t.Cleanup(func() { tb.t = parent })
	}
}

// do runs actions with a time limit, failing the test on error.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// eval evaluates a JavaScript expression and decodes its JSON value into v.
func (tb *tab) eval(expr string, v any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: eval %s: %v", tb.name, expr, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		tb.t.Fatalf("%s: eval %s: decode %s: %v", tb.name, expr, raw, err)
	}
}

// wait polls a JavaScript predicate until it is truthy.
func (tb *tab) wait(what, predicate string, timeout time.Duration) {
	tb.t.Helper()
	if err := tb.poll(predicate, timeout); err != nil {
		path := tb.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		tb.t.Fatalf("%s: waiting for %s (%s): %v; screenshot %s", tb.name, what, predicate, err, path)
	}
}

func (tb *tab) poll(predicate string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(tb.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	return err
}

// join signs in through the join link, as a participant would.
func (tb *tab) join(base, token, path string) {
	tb.t.Helper()
	tb.do("join", chromedp.Navigate(base+"/join#"+token))
	tb.wait("signed in", `location.pathname.startsWith("/documents/")`, 20*time.Second)
	var leaked bool
	tb.eval(fmt.Sprintf(`location.href.includes(%q) || history.length > 0 && document.referrer.includes(%q)`, token, token), &leaked)
	if leaked {
		tb.t.Errorf("%s: the token is still in the address after joining", tb.name)
	}
	if path != "" {
		tb.do("open "+path, chromedp.Navigate(base+path))
	}
	tb.wait("document ready", `document.body.dataset.ready === "true"`, 20*time.Second)
	tb.wait("connected", `document.querySelector(".conn")?.classList.contains("conn-connected")`, 20*time.Second)
}

// screenshot saves the tab's viewport as a PNG artefact and returns its path.
func (tb *tab) screenshot(name string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("%s: screenshot %s: %v", tb.name, name, err)
		return ""
	}
	file := unsafeName.ReplaceAllString(fmt.Sprintf("%s-%s-%s", tb.t.Name(), tb.name, name), "_")
	path := filepath.Join(artefacts(tb.t), file+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot of %s: %s", tb.name, path)
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// paraText is a paragraph's text as the page shows it (editor or read-only).
func (tb *tab) paraText(id string) string {
	tb.t.Helper()
	var s string
	tb.eval(fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, "#p-"+id+" .ptext"), &s)
	return s
}

// editEnd opens a paragraph's editor and puts the caret at its end.
func (tb *tab) editEnd(id string) {
	tb.t.Helper()
	sel := "#p-" + id
	tb.do("scroll to "+id, chromedp.ScrollIntoView(chromedp.CSS(sel)))
	// A paragraph off screen is read-only text until focused.
	var ok bool
	tb.eval(fmt.Sprintf(`(() => { const p = document.querySelector(%q); if (!p) return false; if (!p.querySelector(".cm-content")) p.focus(); return true; })()`, sel+" .ptext"), &ok)
	if !ok {
		tb.t.Fatalf("%s: no paragraph %s", tb.name, id)
	}
	tb.do("open the editor of "+id,
		chromedp.WaitVisible(chromedp.CSS(sel+" .cm-content")),
		chromedp.Click(chromedp.CSS(sel+" .cm-content")),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
}

// typeText types like a person: one character at a time.
func (tb *tab) typeText(s string, pause time.Duration) {
	tb.t.Helper()
	for _, r := range s {
		tb.do("type", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: string(r)})
			return err
		}))
		if pause > 0 {
			time.Sleep(pause)
		}
	}
}

// click clicks a button by its visible text inside a container.
func (tb *tab) clickButton(container, text string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => { const b = [...document.querySelectorAll(%q)].find(b => b.textContent.trim() === %q && b.offsetParent !== null); if (!b) return false; b.click(); return true; })()`, container+" button", text)
	var ok bool
	tb.eval(js, &ok)
	if !ok {
		tb.t.Fatalf("%s: no visible button %q in %s", tb.name, text, container)
	}
}

// scrollTo scrolls an element into view.
func scrollTo(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.ScrollIntoView(chromedp.CSS(sel))
}

func navigate(url string) chromedp.Action[chromedp.Void] { return chromedp.Navigate(url) }

func scrollTop() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[chromedp.Void](`scrollTo(0, 0)`)(ctx, t)
		return err
	})
}
