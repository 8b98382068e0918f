import assert from "node:assert/strict";
import { test } from "node:test";
import { redline, tokens, type Piece } from "../src/redline";

const show = (ps: Piece[]) => ps.map((p) => (p.op === "+" ? `{+${p.text}+}` : p.op === "-" ? `{-${p.text}-}` : p.text)).join("");

test("a MOD as a redline of the original, as the server draws it", () => {
  const cases: [string, string, string][] = [
    ["to strengthen cooperation among Member States;", "to enhance international cooperation among Member States;", "to {-strengthen-}{+enhance international+} cooperation among Member States;"],
    ["the work of the Sectors on alerting", "the work of the three Sectors on common alerting", "the work of the {+three +}Sectors on{+ common+} alerting"],
    ["that alerts reach everyone;", "that alerts reach everyone;", "that alerts reach everyone;"],
    ["أن الاتصالات ضرورية", "أن الاتصالات ضرورية جداً", "أن الاتصالات ضرورية{+ جداً+}"],
    ["忆及决议", "忆及新决议", "忆及{+新+}决议"],
    ["the convention on relief;", "a wholly different text about spectrum for schools;", "{-the convention on relief;-}{+a wholly different text about spectrum for schools;+}"],
    ["to study the matter carefully and report to the Council", "to review all of the questions carefully and report to the Council", "to {-study the matter-}{+review all of the questions+} carefully and report to the Council"],
  ];
  for (const [a, b, want] of cases) assert.equal(show(redline(a, b)), want, `${a} → ${b}`);
});

test("the pieces spell both texts, emoji and combining marks included", () => {
  const pairs: [string, string][] = [
    ["👩🏽‍💻 joins the group; e\u0301te\u0301", "👩🏽‍💻 leaves the group; été"],
    ["[a][b] text", "[b] text and more"],
    ["", "new"],
    ["old", ""],
  ];
  for (const [a, b] of pairs) {
    const ps = redline(a, b);
    assert.equal(ps.filter((p) => p.op !== "+").map((p) => p.text).join(""), a);
    assert.equal(ps.filter((p) => p.op !== "-").map((p) => p.text).join(""), b);
  }
});

test("tokens: words, spaces, punctuation, one CJK character each", () => {
  assert.deepEqual(tokens("to act, now 决议"), ["to", " ", "act", ",", " ", "now", " ", "决", "议"]);
});
