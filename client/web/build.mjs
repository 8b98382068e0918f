// Builds the client into dist/ (index.html, assets/app.js, assets/app.css),
// or with --tests the unit tests into .test-dist/ for node --test.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";

const here = new URL(".", import.meta.url).pathname;

if (process.argv.includes("--tests")) {
  await rm(here + ".test-dist", { recursive: true, force: true });
  const tests = (await readdir(here + "test")).filter((f) => f.endsWith(".test.ts"));
  await build({
    entryPoints: tests.map((f) => here + "test/" + f),
    outdir: here + ".test-dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
} else {
  const dist = here + "dist/";
  // Keep dist/.keep (the Go embed needs the directory), replace the rest.
  await rm(dist + "assets", { recursive: true, force: true });
  await mkdir(dist + "assets", { recursive: true });
  // The script and the style sheet: bundled and minified alike, side by side.
  const asset = { outdir: dist + "assets", bundle: true, minify: true, logLevel: "warning" };
  await build({
    ...asset,
    entryPoints: { app: here + "src/main.ts" },
    format: "esm",
    target: ["chrome100", "firefox100", "safari15"],
    legalComments: "none",
  });
  await build({ ...asset, entryPoints: { app: here + "src/styles.css" } });
  // The delegation colours, from the palette the HTML export uses too.
  const palette = JSON.parse(await readFile(here + "../../server/internal/palette/palette.json", "utf8"));
  const rule = (name, hex) => `.au-${name},.tg-${name}::after{background:${hex}}`;
  const css = [rule("chair", palette.chair), ...palette.colours.map((c, i) => rule("c" + i, c.hex))].join("");
  await writeFile(dist + "assets/app.css", (await readFile(dist + "assets/app.css", "utf8")) + css + "\n");
  // Version the asset URLs by content so a new build is never served stale.
  const hash = async (f) => createHash("sha256").update(await readFile(dist + f)).digest("hex").slice(0, 10);
  const html = (await readFile(here + "src/index.html", "utf8"))
    .replace("/assets/app.js", `/assets/app.js?v=${await hash("assets/app.js")}`)
    .replace("/assets/app.css", `/assets/app.css?v=${await hash("assets/app.css")}`);
  await writeFile(dist + "index.html", html);
}
