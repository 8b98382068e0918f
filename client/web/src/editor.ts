// One CodeMirror editor per paragraph. The editor holds the paragraph's
// local text and its authorship runs (kept in step by the same rule as the
// server), and reports each user change as a text op. Remote changes come
// in with addToHistory false, so undo only ever undoes one's own edits.
import { history, historyKeymap, standardKeymap } from "@codemirror/commands";
import { Annotation, EditorSelection, EditorState, StateEffect, StateField, Transaction, type Extension } from "@codemirror/state";
import { Decoration, EditorView, keymap, type DecorationSet } from "@codemirror/view";
import { decorationRanges, enclosingPair, groupAuthors, parseBrackets, displayAuthor } from "./brackets";
import type { Runs, TextOp } from "./protocol";
import { applyRuns } from "./runs";
import { changesFromOp, cpLength, opFromChanges, replaceChange, toCodePoints, toUtf16, type Change } from "./textop";
import { bracketInsert, emptyPairDelete } from "./typing";

/** Marks a transaction that is not the user's: its value is the author. */
const remoteAuthor = Annotation.define<string>();
const setRuns = StateEffect.define<Runs>();
/** Marks a refused place (a UTF-16 offset), or clears it (null). */
const setPlace = StateEffect.define<number | null>();

const placeField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (!e.is(setPlace)) continue;
      const len = tr.state.doc.length;
      if (e.value === null || len === 0) return Decoration.none;
      const at = Math.min(Math.max(0, e.value), len - 1);
      return Decoration.set([Decoration.mark({ class: "refused-at" }).range(at, at + 1)]);
    }
    return tr.docChanged ? deco.map(tr.changes) : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function changesOf(tr: Transaction): Change[] {
  const out: Change[] = [];
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => out.push({ from: fromA, to: toA, insert: inserted.toString() }));
  return out;
}

function runsField(author: string, initial: Runs) {
  return StateField.define<Runs>({
    create: () => initial,
    update(runs, tr) {
      for (const e of tr.effects) if (e.is(setRuns)) return e.value;
      if (!tr.docChanged) return runs;
      const op = opFromChanges(tr.startState.doc.toString(), changesOf(tr));
      return applyRuns(runs, op, tr.annotation(remoteAuthor) ?? author);
    },
  });
}

/** The bracket group around the caret: its range and proposers, or null. */
export interface CaretGroup {
  from: number;
  to: number;
  authors: string[];
  /** The words of each alternative, without their brackets. */
  alternatives: string[];
  /** The group's first "[" in code points: the "at" of brackets.* actions. */
  at: number;
}

/** A one-step resolution of the group at the caret (brackets.keep, accept, drop). */
export interface GroupAction {
  kind: "brackets.keep" | "brackets.accept" | "brackets.drop";
  alternative?: number;
}

function caretGroup(state: EditorState, runs: Runs): CaretGroup | null {
  const text = state.doc.toString();
  const b = parseBrackets(text);
  const k = enclosingPair(b, state.selection.main.head);
  if (k < 0) return null;
  const g = b.groups[b.pairs[k].group];
  const alternatives = g.pairs.map((i) => text.slice(b.pairs[i].open + 1, b.pairs[i].close));
  return { from: g.start, to: g.end, authors: groupAuthors(text, runs, g), alternatives, at: toCodePoints(text, g.start) };
}

function decorations(runs: StateField<Runs>) {
  const build = (state: EditorState): DecorationSet => {
    const text = state.doc.toString();
    const r = state.field(runs);
    const ranges = decorationRanges(text, r).map((s) =>
      Decoration.mark({ class: s.cls, attributes: s.title ? { title: s.title } : s.tag ? { "data-tag": s.tag } : undefined }).range(s.from, s.to),
    );
    const g = caretGroup(state, r);
    if (g) ranges.push(Decoration.mark({ class: "br-active" }).range(g.from, g.to));
    return Decoration.set(ranges, true);
  };
  return StateField.define<DecorationSet>({
    create: build,
    update(deco, tr) {
      const runsChanged = tr.effects.some((e) => e.is(setRuns));
      return tr.docChanged || tr.selection || runsChanged ? build(tr.state) : deco;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
}

export interface EditorOptions {
  parent: HTMLElement;
  text: string;
  runs: Runs;
  author: string; // whom this participant's text is attributed to
  label: string; // accessible name
  onLocal(op: TextOp): void;
  onFocus(): void;
  onCaretGroup(g: CaretGroup | null): void;
  /** Enter: the paragraph's own command (the chair puts the room's focus on it). */
  onEnter?(): void;
  /** Alt+↓ / Alt+↑: the next or previous paragraph. */
  onNav?(dir: 1 | -1): void;
  /** Escape: leave the editor. */
  onEscape?(): void;
  /**
   * Alt+1…9 (keep that alternative), Alt+A (accept), Alt+X (drop) on the
   * group at the caret; Backspace or Delete on one of its brackets (which
   * alone would unbalance it) offers these instead. Returns whether it
   * was handled.
   */
  onGroupAction?(g: CaretGroup, a: GroupAction | null): boolean;
}

export class ParagraphEditor {
  readonly view: EditorView;
  private readonly runs: StateField<Runs>;
  private readonly author: string;
  private destroyed = false;

  constructor(o: EditorOptions) {
    this.author = o.author;
    this.runs = runsField(o.author, o.runs);
    const extensions: Extension[] = [
      EditorState.lineSeparator.of("\n"), // keep "\r" as text: offsets must match the server's
      this.runs,
      decorations(this.runs),
      placeField,
      history(),
      keymap.of([
        // A paragraph has no line breaks: Enter is the paragraph's command.
        { key: "Enter", run: () => (o.onEnter?.(), true) },
        { key: "Backspace", run: (v) => this.backspace(v, o) },
        { key: "Alt-ArrowDown", run: () => (o.onNav?.(1), true) },
        { key: "Alt-ArrowUp", run: () => (o.onNav?.(-1), true) },
        { key: "Escape", run: () => (o.onEscape?.(), !!o.onEscape) },
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ key: `Alt-${n}`, run: (v: EditorView) => this.groupAction(v, o, { kind: "brackets.keep", alternative: n - 1 }) })),
        { key: "Alt-a", run: (v) => this.groupAction(v, o, { kind: "brackets.accept" }) },
        { key: "Alt-x", run: (v) => this.groupAction(v, o, { kind: "brackets.drop" }) },
        { key: "Delete", run: (v) => this.onBracket(v, o, 0) },
        ...historyKeymap,
        ...standardKeymap,
      ]),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ dir: "auto", "aria-label": o.label, "aria-multiline": "false" }),
      EditorView.inputHandler.of((view, from, to, text) => this.typed(view, from, to, text)),
      EditorView.domEventHandlers({ focus: () => o.onFocus() }),
      EditorView.updateListener.of((u) => {
        if (u.selectionSet || u.docChanged || u.focusChanged) o.onCaretGroup(u.view.hasFocus ? caretGroup(u.state, u.state.field(this.runs)) : null);
      }),
    ];
    this.view = new EditorView({
      parent: o.parent,
      state: EditorState.create({ doc: o.text, extensions }),
      dispatchTransactions: (trs, view) => {
        view.update(trs);
        for (const tr of trs) {
          if (tr.docChanged && tr.annotation(remoteAuthor) === undefined) o.onLocal(opFromChanges(tr.startState.doc.toString(), changesOf(tr)));
        }
      },
    });
  }

  /**
   * typed pairs brackets: "[" inserts "[]" (or wraps the selection) with the
   * caret inside, and "]" steps over a "]" already there. A lone bracket
   * would unbalance the paragraph, which the server refuses.
   */
  private typed(view: EditorView, from: number, to: number, text: string): boolean {
    // A paragraph has no line breaks (Enter is its command, not a new line).
    if (/^[\r\n]+$/.test(text)) return true;
    if (text === "[") {
      const ins = bracketInsert(view.state.doc.toString(), from, to);
      view.dispatch({ changes: ins.changes, selection: EditorSelection.range(ins.anchor, ins.head), userEvent: "input.type" });
      return true;
    }
    if (text === "]" && from === to && view.state.doc.sliceString(from, from + 1) === "]") {
      view.dispatch({ selection: EditorSelection.cursor(from + 1) });
      return true;
    }
    return false;
  }

  /** groupAction resolves the group at the caret, if there is one. */
  private groupAction(view: EditorView, o: EditorOptions, a: GroupAction): boolean {
    const g = caretGroup(view.state, view.state.field(this.runs));
    if (!g || !o.onGroupAction) return false;
    return o.onGroupAction(g, a);
  }

  /**
   * onBracket: Backspace (dir -1) or Delete (0) on a bracket, which alone
   * would unbalance the paragraph, offers the group's one-step actions.
   */
  private onBracket(view: EditorView, o: EditorOptions, dir: -1 | 0): boolean {
    const sel = view.state.selection.main;
    if (!sel.empty || !o.onGroupAction) return false;
    const c = view.state.doc.sliceString(sel.head + dir, sel.head + dir + 1);
    if (c !== "[" && c !== "]") return false;
    const state = view.state.update({ selection: EditorSelection.cursor(c === "[" ? sel.head + dir + 1 : sel.head + dir) }).state;
    const g = caretGroup(state, state.field(this.runs));
    if (!g) return false;
    return o.onGroupAction(g, null);
  }

  /** Backspace in an empty pair removes the pair (and the space typed with it). */
  private backspace(view: EditorView, o?: EditorOptions): boolean {
    const sel = view.state.selection.main;
    if (!sel.empty) return false;
    const text = view.state.doc.toString();
    const runs = view.state.field(this.runs);
    const own = (at: number) => authorAt(runs, toCodePoints(text, at)) === this.author;
    const del = emptyPairDelete(text, sel.head, own);
    if (!del) return o ? this.onBracket(view, o, -1) : false;
    view.dispatch({ changes: del, selection: EditorSelection.cursor(del.from), userEvent: "delete.backward" });
    return true;
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  /** markPlace marks the character at a code point offset for a few seconds. */
  markPlace(cp: number): void {
    const text = this.text();
    this.view.dispatch({ effects: setPlace.of(toUtf16(text, Math.min(cp, cpLength(text)))) });
    setTimeout(() => {
      if (!this.destroyed) this.view.dispatch({ effects: setPlace.of(null) });
    }, 4000);
  }

  /** applyRemote applies an op (against the current text) by author. */
  applyRemote(op: TextOp, author: string): void {
    const changes = changesFromOp(this.text(), op);
    if (!changes.length) return;
    this.view.dispatch({
      changes,
      annotations: [remoteAuthor.of(author), Transaction.addToHistory.of(false)],
    });
  }

  /**
   * sync makes the editor show text and runs (the replica's), in one
   * transaction that changes only the span that differs: how a frame's
   * remote ops reach a paragraph nobody types in here.
   */
  sync(text: string, runs: Runs): void {
    const change = replaceChange(this.text(), text);
    if (!change && JSON.stringify(runs) === JSON.stringify(this.view.state.field(this.runs))) return;
    this.view.dispatch({
      changes: change ?? [],
      effects: setRuns.of(runs),
      annotations: [remoteAuthor.of(""), Transaction.addToHistory.of(false)],
    });
  }

  /** setRuns replaces the runs with the server's, when they differ. */
  setRuns(runs: Runs): void {
    if (JSON.stringify(runs) !== JSON.stringify(this.view.state.field(this.runs))) this.view.dispatch({ effects: setRuns.of(runs) });
  }

  /** Bracket selection: wrap the selection (or an empty spot) in "[…]". */
  bracketSelection(): void {
    const { from, to } = this.view.state.selection.main;
    this.typed(this.view, from, to, "[");
    this.view.focus();
  }

  /**
   * Insert alternative: "[]" right after the bracket group around the
   * caret (a new alternative for that place), or at the caret; the caret
   * goes inside.
   */
  insertAlternative(): void {
    const state = this.view.state;
    const b = parseBrackets(state.doc.toString());
    const k = enclosingPair(b, state.selection.main.head);
    const at = k >= 0 ? b.groups[b.pairs[k].group].end : state.selection.main.head;
    this.view.dispatch({ changes: { from: at, insert: "[]" }, selection: EditorSelection.cursor(at + 1), userEvent: "input" });
    this.view.focus();
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.destroyed = true;
    this.view.destroy();
  }
}

/** The author of the code point at cp. */
function authorAt(runs: Runs, cp: number): string {
  let pos = 0;
  for (const [n, a] of runs) {
    if (cp < pos + n) return a;
    pos += n;
  }
  return "";
}

export function describeGroup(g: CaretGroup | null): string {
  if (!g) return "";
  return g.authors.length ? `Bracketed text proposed by ${g.authors.map(displayAuthor).join(", ")}` : "Bracketed text";
}
