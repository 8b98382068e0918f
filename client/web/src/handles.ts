// Handles: the live protocol's short names for a room's paragraphs ("p")
// and for who made an op ("by"). The welcome carries the tables; an op that
// uses a handle for the first time defines it ("pid", "who"). The live
// connection resolves every op into its full form (WireOp, as the history
// API serves it, without "at") before the rest of the client sees it.
import type { LiveOp, Person, WireOp } from "./protocol";

/** A resolve failed: the op names a handle this connection was never told. */
export class UnknownHandle extends Error {}

export class Handles {
  private paras: string[] = [];
  private people: Person[] = [];

  /** Replaces the tables with a welcome's. */
  reset(paras: string[] | undefined, people: Person[] | undefined): void {
    this.paras = (paras ?? []).slice();
    this.people = (people ?? []).slice();
  }

  /** Records the handles op defines and gives the op in full. */
  resolve(lo: LiveOp): WireOp {
    if (lo.pid !== undefined && lo.p !== undefined) this.paras[lo.p] = lo.pid;
    if (lo.who !== undefined && lo.by !== undefined) this.people[lo.by] = lo.who;
    const op: WireOp = { seq: lo.seq, kind: lo.kind ?? "text", ref: lo.ref ?? "", author: "", delegation: "" };
    if (lo.kind === undefined) {
      const para = lo.p === undefined ? undefined : this.paras[lo.p];
      if (para === undefined) throw new UnknownHandle(`op ${lo.seq}: paragraph handle ${lo.p}`);
      op.para = para;
      op.op = lo.op ?? [];
    } else {
      if (lo.data !== undefined) op.data = lo.data;
      if (typeof lo.data?.para === "string") op.para = lo.data.para;
    }
    if (lo.by !== undefined) {
      const who = this.people[lo.by];
      if (who === undefined) throw new UnknownHandle(`op ${lo.seq}: who handle ${lo.by}`);
      op.author = who.author ?? "";
      // Only delegates have a delegation, and a delegate's author tag is it.
      op.delegation = op.author === "chair" ? "" : op.author;
      if (who.participant) op.participant = who.participant;
    }
    return op;
  }
}
