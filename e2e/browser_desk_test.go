package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// deskCompilation is a compilation table written for these tests.
const deskCompilation = `Row,Original (Rev. Testville 2022),Brazil --- MOD B/12/1,CEPT --- MOD EUR/3A/2,Arab States
1,RECALLING,,,
2,a) the importance of accessible telecommunications for persons with disabilities;,a) the importance of accessible and affordable telecommunications for persons with disabilities;,,
3,b) the work of the Sectors on emergency communications — الاتصالات في حالات الطوارئ;,,b) the work of the three Sectors on emergency communications;,NOC
4,resolves,,,
5,1 to encourage Member States to share best practices (最佳做法);,,,SUP
6,2 to report to the next conference.,,2 to report to the next conference and to Council.,
`

// viewport makes screenshots 1280×720, the size they are looked at.
func (tb *tab) viewport() {
	tb.t.Helper()
	tb.do("viewport", chromedp.EmulateViewport(1280, 720))
}

// setValue sets a form field's value as typing or pasting would.
func (tb *tab) setValue(sel, value string) {
	tb.t.Helper()
	var ok bool
	tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, sel, value), &ok)
	if !ok {
		tb.t.Fatalf("%s: no field %s", tb.name, sel)
	}
}

func (tb *tab) click(sel string) {
	tb.t.Helper()
	var ok bool
	tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.click(); return true; })()`, sel), &ok)
	if !ok {
		tb.t.Fatalf("%s: nothing to click at %s", tb.name, sel)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	var s string
	tb.eval(fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ""`, sel), &s)
	return s
}

// upload imports a compilation file through the desk and returns the new
// document's id.
func (tb *tab) upload(path, title string) string {
	tb.t.Helper()
	abs, err := filepath.Abs(path) // the browser reads the file itself
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.do("choose "+filepath.Base(path), chromedp.SetUploadFiles(chromedp.CSS("#upload-file"), []string{abs}))
	tb.setValue("#upload-title", title)
	tb.click("#import button[type=submit]")
	tb.wait("the import summary", `!!document.querySelector("#import .summary") || !!document.querySelector("#import .bad")`, 90*time.Second)
	if bad := tb.text("#import .bad"); bad != "" {
		tb.t.Fatalf("upload of %s: %s", path, bad)
	}
	var id string
	tb.eval(`document.querySelector("#import .summary").dataset.document`, &id)
	var progress float64
	tb.eval(`document.querySelector("#import progress").value`, &progress)
	if progress != 100 {
		tb.t.Errorf("progress bar at %v after the upload", progress)
	}
	return id
}

// The secretariat's desk in Chromium: upload a compilation (one written
// here, and the seed when it is present), a roster with an error writes
// nothing, a roster of ten delegations gives ten links and a join sheet
// with QR codes, one link opens the document in a fresh browser profile
// (pasted on the sign-in page), and revoking it signs that browser out.
func TestBrowserDesk(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	_, tokens := demoTokens(t, srv.stdout.String())
	adminTok := tokens["Demo secretariat"]
	file := filepath.Join(t.TempDir(), "compilation.csv")
	if err := os.WriteFile(file, []byte(deskCompilation), 0o644); err != nil {
		t.Fatal(err)
	}

	admin := newTab(t, browser, "secretariat")
	admin.viewport()
	admin.do("join", chromedp.Navigate(srv.url+"/join#"+adminTok))
	admin.wait("the desk", `location.pathname === "/admin" && !!document.querySelector("#import") && document.querySelectorAll(".docs tbody tr").length === 1`, 30*time.Second)
	admin.screenshot("desk")

	t.Run("seed", func(t *testing.T) {
		use(t, admin)
		seed := seedPath(t)
		admin.upload(seed, "")
		summary := admin.text("#import .summary")
		m := regexp.MustCompile(`(\d+) paragraphs, (\d+) proposals`).FindStringSubmatch(summary)
		if m == nil {
			t.Fatalf("seed summary: %q", summary)
		}
		if n, _ := strconv.Atoi(m[1]); n < 50 {
			t.Errorf("seed imported %d paragraphs: %q", n, summary)
		}
		admin.screenshot("seed-imported")
	})

	docID := admin.upload(file, "Draft Resolution on accessible emergency telecommunications")
	summary := admin.text("#import .summary")
	for _, want := range []string{"2 sections, 4 paragraphs", "Brazil: 1 proposal", "CEPT: 2 proposals"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	admin.screenshot("imported")
	admin.click("#import .summary a")
	admin.wait("the document's desk", fmt.Sprintf(`location.pathname === "/admin/documents/%s" && document.querySelector("h1")?.textContent.includes("accessible emergency")`, docID), 20*time.Second)

	countParticipants := func() int {
		var list struct{ Participants []struct{ ID string } }
		r := call(t, "GET", srv.url+"/api/v1/documents/"+docID+"/participants", adminTok, nil)
		if r.status != 200 {
			t.Fatalf("participants: %d %s", r.status, r.body)
		}
		r.decode(t, &list)
		return len(list.Participants)
	}

	// A roster with errors: refused with the line, nothing written.
	admin.setValue("#roster-text", "role,delegation,name\ndelegate,BRA,Brazil\ndelegate,XYZ,Nowhere\ndelegate,CEPT,CEPT\n")
	admin.click("#add-roster button[type=submit]")
	admin.wait("the roster's error", `document.querySelector("#add-result")?.textContent.includes("line 3")`, 20*time.Second)
	if msg := admin.text("#add-result"); !strings.Contains(msg, `unknown delegation code "XYZ"`) || !strings.Contains(msg, "nothing was written") {
		t.Errorf("roster error: %q", msg)
	}
	if n := countParticipants(); n != 0 {
		t.Fatalf("a refused roster wrote %d participants", n)
	}
	admin.screenshot("roster-refused")

	// Ten delegations.
	codes := []string{"BRA", "CEPT", "ARB", "CHN", "RUS", "USA", "IND", "ATU", "CITEL", "APT"}
	var roster strings.Builder
	roster.WriteString("role,delegation,name\n")
	for _, c := range codes {
		fmt.Fprintf(&roster, "delegate,%s,\n", c)
	}
	admin.setValue("#roster-text", roster.String())
	admin.click("#add-roster button[type=submit]")
	admin.wait("ten new links", `document.querySelectorAll(".links tr[data-issued]").length === 10 && document.querySelectorAll(".people tbody tr").length === 10`, 20*time.Second)
	admin.screenshot("links")
	var braLink string
	admin.eval(`[...document.querySelectorAll(".links tr[data-issued]")].find(r => r.cells[0].textContent === "BRA").querySelector("input").value`, &braLink)
	if !strings.HasPrefix(braLink, srv.url+"/join#drt_") {
		t.Fatalf("Brazil's link %q", braLink)
	}

	// The join sheet: ten lines with a QR code each; on paper, nothing else.
	admin.click("#print-sheet")
	admin.wait("the join sheet", `document.querySelectorAll(".joinsheet .sheet-row").length === 10 && [...document.querySelectorAll(".joinsheet img.qr")].every(i => i.complete && i.naturalWidth > 0)`, 20*time.Second)
	admin.screenshot("join-sheet")
	admin.do("print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	var printed struct {
		Desk  string `json:"desk"`
		Sheet string `json:"sheet"`
		Tools string `json:"tools"`
	}
	admin.eval(`({desk: getComputedStyle(document.getElementById("app")).display, sheet: getComputedStyle(document.querySelector(".joinsheet")).display, tools: getComputedStyle(document.querySelector(".sheet-tools")).display})`, &printed)
	if printed.Desk != "none" || printed.Sheet == "none" || printed.Tools != "none" {
		t.Errorf("in print, desk %q sheet %q tools %q: want the sheet alone", printed.Desk, printed.Sheet, printed.Tools)
	}
	admin.screenshot("join-sheet-print")
	admin.do("screen media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}))
	admin.clickButton(".sheet-tools", "Close")

	// Brazil, in a fresh browser profile, pastes the link on the sign-in page.
	fresh := newTab(t, newBrowser(t), "Brazil (fresh profile)")
	fresh.viewport()
	fresh.do("open", chromedp.Navigate(srv.url+"/"))
	fresh.wait("sign-in page", `!!document.querySelector("form.login #token")`, 20*time.Second)
	fresh.setValue("#token", "My link: "+braLink)
	fresh.click("form.login button[type=submit]")
	fresh.wait("the document", fmt.Sprintf(`location.pathname === "/documents/%s" && document.body.dataset.ready === "true"`, docID), 30*time.Second)
	fresh.wait("connected", `document.querySelector(".conn")?.classList.contains("conn-connected")`, 20*time.Second)
	fresh.screenshot("joined")

	// The desk sees Brazil online, and revokes it.
	admin.wait("Brazil online", `!!document.querySelector('.people tr[data-delegation="BRA"] td.online')`, 40*time.Second)
	admin.do("scroll to the participants", scrollTo(".people"))
	admin.screenshot("online")
	admin.eval(`(() => { window.confirm = () => true; return true; })()`, new(bool))
	start := time.Now()
	admin.click(`.people tr[data-delegation="BRA"] button[data-action="revoke"]`)
	fresh.wait("signed out", `!!document.querySelector("form.login") && document.body.textContent.includes("signed out")`, 15*time.Second)
	t.Logf("Brazil's browser was signed out %v after the revoke click", time.Since(start).Round(time.Millisecond))
	fresh.screenshot("signed-out")
	var status int
	fresh.eval(`fetch("/api/v1/session").then(r => r.status)`, &status)
	if status != 401 {
		t.Errorf("the revoked browser's session answers %d", status)
	}
	admin.wait("Brazil revoked", `document.querySelector('.people tr[data-delegation="BRA"]')?.classList.contains("revoked")`, 20*time.Second)
	admin.screenshot("revoked")
}
