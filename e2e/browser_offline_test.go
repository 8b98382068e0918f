package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// A delegate types while the server is down; the edits wait in the browser
// and are saved when the server comes back on the same address and data.
func TestBrowserOffline(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())
	chairTok := tokens["Chair"]
	p := findPara(t, getDoc(t, srv.url, docID, chairTok), "[adopt][consider adopting]")

	bra := newTab(t, browser, "Brazil delegate")
	bra.join(srv.url, tokens["Brazil delegate"], "")
	bra.editEnd(p.ID)
	bra.clickButton(".tools", "Insert alternative")
	bra.typeText("online", 0)
	agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra}, func(s string) bool { return strings.Contains(s, "[online]") })

	if err := srv.stop(t); err != nil {
		t.Fatalf("serve exit: %v", err)
	}
	bra.wait("the indicator to show the drop", `/Reconnecting|Offline/.test(document.querySelector(".conn").textContent)`, 20*time.Second)
	bra.editEnd(p.ID)
	bra.clickButton(".tools", "Insert alternative")
	bra.typeText("typed offline", 0)
	bra.wait("edits waiting", `/edits? waiting/.test(document.querySelector(".conn").textContent)`, 10*time.Second)
	var conn string
	bra.eval(`document.querySelector(".conn").textContent`, &conn)
	t.Logf("while the server is down: %q", conn)
	bra.screenshot("offline")

	u, err := url.Parse(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	srv = startServer(t, data, nil, "--addr", u.Host)
	bra.wait("reconnected with nothing waiting", `document.querySelector(".conn").textContent === "Connected"`, 45*time.Second)
	got := agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra}, func(s string) bool {
		return strings.Contains(s, "[online]") && strings.Contains(s, "[typed offline]")
	})
	t.Logf("after the server came back: %q", got)
	var banner bool
	bra.eval(`!document.querySelector(".banner").hidden`, &banner)
	if banner {
		var text string
		bra.eval(`document.querySelector(".banner").textContent`, &text)
		t.Errorf("a banner says edits were lost: %s", text)
	}
	bra.screenshot("back-online")
}
