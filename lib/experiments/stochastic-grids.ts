/**
 * The grid of notebook 06 (stochastic momentum): for each data seed, GF's exact limit, MGF_λ, full-batch MGD and
 * SMGD (batch sizes) at fixed λ for several β (γ = λ(1−β)²), and GD / SGD at steps γ, every run until the full-batch
 * loss is below a tolerance (method "toLoss"). One memo store, data/sweeps/06-smgd.jsonl.
 */
import { checkInteger, checkNumber } from "../core/validate";
import type { GridSpec } from "../sweeps/grid";
import type { Json } from "../sweeps/method";

export const SMGD_STORE = "06-smgd";

/** The runs of one seed, as regimes of the grid (each with an id used in tables and charts). */
export function smgdRegimes(o: { lambdas: number[]; betas: number[]; batches: number[]; gammas: number[] }): Record<string, Json>[] {
  const list = (name: string, xs: number[], check: (x: number, i: number) => number): number[] => {
    if (!Array.isArray(xs)) throw new TypeError(`${name} must be an array of numbers`);
    return xs.map(check);
  };
  const lambdas = list("lambdas", o.lambdas, (x, i) => checkNumber(`lambdas[${i}]`, x, { min: 0, minOpen: true }));
  const betas = list("betas", o.betas, (x, i) => checkNumber(`betas[${i}]`, x, { min: 0, max: 1, minOpen: true, maxOpen: true }));
  const batches = list("batches", o.batches, (x, i) => checkInteger(`batches[${i}]`, x, { min: 1 }));
  const gammas = list("gammas", o.gammas, (x, i) => checkNumber(`gammas[${i}]`, x, { min: 0, minOpen: true }));
  const out: Record<string, Json>[] = [{ id: "GF", dynamics: "limit" }];
  for (const lambda of lambdas) {
    out.push({ id: `MGF λ=${lambda}`, dynamics: "flow", lambda });
    for (const beta of betas) {
      out.push({ id: `MGD λ=${lambda} β=${beta}`, lambda, beta });
      for (const b of batches) out.push({ id: `SMGD λ=${lambda} β=${beta} batch ${b}`, lambda, beta, batchSize: b });
    }
  }
  for (const gamma of gammas) {
    out.push({ id: `GD γ=${gamma}`, gamma });
    for (const b of batches.filter((x) => x === 1)) out.push({ id: `SGD γ=${gamma} batch ${b}`, gamma, batchSize: b });
  }
  // GD at step γ follows MGF at λ = γ/2 to second order (modified equation): both flows, for the comparison
  for (const gamma of gammas) for (const lambda of [gamma / 2, gamma]) out.push({ id: `MGF λ=${lambda}`, dynamics: "flow", lambda });
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(r.id as string) && (seen.add(r.id as string), true));
}

/**
 * The 06 grid: seeds × runs (see {@link smgdRegimes}); data seed = sampler seed; α = 0.1; stop at loss < tol.
 * @example smgdGrid({ seeds: [0], lambdas: [0.05], betas: [0.9], batches: [1], gammas: [0.05] })
 */
export function smgdGrid(o: { seeds: number[]; lambdas: number[]; betas: number[]; batches: number[]; gammas: number[]; alpha?: number; tol?: number }): GridSpec {
  if (o === null || typeof o !== "object") throw new TypeError("smgdGrid needs { seeds, lambdas, betas, batches, gammas }");
  if (!Array.isArray(o.seeds) || o.seeds.length === 0) throw new RangeError("seeds must be a non-empty array of integers ≥ 0");
  return {
    name: SMGD_STORE,
    method: "toLoss",
    problem: { n: 40, d: 100, k: 5, noise: 0 },
    params: { alpha: o.alpha ?? 0.1, tol: o.tol ?? 1e-10, maxTime: 5000, rtol: 1e-8 },
    axes: { seed: o.seeds.map((s, i) => checkInteger(`seeds[${i}]`, s, { min: 0 })), regime: smgdRegimes(o) },
  };
}

/** The grid whose records are shipped in data/sweeps/06-smgd.jsonl (the notebook's defaults). */
export function smgdDefaultGrid(): GridSpec {
  return smgdGrid({ seeds: [0, 1, 2], lambdas: [0.05, 0.2], betas: [0.9, 0.95, 0.98], batches: [1, 10], gammas: [0.01, 0.05] });
}
