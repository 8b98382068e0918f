// The frame around every document page: a top bar with navigation, the
// connection indicator and the participant, a bar under it for the view's
// own tools, and a banner for what the participant must know (edits that
// were not saved). The projector has no top bar at all (bare): it places
// the connection indicator itself.
import { logout } from "./api";
import { el, hidden, replace, setClass, setText } from "./dom";
import { connStatus, SLOW_MS } from "./conn";
import type { ConnState } from "./live";
import type { Pending } from "./machine";
import type { Session } from "./protocol";
import { describeOp } from "./textop";
import { navigate } from "./nav";

export type Page = "document" | "projector" | "table" | "history";

export class Shell {
  readonly el: HTMLElement;
  readonly main: HTMLElement;
  /** The view's own tools, under the top bar and sticky with it. */
  readonly sub: HTMLElement;
  readonly conn: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly toast: HTMLElement;
  private toastTimer = 0;

  /** What the "?" button does, when the view has shortcuts to list. */
  onHelp: (() => void) | null = null;

  constructor(docId: string, sess: Session, page: Page, opts: { bare?: boolean; help?: boolean } = {}) {
    const base = `/documents/${encodeURIComponent(docId)}`;
    const link = (href: string, text: string, p: Page) =>
      el("a", { href, "data-nav": "", class: "nav" + (p === page ? " here" : ""), "aria-current": p === page ? "page" : null, text });
    this.conn = el("span", { class: "conn", role: "status", "aria-live": "polite" });
    const who = `${sess.name} (${sess.role}${sess.delegation ? ", " + sess.delegation : ""})`;
    this.banner = el("div", { class: "banner", role: "alert", hidden: true });
    this.toast = el("div", { class: "toast", role: "status", "aria-live": "polite", hidden: true });
    this.main = el("div", { class: "page page-" + page });
    this.sub = el("div", { class: "subbar", hidden: true });
    const bar = opts.bare
      ? null
      : el(
          "div",
          { class: "top" },
          el(
            "header",
            { class: "bar" },
            el("span", { class: "brand", text: "Draftroom" }),
            el(
              "nav",
              { "aria-label": "Views" },
              link(base, "Document", "document"),
              link(base + "/projector", "Projector", "projector"),
              link(base + "/table", "Comparison table", "table"),
              link(base + "/history", "History and versions", "history"),
            ),
            this.conn,
            el("span", { class: "me", text: who, title: who }),
            opts.help ? el("button", { type: "button", class: "btn", title: "Keyboard shortcuts (?)", "aria-label": "Keyboard shortcuts", onclick: () => this.onHelp?.() }, "?") : null,
            el("button", { type: "button", class: "btn", onclick: () => void this.logout() }, "Log out"),
          ),
          this.sub,
        );
    this.el = el("div", { class: "shell" + (opts.bare ? " bare" : "") }, bar, this.banner, this.main, this.toast);
    // Sticky things below the top bar (the side panel, scroll targets) need
    // its height, which changes as it wraps: --toph.
    // Setting it restyles the whole document, so only when it changed: the
    // observer also fires when the bar's width changes.
    if (bar && "ResizeObserver" in window) {
      let toph = "";
      new ResizeObserver(() => {
        const h = bar.offsetHeight + "px";
        if (h === toph) return;
        toph = h;
        document.documentElement.style.setProperty("--toph", h);
      }).observe(bar);
    } else if (!bar) document.documentElement.style.setProperty("--toph", "0px");
  }

  private async logout(): Promise<void> {
    try {
      await logout();
    } finally {
      navigate("/");
    }
  }

  /** When the edits waiting began to wait (0: none wait), and the timer that shows them after SLOW_MS. */
  private waitingSince = 0;
  private slowTimer = 0;

  /** setConnection shows connected / reconnecting / offline and the edits waiting (see connStatus). */
  setConnection(s: ConnState, waiting: number): void {
    const now = performance.now();
    if (!waiting) this.waitingSince = 0;
    else if (!this.waitingSince) this.waitingSince = now;
    clearTimeout(this.slowTimer);
    const st = connStatus(s, waiting, now - this.waitingSince);
    if (waiting && !st.slow) this.slowTimer = window.setTimeout(() => this.setConnection(s, waiting), SLOW_MS - (now - this.waitingSince));
    setText(this.conn, st.text);
    setClass(this.conn, st.cls);
  }

  /** unsaved tells the participant plainly which edits were not saved. */
  unsaved(reason: string, edits: Pending[], labelOf: (para: string) => string, lead = "These edits were NOT saved; copy them before you reload:"): void {
    const items = edits.map((p) => {
      const d = describeOp(p.op);
      const what = d.inserted ? `typed “${d.inserted}”` : "";
      const del = d.deleted ? `deleted ${d.deleted} character${d.deleted === 1 ? "" : "s"}` : "";
      return el("li", {}, `Paragraph ${labelOf(p.para)}: ${[what, del].filter(Boolean).join(", ") || "an edit"}`);
    });
    replace(
      this.banner,
      el("strong", { text: reason }),
      edits.length ? el("p", {}, lead) : el("p", {}, "No edits were lost."),
      items.length ? el("ul", {}, ...items) : null,
      el("button", { type: "button", class: "btn", onclick: () => hidden(this.banner, true) }, "Dismiss"),
    );
    hidden(this.banner, false);
  }

  clearBanner(): void {
    hidden(this.banner, true);
  }

  /** notify shows a short message (an action's result or refusal). */
  notify(message: string, bad = false): void {
    setText(this.toast, message);
    setClass(this.toast, "toast" + (bad ? " bad" : ""));
    hidden(this.toast, false);
    clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => hidden(this.toast, true), bad ? 8000 : 3000);
  }
}
