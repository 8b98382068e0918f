// The HTTP API, with the session cookie (sent automatically; it is HttpOnly,
// so the token is never readable by scripts).
import type { Document, DocumentSummary, Session, WireOp } from "./protocol";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return undefined as T;
  return answer<T>(r, method, path);
}

export const login = (token: string) => call<Session>("POST", "/api/v1/session", { token });
export const logout = () => call<void>("DELETE", "/api/v1/session");
export const session = () => call<Session>("GET", "/api/v1/session");
export const documents = () => call<{ documents: DocumentSummary[] }>("GET", "/api/v1/documents");
export const getDocument = (id: string) => call<Document>("GET", `/api/v1/documents/${encodeURIComponent(id)}`);
/** The op log from seq from+1 on, at most limit ops (1 to 1000). */
export const history = (id: string, from: number, limit: number) =>
  call<{ ops: WireOp[]; next: number }>("GET", `/api/v1/documents/${encodeURIComponent(id)}/history?from=${from}&limit=${limit}`);
/** The document as it was at seq. */
export const documentAt = (id: string, seq: number) => call<Document>("GET", `/api/v1/documents/${encodeURIComponent(id)}/at/${seq}`);
/** Recomputes a frozen version's hash. */
export const verify = (id: string, label: string) =>
  call<{ valid: boolean; sha256: string; stored_sha256: string }>("GET", `/api/v1/documents/${encodeURIComponent(id)}/versions/${encodeURIComponent(label)}/verify`);

export interface Version {
  label?: string;
  seq?: number;
  sha256?: string;
  created_at?: string;
  [k: string]: unknown;
}

export const versions = (id: string) => call<{ versions: Version[] } | Version[]>("GET", `/api/v1/documents/${encodeURIComponent(id)}/versions`);
export const freeze = (id: string, label: string) => call<Version>("POST", `/api/v1/documents/${encodeURIComponent(id)}/versions`, label ? { label } : {});
export const diff = (id: string, from: string, to: string) =>
  call<unknown>("GET", `/api/v1/documents/${encodeURIComponent(id)}/diff?from=${encodeURIComponent(from)}${to ? "&to=" + encodeURIComponent(to) : ""}`);

// The secretariat's desk (admin only).

export interface AdminDocument {
  id: string;
  title: string;
  base_ref: string;
  seq: number;
  sections: number;
  paragraphs: number;
  proposals: number;
  participants: number;
  online: number;
  versions: number;
  created_at: string;
  last_activity: string;
}

export interface ParticipantInfo {
  id: string;
  name: string;
  role: string;
  delegation: string;
  created_at: string;
  last_seen_at: string | null;
  online: boolean;
  active: boolean;
  tokens: { id: string; created_at: string; expires_at: string | null; revoked_at: string | null }[];
}

/** A participant with a new token: the token and its link are shown once. */
export interface Issued {
  id: string;
  name: string;
  role: string;
  delegation: string;
  token_id: string;
  token: string;
  join_url: string;
  expires_at: string | null;
}

export interface ImportResult {
  id: string;
  summary: {
    sections: number;
    paragraphs: number;
    proposals: Record<string, number>;
    notes: number;
    unplaced: { line: number; text: string }[];
    [k: string]: unknown;
  };
}

/** The registry's delegations: the codes proposal.assign takes. */
export const delegations = () => call<{ code: string; name: string }[]>("GET", "/api/v1/delegations");

const docPath = (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`;

export const adminDocuments = () => call<{ documents: AdminDocument[] }>("GET", "/api/v1/admin/documents");
export const renameDocument = (id: string, title: string) => call<{ id: string; title: string }>("PATCH", docPath(id), { title });
export const participants = (id: string) => call<{ participants: ParticipantInfo[] }>("GET", `${docPath(id)}/participants`);
export const addParticipant = (id: string, p: { role: string; delegation?: string; name?: string; expires?: string }) =>
  call<{ participants: Issued[] }>("POST", `${docPath(id)}/participants`, p);
export const revokeParticipant = (id: string, pid: string) => call<{ revoked_tokens: number }>("POST", `${docPath(id)}/participants/${encodeURIComponent(pid)}/revoke`);
export const newLink = (id: string, pid: string) => call<Issued>("POST", `${docPath(id)}/participants/${encodeURIComponent(pid)}/tokens`, {});

/** addRoster sends a roster (CSV text) to be enrolled in one transaction. */
export async function addRoster(id: string, csv: string): Promise<{ participants: Issued[] }> {
  const r = await fetch(`${docPath(id)}/participants`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "text/csv; charset=utf-8" },
    body: csv,
  });
  return answer(r, "POST", "participants");
}

async function answer<T>(r: Response, method: string, path: string): Promise<T> {
  let data: unknown = null;
  try {
    data = await r.json();
  } catch {
    // not JSON: keep the status
  }
  if (!r.ok) {
    const e = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(r.status, e?.code ?? "http_" + r.status, e?.message ?? `${method} ${path}: HTTP ${r.status}`);
  }
  return data as T;
}

/**
 * uploadCompilation sends a compilation file to the importer, reporting
 * the upload's progress (XHR: fetch cannot report upload progress).
 */
export function uploadCompilation(file: Blob, name: string, opts: { format: string; title: string }, progress: (sent: number, total: number) => void): Promise<ImportResult> {
  const q = new URLSearchParams({ format: opts.format || "auto", filename: name });
  if (opts.title) q.set("title", opts.title);
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", `/api/v1/documents?${q}`);
    x.withCredentials = true;
    x.setRequestHeader("Content-Type", "application/octet-stream");
    x.upload.onprogress = (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size);
    x.onerror = () => reject(new ApiError(0, "network", "The upload failed: the server could not be reached."));
    x.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(x.responseText);
      } catch {
        // not JSON
      }
      if (x.status >= 200 && x.status < 300) return resolve(data as ImportResult);
      const e = (data as { error?: { code?: string; message?: string } } | null)?.error;
      reject(new ApiError(x.status, e?.code ?? "http_" + x.status, e?.message ?? `upload: HTTP ${x.status}`));
    };
    x.send(file);
  });
}
