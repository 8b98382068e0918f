// History and versions, as a full-width page: the op log (who did what,
// when), the text at any point of it (a slider over seq, the read API's
// /at/{seq}), the frozen versions with a button that checks each one's
// hash, and the comparison of two points (versions or the current text),
// grouped by section.
import { ApiError, diff, documentAt, getDocument, history, verify, versions, type Version } from "./api";
import { authorClass } from "./colors";
import { el, replace, setText } from "./dom";
import { STATUS_LABEL } from "./paraview";
import type { Document, Session, WireOp } from "./protocol";
import { renderText } from "./render";
import { Shell } from "./shell";
import { describeOp } from "./textop";

const PAGE = 100;

interface Segment {
  op: "equal" | "insert" | "delete";
  text: string;
  authors?: string[];
  /** Who deleted a deleted segment (the op log says; authors wrote it). */
  deleted_by?: string[];
}

/** segmentTitle says who wrote a changed segment and, for a deletion, who deleted it. */
export function segmentTitle(s: Segment): string {
  const by = s.authors?.length ? `Written by ${s.authors.join(", ")}` : "";
  const del = s.deleted_by?.length ? `deleted by ${s.deleted_by.join(", ")}` : "";
  return [by, del].filter(Boolean).join("; ");
}
interface ParaRef {
  para: string;
  label: string;
  section?: string;
  heading?: string;
  text?: string;
}
export interface Diff {
  changed?: (ParaRef & { segments: Segment[] })[];
  added?: ParaRef[];
  removed?: ParaRef[];
  moved?: (ParaRef & { from_index: number; to_index: number })[];
  status_changes?: (ParaRef & { from: string; to: string })[];
}

export class HistoryPage {
  readonly shell: Shell;
  private doc: Document | null = null;
  private seq = 0;
  private oldest = 0; // the lowest seq listed
  private readonly ops = el("tbody", {});
  private readonly more = el("button", { type: "button", class: "btn", hidden: true }, "Older ops") as HTMLButtonElement;
  private readonly slider = el("input", { type: "range", min: 0, max: 0, step: 1, value: 0, "aria-label": "Show the text at this seq" }) as HTMLInputElement;
  private readonly atLabel = el("span", { class: "atlabel", role: "status" });
  private readonly atDoc = el("div", { class: "atdoc", "aria-label": "The text at that point" });
  private readonly versionsEl = el("tbody", {});
  private readonly from = el("select", { "aria-label": "Compare from" }) as HTMLSelectElement;
  private readonly to = el("select", { "aria-label": "Compare to" }) as HTMLSelectElement;
  private readonly out = el("div", { class: "diff", role: "region", "aria-label": "Differences" });
  private readonly msg = el("p", { class: "result", role: "status" });
  private timer = 0;
  private shown = -1;

  constructor(
    readonly docId: string,
    sess: Session,
  ) {
    this.shell = new Shell(docId, sess, "history");
    this.shell.conn.hidden = true; // not a live page
    const btn = (text: string, on: () => void) => el("button", { type: "button", class: "btn", onclick: on }, text);
    this.slider.addEventListener("input", () => this.atSoon(Number(this.slider.value)));
    this.more.addEventListener("click", () => void this.older());
    this.shell.main.appendChild(
      el(
        "div",
        { class: "histpage" },
        el("h1", { class: "title", text: "History and versions" }),
        el(
          "section",
          { class: "panel compareview" },
          el("h2", { text: "Compare" }),
          el("div", { class: "row" }, this.from, el("span", { text: "→" }), this.to, btn("Compare", () => void this.compare())),
          this.msg,
          this.out,
        ),
        el(
          "section",
          { class: "panel" },
          el("h2", { text: "Frozen versions" }),
          el("table", { class: "htable versiontable" }, el("thead", {}, el("tr", {}, ...["Version", "Seq", "Frozen", "SHA-256", ""].map((h) => el("th", { scope: "col", text: h })))), this.versionsEl),
        ),
        el(
          "div",
          { class: "histcols" },
          el(
            "section",
            { class: "panel oplog" },
            el("h2", { text: "Every change" }),
            el("p", { class: "hint", text: "Newest first. Pick one to see the text just after it." }),
            el("table", { class: "htable ops" }, el("thead", {}, el("tr", {}, ...["Seq", "When", "Who", "What"].map((h) => el("th", { scope: "col", text: h })))), this.ops),
            this.more,
          ),
          el(
            "section",
            { class: "panel attext" },
            el("h2", { text: "The text at a point in time" }),
            el("div", { class: "row slider" }, btn("◀", () => this.stepAt(-1)), this.slider, btn("▶", () => this.stepAt(1)), this.atLabel),
            this.atDoc,
          ),
        ),
      ),
    );
  }

  start(): void {
    delete document.body.dataset.ready;
    void this.load();
  }

  destroy(): void {
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    try {
      this.doc = await getDocument(this.docId);
    } catch (e) {
      setText(this.msg, `Could not load the document: ${(e as Error).message}`);
      return;
    }
    this.seq = this.doc.seq;
    document.title = `History — ${this.doc.title} — Draftroom`;
    this.slider.max = String(this.seq);
    this.slider.value = String(this.seq);
    this.oldest = this.seq + 1;
    await Promise.all([this.older(), this.loadVersions(), this.at(this.seq)]);
    document.body.dataset.ready = "true";
  }

  /** older lists the next page of ops, going back. */
  private async older(): Promise<void> {
    if (this.oldest <= 1) return;
    const from = Math.max(0, this.oldest - 1 - PAGE);
    let ops: WireOp[];
    try {
      ops = (await history(this.docId, from, this.oldest - 1 - from)).ops ?? [];
    } catch (e) {
      setText(this.msg, `Could not load the history: ${(e as Error).message}`);
      return;
    }
    this.oldest = from + 1;
    for (const op of ops.reverse()) this.ops.appendChild(this.opRow(op));
    this.more.hidden = this.oldest <= 1;
  }

  private opRow(op: WireOp): HTMLElement {
    const who = op.author === "chair" ? "Chair" : op.author || op.delegation || "—";
    const tr = el(
      "tr",
      { "data-seq": op.seq, tabindex: 0 },
      el("td", { class: "num", text: String(op.seq) }),
      el("td", { class: "when", text: when(op.at ?? "") }),
      el("td", {}, op.author && op.author !== "original" ? el("span", { class: "swatch au " + authorClass(op.author), text: who }) : who),
      el("td", { dir: "auto", text: this.describe(op) }),
    );
    const pick = () => {
      this.slider.value = String(op.seq);
      void this.at(op.seq);
    };
    tr.addEventListener("click", pick);
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter") pick();
    });
    return tr;
  }

  /** describe says what an op did, in words. */
  private describe(op: WireOp): string {
    const d = op.data ?? {};
    const para = typeof d.para === "string" ? d.para : op.para;
    const where = para ? " in " + this.labelOf(para) : "";
    switch (op.kind) {
      case "text": {
        const t = describeOp(op.op ?? []);
        const typed = t.inserted ? `typed “${t.inserted.length > 80 ? t.inserted.slice(0, 80) + "…" : t.inserted}”` : "";
        const del = t.deleted ? `deleted ${t.deleted} character${t.deleted === 1 ? "" : "s"}` : "";
        return [typed, del].filter(Boolean).join(", ") + where;
      }
      case "status":
        return `status${where}: ${STATUS_LABEL[String(d.status)] ?? d.status}`;
      case "focus":
        return `focus on${where.replace(" in", "")}${d.focus_proposal ? ", with a proposal on the screen" : ""}`;
      case "floor.request":
        return `asked for the floor${where.replace(" in", " on")}`;
      case "floor.withdraw":
        return `removed ${d.delegation}'s request for the floor`;
      case "floor.give":
        return `gave the floor to ${d.delegation}`;
      case "floor.close":
        return "closed the floor";
      case "floor.mode":
        return d.only ? "switched floor-only typing on" : "switched floor-only typing off";
      case "version.freeze": {
        const v = d.version as { label?: string } | undefined;
        return `froze version ${v?.label ?? ""}`.trim();
      }
      case "proposal.assign": {
        const pr = d.proposal as { action?: string; ref?: string; proposer?: string; proposer_name?: string } | undefined;
        return `assigned ${[pr?.action, pr?.ref].filter(Boolean).join(" ")} to ${pr?.proposer_name || pr?.proposer || "?"}${where}`;
      }
      case "brackets.keep":
        return `kept alternative ${Number(d.alternative ?? 0) + 1} of a bracket group${where}`;
      case "brackets.accept":
        return `accepted a bracket group${where}`;
      case "brackets.drop":
        return `dropped a bracket group${where}`;
      case "proposal.reopen":
        return `reopened a rejected proposal${where}`;
      case "proposal.unmerge":
        return `undid a merge${where}`;
      default:
        return op.kind.replace(".", " ") + where;
    }
  }

  private labelOf(para: string): string {
    for (const s of this.doc?.sections ?? []) for (const p of s.paragraphs ?? []) if (p.id === para) return `${s.heading} ${p.label}`.trim();
    return "a paragraph since deleted";
  }

  private stepAt(dir: 1 | -1): void {
    const v = Math.max(0, Math.min(this.seq, Number(this.slider.value) + dir));
    this.slider.value = String(v);
    void this.at(v);
  }

  private atSoon(seq: number): void {
    setText(this.atLabel, `seq ${seq} of ${this.seq}`);
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.at(seq), 150);
  }

  /** at shows the text as it was at seq. */
  private async at(seq: number): Promise<void> {
    setText(this.atLabel, `seq ${seq} of ${this.seq}`);
    let d: Document;
    try {
      d = await documentAt(this.docId, seq);
    } catch (e) {
      setText(this.atLabel, `seq ${seq}: ${(e as Error).message}`);
      return;
    }
    if (Number(this.slider.value) !== seq) return; // moved on meanwhile
    this.shown = seq;
    for (const tr of this.ops.querySelectorAll("tr.here")) tr.classList.remove("here");
    this.ops.querySelector(`tr[data-seq="${seq}"]`)?.classList.add("here");
    replace(
      this.atDoc,
      el("h3", { class: "title", dir: "auto", text: d.title }),
      ...(d.sections ?? []).map((s) =>
        el(
          "section",
          { class: "sec sec-" + s.kind },
          el("h4", { class: "sh", dir: "auto", text: s.heading }),
          ...(s.paragraphs ?? []).map((p) => {
            const t = el("div", { class: "ptext", dir: "auto" });
            renderText(t, p.text, p.authors ?? []);
            return el("div", { class: "para st-" + p.status, "data-para": p.id }, el("span", { class: "plabel", text: p.label }), t);
          }),
        ),
      ),
    );
    document.body.dataset.shownSeq = String(this.shown);
  }

  private async loadVersions(): Promise<void> {
    let vs: Version[] = [];
    try {
      const r = await versions(this.docId);
      vs = Array.isArray(r) ? r : (r.versions ?? []);
    } catch {
      // no versions endpoint: nothing to list
    }
    const key = (x: Version) => String(x.label || x.seq || "");
    replace(
      this.versionsEl,
      ...(vs.length
        ? vs.map((x) => {
            const result = el("span", { class: "verify", role: "status" });
            const check = async () => {
              setText(result, "Checking…");
              try {
                const r = await verify(this.docId, key(x));
                setText(result, r.valid ? "✓ Intact: the content matches its hash" : `✗ Altered: the content's hash is ${r.sha256.slice(0, 12)}…`);
                result.className = "verify " + (r.valid ? "good" : "bad");
              } catch (e) {
                setText(result, `Could not check: ${e instanceof ApiError ? e.message : (e as Error).message}`);
              }
            };
            return el(
              "tr",
              {},
              el("th", { scope: "row", dir: "auto", text: x.label || "(no label)" }),
              el("td", { class: "num", text: String(x.seq ?? "") }),
              el("td", { text: x.created_at ? when(String(x.created_at)) : "" }),
              el("td", {}, x.sha256 ? el("code", { title: String(x.sha256), text: String(x.sha256).slice(0, 16) + "…" }) : null),
              el(
                "td",
                {},
                el("button", { type: "button", class: "btn small", onclick: () => void check() }, "Verify"),
                " ",
                el("button", { type: "button", class: "btn small", onclick: () => this.showSeq(Number(x.seq)) }, "Show text"),
                " ",
                result,
              ),
            );
          })
        : [el("tr", {}, el("td", { colspan: 5, class: "hint", text: "No version frozen yet." }))]),
    );
    const opts = () => vs.map((x) => el("option", { value: key(x), text: x.label || key(x) }));
    replace(this.from, ...opts());
    replace(this.to, ...opts(), el("option", { value: "", text: "Current text" }));
    this.to.value = "";
  }

  private showSeq(seq: number): void {
    if (!Number.isFinite(seq)) return;
    this.slider.value = String(seq);
    void this.at(seq);
    this.atDoc.scrollIntoView({ block: "start" });
  }

  private async compare(): Promise<void> {
    if (!this.from.value) return setText(this.msg, "Freeze a version first.");
    setText(this.msg, "Comparing…");
    try {
      const d = (await diff(this.docId, this.from.value, this.to.value)) as Diff;
      setText(this.msg, "");
      replace(this.out, ...diffView(d, (p) => this.headingOf(p)));
    } catch (e) {
      setText(this.msg, `Could not compare: ${(e as Error).message}`);
    }
  }

  /** headingOf finds a paragraph's section heading in the current text when the diff does not carry it. */
  private headingOf(para: string): string {
    for (const s of this.doc?.sections ?? []) for (const p of s.paragraphs ?? []) if (p.id === para) return s.heading;
    return "";
  }
}

function when(at: string): string {
  const d = new Date(at);
  return isNaN(d.getTime()) ? at : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/**
 * diffView draws a comparison: the changes in each paragraph (words
 * inserted and deleted, with their authors), paragraphs added, removed and
 * moved, and status changes, under the heading of their section.
 */
export function diffView(d: Diff, headingOf: (para: string) => string): HTMLElement[] {
  const items: { heading: string; li: HTMLElement }[] = [];
  const head = (p: ParaRef) => p.heading ?? headingOf(p.para);
  for (const c of d.changed ?? []) {
    items.push({
      heading: head(c),
      li: el(
        "li",
        { dir: "auto" },
        el("strong", { text: (c.label || "¶") + " " }),
        ...c.segments.map((s) => (s.op === "equal" ? s.text : el(s.op === "insert" ? "ins" : "del", { title: segmentTitle(s), text: s.text }))),
      ),
    });
  }
  for (const p of d.added ?? []) items.push({ heading: head(p), li: el("li", { dir: "auto" }, el("strong", { text: `Added ${p.label}: ` }), el("ins", { text: p.text ?? "" })) });
  for (const p of d.removed ?? []) items.push({ heading: head(p), li: el("li", { dir: "auto" }, el("strong", { text: `Removed ${p.label}: ` }), el("del", { text: p.text ?? "" })) });
  for (const p of d.moved ?? []) items.push({ heading: head(p), li: el("li", {}, `Moved ${p.label}`) });
  for (const p of d.status_changes ?? []) items.push({ heading: head(p), li: el("li", {}, `${p.label}: ${STATUS_LABEL[p.from] ?? p.from} → ${STATUS_LABEL[p.to] ?? p.to}`) });
  if (!items.length) return [el("p", { class: "hint", text: "No differences." })];
  const groups = new Map<string, HTMLElement[]>();
  for (const it of items) groups.set(it.heading, [...(groups.get(it.heading) ?? []), it.li]);
  return [...groups].map(([h, lis]) => el("section", { class: "dsec" }, h ? el("h3", { dir: "auto", text: h }) : null, el("ul", {}, ...lis)));
}
