// The document's structure (sections, paragraphs' labels and status,
// proposals, notes, the chair's focus), kept in step with structural ops.
// Paragraph texts live in the Machine. The server's action results are read
// from op.data with the action's field names; anything this client cannot
// place asks the view for a reload instead of guessing.
import { applyFloorOp, forgetPara, readFloor, type Floor } from "./floor";
import type { Document, Note, Paragraph, Proposal, Section, WireOp } from "./protocol";

export type ModelChange =
  | { kind: "status" | "label" | "proposals"; para: string }
  | { kind: "focus"; para: string | null; prev: string | null }
  | { kind: "section"; section: string }
  | { kind: "structure" | "notes" | "floor" | "none" | "reload" };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export class DocModel {
  /** The paragraph the chair has the room on. */
  focus: string | null;
  /** A proposal the chair put on the screen with the focus, if any. */
  focusProposal: string | null = null;
  floor: Floor | null;

  constructor(readonly doc: Document) {
    doc.sections ??= [];
    for (const s of doc.sections) {
      s.paragraphs ??= [];
      s.proposals ??= [];
      for (const p of s.paragraphs) p.proposals ??= [];
    }
    doc.notes ??= [];
    doc.proposers ??= [];
    // The focus is a paragraph id; focus_proposal, a proposal the chair
    // put on the screen beside it.
    this.focus = str(doc.focus) || null;
    this.focusProposal = (this.focus && str(doc.focus_proposal)) || null;
    this.floor = readFloor(doc.floor);
  }

  get sections(): Section[] {
    return this.doc.sections!;
  }

  find(para: string): { s: Section; i: number; p: Paragraph } | null {
    for (const s of this.sections) {
      const i = s.paragraphs!.findIndex((p) => p.id === para);
      if (i >= 0) return { s, i, p: s.paragraphs![i] };
    }
    return null;
  }

  section(id: string): Section | undefined {
    return this.sections.find((s) => s.id === id);
  }

  /** Where a proposal lives, by id. */
  proposal(id: string): { list: Proposal[]; pr: Proposal; para?: string; section: string } | null {
    for (const s of this.sections) {
      for (const pr of s.proposals!) if (pr.id === id) return { list: s.proposals!, pr, section: s.id };
      for (const p of s.paragraphs!) for (const pr of p.proposals!) if (pr.id === id) return { list: p.proposals!, pr, para: p.id, section: s.id };
    }
    return null;
  }

  /** apply updates the structure for one op; what changed, for the view. */
  apply(op: WireOp): ModelChange[] {
    const d = op.data ?? {};
    const para = str(d.para);
    const after = d.first ? null : (str(d.after) ?? null);
    const out: ModelChange[] = [];
    switch (op.kind) {
      case "status": {
        const f = para ? this.find(para) : null;
        if (!f || !str(d.status)) return [{ kind: "reload" }];
        f.p.status = d.status as Paragraph["status"];
        return [{ kind: "status", para: f.p.id }];
      }
      case "focus": {
        const prev = this.focus;
        this.focus = para ?? null;
        this.focusProposal = str(d.focus_proposal) || null;
        return [{ kind: "focus", para: this.focus, prev }];
      }
      case "paragraph.relabel": {
        const f = para ? this.find(para) : null;
        if (!f || str(d.label) === undefined) return [{ kind: "reload" }];
        f.p.label = str(d.label)!;
        return [{ kind: "label", para: f.p.id }];
      }
      case "paragraph.delete":
        return (para ? this.removeParagraph(para) : null) ?? [{ kind: "reload" }];
      case "paragraph.move": {
        const f = para ? this.find(para) : null;
        const s = str(d.section) ? this.section(str(d.section)!) : f?.s;
        if (!f || !s) return [{ kind: "reload" }];
        f.s.paragraphs!.splice(f.i, 1);
        this.place(s, f.p, after);
        return [{ kind: "structure" }];
      }
      case "section.insert": {
        const id = str(d.section);
        if (!id) return [{ kind: "reload" }];
        const kind = d.section_kind === "preamble" ? "preamble" : "operative";
        const s: Section = { id, heading: str(d.heading) ?? "", kind, paragraphs: [], proposals: [] };
        const i = after ? this.sections.findIndex((x) => x.id === after) + 1 : 0;
        this.sections.splice(i, 0, s);
        return [{ kind: "structure" }];
      }
      case "section.rename": {
        const s = str(d.section) ? this.section(str(d.section)!) : undefined;
        if (!s || str(d.heading) === undefined) return [{ kind: "reload" }];
        s.heading = str(d.heading)!;
        return [{ kind: "section", section: s.id }];
      }
    }
    if (op.kind.startsWith("floor.")) {
      this.floor = applyFloorOp(this.floor, op.kind, d, op.delegation);
      return [{ kind: "floor" }];
    }
    // Everything else may carry a new paragraph (insert, ADD merge), a
    // proposal as it now stands, a note (note.add, SUP merge).
    const np = d.paragraph as Paragraph | undefined;
    if (np && typeof np.id === "string") {
      const s = str(d.section) ? this.section(str(d.section)!) : undefined;
      if (!s) return [{ kind: "reload" }];
      this.place(s, { ...np, status: np.status ?? "open", base_text: np.base_text ?? "", authors: np.authors ?? [], proposals: np.proposals ?? [] }, after);
      out.push({ kind: "structure" });
    }
    if (d.proposal && typeof d.proposal === "object") out.push(this.proposalChange(d.proposal as Proposal, str(d.para), str(d.section)));
    if (d.note && typeof d.note === "object") {
      this.doc.notes!.push(d.note as Note);
      out.push({ kind: "notes" });
    }
    // Undoing a merge takes away what it added: an ADD's paragraph, notes.
    const gone = str(d.removed_paragraph);
    if (gone) {
      const changes = this.removeParagraph(gone);
      if (!changes) return [{ kind: "reload" }];
      out.push(...changes);
    }
    if (Array.isArray(d.removed_notes) && d.removed_notes.length) {
      const ids = new Set(d.removed_notes);
      this.doc.notes = this.doc.notes!.filter((n) => !ids.has(n.id));
      out.push({ kind: "notes" });
    }
    return out.length ? out : [{ kind: "none" }]; // a kind this client does not know (yet)
  }

  /**
   * removeParagraph deletes a paragraph, as on the server: its proposals and notes stay with its section, and the
   * focus and the requests for the floor leave it. It returns what changed, or null for an unknown paragraph.
   */
  private removeParagraph(id: string): ModelChange[] | null {
    const f = this.find(id);
    if (!f) return null;
    f.s.paragraphs!.splice(f.i, 1);
    if (this.focus === f.p.id) {
      this.focus = null;
      this.focusProposal = null;
    }
    const fl = forgetPara(this.floor, f.p.id);
    const floorChanged = fl !== this.floor;
    this.floor = fl;
    f.s.proposals!.push(...(f.p.proposals ?? []));
    for (const n of this.doc.notes!) {
      if (n.paragraph === f.p.id) {
        n.paragraph = null;
        n.section = f.s.id;
      }
    }
    return [{ kind: "structure" }, { kind: "notes" }, ...(floorChanged ? [{ kind: "floor" } as const] : [])];
  }

  /** proposalChange puts a proposal, new or as it now stands, in place. */
  private proposalChange(pr: Proposal, para: string | undefined, section: string | undefined): ModelChange {
    const existing = this.proposal(pr.id);
    if (existing) {
      Object.assign(existing.pr, pr);
      return existing.para ? { kind: "proposals", para: existing.para } : { kind: "section", section: existing.section };
    }
    const f = para ? this.find(para) : null;
    if (f) {
      f.p.proposals!.push(pr);
      return { kind: "proposals", para: f.p.id };
    }
    const s = section ? this.section(section) : undefined;
    if (!s) return { kind: "reload" };
    s.proposals!.push(pr);
    return { kind: "section", section: s.id };
  }

  private place(s: Section, p: Paragraph, after: string | null): void {
    const i = after ? s.paragraphs!.findIndex((x) => x.id === after) + 1 : 0;
    s.paragraphs!.splice(i, 0, p);
  }
}
