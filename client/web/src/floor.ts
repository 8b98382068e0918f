// The floor (speakers' list): who has the floor, who asked for it, and
// whether only the delegation with the floor may type. The server sends it
// as the document's `floor` and changes it with floor.* actions on the op
// stream; this client draws it where it is present and nothing otherwise.
import { el } from "./dom";
import { authorClass } from "./colors";

export interface FloorRequest {
  delegation: string;
  para?: string;
  /** When it asked (RFC 3339), if known. */
  at?: string;
}

export interface Floor {
  speaking: string | null;
  queue: FloorRequest[];
  only: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** readFloor reads a floor from JSON, or null when there is none. */
export function readFloor(v: unknown): Floor | null {
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  const queue = Array.isArray(o.queue)
    ? o.queue.flatMap((q) => {
        const r = q as Record<string, unknown> | null;
        const d = str(r?.delegation);
        if (!d) return [];
        const q2: FloorRequest = { delegation: d };
        if (str(r?.para)) q2.para = str(r?.para);
        if (str(r?.at)) q2.at = str(r?.at);
        return [q2];
      })
    : [];
  return { speaking: str(o.speaking) ?? null, queue, only: o.only === true };
}

/** applyFloorOp is the floor after a floor.* op (docs/protocol.md, "The floor"). */
export function applyFloorOp(f: Floor | null, kind: string, data: Record<string, unknown>, delegation: string): Floor | null {
  const cur: Floor = f ? { ...f, queue: [...f.queue] } : { speaking: null, queue: [], only: false };
  const who = str(data.delegation) ?? delegation;
  switch (kind) {
    case "floor.request":
      if (who && !cur.queue.some((q) => q.delegation === who)) {
        const q: FloorRequest = { delegation: who };
        if (str(data.para)) q.para = str(data.para);
        if (str(data.at)) q.at = str(data.at);
        cur.queue.push(q);
      }
      break;
    case "floor.withdraw":
      cur.queue = cur.queue.filter((q) => q.delegation !== who);
      break;
    case "floor.give":
      cur.speaking = who || null;
      cur.queue = cur.queue.filter((q) => q.delegation !== who);
      break;
    case "floor.close":
      cur.speaking = null;
      break;
    case "floor.mode":
      cur.only = data.only === true;
      break;
    default:
      return f;
  }
  return cur;
}

/**
 * forgetPara drops a deleted paragraph from the requests that named it
 * (they keep their place), as the server does.
 */
export function forgetPara(f: Floor | null, para: string): Floor | null {
  if (!f || !f.queue.some((q) => q.para === para)) return f;
  return { ...f, queue: f.queue.map((q) => (q.para === para ? { delegation: q.delegation, ...(q.at ? { at: q.at } : {}) } : q)) };
}

/**
 * floorView draws the floor: who speaks, who is next (with the paragraph
 * they asked about), and floor-only typing. null when there is no floor,
 * or when it is idle (nobody speaks, nobody waits, typing is free): a room
 * that does not use the floor sees nothing of it.
 */
export function floorView(f: Floor | null, labelOf: (para: string) => string, nameOf: (code: string) => string, max = 5): HTMLElement | null {
  if (!f || (!f.speaking && !f.queue.length && !f.only)) return null;
  const who = (code: string) => el("span", { class: "fwho" }, el("span", { class: "swatch au " + authorClass(code), text: code }), nameOf(code).toUpperCase() !== code.toUpperCase() ? " " + nameOf(code) : "");
  // Numbered in the text, not by list markers, so a wrapped line never puts a number on top of a name.
  const next = f.queue.slice(0, max).map((q, i) => el("li", {}, el("span", { class: "fnum", text: `${i + 1}.` }), who(q.delegation), q.para ? el("span", { class: "fpara", text: " on " + labelOf(q.para) }) : null));
  return el(
    "div",
    { class: "floor", role: "status", "aria-label": "The floor" },
    el("span", { class: "flabel", text: "Floor:" }),
    f.speaking ? el("span", { class: "fspeaking" }, who(f.speaking), " has the floor") : el("span", { class: "fnone", text: "nobody has the floor" }),
    f.queue.length ? el("span", { class: "fnext", text: "Next:" }) : null,
    f.queue.length ? el("ol", { class: "fqueue" }, ...next, f.queue.length > max ? el("li", { class: "fmore", text: `+${f.queue.length - max} more` }) : null) : null,
    f.only ? el("span", { class: "fonly", text: "Only the delegation with the floor may type" }) : null,
  );
}
