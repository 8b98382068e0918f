// Square-bracket structure of a paragraph, as the server reads it
// (server/internal/draft/brackets.go), in UTF-16 offsets so the ranges go
// straight into CodeMirror decorations. "[" and "]" are single code units,
// so scanning code units finds the same pairs as scanning code points.
import type { Runs } from "./protocol";
import { authorClass } from "./colors";
import { authorsIn } from "./runs";
import { toCodePoints } from "./textop";

export interface Pair {
  open: number; // offset of "["
  close: number; // offset of the matching "]"
  depth: number;
  parent: number; // index of the enclosing pair, or -1
  group: number; // index in groups
}

/** Adjacent pairs at one depth: alternatives for one place, "[a][b]". */
export interface Group {
  pairs: number[];
  start: number; // offset of the first "["
  end: number; // offset just past the last "]"
  depth: number;
}

export interface Brackets {
  pairs: Pair[];
  groups: Group[];
  /** Offsets of brackets without a partner (an imported text can have them). */
  stray: number[];
}

const WS = /\s/;

export function parseBrackets(text: string): Brackets {
  const pairs: Pair[] = [];
  const stray: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b) {
      const parent = stack.length ? stack[stack.length - 1] : -1;
      stack.push(pairs.length);
      pairs.push({ open: i, close: -1, depth: stack.length - 1, parent, group: -1 });
    } else if (c === 0x5d) {
      const k = stack.pop();
      if (k === undefined) stray.push(i);
      else pairs[k].close = i;
    }
  }
  // Unclosed "[": drop them (and re-parent their children) so what is left
  // is a well-formed structure; they are shown as stray brackets.
  if (stack.length) {
    const cs = text.split("");
    for (const k of stack) cs[pairs[k].open] = " ";
    const b = parseBrackets(cs.join(""));
    b.stray = [...b.stray, ...stack.map((k) => pairs[k].open)].sort((x, y) => x - y);
    return b;
  }
  const groups: Group[] = [];
  const lastAt: number[] = [];
  pairs.forEach((p, k) => {
    const prev = lastAt[p.depth] ?? -1;
    if (prev >= 0 && pairs[prev].close + 1 === p.open) {
      const g = groups[pairs[prev].group];
      g.pairs.push(k);
      g.end = p.close + 1;
      p.group = pairs[prev].group;
    } else {
      p.group = groups.length;
      groups.push({ pairs: [k], start: p.open, end: p.close + 1, depth: p.depth });
    }
    lastAt[p.depth] = k;
    lastAt.length = p.depth + 1; // deeper pairs belong to another parent
  });
  return { pairs, groups, stray };
}

/** Top-level groups: what is still to settle; 0 means the paragraph may be agreed. */
export function openGroups(b: Brackets): number {
  return b.groups.filter((g) => g.depth === 0).length;
}

/** Innermost pair strictly containing pos (open < pos <= close), or -1. */
export function enclosingPair(b: Brackets, pos: number): number {
  let best = -1;
  b.pairs.forEach((p, k) => {
    if (p.open < pos && pos <= p.close && (best < 0 || p.depth > b.pairs[best].depth)) best = k;
  });
  return best;
}

/** Proposers of a group: the authors of its text, brackets included. */
export function groupAuthors(text: string, runs: Runs, g: Group): string[] {
  return authorsIn(runs, toCodePoints(text, g.start), toCodePoints(text, g.end)).filter((a) => a !== "original");
}

/** One styled stretch of a paragraph, in UTF-16 offsets. */
export interface Span {
  from: number;
  to: number;
  cls: string;
  title?: string;
  /** A tag shown after the range (CSS ::after, so not part of the text). */
  tag?: string;
}

/**
 * decorationRanges lists what a paragraph shows: author colour runs
 * ("au-<author>"), bracket groups ("br br-d<depth>", "br-alt" for
 * alternatives, with their proposers as title), the bracket characters
 * ("bk") and stray brackets ("bk-stray"). The closing bracket of each
 * top-level pair carries the codes of the pair's authors as a tag
 * ("tg tg-c<n>"), so colour is never the only sign of whose words they are. Ranges are sorted by from, then
 * outermost first, as CodeMirror's RangeSetBuilder wants them.
 */
export function decorationRanges(text: string, runs: Runs, b: Brackets = parseBrackets(text)): Span[] {
  const out: Span[] = [];
  // Author runs, converted to UTF-16 offsets.
  let at = 0;
  for (const [n, author] of runs) {
    let end = at;
    for (let k = 0; k < n && end < text.length; k++) {
      const c = text.charCodeAt(end);
      end += c >= 0xd800 && c <= 0xdbff && end + 1 < text.length ? 2 : 1;
    }
    // The tint covers the words, not white space at the run's edges (the
    // space typed before a new pair).
    let from = at;
    let to = end;
    while (from < to && WS.test(text[from])) from++;
    while (to > from && WS.test(text[to - 1])) to--;
    if (author !== "original" && to > from) out.push({ from, to, cls: "au " + authorClass(author) });
    at = end;
  }
  for (const g of b.groups) {
    const who = groupAuthors(text, runs, g);
    const alt = g.pairs.length > 1 ? " br-alt" : "";
    const title = who.length ? "Proposed by " + who.map(displayAuthor).join(", ") : "Bracketed text";
    for (const k of g.pairs) {
      const p = b.pairs[k];
      out.push({ from: p.open, to: p.close + 1, cls: `br br-d${Math.min(p.depth, 3)}${alt}`, title });
      out.push({ from: p.open, to: p.open + 1, cls: "bk" });
      const tag = p.depth === 0 ? pairTag(text, runs, p) : null;
      out.push(tag ? { from: p.close, to: p.close + 1, cls: "bk tg " + tag.cls, tag: tag.text } : { from: p.close, to: p.close + 1, cls: "bk" });
    }
  }
  for (const s of b.stray) out.push({ from: s, to: s + 1, cls: "bk-stray", title: "Unmatched bracket" });
  out.sort((x, y) => x.from - y.from || y.to - x.to);
  return out;
}

/**
 * pairTag names a pair's authors (not the original text) by code, "Chair"
 * for the chair, coloured as the first delegation among them.
 */
export function pairTag(text: string, runs: Runs, p: Pair): { text: string; cls: string } | null {
  const who = authorsIn(runs, toCodePoints(text, p.open), toCodePoints(text, p.close + 1)).filter((a) => a !== "original");
  if (!who.length) return null;
  const lead = who.find((a) => a !== "chair") ?? "chair";
  return { text: who.map((a) => (a === "chair" ? "Chair" : a)).join(" "), cls: "tg-" + authorClass(lead).slice(3) };
}

export function displayAuthor(a: string): string {
  return a === "chair" ? "the Chair" : a;
}
