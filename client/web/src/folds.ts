// Side panels that fold: a panel's heading becomes a button that hides or
// shows the rest of it, and each participant's folds are remembered in
// localStorage (per participant, so two people sharing a browser keep
// their own).
import { el } from "./dom";

export class Folds {
  private readonly key: string;
  private state: Record<string, boolean> = {};

  constructor(participant: string) {
    this.key = "draftroom:folds:" + participant;
    try {
      this.state = JSON.parse(localStorage.getItem(this.key) ?? "{}") ?? {};
    } catch {
      this.state = {};
    }
  }

  /**
   * foldable turns a panel (a section whose first child is its h2) into a
   * folding one, named id; folded by default when shut is true.
   */
  foldable(panel: HTMLElement, id: string, shut = false): HTMLElement {
    const h = panel.querySelector(":scope > h2");
    if (!h) return panel;
    const body = el("div", { class: "fbody", id: "panel-" + id });
    while (h.nextSibling) body.appendChild(h.nextSibling);
    const btn = el("button", { type: "button", class: "fold", "aria-controls": body.id }, ...Array.from(h.childNodes));
    h.appendChild(btn);
    panel.appendChild(body);
    panel.dataset.panel = id;
    const set = (folded: boolean) => {
      body.hidden = folded;
      btn.setAttribute("aria-expanded", String(!folded));
      panel.classList.toggle("folded", folded);
    };
    set(this.state[id] ?? shut);
    btn.addEventListener("click", () => {
      const folded = !body.hidden;
      set(folded);
      this.state[id] = folded;
      this.save();
    });
    return panel;
  }

  /** open unfolds a panel (search found something in it), as a click on its heading would. */
  static open(panel: Element | null): void {
    const body = panel?.querySelector(":scope > .fbody") as HTMLElement | null;
    if (!body || !body.hidden) return;
    (panel!.querySelector(":scope > h2 > .fold") as HTMLElement).click();
  }

  private save(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch {
      // storage full or forbidden: folds last for this page only
    }
  }
}
