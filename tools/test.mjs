#!/usr/bin/env node
// npm test [-- vitest args]: run vitest, then print "N passed, N failed" as the very last line,
// because CI reads a plain summary line and vitest's own ("Tests 5 passed (5)") is not one it parses.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const report = join(ROOT, ".cache", "vitest.json");
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true }); // a stale report must not pass for this run's

const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const r = spawnSync(process.execPath, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile=${report}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: "inherit" });
const code = r.status ?? 1;

let passed = 0, failed = 0, skipped = 0, total = 0, readable = true;
try {
  const j = JSON.parse(readFileSync(report, "utf8"));
  passed = j.numPassedTests ?? 0;
  failed = j.numFailedTests ?? 0;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  total = j.numTotalTests ?? passed + failed + skipped;
  // A test file that fails to load has no tests but counts as a failed suite.
  if ((j.numFailedTestSuites ?? 0) > 0 && failed === 0) failed = j.numFailedTestSuites;
} catch {
  readable = false;
}
if (!readable) console.error(`test: no vitest report at ${report} (vitest exit code ${code})`);
else if (total === 0) console.error("test: no tests ran");
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(code !== 0 || failed > 0 || passed === 0 || !readable ? (code || 1) : 0);
