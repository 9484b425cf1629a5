#!/usr/bin/env node
// CLI: execute notebooks on the tslab kernel and write the executed copies.
//   node tools/run-notebook.mjs IN.ipynb [OUT.ipynb] [--in-place] [--timeout=ms-per-cell] [--allow-errors]
//   node tools/run-notebook.mjs a.ipynb b.ipynb --in-place        (several notebooks, in sequence)
// Without OUT or --in-place the executed notebook goes to stdout. Timings and errors go to stderr.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { killAllKernels, runNotebook, serializeNotebook } from "./notebook-runner.mjs";
import { buildLib } from "./build-lib.mjs";

const USAGE = "usage: node tools/run-notebook.mjs IN.ipynb [OUT.ipynb] [--in-place] [--timeout=ms-per-cell] [--allow-errors]\n" +
  "       node tools/run-notebook.mjs A.ipynb B.ipynb ... --in-place";

// A signal must not leave a kernel behind: kill the kernels' process groups, then exit like the signal would.
for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(sig, () => { killAllKernels(); console.error(`run-notebook: ${sig}, kernels killed`); process.exit(code); });
}

const args = process.argv.slice(2);
const flags = { inPlace: false, allowErrors: false, timeout: undefined };
const files = [];
for (const a of args) {
  if (a === "--in-place") flags.inPlace = true;
  else if (a === "--allow-errors") flags.allowErrors = true;
  else if (a.startsWith("--timeout=")) flags.timeout = Number(a.slice(10));
  else if (a === "-h" || a === "--help") { console.log(USAGE); process.exit(0); }
  else if (a.startsWith("--")) { console.error(`run-notebook: unknown option ${a}\n${USAGE}`); process.exit(2); }
  else files.push(a);
}
if (flags.timeout !== undefined && !(flags.timeout > 0)) {
  console.error(`run-notebook: --timeout must be a positive number of ms, got ${JSON.stringify(args.find((a) => a.startsWith("--timeout=")))}`);
  process.exit(2);
}

// Two positional arguments without --in-place mean IN OUT; otherwise every argument is an input.
let jobs;
if (files.length === 0) { console.error(USAGE); process.exit(2); }
else if (flags.inPlace) jobs = files.map((f) => [f, f]);
else if (files.length === 1) jobs = [[files[0], null]];
else if (files.length === 2) jobs = [[files[0], files[1]]];
else { console.error(`run-notebook: several notebooks need --in-place\n${USAGE}`); process.exit(2); }

// Notebooks import the library from build/lib (notebooks/lib links there): bring it up to date with lib/ first.
await buildLib({ silent: true });

let failed = 0;
for (const [inPath, outPath] of jobs) {
  const t0 = performance.now();
  const r = await runNotebook(inPath, { timeout: flags.timeout, allowErrors: flags.allowErrors });
  const total = Math.round(performance.now() - t0);
  const cells = r.timings.cellMs.join(", ");
  console.error(`${basename(inPath)}: ${r.ok ? "ok" : "FAILED"} in ${total} ms (kernel startup ${r.timings.startupMs} ms; cells ${cells || "-"} ms)`);
  if (!r.ok) { console.error(r.error); failed++; continue; }
  for (const e of r.cellErrors) console.error(`(allowed) ${e.message}`);
  const text = serializeNotebook(r.notebook);
  if (outPath) writeFileSync(outPath, text);
  else process.stdout.write(text); // no OUT: executed notebook to stdout, like nbconvert --stdout
}
// process.exit: skip zeromq's context teardown, which otherwise adds ~2 s.
process.exit(failed ? 1 : 0);
