// Reading a token out of what a participant pastes: the token itself, a
// join link (…/join#drt_…), or a line of an e-mail holding either.

const TOKEN = /drt_[A-Za-z0-9_-]{16,}/;

/** tokenFrom returns the token in input, or "" when there is none. */
export function tokenFrom(input: string): string {
  let s = input.trim();
  const hash = s.indexOf("#");
  if (hash >= 0) {
    s = s.slice(hash + 1);
    try {
      s = decodeURIComponent(s);
    } catch {
      // not percent-encoded: keep it as it is
    }
  }
  // Mail programs wrap long links; a token holds no white space.
  s = s.replace(/\s+/g, "");
  return TOKEN.exec(s)?.[0] ?? "";
}
