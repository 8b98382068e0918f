package e2e

import (
	"fmt"

	"github.com/chromedp/chromedp"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiDoc is the part of the read API's document the browser tests look at.
type apiDoc struct {
	Sections []struct {
		ID         string
		Heading    string
		Paragraphs []struct {
			ID, Label, Text, Status string
			Proposals               []struct {
				ID, Action, Status, Text string
				Proposer                 *string
			}
		}
	}
}

type apiPara struct {
	ID, Section, Label, Text string
	MOD                      string // id of a tabled MOD proposal, if any
}

func getDoc(t *testing.T, base, docID, token string) []apiPara {
	t.Helper()
	var d apiDoc
	r := call(t, "GET", base+"/api/v1/documents/"+docID, token, nil)
	if r.status != 200 {
		t.Fatalf("GET document: %d %s", r.status, r.body)
	}
	r.decode(t, &d)
	var out []apiPara
	for _, s := range d.Sections {
		for _, p := range s.Paragraphs {
			ap := apiPara{ID: p.ID, Section: s.Heading, Label: p.Label, Text: p.Text}
			for _, pr := range p.Proposals {
				if pr.Action == "MOD" && pr.Status == "tabled" {
					ap.MOD = pr.ID
				}
			}
			out = append(out, ap)
		}
	}
	return out
}

func findPara(t *testing.T, paras []apiPara, contains string) apiPara {
	t.Helper()
	for _, p := range paras {
		if strings.Contains(p.Text, contains) {
			return p
		}
	}
	t.Fatalf("no paragraph contains %q", contains)
	return apiPara{}
}

func serverText(t *testing.T, base, docID, token, para string) string {
	t.Helper()
	for _, p := range getDoc(t, base, docID, token) {
		if p.ID == para {
			return p.Text
		}
	}
	t.Fatalf("paragraph %s is gone", para)
	return ""
}

// agree waits until every tab shows the paragraph as the server has it, and
// returns that text.
func agree(t *testing.T, base, docID, token, para string, tabs []*tab, want func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		server := serverText(t, base, docID, token, para)
		texts := map[string]string{}
		same := want(server)
		for _, tb := range tabs {
			texts[tb.name] = tb.paraText(para)
			same = same && texts[tb.name] == server
		}
		if same {
			return server
		}
		if time.Now().After(deadline) {
			t.Fatalf("paragraph %s does not agree: server %q, browsers %q", para, server, texts)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// The demo, live in four browsers: a chair, two delegates and an observer
// on the projector.
func TestBrowserDrafting(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())
	chairTok := tokens["Chair"]
	paras := getDoc(t, srv.url, docID, chairTok)

	chair := newTab(t, browser, "chair")
	bra := newTab(t, browser, "Brazil delegate")
	cept := newTab(t, browser, "CEPT delegate")
	proj := newTab(t, browser, "observer (projector)")
	chair.join(srv.url, chairTok, "")
	bra.join(srv.url, tokens["Brazil delegate"], "")
	cept.join(srv.url, tokens["CEPT delegate"], "")
	proj.join(srv.url, tokens["Observer"], "/documents/"+docID+"/projector")
	all := []*tab{chair, bra, cept, proj}

	t.Run("two delegates type in one paragraph", func(t *testing.T) {
		use(t, all...)
		p := findPara(t, paras, "[restored][strengthened]")
		// Each opens an alternative of its own at the end of the paragraph
		// and types into it, at the same time.
		var wg sync.WaitGroup
		for _, d := range []struct {
			tab  *tab
			text string
		}{{bra, "rapidly rebuilt by BRA"}, {cept, "made resilient by CEPT"}} {
			d.tab.editEnd(p.ID)
			d.tab.clickButton(".tools", "Insert alternative")
			wg.Add(1)
			go func() {
				defer wg.Done()
				d.tab.typeText(d.text, 15*time.Millisecond)
			}()
		}
		wg.Wait()
		got := agree(t, srv.url, docID, chairTok, p.ID, all, func(s string) bool {
			return strings.Contains(s, "[rapidly rebuilt by BRA]") && strings.Contains(s, "[made resilient by CEPT]")
		})
		t.Logf("after concurrent typing: %q", got)
	})

	t.Run("a delegate's edit outside brackets is refused and rolled back", func(t *testing.T) {
		use(t, all...)
		p := findPara(t, paras, "the role of telecommunications")
		bra.editEnd(p.ID)
		bra.typeText(" and more", 0)
		bra.wait("the refusal", fmt.Sprintf(`document.querySelector("#p-%s .perror")?.textContent.includes("inside brackets")`, p.ID), 15*time.Second)
		bra.wait("the rollback", fmt.Sprintf(`document.querySelector("#p-%s .ptext").textContent === %q`, p.ID, p.Text), 15*time.Second)
		var msg string
		bra.eval(fmt.Sprintf(`document.querySelector("#p-%s .perror").textContent`, p.ID), &msg)
		t.Logf("refusal shown: %q", msg)
		bra.screenshot("refused-edit")
		agree(t, srv.url, docID, chairTok, p.ID, all, func(s string) bool { return s == p.Text })
	})

	t.Run("text that looks like HTML is shown as text", func(t *testing.T) {
		use(t, all...)
		p := findPara(t, paras, "to report to the next conference")
		const evil = " <img src=x onerror=alert(1)>"
		chair.editEnd(p.ID)
		chair.typeText(evil, 0)
		agree(t, srv.url, docID, chairTok, p.ID, all, func(s string) bool { return strings.HasSuffix(s, evil) })
		for _, tb := range all {
			var imgs int
			tb.eval(`document.querySelectorAll("img").length`, &imgs)
			var visible bool
			tb.eval(fmt.Sprintf(`document.querySelector("#p-%s .ptext").innerText.includes(%q)`, p.ID, strings.TrimSpace(evil)), &visible)
			tb.mu.Lock()
			dialogs := tb.dialogs
			tb.mu.Unlock()
			if imgs != 0 || !visible || len(dialogs) > 0 {
				t.Errorf("%s: %d img elements, text visible %v, dialogs %q", tb.name, imgs, visible, dialogs)
			}
		}
	})

	t.Run("the projector follows the chair's focus", func(t *testing.T) {
		use(t, all...)
		p := paras[len(paras)-1]
		chair.editEnd(p.ID)
		chair.clickButton(".tools", "Set focus")
		if msg := actionRefused(chair); msg != "" {
			t.Fatalf("the server refused the chair's focus action: %s", msg)
		}
		proj.wait("the focus paragraph in view", fmt.Sprintf(`(() => { const e = document.querySelector("#p-%s.focus"); if (!e) return false; const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`, p.ID), 15*time.Second)
		for _, tb := range []*tab{bra, cept} {
			tb.wait("the focus highlighted", fmt.Sprintf(`!!document.querySelector("#p-%s.focus")`, p.ID), 10*time.Second)
		}
	})

	t.Run("the chair merges a MOD proposal", func(t *testing.T) {
		use(t, all...)
		var p apiPara
		for _, q := range getDoc(t, srv.url, docID, chairTok) {
			if q.MOD != "" {
				p = q
				break
			}
		}
		if p.ID == "" {
			t.Fatal("the demo has no tabled MOD proposal")
		}
		loads := map[string]string{}
		for _, tb := range all {
			var n string
			tb.eval(`document.body.dataset.loads`, &n)
			loads[tb.name] = n
		}
		chair.do("scroll", scrollTo("#p-"+p.ID))
		chair.clickButton("#p-"+p.ID+" .pprops", "Merge")
		if msg := actionRefused(chair); msg != "" {
			t.Fatalf("the server refused the chair's merge: %s", msg)
		}
		got := agree(t, srv.url, docID, chairTok, p.ID, all, func(s string) bool {
			// Each change of the MOD becomes its own group.
			return s != p.Text && strings.Count(s, "[") > strings.Count(p.Text, "[")
		})
		t.Logf("merged: %q", got)
		for _, tb := range all {
			var n string
			tb.eval(`document.body.dataset.loads`, &n)
			if n != loads[tb.name] {
				t.Errorf("%s reloaded the document (%s → %s times) instead of applying the merge op", tb.name, loads[tb.name], n)
			}
		}
	})

	t.Run("the rapporteur freezes a version and compares", func(t *testing.T) {
		rap := newTab(t, browser, "rapporteur")
		rap.join(srv.url, tokens["Rapporteur"], "")
		rap.wait("the versions panel", `[...document.querySelectorAll(".panel h2")].some(h => h.textContent === "Versions" && h.closest(".panel").offsetParent !== null)`, 15*time.Second)
		rap.do("label", chromedp.SendKeys(chromedp.CSS(`input[aria-label="Version label"]`), "Rev. 1"))
		rap.clickButton(".panel", "Freeze version")
		rap.wait("the new version listed", `document.querySelector(".versions")?.textContent.includes("Rev. 1")`, 15*time.Second)
		// The export row offers the frozen version; what its Download button
		// fetches (with the session cookie) is a real DOCX.
		rap.wait("the export row", `[...document.querySelectorAll('select[aria-label="Version to export"] option')].some(o => o.textContent === "Rev. 1")`, 15*time.Second)
		var got struct {
			Status int    `json:"status"`
			Type   string `json:"type"`
			Magic  string `json:"magic"`
		}
		rap.eval(`(async () => {
			const r = await fetch("/api/v1/documents/`+docID+`/export?format=docx&version=" + encodeURIComponent("Rev. 1"));
			const b = new Uint8Array(await r.arrayBuffer());
			return {status: r.status, type: r.headers.get("content-type"), magic: String.fromCharCode(b[0], b[1])};
		})()`, &got)
		if got.Status != 200 || got.Magic != "PK" || !strings.Contains(got.Type, "wordprocessingml") {
			t.Fatalf("export from the browser: %+v", got)
		}
		// Comparing is a page of its own, full width.
		rap.do("history page", chromedp.Click(chromedp.CSS(`a[href$="/history"].btn`)))
		rap.wait("the history page", `location.pathname.endsWith("/history") && !!document.querySelector(".compareview select option")`, 15*time.Second)
		rap.clickButton(".compareview", "Compare")
		rap.wait("the comparison", `!!document.querySelector(".diff section, .diff p")`, 15*time.Second)
		rap.screenshot("versions")
		rap.do("table view", navigate(srv.url+"/documents/"+docID+"/table"))
		rap.wait("the table", `document.querySelectorAll("table.compare tbody tr").length > 10`, 15*time.Second)
		rap.screenshot("comparison-table")
		// A MOD shows as changes to the original text: what it adds
		// underlined (ins), what it removes struck through (del); without
		// the deletions it reads as the proposal.
		var red struct {
			Ins      string `json:"ins"`
			Proposed string `json:"proposed"`
		}
		rap.eval(`(() => {
			const r = [...document.querySelectorAll("table.compare .redline")].find(e => [...e.querySelectorAll("ins")].some(i => i.textContent.includes("three")));
			if (!r) return {ins: "", proposed: ""};
			const c = r.cloneNode(true);
			c.querySelectorAll("del").forEach(d => d.remove());
			return {ins: [...r.querySelectorAll("ins")].map(i => i.textContent).join("|"), proposed: c.textContent};
		})()`, &red)
		if want := "the work of the three Sectors on common alerting formats and on national emergency telecommunication plans,"; red.Proposed != want || !strings.Contains(red.Ins, "national") {
			t.Errorf("the comparison table's redline of CEPT's MOD: inserted %q, reads %q; want %q", red.Ins, red.Proposed, want)
		}
		// The export row offers the compilation table.
		rap.do("documents view", navigate(srv.url+"/documents/"+docID))
		rap.wait("the compilation checkbox", `!!document.querySelector('input[aria-label="Compilation table (docx, html)"]')`, 15*time.Second)
	})

	for _, tb := range all {
		tb.screenshot("view")
	}
}

// actionRefused waits for the answer to the action just sent from the
// tools panel and returns the refusal, or "" when it was done.
func actionRefused(tb *tab) string {
	tb.t.Helper()
	tb.wait("the action's answer", `(() => { const r = document.querySelector(".tools .result")?.textContent ?? ""; return r && r !== "Sending…"; })()`, 20*time.Second)
	var res string
	tb.eval(`document.querySelector(".tools .result").textContent`, &res)
	if strings.HasPrefix(res, "Refused") {
		return res
	}
	return ""
}
