// One paragraph on screen: label, text (a CodeMirror editor once visible or
// focused, for roles that edit; read-only spans otherwise), status badge,
// who is in it, the bracket group at the caret, refusals, proposals.
// Every update touches only this paragraph's own elements.
import { describeGroup, ParagraphEditor, type CaretGroup, type GroupAction } from "./editor";
import { el, hidden, replace, setClass, setText, toggle } from "./dom";
import type { Paragraph, Proposal, Runs, TextOp } from "./protocol";
import { redlineNode } from "./redline";
import { renderText } from "./render";
import { cpLength } from "./textop";
import type { RefusalPlace } from "./protocol";

export interface ParaHost {
  editable: boolean;
  author: string;
  /** The chair: paragraphs get a focus button, and Enter sets the focus. */
  chair: boolean;
  focusHere(para: string): void;
  /** step moves to the next or previous paragraph's text. */
  step(from: ParaView, dir: 1 | -1): void;
  textOf(id: string): { text: string; runs: Runs } | undefined;
  local(id: string, op: TextOp): void;
  entered(pv: ParaView): void;
  proposalControls(pr: Proposal, para: string): Node | null;
  /** resolveGroup sends a brackets.* action on the group at code point at. */
  resolveGroup(para: string, at: number, a: GroupAction): void;
  /** Which one-step actions this participant may take on a group by authors. */
  groupActions(authors: string[]): { keep: boolean; drop: boolean };
}

export const STATUS_LABEL: Record<string, string> = { open: "Open", agreed_ad_ref: "Agreed ad ref.", agreed: "Agreed" };

export class ParaView {
  readonly el: HTMLElement;
  private readonly labelEl: HTMLElement;
  private readonly textEl: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly focusMark: HTMLElement;
  private readonly focusBtn: HTMLButtonElement | null;
  private readonly who: HTMLElement;
  private readonly groupEl: HTMLElement;
  private readonly errorEl: HTMLElement;
  private readonly props: HTMLElement;
  editor: ParagraphEditor | null = null;
  private presenceKey = "";

  constructor(
    private readonly host: ParaHost,
    public p: Paragraph,
  ) {
    this.labelEl = el("span", { class: "plabel" });
    this.textEl = el("div", { class: "ptext", dir: "auto" });
    this.badge = el("span", { class: "badge" });
    this.focusMark = el("span", { class: "focusmark", text: "Chair's focus", hidden: true });
    // One click puts the room on this paragraph (Enter in its text does too).
    this.focusBtn = host.chair
      ? (el("button", { type: "button", class: "btn small focusbtn", title: "Put the room's focus on this paragraph (Enter while typing in it)", onclick: () => host.focusHere(p.id) }, "Focus here") as HTMLButtonElement)
      : null;
    this.who = el("span", { class: "who" });
    this.groupEl = el("div", { class: "pgroup", role: "status" });
    this.errorEl = el("div", { class: "perror", role: "alert", hidden: true });
    this.props = el("ul", { class: "pprops" });
    this.el = el(
      "div",
      { class: "para", id: "p-" + p.id, "data-para": p.id, tabindex: -1 },
      this.labelEl,
      el("div", { class: "pbody" }, this.textEl, el("div", { class: "pmeta" }, this.badge, this.focusMark, this.who, this.focusBtn), this.groupEl, this.errorEl, this.props),
    );
    this.setLabel();
    this.setStatus();
    this.setProposals();
    this.renderStatic();
    if (host.editable) {
      this.textEl.tabIndex = 0;
      this.textEl.setAttribute("aria-label", `Paragraph ${p.label}: press Enter or start typing to edit`);
      this.textEl.addEventListener("focus", () => this.upgrade(true));
      this.textEl.addEventListener("mousedown", () => this.upgrade(true));
    } else {
      // Readers reach each paragraph by keyboard too.
      this.textEl.tabIndex = 0;
      this.textEl.addEventListener("focus", () => host.entered(this));
    }
  }

  get id(): string {
    return this.p.id;
  }

  /** enter puts the keyboard in this paragraph's text (its editor, for those who edit). */
  enter(): void {
    if (this.editor) this.editor.focus();
    else if (this.host.editable) this.upgrade(true);
    else this.textEl.focus();
  }

  /** upgrade swaps the read-only text for an editor. */
  upgrade(focus = false): void {
    if (!this.host.editable) return;
    if (!this.editor) {
      const t = this.host.textOf(this.id);
      if (!t) return;
      this.textEl.removeAttribute("tabindex");
      this.textEl.removeAttribute("aria-label");
      replace(this.textEl);
      this.editor = new ParagraphEditor({
        parent: this.textEl,
        text: t.text,
        runs: t.runs,
        author: this.host.author,
        label: `Paragraph ${this.p.label}`,
        onLocal: (op) => {
          this.clearError();
          this.host.local(this.id, op);
        },
        onFocus: () => this.host.entered(this),
        onCaretGroup: (g) => this.showGroup(g),
        onGroupAction: (g, a) => this.groupAction(g, a),
        onEnter: this.host.chair ? () => this.host.focusHere(this.id) : undefined,
        onNav: (dir) => this.host.step(this, dir),
        onEscape: () => this.el.focus(),
      });
    }
    if (focus) queueMicrotask(() => this.editor?.focus());
  }

  /**
   * showGroup describes the bracket group at the caret and, for whoever
   * may resolve it, offers one button per alternative to keep, Accept and
   * Drop (offered says Backspace or Delete hit one of its brackets).
   */
  private showGroup(g: CaretGroup | null, offered = false): void {
    if (!g) {
      replace(this.groupEl);
      return;
    }
    const may = this.host.groupActions(g.authors);
    const btn = (text: string, title: string, a: GroupAction) =>
      el(
        "button",
        {
          type: "button",
          class: "btn small",
          title,
          // Keep the caret in the text: a blur would hide the buttons before the click.
          onmousedown: (e: Event) => e.preventDefault(),
          onclick: () => this.host.resolveGroup(this.id, g.at, a),
        },
        text,
      );
    const short = (s: string) => (s.length > 24 ? s.slice(0, 23) + "…" : s);
    const buttons: Node[] = [];
    if (may.keep) {
      g.alternatives.forEach((alt, i) => {
        if (g.alternatives.length > 1) buttons.push(btn(`Keep “${short(alt)}”`, `Keep this alternative, drop the others (Alt+${i + 1})`, { kind: "brackets.keep", alternative: i }));
      });
      if (g.alternatives.length === 1) buttons.push(btn("Accept", "Take the brackets away and keep the words (Alt+A)", { kind: "brackets.accept" }));
    }
    if (may.drop) buttons.push(btn("Drop", "Remove the group, brackets and words (Alt+X)", { kind: "brackets.drop" }));
    replace(
      this.groupEl,
      el("span", { text: describeGroup(g) }),
      offered && buttons.length ? el("span", { class: "hint", text: " A bracket alone cannot be deleted: resolve the group instead." }) : null,
      buttons.length ? el("span", { class: "row groupacts" }, ...buttons) : null,
    );
  }

  private groupAction(g: CaretGroup, a: GroupAction | null): boolean {
    if (!a) {
      // Backspace or Delete on a bracket: offer the actions, change nothing.
      this.showGroup(g, true);
      return true;
    }
    const may = this.host.groupActions(g.authors);
    if (a.kind === "brackets.drop" ? !may.drop : !may.keep) return false;
    if (a.kind === "brackets.keep" && (a.alternative ?? 0) >= g.alternatives.length) return false;
    this.host.resolveGroup(this.id, g.at, a);
    return true;
  }

  private renderStatic(): void {
    const t = this.host.textOf(this.id);
    if (t) renderText(this.textEl, t.text, t.runs);
  }

  /** remote applies a change made elsewhere (or a rollback) to the view. */
  remote(op: TextOp, author: string, before: string): void {
    const t = this.host.textOf(this.id);
    if (!t) return;
    if (!this.editor) {
      this.renderStatic();
      return;
    }
    if (this.editor.text() === before) this.editor.applyRemote(op, author);
    else this.editor.applyRemote([{ d: cpLength(this.editor.text()) }, t.text], author); // out of step: take the replica's
    this.editor.setRuns(t.runs);
  }

  /** refresh shows the replica's text and runs: the ops of a frame at once, in one change. */
  refresh(): void {
    const t = this.host.textOf(this.id);
    if (!t) return;
    if (this.editor) this.editor.sync(t.text, t.runs);
    else this.renderStatic();
  }

  /** The server's runs after an ack. */
  syncRuns(): void {
    const t = this.host.textOf(this.id);
    if (this.editor && t) this.editor.setRuns(t.runs);
  }

  /** reset shows the replica's text after a reload. */
  reset(): void {
    const t = this.host.textOf(this.id);
    if (!t) return;
    if (this.editor) {
      if (this.editor.text() !== t.text) this.editor.applyRemote([{ d: cpLength(this.editor.text()) }, t.text], "");
      this.editor.setRuns(t.runs);
    } else this.renderStatic();
  }

  setLabel(): void {
    setText(this.labelEl, this.p.label);
  }

  setStatus(): void {
    setClass(this.badge, "badge st-" + this.p.status);
    setText(this.badge, STATUS_LABEL[this.p.status] ?? this.p.status);
    for (const s of ["open", "agreed_ad_ref", "agreed"]) toggle(this.el, "st-" + s, this.p.status === s);
  }

  setFocus(on: boolean): void {
    toggle(this.el, "focus", on);
    hidden(this.focusMark, !on);
    if (this.focusBtn) hidden(this.focusBtn, on);
  }

  /** setPresence lists who is in this paragraph (names, shown as text). */
  setPresence(names: string[]): void {
    const key = names.join("\n");
    if (key === this.presenceKey) return;
    this.presenceKey = key;
    replace(this.who, ...names.map((n) => el("span", { class: "chip", text: n })));
  }

  setCurrent(on: boolean): void {
    toggle(this.el, "current", on);
  }

  /**
   * showError shows a refusal beside the paragraph, in the server's words;
   * the rule's name (for programs) goes in data-rule, and the place, when
   * the server gives its offset, is marked in the text for a moment.
   */
  showError(message: string, place: RefusalPlace = {}): void {
    setText(this.errorEl, "Not applied: " + message);
    if (place.rule) this.errorEl.dataset.rule = place.rule;
    else delete this.errorEl.dataset.rule;
    hidden(this.errorEl, false);
    if (place.offset !== undefined) this.editor?.markPlace(place.offset);
  }

  clearError(): void {
    if (!this.errorEl.hidden) hidden(this.errorEl, true);
  }

  setProposals(): void {
    const list = (this.p.proposals ?? []).filter((pr) => pr.status !== "withdrawn");
    replace(this.props, ...list.map((pr) => proposalItem(pr, this.host.proposalControls(pr, this.id), this.p.base_text)));
  }

  destroy(): void {
    this.editor?.destroy();
  }
}

/** proposalItem is a proposal's card; a MOD of a paragraph (base: its original text) shows as a redline. */
export function proposalItem(pr: Proposal, controls: Node | null, base = ""): HTMLElement {
  const who = pr.proposer_name || pr.proposer || "Unknown proposer";
  return el(
    "li",
    { class: "prop ps-" + pr.status },
    el("span", { class: "prop-head", text: `${who} — ${pr.action}${pr.ref ? " " + pr.ref : ""}${pr.status !== "tabled" ? " (" + pr.status + ")" : ""}` }),
    pr.text ? proposalText(pr, base) : null,
    controls,
  );
}

/** proposalText is a proposal's text: a MOD as changes to the original, anything else as it is. */
export function proposalText(pr: Proposal, base: string): HTMLElement {
  if (pr.action === "MOD" && base) return redlineNode(base, pr.text, "prop-text redline");
  return el("span", { class: "prop-text", dir: "auto", text: pr.text });
}
