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
import { changesFromOp, opFromChanges, type Change } from "./textop";

/** Marks a transaction that is not the user's: its value is the author. */
const remoteAuthor = Annotation.define<string>();
const setRuns = StateEffect.define<Runs>();

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
}

function caretGroup(state: EditorState, runs: Runs): CaretGroup | null {
  const text = state.doc.toString();
  const b = parseBrackets(text);
  const k = enclosingPair(b, state.selection.main.head);
  if (k < 0) return null;
  const g = b.groups[b.pairs[k].group];
  return { from: g.start, to: g.end, authors: groupAuthors(text, runs, g) };
}

function decorations(runs: StateField<Runs>) {
  const build = (state: EditorState): DecorationSet => {
    const text = state.doc.toString();
    const r = state.field(runs);
    const ranges = decorationRanges(text, r).map((s) =>
      Decoration.mark({ class: s.cls, attributes: s.title ? { title: s.title } : undefined }).range(s.from, s.to),
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
}

export class ParagraphEditor {
  readonly view: EditorView;
  private readonly runs: StateField<Runs>;

  constructor(o: EditorOptions) {
    this.runs = runsField(o.author, o.runs);
    const extensions: Extension[] = [
      EditorState.lineSeparator.of("\n"), // keep "\r" as text: offsets must match the server's
      this.runs,
      decorations(this.runs),
      history(),
      keymap.of([{ key: "Enter", run: () => true }, ...historyKeymap, ...standardKeymap]),
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
    if (text === "[") {
      view.dispatch({
        changes: [
          { from, insert: "[" },
          { from: to, insert: "]" },
        ],
        selection: from === to ? EditorSelection.cursor(from + 1) : EditorSelection.range(from + 1, to + 1),
        userEvent: "input.type",
      });
      return true;
    }
    if (text === "]" && from === to && view.state.doc.sliceString(from, from + 1) === "]") {
      view.dispatch({ selection: EditorSelection.cursor(from + 1) });
      return true;
    }
    return false;
  }

  text(): string {
    return this.view.state.doc.toString();
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
    this.view.destroy();
  }
}

export function describeGroup(g: CaretGroup | null): string {
  if (!g) return "";
  return g.authors.length ? `Bracketed text proposed by ${g.authors.map(displayAuthor).join(", ")}` : "Bracketed text";
}
