/**
 * A perturbation: a notebook with some code cells edited the way a reader would (a new λ list, a dropped α, an
 * Exercise applied), run on the real kernel by test/perturb.test.ts. Each notebook has one file here,
 * test/perturbations/<notebook>.ts, whose default export is a {@link NotebookPerturbations}.
 */

/** Replace `find` (an exact substring, or a regular expression) in the one code cell that contains it. */
export interface CellEdit {
  find: string | RegExp;
  replace: string;
}

/** One executed code cell: its (edited) source and the text of all its outputs (stream, text/plain, text/html, SVG). */
export interface RunCell {
  source: string;
  text: string;
}

export interface Variant {
  /** What a reader did, e.g. "lambdas = [0.05, 0.5, 3]" or "Exercise 2". */
  name: string;
  /** The Exercise number this variant applies, if it applies one (tests check every "change X" exercise is covered). */
  exercises?: number[];
  edits: CellEdit[];
  /**
   * Extra checks on the run (labels follow the new values, claims still decided, …). Throw (or use expect) to fail.
   * Every variant is also checked for: no error, no "NaN" or "undefined" in any output.
   */
  check?: (cells: RunCell[]) => void;
}

export interface NotebookPerturbations {
  /** File name in notebooks/, e.g. "01-momentum-path.ipynb". */
  notebook: string;
  variants: Variant[];
  /** Exercises no variant applies, each with the reason (e.g. "a question about the table; nothing to change"). */
  notApplied?: Record<number, string>;
}
