import assert from "node:assert/strict";
import { test } from "node:test";
import { advance, apply, changesFromOp, cpLength, opFromChanges, replaceChange, toCodePoints, toUtf16 } from "../src/textop";

const emoji = "a👍🏽b"; // 👍🏽 is two code points, four UTF-16 units
const arabic = "إنذار مبكر";

test("code point offsets with emoji", () => {
  assert.equal(emoji.length, 6);
  assert.equal(cpLength(emoji), 4);
  assert.equal(toCodePoints(emoji, 5), 3); // before "b"
  assert.equal(toUtf16(emoji, 3), 5);
  assert.equal(toUtf16(emoji, 2), 3); // between the emoji and its skin tone
  assert.equal(advance(emoji, 1, 1), 3);
});

test("code point offsets with Arabic are one to one", () => {
  assert.equal(cpLength(arabic), arabic.length);
  assert.equal(toCodePoints(arabic, 6), 6);
  assert.equal(toUtf16(arabic, 6), 6);
});

test("CodeMirror changes to an op and back, emoji", () => {
  // Replace the emoji with "ok", insert "!" at the end.
  const changes = [
    { from: 1, to: 5, insert: "ok" },
    { from: 6, to: 6, insert: "!" },
  ];
  const op = opFromChanges(emoji, changes);
  assert.deepEqual(op, [1, { d: 2 }, "ok", 1, "!"]);
  assert.equal(apply(emoji, op), "aokb!");
  assert.deepEqual(changesFromOp(emoji, op), changes);
});

test("an op inserting after an emoji lands after it in UTF-16", () => {
  const op = [3, "🎉"]; // code point 3 = after "a👍🏽"
  assert.deepEqual(changesFromOp(emoji, op), [{ from: 5, to: 5, insert: "🎉" }]);
  assert.equal(apply(emoji, op), "a👍🏽🎉b");
});

test("Arabic insertion inside brackets", () => {
  const t = "[" + arabic + "]";
  const op = opFromChanges(t, [{ from: 6, to: 6, insert: "ـ" }]);
  assert.deepEqual(op, [6, "ـ"]);
  assert.deepEqual(changesFromOp(t, op), [{ from: 6, to: 6, insert: "ـ" }]);
});

test("replaceChange: one change from a text to another, never splitting a surrogate pair", () => {
  const cases: [string, string][] = [
    ["", ""],
    ["abc", "abc"],
    ["", "новый"],
    ["текст", ""],
    ["early warning", "early [rapid] warning"],
    ["إنذار مبكر", "إنذار مبكر جداً"],
    ["预警系统", "早期预警系统"],
    ["a👍🏽b", "a👍🏿b"], // the skin tones share their high surrogate
    ["x😀y", "x😁y"],
    ["aaaa", "aa"],
    ["abab", "ab"],
  ];
  for (const [old, next] of cases) {
    const c = replaceChange(old, next);
    if (old === next) {
      assert.equal(c, null);
      continue;
    }
    assert.ok(c);
    assert.equal(old.slice(0, c.from) + c.insert + old.slice(c.to), next, `${old} → ${next}`);
    for (const at of [c.from, c.to]) {
      const code = old.charCodeAt(at);
      assert.ok(!(code >= 0xdc00 && code <= 0xdfff), `${old} → ${next}: a change at ${at} splits a surrogate pair`);
    }
    assert.ok(!/[\ud800-\udbff]$|^[\udc00-\udfff]/.test(c.insert), `${old} → ${next}: the insert ${JSON.stringify(c.insert)} is half a pair`);
  }
  assert.deepEqual(replaceChange("early warning", "early [rapid] warning"), { from: 6, to: 6, insert: "[rapid] " });
});
