// The document view: the resolution as it is being drafted, one editor per
// paragraph for the roles that write, with the tools of the participant's
// role beside it: follow the chair, the outline, search, the legend, who is
// here, proposals, versions and notes, in panels that fold.
import { delegations } from "./api";
import { openGroups, parseBrackets } from "./brackets";
import { el, replace, setClass, setText } from "./dom";
import { FloorPanel } from "./floorpanel";
import { Folds } from "./folds";
import { Follow } from "./follow";
import { Help } from "./help";
import { Legend } from "./legend";
import { LivePage } from "./livepage";
import type { ModelChange } from "./model";
import { Outline } from "./outline";
import { ParaView, proposalItem, type ParaHost } from "./paraview";
import type { GroupAction } from "./editor";
import { presenceView } from "./presence";
import type { PresenceEntry, Proposal, RefusalPlace, Section, Session, TextOp, WireOp, You } from "./protocol";
import { SearchBar, type Hit } from "./search";
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
  readonly chair: boolean;
  private readonly article = el("article", { class: "doc", "aria-label": "Resolution" });
  private readonly side = el("aside", { class: "side", "aria-label": "Tools" });
  private readonly legend = new Legend(
    el("ul", { class: "legend" }),
    () => this.textAuthors(),
    (c) => this.nameOf(c),
    () => [el("li", { class: "hint", text: "Only the original text so far." })],
  );
  private readonly presenceEl = el("div", { class: "presence" });
  private readonly notesEl = el("ul", { class: "notes" });
  private readonly floorEl = el("div", { class: "floorslot" });
  private paras = new Map<string, ParaView>();
  private sections = new Map<string, SectionView>();
  current: ParaView | null = null;
  private tools: Tools;
  private versions: Versions;
  private observer: IntersectionObserver | null = null;
  /** Paragraphs on screen or within a screen of it (null without IntersectionObserver: all count as near). */
  private near: Set<string> | null = null;
  private nearObserver: IntersectionObserver | null = null;
  /** Paragraphs off screen whose new text is not drawn yet. */
  private behind = new Set<string>();
  private behindQueued = false;
  private marked = false;
  private countQueue = new Set<string>();
  private countQueued = false;
  private presenceExpanded = false;
  private readonly follow: Follow;
  private readonly outline: Outline;
  private readonly search: SearchBar;
  private readonly help: Help;
  private readonly folds: Folds;
  private readonly floorPanel: FloorPanel;
  private dels: { code: string; name: string }[] = [];

  constructor(docId: string, sess: Session) {
    super(docId, sess, "document", { help: true });
    this.editable = sess.role === "chair" || sess.role === "delegate" || sess.role === "admin";
    this.chair = sess.role === "chair" || sess.role === "admin";
    this.author = sess.role === "delegate" ? sess.delegation : "chair";
    this.help = new Help(this.chair);
    this.shell.onHelp = () => this.help.toggle();
    this.folds = new Folds(sess.participant);
    this.tools = new Tools(this);
    if (this.chair) {
      // The proposer picker lists every delegation of the registry.
      void delegations()
        .then((list) => {
          this.dels = list;
          this.tools.update();
        })
        .catch(() => {});
    }
    this.versions = new Versions(this);
    this.floorPanel = new FloorPanel({
      sess,
      live: this.live,
      model: () => this.model,
      currentPara: () => this.current?.id ?? null,
      labelOf: (p) => this.labelOf(p),
      nameOf: (c) => this.nameOf(c),
      notify: (m, bad) => this.shell.notify(m, bad),
    });
    // The chair leads; everyone else follows unless they choose not to.
    this.follow = new Follow(
      {
        focus: () => this.model?.focus ?? null,
        labelOf: (p) => this.labelOf(p),
        scrollToPara: (p) => this.scrollToPara(p, true),
        editing: () => !!document.activeElement?.closest(".cm-editor"),
      },
      !this.chair,
      this.chair,
    );
    document.body.dataset.follow = String(!this.chair);
    this.outline = new Outline(
      () => this.model,
      (p) => this.textOf(p)?.text ?? "",
      (p) => this.jump(p),
    );
    this.search = new SearchBar(
      () => {
        this.drawBehind(Infinity); // search reads the page's text: draw what waits first
        return [...document.querySelectorAll(".doc .title, .doc .sh, .doc .ptext, .doc .prop, .side .notes li")];
      },
      (h) => this.showHit(h),
    );
    this.shell.sub.hidden = false;
    replace(this.shell.sub, el("div", { class: "doctools" }, this.follow.toggle, this.follow.back, this.search.el, this.floorEl));
    append(this.shell.main, el("div", { class: "layout" }, this.article, this.side), this.help.el);
    const f = this.folds;
    append(
      this.side,
      // The floor and the chair's triage before the outline: at 1280×720 the outline of a real compilation is
      // taller than the screen.
      this.floorPanel.el.hidden ? this.floorPanel.el : f.foldable(this.floorPanel.el, "floor"),
      this.tools.triagePanel.hidden ? this.tools.triagePanel : f.foldable(this.tools.triagePanel, "triage"),
      f.foldable(panel("Outline", this.outline.el), "outline"),
      this.tools.el.hidden ? this.tools.el : f.foldable(this.tools.el, "tools"),
      f.foldable(panel("Delegations in the text", el("p", { class: "hint", text: "Text is coloured by who wrote it; each bracket is tagged with its authors. An underline marks a bracket group (dashed: alternatives)." }), this.legend.el), "legend"),
      f.foldable(panel("Connected", this.presenceEl), "presence"),
      this.tools.proposalsPanel.hidden ? this.tools.proposalsPanel : f.foldable(this.tools.proposalsPanel, "proposals"),
      f.foldable(this.versions.el, "versions"),
      f.foldable(panel("Notes", this.notesEl), "notes"),
    );
    window.addEventListener("keydown", this.keys);
    window.addEventListener("keyup", this.keysUp);
    if (this.editable && "IntersectionObserver" in window) {
      // Editors are made for what is on screen (and just around it), so a
      // long document becomes editable as fast as a short one.
      this.observer = new IntersectionObserver((entries) => this.visible(entries), { rootMargin: "300px 0px" });
    }
    if ("IntersectionObserver" in window) {
      // Which paragraphs are on screen or within a screen of it: the others'
      // changes are drawn when the page is idle, or when they come near.
      this.near = new Set();
      this.nearObserver = new IntersectionObserver((entries) => this.nearChanged(entries), { rootMargin: "100% 0px" });
    }
  }

  override destroy(): void {
    super.destroy();
    window.removeEventListener("keydown", this.keys);
    window.removeEventListener("keyup", this.keysUp);
    this.follow.destroy();
    this.search.destroy();
    this.observer?.disconnect();
    this.nearObserver?.disconnect();
    for (const pv of this.paras.values()) pv.destroy();
    delete document.body.dataset.follow;
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
    this.textChanged(id);
  }

  entered(pv: ParaView): void {
    if (this.current === pv) return;
    if (this.behind.delete(pv.id)) pv.refresh();
    // From now on its view follows each op (immediate): first draw what waits.
    this.flushText(pv.id);
    this.current?.setCurrent(false);
    this.current = pv;
    pv.setCurrent(true);
    this.live.presence(pv.id);
    this.tools.update();
    this.floorPanel.update();
  }

  proposalControls(pr: Proposal, para: string | null): Node | null {
    const own = this.tools.proposalControls(pr);
    if (!this.chair || pr.status === "withdrawn") return own;
    // The chair puts a proposal on the projector beside its paragraph; a
    // section's (ADD) beside the paragraph in focus, if it is in that
    // section, else beside the section's last paragraph.
    const show = el(
      "button",
      {
        type: "button",
        class: "btn small",
        title: "Put this proposal on the projector beside its paragraph (Focus here takes it off)",
        onclick: () => {
          const target = para ?? this.sectionAnchor(pr.id);
          if (!target) return this.shell.notify("This section has no paragraph to show it beside.", true);
          void this.tools.focus(target, pr.id);
        },
      },
      "Show on screen",
    );
    return own ? el("span", { class: "row" }, own, show) : el("span", { class: "row" }, show);
  }

  /** sectionAnchor is the paragraph a section's proposal is shown beside. */
  private sectionAnchor(proposal: string): string | null {
    const where = this.model?.proposal(proposal);
    const s = where ? this.model!.section(where.section) : undefined;
    if (!s || !s.paragraphs!.length) return null;
    const focus = this.model!.focus;
    if (focus && s.paragraphs!.some((p) => p.id === focus)) return focus;
    return s.paragraphs![s.paragraphs!.length - 1].id;
  }

  /**
   * delegationList: the delegations the proposer picker offers, those the
   * document's header names first, then the registry's.
   */
  delegationList(): { code: string; name: string }[] {
    const out: { code: string; name: string }[] = [];
    const seen = new Set<string>();
    for (const p of this.model?.doc.proposers ?? []) {
      if (p.code && !seen.has(p.code)) {
        seen.add(p.code);
        out.push({ code: p.code, name: this.dels.find((d) => d.code === p.code)?.name ?? p.name });
      }
    }
    for (const d of this.dels) if (!seen.has(d.code)) out.push(d);
    return out;
  }

  resolveGroup(para: string, at: number, a: GroupAction): void {
    void this.tools.resolveGroup(para, at, a);
  }

  /** The chair resolves any group; a delegation drops one that is all its own. */
  groupActions(authors: string[]): { keep: boolean; drop: boolean } {
    if (this.chair) return { keep: true, drop: true };
    const own = this.sess.role === "delegate" && authors.length > 0 && authors.every((a) => a === this.sess.delegation);
    return { keep: false, drop: own };
  }

  /** focusHere puts the room's focus on a paragraph (the chair's one key or one click). */
  focusHere(para: string): void {
    if (this.model?.focus === para && !this.model.focusProposal) return;
    void this.tools.focus(para);
  }

  step(from: ParaView, dir: 1 | -1): void {
    const ids = [...this.paras.keys()];
    const next = this.paras.get(ids[ids.indexOf(from.id) + dir]);
    if (!next) return;
    this.follow.away();
    next.el.scrollIntoView({ block: "nearest" });
    next.enter();
  }

  // Moving around

  /** scrollToPara brings a paragraph to the middle of the screen and flashes it. */
  private scrollToPara(para: string, smooth: boolean): void {
    const pv = this.paras.get(para);
    if (!pv) return;
    pv.el.scrollIntoView({ block: "center", behavior: smooth && !matchMedia("(prefers-reduced-motion: reduce)").matches ? "smooth" : "auto" });
    pv.el.classList.remove("flash");
    void pv.el.offsetWidth; // restart the animation
    pv.el.classList.add("flash");
  }

  /** jump goes to a paragraph the participant picked (outline): following stops. */
  private jump(para: string): void {
    this.follow.away();
    this.scrollToPara(para, false);
    this.paras.get(para)?.el.focus({ preventScroll: true });
  }

  private showHit(h: Hit): void {
    this.follow.away();
    Folds.open(h.unit.closest(".panel"));
    const at = h.range.startContainer.parentElement ?? h.unit;
    at.scrollIntoView({ block: "center" });
  }

  private slash = false;
  private keysUp = (e: KeyboardEvent): void => {
    if (e.key !== "/" || !this.slash) return;
    this.slash = false;
    this.search.input.focus();
    this.search.input.select();
  };

  /** The shortcuts that work outside text fields (see help.ts). */
  private keys = (e: KeyboardEvent): void => {
    if (e.key === "F3") {
      e.preventDefault();
      return this.search.go(e.shiftKey ? -1 : 1);
    }
    const t = e.target as HTMLElement | null;
    if (e.ctrlKey || e.metaKey || e.altKey || t?.closest("input, textarea, select, [contenteditable], dialog")) return;
    const para = t?.closest(".para") ? this.paras.get((t.closest(".para") as HTMLElement).dataset.para!) : (this.current ?? undefined);
    switch (e.key) {
      case "?":
        this.help.toggle();
        break;
      case "/":
        this.slash = true; // the search box takes the keyboard on keyup, so "/" is not typed into it
        break;
      case "f":
        this.follow.set(!this.follow.following);
        break;
      case "c":
        if (this.model?.focus) this.follow.set(true);
        break;
      case "n":
        if (!this.chair) return;
        this.floorPanel.giveNext();
        break;
      case "o": {
        const o = this.side.querySelector("[data-panel=outline]");
        Folds.open(o);
        ((o?.querySelector(".ochip.ofocus") ?? o?.querySelector(".ochip")) as HTMLElement | null)?.focus();
        break;
      }
      case "j":
      case "k": {
        const ids = [...this.paras.keys()];
        const i = para ? ids.indexOf(para.id) + (e.key === "j" ? 1 : -1) : 0;
        const next = this.paras.get(ids[Math.max(0, Math.min(ids.length - 1, i))]);
        if (!next) return;
        this.follow.away();
        next.el.scrollIntoView({ block: "nearest" });
        next.el.focus({ preventScroll: true });
        this.entered(next);
        break;
      }
      case "Enter":
        if (para && t === para.el) para.enter();
        else return;
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // Drawing

  protected drawAll(): void {
    const m = this.model!;
    const doc = m.doc;
    const old = this.paras;
    this.paras = new Map();
    this.sections = new Map();
    const sections = m.sections.map((s) => this.drawSection(s, old));
    for (const [id, pv] of old) {
      if (this.paras.has(id)) continue;
      this.nearObserver?.unobserve(pv.el);
      this.near?.delete(id);
      pv.destroy();
    }
    this.behind.clear(); // every paragraph was reset from the replica
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
    this.drawFloor();
    this.outline.update();
    this.legend.redraw();
    this.tools.update();
    this.follow.chairMoved();
    this.search.refresh();
    if (!this.observer) this.markEditable();
  }

  private drawSection(s: Section, old: Map<string, ParaView>): HTMLElement {
    const count = el("span", { class: "bcount", hidden: !this.chair });
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
        this.nearObserver?.observe(pv.el);
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
    replace(sv.props, ...list.map((pr) => proposalItem(pr, this.proposalControls(pr, null))));
  }

  /** updateCount shows a section's open bracket groups (the chair's counter); none is not an alarm. */
  updateCount(sectionId: string | undefined): void {
    const sv = sectionId ? this.sections.get(sectionId) : undefined;
    const s = sectionId ? this.model?.section(sectionId) : undefined;
    if (!sv || !s || sv.count.hidden) return;
    let n = 0;
    for (const p of s.paragraphs!) n += openGroups(parseBrackets(this.textOf(p.id)?.text ?? ""));
    setText(sv.count, n === 0 ? "No open brackets" : n === 1 ? "1 open bracket group" : `${n} open bracket groups`);
    setClass(sv.count, "bcount" + (n === 0 ? " zero" : ""));
  }

  /** After a paragraph's text changed: its section's count, the outline, the legend, search (each at most once a frame). */
  private textChanged(para: string): void {
    const s = this.model?.find(para)?.s.id;
    if (s) this.countQueue.add(s);
    if (!this.countQueued) {
      this.countQueued = true;
      requestAnimationFrame(() => {
        this.countQueued = false;
        const sections = [...this.countQueue];
        this.countQueue.clear();
        for (const id of sections) this.updateCount(id);
      });
    }
    this.outline.textChanged(para);
    this.legend.queue();
    this.search.refresh();
  }

  /** The paragraph being typed in here follows every op; the others are drawn once a frame. */
  protected override immediate(para: string): boolean {
    return this.current?.id === para && !!this.current.editor;
  }

  protected override drawOp(para: string, op: TextOp, author: string, before: string): void {
    const pv = this.paras.get(para);
    if (!pv) return;
    pv.remote(op, author, before);
    this.textChanged(para);
  }

  protected drawText(para: string): void {
    const pv = this.paras.get(para);
    if (!pv) return;
    if (this.near && !this.near.has(para) && pv !== this.current && !this.search.query) {
      // Off screen: under load most ops land there, and drawing them every
      // frame is most of the page's work. Drawn when idle, or when near.
      this.behind.add(para);
      this.queueBehind();
    } else {
      this.behind.delete(para);
      pv.refresh();
    }
    this.textChanged(para);
  }

  private nearChanged(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const id = (e.target as HTMLElement).dataset.para!;
      if (!e.isIntersecting) {
        this.near!.delete(id);
        continue;
      }
      this.near!.add(id);
      if (this.behind.delete(id)) this.paras.get(id)?.refresh();
    }
  }

  /** queueBehind draws the off-screen paragraphs that wait when the page is idle (within half a second under load). */
  private queueBehind(): void {
    if (this.behindQueued) return;
    this.behindQueued = true;
    const run = (d?: IdleDeadline) => {
      this.behindQueued = false;
      this.drawBehind(d && !d.didTimeout ? Math.max(d.timeRemaining(), 1) : 8);
    };
    if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: 500 });
    else setTimeout(run, 250);
  }

  /** drawBehind draws waiting off-screen paragraphs for about budget ms, and queues the rest. */
  private drawBehind(budget: number): void {
    const until = performance.now() + budget;
    for (const id of this.behind) {
      if (performance.now() >= until) break;
      this.behind.delete(id);
      this.paras.get(id)?.refresh();
    }
    if (this.behind.size) this.queueBehind();
  }

  protected override acked(para: string): void {
    this.paras.get(para)?.syncRuns();
  }

  protected override drawRefusal(para: string, message: string, place: RefusalPlace = {}): void {
    const pv = this.paras.get(para);
    if (pv) pv.showError(message, place);
    else super.drawRefusal(para, message);
    this.textChanged(para);
  }

  /** refusedAction shows an action's refusal beside its paragraph too. */
  refusedAction(para: string | null, message: string, place: RefusalPlace): void {
    const pv = para ? this.paras.get(para) : undefined;
    pv?.showError(message, place);
  }

  protected drawChange(c: ModelChange, op: WireOp): void {
    const pv = "para" in c && c.para ? this.paras.get(c.para) : undefined;
    switch (c.kind) {
      case "status":
        pv?.setStatus();
        this.outline.update();
        this.tools.update();
        break;
      case "label":
        pv?.setLabel();
        this.outline.update();
        break;
      case "proposals":
        pv?.setProposals();
        this.tools.update();
        this.search.refresh();
        break;
      case "focus":
        this.setFocus(c.para, c.prev);
        this.outline.update();
        this.follow.chairMoved();
        break;
      case "section": {
        const s = this.model!.section(c.section);
        const sv = this.sections.get(c.section);
        if (s && sv) {
          setText(sv.heading, s.heading);
          this.drawSectionProposals(s);
        }
        this.outline.update();
        this.tools.update();
        break;
      }
      case "structure":
        this.drawAll();
        break;
      case "notes":
        this.drawNotes();
        break;
      case "floor":
        this.drawFloor();
        break;
    }
    if (op.kind === "version.freeze") void this.versions.load();
    // A delegate hears it when the floor comes to its delegation.
    if (op.kind === "floor.give" && this.sess.role === "delegate" && op.data?.delegation === this.sess.delegation) this.shell.notify("Your delegation has the floor.");
    if (op.ref && op.participant === this.you?.participant) this.shell.notify(done(op.kind));
  }

  private setFocus(para: string | null, prev: string | null): void {
    if (prev) this.paras.get(prev)?.setFocus(false);
    if (para) this.paras.get(para)?.setFocus(true);
    // The proposal the chair put on the screen, marked where it is listed
    // (the lists hold the proposals that are not withdrawn, in order).
    for (const e of this.article.querySelectorAll(".prop.onscreen")) e.classList.remove("onscreen");
    const where = this.model?.focusProposal ? this.model.proposal(this.model.focusProposal) : null;
    if (where) {
      const list = where.para ? this.paras.get(where.para)?.el.querySelector(".pprops") : this.sections.get(where.section)?.props;
      const i = where.list.filter((pr) => pr.status !== "withdrawn").indexOf(where.pr);
      list?.children[i]?.classList.add("onscreen");
    }
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
    replace(
      this.presenceEl,
      ...presenceView(list, {
        self: this.you?.participant,
        observers: this.observers,
        labelOf: (p) => this.labelOf(p),
        expanded: this.presenceExpanded,
        onExpand: (x) => {
          this.presenceExpanded = x;
          this.drawPresence(this.presenceList);
        },
      }),
    );
  }

  private drawFloor(): void {
    this.drawFloorIn(this.floorEl);
    this.floorPanel.update();
  }

  private drawNotes(): void {
    const notes = this.model?.doc.notes ?? [];
    replace(
      this.notesEl,
      ...notes.map((n) => el("li", { dir: "auto" }, n.paragraph ? el("span", { class: "nwhere", text: this.labelOf(n.paragraph) + ": " }) : null, n.text)),
    );
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
      "floor.request": "You asked for the floor.",
      "floor.withdraw": "Request for the floor withdrawn.",
      "floor.give": "Floor given.",
      "floor.close": "Floor closed.",
      "floor.mode": "Floor-only typing switched.",
      "proposal.assign": "Proposer assigned.",
      "proposal.reopen": "Proposal tabled again.",
      "proposal.unmerge": "Merge undone: the proposal is tabled again.",
      "brackets.keep": "Alternative kept.",
      "brackets.accept": "Brackets accepted.",
      "brackets.drop": "Bracket group dropped.",
    }[kind] ?? "Done."
  );
}
