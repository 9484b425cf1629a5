// The series: the project's notebooks, listed in notebooks/series.json in reading order (the same file
// lib/notebook/series.ts reads). Only these are executed by npm start / notebooks:refresh / npm test, become
// site pages and feed the claim ledger; copies in notebooks/ or notebooks/playground/ are none of these.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";

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

/**
 * Run one job per notebook, `concurrency` at a time, in series order; the last notebook of the series (the claim
 * ledger, which reads the others' records) starts only when every other has finished.
 * @template T
 * @param {string[]} files series notebooks in order
 * @param {(file: string) => Promise<T>} job
 * @param {{ concurrency?: number, onDone?: (file: string, result: T) => void }} [opts]
 * @returns {Promise<T[]>} the results, in the order of `files`
 */
export async function runInSeries(files, job, { concurrency = 1, onDone = () => {} } = {}) {
  const results = new Array(files.length);
  const head = files.slice(0, -1);
  let next = 0;
  const lane = async () => {
    while (next < head.length) {
      const i = next++;
      results[i] = await job(head[i]);
      onDone(head[i], results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, head.length)) }, lane));
  if (files.length) {
    const last = files.length - 1;
    results[last] = await job(files[last]);
    onDone(files[last], results[last]);
  }
  return results;
}

/** How many notebooks to run at once: one per core, at most 2 (kernels are single-threaded; memory stays modest). */
export function notebookConcurrency() {
  const env = Number(process.env.NOTEBOOK_JOBS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(2, availableParallelism()));
}
