// The projector view: the text in large type for the room's screen, kept
// scrolled to the paragraph the chair has in focus. No editing chrome.
import { openGroups, parseBrackets } from "./brackets";
import { el, replace, setText, toggle } from "./dom";
import { LivePage } from "./livepage";
import type { ModelChange } from "./model";
import { STATUS_LABEL } from "./paraview";
import type { Paragraph, Session } from "./protocol";
import { renderText } from "./render";

interface PP {
  el: HTMLElement;
  label: HTMLElement;
  text: HTMLElement;
  badge: HTMLElement;
}

export class ProjectorView extends LivePage {
  private readonly body = el("article", { class: "proj", "aria-label": "Resolution" });
  private readonly total = el("span", { class: "total" });
  private paras = new Map<string, PP>();
  private counts = new Map<string, HTMLElement>();

  constructor(docId: string, sess: Session) {
    super(docId, sess, "projector");
    this.shell.main.appendChild(el("div", { class: "projwrap" }, el("div", { class: "projhead" }, this.total), this.body));
  }

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
    this.follow(m.focus, null);
    performance.mark("draftroom:editable");
    document.body.dataset.ready = "true";
  }

  private para(p: Paragraph): HTMLElement {
    const pp: PP = {
      label: el("span", { class: "plabel", text: p.label }),
      text: el("div", { class: "ptext", dir: "auto" }),
      badge: el("span", { class: "badge st-" + p.status, text: STATUS_LABEL[p.status] ?? p.status }),
      el: el("div"),
    };
    pp.el = el("div", { class: "para st-" + p.status, id: "p-" + p.id, "data-para": p.id }, pp.label, el("div", { class: "pbody" }, pp.text, el("div", { class: "pmeta" }, pp.badge)));
    this.paras.set(p.id, pp);
    this.drawPara(p.id);
    return pp.el;
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
    setText(this.total, `${all} open bracket group${all === 1 ? "" : "s"}`);
  }

  protected drawText(para: string): void {
    this.drawPara(para);
    this.counted();
  }

  protected drawChange(c: ModelChange): void {
    if (c.kind === "focus") return this.follow(c.para, c.prev);
    if (c.kind === "status") {
      const f = this.model!.find(c.para);
      const pp = this.paras.get(c.para);
      if (f && pp) {
        pp.badge.className = "badge st-" + f.p.status;
        setText(pp.badge, STATUS_LABEL[f.p.status] ?? f.p.status);
        for (const s of ["open", "agreed_ad_ref", "agreed"]) toggle(pp.el, "st-" + s, f.p.status === s);
      }
      return;
    }
    if (c.kind === "label") {
      const f = this.model!.find(c.para);
      const pp = this.paras.get(c.para);
      if (f && pp) setText(pp.label, f.p.label);
      return;
    }
    if (c.kind === "structure" || c.kind === "section") this.drawAll();
  }

  /** follow highlights the chair's focus and scrolls it to the middle of the screen. */
  private follow(para: string | null, prev: string | null): void {
    if (prev) this.paras.get(prev)?.el.classList.remove("focus");
    const pp = para ? this.paras.get(para) : undefined;
    if (!pp) return;
    pp.el.classList.add("focus");
    pp.el.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}
