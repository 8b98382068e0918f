// MODs shown as changes: a word-level redline of a proposal against the
// paragraph's original text, as the server's compilation export draws it
// (export.Redline): removed words struck through before the words that
// replace them, which are underlined; a word or two in common between two
// changes joins them; a proposal that shares less than a third of its
// text with the original shows as a replacement.
import { el } from "./dom";

export type Piece = { op: "=" | "+" | "-"; text: string };

/** The diff bound: beyond it a paragraph is shown as replaced, not diffed. */
const maxCells = 4_000_000;

/** tokens splits text into words, runs of white space, and single other characters; CJK characters stand alone. */
export function tokens(s: string): string[] {
  const out: string[] = [];
  const cls = (c: string): string => {
    if (/\s/u.test(c)) return "s";
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(c)) return "c";
    if (/[\p{L}\p{N}\p{M}\u200d]/u.test(c)) return "w";
    return "p";
  };
  let cur = "";
  let curCls = "";
  for (const c of Array.from(s)) {
    const k = cls(c);
    if (cur && k === curCls && (k === "w" || k === "s")) {
      cur += c;
      continue;
    }
    if (cur) out.push(cur);
    cur = c;
    curCls = k;
  }
  if (cur) out.push(cur);
  return out;
}

/** diffWords compares two texts word by word (a longest common subsequence). */
export function diffWords(a: string, b: string): Piece[] {
  const x = tokens(a);
  const y = tokens(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xm = x.slice(pre, x.length - suf);
  const ym = y.slice(pre, y.length - suf);
  const steps: Piece[] = x.slice(0, pre).map((t) => ({ op: "=", text: t }));
  const n = xm.length;
  const m = ym.length;
  if (n * m > maxCells) {
    xm.forEach((t) => steps.push({ op: "-", text: t }));
    ym.forEach((t) => steps.push({ op: "+", text: t }));
  } else {
    const w = m + 1;
    const lcs = new Int32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = xm[i] === ym[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && xm[i] === ym[j]) {
        steps.push({ op: "=", text: ym[j] });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
        steps.push({ op: "+", text: ym[j++] });
      } else {
        steps.push({ op: "-", text: xm[i++] });
      }
    }
  }
  x.slice(x.length - suf).forEach((t) => steps.push({ op: "=", text: t }));
  const out: Piece[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && last.op === s.op) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

const smallEqual = (s: string): boolean => s.trim().split(/\s+/u).filter(Boolean).length <= 2 && Array.from(s.trim()).length <= 8;

/** redline is the redline of proposed against original, in reading order. */
export function redline(original: string, proposed: string): Piece[] {
  const segs = diffWords(original, proposed);
  let common = 0;
  const both = new Set<number>();
  segs.forEach((s, i) => {
    if (s.op !== "=") return;
    if (i > 0 && i < segs.length - 1 && smallEqual(s.text)) both.add(i);
    else common += Array.from(s.text).length;
  });
  if (3 * common < Array.from(proposed).length) {
    return [
      { op: "-", text: original },
      { op: "+", text: proposed },
    ].filter((p) => p.text !== "") as Piece[];
  }
  const out: Piece[] = [];
  let del = "";
  let ins = "";
  const push = (op: Piece["op"], text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  const flush = () => {
    push("-", del);
    push("+", ins);
    del = ins = "";
  };
  segs.forEach((s, i) => {
    if (s.op === "+") ins += s.text;
    else if (s.op === "-") del += s.text;
    else if (both.has(i)) {
      del += s.text;
      ins += s.text;
    } else {
      flush();
      push("=", s.text);
    }
  });
  flush();
  return out;
}

/** redlineNode renders a MOD as changes to the original: <del> and <ins>, as text only. */
export function redlineNode(original: string, proposed: string, cls = "redline"): HTMLElement {
  return el(
    "span",
    { class: cls, dir: "auto" },
    ...redline(original, proposed).map((p) => (p.op === "=" ? p.text : el(p.op === "+" ? "ins" : "del", { text: p.text }))),
  );
}
