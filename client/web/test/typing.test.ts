import assert from "node:assert/strict";
import { test } from "node:test";
import { bracketInsert, emptyPairDelete } from "../src/typing";

/** type applies "[" at the "|" in s and shows the caret as "|". */
function type(s: string): string {
  const at = s.indexOf("|");
  const text = s.replace("|", "");
  const ins = bracketInsert(text, at, at);
  let out = text;
  for (const c of [...ins.changes].reverse()) out = out.slice(0, c.from) + c.insert + out.slice(c.to ?? c.from);
  return out.slice(0, ins.head) + "|" + out.slice(ins.head);
}

test("[ between words opens a pair spaced as a drafter would", () => {
  assert.equal(type("best practices| among"), "best practices [|] among");
  assert.equal(type("best practices |among"), "best practices [|] among");
  // Typing the words then gives practices [and lessons learned] among.
  assert.equal(type("of the Sectors|."), "of the Sectors [|].");
  assert.equal(type("|Member States"), "[|] Member States");
  assert.equal(type("report annually|"), "report annually [|]");
  assert.equal(type("(|the ITU)"), "([|] the ITU)");
});

test("no space where none belongs", () => {
  assert.equal(type("prac|tices"), "prac[|]tices"); // in a word
  assert.equal(type("practices | among"), "practices [|] among"); // between two spaces
  assert.equal(type("[restored]|[strengthened]"), "[restored][|][strengthened]");
  assert.equal(type("[restored]| among"), "[restored][|] among"); // an alternative
  assert.equal(type("among |[x]"), "among [|][x]");
  assert.equal(type("|"), "[|]");
});

test("other scripts: Arabic and Cyrillic are spaced, Chinese is not", () => {
  assert.equal(type("الإنذار| المبكر"), "الإنذار [|] المبكر");
  assert.equal(type("раннего |предупреждения"), "раннего [|] предупреждения");
  assert.equal(type("预警|系统"), "预警[|]系统");
  assert.equal(type("早期预警|。"), "早期预警[|]。");
  assert.equal(type("alerts 😀| now"), "alerts 😀 [|] now");
});

test("a selection is wrapped, unspaced", () => {
  const ins = bracketInsert("best practices among", 5, 14);
  assert.deepEqual(ins.changes, [
    { from: 5, insert: "[" },
    { from: 14, insert: "]" },
  ]);
  assert.deepEqual([ins.anchor, ins.head], [6, 15]);
});

test("Backspace in an empty pair takes the pair and the space typed with it", () => {
  const mine = (text: string, owned: number[]) => (i: number) => owned.includes(i);
  // "practices [] among": the space before "[" is the typist's.
  assert.deepEqual(emptyPairDelete("practices [] among", 11, mine("", [9, 10, 11])), { from: 9, to: 12 });
  // "practices [] among" where the space after "]" is the typist's.
  assert.deepEqual(emptyPairDelete("practices [] among", 11, mine("", [10, 11, 12])), { from: 10, to: 13 });
  // Nobody's space is the typist's: only the pair goes.
  assert.deepEqual(emptyPairDelete("practices [] among", 11, () => false), { from: 10, to: 12 });
  assert.equal(emptyPairDelete("practices [x] among", 11, () => true), null);
  assert.deepEqual(emptyPairDelete("[] among", 1, (i) => i <= 2), { from: 0, to: 3 });
});
