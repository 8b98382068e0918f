// The client half of the OT protocol, with no I/O: the replica, the one op
// in flight and the buffer behind it (see server/internal/room and the Go
// client in client/state.go, which this mirrors). Unit-tested directly.
//
// Each paragraph keeps two states: confirmed (what the server has committed
// up to seq) and local (confirmed plus our pending ops). Pending ops are
// kept invertible (deletes carry their text) so a refusal can be undone.
import type { Document, EditFrame, Runs, TextOp, WireOp } from "./protocol";
import { applyRuns, fixRuns } from "./runs";
import { apply, compose, invert, makeInvertible, normalize, stripInvertible, transform } from "./textop";

export interface ParaState {
  text: string; // local
  runs: Runs;
  ctext: string; // confirmed
  cruns: Runs;
}

export interface Pending {
  ref: string;
  para: string;
  op: TextOp; // invertible, against local state before it
  sent: boolean;
  hold: number; // not before (ms since epoch): after unavailable/rate_limited
  tries: number;
  made: number; // when it was first made, for "waiting since"
}

/** What receive did with one op. */
export type OpEvent =
  | { kind: "ack"; op: WireOp; pending: Pending }
  | { kind: "text"; op: WireOp; para: string; local: TextOp; before: string; author: string }
  | { kind: "other"; op: WireOp };

/**
 * The text change an op makes: its own for kind "text"; data.op on
 * data.para for actions that change text (MOD and SUP merges, bracket-group
 * resolutions, undoing a merge), with what they insert attributed to
 * data.author.
 */
export function textEffect(op: WireOp): { para: string; op: TextOp; author: string } | null {
  if (op.kind === "text") return op.para && op.op ? { para: op.para, op: op.op, author: op.author } : null;
  const d = op.data;
  if (d && typeof d.para === "string" && Array.isArray(d.op)) return { para: d.para, op: d.op as TextOp, author: typeof d.author === "string" ? d.author : op.author };
  return null;
}

/** A reconnect is needed; full means without since=, a new replica. */
export class Resync extends Error {
  /** The ops of the frame applied before the trouble, for the view. */
  events: OpEvent[] = [];
  constructor(
    readonly full: boolean,
    reason: string,
  ) {
    super(reason);
  }
}

export type Refusal =
  | { kind: "ignored" }
  | { kind: "retry"; pending: Pending }
  | { kind: "rolledback"; pending: Pending; para: string; local: TextOp; before: string }
  | { kind: "resync"; pending: Pending };

export class Machine {
  seq = 0;
  loaded = false;
  paras = new Map<string, ParaState>();
  inflight: Pending | null = null;
  buffer: Pending[] = [];
  /** False from a disconnect until the catch-up after the next welcome. */
  synced = false;
  private target = 0;
  /** Edits to paragraphs deleted meanwhile, for the view to report. */
  dropped: Pending[] = [];
  private nextRef = 0;

  constructor(
    private readonly author: string,
    private readonly refPrefix: string,
  ) {}

  /** Pending ops in order, the one in flight first. */
  chain(): Pending[] {
    return this.inflight ? [this.inflight, ...this.buffer] : this.buffer;
  }

  idle(): boolean {
    return !this.inflight && this.buffer.length === 0;
  }

  /**
   * load replaces the replica with a full document. Pending ops cannot be
   * rebased onto it in general; those on a paragraph the new document has
   * unchanged (same text as we had confirmed) are kept, the rest are
   * returned as discarded, for the participant to be told.
   */
  load(doc: Document, seq: number): Pending[] {
    const old = this.paras;
    const chain = this.chain();
    this.paras = new Map();
    for (const s of doc.sections ?? []) {
      for (const p of s.paragraphs ?? []) {
        const runs = fixRuns(p.text, p.authors);
        this.paras.set(p.id, { text: p.text, runs, ctext: p.text, cruns: runs });
      }
    }
    this.seq = seq;
    this.target = seq;
    this.loaded = true;
    this.synced = true;
    this.inflight = null;
    this.buffer = [];
    const discarded: Pending[] = [];
    const broken = new Set<string>();
    for (const p of chain) {
      const now = this.paras.get(p.para);
      const before = old.get(p.para);
      if (!now || !before || broken.has(p.para) || now.ctext !== before.ctext) {
        broken.add(p.para);
        discarded.push(p);
        continue;
      }
      try {
        now.text = apply(now.text, p.op);
        now.runs = applyRuns(now.runs, p.op, this.author);
      } catch {
        broken.add(p.para);
        discarded.push(p);
        continue;
      }
      p.sent = false;
      if (!this.inflight) this.inflight = p;
      else this.buffer.push(p);
    }
    return discarded;
  }

  /**
   * welcome starts a connection. A welcome without a document promises the
   * ops after our seq, up to its seq, in the next ops frame.
   */
  welcome(seq: number, doc: Document | null): Pending[] {
    if (doc) return this.load(doc, seq);
    if (!this.loaded || seq < this.seq) throw new Resync(true, `welcome at seq ${seq} without a document, replica at ${this.seq}`);
    this.target = seq;
    this.synced = this.seq >= this.target;
    return [];
  }

  /** disconnected makes the op in flight due for resending, under its ref. */
  disconnected(): void {
    this.synced = false;
    if (this.inflight) this.inflight.sent = false;
  }

  /**
   * rebase transforms op (which applies before list) through list's ops on
   * para, rewriting each to apply after op. Our pending ops win ties (left),
   * as the server's transform of them will.
   */
  private rebase(para: string, op: TextOp, list: Pending[]): TextOp {
    for (const p of list) {
      if (p.para !== para || op.length === 0) continue;
      const mine = p.op;
      p.op = transform(mine, op, "left");
      op = transform(op, mine, "right");
    }
    return op;
  }

  /** receive applies committed ops; it throws Resync on a gap or a misfit. */
  receive(ops: WireOp[]): OpEvent[] {
    const out: OpEvent[] = [];
    try {
      this.receiveInto(ops, out);
    } catch (e) {
      if (e instanceof Resync) e.events = out;
      throw e;
    }
    if (!this.synced && this.seq >= this.target) this.synced = true;
    return out;
  }

  private receiveInto(ops: WireOp[], out: OpEvent[]): void {
    for (const op of ops) {
      if (op.seq <= this.seq) continue; // a resend's ack, or overlap after reconnecting
      if (op.seq !== this.seq + 1) throw new Resync(false, `ops jump from seq ${this.seq} to ${op.seq}`);
      const t = textEffect(op);
      if (t) this.text(op, t.para, t.op, t.author, out);
      if (op.kind !== "text") {
        this.structure(op);
        out.push({ kind: "other", op });
      }
      this.seq = op.seq;
    }
  }

  /** text applies a committed text change to the paragraph. */
  private text(op: WireOp, para: string, textOp: TextOp, author: string, out: OpEvent[]): void {
    const p = this.paras.get(para);
    if (!p) throw new Resync(true, `op ${op.seq} is for unknown paragraph ${para}`);
    try {
      p.ctext = apply(p.ctext, textOp);
      p.cruns = applyRuns(p.cruns, textOp, author);
    } catch (e) {
      throw new Resync(true, `op ${op.seq} does not apply: ${e}`);
    }
    // Actions have refs of their own (see live.ts), never an edit's.
    const mine = op.kind === "text" && this.inflight && op.ref && op.ref === this.inflight.ref ? this.inflight : null;
    if (mine) {
      this.inflight = null;
      this.promote();
      out.push({ kind: "ack", op, pending: mine });
    } else {
      const before = p.text;
      const local = this.rebase(para, textOp, this.chain());
      try {
        p.text = apply(p.text, local);
      } catch (e) {
        throw new Resync(true, `op ${op.seq} does not apply locally: ${e}`);
      }
      p.runs = applyRuns(p.runs, local, author);
      out.push({ kind: "text", op, para, local, before, author });
    }
    if (!this.chain().some((q) => q.para === para)) {
      // Nothing of ours is pending here: local must be what the server has.
      if (p.text !== p.ctext) throw new Resync(true, `paragraph ${para} diverged from the server at seq ${op.seq}`);
      p.runs = p.cruns;
    }
  }

  /** Ops that add or remove paragraphs (an insert, an ADD merge, a delete). */
  private structure(op: WireOp): void {
    const d = op.data ?? {};
    const np = d.paragraph as { id?: string; text?: string; authors?: Runs } | undefined;
    if (np && typeof np.id === "string") {
      const text = typeof np.text === "string" ? np.text : "";
      const runs = fixRuns(text, np.authors);
      this.paras.set(np.id, { text, runs, ctext: text, cruns: runs });
    }
    // A paragraph deleted, or taken away by undoing the ADD that added it.
    const removed = op.kind === "paragraph.delete" ? d.para : d.removed_paragraph;
    if (typeof removed === "string") {
      this.paras.delete(removed);
      // Our edits to it can never land.
      const gone = (q: Pending) => q.para === removed;
      if (this.inflight && gone(this.inflight)) {
        this.dropped.push(this.inflight);
        this.inflight = null;
      }
      this.dropped.push(...this.buffer.filter(gone));
      this.buffer = this.buffer.filter((q) => !gone(q));
      this.promote();
    }
  }

  /** promote moves the first buffered op in flight. */
  private promote(): void {
    if (!this.inflight && this.buffer.length) {
      this.inflight = this.buffer.shift()!;
      this.inflight.sent = false;
    }
  }

  /** refused handles an error frame naming ref. */
  refused(ref: string | undefined, code: string, retryAt: (tries: number) => number): Refusal {
    const p = this.inflight;
    if (!p || !ref || ref !== p.ref) return { kind: "ignored" };
    if (code === "unavailable" || code === "rate_limited") {
      p.tries++;
      p.sent = false;
      p.hold = retryAt(p.tries);
      return { kind: "retry", pending: p };
    }
    if (code === "stale") return { kind: "resync", pending: p };
    const para = this.paras.get(p.para);
    if (!para) return { kind: "resync", pending: p };
    try {
      let inv = invert(p.op);
      this.inflight = null;
      inv = this.rebase(p.para, inv, this.buffer);
      const before = para.text;
      para.text = apply(para.text, inv);
      // The runs are rebuilt from the confirmed ones, so deleted text that
      // comes back gets its real authors again.
      let runs = para.cruns;
      let check = para.ctext;
      for (const q of this.buffer) {
        if (q.para !== p.para) continue;
        runs = applyRuns(runs, q.op, this.author);
        check = apply(check, q.op);
      }
      if (check !== para.text) throw new Error("rollback does not reach the confirmed text");
      para.runs = runs;
      this.promote();
      return { kind: "rolledback", pending: p, para: p.para, local: inv, before };
    } catch {
      return { kind: "resync", pending: p };
    }
  }

  /**
   * local applies a local edit (op against the paragraph's local text) and
   * queues it. Consecutive edits waiting behind the op in flight are
   * composed and share a ref. Returns the ref, or "" for a no-op.
   */
  local(para: string, op: TextOp): string {
    const p = this.paras.get(para);
    if (!p) throw new Error(`no paragraph ${para}`);
    const inv = makeInvertible(normalize(op), p.text);
    if (inv.length === 0) return "";
    p.text = apply(p.text, inv);
    p.runs = applyRuns(p.runs, inv, this.author);
    if (!this.inflight) {
      this.inflight = this.pending(para, inv);
      return this.inflight.ref;
    }
    // Ops on different paragraphs commute, so the new op may join the last
    // buffered op on its paragraph even past ops on other paragraphs.
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const b = this.buffer[i];
      if (b.para !== para) continue;
      b.op = compose(b.op, inv);
      return b.ref;
    }
    const b = this.pending(para, inv);
    this.buffer.push(b);
    return b.ref;
  }

  private pending(para: string, op: TextOp): Pending {
    this.nextRef++;
    return { ref: this.refPrefix + this.nextRef, para, op, sent: false, hold: 0, tries: 0, made: Date.now() };
  }

  /** next returns the edit to send now, if any. */
  next(now: number): EditFrame | null {
    const p = this.inflight;
    if (!this.synced || !p || p.sent || now < p.hold) return null;
    p.sent = true;
    return { type: "edit", ref: p.ref, para: p.para, base: this.seq, op: stripInvertible(p.op) };
  }

  /** When the held op in flight becomes due, or 0. */
  holdUntil(): number {
    return this.inflight && !this.inflight.sent ? this.inflight.hold : 0;
  }
}
