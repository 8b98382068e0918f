import assert from "node:assert/strict";
import { test } from "node:test";
import { connStatus, SLOW_MS } from "../src/conn";

test("an edit in flight while connected does not change the pill's text", () => {
  const idle = connStatus("connected", 0, 0);
  const inFlight = connStatus("connected", 1, 0);
  assert.equal(inFlight.text, idle.text);
  assert.equal(inFlight.text, "Connected");
  assert.equal(inFlight.cls, "conn conn-connected conn-waiting");
  assert.equal(connStatus("connected", 3, SLOW_MS - 1).text, "Connected");
});

test("edits that wait SLOW_MS are counted, and at once when not connected", () => {
  assert.deepEqual(connStatus("connected", 1, SLOW_MS), { text: "Connected — 1 edit waiting", cls: "conn conn-connected conn-waiting conn-slow", slow: true });
  assert.equal(connStatus("connected", 2, 5000).text, "Connected — 2 edits waiting");
  assert.equal(connStatus("offline", 2, 0).text, "Offline — 2 edits waiting");
  assert.equal(connStatus("reconnecting", 1, 0).cls, "conn conn-reconnecting conn-waiting conn-slow");
  assert.equal(connStatus("closed", 0, 0).text, "Disconnected");
});
