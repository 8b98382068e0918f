import assert from "node:assert/strict";
import { test } from "node:test";
import { DocModel } from "../src/model";
import type { Document, WireOp } from "../src/protocol";

function doc(extra: Partial<Document> = {}): Document {
  return {
    id: "d",
    title: "T",
    base_ref: "",
    seq: 3,
    proposers: [],
    notes: [],
    sections: [
      {
        id: "s",
        heading: "RESOLVES",
        kind: "operative",
        proposals: [],
        paragraphs: [
          { id: "p1", label: "1", text: "a", status: "open", base_text: "a", authors: [], proposals: [{ id: "pr1", proposer: "BRA", action: "MOD", text: "b", ref: "B/1", status: "tabled" }] },
          { id: "p2", label: "2", text: "c", status: "open", base_text: "c", authors: [], proposals: [] },
        ],
      },
    ],
    ...extra,
  };
}

const op = (kind: string, data: Record<string, unknown>, delegation = ""): WireOp => ({ seq: 4, kind, author: "chair", delegation, ref: "", at: "", data });

test("the focus: a paragraph id, and focus_proposal on the screen beside it", () => {
  assert.equal(new DocModel(doc({ focus: "p2" })).focus, "p2");
  const m = new DocModel(doc({ focus: "p1", focus_proposal: "pr1" }));
  assert.deepEqual([m.focus, m.focusProposal], ["p1", "pr1"]);
  assert.deepEqual(m.apply(op("focus", { para: "p2" })), [{ kind: "focus", para: "p2", prev: "p1" }]);
  assert.equal(m.focusProposal, null);
  m.apply(op("focus", { para: "p1", focus_proposal: "pr1" }));
  assert.deepEqual([m.focus, m.focusProposal], ["p1", "pr1"]);
  m.apply(op("paragraph.delete", { para: "p1", section: "s1" }));
  assert.deepEqual([m.focus, m.focusProposal], [null, null]);
  assert.equal(new DocModel(doc()).focus, null);
});

test("the floor: absent, from the document, changed by floor ops", () => {
  assert.equal(new DocModel(doc()).floor, null);
  const m = new DocModel(doc({ floor: { speaking: null, queue: [], only: false } }));
  assert.deepEqual(m.apply(op("floor.request", { para: "p2" }, "ARB")), [{ kind: "floor" }]);
  assert.deepEqual(m.floor, { speaking: null, queue: [{ delegation: "ARB", para: "p2" }], only: false });
});
