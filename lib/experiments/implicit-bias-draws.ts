/**
 * Notebook 04 over several draws: MGF run until the loss is below 1e-20 on every (seed, λ), the exact problem
 * (claim S7.9) and the approximate one (claim S7.10) solved from each run's own Δ∞ and w̃₀
 * (08-theory.ipynb#implicit-problem). Crossing runs give null cells and are left out of the claims.
 */
import { summarizeMomentumRun, type MomentumRunSummary } from "../bias/balancedness";
import { checkInteger, checkNumber } from "../core/validate";
import { momentumFlow, type FlowResult } from "../dynamics/flows";
import { sparseRegression, type Problem, type SparseRegressionOptions } from "../model/problems";
import { runValidity, type Row } from "./balancedness";
import { checkList } from "./implicit-bias";

const checkExactDraws = (draws: unknown): ExactDraw[] =>
  checkList<ExactDraw>("draws", draws, (x) => typeof x.seed === "number" && typeof x.lambda === "number" && !!x.summary, "exactOverDraws");

/** One (seed, λ) of {@link exactOverDraws}. */
export interface ExactDraw {
  seed: number;
  lambda: number;
  run: FlowResult;
  summary: MomentumRunSummary;
  valid: boolean;
}

/** Options of {@link exactOverDraws}. */
export interface ExactDrawOptions {
  seeds: number[];
  lambdas: number[];
  alpha: number | Float64Array;
  /** Stop once the loss is below this (default 1e-20: w is then within about 3e-10 of its limit). */
  stopLoss?: number;
  /** Longest time allowed (default 3000). */
  T?: number;
  /** Tolerance of the solver (default 1e-10). */
  rtol?: number;
  /** Long runs already made on one problem (reused when the problem and λ match and the run reached stopLoss). */
  reuse?: { problem: Problem; runs: FlowResult[] };
  /** Sizes of the problems (default those of sparseRegression). */
  sizes?: Omit<SparseRegressionOptions, "seed">;
}

/**
 * MGF run until the loss is below stopLoss on every (seed, λ), with the exact and approximate problems solved from
 * its own Δ∞ and w̃₀ (claims S7.9 and S7.10 over draws). The end point stands for w∞.
 * @param o seeds, lambdas, alpha, stopLoss (default 1e-20), T (default 3000), rtol (default 1e-10), reuse, sizes
 * @returns one ExactDraw per (seed, λ), seeds outer
 * @throws TypeError/RangeError for empty or invalid seeds, λ or options
 * @example worstExact(exactOverDraws({ seeds: [0, 1], lambdas: [0.2], alpha: 0.1 })).worst // ≈ 2.4e-10
 */
export function exactOverDraws(o: ExactDrawOptions): ExactDraw[] {
  if (!o || !Array.isArray(o.seeds) || o.seeds.length === 0) throw new RangeError("seeds must be a non-empty array of integers");
  if (!Array.isArray(o.lambdas) || o.lambdas.length === 0) throw new RangeError("lambdas must be a non-empty array of numbers > 0");
  o.seeds.forEach((s, i) => checkInteger(`seeds[${i}]`, s, { min: 0 }));
  o.lambdas.forEach((l, i) => checkNumber(`lambdas[${i}]`, l, { min: 0, minOpen: true }));
  const stopLoss = checkNumber("stopLoss", o.stopLoss ?? 1e-20, { min: 0, minOpen: true });
  const T = checkNumber("T", o.T ?? 3000, { min: 0, minOpen: true });
  return o.seeds.flatMap((seed) => {
    const fresh = sparseRegression({ ...(o.sizes ?? {}), seed });
    const same = o.reuse !== undefined && o.reuse.problem.name === fresh.name;
    const p = same ? o.reuse!.problem : fresh;
    return o.lambdas.map((lambda) => {
      // a reused run must have reached the same loss, or its end point is not the limit
      const run = (same && o.reuse!.runs.find((r) => r.lambda === lambda && r.final.loss <= stopLoss)) ||
        momentumFlow(p, { lambda, alpha: o.alpha, T, times: [0, T], integrals: true, rtol: o.rtol ?? 1e-10, stopLoss });
      return { seed, lambda, run, summary: summarizeMomentumRun(p, run, { alpha: o.alpha }), valid: runValidity(run).valid };
    });
  });
}

/**
 * One row per (seed, λ): where the run ended, and its distances to the exact and approximate problems.
 * @param draws from exactOverDraws
 * @returns rows {seed, λ, sign changes, t at the end, loss at the end, exact, approx., ms}; null after a crossing
 * @throws TypeError for malformed draws
 * @example showTable(exactDrawRows(draws))
 */
export function exactDrawRows(draws: ExactDraw[]): Row[] {
  checkExactDraws(draws);
  return draws.map((x) => ({ seed: x.seed, λ: x.lambda, "sign changes": x.summary.signChanges, "t at the end": x.run.final.t,
    "loss at the end": x.run.final.loss, "‖w∞ − argmin D(·, w̃₀)‖ (exact)": x.summary.exact ? x.summary.errExact : null,
    "‖w∞ − argmin ψ_Δ∞‖ (approx.)": x.summary.approx ? x.summary.errApprox : null, ms: Math.round(x.run.stats.wallMs) }));
}

/**
 * The largest exact error over the draws without a crossing (claim S7.9).
 * @param draws from exactOverDraws
 * @returns worst, the number of runs it is taken over, and the (seed, λ) left out
 * @throws RangeError if every run crosses
 * @example worstExact(draws).worst // 2.9e-10 over seeds 0–4, λ = 0.1, 0.2
 */
export function worstExact(draws: ExactDraw[]): { worst: number; count: number; skipped: string[] } {
  checkExactDraws(draws);
  const v = draws.filter((x) => x.valid);
  if (v.length === 0) throw new RangeError("every run of the draws crosses: the exact problem applies to none");
  return { worst: Math.max(...v.map((x) => x.summary.errExact)), count: v.length,
    skipped: draws.filter((x) => !x.valid).map((x) => `seed ${x.seed}, λ = ${x.lambda}`) };
}

/**
 * The approximate error per seed at two λ (pivoted), their ratio ((λ₂/λ₁)² if ∝ λ²) and whether it is ≤ `level`
 * at the larger λ (claim S7.10 over draws).
 * @param draws from exactOverDraws; @param lambdas the pair [λ₁, λ₂]; @param level the threshold (default 0.1)
 * @returns one row per seed; null after a crossing
 * @throws RangeError if a (seed, λ) was not run
 * @example approxDrawRows(draws, [0.1, 0.2])
 */
export function approxDrawRows(draws: ExactDraw[], lambdas: [number, number], level = 0.1): Row[] {
  checkExactDraws(draws);
  if (!Array.isArray(lambdas) || lambdas.length !== 2) throw new RangeError("lambdas must be a pair [λ₁, λ₂]");
  checkNumber("level", level, { min: 0, minOpen: true });
  const [a, b] = lambdas;
  const err = (seed: number, l: number) => {
    const x = draws.find((d) => d.seed === seed && d.lambda === l);
    if (!x) throw new RangeError(`λ = ${l} was not run on seed ${seed}`);
    return x.summary.approx ? x.summary.errApprox : null;
  };
  const expected = Number(((b / a) ** 2).toPrecision(3));
  return [...new Set(draws.map((d) => d.seed))].map((seed) => {
    const ea = err(seed, a), eb = err(seed, b);
    return { seed, [`err, λ = ${a}`]: ea, [`err, λ = ${b}`]: eb, [`ratio (${expected} if ∝ λ²)`]: ea !== null && eb !== null ? eb / ea : null,
      [`≤ ${level} at λ = ${b}`]: eb === null ? null : eb <= level ? "yes" : "no" };
  });
}

/**
 * The approximate error on every draw at one λ, without the crossing runs.
 * @param draws from exactOverDraws; @param lambda one of their λ
 * @returns the errors, seeds in order
 * @throws RangeError if λ was not run
 * @example Math.max(...approxErrorsAt(draws, 0.2)) // 0.141 over seeds 0–4
 */
export function approxErrorsAt(draws: ExactDraw[], lambda: number): number[] {
  checkExactDraws(draws);
  const at = draws.filter((x) => x.lambda === lambda);
  if (at.length === 0) throw new RangeError(`λ = ${lambda} was not run on the draws (their λ: ${[...new Set(draws.map((x) => x.lambda))].join(", ")})`);
  return at.filter((x) => x.summary.approx).map((x) => x.summary.errApprox);
}
