// The series: the project's notebooks, listed in notebooks/series.json in reading order (the same file
// lib/notebook/series.ts reads). Only these are executed by npm start / notebooks:refresh / npm test, become
// site pages and feed the claim ledger; copies in notebooks/ or notebooks/playground/ are none of these.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SERIES_FILE = "series.json";

/**
 * The series notebooks of a folder, as file names ("03-balancedness.ipynb"), in the order of its series.json.
 * A folder without series.json (a fixture, a scratch folder) contributes all its .ipynb files, sorted.
 * @param {string} dir
 * @returns {string[]}
 */
export function seriesFiles(dir) {
  const file = join(dir, SERIES_FILE);
  if (!existsSync(file)) return readdirSync(dir).filter((f) => f.endsWith(".ipynb") && !f.startsWith(".")).sort();
  const list = JSON.parse(readFileSync(file, "utf8")).notebooks;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === "string" && /^\d\d-[\w-]+$/.test(x))) {
    throw new Error(`${file}: "notebooks" must be a non-empty list of names like "03-balancedness" (no .ipynb)`);
  }
  const missing = list.filter((n) => !existsSync(join(dir, `${n}.ipynb`)));
  if (missing.length) throw new Error(`${file} lists notebooks that do not exist: ${missing.join(", ")}`);
  return list.map((n) => `${n}.ipynb`);
}
