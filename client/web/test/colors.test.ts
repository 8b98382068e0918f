import assert from "node:assert/strict";
import { test } from "node:test";
import { authorClass, authorsOf, colourIndex, hash, PALETTE_SIZE } from "../src/colors";
import vectors from "../../../server/internal/palette/testdata/vectors.json";
import { chair, colours } from "../../../server/internal/palette/palette.json";

// The Go side (server/internal/palette) checks the same vectors: the web
// client and the HTML export colour every code alike.
test("colours match the server's for every test vector", () => {
  const v = vectors as Record<string, number>;
  assert.ok(Object.keys(v).length >= 20);
  for (const [code, i] of Object.entries(v)) assert.equal(colourIndex(code), i, code);
});

test("a colour depends on the code alone, the same however often and in whatever order", () => {
  const a = ["BRA", "CEPT", "USA", "ARB"].map(authorClass);
  const b = ["ARB", "USA", "CEPT", "BRA"].map(authorClass).reverse();
  assert.deepEqual(a, b);
  assert.equal(authorClass("chair"), "au-chair");
  assert.equal(authorClass("original"), "");
  assert.equal(hash(""), hash(""));
  assert.notEqual(hash("BRA"), hash("BRB"));
});

test("the six regional groups have six different colours", () => {
  const gs = ["APT", "ARB", "ATU", "CEPT", "CITEL", "RCC"].map(colourIndex);
  assert.equal(new Set(gs).size, 6);
});

test("the legend lists the chair first, then delegations by code, without the original", () => {
  assert.deepEqual(
    authorsOf([
      [
        [3, "original"],
        [2, "USA"],
      ],
      [
        [1, "chair"],
        [4, "BRA"],
        [0, "RUS"],
      ],
    ]),
    ["chair", "BRA", "USA"],
  );
});

// The palette's two promises, checked on palette.json itself: dark text is
// readable on every colour (WCAG AA, 4.5:1), and any two colours stay
// apart (CIEDE2000 ≥ 5) for normal vision and for the three common kinds
// of colour blindness, simulated with Machado, Oliveira and Fernandes
// (2009), severity 1.
const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (h: string) => [1, 3, 5].map((i) => lin(parseInt(h.slice(i, i + 2), 16)));
const lum = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
const SIM: Record<string, number[][] | null> = {
  normal: null,
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
function lab([r, g, b]: number[]): number[] {
  const X = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const Y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const Z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}
function ciede2000([L1, a1, b1]: number[], [L2, a2, b2]: number[]): number {
  const rad = Math.PI / 180;
  const C7 = (((Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2) ** 7);
  const G = 0.5 * (1 - Math.sqrt(C7 / (C7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const hue = (x: number, y: number) => (x === 0 && y === 0 ? 0 : (Math.atan2(y, x) / rad + 360) % 360);
  const h1p = hue(a1p, b1);
  const h2p = hue(a2p, b2);
  let dh = 0;
  if (C1p * C2p !== 0) {
    dh = h2p - h1p;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(C1p * C2p) * Math.sin((dh * rad) / 2);
  const Lb = (L1 + L2) / 2;
  const Cb = (C1p + C2p) / 2;
  let hb = h1p + h2p;
  if (C1p * C2p !== 0) hb = Math.abs(h1p - h2p) > 180 ? (h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2) : (h1p + h2p) / 2;
  const T = 1 - 0.17 * Math.cos((hb - 30) * rad) + 0.24 * Math.cos(2 * hb * rad) + 0.32 * Math.cos((3 * hb + 6) * rad) - 0.2 * Math.cos((4 * hb - 63) * rad);
  const dth = 30 * Math.exp(-(((hb - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cb ** 7 / (Cb ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lb - 50) ** 2) / Math.sqrt(20 + (Lb - 50) ** 2);
  const Sc = 1 + 0.045 * Cb;
  const Sh = 1 + 0.015 * Cb * T;
  const Rt = -Math.sin(2 * dth * rad) * Rc;
  const dL = (L2 - L1) / Sl;
  const dC = (C2p - C1p) / Sc;
  const dHs = dH / Sh;
  return Math.sqrt(dL * dL + dC * dC + dHs * dHs + Rt * dC * dHs);
}

test("CIEDE2000 gives the published reference differences", () => {
  // Sharma, Wu and Dalal (2005), test data pairs 1, 7 and 17.
  assert.equal(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485]).toFixed(4), "2.0425");
  assert.equal(ciede2000([50, 0, 0], [50, -1, 2]).toFixed(4), "2.3669");
  assert.equal(ciede2000([50, 2.5, 0], [73, 25, -18]).toFixed(4), "27.1492");
});

test("at least 16 colours, readable with dark text, distinct under colour blindness", () => {
  assert.ok(PALETTE_SIZE >= 16, `${PALETTE_SIZE} colours`);
  const ink = lum(rgb("#1b1f24"));
  for (const c of [...colours.map((x) => x.hex), chair]) {
    const ratio = (lum(rgb(c)) + 0.05) / (ink + 0.05);
    assert.ok(ratio >= 4.5, `${c}: contrast ${ratio.toFixed(2)} with the text`);
  }
  const all = [...colours.map((x) => x.hex), chair, "#FFFFFF"]; // apart from the chair's grey and the page too
  for (const [name, m] of Object.entries(SIM)) {
    const seen = all.map((h) => {
      const l = rgb(h);
      return lab(m ? m.map((r) => Math.min(1, Math.max(0, r[0] * l[0] + r[1] * l[1] + r[2] * l[2]))) : l);
    });
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const d = ciede2000(seen[i], seen[j]);
        assert.ok(d >= 5, `${name}: ${all[i]} and ${all[j]} differ by only ${d.toFixed(2)}`);
      }
    }
  }
});
