// What the document, projector and table views share: the shell, the live
// connection, the structure model, and the handling of every frame. Each
// view says how to draw (the abstract hooks).
import { ApiError, session } from "./api";
import { Live, type ConnState, type LiveView } from "./live";
import type { OpEvent, Pending, Refusal } from "./machine";
import { DocModel, type ModelChange } from "./model";
import type { Document, PresenceEntry, Session, TextOp, WireOp, You } from "./protocol";
import { signedOut } from "./nav";
import { Shell, type Page } from "./shell";
import { authorsOf } from "./colors";
import { hidden, replace } from "./dom";
import { floorView } from "./floor";
import type { RefusalPlace } from "./protocol";

const LONG_OFFLINE = 5 * 60 * 1000;

export abstract class LivePage implements LiveView {
  readonly shell: Shell;
  readonly live: Live;
  model: DocModel | null = null;
  you: You | null = null;
  protected presenceList: PresenceEntry[] = [];
  protected observers = 0;
  private warned = false;

  constructor(
    readonly docId: string,
    readonly sess: Session,
    page: Page,
    shellOpts: ConstructorParameters<typeof Shell>[3] = {},
  ) {
    this.shell = new Shell(docId, sess, page, shellOpts);
    const author = sess.role === "delegate" ? sess.delegation : "chair";
    this.live = new Live(docId, author, this);
  }

  start(): void {
    this.live.start();
    window.addEventListener("beforeunload", this.beforeUnload);
  }

  destroy(): void {
    window.removeEventListener("beforeunload", this.beforeUnload);
    this.live.stop();
  }

  private beforeUnload = (e: BeforeUnloadEvent): void => {
    if (this.live.waiting().length) e.preventDefault();
  };

  labelOf(para: string): string {
    const f = this.model?.find(para);
    return f ? `${f.s.heading} ${f.p.label}`.trim() : "(deleted paragraph)";
  }

  // LiveView

  welcome(you: You, doc: Document | null, discarded: Pending[]): void {
    this.you = you;
    if (doc) {
      performance.mark("draftroom:welcome");
      this.stale.clear(); // drawAll draws every paragraph from the new replica
      // The document does not say where the chair's focus is: keep it.
      const focus = this.model?.focus ?? null;
      this.model = new DocModel(doc);
      if (!this.model.focus && focus && this.model.find(focus)) this.model.focus = focus;
      document.title = `${doc.title} — Draftroom`;
      // How many times the whole document came in: tests check that live
      // changes arrive as ops, not as reloads.
      document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
      this.drawAll();
    }
    if (discarded.length) this.shell.unsaved("The document had to be reloaded from the server.", discarded, (p) => this.labelOf(p));
  }

  events(ev: OpEvent[]): void {
    // The replica (the machine and the model) is updated at once, in the
    // order of the ops; only drawing waits. A paragraph's text is redrawn
    // from the replica at most once a frame, however many ops it got,
    // except the one being typed in here (immediate), which follows each op.
    for (const e of ev) {
      if (e.kind === "ack") {
        if (this.immediate(e.pending.para)) {
          this.flushText(e.pending.para);
          this.acked(e.pending.para);
        } else this.textDirty(e.pending.para);
      } else if (e.kind === "text") {
        if (this.immediate(e.para)) {
          this.flushText(e.para);
          this.drawOp(e.para, e.local, e.author, e.before);
        } else this.textDirty(e.para);
      } else {
        // Structure, status, proposals…: rare, and drawn after the text
        // that came before them.
        this.flushText();
        this.other(e.op);
      }
    }
    const dropped = this.live.machine.dropped.splice(0);
    if (dropped.length) this.shell.unsaved("A paragraph you were editing was deleted.", dropped, () => "(deleted)");
    this.state(this.live.state);
  }

  /** Paragraphs whose text changed since they were last drawn. */
  private stale = new Set<string>();
  private frame = 0;

  private textDirty(para: string): void {
    this.stale.add(para);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flushText());
  }

  /** flushText draws the text of para (every paragraph, without one) now, if it waits. */
  protected flushText(para?: string): void {
    if (para !== undefined) {
      if (this.stale.delete(para)) {
        this.drawText(para);
        this.textDrawn();
      }
      return;
    }
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const stale = [...this.stale];
    this.stale.clear();
    for (const p of stale) this.drawText(p);
    if (stale.length) this.textDrawn();
  }

  private other(op: WireOp): void {
    if (!this.model) return;
    for (const c of this.model.apply(op)) {
      if (c.kind === "reload") return this.live.reload();
      this.drawChange(c, op);
    }
  }

  refused(r: Refusal, code: string, message: string, place: RefusalPlace = {}): void {
    if (r.kind === "rolledback") {
      this.flushText(r.para);
      if (this.immediate(r.para)) this.drawOp(r.para, r.local, "", r.before);
      else this.drawText(r.para);
      this.drawRefusal(r.para, message, place);
    } else if (r.kind === "retry") {
      this.shell.notify(code === "rate_limited" ? "Typing too fast for the server; retrying…" : "The server cannot store edits right now; retrying…", true);
    } else if (r.kind === "resync") {
      this.drawRefusal(r.pending.para, message, place);
    }
  }

  presence(list: PresenceEntry[], observers: number): void {
    this.presenceList = list;
    this.observers = observers;
    this.drawPresence(list);
  }

  state(s: ConnState): void {
    const waiting = this.live.waiting();
    this.shell.setConnection(s, waiting.length);
    // Still trying, but after this long the participant must know.
    if (s === "offline" && waiting.length && !this.warned && Date.now() - this.live.downSince > LONG_OFFLINE) {
      this.warned = true;
      this.shell.unsaved("The server has been unreachable for 5 minutes. Draftroom keeps trying.", waiting, (p) => this.labelOf(p), "These edits are NOT saved yet; copy them if you must leave:");
    }
    if (s === "connected" && this.warned && !waiting.length) {
      this.warned = false;
      this.shell.clearBanner(); // they were saved after all
    }
  }

  fatal(reason: string, unsaved: Pending[]): void {
    this.shell.setConnection("closed", unsaved.length);
    this.shell.unsaved(reason, unsaved, (p) => this.labelOf(p));
    void this.checkSignedOut(unsaved);
  }

  /**
   * checkSignedOut asks whether the session is still good after the
   * connection ended for good: when the token was revoked or the session
   * ended, the browser is signed out (the sign-in page, with the reason),
   * unless edits would be lost, which stay listed on the page.
   */
  private async checkSignedOut(unsaved: Pending[]): Promise<void> {
    try {
      await session();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) return;
      document.body.dataset.signedOut = "true";
      if (unsaved.length) return;
      signedOut("You have been signed out: your access was revoked or has expired, or this session ended. Ask the secretariat for a new join link if you need one.");
    }
  }

  notice(message: string): void {
    this.shell.notify(message, true);
  }

  // What each view draws.
  protected abstract drawAll(): void;
  /** drawText redraws a paragraph's text from the replica (after one op or many). */
  protected abstract drawText(para: string): void;
  /** textDrawn follows a frame's drawText calls (for what sums over paragraphs). */
  protected textDrawn(): void {}
  /** immediate says whether a paragraph's view must follow each op at once (it is being typed in here). */
  protected immediate(_para: string): boolean {
    return false;
  }
  /** drawOp applies one op (against before) to an immediate paragraph's view. */
  protected drawOp(para: string, _op: TextOp, _author: string, _before: string): void {
    this.drawText(para);
  }
  protected abstract drawChange(c: ModelChange, op: WireOp): void;
  protected acked(_para: string): void {}
  protected drawRefusal(_para: string, message: string, _place: RefusalPlace = {}): void {
    this.shell.notify(message, true);
  }

  /** nameOf is how a delegation is named: the compilation's name for it, or its code. */
  nameOf(code: string): string {
    if (code === "chair") return "Chair";
    return this.model?.doc.proposers?.find((p) => p.code === code && p.name)?.name ?? code;
  }

  /** The authors with words in the text now, for the legend. */
  textAuthors(): string[] {
    return authorsOf([...this.live.machine.paras.values()].map((p) => p.runs));
  }
  protected drawPresence(_list: PresenceEntry[]): void {}

  /** drawFloorIn shows the floor in slot, at most max of its queue, and hides the slot when there is no floor to show. */
  protected drawFloorIn(slot: HTMLElement, max?: number): void {
    const f = floorView(
      this.model?.floor ?? null,
      (p) => this.labelOf(p),
      (c) => this.nameOf(c),
      max,
    );
    replace(slot, f);
    hidden(slot, !f);
  }
}
