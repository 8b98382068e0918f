// The document view: the resolution as it is being drafted, one editor per
// paragraph for the roles that write, with the tools of the participant's
// role beside it.
import { openGroups, parseBrackets } from "./brackets";
import { legend, onNewAuthor } from "./colors";
import { el, replace, setText } from "./dom";
import { LivePage } from "./livepage";
import type { ModelChange } from "./model";
import { ParaView, proposalItem, type ParaHost } from "./paraview";
import type { PresenceEntry, Proposal, Section, Session, TextOp, WireOp, You } from "./protocol";
import { Tools } from "./tools";
import { Versions } from "./versions";

interface SectionView {
  el: HTMLElement;
  heading: HTMLElement;
  count: HTMLElement;
  paras: HTMLElement;
  props: HTMLElement;
}

export class DocView extends LivePage implements ParaHost {
  readonly editable: boolean;
  readonly author: string;
  private readonly article = el("article", { class: "doc", "aria-label": "Resolution" });
  private readonly side = el("aside", { class: "side", "aria-label": "Tools" });
  private readonly legendEl = el("ul", { class: "legend" });
  private readonly presenceEl = el("ul", { class: "presence" });
  private readonly notesEl = el("ul", { class: "notes" });
  private paras = new Map<string, ParaView>();
  private sections = new Map<string, SectionView>();
  current: ParaView | null = null;
  private tools: Tools;
  private versions: Versions;
  private observer: IntersectionObserver | null = null;
  private marked = false;
  private offAuthor: () => void;
  private legendQueued = false;

  constructor(docId: string, sess: Session) {
    super(docId, sess, "document");
    this.editable = sess.role === "chair" || sess.role === "delegate" || sess.role === "admin";
    this.author = sess.role === "delegate" ? sess.delegation : "chair";
    this.tools = new Tools(this);
    const versions = (this.versions = new Versions(this));
    append(this.shell.main, el("div", { class: "layout" }, this.article, this.side));
    append(
      this.side,
      this.tools.el,
      panel("Delegations", el("p", { class: "hint", text: "Text is coloured by who wrote it." }), this.legendEl),
      panel("Connected", this.presenceEl),
      this.tools.proposalsPanel,
      versions.el,
      panel("Notes", this.notesEl),
    );
    this.offAuthor = onNewAuthor(() => this.queueLegend());
    if (this.editable && "IntersectionObserver" in window) {
      // Editors are made for what is on screen (and just around it), so a
      // long document becomes editable as fast as a short one.
      this.observer = new IntersectionObserver((entries) => this.visible(entries), { rootMargin: "300px 0px" });
    }
  }

  override destroy(): void {
    super.destroy();
    this.offAuthor();
    this.observer?.disconnect();
    for (const pv of this.paras.values()) pv.destroy();
  }

  private visible(entries: IntersectionObserverEntry[]): void {
    if (!this.marked) performance.mark("draftroom:visible");
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const id = (e.target as HTMLElement).dataset.para!;
      this.paras.get(id)?.upgrade();
      this.observer!.unobserve(e.target);
    }
    this.markEditable();
  }

  private markEditable(): void {
    if (this.marked) return;
    this.marked = true;
    performance.mark("draftroom:editable");
    document.body.dataset.ready = "true";
  }

  // ParaHost

  textOf(id: string) {
    return this.live.machine.paras.get(id);
  }

  local(id: string, op: TextOp): void {
    this.live.local(id, op);
    this.updateCount(this.model?.find(id)?.s.id);
  }

  entered(pv: ParaView): void {
    if (this.current === pv) return;
    this.current?.setCurrent(false);
    this.current = pv;
    pv.setCurrent(true);
    this.live.presence(pv.id);
    this.tools.update();
  }

  proposalControls(pr: Proposal, _para: string): Node | null {
    return this.tools.proposalControls(pr);
  }

  // Drawing

  protected drawAll(): void {
    const m = this.model!;
    const doc = m.doc;
    const old = this.paras;
    this.paras = new Map();
    this.sections = new Map();
    const sections = m.sections.map((s) => this.drawSection(s, old));
    for (const [id, pv] of old) if (!this.paras.has(id)) pv.destroy();
    replace(
      this.article,
      el("h1", { class: "title", dir: "auto", text: doc.title }),
      doc.base_ref ? el("p", { class: "baseref", dir: "auto", text: doc.base_ref }) : null,
      ...sections,
    );
    for (const s of m.sections) this.updateCount(s.id);
    performance.mark("draftroom:rendered");
    this.setFocus(m.focus, null);
    this.drawNotes();
    this.drawPresence(this.presenceList);
    this.queueLegend();
    this.tools.update();
    if (!this.observer) this.markEditable();
  }

  private drawSection(s: Section, old: Map<string, ParaView>): HTMLElement {
    const count = el("span", { class: "bcount", hidden: this.sess.role !== "chair" });
    const heading = el("h2", { class: "sh", dir: "auto" }, s.heading);
    const paras = el("div", { class: "paras" });
    const props = el("ul", { class: "sprops" });
    for (const p of s.paragraphs!) {
      let pv = old.get(p.id);
      if (pv) {
        pv.p = p;
        pv.setLabel();
        pv.setStatus();
        pv.setProposals();
        pv.reset();
      } else {
        pv = new ParaView(this, p);
        this.observer?.observe(pv.el);
      }
      this.paras.set(p.id, pv);
      paras.appendChild(pv.el);
    }
    const sv = { el: el("section", { class: "sec sec-" + s.kind, "data-section": s.id }, el("div", { class: "shead" }, heading, count), paras, props), heading, count, paras, props };
    this.sections.set(s.id, sv);
    this.drawSectionProposals(s);
    return sv.el;
  }

  private drawSectionProposals(s: Section): void {
    const sv = this.sections.get(s.id);
    if (!sv) return;
    const list = s.proposals!.filter((pr) => pr.status !== "withdrawn");
    replace(sv.props, ...list.map((pr) => proposalItem(pr, this.tools.proposalControls(pr))));
  }

  /** updateCount shows a section's open bracket groups (the chair's counter). */
  updateCount(sectionId: string | undefined): void {
    const sv = sectionId ? this.sections.get(sectionId) : undefined;
    const s = sectionId ? this.model?.section(sectionId) : undefined;
    if (!sv || !s || sv.count.hidden) return;
    let n = 0;
    for (const p of s.paragraphs!) n += openGroups(parseBrackets(this.textOf(p.id)?.text ?? ""));
    setText(sv.count, n === 1 ? "1 open bracket group" : `${n} open bracket groups`);
  }

  protected drawText(para: string, op: TextOp, author: string, before: string): void {
    const pv = this.paras.get(para);
    if (!pv) return;
    pv.remote(op, author, before);
    this.updateCount(this.model?.find(para)?.s.id);
  }

  protected override acked(para: string): void {
    this.paras.get(para)?.syncRuns();
  }

  protected override drawRefusal(para: string, message: string): void {
    const pv = this.paras.get(para);
    if (pv) pv.showError(message);
    else super.drawRefusal(para, message);
    this.updateCount(this.model?.find(para)?.s.id);
  }

  protected drawChange(c: ModelChange, op: WireOp): void {
    const pv = "para" in c && c.para ? this.paras.get(c.para) : undefined;
    switch (c.kind) {
      case "status":
        pv?.setStatus();
        break;
      case "label":
        pv?.setLabel();
        break;
      case "proposals":
        pv?.setProposals();
        this.tools.update();
        break;
      case "focus":
        this.setFocus(c.para, c.prev);
        break;
      case "section": {
        const s = this.model!.section(c.section);
        const sv = this.sections.get(c.section);
        if (s && sv) {
          setText(sv.heading, s.heading);
          this.drawSectionProposals(s);
        }
        this.tools.update();
        break;
      }
      case "structure":
        this.drawAll();
        break;
      case "notes":
        this.drawNotes();
        break;
    }
    if (op.kind === "version.freeze") void this.versions.load();
    if (op.ref && op.participant === this.you?.participant) this.shell.notify(done(op.kind));
  }

  private setFocus(para: string | null, prev: string | null): void {
    if (prev) this.paras.get(prev)?.setFocus(false);
    if (para) this.paras.get(para)?.setFocus(true);
  }

  protected override drawPresence(list: PresenceEntry[]): void {
    const inPara = new Map<string, string[]>();
    for (const e of list) {
      if (!e.para || e.participant === this.you?.participant) continue;
      const names = inPara.get(e.para) ?? [];
      names.push(e.delegation || e.name);
      inPara.set(e.para, names);
    }
    for (const [id, pv] of this.paras) pv.setPresence(inPara.get(id) ?? []);
    // One line per participant, however many windows they have open.
    const seen = new Map<string, PresenceEntry>();
    for (const e of list) if (!seen.has(e.participant) || (!seen.get(e.participant)!.para && e.para)) seen.set(e.participant, e);
    replace(
      this.presenceEl,
      ...[...seen.values()].map((e) =>
        el(
          "li",
          {},
          el("span", { class: "pname", text: e.name }),
          ` ${e.role}${e.delegation ? ", " + e.delegation : ""}`,
          e.para ? el("span", { class: "pwhere", text: " — in " + this.labelOf(e.para) }) : null,
        ),
      ),
      ...(this.observers > 0 ? [el("li", { class: "hint", text: `${this.observers} observer${this.observers === 1 ? "" : "s"} following` })] : []),
    );
  }

  private drawNotes(): void {
    const notes = this.model?.doc.notes ?? [];
    replace(
      this.notesEl,
      ...notes.map((n) => el("li", { dir: "auto" }, n.paragraph ? el("span", { class: "nwhere", text: this.labelOf(n.paragraph) + ": " }) : null, n.text)),
    );
  }

  private queueLegend(): void {
    if (this.legendQueued) return;
    this.legendQueued = true;
    requestAnimationFrame(() => {
      this.legendQueued = false;
      const names = new Map((this.model?.doc.proposers ?? []).filter((p) => p.code).map((p) => [p.code!, p.name]));
      replace(
        this.legendEl,
        ...legend().map(({ author, cls }) =>
          el("li", {}, el("span", { class: "swatch au " + cls, text: author === "chair" ? "Chair" : author }), names.get(author) ? " " + names.get(author) : ""),
        ),
      );
    });
  }

  /** The paragraph the tools act on. */
  paragraph() {
    return this.current && this.model ? this.model.find(this.current.id) : null;
  }

  welcomeYou(): You | null {
    return this.you;
  }
}

function panel(title: string, ...children: (Node | null)[]): HTMLElement {
  return el("section", { class: "panel" }, el("h2", { text: title }), ...children);
}

function append(parent: Node, ...children: Node[]): void {
  for (const c of children) parent.appendChild(c);
}

function done(kind: string): string {
  return (
    {
      status: "Status set.",
      focus: "Focus set: the projector follows.",
      "paragraph.insert": "Paragraph inserted.",
      "paragraph.delete": "Paragraph deleted.",
      "paragraph.move": "Paragraph moved.",
      "paragraph.relabel": "Paragraph relabelled.",
      "section.insert": "Section inserted.",
      "section.rename": "Section renamed.",
      "proposal.table": "Proposal tabled.",
      "proposal.withdraw": "Proposal withdrawn.",
      "proposal.merge": "Proposal merged into the text.",
      "proposal.reject": "Proposal rejected.",
      "note.add": "Note added.",
    }[kind] ?? "Done."
  );
}

