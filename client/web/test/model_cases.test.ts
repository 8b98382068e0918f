// The Go model and this client's model apply ops to documents; one file of
// cases holds both to the same results (server/internal/document/testdata/
// model_cases.json, written by the Go model and read by a person).
import assert from "node:assert/strict";
import { test } from "node:test";
import cases from "../../../server/internal/document/testdata/model_cases.json";
import { textEffect } from "../src/machine";
import { DocModel } from "../src/model";
import type { Document, Proposal, WireOp } from "../src/protocol";
import { applyRuns } from "../src/runs";
import { apply } from "../src/textop";

type Case = { name: string; ops: WireOp[]; expected: Document };

/** run applies ops as the live page does: the structure to DocModel, the
 * text to the paragraph (the Machine keeps it in the page). */
function run(start: Document, ops: WireOp[]): Document {
  const doc = structuredClone(start);
  const model = new DocModel(doc);
  for (const op of ops) {
    model.apply(op);
    const t = textEffect(op);
    if (t) {
      const f = model.find(t.para);
      assert.ok(f, `op ${op.seq}: no paragraph ${t.para}`);
      f.p.text = apply(f.p.text, t.op);
      f.p.authors = applyRuns(f.p.authors, t.op, t.author);
    }
    doc.seq = op.seq;
  }
  const out = doc;
  if (model.focus) out.focus = model.focus;
  else delete out.focus;
  if (model.focusProposal) out.focus_proposal = model.focusProposal;
  else delete out.focus_proposal;
  out.floor = model.floor;
  return out;
}

/** The order of proposals within one paragraph's or section's list is the
 * model's order of arrival, which a client that joined late cannot know;
 * which list a proposal is in, and what it says, must agree. */
function normal(d: Document): unknown {
  const byID = (a: Proposal, b: Proposal) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const c = structuredClone(d);
  for (const s of c.sections ?? []) {
    s.proposals?.sort(byID);
    for (const p of s.paragraphs ?? []) p.proposals?.sort(byID);
  }
  return c;
}

const all = cases as unknown as { start: Document; cases: Case[] };

test("the shared model cases are there", () => {
  assert.ok(all.cases.length >= 20, `${all.cases.length} cases`);
});

for (const c of all.cases) {
  test(`model case: ${c.name}`, () => {
    assert.deepEqual(normal(run(all.start, c.ops)), normal(c.expected));
  });
}
