// The live connection: a websocket to /api/v1/documents/{id}/live driving
// the Machine. It reconnects with since= after drops, resends the op in
// flight under the same ref once caught up, and tells the view when it
// cannot go on (revoked, or a replica that had to be replaced), naming the
// edits that were not saved.
import { session } from "./api";
import { Handles, UnknownHandle } from "./handles";
import { Machine, Resync, type OpEvent, type Pending, type Refusal } from "./machine";
import {
  CloseAbuse,
  CloseNotFound,
  CloseRevoked,
  CloseSlow,
  type ActionFields,
  type ActionKind,
  type ClientFrame,
  type Document,
  type PresenceEntry,
  type RefusalPlace,
  type ServerFrame,
  type TextOp,
  type WireOp,
  type You,
} from "./protocol";

export type ConnState = "connecting" | "connected" | "reconnecting" | "offline" | "closed";

/** An action the server refused: its message, code and place. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly place: RefusalPlace,
  ) {
    super(message);
  }
}

export interface LiveView {
  welcome(you: You, doc: Document | null, discarded: Pending[]): void;
  events(ev: OpEvent[]): void;
  refused(r: Refusal, code: string, message: string, place: RefusalPlace): void;
  presence(list: PresenceEntry[], observers: number): void;
  state(s: ConnState): void;
  /** The connection cannot come back; unsaved lists the lost edits. */
  fatal(reason: string, unsaved: Pending[]): void;
  notice(message: string): void;
}

/** After this long without a connection, the indicator says offline. */
const OFFLINE_AFTER = 8000;

export class Live {
  readonly machine: Machine;
  state: ConnState = "connecting";
  private ws: WebSocket | null = null;
  private attempts = 0;
  /** When the connection was lost (0: it is up). */
  downSince = 0;
  private full = true; // the next connect asks for the whole document
  private timer = 0;
  private holdTimer = 0;
  private stopped = false;
  private para: string | null = null;
  private actions = new Map<string, { resolve: (op: WireOp) => void; reject: (e: Error) => void; timer: number }>();
  private handles = new Handles();
  private nextAction = 0;
  private readonly prefix = Math.random().toString(36).slice(2, 10) + "-";
  /** The rule and offset of the error frame being handled. */
  private place: RefusalPlace = {};

  constructor(
    private readonly docId: string,
    author: string,
    private readonly view: LiveView,
  ) {
    this.machine = new Machine(author, this.prefix);
  }

  start(): void {
    this.connect();
    window.addEventListener("online", this.retryNow);
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.retryNow);
    clearTimeout(this.timer);
    clearTimeout(this.holdTimer);
    this.ws?.close(1000, "leaving");
    this.ws = null;
  }

  /** Edits made but not yet acknowledged. */
  waiting(): Pending[] {
    return this.machine.chain();
  }

  /** A local edit: op against the paragraph's text before the edit. */
  local(para: string, op: TextOp): void {
    try {
      this.machine.local(para, op);
    } catch (e) {
      this.view.notice(`That edit could not be applied: ${e}. Reloading the document.`);
      this.resync(true);
      return;
    }
    this.pump();
    this.view.state(this.state);
  }

  presence(para: string | null): void {
    this.para = para;
    this.send({ type: "presence", para });
  }

  /** Sends an action; resolves with its op, rejects with the server's error. */
  action<K extends ActionKind>(kind: K, fields: ActionFields[K]): Promise<WireOp> {
    return new Promise((resolve, reject) => {
      if (this.state !== "connected" || !this.ws) {
        reject(new Error("Not connected: try again when the connection is back."));
        return;
      }
      const ref = this.prefix + "a" + ++this.nextAction;
      const timer = window.setTimeout(() => {
        this.actions.delete(ref);
        reject(new Error("The server did not answer in time."));
      }, 15000);
      this.actions.set(ref, { resolve, reject, timer });
      this.send({ type: "action", ref, kind, ...fields });
    });
  }

  private send(f: ClientFrame): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.state === "connected") this.ws.send(JSON.stringify(f));
  }

  private url(): string {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const since = !this.full && this.machine.loaded ? `?since=${this.machine.seq}` : "";
    return `${proto}//${location.host}/api/v1/documents/${encodeURIComponent(this.docId)}/live${since}`;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => performance.mark("draftroom:open");
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      let f: ServerFrame;
      try {
        f = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (f.type === "error") {
        const e = f as { rule?: unknown; offset?: unknown };
        this.place = { rule: typeof e.rule === "string" ? e.rule : undefined, offset: typeof e.offset === "number" ? e.offset : undefined };
      }
      this.handle(f);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.closed(ev.code, ev.reason);
    };
  }

  private handle(f: ServerFrame): void {
    try {
      switch (f.type) {
        case "welcome": {
          this.handles.reset(f.paras, f.people);
          const discarded = this.machine.welcome(f.seq, f.document);
          this.full = false;
          this.attempts = 0;
          this.downSince = 0;
          this.setState("connected");
          this.view.welcome(f.you, f.document, discarded);
          if (this.para) this.send({ type: "presence", para: this.para });
          break;
        }
        case "ops": {
          let ops: WireOp[];
          try {
            ops = f.ops.map((o) => this.handles.resolve(o));
          } catch (e) {
            // An op we cannot name cannot be applied: load the document again.
            if (e instanceof UnknownHandle) throw new Resync(true, e.message);
            throw e;
          }
          const ev = this.machine.receive(ops);
          this.settleActions(ops);
          this.view.events(ev);
          break;
        }
        case "error":
          this.error(f.ref, f.code, f.message, f.retry_after_ms ?? 0);
          break;
        case "presence":
          this.view.presence(f.participants ?? [], f.observers ?? 0);
          break;
      }
    } catch (e) {
      if (e instanceof Resync) {
        this.view.events(e.events);
        this.resync(e.full);
        return;
      }
      throw e;
    }
    this.pump();
    this.view.state(this.state);
  }

  private settleActions(ops: WireOp[]): void {
    for (const op of ops) {
      const a = op.ref ? this.actions.get(op.ref) : undefined;
      if (a && op.kind !== "text") {
        clearTimeout(a.timer);
        this.actions.delete(op.ref);
        a.resolve(op);
      }
    }
  }

  private error(ref: string | undefined, code: string, message: string, retryAfterMs = 0): void {
    const a = ref ? this.actions.get(ref) : undefined;
    if (a) {
      clearTimeout(a.timer);
      this.actions.delete(ref!);
      a.reject(new ActionError(message, code, this.place));
      return;
    }
    // rate_limited says how long to wait (retry_after_ms): never resend sooner.
    const r = this.machine.refused(ref, code, (tries) => Date.now() + Math.max(retryAfterMs, Math.min(30000, 500 * 2 ** tries)));
    if (r.kind === "ignored") {
      this.view.notice(message);
      return;
    }
    if (r.kind === "resync" && code !== "stale") {
      // Refused, and the rollback could not be computed: reload, without it.
      this.machine.inflight = null;
    }
    this.view.refused(r, code, message, this.place);
    if (r.kind === "resync") this.resync(true);
    if (r.kind === "retry") this.pump();
  }

  /** pump sends the op in flight when it is due. */
  private pump(): void {
    if (this.state !== "connected") return;
    const f = this.machine.next(Date.now());
    if (f) this.send(f);
    const hold = this.machine.holdUntil();
    clearTimeout(this.holdTimer);
    if (hold) this.holdTimer = window.setTimeout(() => this.pump(), Math.max(0, hold - Date.now()));
  }

  /** reload replaces the replica with the server's document. */
  reload(): void {
    this.resync(true);
  }

  private resync(full: boolean): void {
    this.full = this.full || full;
    const ws = this.ws;
    this.ws = null;
    ws?.close(4000, "resync");
    this.machine.disconnected();
    this.setState("reconnecting");
    this.schedule(0);
  }

  private closed(code: number, reason: string): void {
    this.machine.disconnected();
    for (const [ref, a] of this.actions) {
      clearTimeout(a.timer);
      a.reject(new Error("The connection dropped before the server answered."));
      this.actions.delete(ref);
    }
    if (this.stopped) return;
    if (code === CloseRevoked || code === CloseNotFound || code === CloseAbuse) {
      this.setState("closed");
      const why =
        code === CloseRevoked
          ? "Your access was revoked or has expired."
          : code === CloseNotFound
            ? "This document no longer exists."
            : "The server closed the connection after too many invalid messages.";
      this.view.fatal(reason ? `${why} (${reason})` : why, this.waiting());
      return;
    }
    if (!this.downSince) this.downSince = Date.now();
    this.setState(Date.now() - this.downSince > OFFLINE_AFTER ? "offline" : "reconnecting");
    this.attempts++;
    if (this.attempts % 4 === 0) void this.checkSession();
    this.schedule(code === CloseSlow ? 0 : Math.min(8000, 250 * 2 ** Math.min(this.attempts, 6)) * (0.75 + Math.random() / 2));
  }

  /** A websocket refused for a lost session looks like any drop: ask. */
  private async checkSession(): Promise<void> {
    try {
      await session();
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 401 || status === 403) {
        this.stop();
        this.setState("closed");
        this.view.fatal("Your session has ended: sign in again with your token.", this.waiting());
      }
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      this.connect();
    }, ms);
  }

  private retryNow = (): void => {
    if (!this.ws && !this.stopped && this.state !== "closed") this.schedule(0);
  };

  private setState(s: ConnState): void {
    this.state = s;
    this.view.state(s);
  }
}
