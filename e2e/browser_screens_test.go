package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserScreens needs the web client and Chromium.
func init() { browserTests = append(browserTests, "TestBrowserScreens") }

// The room's screens on the demo: a chair and a delegate on 1280×720
// laptops, a projector at 1920×1080 opened from a join link, and fresh
// screens comparing colours. Screenshots go to the artefacts directory.
func TestBrowserScreens(t *testing.T) {
	browser := newBrowser(t)
	data := dataDir(t)
	srv := startServer(t, data, nil, "--demo")
	docID, tokens := demoTokens(t, srv.stdout.String())
	chairTok := tokens["Chair"]
	paras := getDoc(t, srv.url, docID, chairTok)
	first, last := paras[0], paras[len(paras)-1]
	second := paras[1]

	chair := newTab(t, browser, "chair")
	bra := newTab(t, browser, "Brazil delegate")
	for _, tb := range []*tab{chair, bra} {
		tb.resize(1280, 720)
	}
	chair.join(srv.url, chairTok, "")
	bra.join(srv.url, tokens["Brazil delegate"], "")

	t.Run("typing [ between words gives the spaced result", func(t *testing.T) {
		use(t, bra)
		p := findPara(t, paras, "best practices among")
		bra.editEnd(p.ID)
		at := strings.Index(p.Text, " among")
		bra.do("caret after “practices”", chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		for range at {
			bra.do("right", chromedp.KeyEvent(kb.ArrowRight))
		}
		bra.do("type [", chromedp.KeyEvent("["))
		bra.typeText("and lessons learned", 0)
		got := agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra, chair}, func(s string) bool { return strings.Contains(s, "learned") })
		if !strings.Contains(got, "best practices [and lessons learned] among") {
			t.Errorf("typing [ between words gave %q", got)
		}
		bra.screenshot("spaced-brackets")
		// Backspace in a new empty pair takes it back, with its space.
		bra.do("type [", chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("["))
		agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra}, func(s string) bool { return strings.HasSuffix(s, ", []") })
		bra.do("backspace", chromedp.KeyEvent(kb.Backspace))
		agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra}, func(s string) bool { return s == got })
		bra.do("leave the editor", chromedp.KeyEvent(kb.Escape))
	})

	t.Run("a delegate's screen follows the chair, stops when scrolled by hand, comes back", func(t *testing.T) {
		use(t, chair, bra)
		var on bool
		bra.eval(`document.querySelector("#follow").checked`, &on)
		if !on {
			t.Fatal("a delegate does not follow the chair by default")
		}
		chair.eval(`document.querySelector("#follow").checked`, &on)
		if on {
			t.Error("the chair follows itself by default")
		}
		// One click on a paragraph's focus button.
		chair.do("scroll", scrollTo("#p-"+last.ID))
		chair.eval(fmt.Sprintf(`document.querySelector("#p-%s .focusbtn").click(), true`, last.ID), &on)
		bra.wait("the chair's paragraph in view", inView(last.ID), 15*time.Second)
		bra.screenshot("following")
		// Scrolling by hand stops following; a button leads back.
		bra.do("wheel", wheel(640, 400, -3000))
		bra.wait("following off", `!document.querySelector("#follow").checked && !document.querySelector(".backto").hidden`, 10*time.Second)
		bra.do("wheel", wheel(640, 400, 3000))
		bra.wait("the end of the page", `scrollY > 0 && scrollY + innerHeight >= document.documentElement.scrollHeight - 2`, 10*time.Second)
		var y0 float64
		bra.eval(`scrollY`, &y0)
		// One key: Enter in the paragraph the chair is typing in.
		chair.editEnd(second.ID)
		chair.do("enter", chromedp.KeyEvent(kb.Enter))
		bra.wait("the new focus", fmt.Sprintf(`!!document.querySelector("#p-%s.focus")`, second.ID), 15*time.Second)
		chair.wait("nothing waiting", `document.querySelector(".conn").textContent === "Connected"`, 10*time.Second)
		if got := serverText(t, srv.url, docID, chairTok, second.ID); got != second.Text {
			t.Errorf("Enter changed the text: %q", got)
		}
		var y1 float64
		var visible bool
		bra.eval(`scrollY`, &y1)
		bra.eval(inView(second.ID), &visible)
		if y1 != y0 || visible {
			t.Errorf("a delegate who scrolled away was moved: scrollY %v → %v, focus in view %v", y0, y1, visible)
		}
		var back string
		bra.eval(`document.querySelector(".backto").textContent`, &back)
		if !strings.Contains(back, "Back to the chair's paragraph") {
			t.Errorf("the way back says %q", back)
		}
		bra.screenshot("scrolled-away")
		bra.eval(`document.querySelector(".backto").click(), true`, new(bool))
		bra.wait("back at the chair's paragraph", inView(second.ID)+` && document.querySelector("#follow").checked && document.querySelector(".backto").hidden`, 15*time.Second)
		chair.screenshot("chair-1280x720")
	})

	t.Run("the projector opens from a join link, without the app bar, with a legend", func(t *testing.T) {
		proj := newTab(t, browser, "projector")
		proj.resize(1920, 1080)
		proj.do("join", chromedp.Navigate(srv.url+"/join?view=projector#"+tokens["Observer"]))
		proj.wait("the projector", `location.pathname === "/documents/`+docID+`/projector" && document.body.dataset.ready === "true"`, 20*time.Second)
		proj.wait("connected", `document.querySelector(".conn")?.classList.contains("conn-connected")`, 20*time.Second)
		var got struct {
			Bar, Logout, OpenBadges, Floor int
			Legend                         []string
			Tags                           []string
			Full                           bool
		}
		proj.wait("the legend", `document.querySelectorAll(".projlegend li").length >= 2`, 10*time.Second)
		proj.eval(`({
			bar: document.querySelectorAll(".bar, header.bar").length,
			logout: [...document.querySelectorAll("button")].filter(b => /Log out/.test(b.textContent)).length,
			openBadges: [...document.querySelectorAll(".badge")].filter(b => b.offsetParent !== null && b.textContent === "Open").length,
			floor: document.querySelectorAll(".floor").length,
			legend: [...document.querySelectorAll(".projlegend li")].map(l => l.dataset.author),
			tags: [...document.querySelectorAll(".proj [data-tag]")].map(e => e.dataset.tag),
			full: [...document.querySelectorAll("button")].some(b => b.textContent === "Full screen"),
		})`, &got)
		if got.Bar != 0 || got.Logout != 0 || got.OpenBadges != 0 || got.Floor != 0 || !got.Full {
			t.Errorf("projector chrome: %+v", got)
		}
		if !slices.Contains(got.Legend, "CEPT") || !slices.Contains(got.Legend, "BRA") {
			t.Errorf("the legend lists %q", got.Legend)
		}
		if !slices.Contains(got.Tags, "CEPT") || !slices.Contains(got.Tags, "BRA") {
			t.Errorf("the brackets are tagged %q", got.Tags)
		}
		proj.wait("the chair's focus in view", inView(second.ID), 15*time.Second)
		proj.screenshot("projector-1920x1080")
		// The chair moves on; the projector follows.
		chair.eval(fmt.Sprintf(`document.querySelector("#p-%s .focusbtn").click(), true`, last.ID), new(bool))
		proj.wait("the new focus in view", inView(last.ID), 15*time.Second)
		proj.screenshot("projector-follows")
	})

	t.Run("the same delegation has the same colour on fresh screens and in the HTML export", func(t *testing.T) {
		cept := newTab(t, browser, "CEPT delegate")
		cept.join(srv.url, tokens["CEPT delegate"], "")
		// Brazil now writes above CEPT's words, so a screen opened from now
		// on meets Brazil first: colours handed out in order of appearance
		// would differ between the two screens.
		use(t, bra)
		bra.editEnd(first.ID)
		bra.do("type [", chromedp.KeyEvent("["))
		bra.typeText("urgently", 0)
		agree(t, srv.url, docID, chairTok, first.ID, []*tab{bra}, func(s string) bool { return strings.Contains(s, "[urgently]") })
		bra.do("leave the editor", chromedp.KeyEvent(kb.Escape))
		obs := newTab(t, browser, "observer")
		obs.join(srv.url, tokens["Observer"], "")
		colours := func(tb *tab) map[string]string {
			tb.wait("the legend", `["BRA", "CEPT"].every(a => document.querySelector('.legend li[data-author="' + a + '"] .swatch'))`, 15*time.Second)
			m := map[string]string{}
			tb.eval(`Object.fromEntries(["BRA", "CEPT", "chair"].map(a => {
				const sw = document.querySelector('.legend li[data-author="' + a + '"] .swatch');
				const cls = sw ? [...sw.classList].find(c => c.startsWith("au-")) : "";
				const text = cls && document.querySelector(".doc .ptext ." + cls);
				return [a, sw ? getComputedStyle(sw).backgroundColor + (text ? " text " + getComputedStyle(text).backgroundColor : " no text") : "none"];
			}))`, &m)
			return m
		}
		a, b := colours(cept), colours(obs)
		t.Logf("CEPT's screen %v, the observer's %v", a, b)
		for _, who := range []string{"BRA", "CEPT"} {
			swatch, text, _ := strings.Cut(a[who], " text ")
			if a[who] != b[who] || swatch != text || !strings.HasPrefix(swatch, "rgb") {
				t.Errorf("%s: %q on one screen, %q on the other", who, a[who], b[who])
			}
		}
		if a["BRA"] == a["CEPT"] {
			t.Errorf("BRA and CEPT share a colour: %q", a["BRA"])
		}
		// The HTML export paints the same colour.
		var export map[string]string
		obs.eval(`(async () => {
			const r = await fetch("/api/v1/documents/`+docID+`/export?format=html");
			const doc = new DOMParser().parseFromString(await r.text(), "text/html");
			const css = doc.querySelector("style").textContent;
			const out = {};
			for (const a of ["BRA", "CEPT"]) {
				const sw = [...doc.querySelectorAll(".legend .au")].find(s => s.textContent === a);
				const cls = sw && [...sw.classList].find(c => c.startsWith("au-"));
				const m = cls && new RegExp("\\." + cls + "\\{background:#([0-9A-Fa-f]{6})\\}").exec(css);
				const used = cls && doc.querySelectorAll("p.para ." + cls).length;
				if (!m) { out[a] = "none"; continue; }
				const [r2, g, b] = [0, 2, 4].map(i => parseInt(m[1].slice(i, i + 2), 16));
				out[a] = "rgb(" + r2 + ", " + g + ", " + b + ")" + (used ? "" : " unused");
			}
			return out;
		})()`, &export)
		for _, who := range []string{"BRA", "CEPT"} {
			if !strings.HasPrefix(a[who], export[who]+" text") || strings.Contains(export[who], "unused") {
				t.Errorf("%s: the HTML export paints %q, the screen %q", who, export[who], a[who])
			}
		}
		cept.screenshot("fresh-screen-1")
		obs.screenshot("fresh-screen-2")
	})

	t.Run("a refused status leaves the dropdown on the real status, the refusal beside the paragraph", func(t *testing.T) {
		use(t, chair)
		p := findPara(t, paras, "[restored][strengthened]")
		chair.editEnd(p.ID)
		chair.do("choose agreed", chromedp.SetValue(chromedp.CSS(`select[aria-label="Status"]`), "agreed"))
		chair.clickButton(".tools", "Set status")
		if msg := actionRefused(chair); msg == "" {
			t.Fatal("the server agreed a paragraph with brackets")
		}
		var got struct {
			Value, Error string
		}
		chair.eval(fmt.Sprintf(`({value: document.querySelector('select[aria-label="Status"]').value, error: document.querySelector("#p-%s .perror:not([hidden])")?.textContent ?? ""})`, p.ID), &got)
		if got.Value != "open" {
			t.Errorf("after the refusal the dropdown shows %q, the paragraph is open", got.Value)
		}
		if got.Error == "" {
			t.Error("the refusal is not shown beside the paragraph")
		}
		t.Logf("refusal beside the paragraph: %q", got.Error)
		chair.screenshot("status-refused")
	})

	t.Run("no open brackets is not drawn as an alarm", func(t *testing.T) {
		use(t, chair)
		var got []struct{ Text, Colour string }
		chair.eval(`[...document.querySelectorAll(".bcount.zero")].map(e => ({text: e.textContent, colour: getComputedStyle(e).color}))`, &got)
		if len(got) == 0 {
			t.Fatal("no section without open brackets is counted")
		}
		var red string
		chair.eval(`getComputedStyle(document.querySelector(".bcount:not(.zero)")).color`, &red)
		for _, g := range got {
			if g.Text != "No open brackets" || g.Colour == red {
				t.Errorf("a section without brackets shows %q in %s (open brackets are %s)", g.Text, g.Colour, red)
			}
		}
	})

	t.Run("at 1280x720 the document column and the panel do not overlap", func(t *testing.T) {
		for _, tb := range []*tab{chair, bra} {
			use(t, tb)
			var got struct {
				DocRight, SideLeft, SideRight, SideBottom, Width, Height float64
				Overflow                                                 string
				Wide                                                     []string
			}
			tb.eval(`(() => {
				const side = document.querySelector(".side").getBoundingClientRect();
				const wide = [...document.querySelectorAll(".doc .para, .doc .sh, .doc .prop, .doc .cm-editor")]
					.filter(e => e.getBoundingClientRect().right > side.left).map(e => e.className);
				return {docRight: Math.max(...[...document.querySelectorAll(".doc, .doc .para")].map(e => e.getBoundingClientRect().right)),
					sideLeft: side.left, sideRight: side.right, sideBottom: side.bottom, width: innerWidth, height: innerHeight,
					overflow: getComputedStyle(document.querySelector(".side")).overflowY, wide};
			})()`, &got)
			if got.Width != 1280 || got.Height != 720 {
				t.Fatalf("%s: the window is %vx%v", tb.name, got.Width, got.Height)
			}
			if got.DocRight > got.SideLeft || len(got.Wide) > 0 || got.SideRight > got.Width || got.SideBottom > got.Height || got.Overflow != "auto" {
				t.Errorf("%s: %+v", tb.name, got)
			}
			tb.do("top", scrollTop())
			tb.screenshot("1280x720")
		}
	})

	t.Run("side panels fold, and stay folded after a reload", func(t *testing.T) {
		use(t, bra)
		bra.clickButton(".side", "Notes")
		bra.wait("folded", `document.querySelector("[data-panel=notes]").classList.contains("folded")`, 5*time.Second)
		bra.do("reload", chromedp.Reload())
		bra.wait("document ready", `document.body.dataset.ready === "true" && !!document.querySelector("[data-panel=notes]")`, 20*time.Second)
		var folded bool
		bra.eval(`document.querySelector("[data-panel=notes]").classList.contains("folded") && document.querySelector("#panel-notes").hidden`, &folded)
		if !folded {
			t.Error("after a reload the notes panel is open again")
		}
		bra.clickButton(".side", "Notes")
		bra.wait("connected", `document.querySelector(".conn")?.classList.contains("conn-connected")`, 20*time.Second)
	})

	t.Run("an outline click jumps to the paragraph", func(t *testing.T) {
		use(t, bra)
		bra.do("top", scrollTop())
		bra.eval(fmt.Sprintf(`document.querySelector('.outline .ochip[data-para="%s"]').click(), true`, last.ID), new(bool))
		bra.wait("the paragraph in view", inView(last.ID), 10*time.Second)
		var on bool
		bra.eval(`document.querySelector("#follow").checked`, &on)
		if on {
			t.Error("following is still on after the participant jumped elsewhere")
		}
	})

	t.Run("search finds text in a proposal and in the notes", func(t *testing.T) {
		use(t, bra)
		bra.do("search", chromedp.KeyEvent("/"))
		bra.wait("the search box", `document.activeElement?.classList.contains("search")`, 5*time.Second)
		bra.typeText("three SECTORS", 0)
		bra.wait("one hit", `document.querySelector(".scount").textContent === "1 of 1"`, 10*time.Second)
		var inProposal bool
		bra.eval(`(() => { const h = CSS.highlights.get("search-current"); const r = h && [...h][0]; return !!r && !!r.startContainer.parentElement.closest(".prop") && r.toString() === "three Sectors"; })()`, &inProposal)
		if !inProposal {
			t.Error("the hit is not highlighted in the proposal")
		}
		bra.screenshot("search-proposal")
		bra.do("select the query", chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
		bra.typeText("networks survive", 0)
		bra.wait("a hit in the notes", `document.querySelector(".scount").textContent === "1 of 1" && [...CSS.highlights.get("search-current")][0].startContainer.parentElement.closest(".notes") !== null`, 10*time.Second)
	})

	t.Run("? lists the keyboard shortcuts", func(t *testing.T) {
		use(t, bra)
		bra.do("blur", chromedp.KeyEvent(kb.Escape))
		bra.eval(`document.activeElement.blur(), true`, new(bool))
		bra.do("?", chromedp.KeyEvent("?"))
		bra.wait("the shortcuts", `document.querySelector("dialog.help").open && document.querySelector("dialog.help").textContent.includes("Follow the chair")`, 5*time.Second)
		bra.screenshot("shortcuts")
		bra.do("close", chromedp.KeyEvent(kb.Escape))
	})

	t.Run("history: every change, the text at any seq, versions verified", func(t *testing.T) {
		rap := newTab(t, browser, "rapporteur")
		rap.resize(1280, 720)
		rap.join(srv.url, tokens["Rapporteur"], "")
		r := call(t, "POST", srv.url+"/api/v1/documents/"+docID+"/versions", tokens["Rapporteur"], strings.NewReader(`{"label":"Rev. 1"}`))
		if r.status != 201 {
			t.Fatalf("freeze: %d %s", r.status, r.body)
		}
		// A change since Rev. 1, in RESOLVES.
		use(t, bra)
		p := findPara(t, paras, "best practices among")
		bra.editEnd(p.ID)
		bra.do("type [", chromedp.KeyEvent("["))
		bra.typeText("widely", 0)
		agree(t, srv.url, docID, chairTok, p.ID, []*tab{bra}, func(s string) bool { return strings.Contains(s, "[widely]") })
		use(t, rap)
		rap.do("history", chromedp.Navigate(srv.url+"/documents/"+docID+"/history"))
		rap.wait("the history", `document.body.dataset.ready === "true" && document.querySelectorAll(".ops tbody tr").length > 3`, 15*time.Second)
		var ops []string
		rap.eval(`[...document.querySelectorAll(".ops tbody tr")].map(r => r.textContent)`, &ops)
		typed := false
		for _, o := range ops {
			typed = typed || strings.Contains(o, "BRA") && strings.Contains(o, "typed “")
		}
		if !typed {
			t.Errorf("the history does not show Brazil's typing: %q", ops[:min(len(ops), 8)])
		}
		// The text at seq 0 is the demo as it began.
		rap.do("seq 0", chromedp.SetValue(chromedp.CSS(`input[type=range]`), "0"), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`document.querySelector("input[type=range]").dispatchEvent(new Event("input"))`)(ctx, tg)
			return err
		}))
		rap.wait("the text at seq 0", fmt.Sprintf(`document.body.dataset.shownSeq === "0" && document.querySelector('.atdoc [data-para="%s"]')?.textContent.includes("best practices among")`, findPara(t, paras, "best practices among").ID), 15*time.Second)
		rap.clickButton(".versiontable", "Verify")
		rap.wait("verified", `document.querySelector(".verify")?.textContent.startsWith("✓ Intact")`, 15*time.Second)
		rap.clickButton(".compareview", "Compare")
		rap.wait("the comparison under section headings", `[...document.querySelectorAll(".diff .dsec h3")].some(h => h.textContent === "RESOLVES")`, 15*time.Second)
		rap.screenshot("history-1280x720")
	})
}

// inView is a predicate: the paragraph is on screen, below the sticky bars.
func inView(id string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector("#p-%s"); if (!e) return false; const r = e.getBoundingClientRect(); const top = document.querySelector(".top, .projhead")?.getBoundingClientRect().bottom ?? 0; return r.top >= top - 1 && r.bottom <= innerHeight + 1; })()`, id)
}

// wheel scrolls the page by dy at (x, y), as a mouse wheel does.
func wheel(x, y, dy float64) chromedp.Action[chromedp.Void] {
	return chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, x, y, func(p *input.DispatchMouseEventParams) {
		p.DeltaY = dy
		p.DeltaX = 0.001 // Chromium wants both; a zero would be left out of the JSON
	})
}

// resize sets the tab's window size.
func (tb *tab) resize(w, h int64) {
	tb.t.Helper()
	tb.do(fmt.Sprintf("viewport %dx%d", w, h), chromedp.EmulateViewport(w, h))
}
