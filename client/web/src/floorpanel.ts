// The floor's controls in the document view's side panel: a delegate asks
// for the floor (on the paragraph it is in, or in general) and withdraws
// the request; the chair sees the speakers' list in order and gives the
// floor, removes a request, closes the floor and switches floor-only
// typing. Every screen also shows the floor in a line under the top bar
// (floor.ts); this panel is where people act on it. Each button sends one
// floor.* action; what the panel shows comes back from the op stream.
import { el, replace, setText } from "./dom";
import type { Floor } from "./floor";
import type { ActionFields, ActionKind, Session } from "./protocol";
import type { Live } from "./live";
import type { DocModel } from "./model";

export interface FloorHost {
  readonly sess: Session;
  readonly live: Live;
  model(): DocModel | null;
  /** The paragraph the participant is in, if any. */
  currentPara(): string | null;
  labelOf(para: string): string;
  nameOf(code: string): string;
  notify(message: string, bad?: boolean): void;
}

export class FloorPanel {
  readonly el: HTMLElement;
  private readonly body = el("div", { class: "fpanel" });
  private readonly result = el("p", { class: "result", role: "status", "aria-live": "polite" });
  private readonly chair: boolean;
  private readonly delegate: boolean;
  private readonly onPara = el("input", { type: "checkbox", checked: true }) as HTMLInputElement;

  constructor(private readonly h: FloorHost) {
    this.chair = h.sess.role === "chair" || h.sess.role === "admin";
    this.delegate = h.sess.role === "delegate" && !!h.sess.delegation;
    this.el = el("section", { class: "panel floorpanel", "aria-label": "The floor", hidden: !this.chair && !this.delegate }, el("h2", { text: "The floor" }), this.body, this.result);
  }

  private floor(): Floor {
    return this.h.model()?.floor ?? { speaking: null, queue: [], only: false };
  }

  private async act<K extends ActionKind>(kind: K, fields: ActionFields[K]): Promise<void> {
    setText(this.result, "Sending…");
    this.result.className = "result";
    try {
      await this.h.live.action(kind, fields);
      setText(this.result, "");
    } catch (e) {
      const msg = (e as Error).message;
      setText(this.result, "Refused: " + msg);
      this.result.className = "result bad";
      this.h.notify("Refused: " + msg, true);
    }
  }

  /** giveNext gives the floor to the first delegation on the list (the chair's key). */
  giveNext(): void {
    const next = this.floor().queue[0];
    if (!this.chair) return;
    if (!next) return this.h.notify("Nobody is waiting for the floor.");
    void this.act("floor.give", { delegation: next.delegation });
  }

  /** update redraws the panel from the floor and the current paragraph. */
  update(): void {
    if (this.el.hidden) return;
    const f = this.floor();
    const btn = (text: string, on: () => void, cls = "btn small") => el("button", { type: "button", class: cls, onclick: on }, text);
    const who = (code: string) => {
      const name = this.h.nameOf(code); // a name that only repeats the code ("ARB Arb") is left out
      return el("span", { class: "fwho" }, el("b", { text: code }), name.toUpperCase() !== code.toUpperCase() ? " " + name : "");
    };
    const out: (Node | null)[] = [];
    out.push(el("p", { class: "fnow" }, f.speaking ? who(f.speaking) : el("span", { class: "hint", text: "Nobody has the floor." }), f.speaking ? " has the floor." : null));
    if (this.delegate) {
      const mine = this.h.sess.delegation;
      const i = f.queue.findIndex((q) => q.delegation === mine);
      const para = this.h.currentPara();
      if (f.speaking === mine) out.push(el("p", { class: "fyou", text: "Your delegation has the floor." }));
      if (i >= 0) {
        const q = f.queue[i];
        out.push(
          el("p", { class: "fyou", text: `You are number ${i + 1} on the speakers' list${q.para ? ", on " + this.h.labelOf(q.para) : ""}.` }),
          el("div", { class: "row" }, btn("Withdraw my request", () => void this.act("floor.withdraw", {}), "btn")),
        );
      } else if (f.speaking !== mine) {
        // A delegation that has the floor is not offered to ask for it.
        out.push(
          el(
            "div",
            { class: "row" },
            btn("Ask for the floor", () => void this.act("floor.request", para && this.onPara.checked ? { para } : {}), "btn primary"),
            para ? el("label", { class: "hint" }, this.onPara, " on " + this.h.labelOf(para)) : null,
          ),
        );
      }
      if (f.queue.length) out.push(el("p", { class: "hint", text: `${f.queue.length} waiting.` }));
      if (f.only) out.push(el("p", { class: "hint", text: "Floor-only typing is on: you may change the text only while your delegation has the floor. You can still table proposals." }));
    }
    if (this.chair) {
      out.push(
        el(
          "div",
          { class: "row" },
          f.queue.length ? btn("Give to next", () => this.giveNext(), "btn primary") : null,
          f.speaking ? btn("Close the floor", () => void this.act("floor.close", {}), "btn") : null,
        ),
      );
      const only = el("input", { type: "checkbox", checked: f.only, onchange: () => void this.act("floor.mode", { only: only.checked }) }) as HTMLInputElement;
      out.push(el("label", { class: "fonlyswitch" }, only, " Floor-only typing (only the delegation with the floor may change the text)"));
      out.push(
        f.queue.length
          ? el(
              "ol",
              { class: "fq", "aria-label": "Speakers' list" },
              ...f.queue.map((q, i) =>
                el(
                  "li",
                  { "data-delegation": q.delegation },
                  el("span", { class: "fqwho" }, el("span", { class: "fnum", text: `${i + 1}. ` }), who(q.delegation), q.para ? el("span", { class: "hint", text: " on " + this.h.labelOf(q.para) }) : null),
                  el("span", { class: "row" }, btn("Give floor", () => void this.act("floor.give", { delegation: q.delegation })), btn("Remove", () => void this.act("floor.withdraw", { delegation: q.delegation }))),
                ),
              ),
            )
          : el("p", { class: "hint", text: "Nobody is waiting for the floor." }),
      );
    }
    replace(this.body, ...out);
  }
}
