// Delegation colours. A delegation's colour depends on its code alone, by
// the rule and the palette in server/internal/palette/palette.json, which
// the HTML export uses too: the same delegation is the same colour on
// every screen and on paper. The classes' rules are generated from that
// file by build.mjs (no inline styles): .au-cN (text) and .tg-cN (a
// bracket's delegation tag).
import { colours, groups as groupIndex } from "../../../server/internal/palette/palette.json";

const groups: Record<string, number> = groupIndex;
const hashed = colours.map((_, i) => i).filter((i) => !Object.values(groups).includes(i));
const utf8 = new TextEncoder();

/** The number of delegation colours. */
export const PALETTE_SIZE = colours.length;

/** hash: FNV-1a over the UTF-8 bytes, mixed by MurmurHash3's finalizer (as the server). */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(s)) {
    h ^= b;
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** colourIndex is a delegation's palette index: a group's own, or the code's hash into the rest. */
export function colourIndex(code: string): number {
  return Object.hasOwn(groups, code) ? groups[code] : hashed[hash(code) % hashed.length];
}

/** The class for an author's text: "au-chair" or "au-c0"…; "" for the original text. */
export function authorClass(author: string): string {
  if (author === "original") return "";
  if (author === "chair") return "au-chair";
  return "au-c" + colourIndex(author);
}

/**
 * authorsOf lists the authors (not "original") with text in the given
 * authorship runs, the chair first, then by code: the legend's order.
 */
export function authorsOf(runsList: Iterable<[number, string][]>): string[] {
  const seen = new Set<string>();
  for (const runs of runsList) for (const [n, a] of runs) if (n > 0 && a !== "original") seen.add(a);
  return [...seen].sort((a, b) => (a === "chair" ? -1 : b === "chair" ? 1 : a.localeCompare(b)));
}
