// The secretariat's desk, for admins: the documents with their counts,
// importing a compilation, renaming, and a document's participants (add
// one or a roster, list who is online, revoke, new link), with each new
// join link shown once and a printable join sheet.
import {
  addParticipant,
  addRoster,
  adminDocuments,
  ApiError,
  logout,
  newLink,
  participants,
  renameDocument,
  revokeParticipant,
  uploadCompilation,
  type AdminDocument,
  type ImportResult,
  type Issued,
  type ParticipantInfo,
} from "./api";
import { el, hidden, replace, setText } from "./dom";
import { navigate } from "./nav";
import type { Session } from "./protocol";
import { renderSheet, sheetRows } from "./sheet";

/** A page of the desk; destroy stops its refreshes. */
export interface AdminPage {
  el: HTMLElement;
  destroy(): void;
}

function frame(sess: Session, ...content: (Node | null)[]): HTMLElement {
  return el(
    "div",
    { class: "shell admin" },
    el(
      "header",
      { class: "bar" },
      el("span", { class: "brand", text: "Draftroom" }),
      el("nav", { "aria-label": "Desk" }, el("a", { href: "/admin", "data-nav": "", class: "nav", text: "Secretariat's desk" })),
      el("span", { class: "me", text: `${sess.name} (${sess.role})` }),
      el(
        "button",
        {
          type: "button",
          class: "btn",
          onclick: async () => {
            try {
              await logout();
            } finally {
              navigate("/");
            }
          },
        },
        "Log out",
      ),
    ),
    el("main", { class: "desk" }, ...content),
  );
}

const when = (iso: string | null): string => {
  if (!iso) return "never";
  const d = new Date(iso);
  const mins = Math.round((Date.now() - d.getTime()) / 60000);
  if (mins < 1) return "just now";
  if (mins < 60) return `${mins} min ago`;
  return d.toLocaleString();
};

const errorText = (e: unknown): string => (e instanceof ApiError || e instanceof Error ? e.message : String(e));

/** The desk's home: documents, and importing a compilation. */
export class DeskPage implements AdminPage {
  readonly el: HTMLElement;
  private readonly rows = el("tbody");
  private readonly listMsg = el("p", { class: "result", role: "status" });

  constructor(sess: Session) {
    this.el = frame(
      sess,
      el("h1", { text: "Secretariat's desk" }),
      el(
        "ol",
        { class: "steps", "aria-label": "Before a session" },
        ...["Import the compilation", "Add the participants", "Hand out the join links", "Run the session", "Freeze versions", "Export"].map((s) => el("li", { text: s })),
      ),
      this.importer(),
      el(
        "section",
        { class: "panel" },
        el("h2", { text: "Documents" }),
        el(
          "table",
          { class: "grid docs" },
          el(
            "thead",
            {},
            el("tr", {}, ...["Title", "Paragraphs", "Proposals", "Participants", "Online now", "Versions", "Last activity", ""].map((h) => el("th", { scope: "col", text: h }))),
          ),
          this.rows,
        ),
        this.listMsg,
      ),
    );
    void this.load();
  }

  destroy(): void {}

  async load(): Promise<void> {
    try {
      const { documents } = await adminDocuments();
      replace(this.rows, ...documents.map((d) => this.row(d)));
      setText(this.listMsg, documents.length ? "" : "No documents yet: import a compilation above.");
    } catch (e) {
      setText(this.listMsg, "Could not list the documents: " + errorText(e));
    }
  }

  private row(d: AdminDocument): HTMLElement {
    return el(
      "tr",
      { "data-doc": d.id },
      el("th", { scope: "row", dir: "auto" }, el("a", { href: `/admin/documents/${d.id}`, "data-nav": "", text: d.title })),
      el("td", { text: String(d.paragraphs) }),
      el("td", { text: String(d.proposals) }),
      el("td", { text: String(d.participants) }),
      el("td", { text: String(d.online) }),
      el("td", { text: String(d.versions) }),
      el("td", { text: when(d.last_activity) }),
      el("td", {}, el("a", { href: `/documents/${d.id}`, "data-nav": "", text: "Open" })),
    );
  }

  private importer(): HTMLElement {
    const file = el("input", { type: "file", id: "upload-file", accept: ".txt,.csv,.xlsx,text/plain,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true }) as HTMLInputElement;
    const title = el("input", { type: "text", id: "upload-title", placeholder: "Title (default: the table's own)", size: 40 }) as HTMLInputElement;
    const format = el("select", { id: "upload-format", "aria-label": "Format" }, ...["auto", "text", "csv", "xlsx"].map((f) => el("option", { value: f, text: f === "auto" ? "Format: from the file" : f.toUpperCase() }))) as HTMLSelectElement;
    const bar = el("progress", { max: 100, value: 0, hidden: true, "aria-label": "Upload progress" }) as HTMLProgressElement;
    const status = el("p", { class: "result", role: "status", "aria-live": "polite" });
    const out = el("div", { class: "import-result" });
    const button = el("button", { type: "submit", class: "btn primary" }, "Import") as HTMLButtonElement;
    const form = el(
      "form",
      { class: "panel", id: "import" },
      el("h2", { text: "Import a compilation" }),
      el("p", { class: "hint", text: "A compilation table as flattened text, CSV or XLSX (at most 20 MB): the original text, then one column per proposer." }),
      el("div", { class: "row" }, el("label", { for: "upload-file", text: "File" }), file, format),
      el("div", { class: "row" }, el("label", { for: "upload-title", text: "Title" }), title),
      el("div", { class: "row" }, button, bar),
      status,
      out,
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = file.files?.[0];
      if (!f) return;
      button.disabled = true;
      hidden(bar, false);
      bar.value = 0;
      replace(out);
      setText(status, `Uploading ${f.name}…`);
      try {
        const res = await uploadCompilation(f, f.name, { format: format.value, title: title.value.trim() }, (sent, total) => {
          bar.value = total ? Math.round((100 * sent) / total) : 0;
          setText(status, sent >= total ? "Reading the table…" : `Uploading ${f.name}: ${Math.round((100 * sent) / Math.max(total, 1))}%`);
        });
        bar.value = 100;
        setText(status, "Imported.");
        replace(out, summary(res));
        void this.load();
      } catch (x) {
        setText(status, "");
        replace(out, el("p", { class: "bad", role: "alert", text: "Not imported: " + errorText(x) }));
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }
}

function summary(res: ImportResult): HTMLElement {
  const s = res.summary;
  const by = Object.entries(s.proposals ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const total = by.reduce((n, [, k]) => n + k, 0);
  const unplaced = s.unplaced ?? [];
  const unknown = s.proposals?.["(unknown)"] ?? 0;
  return el(
    "div",
    { class: "summary", "data-document": res.id },
    el("p", { text: `${s.sections} sections, ${s.paragraphs} paragraphs, ${total} proposals, ${s.notes} notes.` }),
    by.length ? el("ul", { class: "byproposer" }, ...by.map(([name, n]) => el("li", { dir: "auto", text: `${name}: ${n} proposal${n === 1 ? "" : "s"}` }))) : null,
    unplaced.length
      ? el(
          "div",
          { class: "warnings", role: "alert" },
          el("strong", { text: `${unplaced.length} line${unplaced.length === 1 ? "" : "s"} could not be placed and were kept as notes:` }),
          el("ul", {}, ...unplaced.map((u) => el("li", { dir: "auto", text: `line ${u.line}: ${u.text.length > 160 ? u.text.slice(0, 160) + "…" : u.text}` }))),
        )
      : el("p", { class: "hint", text: "Every line was placed." }),
    unknown
      ? el(
          "p",
          { class: "warnings", role: "note" },
          `${unknown} proposal${unknown === 1 ? " has" : "s have"} no known proposer (the flattened text lost the column). Check them in the document's proposals; the chair assigns a proposer before merging.`,
        )
      : null,
    el("p", {}, el("a", { href: `/admin/documents/${res.id}`, "data-nav": "", class: "btn primary", text: "Next: add the participants" })),
  );
}

const ROLES = ["delegate", "chair", "rapporteur", "observer"];

/** One document at the desk: its title and its participants. */
export class DocumentDesk implements AdminPage {
  readonly el: HTMLElement;
  private readonly heading = el("h1", { dir: "auto", text: "…" });
  private readonly titleInput = el("input", { type: "text", id: "doc-title", size: 60, "aria-label": "Title" }) as HTMLInputElement;
  private readonly titleMsg = el("span", { class: "result", role: "status" });
  private readonly rows = el("tbody");
  private readonly listMsg = el("p", { class: "result", role: "status" });
  private readonly addMsg = el("div", { class: "result", id: "add-result", role: "alert" });
  private readonly fresh = el("section", { class: "panel links", hidden: true, "aria-label": "New join links" });
  private issued: Issued[] = [];
  private title = "";
  private timer = 0;
  private sheet: HTMLElement | null = null;

  constructor(
    private readonly id: string,
    sess: Session,
  ) {
    const titleForm = el(
      "form",
      { class: "row", id: "rename" },
      el("label", { for: "doc-title", text: "Title" }),
      this.titleInput,
      el("button", { type: "submit", class: "btn" }, "Rename"),
      this.titleMsg,
    );
    titleForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.rename();
    });
    this.el = frame(
      sess,
      el(
        "div",
        { class: "row" },
        el("a", { href: "/admin", "data-nav": "", text: "← All documents" }),
        el("a", { href: `/documents/${id}`, "data-nav": "", class: "btn", text: "Open the document" }),
        el("a", { href: `/documents/${id}/projector`, "data-nav": "", class: "btn", text: "Projector" }),
      ),
      this.heading,
      this.adder(),
      this.fresh,
      el(
        "section",
        { class: "panel" },
        el("h2", { text: "Participants" }),
        el(
          "table",
          { class: "grid people" },
          el("thead", {}, el("tr", {}, ...["Role", "Delegation", "Name", "Access", "Last seen", "Online now", ""].map((h) => el("th", { scope: "col", text: h })))),
          this.rows,
        ),
        this.listMsg,
      ),
      el("section", { class: "panel" }, el("h2", { text: "Document" }), titleForm),
    );
    void this.load();
    this.timer = window.setInterval(() => void this.loadParticipants(), 10000);
  }

  destroy(): void {
    clearInterval(this.timer);
    this.closeSheet();
  }

  private async load(): Promise<void> {
    try {
      const { documents } = await adminDocuments();
      const d = documents.find((x) => x.id === this.id);
      if (!d) {
        setText(this.heading, "No such document");
        return;
      }
      this.title = d.title;
      setText(this.heading, d.title);
      this.titleInput.value = d.title;
      document.title = `${d.title} — Secretariat — Draftroom`;
    } catch (e) {
      setText(this.heading, "Could not load the document: " + errorText(e));
    }
    await this.loadParticipants();
  }

  private async rename(): Promise<void> {
    try {
      const r = await renameDocument(this.id, this.titleInput.value);
      this.title = r.title;
      setText(this.heading, r.title);
      setText(this.titleMsg, "Renamed.");
    } catch (e) {
      setText(this.titleMsg, errorText(e));
    }
  }

  async loadParticipants(): Promise<void> {
    try {
      const { participants: ps } = await participants(this.id);
      replace(this.rows, ...ps.map((p) => this.row(p)));
      setText(this.listMsg, ps.length ? "" : "No participants yet: add them above, one at a time or as a roster.");
    } catch (e) {
      setText(this.listMsg, "Could not list the participants: " + errorText(e));
    }
  }

  private row(p: ParticipantInfo): HTMLElement {
    const revoke = el("button", { type: "button", class: "btn small danger", "data-action": "revoke" }, "Revoke") as HTMLButtonElement;
    revoke.addEventListener("click", async () => {
      if (!confirm(`Revoke ${p.name}'s access? Their browser is signed out at once.`)) return;
      revoke.disabled = true;
      try {
        await revokeParticipant(this.id, p.id);
        await this.loadParticipants();
      } catch (e) {
        setText(this.listMsg, errorText(e));
        revoke.disabled = false;
      }
    });
    const relink = el("button", { type: "button", class: "btn small", "data-action": "new-link" }, "New link") as HTMLButtonElement;
    relink.addEventListener("click", async () => {
      try {
        this.show([await newLink(this.id, p.id)]);
        await this.loadParticipants();
      } catch (e) {
        setText(this.listMsg, errorText(e));
      }
    });
    return el(
      "tr",
      { "data-participant": p.id, "data-delegation": p.delegation || null, class: p.active ? "" : "revoked" },
      el("td", { text: p.role }),
      el("td", { text: p.delegation || "—" }),
      el("td", { dir: "auto", text: p.name }),
      el("td", { text: p.active ? "active" : "revoked" }),
      el("td", { text: when(p.last_seen_at) }),
      el("td", { class: p.online ? "online" : "", text: p.online ? "● online" : "—" }),
      el("td", {}, relink, p.active ? revoke : null),
    );
  }

  private adder(): HTMLElement {
    const role = el("select", { id: "add-role", "aria-label": "Role" }, ...ROLES.map((r) => el("option", { value: r, text: r }))) as HTMLSelectElement;
    const deleg = el("input", { type: "text", id: "add-delegation", placeholder: "Code: BRA", size: 9, "aria-label": "Delegation code" }) as HTMLInputElement;
    const name = el("input", { type: "text", id: "add-name", placeholder: "Name (optional)", size: 18, "aria-label": "Name" }) as HTMLInputElement;
    const expires = el("input", { type: "text", id: "add-expires", placeholder: "Expires: 14d", size: 11, title: "Optional: a date (2026-06-01), a time, or a duration (72h, 14d)", "aria-label": "Expires" }) as HTMLInputElement;
    role.addEventListener("change", () => (deleg.disabled = role.value !== "delegate"));
    const one = el("form", { class: "row", id: "add-one" }, role, deleg, name, expires, el("button", { type: "submit", class: "btn" }, "Add"));
    one.addEventListener("submit", async (e) => {
      e.preventDefault();
      await this.add(() => addParticipant(this.id, { role: role.value, delegation: role.value === "delegate" ? deleg.value.trim() : "", name: name.value.trim(), expires: expires.value.trim() }));
      deleg.value = name.value = expires.value = "";
    });

    const file = el("input", { type: "file", id: "roster-file", accept: ".csv,.txt,text/csv,text/plain", "aria-label": "Roster file" }) as HTMLInputElement;
    const text = el("textarea", {
      id: "roster-text",
      rows: 5,
      spellcheck: "false",
      "aria-label": "Roster",
      placeholder: "role,delegation,name,expires\ndelegate,BRA,Brazil\ndelegate,CEPT,CEPT\nchair,,Chair",
    }) as HTMLTextAreaElement;
    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (f) text.value = await f.text();
    });
    const roster = el("form", { id: "add-roster" }, el("div", { class: "row" }, file), text, el("div", { class: "row" }, el("button", { type: "submit", class: "btn primary" }, "Add roster")));
    roster.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!text.value.trim()) return;
      if (await this.add(() => addRoster(this.id, text.value))) {
        text.value = "";
        file.value = "";
      }
    });
    return el(
      "section",
      { class: "panel" },
      el("h2", { text: "Add participants" }),
      el(
        "div",
        { class: "addgrid" },
        el(
          "div",
          {},
          el("h3", { text: "A roster" }),
          el("p", {
            class: "hint",
            text: "One participant a line: role (delegate, chair, rapporteur, observer), delegation code, name, and optionally when the link expires. All are added or, if a line is wrong, none.",
          }),
          roster,
        ),
        el("div", {}, el("h3", { text: "One participant" }), one),
      ),
      this.addMsg,
    );
  }

  private async add(call: () => Promise<{ participants: Issued[] }>): Promise<boolean> {
    replace(this.addMsg);
    try {
      const { participants: added } = await call();
      this.show(added);
      await this.loadParticipants();
      return true;
    } catch (e) {
      replace(this.addMsg, el("p", { class: "bad", text: errorText(e) }));
      this.addMsg.scrollIntoView({ block: "nearest" });
      return false;
    }
  }

  /** show lists new join links, once: the server keeps only their hashes. */
  private show(added: Issued[]): void {
    this.issued = [...this.issued, ...added];
    const copy = (text: string, button: HTMLButtonElement) => async () => {
      try {
        await navigator.clipboard.writeText(text);
        setText(button, "Copied");
      } catch {
        setText(button, "Select and copy");
      }
    };
    const all = el("button", { type: "button", class: "btn" }, "Copy all") as HTMLButtonElement;
    all.addEventListener("click", copy(this.issued.map((p) => `${p.delegation || p.role}\t${p.name}\t${p.join_url}`).join("\n"), all));
    replace(
      this.fresh,
      el("h2", { text: `New join links (${this.issued.length})` }),
      el("p", { class: "bad", text: "Shown only now: copy them or print the join sheet before you leave this page." }),
      el("div", { class: "row" }, el("button", { type: "button", class: "btn primary", id: "print-sheet", onclick: () => this.openSheet() }, "Print join sheet"), all),
      el(
        "table",
        { class: "grid" },
        el("tbody", {}, ...this.issued.map((p) => {
          const input = el("input", { type: "text", readonly: true, class: "link", value: p.join_url, "aria-label": `Join link for ${p.name}` }) as HTMLInputElement;
          input.addEventListener("focus", () => input.select());
          const b = el("button", { type: "button", class: "btn small" }, "Copy") as HTMLButtonElement;
          b.addEventListener("click", copy(p.join_url, b));
          return el("tr", { "data-issued": p.id }, el("td", { text: p.delegation || p.role }), el("td", { dir: "auto", text: p.name }), el("td", {}, input), el("td", {}, b));
        })),
      ),
    );
    hidden(this.fresh, false);
    this.fresh.scrollIntoView({ block: "start" });
  }

  private openSheet(): void {
    this.closeSheet();
    this.sheet = renderSheet(this.title, sheetRows(this.issued), () => this.closeSheet());
    document.body.append(this.sheet);
    document.body.classList.add("printing-sheet");
  }

  private closeSheet(): void {
    this.sheet?.remove();
    this.sheet = null;
    document.body.classList.remove("printing-sheet");
  }
}
