package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserChairActions needs the web client and Chromium.
func init() { browserTests = append(browserTests, "TestBrowserChairActions") }

// The chair's actions in the browser, at 1280×720: assign a proposer from
// the triage list, keep an alternative with one click on the group under
// the caret, and undo a reject and a merge with their buttons.
func TestBrowserChairActions(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	doc := importLive(t, data, chairCSV)
	srv := startServer(t, data, nil)
	toks := chairTokens(t, data, doc, 2)
	chairTok := toks[0]
	d := getDocument(t, srv.url, chairTok, doc)
	ps := paragraphs(d)
	pa, p1 := ps[0], ps[1]
	prop := p1.Proposals[0].ID
	proposal := func() (status, proposer string) {
		for _, p := range paragraphs(getDocument(t, srv.url, chairTok, doc)) {
			for _, pr := range p.Proposals {
				if pr.ID == prop {
					if pr.Proposer != nil {
						proposer = *pr.Proposer
					}
					return pr.Status, proposer
				}
			}
		}
		t.Fatalf("proposal %s is gone", prop)
		return
	}

	chair := newTab(t, browser, "chair")
	chair.do("viewport", chromedp.EmulateViewport(1280, 720))
	chair.join(srv.url, chairTok, "")
	// The comparison table, open in another window while the chair works.
	table := newTab(t, browser, "comparison table")
	table.join(srv.url, toks[1], "/documents/"+doc+"/table")
	inColumn := func(column string) string {
		return fmt.Sprintf(`(() => { const ths = [...document.querySelectorAll("table.compare thead th")]; const i = ths.findIndex(th => th.textContent === %q); if (i < 0) return false; return !!document.querySelector('tr[data-para=%q]')?.children[i]?.textContent.includes("MOD X/1/1"); })()`, column, p1.ID)
	}
	table.wait("the proposal in the unresolved column", inColumn("Somewhere"), 20*time.Second)

	t.Run("assign from the triage list", func(t *testing.T) {
		use(t, chair, table)
		chair.wait("the triage list", `document.querySelector(".triagepanel h2")?.textContent === "1 proposal needs a proposer"`, 20*time.Second)
		// Its card offers no Merge before a proposer is assigned.
		chair.wait("the picker on the card", fmt.Sprintf(`!!document.querySelector("#p-%s .pprops .assign")`, p1.ID), 10*time.Second)
		chair.wait("the delegations loaded", `document.querySelectorAll("#delegation-list option").length > 150`, 20*time.Second)
		chair.do("scroll to the triage list", scrollTo(".triagepanel"))
		chair.screenshot("triage")
		var ok bool
		chair.eval(`(() => { const i = document.querySelector(".triagepanel .pickdel"); if (!i) return false; i.value = "Brazil (BRA)"; return true; })()`, &ok)
		if !ok {
			t.Fatal("no picker in the triage list")
		}
		chair.clickButton(".triagepanel", "Assign")
		chair.wait("the list empties", `document.querySelector(".triagepanel h2")?.textContent === "Every proposal has a proposer"`, 20*time.Second)
		// The comparison table moved it to Brazil's column, live.
		table.wait("the proposal in Brazil's column", inColumn("Brazil"), 20*time.Second)
		var still bool
		table.eval(inColumn("Somewhere"), &still)
		if still {
			t.Error("the proposal is still in the unresolved column too")
		}
		if status, who := proposal(); status != "tabled" || who != "BRA" {
			t.Fatalf("after assigning: %s, proposer %q", status, who)
		}
	})

	t.Run("keep an alternative with one click", func(t *testing.T) {
		use(t, chair)
		chair.editEnd(pa.ID)
		chair.do("caret into [restored]", chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		for range len([]rune("that networks must be [re")) {
			chair.do("right", chromedp.KeyEvent(kb.ArrowRight))
		}
		keep := "Keep “strengthened”"
		chair.wait("the group's buttons", fmt.Sprintf(`[...document.querySelectorAll("#p-%s .pgroup button")].some(b => b.textContent === %q)`, pa.ID, keep), 10*time.Second)
		chair.screenshot("group-buttons")
		chair.clickButton("#p-"+pa.ID+" .pgroup", keep)
		want := "that networks must be strengthened quickly after a disaster;"
		chair.wait("the kept text", fmt.Sprintf(`document.querySelector("#p-%s .ptext")?.textContent === %q`, pa.ID, want), 20*time.Second)
		if got := paragraphs(getDocument(t, srv.url, chairTok, doc))[0]; got.Text != want || runsString(got) != "original:60" {
			t.Fatalf("server: %q %s", got.Text, runsString(got))
		}
	})

	t.Run("undo a reject and a merge", func(t *testing.T) {
		use(t, chair)
		card := "#p-" + p1.ID + " .pprops"
		chair.do("scroll to the proposal", scrollTo(card))
		chair.clickButton(card, "Reject")
		chair.wait("Reopen offered", fmt.Sprintf(`[...document.querySelectorAll(%q)].some(b => b.textContent === "Reopen")`, card+" button"), 20*time.Second)
		if status, _ := proposal(); status != "rejected" {
			t.Fatalf("after Reject: %s", status)
		}
		chair.screenshot("rejected")
		chair.clickButton(card, "Reopen")
		chair.wait("Merge offered again", fmt.Sprintf(`[...document.querySelectorAll(%q)].some(b => b.textContent === "Merge")`, card+" button"), 20*time.Second)
		if status, _ := proposal(); status != "tabled" {
			t.Fatalf("after Reopen: %s", status)
		}
		chair.clickButton(card, "Merge")
		chair.wait("Undo merge offered", fmt.Sprintf(`[...document.querySelectorAll(%q)].some(b => b.textContent === "Undo merge")`, card+" button"), 20*time.Second)
		merged := paragraphs(getDocument(t, srv.url, chairTok, doc))[1].Text
		if !strings.Contains(merged, "[three]") {
			t.Fatalf("after Merge: %q", merged)
		}
		chair.clickButton(card, "Undo merge")
		chair.wait("Merge offered after the undo", fmt.Sprintf(`[...document.querySelectorAll(%q)].some(b => b.textContent === "Merge")`, card+" button"), 20*time.Second)
		if status, _ := proposal(); status != "tabled" {
			t.Fatalf("after Undo merge: %s", status)
		}
		if got := paragraphs(getDocument(t, srv.url, chairTok, doc))[1].Text; got != p1.Text {
			t.Fatalf("after Undo merge: %q, want %q", got, p1.Text)
		}
		chair.wait("the page shows the text again", fmt.Sprintf(`document.querySelector("#p-%s .ptext")?.textContent === %q`, p1.ID, p1.Text), 20*time.Second)
	})

	t.Run("Backspace on a bracket offers the group's actions; Alt+A accepts", func(t *testing.T) {
		use(t, chair, table)
		card := "#p-" + p1.ID + " .pprops"
		chair.clickButton(card, "Merge")
		want := "to support the work of the [three] Sectors on common alerting formats and on [national] emergency plans;"
		chair.wait("the merged text", fmt.Sprintf(`document.querySelector("#p-%s .ptext")?.textContent === %q`, p1.ID, want), 20*time.Second)
		chair.editEnd(p1.ID)
		chair.do("caret after “[”", chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		for range len([]rune("to support the work of the [")) {
			chair.do("right", chromedp.KeyEvent(kb.ArrowRight))
		}
		chair.do("Backspace", chromedp.KeyEvent(kb.Backspace))
		chair.wait("the offer", fmt.Sprintf(`document.querySelector("#p-%s .pgroup")?.textContent.includes("A bracket alone cannot be deleted")`, p1.ID), 10*time.Second)
		chair.screenshot("backspace-offer")
		if got := paragraphs(getDocument(t, srv.url, chairTok, doc))[1].Text; got != want {
			t.Fatalf("Backspace changed the text: %q", got)
		}
		chair.do("Alt+A", chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierAlt)))
		accepted := "to support the work of the three Sectors on common alerting formats and on [national] emergency plans;"
		chair.wait("the accepted text", fmt.Sprintf(`document.querySelector("#p-%s .ptext")?.textContent === %q`, p1.ID, accepted), 20*time.Second)
		got := paragraphs(getDocument(t, srv.url, chairTok, doc))[1]
		if got.Text != accepted || runsString(got) != "original:27 BRA:6 original:42 BRA:11 original:16" {
			t.Fatalf("server: %q %s", got.Text, runsString(got))
		}
	})
}
