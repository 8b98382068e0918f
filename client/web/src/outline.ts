// The outline: every section with its paragraphs as compact chips (label,
// status, open bracket groups), the chair's focus marked. A click jumps to
// the paragraph. A text change redraws only its paragraph's chip and its
// section's count; structure, status and focus changes redraw it all. At
// most once a frame either way.
import { openGroups, parseBrackets } from "./brackets";
import { el, replace, setText } from "./dom";
import type { DocModel } from "./model";
import type { Paragraph, Section } from "./protocol";

const STATUS_WORD: Record<string, string> = { open: "open", agreed_ad_ref: "agreed ad referendum", agreed: "agreed" };

interface Chip {
  btn: HTMLElement;
  count: HTMLElement;
  n: number;
  section: string;
}

export class Outline {
  readonly el = el("div", { class: "outline" });
  private chips = new Map<string, Chip>();
  private totals = new Map<string, HTMLElement>();
  private all = true;
  private dirty = new Set<string>();
  private queued = false;

  constructor(
    private readonly model: () => DocModel | null,
    private readonly textOf: (para: string) => string,
    private readonly jump: (para: string) => void,
  ) {}

  /** update redraws everything on the next frame. */
  update(): void {
    this.all = true;
    this.queue();
  }

  /** textChanged redraws one paragraph's count on the next frame. */
  textChanged(para: string): void {
    this.dirty.add(para);
    this.queue();
  }

  private queue(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      if (this.all) this.draw();
      else this.counts();
      this.all = false;
      this.dirty.clear();
    });
  }

  private counts(): void {
    const m = this.model();
    if (!m) return;
    const sections = new Set<string>();
    for (const id of this.dirty) {
      const c = this.chips.get(id);
      const f = m.find(id);
      if (!c || !f) return this.draw();
      const n = openGroups(parseBrackets(this.textOf(id)));
      if (n === c.n) continue;
      c.n = n;
      setText(c.count, n ? String(n) : "");
      this.label(c, f.s, f.p, m.focus === id);
      sections.add(c.section);
    }
    for (const sid of sections) {
      const t = this.totals.get(sid);
      let total = 0;
      for (const c of this.chips.values()) if (c.section === sid) total += c.n;
      if (t) setText(t, total ? String(total) : "");
    }
  }

  private label(c: Chip, s: Section, p: Paragraph, focus: boolean): void {
    const name = `${s.heading} ${p.label}`.trim();
    const text = `${name}: ${STATUS_WORD[p.status] ?? p.status}${c.n ? `, ${c.n} open bracket group${c.n === 1 ? "" : "s"}` : ""}${focus ? ", the chair's focus" : ""}`;
    c.btn.setAttribute("aria-label", text);
    c.btn.title = text;
  }

  private draw(): void {
    const m = this.model();
    if (!m) return;
    this.chips.clear();
    this.totals.clear();
    const secs = m.sections.map((s) => {
      let total = 0;
      const items = s.paragraphs!.map((p) => {
        const n = openGroups(parseBrackets(this.textOf(p.id)));
        total += n;
        const focus = m.focus === p.id;
        const count = el("span", { class: "ob", text: n ? String(n) : "" });
        const btn = el("button", { type: "button", class: `ochip st-${p.status}${focus ? " ofocus" : ""}`, "data-para": p.id, onclick: () => this.jump(p.id) }, p.label || "¶", count);
        const c: Chip = { btn, count, n, section: s.id };
        this.label(c, s, p, focus);
        this.chips.set(p.id, c);
        return el("li", {}, btn);
      });
      const t = el("span", { class: "ob", text: total ? String(total) : "" });
      this.totals.set(s.id, t);
      return el("li", { class: "osec" }, el("span", { class: "oh", dir: "auto", text: s.heading || "(untitled section)" }, t), el("ul", { class: "ochips" }, ...items));
    });
    replace(this.el, el("ul", { class: "osecs" }, ...secs));
  }
}
