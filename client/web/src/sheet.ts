// The join sheet: one line per participant with the join link and a QR
// code of it, laid out to print on paper and hand out in the room. The QR
// codes are drawn by qrcode-generator.
import qrcode from "qrcode-generator";
import type { Issued } from "./api";
import { el } from "./dom";

export interface SheetRow {
  who: string; // "Brazil (BRA)" or "Chair"
  role: string;
  link: string;
}

const roleOrder = ["chair", "rapporteur", "delegate", "observer"];

/** sheetRows orders the new links: chair, rapporteur, delegations by code, observers. */
export function sheetRows(issued: Issued[]): SheetRow[] {
  return [...issued]
    .sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || a.delegation.localeCompare(b.delegation) || a.name.localeCompare(b.name))
    .map((p) => ({ who: p.delegation && p.name !== p.delegation ? `${p.name} (${p.delegation})` : p.name, role: p.role, link: p.join_url }));
}

/** qrSVG is the QR code of text as an SVG image. */
export function qrSVG(text: string): string {
  const q = qrcode(0, "M");
  q.addData(text);
  q.make();
  return q.createSvgTag({ cellSize: 4, margin: 16, scalable: true }) // a quiet zone of 4 modules;
}

/** qrImage is the QR code of text as an <img> (a data: URL, which the CSP allows). */
export function qrImage(text: string, label: string): HTMLImageElement {
  return el("img", { class: "qr", alt: `QR code of the join link for ${label}`, src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(qrSVG(text)) }) as HTMLImageElement;
}

/** renderSheet builds the printable sheet for a document's new links. */
export function renderSheet(title: string, rows: SheetRow[], onClose: () => void): HTMLElement {
  return el(
    "section",
    { class: "joinsheet", "aria-label": "Join sheet" },
    el(
      "div",
      { class: "sheet-tools" },
      el("button", { type: "button", class: "btn primary", onclick: () => window.print() }, "Print"),
      el("button", { type: "button", class: "btn", onclick: onClose }, "Close"),
      el("span", { class: "hint", text: "Cut along the lines; each link signs its holder in, so hand it only to them." }),
    ),
    el("h1", { dir: "auto", text: title }),
    el("p", { class: "hint", text: "Open the link, or scan the code, to join the drafting session." }),
    el(
      "ol",
      { class: "sheet" },
      ...rows.map((r) =>
        el(
          "li",
          { class: "sheet-row" },
          qrImage(r.link, r.who),
          el("div", { class: "sheet-who" }, el("strong", { dir: "auto", text: r.who }), el("span", { class: "sheet-role", text: r.role }), el("code", { class: "sheet-link", text: r.link })),
        ),
      ),
    ),
  );
}
