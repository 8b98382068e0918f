import type { ConnState } from "./live";

/** How long edits wait, while connected, before the bar counts them. */
export const SLOW_MS = 1000;

const STATE_TEXT: Record<ConnState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  closed: "Disconnected",
};

/**
 * connStatus is what the connection pill says, and its class. While
 * connected, an edit waits a few milliseconds for the server as a matter of
 * course: the count shows only once edits have waited SLOW_MS (conn-waiting
 * says at once that some wait), so the bar does not change width, and the
 * page does not jump, on every key. Not connected, the count shows at once.
 */
export function connStatus(s: ConnState, waiting: number, waitedMs: number): { text: string; cls: string; slow: boolean } {
  const slow = waiting > 0 && (s !== "connected" || waitedMs >= SLOW_MS);
  const w = slow ? ` — ${waiting} edit${waiting === 1 ? "" : "s"} waiting` : "";
  return { text: STATE_TEXT[s] + w, cls: "conn conn-" + s + (waiting ? " conn-waiting" : "") + (slow ? " conn-slow" : ""), slow };
}
