/**
 * The series: the project's own notebooks, listed in notebooks/series.json in reading order. Only these are
 * executed by `npm start`, `npm run notebooks:refresh` and `npm test`, become pages of the site and feed the claim
 * ledger. A copy a reader makes (in notebooks/ or in notebooks/playground/) is none of these, so it can be changed
 * freely without touching the project's verdicts. The tools read the same file (tools/series.mjs).
 */
import * as fs from "node:fs";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";

/** The file, inside the notebooks folder, that lists the series. */
export const SERIES_FILE = "series.json";

/** Environment variable naming the folder claim records go to (default <repo>/.cache/claims); tests point it elsewhere. */
export const CLAIMS_DIR_ENV = "MOMENTUM_DLN_CLAIMS_DIR";

/**
 * The names (without .ipynb) of the series notebooks listed in `<notebooksDir>/series.json`.
 * @throws Error naming the file if it is missing or not a list of "NN-name" strings
 */
export function readSeries(notebooksDir: string): string[] {
  if (typeof notebooksDir !== "string") throw new TypeError("notebooksDir must be a path");
  const file = join(notebooksDir, SERIES_FILE);
  if (!existsSync(file)) throw new Error(`${file} not found: the series list names the project's notebooks`);
  const json = JSON.parse(readFileSync(file, "utf8")) as { notebooks?: unknown };
  const list = json.notebooks;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === "string" && /^\d\d-[\w-]+$/.test(x))) {
    throw new Error(`${file}: "notebooks" must be a non-empty list of names like "03-balancedness" (no .ipynb)`);
  }
  return list as string[];
}

/** Whether this folder holds the series (has a series.json). */
export function isSeriesFolder(dir: string): boolean {
  return existsSync(join(dir, SERIES_FILE));
}

// The kernel's cwd is a real path, the runner's JPY_SESSION_NAME may not be (a symlinked checkout). Reached through
// the namespace so that a file system without realpathSync (the site's in-page runtime) falls back to resolve.
const real = (p: string): string => {
  try {
    return (fs as { realpathSync?: (x: string) => string }).realpathSync?.(p) ?? resolve(p);
  } catch {
    return resolve(p);
  }
};

/** True inside the site's in-page runtime (a Web Worker whose process shim says browser). */
export const inPage = (): boolean => (globalThis as { process?: { browser?: boolean } }).process?.browser === true;

/** Where a claims record goes (`dir`), or why it does not (`dir` null and the reason). */
export interface RecordingDecision {
  record: boolean;
  dir: string | null;
  reason: string;
}

const no = (reason: string): RecordingDecision => ({ record: false, dir: null, reason });

/**
 * Whether the running kernel is executing the series notebook `notebook`, so its Claims cell may write the record
 * the ledger reads. Three things must agree: the kernel runs in the series folder (a kernel's cwd is its
 * notebook's folder), `notebook` is in the series, and the notebook file the kernel was started for is
 * `<notebook>.ipynb`. That file comes from JPY_SESSION_NAME, which the project's runner sets to the notebook's
 * absolute path and Jupyter servers set to the notebook's path relative to the server's root. A copy
 * ("08-theory-Copy1.ipynb"), a notebook outside the series folder (notebooks/playground/) or a kernel that does
 * not know its notebook gets `record: false` with the reason. In the site's in-page runtime the page runs the
 * notebook it shows, and its records stay in the reader's browser: there a series name is enough.
 * @param notebook the name given to showClaims, e.g. "03-balancedness"
 * @param env the kernel's environment (default process.env); @param cwd its working folder (default process.cwd())
 */
export function recordingDecision(notebook: string | undefined, env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): RecordingDecision {
  if (notebook === undefined) return no("no notebook name was given to showClaims");
  if (typeof notebook !== "string" || notebook === "") throw new TypeError("notebook must be the notebook's file name without .ipynb");
  const here = real(cwd);
  if (inPage()) {
    // The page runs the series notebook it shows; its records stay in the reader's browser (the page's own ledger).
    if (isSeriesFolder(here) && !readSeries(here).includes(notebook)) return no(`"${notebook}" is not a notebook of the series (notebooks/${SERIES_FILE})`);
    return { record: true, dir: join(here, "..", ".cache", "claims"), reason: "" };
  }
  if (!isSeriesFolder(here)) {
    return no(`this kernel runs in ${here}, not in the project's notebooks/ folder (a copy elsewhere, e.g. in notebooks/playground/)`);
  }
  if (!readSeries(here).includes(notebook)) {
    return no(`"${notebook}" is not a notebook of the series (notebooks/${SERIES_FILE})`);
  }
  const session = env.JPY_SESSION_NAME;
  if (!session) return no("the kernel was not told which notebook it runs (no JPY_SESSION_NAME)");
  const file = `${notebook}.ipynb`;
  if (basename(session) !== file || (isAbsolute(session) && real(dirname(session)) !== here)) {
    return no(`this kernel runs ${basename(session)}, not notebooks/${file} (a copy never feeds the ledger)`);
  }
  const override = env[CLAIMS_DIR_ENV];
  return { record: true, dir: override ? resolve(override) : join(here, "..", ".cache", "claims"), reason: "" };
}
