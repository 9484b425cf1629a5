/**
 * The analyses of notebook 03 (balancedness): what momentum does to Δ = u² − v² along MGF. Δ_t per coordinate,
 * GF's conservation, the monotone decrease under MGF, the residuals of the exact identities, the first-order
 * prediction Δ₀·exp(−2λ∫g²_GF) and its error against λ, shrinkage on and off the support of w*, the same over
 * several draws, and the crossings of u ± v that end the picture (08-theory.ipynb#balancedness-identity,
 * #first-order-delta, #no-crossing).
 *
 * Every function takes finished runs (momentumFlow/gradientFlow results) and returns numbers or rows for a table or
 * a chart; the rows keep the column names the notebook prints. A run in which some u ± v changed sign is never fed
 * to a log-form formula: the functions skip it and say so (its `note`), so a notebook cell reports "does not apply"
 * instead of a NaN.
 */
import { deltaInfinity, firstOrderDelta, mgfIdentityResidual } from "../bias/balancedness";
import { gradientFlow, momentumFlow } from "../dynamics/flows";
import type { FlowIntegrals, FlowResult } from "../dynamics/flows";
import { sparseRegression } from "../model/problems";
import type { Problem, SparseRegressionOptions } from "../model/problems";
import { checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";

/** One row of a table or a chart: the experiments return these, the figures and tables take them. */
export type Row = Record<string, string | number | boolean | null>;

/** A state with u and v (a FlowSample, an MGD run's final iterate). */
export type UV = { u: Float64Array; v: Float64Array };

function checkRuns(name: string, runs: unknown): FlowResult[] {
  if (!Array.isArray(runs) || runs.length === 0) throw new RangeError(`${name} must be a non-empty array of momentumFlow results`);
  runs.forEach((r, i) => {
    if (!r || typeof r !== "object" || !Array.isArray((r as FlowResult).points) || !(r as FlowResult).final) {
      throw new TypeError(`${name}[${i}] must be a momentumFlow/gradientFlow result (with points and final)`);
    }
  });
  return runs as FlowResult[];
}

function checkSupport(support: unknown, d: number): number[] {
  if (!Array.isArray(support)) throw new TypeError("support must be an array of coordinate indices");
  support.forEach((j, i) => checkInteger(`support[${i}]`, j, { min: 0, max: d - 1 }));
  return support as number[];
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: ArrayLike<number>): number {
  if (xs == null || typeof xs.length !== "number" || xs.length === 0) throw new RangeError("median needs a non-empty list of numbers");
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/**
 * Indices of the k smallest entries (ascending by value; ties keep index order).
 * @throws RangeError unless 0 ≤ k ≤ length
 * @example smallestIndices(Float64Array.of(3, 1, 2), 2) // [1, 2]
 */
export function smallestIndices(x: Float64Array, k: number): number[] {
  checkInteger("k", k, { min: 0, max: x.length });
  return Array.from(x, (_, j) => j).sort((a, b) => x[a] - x[b]).slice(0, k);
}

/**
 * The support of the planted vector w*: the coordinates j with w*_j ≠ 0, ascending.
 * @throws RangeError if the problem has no planted vector
 * @example supportOf(sparseRegression({ seed: 0 })) // [5, 11, 36, 41, 92]
 */
export function supportOf(p: Problem): number[] {
  if (!p || typeof p !== "object") throw new TypeError("p must be a Problem");
  if (!(p.wStar instanceof Float64Array)) throw new RangeError(`${p.name}: the problem has no planted vector w*, so it has no support`);
  return Array.from(p.wStar).flatMap((x, j) => (x !== 0 ? [j] : []));
}

/**
 * Sample times for a flow: 0, then `count` times log-spaced from `first` to T (dense where Δ moves, early on).
 * @param T final time > first; @param count number of log-spaced times ≥ 2 (default 800); @param first first time > 0 (default 0.01)
 * @example logSampleTimes(100, 3, 1) // [0, 1, 10, 100]
 */
export function logSampleTimes(T: number, count = 800, first = 0.01): number[] {
  checkNumber("first", first, { min: 0, minOpen: true });
  checkNumber("T", T, { min: first, minOpen: true });
  checkInteger("count", count, { min: 2 });
  return [0, ...Array.from({ length: count }, (_, i) => Math.min(T, first * (T / first) ** (i / (count - 1))))];
}

/**
 * Δ/Δ₀ = (u² − v²)/Δ₀ per coordinate.
 * @param state {u, v}; @param Delta0 Δ₀ > 0 (number or vector)
 * @example deltaRatio({ u: Float64Array.of(0.1), v: Float64Array.of(0) }, 0.02) // [0.5]
 */
export function deltaRatio(state: UV, Delta0: number | Float64Array): Float64Array {
  const D = deltaInfinity(state);
  const D0 = positiveScalarOrVector("Delta0", Delta0, D.length);
  return D.map((x, j) => x / D0[j]);
}

/**
 * GF's conservation, measured: the largest |Δ_t − Δ₀| over every sample and coordinate of a run.
 * @param flow a gradientFlow (or momentumFlow) result; @param Delta0 Δ₀ (number or vector)
 */
export function balancednessDrift(flow: FlowResult, Delta0: number | Float64Array): number {
  checkRuns("flow", [flow]);
  const D0 = positiveScalarOrVector("Delta0", Delta0, flow.final.u.length);
  let m = 0;
  for (const s of flow.points) {
    const D = deltaInfinity(s);
    for (let j = 0; j < D.length; j++) m = Math.max(m, Math.abs(D[j] - D0[j]));
  }
  return m;
}

/**
 * The largest step up of Δ_t/Δ₀ between consecutive samples, over all coordinates: ≤ rounding when Δ_t never
 * increases (08-theory.ipynb#balancedness-identity).
 * @throws RangeError if the run has fewer than 2 samples
 */
export function largestIncrease(flow: FlowResult, Delta0: number | Float64Array): number {
  checkRuns("flow", [flow]);
  if (flow.points.length < 2) throw new RangeError(`largestIncrease needs at least 2 samples, the run has ${flow.points.length}`);
  const D0 = positiveScalarOrVector("Delta0", Delta0, flow.final.u.length);
  let m = -Infinity;
  for (let i = 1; i < flow.points.length; i++) {
    const a = deltaInfinity(flow.points[i - 1]), b = deltaInfinity(flow.points[i]);
    for (let j = 0; j < a.length; j++) m = Math.max(m, (b[j] - a[j]) / D0[j]);
  }
  return m;
}

/** Whether the log-form identities apply to a run, and a sentence saying why (not). */
export interface RunValidity {
  lambda: number;
  /** No u ± v sign change during the run and Δ > 0 at its end. */
  valid: boolean;
  /** E.g. "λ = 0.3: u − v of coordinate 11 changes sign at t = 2.00; the log-form identities stop applying there". */
  note: string;
}

/**
 * Does a run stay in the no-crossing region (08-theory.ipynb#no-crossing)? The identities of notebook 03, the
 * first-order prediction and the implicit problems of notebook 04 need u ± v to keep its sign.
 * @example runValidity(momentumFlow(p, { lambda: 0.3, T: 300 })).note
 */
export function runValidity(run: FlowResult): RunValidity {
  checkRuns("run", [run]);
  const first = run.signChanges[0];
  if (first) {
    const count = new Set(run.signChanges.map((c) => c.coordinate)).size;
    return {
      lambda: run.lambda,
      valid: false,
      note: `λ = ${run.lambda}: ${first.which} of coordinate ${first.coordinate} changes sign at t = ${first.time.toFixed(2)} ` +
        `(${count} coordinate${count > 1 ? "s" : ""} in all); the log-form identities stop applying there`,
    };
  }
  const D = deltaInfinity(run.final);
  const bad = D.findIndex((x) => !(x > 0));
  if (bad >= 0) return { lambda: run.lambda, valid: false, note: `λ = ${run.lambda}: Δ[${bad}] = ${D[bad]} ≤ 0 at the end; the log-form identities do not apply` };
  return { lambda: run.lambda, valid: true, note: `λ = ${run.lambda}: no u ± v sign change` };
}

/** The runs to which the identities apply, and one note per run that is left out. */
export function splitByCrossing(runs: FlowResult[]): { valid: FlowResult[]; skipped: string[] } {
  checkRuns("runs", runs);
  const checks = runs.map(runValidity);
  return { valid: runs.filter((_, i) => checks[i].valid), skipped: checks.filter((c) => !c.valid).map((c) => c.note) };
}

/**
 * One row per MGF run: solver steps, time, loss at T, sign changes, the range of Δ∞/Δ₀ and the largest step up of
 * Δ_t/Δ₀ (claim S7.6).
 * @param runs momentumFlow results (several samples each); @param Delta0 Δ₀
 */
export function mgfDeltaRows(runs: FlowResult[], Delta0: number | Float64Array): Row[] {
  return checkRuns("runs", runs).map((r) => {
    const ratio = deltaRatio(r.final, Delta0);
    return {
      λ: r.lambda, steps: r.stats.steps, ms: Math.round(r.stats.wallMs), "loss at T": r.final.loss, "u ± v sign changes": r.signChanges.length,
      "min Δ∞/Δ₀": Math.min(...ratio), "max Δ∞/Δ₀": Math.max(...ratio), "largest step up of Δ_t/Δ₀": largestIncrease(r, Delta0),
    };
  });
}

/**
 * Caption for the MGF table, from what the runs show: which λ keep u ± v's sign, and which cross.
 * @param runs the runs of the table; @param T their final time
 */
export function mgfDeltaCaption(runs: FlowResult[], T: number): string {
  const { valid, skipped } = splitByCrossing(runs);
  const ok = valid.map((r) => r.lambda).join(", ");
  if (skipped.length === 0) return `MGF to T = ${T}: no u ± v sign change for λ = ${ok}, so the identities below apply to every run`;
  const crossed = runs.filter((r) => !valid.includes(r)).map((r) => r.lambda).join(", ");
  return `MGF to T = ${T}: no sign change for λ = ${ok || "none"}; u ± v crosses for λ = ${crossed}, where the identities stop applying`;
}

/** Options of {@link deltaPathRows}. */
export interface DeltaPathOptions {
  /** Coordinates drawn: the support, and every `every`-th other coordinate (default 5). */
  every?: number;
  /** Keep sample i when i % stride === 1 (default 16), to keep the chart light. */
  stride?: number;
  /** Time window (default [0.03, 100]). */
  tMin?: number;
  tMax?: number;
}

/**
 * Long rows {t, Δ_t/Δ₀, i, on supp w*, λ} for a per-coordinate chart of Δ_t/Δ₀ along several runs.
 * @param runs flows sampled at many times; @param Delta0 Δ₀; @param support the coordinates of supp(w*)
 * @example coordinateChart(deltaPathRows(runs, 0.02, supportOf(p)), { x: "t", y: "Δ_t/Δ₀", coordinate: "i", onSupport: "on supp w*", facet: "λ" })
 */
export function deltaPathRows(runs: FlowResult[], Delta0: number | Float64Array, support: number[], o: DeltaPathOptions = {}): Row[] {
  checkRuns("runs", runs);
  const d = runs[0].final.u.length;
  const supp = new Set(checkSupport(support, d));
  const every = checkInteger("every", o.every ?? 5, { min: 1 });
  const stride = checkInteger("stride", o.stride ?? 16, { min: 2 });
  const tMin = checkNumber("tMin", o.tMin ?? 0.03, { min: 0 });
  const tMax = checkNumber("tMax", o.tMax ?? 100, { min: tMin });
  const shown = Array.from({ length: d }, (_, j) => j).filter((j) => supp.has(j) || j % every === 0);
  return runs.flatMap((r) => r.points.filter((s, i) => s.t >= tMin && s.t <= tMax && i % stride === 1).flatMap((s) => {
    const ratio = deltaRatio(s, Delta0);
    return shown.map((j) => ({ t: s.t, "Δ_t/Δ₀": ratio[j], i: j, "on supp w*": supp.has(j), λ: `λ = ${r.lambda}` }));
  }));
}

/**
 * Δ∞/Δ₀ on and off the support, per run: the support values, the median and minimum off it, and how many of the
 * k = |support| smallest Δ∞ entries lie on the support (claim S7.14's count).
 */
export function shrinkageRows(runs: FlowResult[], Delta0: number | Float64Array, support: number[]): Row[] {
  checkRuns("runs", runs);
  const supp = new Set(checkSupport(support, runs[0].final.u.length));
  const k = support.length;
  return runs.map((r) => {
    const ratio = deltaRatio(r.final, Delta0);
    const off = Array.from(ratio).filter((_, j) => !supp.has(j));
    return { λ: r.lambda, "on supp: Δ∞/Δ₀": support.map((j) => ratio[j].toFixed(3)).join(", "), "median off supp": median(off), "min off supp": Math.min(...off),
      [`${k} smallest Δ∞ on supp`]: smallestIndices(ratio, k).filter((j) => supp.has(j)).length };
  });
}

/** Residuals of the exact identities along one run. */
export interface RunResiduals {
  lambda: number;
  /** Per sample with t > 0: the largest |residual| over the coordinates, for each identity. */
  series: { t: number; balancedness: number; mirror: number }[];
  worstBalancedness: number;
  worstMirror: number;
}

/** Residuals of the exact identities over the runs that keep u ± v's sign; the others are listed with the reason. */
export interface IdentityCheck {
  runs: RunResiduals[];
  /** Notes for the runs left out (a u ± v crossing). */
  skipped: string[];
  worstBalancedness: number;
  worstMirror: number;
}

/**
 * The balancedness identity and its mirror (claims S7.7, S7.8; 08-theory.ipynb#balancedness-identity,
 * #mirror-identity) at every sample t > 0 of every run without a crossing.
 * @param runs momentumFlow results with `integrals: true`; @param Delta0 Δ₀
 * @throws RangeError if every run crosses (the identities apply to none), or a run has no integrals
 */
export function identityResiduals(runs: FlowResult[], Delta0: number | Float64Array): IdentityCheck {
  const { valid, skipped } = splitByCrossing(runs);
  if (valid.length === 0) throw new RangeError(`every run crosses (${skipped.join("; ")}): the identities apply to none of them; include a λ ≤ 0.2`);
  const maxAbs = (a: Float64Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const out = valid.map((r) => {
    const series = r.points.filter((s) => s.t > 0).map((s) => {
      const res = mgfIdentityResidual(s, Delta0, r.lambda);
      return { t: s.t, balancedness: maxAbs(res.balancedness), mirror: maxAbs(res.mirror) };
    });
    return { lambda: r.lambda, series, worstBalancedness: Math.max(...series.map((x) => x.balancedness)), worstMirror: Math.max(...series.map((x) => x.mirror)) };
  });
  return { runs: out, skipped, worstBalancedness: Math.max(...out.map((x) => x.worstBalancedness)), worstMirror: Math.max(...out.map((x) => x.worstMirror)) };
}

/**
 * Chart rows {t, max residual, identity, λ} of an identity check, every `every`-th sample; residuals are floored
 * at 1e-17 for a log axis.
 */
export function residualRows(check: IdentityCheck, every = 8): Row[] {
  checkInteger("every", every, { min: 1 });
  return check.runs.flatMap((r) => r.series.filter((_, i) => i % every === 0).flatMap((x) => [
    { t: x.t, "max residual": Math.max(x.balancedness, 1e-17), identity: "balancedness (claim 7)", λ: String(r.lambda) },
    { t: x.t, "max residual": Math.max(x.mirror, 1e-17), identity: "mirror (claim 8)", λ: String(r.lambda) },
  ]));
}

function g2Vector(g2: Float64Array | FlowIntegrals | FlowResult, caller: string): Float64Array {
  if (g2 instanceof Float64Array) return g2;
  const I = (g2 as FlowResult)?.final ? (g2 as FlowResult).final.integrals : (g2 as FlowIntegrals);
  if (!I || !(I.g2 instanceof Float64Array)) throw new RangeError(`${caller}: g2 must be ∫g² (a vector, a run's integrals, or a run with integrals: true)`);
  return I.g2;
}

/**
 * Error of the first-order prediction for one run: max_i |ln(Δ∞,i / (Δ₀e^{−2λ∫g²_i}))| (claim S7.12).
 * @param final the run's last state; @param g2 ∫g² of the gradient-flow run (vector, integrals, or the GF run)
 * @param Delta0 Δ₀; @param lambda λ of the run
 * @throws RangeError if some Δ∞ ≤ 0 (a crossing: the logarithm is undefined)
 */
export function firstOrderError(final: UV, g2: Float64Array | FlowIntegrals | FlowResult, Delta0: number | Float64Array, lambda: number): number {
  const pred = firstOrderDelta(g2Vector(g2, "firstOrderError"), Delta0, lambda);
  const D = deltaInfinity(final);
  const bad = D.findIndex((x) => !(x > 0));
  if (bad >= 0) throw new RangeError(`firstOrderError: Δ∞[${bad}] = ${D[bad]} ≤ 0 at λ = ${lambda} (u − v crossed 0): the first-order formula does not apply`);
  return Math.max(...Array.from(D, (x, j) => Math.abs(Math.log(x / pred[j]))));
}

/**
 * Scatter rows {predicted Δ∞/Δ₀, measured Δ∞/Δ₀, λ, on supp w*, i}, one per coordinate and run without a crossing.
 * @param runs MGF runs; @param gf the gradient-flow run with integrals (its ∫g² makes the prediction)
 * @param integralsFrom "GF" (default: one GF run predicts every λ) or "MGF" (each run's own ∫g², needs integrals)
 */
export function firstOrderRows(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array, support: number[], integralsFrom: "GF" | "MGF" = "GF"): Row[] {
  const { valid } = splitByCrossing(runs);
  if (integralsFrom !== "GF" && integralsFrom !== "MGF") throw new RangeError(`integralsFrom must be "GF" or "MGF", got ${JSON.stringify(integralsFrom)}`);
  const supp = new Set(checkSupport(support, gf.final.u.length));
  return valid.flatMap((r) => {
    const pred = firstOrderDelta(g2Vector(integralsFrom === "GF" ? gf : r, "firstOrderRows"), Delta0, r.lambda);
    const D0 = positiveScalarOrVector("Delta0", Delta0, pred.length);
    const ratio = deltaRatio(r.final, Delta0);
    return Array.from(ratio, (x, j) => ({ "predicted Δ∞/Δ₀": pred[j] / D0[j], "measured Δ∞/Δ₀": x, λ: String(r.lambda), "on supp w*": supp.has(j), i: j }));
  });
}

/** The first-order error against λ. */
export interface FirstOrderScaling {
  /** {λ, err, err/λ², local slope} in increasing λ (local slope: against the previous row; null in the first). */
  rows: Row[];
  /** The errors, in the order of `lambdas`. */
  lambdas: number[];
  errors: number[];
  /** Notes for runs left out (crossings). */
  skipped: string[];
}

/**
 * The first-order error max|ln(Δ∞/prediction)| for each run without a crossing, sorted by λ, with the local slope
 * d ln err / d ln λ between neighbours (→ 2 when the error is O(λ²); 08-theory.ipynb#first-order-delta).
 * @param runs MGF runs (any sampling); @param gf the GF run with integrals; @param Delta0 Δ₀
 * @throws RangeError if no run is free of crossings
 */
export function firstOrderScaling(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array): FirstOrderScaling {
  const { valid, skipped } = splitByCrossing(runs);
  if (valid.length === 0) throw new RangeError(`every run crosses (${skipped.join("; ")}): the first-order formula applies to none`);
  const sorted = valid.slice().sort((a, b) => a.lambda - b.lambda);
  const lambdas = sorted.map((r) => r.lambda);
  const errors = sorted.map((r) => firstOrderError(r.final, gf, Delta0, r.lambda));
  const rows = lambdas.map((l, i) => ({ λ: l, err: errors[i], "err/λ²": errors[i] / l ** 2,
    "local slope": i === 0 ? null : Math.log(errors[i] / errors[i - 1]) / Math.log(l / lambdas[i - 1]) }));
  return { rows, lambdas, errors, skipped };
}

/**
 * Chart rows of ln(Δ∞/Δ₀) against λ, one line per coordinate ({λ, ln(Δ∞/Δ₀), i, on supp w*, curve}), from runs
 * without a crossing; the GF run gives the point λ = 0 (ln 1 = 0) and, on the support, the first-order line
 * −2λ∫g²_GF (curve "first order", dashed in the chart).
 */
export function logRatioRows(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array, support: number[]): Row[] {
  const { valid } = splitByCrossing(runs);
  const g2 = g2Vector(gf, "logRatioRows");
  const supp = checkSupport(support, g2.length);
  const onSupp = new Set(supp);
  const sorted = [gf, ...valid.filter((r) => r !== gf)].sort((a, b) => a.lambda - b.lambda);
  const measured = sorted.flatMap((r) => Array.from(deltaRatio(r.final, Delta0), (x, j) =>
    ({ λ: r.lambda, "ln(Δ∞/Δ₀)": Math.log(x), i: j, "on supp w*": onSupp.has(j), curve: "measured" })));
  const predicted = sorted.flatMap((r) => supp.map((j) => ({ λ: r.lambda, "ln(Δ∞/Δ₀)": -2 * r.lambda * g2[j], i: j, "on supp w*": true, curve: "first order" })));
  return [...measured, ...predicted];
}

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

function drawRun(draw: Draw, lambda: number): FlowResult {
  const r = draw.runs.find((x) => x.lambda === lambda);
  if (!r) throw new RangeError(`λ = ${lambda} was not run on the draws (their λ: ${draw.runs.map((x) => x.lambda).join(", ")})`);
  return r;
}

/**
 * Non-uniform shrinkage per draw at one λ (claim S7.14): how many of the k smallest Δ∞ entries lie on the support,
 * the median Δ∞/Δ₀ on and off it, the first-order error (null after a crossing) and the sign changes.
 */
export function shrinkageOverDraws(draws: Draw[], lambda: number, Delta0: number | Float64Array): Row[] {
  if (!Array.isArray(draws) || draws.length === 0) throw new RangeError("draws must be a non-empty array from balancednessDraws");
  return draws.map((x) => {
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
 * The first-order error per draw at two values of λ, their ratio ((λ₂/λ₁)² if the error is O(λ²)) and the local
 * slope (claim S7.12 over draws). Cells after a crossing are null.
 */
export function firstOrderOverDraws(draws: Draw[], lambdas: [number, number], Delta0: number | Float64Array): Row[] {
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
 * One row per run about crossings (claim S7.16): coordinates with a u ± v sign change, Δ∞ < 0 entries, min Δ∞/Δ₀,
 * the first crossing time (null if none), the loss at T and the time taken.
 */
export function crossingRows(runs: FlowResult[], Delta0: number | Float64Array): Row[] {
  return checkRuns("runs", runs).map((r) => {
    const ratio = deltaRatio(r.final, Delta0);
    return { λ: r.lambda, "coordinates with a u ± v sign change": new Set(r.signChanges.map((c) => c.coordinate)).size,
      "Δ∞ < 0 entries": ratio.filter((x) => x < 0).length, "min Δ∞/Δ₀": Math.min(...ratio),
      "first crossing at t": r.signChanges.length ? r.signChanges[0].time : null, "loss at T": r.final.loss, ms: Math.round(r.stats.wallMs) };
  });
}

/** Chart rows {λ, count, what} of the two counts of crossingRows. */
export function crossingCountRows(rows: Row[]): Row[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must be the rows of crossingRows");
  return rows.map((r) => ({ λ: r.λ, count: r["coordinates with a u ± v sign change"], what: "coordinates with a sign change" }))
    .concat(rows.map((r) => ({ λ: r.λ, count: r["Δ∞ < 0 entries"], what: "Δ∞ < 0 entries" })));
}

/** The coordinates 0, n, 2n, … below d. */
export function everyNthCoordinate(d: number, n: number): number[] {
  checkInteger("d", d, { min: 1 });
  checkInteger("n", n, { min: 1 });
  return Array.from({ length: d }, (_, j) => j).filter((j) => j % n === 0);
}

/**
 * Rows {t, Δ_t/Δ₀, i, crosses} for t ≤ tMax: every coordinate that crosses, and the given others that do not.
 * @param run a flow sampled densely; @param others coordinates to show for comparison (crossing ones are not repeated)
 */
export function crossingPathRows(run: FlowResult, Delta0: number | Float64Array, others: number[], tMax = 20): Row[] {
  checkRuns("run", [run]);
  const crossing = new Set(run.signChanges.map((c) => c.coordinate));
  const rest = checkSupport(others, run.final.u.length).filter((j) => !crossing.has(j));
  checkNumber("tMax", tMax, { min: 0, minOpen: true });
  return run.points.filter((s) => s.t <= tMax).flatMap((s) => {
    const ratio = deltaRatio(s, Delta0);
    return [...crossing, ...rest].map((j) => ({ t: s.t, "Δ_t/Δ₀": ratio[j], i: j, crosses: crossing.has(j) }));
  });
}

/**
 * Whether the exact identity can be evaluated at the end of a run: after a crossing `mgfIdentityResidual` refuses
 * with a RangeError that names the coordinate; this returns its message instead of throwing.
 * @param run a flow with `integrals: true`
 */
export function identityStatus(run: FlowResult, Delta0: number | Float64Array): { applies: boolean; message: string } {
  checkRuns("run", [run]);
  try {
    mgfIdentityResidual(run.final, Delta0, run.lambda);
  } catch (e) {
    if (e instanceof RangeError) return { applies: false, message: e.message };
    throw e;
  }
  const v = runValidity(run);
  return { applies: v.valid, message: v.note };
}

/**
 * Sample times 0, until/(count−1), …, until evenly spaced, then T (if T > until): a dense look at the start of a
 * run that still ends at T.
 * @example evenSampleTimes(1, 3, 10) // [0, 0.5, 1, 10]
 */
export function evenSampleTimes(until: number, count: number, T: number): number[] {
  checkNumber("until", until, { min: 0, minOpen: true });
  checkInteger("count", count, { min: 2 });
  checkNumber("T", T, { min: until });
  const out = Array.from({ length: count }, (_, i) => (i === count - 1 ? until : (until * i) / (count - 1)));
  return T > until ? [...out, T] : out;
}

/** One line about an identity check: the largest residuals, and the runs left out with their reason. */
export function describeIdentityCheck(check: IdentityCheck, d: number): string {
  const n = check.runs[0].series.length;
  const head = `largest residual over all ${n} times × ${d} coordinates × ${check.runs.length} λ (${check.runs.map((r) => r.lambda).join(", ")}): ` +
    `balancedness ${check.worstBalancedness.toExponential(2)}, mirror ${check.worstMirror.toExponential(2)}`;
  return [head, ...check.skipped.map((s) => `not checked — ${s}`)].join("\n");
}

/**
 * The first-order error at one λ of a scaling study.
 * @throws RangeError naming the λ that were measured if `lambda` is not one of them
 */
export function firstOrderErrorAt(scaling: FirstOrderScaling, lambda: number): number {
  const i = scaling.lambdas.indexOf(lambda);
  if (i < 0) throw new RangeError(`λ = ${lambda} is not among the measured λ (${scaling.lambdas.join(", ")}); add it to the runs of the scaling cell`);
  return scaling.errors[i];
}

/** Local slopes d ln err / d ln λ between neighbouring λ of a scaling study (one fewer than the λ). */
export function firstOrderSlopes(scaling: FirstOrderScaling): number[] {
  return scaling.rows.slice(1).map((r) => r["local slope"] as number);
}

/**
 * The first-order error at one λ on every draw (claim S7.12 over draws).
 * @throws RangeError if λ was not run on the draws, or a run crossed
 */
export function drawErrors(draws: Draw[], lambda: number, Delta0: number | Float64Array): number[] {
  return draws.map((x) => firstOrderError(drawRun(x, lambda).final, x.g2, Delta0, lambda));
}

/** Where crossings start: the largest λ without a sign change below the smallest λ with one (null if none). */
export function crossingOnset(rows: Row[]): { lastClean: number | null; firstCrossing: number | null } {
  if (!Array.isArray(rows)) throw new TypeError("rows must be the rows of crossingRows");
  const sorted = rows.slice().sort((a, b) => (a.λ as number) - (b.λ as number));
  const first = sorted.find((r) => (r["coordinates with a u ± v sign change"] as number) > 0);
  const before = sorted.filter((r) => (r["coordinates with a u ± v sign change"] as number) === 0 && (first === undefined || (r.λ as number) < (first.λ as number)));
  return { lastClean: before.length ? (before[before.length - 1].λ as number) : null, firstCrossing: first ? (first.λ as number) : null };
}

/** A caption (or chart title) saying where the crossings start, from crossingRows. */
export function crossingCaption(rows: Row[]): string {
  const { lastClean, firstCrossing } = crossingOnset(rows);
  if (firstCrossing === null) return `no u ± v crossing for any λ up to ${Math.max(...rows.map((r) => r.λ as number))}`;
  if (lastClean === null) return `u ± v crosses already at the smallest λ = ${firstCrossing}`;
  return `crossings start between λ = ${lastClean} and λ = ${firstCrossing}`;
}

/**
 * Claim S7.16 measured: no crossing for every λ ≤ cleanUpTo, crossings and negative Δ∞ entries for every λ ≥ crossingFrom.
 * @returns holds, and the measurement as "λ: crossings/negative, …"
 */
export function validityRegion(rows: Row[], cleanUpTo: number, crossingFrom: number): { holds: boolean; measured: string } {
  checkNumber("cleanUpTo", cleanUpTo, { min: 0 });
  checkNumber("crossingFrom", crossingFrom, { min: cleanUpTo, minOpen: true });
  const c = (r: Row) => r["coordinates with a u ± v sign change"] as number;
  const neg = (r: Row) => r["Δ∞ < 0 entries"] as number;
  const holds = rows.every((r) => ((r.λ as number) <= cleanUpTo ? c(r) === 0 : (r.λ as number) >= crossingFrom ? c(r) > 0 && neg(r) > 0 : true));
  return { holds, measured: rows.map((r) => `${r.λ}: ${c(r)}/${neg(r)}`).join(", ") };
}

/** A trend check for a Claims cell: whether it holds, and the numbers as text. */
export interface Trend {
  holds: boolean;
  measured: string;
}

/**
 * Claim 03.b measured: the local slopes of the first-order error increase with λ (the next-order terms fade as λ
 * shrinks, so the slope approaches 2 from above).
 */
export function firstOrderSlopeTrend(scaling: FirstOrderScaling): Trend {
  const s = firstOrderSlopes(scaling);
  return { holds: s.length > 0 && s.every((x, i) => i === 0 || x > s[i - 1]), measured: s.map((x) => x.toFixed(2)).join(" < ") };
}

/** Claim 03.d measured: the number of crossing coordinates does not decrease as λ grows (rows of crossingRows). */
export function crossingGrowth(rows: Row[]): Trend {
  const c = rows.slice().sort((a, b) => (a.λ as number) - (b.λ as number)).map((r) => r["coordinates with a u ± v sign change"] as number);
  return { holds: c.every((x, i) => i === 0 || x >= c[i - 1]), measured: c.join(" ≤ ") };
}

/** Claim 03.c measured: on every draw the median Δ∞/Δ₀ on the support is below the median off it (rows of shrinkageOverDraws). */
export function supportShrinksMore(rows: Row[]): Trend {
  const on = rows.map((r) => r["median Δ∞/Δ₀ on supp"] as number), off = rows.map((r) => r["median off supp"] as number);
  return { holds: on.every((m, i) => m < off[i]), measured: on.map((m, i) => `${m.toFixed(2)} < ${off[i].toFixed(2)}`).join("; ") };
}

/**
 * The λ of the runs the identities apply to, for a claim's label, and those left out: "λ = 0.05, 0.1" or
 * "λ = 0.05, 0.1; λ = 0.3 left out (u ± v crosses)".
 */
export function validLambdasLabel(runs: FlowResult[]): string {
  const { valid } = splitByCrossing(runs);
  const left = runs.filter((r) => !valid.includes(r)).map((r) => r.lambda);
  const head = `λ = ${valid.map((r) => r.lambda).join(", ") || "none"}`;
  return left.length ? `${head}; λ = ${left.join(", ")} left out (u ± v crosses)` : head;
}
