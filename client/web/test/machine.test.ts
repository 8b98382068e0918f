import assert from "node:assert/strict";
import { test } from "node:test";
import { Machine, Resync } from "../src/machine";
import type { Document, TextOp, WireOp } from "../src/protocol";
import { apply, transform } from "../src/textop";

function doc(text: string): Document {
  return {
    id: "d",
    title: "t",
    base_ref: "",
    seq: 5,
    proposers: [],
    notes: [],
    sections: [
      {
        id: "s",
        heading: "RESOLVES",
        kind: "operative",
        proposals: [],
        paragraphs: [{ id: "p", label: "1", text, status: "open", base_text: text, authors: [[[...text].length, "original"]], proposals: [] }],
      },
    ],
  };
}

let seq = 5;
function remote(op: TextOp, author = "CEPT", ref = "x"): WireOp {
  return { seq: ++seq, kind: "text", para: "p", op, author, delegation: author, ref, at: "" };
}

function machine(text: string): Machine {
  seq = 5;
  const m = new Machine("BRA", "r");
  m.welcome(5, doc(text));
  return m;
}

test("a local edit is sent once, acknowledged by ref, not applied twice", () => {
  const m = machine("a [😀] b");
  const ref = m.local("p", [4, "🎉"]); // after the emoji, inside brackets
  const e = m.next(0)!;
  assert.deepEqual(e, { type: "edit", ref, para: "p", base: 5, op: [4, "🎉"] });
  assert.equal(m.next(0), null, "one op in flight");
  const ev = m.receive([remote([4, "🎉"], "BRA", ref)]);
  assert.equal(ev[0].kind, "ack");
  assert.equal(m.paras.get("p")!.text, "a [😀🎉] b");
  assert.deepEqual(m.paras.get("p")!.runs, [[4, "original"], [1, "BRA"], [3, "original"]]);
  assert.ok(m.idle());
});

test("concurrent inserts at one spot: both sides converge (emoji and Arabic)", () => {
  const m = machine("[إنذار]");
  const ref = m.local("p", [1, "👍🏽"]);
  m.next(0);
  // Another delegation inserted Arabic at the same spot first.
  const theirs: TextOp = [1, "مبكر"];
  const ev = m.receive([remote(theirs)]);
  assert.equal(ev[0].kind, "text");
  // Ours wins the tie locally (left), as the server will decide for it.
  const local = m.paras.get("p")!.text;
  assert.equal(local, "[👍🏽مبكرإنذار]");
  // The server transforms ours against theirs with "left" and commits it.
  const server = transform([1, "👍🏽"], theirs, "left");
  m.receive([remote(server, "BRA", ref)]);
  const p = m.paras.get("p")!;
  assert.equal(p.text, apply(apply("[إنذار]", theirs), server));
  assert.equal(p.text, p.ctext);
  assert.deepEqual(p.runs, [[1, "original"], [2, "BRA"], [4, "CEPT"], [6, "original"]]);
});

test("buffered ops are composed and rebased through remote ops", () => {
  const m = machine("[a]");
  const r1 = m.local("p", [2, "b"]); // in flight
  m.next(0);
  const r2 = m.local("p", [3, "c"]); // buffered
  const r3 = m.local("p", [4, "d"]); // composed into r2
  assert.equal(r2, r3);
  assert.notEqual(r1, r2);
  m.receive([remote([1, "Z"])]); // before "a", from someone else
  assert.equal(m.paras.get("p")!.text, "[Zabcd]");
  m.receive([remote([3, "b"], "BRA", r1)]); // our first, transformed by the server
  const e = m.next(0)!;
  assert.equal(e.ref, r2);
  assert.deepEqual(e.op, [4, "cd"]);
  assert.equal(e.base, 7);
  m.receive([remote([4, "cd"], "BRA", r2)]);
  assert.equal(m.paras.get("p")!.ctext, "[Zabcd]");
  assert.ok(m.idle());
});

test("a refused op is rolled back, later ops kept and rebased", () => {
  const m = machine("x [a] y");
  const r1 = m.local("p", [7, "!"]); // outside brackets: will be refused
  m.next(0);
  m.local("p", [4, "😀"]); // inside, buffered
  assert.equal(m.paras.get("p")!.text, "x [a😀] y!");
  const r = m.refused(r1, "forbidden", () => 0);
  assert.equal(r.kind, "rolledback");
  if (r.kind !== "rolledback") return;
  assert.equal(apply(r.before, r.local), "x [a😀] y");
  assert.equal(m.paras.get("p")!.text, "x [a😀] y");
  assert.deepEqual(m.paras.get("p")!.runs, [[4, "original"], [1, "BRA"], [3, "original"]]);
  const e = m.next(0)!;
  assert.deepEqual(e.op, [4, "😀"]);
});

test("a refused delete gives the text back with its authors", () => {
  const m = machine("ab");
  const r1 = m.local("p", [{ d: 1 }]);
  m.next(0);
  assert.equal(m.paras.get("p")!.text, "b");
  m.refused(r1, "forbidden", () => 0);
  assert.equal(m.paras.get("p")!.text, "ab");
  assert.deepEqual(m.paras.get("p")!.runs, [[2, "original"]]);
});

test("unavailable keeps the op and resends it under its ref after a hold", () => {
  const m = machine("[a]");
  const ref = m.local("p", [2, "b"]);
  m.next(0);
  const r = m.refused(ref, "unavailable", () => 1000);
  assert.equal(r.kind, "retry");
  assert.equal(m.next(500), null);
  assert.equal(m.next(1000)!.ref, ref);
});

test("reconnecting: nothing is sent until the catch-up is in", () => {
  const m = machine("[a]");
  const ref = m.local("p", [2, "b"]);
  m.next(0);
  m.disconnected();
  m.local("p", [3, "c"]);
  m.welcome(7, null);
  assert.equal(m.next(0), null, "waits for ops up to 7");
  m.receive([remote([1, "Q"]), remote([2, "b"], "BRA", ref)]); // ours had made it before the drop
  assert.equal(m.paras.get("p")!.text, "[Qabc]");
  const e = m.next(0)!;
  assert.deepEqual(e.op, [4, "c"]);
  assert.equal(e.base, 7);
});

test("a gap asks for a reconnect with since", () => {
  const m = machine("[a]");
  assert.throws(() => m.receive([{ ...remote([1, "x"]), seq: 9 }]), (e: unknown) => e instanceof Resync && !e.full);
});

test("a full reload keeps pending ops on unchanged paragraphs, reports the rest", () => {
  const m = machine("[a]");
  m.local("p", [2, "b"]);
  m.next(0);
  let lost = m.load(doc("[a]"), 9);
  assert.equal(lost.length, 0);
  assert.equal(m.paras.get("p")!.text, "[ab]");
  assert.equal(m.next(0)!.base, 9);
  lost = m.load(doc("[a] changed"), 12);
  assert.equal(lost.length, 1);
  assert.equal(m.paras.get("p")!.text, "[a] changed");
});

test("a MOD merge (an action op with data.op) is applied as a text op, pending edits transformed", () => {
  const m = machine("to [act] now");
  m.local("p", [7, "!"]); // ours, inside the brackets, in flight
  m.next(0);
  const merge: WireOp = {
    seq: ++seq,
    kind: "proposal.merge",
    author: "chair",
    delegation: "",
    ref: "other",
    at: "",
    data: { para: "p", op: [3, "[act][act swiftly]"], author: "BRA", proposal: { id: "x", status: "merged" } },
  };
  const ev = m.receive([merge]);
  assert.deepEqual(
    ev.map((e) => e.kind),
    ["text", "other"],
  );
  const p = m.paras.get("p")!;
  assert.equal(p.ctext, "to [act][act swiftly][act] now");
  assert.equal(p.text, "to [act][act swiftly][act!] now");
  assert.deepEqual(p.runs.slice(0, 2), [[3, "original"], [18, "BRA"]]);
  assert.deepEqual(m.next(0), null, "still in flight");
});

test("an edit to a paragraph the chair deleted is reported, not lost silently", () => {
  const m = machine("[a]");
  m.local("p", [2, "b"]);
  m.next(0);
  m.receive([{ seq: ++seq, kind: "paragraph.delete", author: "chair", delegation: "", ref: "z", at: "", data: { para: "p", section: "s" } }]);
  assert.equal(m.dropped.length, 1);
  assert.ok(m.idle());
});
