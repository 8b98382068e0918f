// The keyboard shortcuts, listed on "?".
import { el } from "./dom";

const KEYS: [string, string][] = [
  ["?", "Show these shortcuts"],
  ["/", "Search the text, proposals and notes"],
  ["Enter, Shift+Enter", "In the search box: next, previous hit (F3, Shift+F3 anywhere)"],
  ["f", "Follow the chair on or off"],
  ["c", "Go to the chair's paragraph"],
  ["o", "Go to the outline"],
  ["j, k", "Next, previous paragraph"],
  ["Escape", "Leave the paragraph you are typing in; close this list"],
];
const EDITING: [string, string][] = [
  ["[", "Open a pair of brackets, spaced as a drafter would (or bracket the selection)"],
  ["Backspace", "In an empty pair: remove it; on a bracket: offer to resolve its group"],
  ["Ctrl+Z, Ctrl+Shift+Z", "Undo, redo your own typing"],
  ["Alt+↓, Alt+↑", "Next, previous paragraph"],
];
const CHAIR: [string, string][] = [
  ["Enter", "Put the room's focus on the paragraph you are in"],
  ["Alt+1, Alt+2, Alt+3", "In a bracket group: keep that alternative, drop the others"],
  ["Alt+A", "In a bracket group: accept it (take the brackets away, keep the words)"],
  ["Alt+X", "In a bracket group: drop it, brackets and words"],
];
const CHAIR_ANYWHERE: [string, string][] = [["n", "Give the floor to the next delegation on the speakers' list"]];
const DELEGATE: [string, string][] = [["Alt+X", "In a group that is all your delegation's: drop it (withdraw it)"]];

export class Help {
  readonly el: HTMLDialogElement;

  constructor(chair: boolean) {
    const table = (title: string, rows: [string, string][]) =>
      el("section", {}, el("h3", { text: title }), el("dl", { class: "keys" }, ...rows.flatMap(([k, what]) => [el("dt", {}, ...k.split(", ").flatMap((x, i) => [i ? ", " : "", el("kbd", { text: x })])), el("dd", { text: what })])));
    this.el = el(
      "dialog",
      { class: "help", "aria-label": "Keyboard shortcuts" },
      el("h2", { text: "Keyboard shortcuts" }),
      table("Anywhere (when not typing in a paragraph)", chair ? [...KEYS, ...CHAIR_ANYWHERE] : KEYS),
      table("Typing in a paragraph", chair ? [...CHAIR, ...EDITING] : [...EDITING, ...DELEGATE]),
      el("form", { method: "dialog" }, el("button", { class: "btn", text: "Close" })),
    ) as HTMLDialogElement;
  }

  toggle(): void {
    if (this.el.open) this.el.close();
    else this.el.showModal();
  }
}
