// The live protocol's and read API's JSON shapes, written once. They mirror
// server/wire (protocol.go, document.go); fields may be added, never renamed.

/** A text op in ot-text-unicode's format: positions count code points. */
export type TextOpComponent = number | string | { d: number | string };
export type TextOp = TextOpComponent[];

/** Authorship runs: [[len in code points, author], …] covering the text. */
export type Runs = [number, string][];

export type Role = "chair" | "delegate" | "rapporteur" | "observer" | "admin";
export type Status = "open" | "agreed_ad_ref" | "agreed";

export interface You {
  participant: string;
  role: Role;
  delegation: string;
  name: string;
}

export interface Proposal {
  id: string;
  proposer: string | null;
  proposer_name?: string;
  action: "MOD" | "ADD" | "SUP" | "NOC" | string;
  label?: string;
  text: string;
  ref: string;
  status: "tabled" | "merged" | "withdrawn" | "rejected" | string;
  /** A proposer the import found evidence for when the compilation lost the column; a suggestion only. */
  suggested_proposer?: string;
}

export interface Paragraph {
  id: string;
  label: string;
  text: string;
  status: Status;
  base_text: string;
  authors: Runs;
  proposals: Proposal[] | null;
}

export interface Section {
  id: string;
  heading: string;
  kind: "preamble" | "operative";
  paragraphs: Paragraph[] | null;
  proposals: Proposal[] | null;
}

export interface Proposer {
  code: string | null;
  name: string;
  action: string;
  ref: string;
}

export interface Note {
  id: string;
  text: string;
  section: string | null;
  paragraph: string | null;
  row: number | null;
  kind: string;
  author?: string;
}

export interface Document {
  id: string;
  title: string;
  base_ref: string;
  seq: number;
  proposers: Proposer[] | null;
  notes: Note[] | null;
  sections: Section[] | null;
  /** The chair's focus: a paragraph id. */
  focus?: string | null;
  /** A proposal of the focused paragraph (or its section) the chair put on the screen beside it. */
  focus_proposal?: string | null;
  /** The floor (speakers' list), when the server keeps one. */
  floor?: unknown;
}

export interface DocumentSummary {
  id: string;
  title: string;
  base_ref: string;
  seq: number;
}

export interface Session {
  participant: string;
  name: string;
  role: Role;
  delegation: string;
  document: string | null;
}

/**
 * One committed op in full, as the history API serves it (and as the live
 * connection resolves an ops frame's LiveOp). Kind "text" carries para and
 * op; others carry data.
 */
export interface WireOp {
  seq: number;
  kind: string;
  para?: string;
  op?: TextOp;
  author: string;
  delegation: string;
  participant?: string;
  ref: string;
  /** Commit time: the history API has it; live ops do not. */
  at?: string;
  data?: Record<string, unknown>;
}

/** Who made an op, as the handle tables name it. */
export interface Person {
  participant?: string;
  author?: string;
}

/**
 * One committed op as an ops frame carries it (docs/protocol.md, "Ops"):
 * kind absent for a text op; p a paragraph handle, pid defining it; by a
 * who handle, who defining it. handles.ts resolves it into a WireOp.
 */
export interface LiveOp {
  seq: number;
  kind?: string;
  p?: number;
  pid?: string;
  by?: number;
  who?: Person;
  ref?: string;
  op?: TextOp;
  data?: Record<string, unknown>;
}

export interface PresenceEntry {
  /** The participant's who handle (absent for none). */
  h?: number;
  participant: string;
  name: string;
  role: Role;
  delegation: string;
  para: string | null;
}

export type ErrorCode = "invalid" | "forbidden" | "not_found" | "stale" | "rate_limited" | "unavailable";

export type ServerFrame =
  | { type: "welcome"; seq: number; you: You; paras: string[]; people: Person[]; document: Document | null }
  | { type: "ops"; ops: LiveOp[] }
  | { type: "error"; ref?: string; code: ErrorCode | string; message: string; rule?: string; offset?: number; retry_after_ms?: number }
  | { type: "presence"; participants: PresenceEntry[]; observers?: number };

export interface EditFrame {
  type: "edit";
  ref: string;
  para: string;
  base: number;
  op: TextOp;
}

/**
 * Where a refusal applies, for programs: an error frame may name the rule
 * broken and the offset (code points) of the place, beside its message.
 */
export interface RefusalPlace {
  rule?: string;
  offset?: number;
}

/** Actions: kind plus the kind's own fields (see ActionFields). */
export interface ActionFields {
  status: { para: string; status: Status };
  focus: { para: string; proposal?: string };
  "paragraph.insert": { section: string; after: string | null; label: string; text: string };
  "paragraph.delete": { para: string };
  "paragraph.move": { para: string; section: string; after: string | null };
  "paragraph.relabel": { para: string; label: string };
  // The section's kind cannot be sent as "kind", which names the action.
  "section.insert": { after: string | null; heading: string; section_kind: "preamble" | "operative" };
  "section.rename": { section: string; heading: string };
  // A proposal's document reference travels as doc_ref: "ref" names the request.
  "proposal.table": { para?: string; section?: string; action: "MOD" | "ADD" | "SUP" | "NOC"; text: string; doc_ref: string; label?: string };
  "proposal.edit": { proposal: string; text?: string; action?: string; doc_ref?: string; label?: string };
  "proposal.withdraw": { proposal: string };
  "proposal.merge": { proposal: string };
  "proposal.reject": { proposal: string };
  "note.add": { para?: string; section?: string; text: string };
  // The floor (docs/protocol.md, "The floor").
  "floor.request": { para?: string };
  "floor.withdraw": { delegation?: string };
  "floor.give": { delegation: string };
  "floor.close": Record<string, never>;
  "floor.mode": { only: boolean };
  // The chair's actions (issue 11). proposer is a delegation code.
  "proposal.assign": { proposal: string; proposer: string };
  "proposal.reopen": { proposal: string };
  "proposal.unmerge": { proposal: string };
  // at: any offset (code points) inside the group; alternative counts from 0.
  "brackets.keep": { para: string; at: number; alternative: number };
  "brackets.accept": { para: string; at: number };
  "brackets.drop": { para: string; at: number };
}
export type ActionKind = keyof ActionFields;

export type ClientFrame =
  | EditFrame
  | { type: "presence"; para: string | null }
  | ({ type: "action"; ref: string; kind: ActionKind } & Record<string, unknown>);

/** Close codes beyond RFC 6455's (server/wire/protocol.go). */
export const CloseSlow = 4008;
export const CloseAbuse = 4009;
/** A sustained flood over the rate limit; reconnect after a backoff. */
export const CloseTooFast = 4029;
export const CloseRevoked = 4010;
export const CloseNotFound = 4004;
