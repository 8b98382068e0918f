// Frozen versions in the side panel: the rapporteur freezes one; anyone
// lists them, exports, and opens the full-width history page to compare
// versions and see the text at any point. The panel appears only when the
// server answers the versions endpoint.
import { freeze, versions, type Version } from "./api";
import type { DocView } from "./docview";
import { el, hidden, replace, setText } from "./dom";

export class Versions {
  readonly el: HTMLElement;
  private readonly list = el("ul", { class: "versions" });
  private readonly label = el("input", { type: "text", placeholder: "Label, e.g. Rev. 1", "aria-label": "Version label" }) as HTMLInputElement;
  private readonly msg = el("p", { class: "result", role: "status" });
  private readonly format = el(
    "select",
    { "aria-label": "Export format" },
    ...["docx", "html", "md", "txt", "akn", "csv", "xlsx"].map((f) => el("option", { value: f, text: f.toUpperCase() })),
  ) as HTMLSelectElement;
  private readonly exportOf = el("select", { "aria-label": "Version to export" }) as HTMLSelectElement;
  private readonly redline = el("select", { "aria-label": "Show changes since" }) as HTMLSelectElement;
  private readonly compilation = el("input", { type: "checkbox", "aria-label": "Compilation table (docx, html)" }) as HTMLInputElement;

  constructor(private readonly v: DocView) {
    const btn = (text: string, on: () => void) => el("button", { type: "button", class: "btn", onclick: on }, text);
    this.el = el(
      "section",
      { class: "panel", hidden: true },
      el("h2", { text: "Versions" }),
      v.sess.role === "rapporteur" ? el("div", { class: "row" }, this.label, btn("Freeze version", () => void this.freeze())) : null,
      this.list,
      el("p", {}, el("a", { href: `/documents/${encodeURIComponent(v.docId)}/history`, "data-nav": "", class: "btn", text: "Compare, verify, history…" })),
      this.msg,
      el("h3", { text: "Export" }),
      el(
        "div",
        { class: "row" },
        this.format,
        this.exportOf,
        el("label", { text: "changes since " }, this.redline),
        el("label", { title: "docx and html: the original and one column per proposer, MODs as redlines" }, this.compilation, " compilation"),
        btn("Download", () => this.download()),
      ),
    );
    void this.load();
  }

  /** download asks the server for the export; the session cookie authorizes it. */
  private download(): void {
    const q = new URLSearchParams({ format: this.format.value });
    if (this.exportOf.value) q.set("version", this.exportOf.value);
    const compilation = this.compilation.checked && ["docx", "html"].includes(this.format.value);
    if (compilation) q.set("compilation", "true");
    else if (this.redline.value && ["docx", "html", "md"].includes(this.format.value)) q.set("redline", this.redline.value);
    const a = el("a", { href: `/api/v1/documents/${encodeURIComponent(this.v.docId)}/export?${q}`, download: "" });
    document.body.append(a);
    a.click();
    a.remove();
  }

  async load(): Promise<void> {
    let vs: Version[];
    try {
      const r = await versions(this.v.docId);
      vs = Array.isArray(r) ? r : (r.versions ?? []);
    } catch {
      hidden(this.el, true); // not there (yet): no panel
      return;
    }
    hidden(this.el, false);
    const key = (x: Version) => String(x.label || x.seq || "");
    replace(
      this.list,
      ...(vs.length
        ? vs.map((x) => el("li", { dir: "auto" }, el("strong", { text: x.label || "(no label)" }), ` seq ${x.seq ?? "?"}`, x.sha256 ? el("code", { class: "hash", title: String(x.sha256), text: " " + String(x.sha256).slice(0, 12) }) : null))
        : [el("li", { class: "hint", text: "No version frozen yet." })]),
    );
    replace(this.exportOf, el("option", { value: "", text: "Current text" }), ...vs.map((x) => el("option", { value: key(x), text: x.label || key(x) })));
    replace(this.redline, el("option", { value: "", text: "(no redline)" }), ...vs.map((x) => el("option", { value: key(x), text: x.label || key(x) })));
  }

  private async freeze(): Promise<void> {
    try {
      await freeze(this.v.docId, this.label.value.trim());
      setText(this.msg, "Version frozen.");
      this.label.value = "";
      await this.load();
    } catch (e) {
      setText(this.msg, `Refused: ${(e as Error).message}`);
    }
  }
}
