#!/usr/bin/env node
// Time to run every cell of each notebook in the page (headless Chromium, file://) against the tslab kernel, and
// the site's size by part.
//   node tools/site/measure.mjs [--repeats N] [--size] [NOTEBOOK …]   (default: every notebook, best of 1;
//                                                                      --size: only the size table)
// For each notebook the kernel and the page run alternately, N times each, and the best time of each is kept
// (the machine is shared: take ratios from one run, not absolute times across runs).
//   kernel: the sum of the cells' times on a fresh tslab kernel (its start-up, 2–5 s, is shown apart)
//   page:   window.notebook.runAll() — every cell, with charts drawn (the worker's start is shown apart)
// The kernel's first cell also type-checks the whole library (seconds); the last column compares the cells after
// the first one, where both sides only compute and draw.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { buildSite, dirSize } from "../build-site.mjs";
import { killAllKernels, runNotebook } from "../notebook-runner.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NB = join(ROOT, "notebooks");
const args = process.argv.slice(2);
const ri = args.indexOf("--repeats");
const repeats = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 1;
const si = args.indexOf("--size");
const sizeOnly = si >= 0 && args.splice(si, 1).length > 0;
const chosen = args.length ? args.map((a) => a.replace(/\.ipynb$/, "") + ".ipynb") : readdirSync(NB).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();

const out = mkdtempSync(join(tmpdir(), "site-measure-"));
process.on("exit", () => { killAllKernels(); rmSync(out, { recursive: true, force: true }); });
buildSite({ from: NB, out });

/** The site's size by part: every file of runtime/ (the worker's code and files, loaded on a page's first run), the pages, the rest. */
function sizeTable(dir) {
  const mb = (b) => (b / 1024 / 1024).toFixed(2).padStart(6);
  const rows = [];
  const top = readdirSync(dir, { withFileTypes: true });
  const pages = top.filter((e) => e.isFile() && e.name.endsWith(".html"));
  rows.push([`pages (${pages.length} .html, outputs included)`, pages.reduce((a, e) => a + statSync(join(dir, e.name)).size, 0)]);
  for (const f of readdirSync(join(dir, "runtime")).sort()) rows.push([`runtime/${f}`, statSync(join(dir, "runtime", f)).size]);
  for (const e of top.filter((x) => x.isDirectory() && x.name !== "runtime")) rows.push([`${e.name}/`, dirSize(join(dir, e.name))]);
  rows.push(["other files", top.filter((e) => e.isFile() && !e.name.endsWith(".html")).reduce((a, e) => a + statSync(join(dir, e.name)).size, 0)]);
  console.log("part                                             MB");
  for (const [name, bytes] of rows) console.log(`${name.padEnd(45)} ${mb(bytes)}`);
  console.log(`${"site".padEnd(45)} ${mb(dirSize(dir))}`);
}
if (sizeOnly) {
  sizeTable(out);
  process.exit(0);
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });

async function page(f) {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(pathToFileURL(join(out, f.replace(/\.ipynb$/, ".html"))).href);
  await p.waitForFunction(() => document.body.dataset.runtime === "ready" && document.body.dataset.rendered, null, { timeout: 60_000 });
  const r = await p.evaluate(() => window.notebook.runAll());
  const start = await p.evaluate(() => window.notebook.startMs);
  await context.close();
  if (!r.ok) throw new Error(`${f}: a cell failed in the page: ${r.cells.find((c) => !c.ok)?.error}`);
  return { ms: r.ms - start, start, rest: r.ms - start - r.cells[0].ms };
}

async function kernel(f) {
  const r = await runNotebook(join(NB, f));
  if (!r.ok) throw new Error(`${f}: ${r.error}`);
  const ms = r.timings.cellMs.reduce((a, b) => a + b, 0);
  return { ms, start: r.timings.startupMs, rest: ms - r.timings.cellMs[0] };
}

const s = (ms) => (ms / 1000).toFixed(2).padStart(7);
console.log(`notebook                        kernel s  (start)    page s  (start)  page/kernel  after cell 1   [best of ${repeats}]`);
const ratios = [], restRatios = [];
for (const f of chosen) {
  let k = { ms: Infinity, start: 0 }, w = { ms: Infinity, start: 0 };
  for (let i = 0; i < repeats; i++) {
    const a = await kernel(f);
    if (a.ms < k.ms) k = a;
    const b = await page(f);
    if (b.ms < w.ms) w = b;
  }
  ratios.push(w.ms / k.ms);
  restRatios.push(w.rest / k.rest);
  console.log(`${f.replace(/\.ipynb$/, "").padEnd(30)} ${s(k.ms)} (${s(k.start)}) ${s(w.ms)} (${s(w.start)})  ${(w.ms / k.ms).toFixed(2).padStart(6)}×  ${(w.rest / k.rest).toFixed(2).padStart(8)}×`);
}
const geo = (xs) => Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / xs.length).toFixed(2);
console.log(`page/kernel: geometric mean ${geo(ratios)}×, largest ${Math.max(...ratios).toFixed(2)}×; after cell 1: geometric mean ${geo(restRatios)}×, ` +
  `largest ${Math.max(...restRatios).toFixed(2)}×\n`);
sizeTable(out);
await browser.close();
process.exit(0);
