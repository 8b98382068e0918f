import assert from "node:assert/strict";
import { test } from "node:test";
import type { Issued } from "../src/api";
import { tokenFrom } from "../src/joinlink";
import { qrSVG, sheetRows } from "../src/sheet";

const tok = "drt_qJoNM7Hm6t2w-1W4O9KCeihbQyj7eWhktm6XkWn66xY";

test("a pasted join link or token yields the token", () => {
  for (const input of [
    tok,
    `  ${tok}\n`,
    `http://127.0.0.1:8080/join#${tok}`,
    `https://draft.example.org/join#${tok}`,
    `https://draft.example.org/join#${encodeURIComponent(tok)}`,
    `Your link: https://draft.example.org/join#${tok.slice(0, 20)}\n${tok.slice(20)} (keep it to yourself)`,
    `<https://draft.example.org/join#${tok}>`,
    `#${tok}`,
  ]) {
    assert.equal(tokenFrom(input), tok, input);
  }
  for (const input of ["", "   ", "https://draft.example.org/join#", "https://draft.example.org/join", "drt_short", "not a token", "https://x/join#%E0%A4%A"]) {
    assert.equal(tokenFrom(input), "", input);
  }
});

const issued = (role: string, delegation: string, name: string): Issued => ({
  id: name,
  name,
  role,
  delegation,
  token_id: "t",
  token: tok,
  join_url: `https://draft.example.org/join#${tok}-${name}`,
  expires_at: null,
});

test("the join sheet lists the chair, the rapporteur, delegations by code, then observers", () => {
  const rows = sheetRows([
    issued("observer", "", "Press"),
    issued("delegate", "CEPT", "CEPT"),
    issued("delegate", "ARB", "Arab States"),
    issued("chair", "", "Chair"),
    issued("delegate", "CHN", "中国"),
    issued("rapporteur", "", "Rapporteur"),
  ]);
  assert.deepEqual(
    rows.map((r) => r.who),
    ["Chair", "Rapporteur", "Arab States (ARB)", "CEPT", "中国 (CHN)", "Press"],
  );
  assert.ok(rows[2].link.endsWith("-Arab States"));
});

test("QR codes are SVG drawn by qrcode-generator, larger for longer links", () => {
  const short = qrSVG("https://x/join#" + tok);
  const long = qrSVG("https://draft.conference.example.org/some/long/path/join#" + tok + tok);
  assert.match(short, /^<svg[^>]*viewBox="0 0 (\d+) \1"/);
  const size = (s: string) => Number(/viewBox="0 0 (\d+)/.exec(s)![1]);
  assert.ok(size(long) > size(short), `${size(long)} > ${size(short)}`);
});
