/**
 * Regenerates the canonical problem instances in data/ (see data/README.md for what each file is).
 * Run: npx tsx tools/make-data.ts
 * The files are a pure function of the seed: running this again must leave `git diff data/` empty.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sparseRegression } from "../lib/model/problems";
import { saveProblem } from "../lib/model/problem-files";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "..", "data");

const files: Array<[string, () => ReturnType<typeof sparseRegression>]> = [
  ["sparse-n40-d100-k5-seed0.json", () => sparseRegression({ n: 40, d: 100, k: 5, seed: 0 })],
];

for (const [name, make] of files) {
  const path = join(dataDir, name);
  saveProblem(make(), path);
  console.log(`wrote ${path}`);
}
