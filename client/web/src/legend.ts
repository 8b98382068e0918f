// The legend: the delegations (and the chair) whose words are in the text,
// each with its colour and code, as the text's tags show them.
import { authorClass } from "./colors";
import { el } from "./dom";

export function legendItems(authors: string[], nameOf: (code: string) => string): HTMLElement[] {
  return authors.map((a) => {
    const code = a === "chair" ? "Chair" : a;
    const name = nameOf(a);
    return el("li", { "data-author": a }, el("span", { class: "swatch au " + authorClass(a), text: code }), name && name !== code ? el("span", { class: "lname", text: " " + name }) : null);
  });
}
