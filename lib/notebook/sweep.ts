/**
 * Sweeps from a notebook cell: the memo store with a live progress display, and a line saying what the store
 * held (stale or edited records recomputed, runs that failed). Computation stays in lib/sweeps; this layer only
 * shows it.
 */
import { runSweep, type GridSpec, type SweepOptions, type SweepProgress, type SweepResult } from "../sweeps/sweep";
import { progressLine } from "../sweeps/node";
import { display, inKernel } from "./display";

/** A progress callback that redraws one display (an HTML progress bar) in the notebook; a no-op outside a kernel. */
export function notebookProgress(): (p: SweepProgress) => void {
  if (!inKernel()) return () => {};
  const id = `sweep-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  let shown = false;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (!p.final && shown && now - last < 250) return;
    last = now;
    const text = progressLine(p);
    const html = `<div style="font-family:monospace"><progress value="${p.done}" max="${p.total}" style="width:20em"></progress> ${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>`;
    display({ "text/plain": text, "text/html": html }, { id, update: shown });
    shown = true;
  };
}

/**
 * Get a grid from the sweep store (data/sweeps/<name>.jsonl): stored points at once, missing ones computed with a
 * progress display and stored. Prints one line per problem found in the store (stale or hand-edited records are
 * recomputed, not trusted) and a line for failed runs.
 * @param spec the grid (name, method, problem, params, axes)
 * @param options as runSweep (workers, force, dir, …)
 * @returns the result (rows in grid order)
 * @example const grid = await sweep(isotropicGrid({ lambdas: [0, 0.2, 1], alphas: [0.1], seeds: [0, 1] }))
 */
export async function sweep(spec: GridSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const r = await runSweep(spec, { progress: notebookProgress(), ...options });
  for (const note of r.report.notes) console.log(`note: ${note}`);
  return r;
}
