/**
 * Stability maps of MGD over a (γ, β) grid: each cell is a short run that either reaches the loss target,
 * stays finite without reaching it, or diverges (DivergenceError). The observed outcome is compared with the
 * heavy-ball bound γ < 2(1+β)/L, exact for a quadratic with curvature L and only a guide for the DLN, whose
 * curvature changes along the path. Names: `gamma` = γ, `beta` = β (momentum), `lambda` = λ = γ/(1−β)².
 */
import { heavyBallStability } from "../model/momentum";
import { curvatureEstimate, DivergenceError, runMomentum, type Model } from "./optimizers";
import type { Problem } from "../model/problems";
import { checkInteger, checkNumber, checkSize, positiveScalarOrVector } from "../core/validate";

/** What a short run at one (γ, β) did: loss < target, still finite at the cap, or blew up. */
export type StabilityOutcome = "converged" | "not converged" | "diverged";

export interface StabilityCell {
  /** Step size γ. */
  gamma: number;
  /** Momentum β. */
  beta: number;
  /** λ = γ/(1−β)². */
  lambda: number;
  outcome: StabilityOutcome;
  /** Iterations run (the loss stop, the cap, or the iteration where the divergence was caught). */
  iterations: number;
  /** Heavy-ball bound 2(1+β)/L for this β. */
  bound: number;
  /** Whether the bound predicts stability (γ < bound). */
  predictedStable: boolean;
  /** Whether the prediction matches the outcome (stable ⇔ not diverged). */
  agrees: boolean;
}

export interface StabilityMap {
  cells: StabilityCell[];
  /** Curvature L used by the bound (given, or from curvatureEstimate). */
  L: number;
  /** How L was obtained. */
  how: string;
  /** Fraction of cells where the bound's prediction matches the outcome. */
  agreement: number;
  /** Per β: the largest γ of the grid that did not diverge (null if all diverged) and the bound there. */
  boundary: { beta: number; gammaStable: number | null; lambdaStable: number | null; bound: number }[];
  /** Iteration cap and loss target of each cell's run. */
  iterations: number;
  loss: number;
  /** Wall-clock time of the whole map (ms). */
  wallMs: number;
}

/**
 * n values log-spaced from a to b inclusive.
 * @param a first value > 0
 * @param b last value > 0
 * @param n count ≥ 2
 * @example logSpace(0.01, 1, 3) // [0.01, 0.1, 1]
 */
export function logSpace(a: number, b: number, n: number): number[] {
  checkNumber("a", a, { min: 0, minOpen: true });
  checkNumber("b", b, { min: 0, minOpen: true });
  checkSize("n", n, 2);
  const la = Math.log(a);
  const step = (Math.log(b) - la) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === 0 ? a : i === n - 1 ? b : Math.exp(la + i * step)));
}

function checkGrid(name: string, xs: unknown, range: { min: number; max?: number; minOpen?: boolean; maxOpen?: boolean }): number[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new TypeError(`${name} must be a non-empty array of numbers`);
  return xs.map((x, i) => checkNumber(`${name}[${i}]`, x, range));
}

/**
 * Run MGD at every (γ, β) of a grid for at most `iterations` steps (stopping early once loss < `loss`) and
 * classify each cell as converged / not converged / diverged; compare with γ < 2(1+β)/L.
 * @param p the problem
 * @param opts.gammas step sizes γ > 0; opts.betas momenta β ∈ [0, 1)
 * @param opts.iterations cap per cell ≥ 1; opts.loss the loss target > 0
 * @param opts.model "dln" (default) or "linear"; opts.alpha DLN init scale α (default 0.1)
 * @param opts.L curvature for the bound (default: curvatureEstimate(p, { model, alpha }).L)
 * @returns cells in β-major order (all γ for betas[0], then betas[1], …), the agreement and the per-β boundary
 * @throws RangeError/TypeError on bad grids or options; errors other than DivergenceError propagate.
 * @example stabilityMap(sparseRegression(), { gammas: logSpace(0.01, 4, 25), betas: [0, 0.9], iterations: 400, loss: 1e-6 })
 */
export function stabilityMap(
  p: Problem,
  opts: { gammas: number[]; betas: number[]; iterations: number; loss: number; model?: Model; alpha?: number | Float64Array; L?: number },
): StabilityMap {
  const t0 = performance.now();
  if (opts === null || typeof opts !== "object") throw new TypeError("options must be an object { gammas, betas, iterations, loss }");
  const gammas = checkGrid("gammas", opts.gammas, { min: 0, minOpen: true });
  const betas = checkGrid("betas", opts.betas, { min: 0, max: 1, maxOpen: true });
  const iterations = checkInteger("iterations", opts.iterations, { min: 1 });
  const loss = checkNumber("loss", opts.loss, { min: 0, minOpen: true });
  const model = opts.model ?? "dln";
  if (model === "linear" && opts.alpha !== undefined) throw new RangeError('alpha is the DLN init scale; model "linear" has none');
  const alpha = model === "dln" ? opts.alpha ?? 0.1 : undefined;
  if (alpha !== undefined) positiveScalarOrVector("alpha", alpha, p.d);
  let L: number;
  let how: string;
  if (opts.L !== undefined) {
    L = checkNumber("L", opts.L, { min: 0, minOpen: true });
    how = "given";
  } else {
    const est = curvatureEstimate(p, model === "dln" ? { model, alpha } : { model });
    L = est.L;
    how = est.how;
  }
  const cells: StabilityCell[] = [];
  const boundary: StabilityMap["boundary"] = [];
  for (const beta of betas) {
    const bound = heavyBallStability(beta, L);
    let gammaStable: number | null = null;
    for (const gamma of gammas) {
      let outcome: StabilityOutcome;
      let k: number;
      try {
        const r = runMomentum(p, { model, alpha, gamma, beta, stop: { loss, iterations }, maxIterations: iterations });
        outcome = r.stopReason === "loss" ? "converged" : "not converged";
        k = r.iterations;
      } catch (e) {
        if (!(e instanceof DivergenceError)) throw e;
        outcome = "diverged";
        k = e.iteration;
      }
      if (outcome !== "diverged" && (gammaStable === null || gamma > gammaStable)) gammaStable = gamma;
      const predictedStable = gamma < bound;
      cells.push({
        gamma,
        beta,
        lambda: gamma / ((1 - beta) * (1 - beta)),
        outcome,
        iterations: k,
        bound,
        predictedStable,
        agrees: predictedStable === (outcome !== "diverged"),
      });
    }
    boundary.push({ beta, gammaStable, lambdaStable: gammaStable === null ? null : gammaStable / ((1 - beta) * (1 - beta)), bound });
  }
  const agreement = cells.filter((c) => c.agrees).length / cells.length;
  return { cells, L, how, agreement, boundary, iterations, loss, wallMs: performance.now() - t0 };
}
