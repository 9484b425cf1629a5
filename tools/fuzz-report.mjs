#!/usr/bin/env node
// Print the fuzz suites' tally (written by test/fuzz/*.test.ts into .cache/fuzz/) as a table:
//   npm run fuzz                  run the fuzz suites, then print the table
//   node tools/fuzz-report.mjs    print the table of the last run
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), ".cache", "fuzz");
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith(".json")).sort() : [];
if (files.length === 0) {
  console.error("fuzz-report: no results in .cache/fuzz/; run `npm run fuzz` (or `npm test -- test/fuzz`) first");
  process.exit(1);
}
const rows = files.flatMap((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")));
const cols = [["area", "area"], ["inputs tried", null], ["answers checked ok", "ok"], ["clear errors", "clear error"],
  ["crashes", "crash"], ["hangs", "hang"], ["silent wrong answers", "wrong"], ["known open defects", "known wrong"]];
const total = (r) => ["ok", "clear error", "crash", "hang", "wrong", "known wrong"].reduce((s, k) => s + (r[k] ?? 0), 0);
const cell = (r, key) => (key === null ? total(r) : r[key] ?? 0);
const sum = Object.fromEntries(cols.slice(1).map(([, k]) => [k ?? "total", rows.reduce((s, r) => s + cell(r, k), 0)]));
const lines = [
  `| ${cols.map(([h]) => h).join(" | ")} |`,
  `|${cols.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ...rows.map((r) => `| ${cols.map(([, k], i) => (i === 0 ? r.area : cell(r, k))).join(" | ")} |`),
  `| **all** | ${cols.slice(1).map(([, k]) => `**${sum[k ?? "total"]}**`).join(" | ")} |`,
];
console.log(lines.join("\n"));
for (const r of rows) {
  for (const k of r.knownDefects ?? []) console.log(`\nknown open defect (${r.area}): ${k}`);
  for (const e of r.examples ?? []) console.log(`  ${e}`);
}
