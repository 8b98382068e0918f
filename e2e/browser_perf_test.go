package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// largeCSV is a compilation of 300 paragraphs in 12 sections, some with a
// Brazilian MOD, in the importer's CSV form.
func largeCSV() string {
	heads := []string{"RECALLING", "CONSIDERING", "RECOGNIZING", "NOTING", "BEARING IN MIND", "EMPHASIZING",
		"AWARE", "CONVINCED", "MINDFUL", "STRESSING", "WELCOMING", "REAFFIRMING"}
	var b strings.Builder
	b.WriteString("Row,Original,Brazil --- MOD B/1/1\n")
	row := 0
	for s, h := range heads {
		row++
		fmt.Fprintf(&b, "%d,%s,\n", row, h)
		for i := range 25 {
			row++
			n := s*25 + i + 1
			mod := ""
			if n%10 == 0 {
				mod = fmt.Sprintf("the amended text of paragraph %d on emergency telecommunications;", n)
			}
			fmt.Fprintf(&b, "%d,%c) the [original][alternative] text of paragraph %d on early warning and disaster relief for everyone at risk;,%s\n", row, 'a'+i, n, mod)
		}
	}
	return b.String()
}

// How fast a 300-paragraph document becomes editable, and that a remote
// edit touches only its paragraph. The figures are logged, not asserted.
func TestBrowserLargeDocument(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	srv := startServer(t, data, nil)
	file := filepath.Join(t.TempDir(), "large.csv")
	if err := os.WriteFile(file, []byte(largeCSV()), 0o644); err != nil {
		t.Fatal(err)
	}
	docID := importDoc(t, data, "--format", "csv", "--title", "Three hundred paragraphs", file)
	chairTok := createToken(t, data, docID, "--role", "chair", "--name", "Chair")
	braTok := createToken(t, data, docID, "--role", "delegate", "--delegation", "BRA", "--name", "Brazil delegate")
	paras := getDoc(t, srv.url, docID, chairTok)
	if len(paras) != 300 {
		t.Fatalf("the import made %d paragraphs, want 300", len(paras))
	}

	viewer := newTab(t, browser, "Brazil delegate")
	viewer.join(srv.url, braTok, "")
	// Measure a fresh load of the document page itself.
	viewer.do("reload", scrollTop(), navigate(srv.url+"/documents/"+docID))
	viewer.wait("editable", `document.body.dataset.ready === "true" && !!document.querySelector(".cm-content")`, 20*time.Second)
	var perf struct {
		Editable, DOMContentLoaded, Open, Welcome, Rendered, Visible, Paragraphs, Editors float64
	}
	viewer.eval(`({
		editable: performance.getEntriesByName("draftroom:editable")[0]?.startTime ?? -1,
		open: performance.getEntriesByName("draftroom:open")[0]?.startTime ?? -1,
		welcome: performance.getEntriesByName("draftroom:welcome")[0]?.startTime ?? -1,
		rendered: performance.getEntriesByName("draftroom:rendered")[0]?.startTime ?? -1,
		visible: performance.getEntriesByName("draftroom:visible")[0]?.startTime ?? -1,
		domContentLoaded: performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd ?? -1,
		paragraphs: document.querySelectorAll(".para").length,
		editors: document.querySelectorAll(".cm-editor").length,
	})`, &perf)
	t.Logf("300 paragraphs, ms after navigation start: DOMContentLoaded %.0f, websocket open %.0f, welcome (the document) received %.0f, rendered %.0f, first visible %.0f, editable %.0f; %.0f paragraphs shown, %.0f editors made for those on screen",
		perf.DOMContentLoaded, perf.Open, perf.Welcome, perf.Rendered, perf.Visible, perf.Editable, perf.Paragraphs, perf.Editors)
	if perf.Paragraphs != 300 {
		t.Errorf("%.0f paragraphs shown, want 300", perf.Paragraphs)
	}
	viewer.wait("connected", `document.querySelector(".conn").classList.contains("conn-connected")`, 20*time.Second)
	viewer.screenshot("300-paragraphs")

	chair := newTab(t, browser, "chair")
	chair.join(srv.url, chairTok, "")
	for _, target := range []struct {
		name string
		para apiPara
	}{{"on screen (an editor)", paras[0]}, {"off screen (read-only text)", paras[150]}} {
		chair.editEnd(target.para.ID)
		// The chair's presence reaches the viewer before the count starts,
		// or its redraw of the presence list would count as a mutation
		// outside the paragraph (a fixed pause here failed on a busy
		// machine).
		viewer.wait("the chair's presence in the paragraph", fmt.Sprintf(`document.querySelector("#p-%s .chip") !== null`, target.para.ID), 15*time.Second)
		viewer.eval(fmt.Sprintf(`(() => {
			const doc = document.querySelector(".doc");
			window.__mut = { inside: 0, outside: 0 };
			window.__obs?.disconnect();
			window.__obs = new MutationObserver((list) => {
				for (const m of list) {
					const t = m.target.nodeType === 1 ? m.target : m.target.parentElement;
					if (t?.closest("#p-%s")) window.__mut.inside++; else window.__mut.outside++;
				}
			});
			window.__obs.observe(doc, { subtree: true, childList: true, characterData: true, attributes: true });
			return true;
		})()`, target.para.ID), new(bool))
		start := time.Now()
		chair.typeText(" [x]", 0)
		want := target.para.Text + " [x]"
		viewer.wait("the remote edit", fmt.Sprintf(`document.querySelector("#p-%s .ptext").textContent === %q`, target.para.ID, want), 15*time.Second)
		took := time.Since(start)
		time.Sleep(300 * time.Millisecond)
		var mut struct{ Inside, Outside int }
		viewer.eval(`window.__mut`, &mut)
		t.Logf("remote edit %s: seen after %v; DOM mutations inside the paragraph %d, outside it %d", target.name, took.Round(time.Millisecond), mut.Inside, mut.Outside)
		if mut.Outside != 0 {
			t.Errorf("a remote edit %s changed the DOM outside its paragraph %d times", target.name, mut.Outside)
		}
	}
}
