import assert from "node:assert/strict";
import { test } from "node:test";
import { findAll } from "../src/search";

const hits = (text: string, q: string) => findAll(text, q).map((m) => text.slice(m.from, m.to));

test("search ignores case and accents, and maps back to the text", () => {
  assert.deepEqual(hits("Résolution on early warning; RESOLUTION 2", "resolution"), ["Résolution", "RESOLUTION"]);
  assert.deepEqual(hits("the Sectors' work", "SECTORS"), ["Sectors"]);
  assert.deepEqual(findAll("aaaa", "aa"), [
    { from: 0, to: 2 },
    { from: 2, to: 4 },
  ]);
  assert.deepEqual(hits("abc", " "), []);
  assert.deepEqual(hits("abc", "x"), []);
});

test("search in Arabic, Chinese, Cyrillic and with emoji", () => {
  assert.deepEqual(hits("الإنذار المبكر", "المبكر"), ["المبكر"]);
  assert.deepEqual(hits("早期预警系统", "预警"), ["预警"]);
  assert.deepEqual(hits("Раннее ПРЕДУПРЕЖДЕНИЕ", "предупреждение"), ["ПРЕДУПРЕЖДЕНИЕ"]);
  assert.deepEqual(hits("alerts 😀 now 😀", "😀 now"), ["😀 now"]);
  // A decomposed accent in the text still matches.
  assert.deepEqual(hits("Re\u0301sume\u0301", "resume"), ["Re\u0301sume\u0301"]);
});
