/**
 * The grids of notebook 05 (sparse recovery): limits of GF and MGF (method "flowLimit") over λ × α × seeds, in
 * regimes that are problem axes (sample size n, label noise, data scale ε, a per-coordinate α spread, decoy and
 * Toeplitz designs). All of them live in one memo store, data/sweeps/05-sparse-recovery.jsonl: a cell asks for the
 * grid it shows and gets the stored part at once, the rest computed. λ = 0 (GF) is always part of a grid, since every
 * analysis pairs an MGF run with GF's run on the same data.
 */
import { checkInteger, checkNumber } from "../core/validate";
import type { GridSpec } from "../sweeps/grid";

export const SPARSE_STORE = "05-sparse-recovery";

/** A regime: an id and the problem fields / parameters it changes from the isotropic setting (n = 40, d = 100, k = 5). */
export interface Regime {
  id: string;
  design?: "sparse" | "decoy" | "toeplitz";
  n?: number;
  noise?: number;
  /** Data scale ε (X, y multiplied by ε); time runs ε² slower, so T scales like 1/ε². */
  scale?: number;
  rho?: number;
  /** α spread over this many decades (same geometric mean; spread seed 1000 + data seed). */
  alphaDecades?: number;
  /** Run length before projecting to the limit (default 200). */
  T?: number;
}

export const ISOTROPIC: Regime = { id: "isotropic" };
export const STRONG_DECOY: Regime = { id: "decoy ρ=0.9", design: "decoy", rho: 0.9 };

/** Every regime of the notebook, by id. */
export const REGIMES: Record<string, Regime> = {
  isotropic: ISOTROPIC,
  "n=20": { id: "n=20", n: 20 },
  "n=60": { id: "n=60", n: 60 },
  "n=80": { id: "n=80", n: 80 },
  "noise σ=0.1": { id: "noise σ=0.1", noise: 0.1 },
  "noise σ=0.5": { id: "noise σ=0.5", noise: 0.5 },
  "scale ε=0.5": { id: "scale ε=0.5", scale: 0.5, T: 800 },
  "scale ε=2": { id: "scale ε=2", scale: 2, T: 50 },
  "α spread 2 decades": { id: "α spread 2 decades", alphaDecades: 2 },
  "decoy ρ=0.9": STRONG_DECOY,
  "decoy ρ=0.7": { id: "decoy ρ=0.7", design: "decoy", rho: 0.7 },
  "Toeplitz ρ=0.5": { id: "Toeplitz ρ=0.5", design: "toeplitz", rho: 0.5 },
};

/** The regimes other than the isotropic one, in the notebook's order. */
export const OTHER_REGIMES: Regime[] = Object.values(REGIMES).filter((r) => r.id !== "isotropic");

function regime(r: Regime, i: number): Regime {
  if (r === null || typeof r !== "object" || typeof r.id !== "string" || r.id === "") throw new TypeError(`regimes[${i}] must be an object with an id, got ${JSON.stringify(r)}`);
  return r;
}

/**
 * The flowLimit grid of some regimes over λ × α × seeds (GF's λ = 0 added if missing, first).
 * @param o regimes (default isotropic), alphas, lambdas, seeds (default 0–9), T and rtol (defaults 200, 1e-8)
 * @returns a grid of the 05 store
 * @throws RangeError/TypeError for empty lists or bad values
 * @example recoveryGrid({ lambdas: [0, 0.2, 1], alphas: [0.1], seeds: [0, 1] })
 */
export function recoveryGrid(o: { regimes?: Regime[]; alphas: number[]; lambdas: number[]; seeds?: number[]; rtol?: number }): GridSpec {
  if (o === null || typeof o !== "object") throw new TypeError("recoveryGrid needs { regimes?, alphas, lambdas, seeds? }");
  const regimes = (o.regimes ?? [ISOTROPIC]).map(regime);
  if (regimes.length === 0) throw new RangeError("regimes is empty: give at least one regime");
  if (!Array.isArray(o.lambdas) || o.lambdas.length === 0) throw new RangeError("lambdas must be a non-empty array of λ ≥ 0");
  o.lambdas.forEach((l, i) => checkNumber(`lambdas[${i}]`, l, { min: 0 }));
  const lambdas = o.lambdas.includes(0) ? o.lambdas.slice() : [0, ...o.lambdas];
  const seeds = (o.seeds ?? Array.from({ length: 10 }, (_, s) => s)).map((s, i) => checkInteger(`seeds[${i}]`, s, { min: 0 }));
  return {
    name: SPARSE_STORE,
    method: "flowLimit",
    problem: { d: 100, k: 5, nTest: 0 },
    params: { rtol: o.rtol ?? 1e-8 },
    axes: { regime: regimes.map((r) => ({ ...r })), seed: seeds, alpha: o.alphas, lambda: lambdas },
  };
}

/** The grids whose records are shipped in data/sweeps/05-sparse-recovery.jsonl (the notebook's defaults). */
export function sparseRecoveryGrids(): GridSpec[] {
  const few = { alphas: [0.01, 0.1], lambdas: [0, 0.05, 0.2, 2] };
  return [
    recoveryGrid({ regimes: [ISOTROPIC], alphas: [0.01, 0.1, 0.3, 1], lambdas: [0, 0.02, 0.05, 0.1, 0.2, 0.5, 2, 8] }),
    recoveryGrid({ regimes: OTHER_REGIMES, ...few }),
    recoveryGrid({ regimes: [STRONG_DECOY], alphas: [0.3], lambdas: few.lambdas }),
  ];
}

/** Regime id → data scale ε for the regimes that rescale the data (for scaleEquivalence). */
export function scalesOf(regimes: Regime[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of regimes) if (r.scale !== undefined && r.scale !== 1) out[r.id] = r.scale;
  return out;
}
