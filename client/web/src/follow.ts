// Following the chair: while on, the view scrolls to each paragraph the
// chair puts the room's focus on. Scrolling by hand (wheel, touch, the
// scroll keys, the scroll bar) turns it off, and a button brings the
// reader back. A participant typing in a paragraph is not pulled away: the
// button says where the chair went instead.
import { el, hidden, setText } from "./dom";

export interface FollowHost {
  focus(): string | null;
  labelOf(para: string): string;
  /** scrollToPara brings a paragraph to the middle of the screen. */
  scrollToPara(para: string): void;
  /** editing is true while the participant types in a paragraph. */
  editing(): boolean;
}

const SCROLL_KEYS = new Set(["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", " "]);

export class Follow {
  readonly toggle: HTMLElement;
  readonly back: HTMLButtonElement;
  private readonly box: HTMLInputElement;
  private on: boolean;
  /** The chair moved while the participant was typing. */
  private missed = false;

  /** quiet: no "back" button while not following (the chair, who leads). */
  constructor(
    private readonly host: FollowHost,
    initial: boolean,
    private readonly quiet = false,
  ) {
    this.on = initial;
    this.box = el("input", { type: "checkbox", id: "follow" }) as HTMLInputElement;
    this.box.checked = initial;
    this.box.addEventListener("change", () => this.set(this.box.checked));
    this.toggle = el("label", { class: "follow", for: "follow", title: "Keep the chair's paragraph in view (f)" }, this.box, " Follow the chair");
    this.back = el("button", { type: "button", class: "btn primary backto", hidden: true, onclick: () => this.set(true) }) as HTMLButtonElement;
    window.addEventListener("wheel", this.manual, { passive: true });
    window.addEventListener("touchmove", this.manual, { passive: true });
    window.addEventListener("keydown", this.key);
    window.addEventListener("mousedown", this.bar);
  }

  get following(): boolean {
    return this.on;
  }

  /** set turns following on (and goes to the chair's paragraph) or off. */
  set(on: boolean): void {
    this.on = on;
    this.box.checked = on;
    document.body.dataset.follow = String(on);
    if (on) this.go();
    this.draw();
  }

  /** chairMoved is called when the focus changes (and on load). */
  chairMoved(): void {
    if (this.on && !this.host.editing()) this.go();
    else if (this.on) this.missed = true;
    this.draw();
  }

  /** A jump the participant asked for (outline, search): stop following. */
  away(): void {
    if (this.on) this.set(false);
  }

  private go(): void {
    this.missed = false;
    const f = this.host.focus();
    if (f) this.host.scrollToPara(f);
  }

  private draw(): void {
    const f = this.host.focus();
    hidden(this.back, !f || (this.on && !this.missed) || (this.quiet && !this.on));
    if (f) {
      setText(this.back, this.missed ? `The chair moved to ${this.host.labelOf(f)}: go there` : `Back to the chair's paragraph (${this.host.labelOf(f)})`);
      this.back.title = this.back.textContent ?? "";
    }
  }

  // What counts as scrolling by hand. The side panel and dialogs scroll on
  // their own and do not count.
  private manual = (e: Event): void => {
    const t = e.target as Element | null;
    if (!this.on || t?.closest?.(".side, dialog, .outline")) return;
    this.set(false);
  };

  private key = (e: KeyboardEvent): void => {
    if (!SCROLL_KEYS.has(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement | null;
    if (t?.closest?.("input, textarea, select, [contenteditable], dialog, .side")) return;
    if (e.key === " " && t?.closest?.("button, a, summary, label")) return; // a press, not a scroll
    this.manual(e);
  };

  private bar = (e: MouseEvent): void => {
    // A press on the window's own scroll bar.
    if (e.clientX >= document.documentElement.clientWidth) this.manual(e);
  };

  destroy(): void {
    window.removeEventListener("wheel", this.manual);
    window.removeEventListener("touchmove", this.manual);
    window.removeEventListener("keydown", this.key);
    window.removeEventListener("mousedown", this.bar);
  }
}
