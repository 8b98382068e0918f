// Search in the text, the proposals and the notes: every hit highlighted
// (the CSS Custom Highlight API, so the editors' DOM is never touched),
// next and previous. Matching ignores case and accents ("resolve" finds
// "Résolve"); findAll is pure and tested under node.
import { el } from "./dom";

/** fold is how a character is compared: lower case, without its accents. */
function fold(ch: string): string {
  return ch.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/**
 * findAll returns the [from, to) UTF-16 ranges of text matching query,
 * ignoring case and accents, without overlaps.
 */
export function findAll(text: string, query: string): { from: number; to: number }[] {
  const q = [...query.trim()].map(fold).join("");
  if (!q) return [];
  let folded = "";
  const at: number[] = []; // folded offset → original offset
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) at.push(i);
    folded += f;
    i += ch.length;
  }
  at.push(text.length);
  const out: { from: number; to: number }[] = [];
  for (let k = folded.indexOf(q); k >= 0; k = folded.indexOf(q, k + q.length)) {
    const from = at[k];
    const last = at[k + q.length - 1];
    let to = last + String.fromCodePoint(text.codePointAt(last)!).length;
    // Marks that follow (a decomposed accent) belong to the hit.
    while (to < text.length && /\p{M}/u.test(String.fromCodePoint(text.codePointAt(to)!))) to += String.fromCodePoint(text.codePointAt(to)!).length;
    if (!out.length || from >= out[out.length - 1].to) out.push({ from, to });
  }
  return out;
}

/** The text nodes of a unit, with where each starts in the unit's text. */
function textNodes(unit: Element): { node: Text; start: number }[] {
  const out: { node: Text; start: number }[] = [];
  const walk = document.createTreeWalker(unit, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => ((n.parentElement?.closest(".cm-announced, .fold, button, .prop-ctl") ?? null) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let pos = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    out.push({ node: n as Text, start: pos });
    pos += (n as Text).data.length;
  }
  return out;
}

function point(nodes: { node: Text; start: number }[], offset: number, end: boolean): [Text, number] {
  for (let i = 0; i < nodes.length; i++) {
    const { node, start } = nodes[i];
    const len = node.data.length;
    if (offset < start + len || (end && offset === start + len) || i === nodes.length - 1) return [node, Math.min(len, Math.max(0, offset - start))];
  }
  throw new Error("no text");
}

export interface Hit {
  unit: Element;
  range: Range;
}

/** rangesIn finds query in the units, in document order. */
export function rangesIn(units: Element[], query: string): Hit[] {
  const out: Hit[] = [];
  for (const unit of units) {
    const nodes = textNodes(unit);
    if (!nodes.length) continue;
    const text = nodes.map((n) => n.node.data).join("");
    for (const m of findAll(text, query)) {
      const r = document.createRange();
      r.setStart(...point(nodes, m.from, false));
      r.setEnd(...point(nodes, m.to, true));
      out.push({ unit, range: r });
    }
  }
  return out;
}

const highlights = (): HighlightRegistry | null => (typeof CSS !== "undefined" && "highlights" in CSS ? CSS.highlights : null);

/** show highlights the hits, the current one apart. */
export function showHits(hits: Hit[], current: number): void {
  const reg = highlights();
  if (!reg) return;
  reg.set("search", new Highlight(...hits.filter((_, i) => i !== current).map((h) => h.range)));
  if (hits[current]) reg.set("search-current", new Highlight(hits[current].range));
  else reg.delete("search-current");
}

export function clearHits(): void {
  const reg = highlights();
  reg?.delete("search");
  reg?.delete("search-current");
}

/**
 * SearchBar is the search box: Enter and Shift+Enter (or F3 and Shift+F3
 * anywhere) step through the hits; Escape clears.
 */
export class SearchBar {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private hits: Hit[] = [];
  private cur = -1;
  private timer = 0;

  constructor(
    private readonly units: () => Element[],
    private readonly onJump: (hit: Hit) => void,
  ) {
    this.input = el("input", { type: "search", class: "search", placeholder: "Search text, proposals, notes", "aria-label": "Search the text, the proposals and the notes", spellcheck: "false" }) as HTMLInputElement;
    this.count = el("span", { class: "scount", role: "status", "aria-live": "polite" });
    const btn = (text: string, label: string, dir: 1 | -1) => el("button", { type: "button", class: "btn small", "aria-label": label, title: label, onclick: () => this.go(dir) }, text);
    this.el = el("div", { class: "searchbar", role: "search" }, this.input, btn("↑", "Previous hit (Shift+Enter)", -1), btn("↓", "Next hit (Enter)", 1), this.count);
    this.input.addEventListener("input", () => this.run(false));
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.go(e.shiftKey ? -1 : 1);
      } else if (e.key === "Escape") {
        this.input.value = "";
        this.run(false);
      }
    });
  }

  get query(): string {
    return this.input.value.trim();
  }

  /** run finds the hits again; keep stays on the same hit (the text changed), else the first. */
  run(keep: boolean): void {
    const old = this.hits[this.cur];
    this.hits = this.query ? rangesIn(this.units(), this.query) : [];
    if (keep && old) {
      const i = this.hits.findIndex((h) => h.unit === old.unit && h.range.compareBoundaryPoints(Range.START_TO_START, old.range) >= 0);
      this.cur = i >= 0 ? i : Math.min(this.cur, this.hits.length - 1);
    } else this.cur = this.hits.length ? 0 : -1;
    this.draw();
    if (!keep && this.hits.length) this.onJump(this.hits[this.cur]);
  }

  /** refresh finds the hits again after the text changed, a moment later. */
  refresh(): void {
    if (!this.query) return;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.run(true), 250);
  }

  go(dir: 1 | -1): void {
    if (!this.hits.length) return this.run(false);
    this.cur = (this.cur + dir + this.hits.length) % this.hits.length;
    this.draw();
    this.onJump(this.hits[this.cur]);
  }

  private draw(): void {
    if (!this.query) {
      this.count.textContent = "";
      clearHits();
      return;
    }
    this.count.textContent = this.hits.length ? `${this.cur + 1} of ${this.hits.length}` : "No match";
    this.count.classList.toggle("none", !this.hits.length);
    showHits(this.hits, this.cur);
  }

  destroy(): void {
    clearTimeout(this.timer);
    clearHits();
  }
}
