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
