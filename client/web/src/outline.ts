// The outline: every section with its paragraphs as compact chips (label,
// status, open bracket groups), the chair's focus marked. A click jumps to
// the paragraph. Redrawn as a whole, at most once a frame.
import { openGroups, parseBrackets } from "./brackets";
import { el, replace } from "./dom";
import type { DocModel } from "./model";

const STATUS_WORD: Record<string, string> = { open: "open", agreed_ad_ref: "agreed ad referendum", agreed: "agreed" };

export class Outline {
  readonly el = el("div", { class: "outline" });
  private queued = false;

  constructor(
    private readonly model: () => DocModel | null,
    private readonly textOf: (para: string) => string,
    private readonly jump: (para: string) => void,
  ) {}

  /** update redraws on the next frame. */
  update(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  private draw(): void {
    const m = this.model();
    if (!m) return;
    const secs = m.sections.map((s) => {
      let total = 0;
      const chips = s.paragraphs!.map((p) => {
        const n = openGroups(parseBrackets(this.textOf(p.id)));
        total += n;
        const focus = m.focus === p.id;
        const name = `${s.heading} ${p.label}`.trim();
        const label = `${name}: ${STATUS_WORD[p.status] ?? p.status}${n ? `, ${n} open bracket group${n === 1 ? "" : "s"}` : ""}${focus ? ", the chair's focus" : ""}`;
        return el(
          "li",
          {},
          el(
            "button",
            { type: "button", class: `ochip st-${p.status}${focus ? " ofocus" : ""}`, "aria-label": label, title: label, "data-para": p.id, onclick: () => this.jump(p.id) },
            p.label || "¶",
            n ? el("span", { class: "ob", text: String(n) }) : null,
          ),
        );
      });
      return el(
        "li",
        { class: "osec" },
        el("span", { class: "oh", dir: "auto", text: s.heading || "(untitled section)" }, total ? el("span", { class: "ob", text: String(total) }) : null),
        el("ul", { class: "ochips" }, ...chips),
      );
    });
    replace(this.el, el("ul", { class: "osecs" }, ...secs));
  }
}
