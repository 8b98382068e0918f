// The comparison table: a row per paragraph, with the original text, one
// column per proposer, and the working text as it stands now.
import { el, replace } from "./dom";
import { LivePage } from "./livepage";
import type { ModelChange } from "./model";
import type { Proposal, Session } from "./protocol";
import { proposalText } from "./paraview";
import { renderText } from "./render";

export class TableView extends LivePage {
  private readonly wrap = el("div", { class: "tablewrap" });
  private current = new Map<string, HTMLElement>();

  constructor(docId: string, sess: Session) {
    super(docId, sess, "table");
    this.shell.main.appendChild(this.wrap);
  }

  /** Proposer columns: the compilation's, then any other proposer seen. */
  private columns(): { key: string; name: string }[] {
    const m = this.model!;
    const cols: { key: string; name: string }[] = [];
    const seen = new Set<string>();
    const add = (key: string, name: string) => {
      if (!seen.has(key)) {
        seen.add(key);
        cols.push({ key, name });
      }
    };
    for (const p of m.doc.proposers!) add(p.code ?? p.name, p.code && p.code !== p.name ? `${p.name} (${p.code})` : p.name);
    const each = (pr: Proposal) => add(pr.proposer ?? pr.proposer_name ?? "?", pr.proposer_name || pr.proposer || "Unknown");
    for (const s of m.sections) {
      s.proposals!.forEach(each);
      for (const p of s.paragraphs!) p.proposals!.forEach(each);
    }
    return cols;
  }

  protected drawAll(): void {
    const m = this.model!;
    const cols = this.columns();
    this.current.clear();
    const keyOf = (pr: Proposal) => pr.proposer ?? pr.proposer_name ?? "?";
    // A MOD of a paragraph (base: its original text) shows as changes to it.
    const cell = (list: Proposal[], key: string, base = "") =>
      el(
        "td",
        { dir: "auto" },
        ...list
          .filter((pr) => keyOf(pr) === key && pr.status !== "withdrawn")
          .map((pr) =>
            el(
              "div",
              { class: "prop ps-" + pr.status },
              el("span", { class: "act", text: pr.action + (pr.ref ? " " + pr.ref : "") + (pr.status !== "tabled" ? ` (${pr.status})` : "") }),
              pr.text ? " " : null,
              pr.text ? proposalText(pr, base) : null,
            ),
          ),
      );
    const rows: HTMLElement[] = [];
    for (const s of m.sections) {
      rows.push(el("tr", { class: "secrow sec-" + s.kind }, el("th", { colspan: cols.length + 3, scope: "colgroup", dir: "auto", text: s.heading })));
      for (const p of s.paragraphs!) {
        const cur = el("td", { class: "current", dir: "auto" });
        this.current.set(p.id, cur);
        rows.push(el("tr", { "data-para": p.id }, el("th", { scope: "row", text: p.label }), el("td", { dir: "auto", text: p.base_text }), ...cols.map((c) => cell(p.proposals!, c.key, p.base_text)), cur));
        this.drawCurrent(p.id);
      }
      for (const pr of s.proposals!.filter((x) => x.status !== "withdrawn")) {
        rows.push(el("tr", { class: "addrow" }, el("th", { scope: "row", text: pr.label ?? "" }), el("td"), ...cols.map((c) => cell([pr], c.key)), el("td")));
      }
    }
    replace(
      this.wrap,
      el("h1", { class: "title", dir: "auto", text: m.doc.title }),
      el(
        "table",
        { class: "compare" },
        el("caption", { text: "Comparison table: the original, each proposer's text, and the working text" }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), el("th", { scope: "col", text: "Original" }), ...cols.map((c) => el("th", { scope: "col", text: c.name })), el("th", { scope: "col", text: "Working text" }))),
        el("tbody", {}, ...rows),
      ),
    );
    performance.mark("draftroom:editable");
    document.body.dataset.ready = "true";
  }

  private drawCurrent(id: string): void {
    const t = this.live.machine.paras.get(id);
    const td = this.current.get(id);
    if (t && td) renderText(td, t.text, t.runs);
  }

  protected drawText(para: string): void {
    this.drawCurrent(para);
  }

  protected drawChange(c: ModelChange): void {
    if (c.kind !== "focus" && c.kind !== "none" && c.kind !== "notes") this.drawAll();
  }
}
