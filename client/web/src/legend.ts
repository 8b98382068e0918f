// The legend: the delegations (and the chair) whose words are in the text,
// each with its colour and code, as the text's tags show them.
import { authorClass } from "./colors";
import { el, replace } from "./dom";

export function legendItems(authors: string[], nameOf: (code: string) => string): HTMLElement[] {
  return authors.map((a) => {
    const code = a === "chair" ? "Chair" : a;
    const name = nameOf(a);
    return el("li", { "data-author": a }, el("span", { class: "swatch au " + authorClass(a), text: code }), name && name !== code ? el("span", { class: "lname", text: " " + name }) : null);
  });
}

/**
 * Legend keeps a legend list in step with the text: redrawn at most once a
 * frame, and only when the authors with words in the text change.
 */
export class Legend {
  private queued = false;
  private key: string | null = null;

  /** empty is what the list shows while the text has no authors yet. */
  constructor(
    readonly el: HTMLElement,
    private readonly authors: () => string[],
    private readonly nameOf: (code: string) => string,
    private readonly empty: () => HTMLElement[] = () => [],
  ) {}

  /** redraw draws the legend at the next frame, whether or not its authors changed (after a new document). */
  redraw(): void {
    this.key = null;
    this.queue();
  }

  /** queue draws the legend at the next frame if its authors changed. */
  queue(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      const authors = this.authors();
      const key = authors.join(" ");
      if (key === this.key) return;
      this.key = key;
      replace(this.el, ...(authors.length ? legendItems(authors, this.nameOf) : this.empty()));
    });
  }
}
