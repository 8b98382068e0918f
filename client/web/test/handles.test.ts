import assert from "node:assert/strict";
import { test } from "node:test";
import { Handles, UnknownHandle } from "../src/handles";

test("a welcome's tables and the handles ops define resolve ops in full", () => {
  const h = new Handles();
  h.reset(["p-a", "p-b"], [{ participant: "u1", author: "ARB" }, {}]);
  // A text op by a known person in a known paragraph.
  assert.deepEqual(h.resolve({ seq: 5, p: 1, by: 0, ref: "r1", op: [2, "قرار"] }), {
    seq: 5, kind: "text", para: "p-b", op: [2, "قرار"], ref: "r1", author: "ARB", delegation: "ARB", participant: "u1",
  });
  // An op that defines a new person and a new paragraph (paragraph.insert).
  const ins = h.resolve({ seq: 6, kind: "paragraph.insert", p: 2, pid: "p-c", by: 2, who: { participant: "c1", author: "chair" }, ref: "x", data: { paragraph: { id: "p-c" } } });
  assert.equal(ins.kind, "paragraph.insert");
  assert.equal(ins.author, "chair");
  assert.equal(ins.delegation, "");
  // Both handles are now known.
  const t = h.resolve({ seq: 7, p: 2, by: 2, ref: "y", op: ["决议 👍"] });
  assert.equal(t.para, "p-c");
  assert.equal(t.participant, "c1");
  // An action's paragraph comes from its data; an op by nobody has no author.
  const s = h.resolve({ seq: 8, kind: "status", by: 1, ref: "", data: { para: "p-a", status: "agreed" } });
  assert.equal(s.para, "p-a");
  assert.equal(s.author, "");
  assert.equal(s.participant, undefined);
  // An emptied text op still carries an op.
  assert.deepEqual(h.resolve({ seq: 9, p: 0, by: 0, ref: "z", op: [] }).op, []);
});

test("an unknown handle is an error, and a welcome replaces the tables", () => {
  const h = new Handles();
  h.reset(["p-a"], [{ author: "RUS", participant: "u" }]);
  assert.throws(() => h.resolve({ seq: 1, p: 3, by: 0, op: ["x"] }), UnknownHandle);
  assert.throws(() => h.resolve({ seq: 1, p: 0, by: 4, op: ["x"] }), UnknownHandle);
  h.reset([], []);
  assert.throws(() => h.resolve({ seq: 2, p: 0, by: 0, op: ["x"] }), UnknownHandle);
});
