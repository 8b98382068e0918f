// How typing a bracket places white space, as a drafter would: "[" between
// two words gives "practices [and lessons learned] among", not
// "practices[ and lessons learned] among". Pure functions on the text in
// UTF-16 offsets (CodeMirror's), tested under node.

const SPACE = /^\s$/u;
// Scripts written without spaces between words: no space is added there.
const NO_SPACE = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\u3000-\u303f\uff00-\uffef]$/u;
const OPENING = /^[\p{Ps}\p{Pi}]$/u; // ( [ { “ ‘ « …
const CLOSING = /^[\p{Pe}\p{Pf}\p{Po}]$/u; // ) ] } ” ’ » , . ; : ! ? …

/** The code point before offset at ("" at the start). */
function before(text: string, at: number): string {
  if (at <= 0) return "";
  const c = text.charCodeAt(at - 1);
  return c >= 0xdc00 && c <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text.slice(at - 1, at);
}

/** The code point at offset at ("" at the end). */
function after(text: string, at: number): string {
  if (at >= text.length) return "";
  return String.fromCodePoint(text.codePointAt(at)!);
}

const isSpace = (c: string) => c === "" || SPACE.test(c);

/** A word (or a closing mark) ends just before the caret. */
const endsWord = (c: string) => c !== "" && !SPACE.test(c) && !OPENING.test(c) && !NO_SPACE.test(c);
/** A word (or an opening mark) starts just after the caret. */
const startsWord = (c: string) => c !== "" && !SPACE.test(c) && !CLOSING.test(c) && !NO_SPACE.test(c);

export interface Insert {
  changes: { from: number; to?: number; insert: string }[];
  /** The selection after: anchor and head (equal for a caret). */
  anchor: number;
  head: number;
}

/**
 * bracketInsert is what typing "[" does at [from, to): a selection is
 * wrapped in a pair; at a caret, a pair is opened with a space on the side
 * that needs one:
 *   "practices| among" → "practices [|] among"
 *   "practices |among" → "practices [|] among"
 *   "practices|."      → "practices [|]."
 * and no space in the middle of a word, between two spaces, in scripts
 * written without spaces, or beside a bracket group (a pair there is an
 * alternative: "[a][|]").
 */
export function bracketInsert(text: string, from: number, to: number): Insert {
  if (from !== to) {
    return {
      changes: [
        { from, insert: "[" },
        { from: to, insert: "]" },
      ],
      anchor: from + 1,
      head: to + 1,
    };
  }
  const b = before(text, from);
  const a = after(text, from);
  // Next to a bracket group, a new pair is an alternative: "[a][b]".
  if (b === "]" || a === "[") return { changes: [{ from, insert: "[]" }], anchor: from + 1, head: from + 1 };
  if (endsWord(b) && !startsWord(a) && (isSpace(a) || CLOSING.test(a))) return { changes: [{ from, insert: " []" }], anchor: from + 2, head: from + 2 };
  if (startsWord(a) && (isSpace(b) || OPENING.test(b))) return { changes: [{ from, insert: "[] " }], anchor: from + 1, head: from + 1 };
  return { changes: [{ from, insert: "[]" }], anchor: from + 1, head: from + 1 };
}

/**
 * emptyPairDelete is what Backspace does with the caret in an empty pair
 * "[|]": the pair goes, with one space beside it that the typist wrote
 * (own says whose a character is), so "practices [] among" becomes
 * "practices among" again. null when the caret is not in an empty pair.
 */
export function emptyPairDelete(text: string, at: number, own: (offset: number) => boolean): { from: number; to: number } | null {
  if (text[at - 1] !== "[" || text[at] !== "]") return null;
  let from = at - 1;
  let to = at + 1;
  const b = before(text, from);
  const a = after(text, to);
  if (b !== "" && SPACE.test(b) && own(from - 1) && (isSpace(a) || CLOSING.test(a))) from -= 1;
  else if (a !== "" && SPACE.test(a) && own(to) && (isSpace(b) || OPENING.test(b))) to += 1;
  return { from, to };
}
