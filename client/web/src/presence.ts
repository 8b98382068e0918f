// Who is connected, grouped by role: the chair and rapporteurs by name,
// delegations as compact chips (one per delegation, with how many of its
// people are here), observers as a count. At 150 participants it stays
// short: the chips wrap, and past a screenful the rest fold behind a button.
import { authorClass } from "./colors";
import { el } from "./dom";
import type { PresenceEntry } from "./protocol";

const CHIPS = 40; // delegation chips shown before "show all"

export interface PresenceOptions {
  self: string | undefined; // this participant
  observers: number;
  labelOf(para: string): string;
  expanded: boolean;
  onExpand(expanded: boolean): void;
}

/** dedupe keeps one entry per participant (the one in a paragraph, if any). */
export function dedupe(list: PresenceEntry[]): PresenceEntry[] {
  const seen = new Map<string, PresenceEntry>();
  for (const e of list) if (!seen.has(e.participant) || (!seen.get(e.participant)!.para && e.para)) seen.set(e.participant, e);
  return [...seen.values()];
}

export function presenceView(list: PresenceEntry[], o: PresenceOptions): HTMLElement[] {
  const people = dedupe(list);
  const byRole = (r: string) => people.filter((e) => e.role === r);
  const out: HTMLElement[] = [];
  const named = (title: string, es: PresenceEntry[]) => {
    if (!es.length) return;
    out.push(
      el(
        "div",
        { class: "pgroup-role" },
        el("h3", { text: `${title} (${es.length})` }),
        el("ul", {}, ...es.map((e) => el("li", {}, el("span", { class: "pname", text: e.name }), e.participant === o.self ? " (you)" : "", e.para ? el("span", { class: "pwhere", text: " — in " + o.labelOf(e.para) }) : null))),
      ),
    );
  };
  named("Chair", [...byRole("chair"), ...byRole("admin")]);
  const dels = new Map<string, PresenceEntry[]>();
  for (const e of byRole("delegate")) {
    const k = e.delegation || e.name;
    dels.set(k, [...(dels.get(k) ?? []), e]);
  }
  if (dels.size) {
    const codes = [...dels.keys()].sort();
    const shown = o.expanded ? codes : codes.slice(0, CHIPS);
    const n = byRole("delegate").length;
    out.push(
      el(
        "div",
        { class: "pgroup-role" },
        el("h3", { text: `Delegations (${dels.size}${n !== dels.size ? `, ${n} people` : ""})` }),
        el(
          "ul",
          { class: "chips" },
          ...shown.map((c) => {
            const es = dels.get(c)!;
            const where = es.map((e) => e.name + (e.para ? " — in " + o.labelOf(e.para) : "")).join("\n");
            return el("li", { class: "dchip au " + authorClass(c), title: where, "data-delegation": c }, c, es.length > 1 ? el("span", { class: "dn", text: "×" + es.length }) : null);
          }),
        ),
        codes.length > CHIPS
          ? el("button", { type: "button", class: "btn small", onclick: () => o.onExpand(!o.expanded) }, o.expanded ? "Show fewer" : `Show all ${codes.length}`)
          : null,
      ),
    );
  }
  named("Rapporteurs", byRole("rapporteur"));
  const obs = o.observers + byRole("observer").length;
  out.push(el("p", { class: "hint" }, obs ? `Observers: ${obs} following` : "No observers"));
  return out;
}
