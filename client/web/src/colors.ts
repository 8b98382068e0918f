// Author colours: a fixed palette of CSS classes (no inline styles: the CSP
// forbids them), handed out to authors in order of first appearance.
// Every background is light enough for AA contrast with the dark text.
export const PALETTE_SIZE = 8;

const assigned = new Map<string, number>();
const listeners = new Set<() => void>();

/** The class for an author's text: "au-chair" or "au-c0"… */
export function authorClass(author: string): string {
  if (author === "chair") return "au-chair";
  let k = assigned.get(author);
  if (k === undefined) {
    k = assigned.size % PALETTE_SIZE;
    assigned.set(author, k);
    for (const f of listeners) f();
  }
  return "au-c" + k;
}

/** Authors seen so far with their classes, for the legend. */
export function legend(): { author: string; cls: string }[] {
  return [...assigned.keys()].map((a) => ({ author: a, cls: authorClass(a) }));
}

export function onNewAuthor(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
