// Text operations (ot-text-unicode, positions in code points) and their
// conversion to and from CodeMirror's changes (positions in UTF-16 code
// units). unicount is what ot-text-unicode itself counts with, so both
// sides agree on what a code point is, lone surrogates included.
import { type as otTextType } from "ot-text-unicode";
import { strPosToUni, uniToStrPos } from "unicount";
import type { TextOp } from "./protocol";

// The invertibility helpers exist at run time but not in 4.0.0's typings.
const otText = otTextType as typeof otTextType & {
  makeInvertible(op: TextOp, doc: string): TextOp;
  invert(op: TextOp): TextOp;
  stripInvertible(op: TextOp): TextOp;
};

export const apply = (text: string, op: TextOp): string => otText.apply(text, op);
export const compose = (a: TextOp, b: TextOp): TextOp => otText.compose(a, b);
export const normalize = (op: TextOp): TextOp => otText.normalize(op);

/** transform op so it applies after other; side breaks ties at one spot. */
export const transform = (op: TextOp, other: TextOp, side: "left" | "right"): TextOp =>
  otText.transform(op, other, side);

/** Deletes carry their text, so the op can be inverted to roll it back. */
export const makeInvertible = (op: TextOp, text: string): TextOp => otText.makeInvertible(op, text);
export const invert = (op: TextOp): TextOp => otText.invert(op);
/** What goes on the wire: deletes as counts. */
export const stripInvertible = (op: TextOp): TextOp => otText.stripInvertible(op);

/** Length of s in code points. */
export const cpLength = (s: string): number => strPosToUni(s);
/** UTF-16 offset → code point offset in s. */
export const toCodePoints = (s: string, utf16: number): number => strPosToUni(s, utf16);
/** Code point offset → UTF-16 offset in s. */
export const toUtf16 = (s: string, cp: number): number => uniToStrPos(s, cp);

/** Advance n code points in s from UTF-16 offset at; returns the new offset. */
export function advance(s: string, at: number, n: number): number {
  for (; n > 0 && at < s.length; n--) {
    const c = s.charCodeAt(at);
    at += c >= 0xd800 && c <= 0xdbff && at + 1 < s.length ? 2 : 1;
  }
  return at;
}

/** A change in UTF-16 offsets of the old text, as CodeMirror takes them. */
export interface Change {
  from: number;
  to: number;
  insert: string;
}

/**
 * opFromChanges builds the text op for changes (sorted, non-overlapping,
 * in offsets of old) as CodeMirror's iterChanges yields them.
 */
export function opFromChanges(old: string, changes: Change[]): TextOp {
  const op: TextOp = [];
  let pos = 0; // UTF-16 offset in old
  for (const c of changes) {
    if (c.from > pos) op.push(cpLength(old.slice(pos, c.from)));
    if (c.to > c.from) op.push({ d: cpLength(old.slice(c.from, c.to)) });
    if (c.insert) op.push(c.insert);
    pos = c.to;
  }
  return normalize(op);
}

/** changesFromOp turns a text op on old into CodeMirror changes. */
export function changesFromOp(old: string, op: TextOp): Change[] {
  const out: Change[] = [];
  let at = 0; // UTF-16 offset in old
  // Neighbouring inserts and deletes at one spot become one replacement.
  const push = (to: number, insert: string) => {
    const last = out[out.length - 1];
    if (last && last.to === at) {
      last.to = to;
      last.insert += insert;
    } else out.push({ from: at, to, insert });
  };
  for (const c of op) {
    if (typeof c === "number") {
      at = advance(old, at, c);
    } else if (typeof c === "string") {
      if (c) push(at, c);
    } else {
      const end = advance(old, at, typeof c.d === "number" ? c.d : cpLength(c.d));
      push(end, "");
      at = end;
    }
  }
  return out;
}

/** Inserted text of an op, for telling a participant what was not saved. */
export function describeOp(op: TextOp): { inserted: string; deleted: number } {
  let inserted = "";
  let deleted = 0;
  for (const c of op) {
    if (typeof c === "string") inserted += c;
    else if (typeof c === "object") deleted += typeof c.d === "number" ? c.d : cpLength(c.d);
  }
  return { inserted, deleted };
}

/**
 * replaceChange is the one change that turns old into next: the span
 * between their common prefix and suffix (UTF-16 offsets in old), never
 * splitting a surrogate pair; null when they are equal. A frame's worth of
 * remote ops reaches a paragraph's editor as this one change.
 */
export function replaceChange(old: string, next: string): Change | null {
  if (old === next) return null;
  const max = Math.min(old.length, next.length);
  let pre = 0;
  while (pre < max && old.charCodeAt(pre) === next.charCodeAt(pre)) pre++;
  if (pre > 0 && isHigh(old.charCodeAt(pre - 1))) pre--;
  let suf = 0;
  while (suf < max - pre && old.charCodeAt(old.length - 1 - suf) === next.charCodeAt(next.length - 1 - suf)) suf++;
  if (suf > 0 && isLow(old.charCodeAt(old.length - suf))) suf--;
  return { from: pre, to: old.length - suf, insert: next.slice(pre, next.length - suf) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
