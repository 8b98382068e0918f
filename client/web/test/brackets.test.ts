import assert from "node:assert/strict";
import { test } from "node:test";
import { decorationRanges, enclosingPair, groupAuthors, openGroups, parseBrackets } from "../src/brackets";
import { authorClass } from "../src/colors";
import { applyRuns } from "../src/runs";

test("pairs, nesting and alternatives", () => {
  const b = parseBrackets("x [a [b][c]] [d]");
  assert.deepEqual(
    b.pairs.map((p) => [p.open, p.close, p.depth]),
    [
      [2, 11],
      [5, 7],
      [8, 10],
      [13, 15],
    ].map(([o, c], i) => [o, c, i === 1 || i === 2 ? 1 : 0]),
  );
  assert.equal(b.groups.length, 3);
  assert.deepEqual(b.groups[1].pairs, [1, 2]); // "[b][c]" are alternatives
  assert.equal(openGroups(b), 2); // as the server counts
  assert.equal(enclosingPair(b, 6), 1);
  assert.equal(enclosingPair(b, 12), -1);
  assert.equal(enclosingPair(b, 11), 0); // caret just before "]" is inside
});

test("stray brackets are reported, the rest still parsed", () => {
  const b = parseBrackets("a] [b [c]");
  assert.deepEqual(b.stray, [1, 3]);
  assert.equal(b.pairs.length, 1);
  assert.equal(b.pairs[0].open, 6);
});

test("decoration ranges in UTF-16 offsets with emoji authorship", () => {
  // "😀 [ok]": the emoji is one code point by "original", then CEPT's group.
  const text = "😀 [ok]";
  const runs: [number, string][] = [
    [2, "original"],
    [4, "CEPT"],
  ];
  const r = decorationRanges(text, runs);
  const cept = authorClass("CEPT");
  assert.deepEqual(
    r.map((s) => [s.from, s.to, s.cls]),
    [
      [3, 7, "au " + cept],
      [3, 7, "br br-d0"],
      [3, 4, "bk"],
      [6, 7, "bk tg tg-c3"],
    ],
  );
  assert.equal(r[1].title, "Proposed by CEPT");
  assert.equal(r[3].tag, "CEPT"); // the code beside the colour
});

test("alternatives and nested groups get their classes and proposers", () => {
  const text = "[a][b [c]]";
  let runs: [number, string][] = [[3, "original"]];
  runs = applyRuns(runs, [3, "[b [c]]"], "BRA");
  const b = parseBrackets(text);
  assert.deepEqual(groupAuthors(text, runs, b.groups[0]), ["BRA"]);
  const br = decorationRanges(text, runs, b).filter((s) => s.cls.startsWith("br"));
  assert.deepEqual(
    br.map((s) => [s.from, s.to, s.cls]),
    [
      [0, 3, "br br-d0 br-alt"],
      [3, 10, "br br-d0 br-alt"],
      [6, 9, "br br-d1"],
    ],
  );
});

test("Arabic text inside brackets", () => {
  const text = "[إنذار][مبكر]";
  const b = parseBrackets(text);
  assert.equal(b.groups.length, 1);
  assert.equal(b.groups[0].end, text.length);
});

test("each top-level pair is tagged with its own authors; nested pairs and the original are not", () => {
  // "[a][b [c]] [x]": BRA wrote "[a]", CEPT "[b [c]]", "[x]" is original.
  const text = "[a][b [c]] [x]";
  const runs: [number, string][] = [
    [3, "BRA"],
    [7, "CEPT"],
    [1, "original"],
    [3, "original"],
  ];
  const tags = decorationRanges(text, runs)
    .filter((s) => s.tag)
    .map((s) => [s.from, s.tag, s.cls]);
  assert.deepEqual(tags, [
    [2, "BRA", "bk tg tg-" + authorClass("BRA").slice(3)],
    [9, "CEPT", "bk tg tg-c3"],
  ]);
  // The chair's words in a delegation's pair: both named, coloured as the delegation.
  const mixed: [number, string][] = [
    [2, "ARB"],
    [2, "chair"],
    [1, "ARB"],
  ];
  const t = decorationRanges("[abc]", mixed).find((s) => s.tag)!;
  assert.equal(t.tag, "ARB Chair");
  assert.equal(t.cls, "bk tg tg-c1");
});

test("the author's tint leaves out white space at the edges of a run", () => {
  // Brazil typed " [x]" after "a": the space is Brazil's but not tinted.
  const r = decorationRanges("a [x]", [
    [1, "original"],
    [4, "BRA"],
  ]).filter((s) => s.cls.startsWith("au "));
  assert.deepEqual(
    r.map((s) => [s.from, s.to]),
    [[2, 5]],
  );
});
