// The frame around every document page: a top bar with navigation, the
// connection indicator and the participant, and a banner for what the
// participant must know (edits that were not saved).
import { logout } from "./api";
import { el, hidden, replace, setClass, setText } from "./dom";
import type { ConnState } from "./live";
import type { Pending } from "./machine";
import type { Session } from "./protocol";
import { describeOp } from "./textop";
import { navigate } from "./nav";

export type Page = "document" | "projector" | "table";

export class Shell {
  readonly el: HTMLElement;
  readonly main: HTMLElement;
  private readonly conn: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly toast: HTMLElement;
  private toastTimer = 0;

  constructor(docId: string, sess: Session, page: Page) {
    const base = `/documents/${encodeURIComponent(docId)}`;
    const link = (href: string, text: string, p: Page) =>
      el("a", { href, "data-nav": "", class: "nav" + (p === page ? " here" : ""), "aria-current": p === page ? "page" : null, text });
    this.conn = el("span", { class: "conn", role: "status", "aria-live": "polite" });
    const who = `${sess.name} (${sess.role}${sess.delegation ? ", " + sess.delegation : ""})`;
    this.banner = el("div", { class: "banner", role: "alert", hidden: true });
    this.toast = el("div", { class: "toast", role: "status", "aria-live": "polite", hidden: true });
    this.main = el("div", { class: "page page-" + page });
    this.el = el(
      "div",
      { class: "shell" },
      el(
        "header",
        { class: "bar" },
        el("span", { class: "brand", text: "Draftroom" }),
        el("nav", { "aria-label": "Views" }, link(base, "Document", "document"), link(base + "/projector", "Projector", "projector"), link(base + "/table", "Comparison table", "table")),
        this.conn,
        el("span", { class: "me", text: who }),
        el("button", { type: "button", class: "btn", onclick: () => void this.logout() }, "Log out"),
      ),
      this.banner,
      this.main,
      this.toast,
    );
  }

  private async logout(): Promise<void> {
    try {
      await logout();
    } finally {
      navigate("/");
    }
  }

  /** setConnection shows connected / reconnecting / offline and the edits waiting. */
  setConnection(s: ConnState, waiting: number): void {
    const text = {
      connecting: "Connecting…",
      connected: "Connected",
      reconnecting: "Reconnecting…",
      offline: "Offline",
      closed: "Disconnected",
    }[s];
    const w = waiting ? ` — ${waiting} edit${waiting === 1 ? "" : "s"} waiting` : "";
    setText(this.conn, text + w);
    setClass(this.conn, "conn conn-" + s + (waiting ? " conn-waiting" : ""));
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
