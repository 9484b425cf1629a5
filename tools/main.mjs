#!/usr/bin/env node
// npm start: execute every notebook on the real kernel, then build the site from the executed copies.
// Tracked notebooks are only read: executed copies go to .cache/executed/ (gitignored).
// The kernel still runs in notebooks/ (the runner uses the input's folder as cwd), so ./lib/... imports work.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { killAllKernels, runNotebook, serializeNotebook } from "./notebook-runner.mjs";
import { buildSite, dirSize } from "./build-site.mjs";
import { notebookConcurrency, runInSeries, SERIES_FILE, seriesFiles } from "./series.mjs";

for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(sig, () => { killAllKernels(); process.exit(code); });
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// --notebooks=DIR exists for checking the tooling on scratch notebooks; the default is the real ones.
const NB_DIR = resolve(process.argv.find((a) => a.startsWith("--notebooks="))?.slice(12) ?? join(ROOT, "notebooks"));
const EXEC_DIR = join(ROOT, ".cache", "executed");
const timeout = Number(process.argv.find((a) => a.startsWith("--timeout="))?.slice(10) ?? 10 * 60_000);

// Only the series (notebooks/series.json): a reader's copy in notebooks/ or notebooks/playground/ is never run here.
const files = seriesFiles(NB_DIR);
if (files.length === 0) { console.error(`main: no notebooks in ${NB_DIR}`); process.exit(1); }

const t0 = performance.now();
rmSync(EXEC_DIR, { recursive: true, force: true }); // no stale notebook may reach the site
mkdirSync(EXEC_DIR, { recursive: true });
if (existsSync(join(NB_DIR, SERIES_FILE))) copyFileSync(join(NB_DIR, SERIES_FILE), join(EXEC_DIR, SERIES_FILE));
const failures = [];
// Notebooks run two at a time on 2 cores (NOTEBOOK_JOBS=n to choose); the ledger last.
await runInSeries(files, (f) => runNotebook(join(NB_DIR, f), { timeout }), {
  concurrency: notebookConcurrency(),
  onDone: (f, r) => {
    const ms = r.timings.startupMs + r.timings.cellMs.reduce((a, b) => a + b, 0);
    console.log(`${r.ok ? "ok    " : "FAILED"} ${f}  ${(ms / 1000).toFixed(1)} s  (kernel startup ${(r.timings.startupMs / 1000).toFixed(1)} s, ${r.timings.cellMs.length} cells)`);
    if (r.ok) writeFileSync(join(EXEC_DIR, f), serializeNotebook(r.notebook));
    else { failures.push(f); console.error(r.error); }
  },
});
if (failures.length) {
  console.error(`\n${failures.length} of ${files.length} notebooks failed: ${failures.join(", ")}; site not built`);
  process.exit(1);
}
const site = buildSite({ from: EXEC_DIR, out: join(ROOT, "site") });
const total = ((performance.now() - t0) / 1000).toFixed(1);
console.log(`\n${files.length} notebooks executed, site built in ${total} s total`);
console.log(`site: ${site.pages.length} pages, ${(dirSize(site.out) / 1024 / 1024).toFixed(2)} MB`);
console.log(`open ${relative(process.cwd(), join(site.out, "index.html")) || "site/index.html"}  (or: npm run serve)`);
process.exit(0); // skip zeromq's context teardown (~2 s)
