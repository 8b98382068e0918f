// The tools of the participant's role, acting on the current paragraph:
// a delegate brackets text and tables proposals; the chair sets focus and
// status, merges or rejects proposals and edits the structure. Every action
// shows the server's answer, refusals included.
import type { DocView } from "./docview";
import type { GroupAction } from "./editor";
import { el, replace, setText } from "./dom";
import { ActionError } from "./live";
import type { ActionFields, ActionKind, Proposal, Status } from "./protocol";

export class Tools {
  readonly el: HTMLElement;
  readonly proposalsPanel: HTMLElement;
  /** The chair's triage list: the proposals that need a proposer. */
  readonly triagePanel: HTMLElement;
  private readonly triageHead = el("h2", { text: "Proposers" });
  private readonly triageList = el("ul", { class: "triage" });
  private readonly delegationOptions = el("datalist", { id: "delegation-list" });
  private triageKey = "";
  private optionsKey = "";
  private readonly where = el("p", { class: "where", text: "Select a paragraph to act on it." });
  private readonly result = el("p", { class: "result", role: "status", "aria-live": "polite" });
  private readonly status = el("select", { "aria-label": "Status" }) as HTMLSelectElement;
  private readonly label = el("input", { type: "text", "aria-label": "New label", size: 6 }) as HTMLInputElement;
  private readonly newLabel = el("input", { type: "text", "aria-label": "Label of the new paragraph", size: 6, placeholder: "Label" }) as HTMLInputElement;
  private readonly newText = el("textarea", { "aria-label": "Text of the new paragraph", rows: 2, placeholder: "Text", dir: "auto" }) as HTMLTextAreaElement;
  private readonly heading = el("input", { type: "text", "aria-label": "Section heading", placeholder: "Heading", dir: "auto" }) as HTMLInputElement;
  private readonly note = el("textarea", { "aria-label": "Note", rows: 2, placeholder: "Note on this paragraph", dir: "auto" }) as HTMLTextAreaElement;
  private readonly mine = el("ul", { class: "mine" });
  private readonly pAction = el("select", { "aria-label": "Proposal action" }) as HTMLSelectElement;
  private readonly pText = el("textarea", { "aria-label": "Proposed text", rows: 3, placeholder: "Proposed text", dir: "auto" }) as HTMLTextAreaElement;
  private readonly pRef = el("input", { type: "text", "aria-label": "Document reference", placeholder: "Reference, e.g. B/12/3" }) as HTMLInputElement;
  private readonly pTarget = el("p", { class: "hint" });
  private editing: string | null = null;
  private confirmDelete = false;
  private readonly deleteBtn: HTMLButtonElement;

  constructor(private readonly v: DocView) {
    const role = v.sess.role;
    const chair = role === "chair" || role === "admin";
    for (const [value, text] of [
      ["open", "Open"],
      ["agreed_ad_ref", "Agreed ad referendum"],
      ["agreed", "Agreed"],
    ]) this.status.appendChild(el("option", { value, text }));
    for (const a of ["MOD", "ADD", "SUP", "NOC"]) this.pAction.appendChild(el("option", { value: a, text: a }));
    const btn = (text: string, on: () => void, cls = "btn") => el("button", { type: "button", class: cls, onclick: on }, text) as HTMLButtonElement;
    this.deleteBtn = btn("Delete paragraph", () => this.deleteParagraph(), "btn danger");
    const parts: (Node | null)[] = [el("h2", { text: "Paragraph" }), this.where];
    if (role === "delegate") {
      parts.push(
        el(
          "div",
          { class: "row" },
          btn("Bracket selection", () => this.v.current?.editor?.bracketSelection()),
          btn("Insert alternative", () => this.v.current?.editor?.insertAlternative()),
        ),
        el("p", { class: "hint", text: "Delegations write only inside their own brackets. Typing “[” opens a pair." }),
      );
    }
    if (chair) {
      parts.push(
        el("div", { class: "row" }, btn("Set focus", () => this.act("focus", { para: this.para()! })), this.status, btn("Set status", () => this.act("status", { para: this.para()!, status: this.status.value as Status }))),
        el("div", { class: "row" }, btn("Move up", () => this.move(-1)), btn("Move down", () => this.move(1)), this.label, btn("Relabel", () => this.act("paragraph.relabel", { para: this.para()!, label: this.label.value.trim() }))),
        el("details", {}, el("summary", { text: "Insert a paragraph after this one" }), this.newLabel, this.newText, btn("Insert paragraph", () => this.insert())),
        el(
          "details",
          {},
          el("summary", { text: "Section" }),
          this.heading,
          el("div", { class: "row" }, btn("Rename section", () => this.renameSection()), btn("Insert section after", () => this.insertSection())),
        ),
        el("details", {}, el("summary", { text: "Add a note" }), this.note, btn("Add note", () => this.addNote())),
        el("div", { class: "row" }, this.deleteBtn),
      );
    }
    if (role === "rapporteur") parts.push(el("details", {}, el("summary", { text: "Add a note" }), this.note, btn("Add note", () => this.addNote())));
    parts.push(this.result);
    this.el = el("section", { class: "panel tools", "aria-label": "Paragraph tools", hidden: !chair && role !== "delegate" && role !== "rapporteur" }, ...parts);
    this.triagePanel = el(
      "section",
      { class: "panel triagepanel", "aria-label": "Proposals that need a proposer", hidden: !chair },
      this.triageHead,
      el("p", { class: "hint", text: "A proposal is merged under its proposer's name: assign one first. Accept the import's suggestion in one click, or pick a delegation." }),
      this.triageList,
      this.delegationOptions,
    );
    this.proposalsPanel = el(
      "section",
      { class: "panel", hidden: role !== "delegate" },
      el("h2", { text: `Proposals of ${v.sess.delegation || "your delegation"}` }),
      this.mine,
      el("h3", { text: "Table a proposal" }),
      this.pTarget,
      el("div", { class: "row" }, this.pAction, this.pRef),
      this.pText,
      el("div", { class: "row" }, btn("Table or save proposal", () => void this.table()), btn("Clear", () => this.clearForm())),
    );
  }

  private para(): string | null {
    return this.v.current?.id ?? null;
  }

  /** update reflects the current paragraph in the tools. */
  update(): void {
    const f = this.v.paragraph();
    setText(this.where, f ? `Current: ${f.s.heading} ${f.p.label}`.trim() : "Select a paragraph to act on it.");
    if (f) {
      this.status.value = f.p.status;
      if (document.activeElement !== this.label) this.label.value = f.p.label;
      if (document.activeElement !== this.heading) this.heading.value = f.s.heading;
    }
    setText(this.pTarget, f ? `On ${f.s.heading} ${f.p.label} (ADD: after it, in its section).` : "Select a paragraph first.");
    this.drawMine();
    this.drawTriage();
  }

  /** drawTriage lists the tabled proposals without a proposer, for the chair. */
  private drawTriage(): void {
    if (this.triagePanel.hidden || !this.v.model) return;
    const dels = this.v.delegationList();
    const ok = dels.map((d) => d.code).join(",");
    if (ok !== this.optionsKey) {
      this.optionsKey = ok;
      replace(this.delegationOptions, ...dels.map((d) => el("option", { value: `${d.name} (${d.code})` })));
    }
    const need: { pr: Proposal; where: string }[] = [];
    for (const s of this.v.model.sections) {
      for (const p of s.paragraphs!) for (const pr of p.proposals!) if (!pr.proposer && pr.status === "tabled") need.push({ pr, where: `${s.heading} ${p.label}`.trim() });
      for (const pr of s.proposals!) if (!pr.proposer && pr.status === "tabled") need.push({ pr, where: s.heading });
    }
    const key = need.map(({ pr }) => pr.id + ":" + (pr.suggested_proposer ?? "")).join(",") + "|" + ok;
    if (key === this.triageKey) return;
    this.triageKey = key;
    setText(this.triageHead, need.length === 0 ? "Every proposal has a proposer" : need.length === 1 ? "1 proposal needs a proposer" : `${need.length} proposals need a proposer`);
    replace(
      this.triageList,
      ...need.map(({ pr, where }) =>
        el(
          "li",
          { class: "triage-item", "data-proposal": pr.id },
          el("span", { class: "prop-head", text: `${pr.action}${pr.ref ? " " + pr.ref : ""} — ${where}` }),
          pr.text ? el("span", { class: "prop-text", dir: "auto", text: pr.text }) : null,
          pr.suggested_proposer ? el("span", { class: "hint", text: `Suggested: ${this.delegationName(pr.suggested_proposer)}` }) : null,
          this.assignControls(pr),
        ),
      ),
    );
  }

  private say(text: string, bad = false): void {
    setText(this.result, text);
    this.result.className = "result" + (bad ? " bad" : "");
    if (bad) this.v.shell.notify(text, true);
  }

  private async act<K extends ActionKind>(kind: K, fields: ActionFields[K]): Promise<boolean> {
    if (Object.values(fields).some((x) => x === null) && !["paragraph.move", "section.insert"].includes(kind)) {
      this.say("Select a paragraph first.", true);
      return false;
    }
    this.say("Sending…");
    try {
      await this.v.live.action(kind, fields);
      this.say("Done.");
      return true;
    } catch (e) {
      this.say(`Refused: ${(e as Error).message}`, true);
      // Beside the paragraph too, where the participant is looking.
      const para = (fields as { para?: string }).para ?? null;
      this.v.refusedAction(para, (e as Error).message, e instanceof ActionError ? e.place : {});
      return false;
    } finally {
      // The controls show what is, not what was asked for.
      this.update();
    }
  }

  /** resolveGroup resolves the bracket group at a code point in one step. */
  resolveGroup(para: string, at: number, a: GroupAction): Promise<boolean> {
    if (a.kind === "brackets.keep") return this.act("brackets.keep", { para, at, alternative: a.alternative ?? 0 });
    return this.act(a.kind, { para, at });
  }

  /** focus puts the room's focus on a paragraph, with a proposal on the screen beside it if given. */
  focus(para: string, proposal?: string): Promise<boolean> {
    return this.act("focus", proposal ? { para, proposal } : { para });
  }

  private move(dir: -1 | 1): void {
    const f = this.v.paragraph();
    if (!f) return this.say("Select a paragraph first.", true);
    const ps = f.s.paragraphs!;
    if ((dir < 0 && f.i === 0) || (dir > 0 && f.i === ps.length - 1)) return this.say("It is already at the edge of its section.", true);
    const after = dir < 0 ? (f.i >= 2 ? ps[f.i - 2].id : null) : ps[f.i + 1].id;
    void this.act("paragraph.move", { para: f.p.id, section: f.s.id, after });
  }

  private insert(): void {
    const f = this.v.paragraph();
    if (!f) return this.say("Select a paragraph first.", true);
    void this.act("paragraph.insert", { section: f.s.id, after: f.p.id, label: this.newLabel.value.trim(), text: this.newText.value }).then((ok) => {
      if (ok) this.newText.value = this.newLabel.value = "";
    });
  }

  private renameSection(): void {
    const f = this.v.paragraph();
    if (!f) return this.say("Select a paragraph first.", true);
    void this.act("section.rename", { section: f.s.id, heading: this.heading.value.trim() });
  }

  private insertSection(): void {
    const f = this.v.paragraph();
    void this.act("section.insert", { after: f?.s.id ?? null, heading: this.heading.value.trim(), section_kind: f?.s.kind ?? "operative" });
  }

  private addNote(): void {
    const p = this.para();
    if (!p) return this.say("Select a paragraph first.", true);
    void this.act("note.add", { para: p, text: this.note.value }).then((ok) => {
      if (ok) this.note.value = "";
    });
  }

  private deleteParagraph(): void {
    const p = this.para();
    if (!p) return this.say("Select a paragraph first.", true);
    if (!this.confirmDelete) {
      this.confirmDelete = true;
      setText(this.deleteBtn, "Confirm: delete paragraph");
      setTimeout(() => {
        this.confirmDelete = false;
        setText(this.deleteBtn, "Delete paragraph");
      }, 5000);
      return;
    }
    this.confirmDelete = false;
    setText(this.deleteBtn, "Delete paragraph");
    void this.act("paragraph.delete", { para: p });
  }

  // Proposals

  /** The buttons under a proposal: the chair merges or rejects; its proposer withdraws. */
  proposalControls(pr: Proposal): Node | null {
    const role = this.v.sess.role;
    const btn = (text: string, on: () => void) => el("button", { type: "button", class: "btn small", onclick: on }, text);
    if (role === "chair" || role === "admin") {
      // Undo: a rejected proposal is tabled again, a merge taken back.
      if (pr.status === "rejected") return el("span", { class: "row" }, btn("Reopen", () => void this.act("proposal.reopen", { proposal: pr.id })));
      if (pr.status === "merged") return el("span", { class: "row" }, btn("Undo merge", () => void this.act("proposal.unmerge", { proposal: pr.id })));
      if (pr.status !== "tabled") return null;
      // Merged text is credited to its proposer: none yet, assign first.
      if (!pr.proposer) return this.assignControls(pr);
      return el("span", { class: "row" }, btn("Merge", () => void this.act("proposal.merge", { proposal: pr.id })), btn("Reject", () => void this.act("proposal.reject", { proposal: pr.id })));
    }
    if (pr.status !== "tabled") return null;
    if (role === "delegate" && pr.proposer === this.v.sess.delegation) {
      return el("span", { class: "row" }, btn("Withdraw", () => void this.act("proposal.withdraw", { proposal: pr.id })));
    }
    return null;
  }

  /**
   * assignControls: one click accepts the import's suggestion; a search
   * box (with the delegations named in the document's header first) picks
   * another.
   */
  assignControls(pr: Proposal): Node {
    const btn = (text: string, on: () => void) => el("button", { type: "button", class: "btn small", onclick: on }, text);
    const pick = el("input", { type: "search", class: "pickdel", list: "delegation-list", placeholder: "Find a delegation", "aria-label": "Assign to delegation" }) as HTMLInputElement;
    const assign = () => {
      const code = this.delegationCode(pick.value);
      if (!code) return this.say(`Unknown delegation “${pick.value.trim()}”: pick one from the list.`, true);
      void this.act("proposal.assign", { proposal: pr.id, proposer: code });
    };
    pick.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        assign();
      }
    });
    return el(
      "span",
      { class: "row assign" },
      pr.suggested_proposer ? btn(`Assign to ${this.delegationName(pr.suggested_proposer)}`, () => void this.act("proposal.assign", { proposal: pr.id, proposer: pr.suggested_proposer! })) : null,
      pick,
      btn("Assign", assign),
    );
  }

  /** delegationCode reads a code or a name typed or picked in the search box. */
  private delegationCode(typed: string): string | null {
    const t = typed.trim();
    if (!t) return null;
    const m = /\(([^)]+)\)\s*$/.exec(t); // "Brazil (BRA)"
    const want = (m ? m[1] : t).toUpperCase();
    for (const d of this.v.delegationList()) {
      if (d.code.toUpperCase() === want || d.name.toUpperCase() === t.toUpperCase()) return d.code;
    }
    return null;
  }

  private delegationName(code: string): string {
    return this.v.delegationList().find((d) => d.code === code)?.name ?? code;
  }

  private drawMine(): void {
    if (this.v.sess.role !== "delegate" || !this.v.model) return;
    const own: { pr: Proposal; where: string }[] = [];
    for (const s of this.v.model.sections) {
      for (const pr of s.proposals!) if (pr.proposer === this.v.sess.delegation) own.push({ pr, where: s.heading });
      for (const p of s.paragraphs!) for (const pr of p.proposals!) if (pr.proposer === this.v.sess.delegation) own.push({ pr, where: `${s.heading} ${p.label}` });
    }
    const btn = (text: string, on: () => void) => el("button", { type: "button", class: "btn small", onclick: on }, text);
    replace(
      this.mine,
      ...(own.length
        ? own.map(({ pr, where }) =>
            el(
              "li",
              { class: "ps-" + pr.status },
              el("span", { class: "prop-head", text: `${pr.action} ${pr.ref} — ${where} (${pr.status})` }),
              pr.text ? el("span", { class: "prop-text", dir: "auto", text: pr.text }) : null,
              pr.status === "tabled" ? el("span", { class: "row" }, btn("Edit", () => this.edit(pr)), btn("Withdraw", () => void this.act("proposal.withdraw", { proposal: pr.id }))) : null,
            ),
          )
        : [el("li", { class: "hint", text: "None yet." })]),
    );
  }

  private edit(pr: Proposal): void {
    this.editing = pr.id;
    this.pAction.value = pr.action;
    this.pText.value = pr.text;
    this.pRef.value = pr.ref;
    this.pText.focus();
  }

  private clearForm(): void {
    this.editing = null;
    this.pText.value = this.pRef.value = "";
  }

  /** table tables a proposal, or saves the one being edited. */
  private async table(): Promise<void> {
    const f = this.v.paragraph();
    if (!f) return this.say("Select a paragraph first.", true);
    const action = this.pAction.value as "MOD" | "ADD" | "SUP" | "NOC";
    const fields = { action, text: this.pText.value, doc_ref: this.pRef.value.trim() };
    const ok = this.editing
      ? await this.act("proposal.edit", { proposal: this.editing, ...fields })
      : await this.act("proposal.table", action === "ADD" ? { section: f.s.id, ...fields } : { para: f.p.id, ...fields });
    if (ok) this.clearForm();
  }
}

