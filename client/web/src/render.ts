// Read-only rendering of a paragraph: the same classes the editor's
// decorations use, as flat spans of text (never HTML).
import { decorationRanges } from "./brackets";
import type { Runs } from "./protocol";

export function renderText(target: HTMLElement, text: string, runs: Runs): void {
  const spans = decorationRanges(text, runs);
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(s.from);
    cuts.add(s.to);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i];
    const to = points[i + 1];
    const piece = text.slice(from, to);
    const cover = spans.filter((s) => s.from <= from && s.to >= to);
    if (!cover.length) {
      frag.appendChild(document.createTextNode(piece));
      continue;
    }
    const span = document.createElement("span");
    span.className = cover.map((s) => s.cls).join(" ");
    // The innermost titled range (the last one to start) names the proposers.
    const titled = cover.filter((s) => s.title);
    if (titled.length) span.title = titled[titled.length - 1].title!;
    const tagged = cover.find((s) => s.tag);
    if (tagged) span.dataset.tag = tagged.tag;
    span.textContent = piece;
    frag.appendChild(span);
  }
  while (target.firstChild) target.removeChild(target.firstChild);
  target.appendChild(frag);
}
