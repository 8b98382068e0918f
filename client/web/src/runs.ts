// Authorship runs, kept in step with the text exactly as the server does
// (server/internal/draft/authorship.go): inserted code points belong to the
// op's author, deleted ones disappear, the rest keep theirs.
import type { Runs, TextOp } from "./protocol";
import { cpLength } from "./textop";

function push(out: Runs, n: number, author: string): void {
  if (n <= 0) return;
  const last = out[out.length - 1];
  if (last && last[1] === author) last[0] += n;
  else out.push([n, author]);
}

export function runsLength(runs: Runs): number {
  let n = 0;
  for (const r of runs) n += r[0];
  return n;
}

/** applyRuns returns the runs after op; runs is not modified. */
export function applyRuns(runs: Runs, op: TextOp, author: string): Runs {
  const out: Runs = [];
  let ri = 0;
  let used = 0;
  const take = (n: number, keep: boolean) => {
    while (n > 0 && ri < runs.length) {
      const step = Math.min(n, runs[ri][0] - used);
      if (keep) push(out, step, runs[ri][1]);
      n -= step;
      used += step;
      if (used === runs[ri][0]) {
        ri++;
        used = 0;
      }
    }
  };
  for (const c of op) {
    if (typeof c === "number") take(c, true);
    else if (typeof c === "string") push(out, cpLength(c), author);
    else take(typeof c.d === "number" ? c.d : cpLength(c.d), false);
  }
  if (ri < runs.length) {
    push(out, runs[ri][0] - used, runs[ri][1]);
    for (const r of runs.slice(ri + 1)) push(out, r[0], r[1]);
  }
  return out;
}

/** Distinct authors of code points [from, to), in order of appearance. */
export function authorsIn(runs: Runs, from: number, to: number): string[] {
  const out: string[] = [];
  let pos = 0;
  for (const [n, a] of runs) {
    if (pos >= to) break;
    if (pos + n > from && !out.includes(a)) out.push(a);
    pos += n;
  }
  return out;
}

/** Runs for a text with no (or broken) authorship: one run by "original". */
export function fixRuns(text: string, runs: Runs | null | undefined): Runs {
  const n = cpLength(text);
  if (runs && runsLength(runs) === n) return runs.map((r) => [r[0], r[1]] as [number, string]);
  return n > 0 ? [[n, "original"]] : [];
}
