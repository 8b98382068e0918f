// The projector view: the text in large type for the room's screen, kept
// scrolled to the paragraph the chair has in focus. No app bar and no
// editing chrome: a head line with the legend, the open bracket groups and
// the floor, a full-screen button, and status badges only where a
// paragraph is not open. When the chair puts a proposal on the screen, it
// stands beside its paragraph.
import { openGroups, parseBrackets } from "./brackets";
import { el, hidden, replace, setText, toggle } from "./dom";
import { Legend } from "./legend";
import { LivePage } from "./livepage";
import type { ModelChange } from "./model";
import { proposalItem, STATUS_LABEL } from "./paraview";
import type { Paragraph, Session } from "./protocol";
import { renderText } from "./render";

interface PP {
  el: HTMLElement;
  label: HTMLElement;
  text: HTMLElement;
  badge: HTMLElement;
  aside: HTMLElement;
}

export class ProjectorView extends LivePage {
  private readonly body = el("article", { class: "proj", "aria-label": "Resolution" });
  private readonly total = el("span", { class: "total" });
  private readonly legend = new Legend(
    el("ul", { class: "legend projlegend", "aria-label": "Whose words are whose" }),
    () => this.textAuthors(),
    (c) => this.nameOf(c),
  );
  private readonly floorEl = el("div", { class: "floorslot" });
  private readonly full: HTMLButtonElement;
  private paras = new Map<string, PP>();
  private counts = new Map<string, HTMLElement>();

  constructor(docId: string, sess: Session) {
    super(docId, sess, "projector", { bare: true });
    this.full = el("button", { type: "button", class: "btn fullscreen", title: "Full screen (F11 also works)", onclick: () => void this.fullscreen() }, "Full screen") as HTMLButtonElement;
    const head = el("header", { class: "projhead" }, this.legend.el, el("div", { class: "projstate" }, this.total, this.shell.conn, this.full), this.floorEl);
    this.shell.main.appendChild(el("div", { class: "projwrap" }, head, this.body));
    document.addEventListener("fullscreenchange", this.onFull);
    this.onFull();
  }

  override destroy(): void {
    super.destroy();
    document.removeEventListener("fullscreenchange", this.onFull);
  }

  private async fullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch {
      this.shell.notify("The browser refused full screen here; press F11.", true);
    }
  }

  private onFull = (): void => {
    setText(this.full, document.fullscreenElement ? "Leave full screen" : "Full screen");
    toggle(document.body, "fullscreen", !!document.fullscreenElement);
  };

  protected drawAll(): void {
    const m = this.model!;
    this.paras.clear();
    this.counts.clear();
    const secs = m.sections.map((s) => {
      const count = el("span", { class: "bcount" });
      this.counts.set(s.id, count);
      return el(
        "section",
        { class: "sec sec-" + s.kind },
        el("div", { class: "shead" }, el("h2", { class: "sh", dir: "auto", text: s.heading }), count),
        ...s.paragraphs!.map((p) => this.para(p)),
      );
    });
    replace(this.body, el("h1", { class: "title", dir: "auto", text: m.doc.title }), ...secs);
    this.counted();
    this.legend.redraw();
    this.drawFloor();
    this.follow(m.focus, null);
    performance.mark("draftroom:editable");
    document.body.dataset.ready = "true";
  }

  private para(p: Paragraph): HTMLElement {
    const pp: PP = {
      label: el("span", { class: "plabel", text: p.label }),
      text: el("div", { class: "ptext", dir: "auto" }),
      badge: el("span", { class: "badge" }),
      aside: el("aside", { class: "onscreen-prop", hidden: true, "aria-label": "Proposal under discussion" }),
      el: el("div"),
    };
    pp.el = el("div", { class: "para", id: "p-" + p.id, "data-para": p.id }, pp.label, el("div", { class: "pbody" }, pp.text, el("div", { class: "pmeta" }, pp.badge)), pp.aside);
    this.paras.set(p.id, pp);
    this.status(p);
    this.drawPara(p.id);
    return pp.el;
  }

  /** status shows a paragraph's status, only where it is not open. */
  private status(p: Paragraph): void {
    const pp = this.paras.get(p.id);
    if (!pp) return;
    pp.badge.className = "badge st-" + p.status;
    setText(pp.badge, p.status === "open" ? "" : (STATUS_LABEL[p.status] ?? p.status));
    hidden(pp.badge, p.status === "open");
    for (const s of ["open", "agreed_ad_ref", "agreed"]) toggle(pp.el, "st-" + s, p.status === s);
  }

  private drawPara(id: string): void {
    const t = this.live.machine.paras.get(id);
    const pp = this.paras.get(id);
    if (t && pp) renderText(pp.text, t.text, t.runs);
  }

  /** counted shows the open bracket groups per section and in all. */
  private counted(): void {
    let all = 0;
    for (const s of this.model!.sections) {
      let n = 0;
      for (const p of s.paragraphs!) n += openGroups(parseBrackets(this.live.machine.paras.get(p.id)?.text ?? ""));
      all += n;
      const c = this.counts.get(s.id);
      if (c) setText(c, n ? `${n} open` : "");
    }
    setText(this.total, all ? `${all} open bracket group${all === 1 ? "" : "s"}` : "No open brackets");
    toggle(this.total, "zero", all === 0);
  }

  private drawFloor(): void {
    this.drawFloorIn(this.floorEl, 3);
  }

  protected drawText(para: string): void {
    this.drawPara(para);
  }

  /** After a frame's paragraphs are drawn: the counts and the legend, once. */
  protected override textDrawn(): void {
    this.counted();
    this.legend.queue();
  }

  protected drawChange(c: ModelChange): void {
    if (c.kind === "focus") return this.follow(c.para, c.prev);
    if (c.kind === "floor") return this.drawFloor();
    if (c.kind === "status") {
      const f = this.model!.find(c.para);
      if (f) this.status(f.p);
      return;
    }
    if (c.kind === "label") {
      const f = this.model!.find(c.para);
      const pp = this.paras.get(c.para);
      if (f && pp) setText(pp.label, f.p.label);
      return;
    }
    if (c.kind === "proposals" && c.para === this.model!.focus) return this.follow(c.para, c.para);
    if (c.kind === "structure" || c.kind === "section") this.drawAll();
  }

  /**
   * follow highlights the chair's focus, puts the proposal the chair chose
   * beside it, and scrolls it to the middle of the screen.
   */
  private follow(para: string | null, prev: string | null): void {
    if (prev) {
      const old = this.paras.get(prev);
      old?.el.classList.remove("focus", "with-prop");
      if (old) hidden(old.aside, true);
    }
    const pp = para ? this.paras.get(para) : undefined;
    if (!pp) return;
    pp.el.classList.add("focus");
    const id = this.model!.focusProposal;
    const pr = id ? this.model!.proposal(id)?.pr : undefined;
    // A MOD is shown as a redline against the paragraph's original text.
    const base = this.model!.find(para!)?.p.base_text ?? "";
    if (pr) replace(pp.aside, el("h3", { text: "Under discussion" }), el("ul", {}, proposalItem(pr, null, base)));
    hidden(pp.aside, !pr);
    toggle(pp.el, "with-prop", !!pr);
    pp.el.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}
