/**
 * Notebook 03 over several draws of the data: GF and MGF per seed, where momentum shrinks Δ most (claim S7.14) and
 * the first-order error per draw (claim S7.12), with crossing runs reported as null.
 */
import { gradientFlow, momentumFlow, type FlowResult } from "../dynamics/flows";
import { sparseRegression, type Problem, type SparseRegressionOptions } from "../model/problems";
import { checkInteger, checkNumber } from "../core/validate";
import { deltaRatio, median, runValidity, smallestIndices, supportOf, type Row, type Trend } from "./balancedness";
import { firstOrderError, g2Vector } from "./balancedness-first-order";

/** One draw of the data (one seed): its problem, support, GF's ∫g² and the MGF runs at the requested λ. */
export interface Draw {
  seed: number;
  problem: Problem;
  support: number[];
  /** ∫₀^T g² of gradient flow on this draw (the first-order prediction's input). */
  g2: Float64Array;
  /** One MGF run per λ, in the order asked for. */
  runs: FlowResult[];
}

/** Options of {@link balancednessDraws}. */
export interface DrawOptions {
  seeds: number[];
  lambdas: number[];
  alpha: number | Float64Array;
  /** Final time of the runs (default 200: Δ has stopped moving by then at α = 0.1). */
  T?: number;
  /** Runs already made on one draw (seed 0 of the notebook): reused when the seed and the λ match. */
  reuse?: { problem: Problem; gf: FlowResult; runs: FlowResult[] };
  /** Sizes of the problems (default those of sparseRegression). */
  sizes?: Omit<SparseRegressionOptions, "seed">;
}

/**
 * GF and MGF on several draws `sparseRegression({ seed })`: for every seed, ∫g² of GF and one MGF run (to T, end
 * point only, default tolerances) per λ. Runs of `reuse` on the same problem are taken as they are.
 * @param o seeds, lambdas (> 0), alpha, T (default 200), reuse, sizes
 * @returns one Draw per seed, in the order of `seeds`
 * @throws TypeError/RangeError for empty or invalid seeds and lambdas, a bad T or α (from the flows)
 * @example balancednessDraws({ seeds: [1, 2], lambdas: [0.1], alpha: 0.1 })[0].runs[0].final
 */
export function balancednessDraws(o: DrawOptions): Draw[] {
  if (!o || typeof o !== "object") throw new TypeError("options must be an object {seeds, lambdas, alpha}");
  if (!Array.isArray(o.seeds) || o.seeds.length === 0) throw new RangeError("seeds must be a non-empty array of integers");
  if (!Array.isArray(o.lambdas) || o.lambdas.length === 0) throw new RangeError("lambdas must be a non-empty array of numbers > 0");
  o.seeds.forEach((s, i) => checkInteger(`seeds[${i}]`, s, { min: 0 }));
  o.lambdas.forEach((l, i) => checkNumber(`lambdas[${i}]`, l, { min: 0, minOpen: true }));
  const T = checkNumber("T", o.T ?? 200, { min: 0, minOpen: true });
  return o.seeds.map((seed) => {
    const fresh = sparseRegression({ ...(o.sizes ?? {}), seed });
    const same = o.reuse !== undefined && o.reuse.problem.name === fresh.name;
    const problem = same ? o.reuse!.problem : fresh;
    const g2 = same ? g2Vector(o.reuse!.gf, "balancednessDraws") : g2Vector(gradientFlow(problem, { alpha: o.alpha, T, times: [0, T], integrals: true }), "balancednessDraws");
    const runs = o.lambdas.map((lambda) => (same && o.reuse!.runs.find((r) => r.lambda === lambda)) || momentumFlow(problem, { lambda, alpha: o.alpha, T, times: [0, T] }));
    return { seed, problem, support: supportOf(problem), g2, runs };
  });
}

function checkDraws(draws: unknown): Draw[] {
  if (!Array.isArray(draws) || draws.length === 0 || draws.some((x) => !x || !Array.isArray(x.runs) || !(x.g2 instanceof Float64Array))) {
    throw new TypeError("draws must be a non-empty array from balancednessDraws");
  }
  return draws as Draw[];
}

function drawRun(draw: Draw, lambda: number): FlowResult {
  const r = draw.runs.find((x) => x.lambda === lambda);
  if (!r) throw new RangeError(`λ = ${lambda} was not run on the draws (their λ: ${draw.runs.map((x) => x.lambda).join(", ")})`);
  return r;
}

/**
 * Non-uniform shrinkage per draw at one λ (claim S7.14).
 * @param draws from balancednessDraws; @param lambda a λ they were run at; @param Delta0 Δ₀
 * @returns rows {seed, k smallest Δ∞ on supp (k = |support|), median Δ∞/Δ₀ on supp, median off supp,
 *   first-order err at λ (null after a crossing), sign changes}
 * @throws TypeError for bad draws; RangeError if λ was not run on them
 * @example shrinkageOverDraws(draws, 0.1, 0.02).map((r) => r["5 smallest Δ∞ on supp"]) // [4, 4, 5, 3, 4]
 */
export function shrinkageOverDraws(draws: Draw[], lambda: number, Delta0: number | Float64Array): Row[] {
  return checkDraws(draws).map((x) => {
    const r = drawRun(x, lambda);
    const ratio = deltaRatio(r.final, Delta0);
    const supp = new Set(x.support);
    const k = x.support.length;
    return { seed: x.seed, [`${k} smallest Δ∞ on supp`]: smallestIndices(ratio, k).filter((j) => supp.has(j)).length,
      "median Δ∞/Δ₀ on supp": median(x.support.map((j) => ratio[j])), "median off supp": median(Array.from(ratio).filter((_, j) => !supp.has(j))),
      [`first-order err, λ = ${lambda}`]: runValidity(r).valid ? firstOrderError(r.final, x.g2, Delta0, lambda) : null, "sign changes": r.signChanges.length };
  });
}

/**
 * Claim 03.c measured: on every draw the median Δ∞/Δ₀ on the support is below the median off it.
 * @param rows the rows of shrinkageOverDraws
 * @returns holds, and the medians as "0.71 < 0.98; …"
 * @throws TypeError if rows are not shrinkageOverDraws rows
 * @example supportShrinksMore(shrinkageOverDraws(draws, 0.1, 0.02)).holds // true
 */
export function supportShrinksMore(rows: Row[]): Trend {
  if (!Array.isArray(rows) || rows.some((r) => typeof r["median Δ∞/Δ₀ on supp"] !== "number" || typeof r["median off supp"] !== "number")) {
    throw new TypeError("rows must be the rows of shrinkageOverDraws");
  }
  const on = rows.map((r) => r["median Δ∞/Δ₀ on supp"] as number), off = rows.map((r) => r["median off supp"] as number);
  return { holds: on.every((m, i) => m < off[i]), measured: on.map((m, i) => `${m.toFixed(2)} < ${off[i].toFixed(2)}`).join("; ") };
}

/**
 * The first-order error per draw at two values of λ (claim S7.12 over draws).
 * @param draws from balancednessDraws; @param lambdas the pair [λ₁, λ₂] (both run on the draws); @param Delta0 Δ₀
 * @returns rows {seed, err at λ₁, err at λ₂, ratio ((λ₂/λ₁)² if the error is O(λ²)), local slope}; null after a crossing
 * @throws TypeError for bad draws; RangeError if lambdas is not a pair of run values
 * @example firstOrderOverDraws(draws, [0.05, 0.1], 0.02)[0]["local slope"] // 2.36 on seed 0
 */
export function firstOrderOverDraws(draws: Draw[], lambdas: [number, number], Delta0: number | Float64Array): Row[] {
  checkDraws(draws);
  if (!Array.isArray(lambdas) || lambdas.length !== 2) throw new RangeError("lambdas must be a pair [λ₁, λ₂]");
  const [a, b] = lambdas;
  const expected = Number(((b / a) ** 2).toPrecision(3));
  return draws.map((x) => {
    const err = (l: number) => {
      const r = drawRun(x, l);
      return runValidity(r).valid ? firstOrderError(r.final, x.g2, Delta0, l) : null;
    };
    const ea = err(a), eb = err(b);
    const both = ea !== null && eb !== null;
    return { seed: x.seed, [`err, λ = ${a}`]: ea, [`err, λ = ${b}`]: eb, [`ratio (${expected} if ∝ λ²)`]: both ? eb / ea : null,
      "local slope": both ? Math.log(eb / ea) / Math.log(b / a) : null };
  });
}

/**
 * The first-order error at one λ on every draw (claim S7.12 over draws).
 * @param draws from balancednessDraws; @param lambda a λ they were run at; @param Delta0 Δ₀
 * @returns one error per draw, in their order
 * @throws TypeError for bad draws; RangeError if λ was not run on the draws, or a run crossed
 * @example Math.max(...drawErrors(draws, 0.05, 0.02)) // 0.0273 over seeds 0–4
 */
export function drawErrors(draws: Draw[], lambda: number, Delta0: number | Float64Array): number[] {
  return checkDraws(draws).map((x) => firstOrderError(drawRun(x, lambda).final, x.g2, Delta0, lambda));
}
