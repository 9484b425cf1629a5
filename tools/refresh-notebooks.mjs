#!/usr/bin/env node
// npm run notebooks:refresh [-- notebooks/x.ipynb ...]: re-execute notebooks in place so committed outputs are fresh.
// Without arguments: the series (notebooks/series.json), in its order. A notebook that fails is left untouched
// (its old outputs stay), and the exit code is non-zero.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { killAllKernels, runNotebook, serializeNotebook } from "./notebook-runner.mjs";
import { notebookConcurrency, runInSeries, seriesFiles } from "./series.mjs";

for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(sig, () => { killAllKernels(); process.exit(code); });
}
const NB_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "notebooks");
const named = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const files = named.length ? named.map((f) => resolve(f))
  : seriesFiles(NB_DIR).map((f) => join(NB_DIR, f));
if (files.length === 0) { console.error(`notebooks:refresh: no notebooks in ${NB_DIR}`); process.exit(1); }

let failed = 0;
const t0 = performance.now();
// Two at a time on 2 cores (NOTEBOOK_JOBS=n to choose); the last of the list (the ledger) after the others.
await runInSeries(files, (f) => runNotebook(f), {
  concurrency: notebookConcurrency(),
  onDone: (f, r) => {
    const s = ((r.timings.startupMs + r.timings.cellMs.reduce((a, b) => a + b, 0)) / 1000).toFixed(1);
    if (!r.ok) { failed++; console.error(`FAILED    ${basename(f)}  ${s} s\n${r.error}`); return; }
    const text = serializeNotebook(r.notebook);
    const changed = text !== readFileSync(f, "utf8");
    if (changed) writeFileSync(f, text); // untouched file = untouched mtime and a clean git status
    console.log(`${changed ? "updated  " : "unchanged"} ${basename(f)}  ${s} s (kernel startup ${(r.timings.startupMs / 1000).toFixed(1)} s)`);
  },
});
console.log(`${files.length - failed} of ${files.length} notebooks refreshed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
