import assert from "node:assert/strict";
import { test } from "node:test";
import { applyFloorOp, forgetPara, readFloor } from "../src/floor";

test("the floor from the document, and none when absent", () => {
  assert.equal(readFloor(undefined), null);
  assert.equal(readFloor(null), null);
  assert.deepEqual(readFloor({ speaking: "BRA", queue: [{ delegation: "CEPT", para: "p1" }, { delegation: "" }, { x: 1 }], only: true }), {
    speaking: "BRA",
    queue: [{ delegation: "CEPT", para: "p1" }],
    only: true,
  });
});

test("floor actions change the floor", () => {
  let f = applyFloorOp(null, "floor.request", { para: "p2", at: "2026-03-02T09:00:00Z" }, "ARB");
  f = applyFloorOp(f, "floor.request", {}, "CEPT");
  f = applyFloorOp(f, "floor.request", {}, "ARB"); // once in the queue
  assert.deepEqual(f?.queue, [{ delegation: "ARB", para: "p2", at: "2026-03-02T09:00:00Z" }, { delegation: "CEPT" }]);
  f = applyFloorOp(f, "floor.give", { delegation: "ARB" }, "");
  assert.equal(f?.speaking, "ARB");
  assert.deepEqual(f?.queue.map((q) => q.delegation), ["CEPT"]);
  f = applyFloorOp(f, "floor.withdraw", {}, "CEPT");
  f = applyFloorOp(f, "floor.mode", { only: true }, "");
  assert.deepEqual(f, { speaking: "ARB", queue: [], only: true });
  f = applyFloorOp(f, "floor.close", {}, "");
  assert.equal(f?.speaking, null);
  assert.deepEqual(forgetPara({ speaking: null, queue: [{ delegation: "BRA", para: "p1", at: "t" }, { delegation: "RUS", para: "p2" }], only: false }, "p1")?.queue, [
    { delegation: "BRA", at: "t" },
    { delegation: "RUS", para: "p2" },
  ]);
});
