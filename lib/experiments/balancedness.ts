/**
 * The analyses of notebook 03 (balancedness): what momentum does to Δ = u² − v² along MGF. Δ_t per coordinate,
 * GF's conservation, the monotone decrease under MGF, the residuals of the exact identities (08-theory.ipynb#balancedness-identity,
 * #mirror-identity) and shrinkage on and off the support of w*. The first-order prediction is in
 * balancedness-first-order.ts, the draws in balancedness-draws.ts, the crossings in balancedness-crossings.ts.
 *
 * Every function takes finished runs (momentumFlow/gradientFlow results) and returns numbers or rows for a table or
 * a chart; the rows keep the column names the notebook prints. A run in which some u ± v changed sign is never fed
 * to a log-form formula: the functions skip it and say so (its `note`, 08-theory.ipynb#no-crossing), so a notebook
 * cell reports "does not apply" instead of a NaN.
 */
import { deltaInfinity, mgfIdentityResidual } from "../bias/balancedness";
import type { FlowResult } from "../dynamics/flows";
import type { Problem } from "../model/problems";
import { checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";

/** One row of a table or a chart: the experiments return these, the figures and tables take them. */
export type Row = Record<string, string | number | boolean | null>;

/** A state with u and v (a FlowSample, an MGD run's final iterate). */
export type UV = { u: Float64Array; v: Float64Array };

/**
 * The runs a function was given, checked: a non-empty array of flow results.
 * @param name the argument's name, for the message; @param runs the value
 * @returns runs, typed
 * @throws RangeError for an empty list; TypeError for an entry without points and final
 * @example checkRuns("runs", [momentumFlow(p, { lambda: 0.1, T: 10 })])
 */
export function checkRuns(name: string, runs: unknown): FlowResult[] {
  if (!Array.isArray(runs) || runs.length === 0) throw new RangeError(`${name} must be a non-empty array of momentumFlow results`);
  runs.forEach((r, i) => {
    if (!r || typeof r !== "object" || !Array.isArray((r as FlowResult).points) || !(r as FlowResult).final) {
      throw new TypeError(`${name}[${i}] must be a momentumFlow/gradientFlow result (with points and final)`);
    }
  });
  return runs as FlowResult[];
}

/**
 * Coordinate indices in [0, d).
 * @param support the indices; @param d the dimension; @param name the argument's name (default "support")
 * @returns support, typed
 * @throws TypeError if not an array; TypeError/RangeError naming the entry that is not an integer in [0, d)
 * @example checkSupport([5, 11], 100) // [5, 11]
 */
export function checkSupport(support: unknown, d: number, name = "support"): number[] {
  if (!Array.isArray(support)) throw new TypeError(`${name} must be an array of coordinate indices`);
  support.forEach((j, i) => checkInteger(`${name}[${i}]`, j, { min: 0, max: d - 1 }));
  return support as number[];
}

/**
 * Median of a non-empty list (mean of the two middle values for an even count).
 * @param xs the numbers
 * @returns the median
 * @throws RangeError for an empty list
 * @example median([4, 1, 3, 2]) // 2.5
 */
export function median(xs: ArrayLike<number>): number {
  if (xs == null || typeof xs.length !== "number" || xs.length === 0) throw new RangeError("median needs a non-empty list of numbers");
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/**
 * Indices of the k smallest entries (ascending by value; ties keep index order).
 * @param x the values; @param k how many, 0 ≤ k ≤ length
 * @returns k indices
 * @throws RangeError unless 0 ≤ k ≤ length
 * @example smallestIndices(Float64Array.of(3, 1, 2), 2) // [1, 2]
 */
export function smallestIndices(x: Float64Array, k: number): number[] {
  checkInteger("k", k, { min: 0, max: x.length });
  return Array.from(x, (_, j) => j).sort((a, b) => x[a] - x[b]).slice(0, k);
}

/** A trend check for a Claims cell: whether it holds, and the numbers as text. */
export interface Trend {
  holds: boolean;
  measured: string;
}

/**
 * The support of the planted vector w*: the coordinates j with w*_j ≠ 0, ascending.
 * @param p a problem with a planted vector
 * @returns the indices
 * @throws TypeError if p is not a problem; RangeError if it has no planted vector
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
 * @returns count + 1 non-decreasing times, the last = T
 * @throws TypeError/RangeError for T ≤ first, first ≤ 0 or count < 2
 * @example logSampleTimes(100, 3, 1) // [0, 1, 10, 100]
 */
export function logSampleTimes(T: number, count = 800, first = 0.01): number[] {
  checkNumber("first", first, { min: 0, minOpen: true });
  checkNumber("T", T, { min: first, minOpen: true });
  checkInteger("count", count, { min: 2 });
  return [0, ...Array.from({ length: count }, (_, i) => Math.min(T, first * (T / first) ** (i / (count - 1))))];
}

/**
 * Sample times 0, until/(count−1), …, until evenly spaced, then T (if T > until): a dense look at the start of a
 * run that still ends at T.
 * @param until last evenly spaced time > 0; @param count number of evenly spaced times ≥ 2; @param T final time ≥ until
 * @returns the times
 * @throws TypeError/RangeError for until ≤ 0, count < 2 or T < until
 * @example evenSampleTimes(1, 3, 10) // [0, 0.5, 1, 10]
 */
export function evenSampleTimes(until: number, count: number, T: number): number[] {
  checkNumber("until", until, { min: 0, minOpen: true });
  checkInteger("count", count, { min: 2 });
  checkNumber("T", T, { min: until });
  const out = Array.from({ length: count }, (_, i) => (i === count - 1 ? until : (until * i) / (count - 1)));
  return T > until ? [...out, T] : out;
}

/**
 * Δ/Δ₀ = (u² − v²)/Δ₀ per coordinate.
 * @param state {u, v}; @param Delta0 Δ₀ > 0 (number or vector)
 * @returns a new vector
 * @throws TypeError/RangeError for mismatched u, v or a non-positive Δ₀
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
 * @returns the drift (solver error for GF)
 * @throws TypeError/RangeError for a malformed run or Δ₀
 * @example balancednessDrift(gradientFlow(p, { T: 300, rtol: 1e-10 }), 0.02) // 2.9e-11 on seed 0
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
 * @param flow a run sampled at several times; @param Delta0 Δ₀
 * @returns the largest (Δ_{t_i} − Δ_{t_{i−1}})/Δ₀ (negative if Δ decreases everywhere)
 * @throws RangeError if the run has fewer than 2 samples
 * @example largestIncrease(momentumFlow(p, { lambda: 0.2, T: 300, times }), 0.02) // 5.2e-16 on seed 0
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
 * @param run a flow result
 * @returns valid, and a note naming the first crossing (coordinate, which of u ± v, time) or the non-positive Δ∞ entry
 * @throws TypeError for a malformed run
 * @example runValidity(momentumFlow(p, { lambda: 0.3, T: 300 })).note // "λ = 0.3: u-v of coordinate 11 changes sign at t = 2.00 …"
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

/**
 * The runs to which the identities apply, and one note per run that is left out.
 * @param runs flow results
 * @returns {valid, skipped}
 * @throws RangeError/TypeError for an empty or malformed list
 * @example splitByCrossing(runs).valid.map((r) => r.lambda) // [0.05, 0.1, 0.2]
 */
export function splitByCrossing(runs: FlowResult[]): { valid: FlowResult[]; skipped: string[] } {
  checkRuns("runs", runs);
  const checks = runs.map(runValidity);
  return { valid: runs.filter((_, i) => checks[i].valid), skipped: checks.filter((c) => !c.valid).map((c) => c.note) };
}

/**
 * The λ of the runs the identities apply to, for a claim's label, and those left out.
 * @param runs flow results
 * @returns "λ = 0.05, 0.1" or "λ = 0.05, 0.1; λ = 0.3 left out (u ± v crosses)"
 * @throws RangeError/TypeError for an empty or malformed list
 * @example checkClaim("S7.7", `… (${validLambdasLabel(runs)})`, worst, { max: 1e-9 })
 */
export function validLambdasLabel(runs: FlowResult[]): string {
  const { valid } = splitByCrossing(runs);
  const left = runs.filter((r) => !valid.includes(r)).map((r) => r.lambda);
  const head = `λ = ${valid.map((r) => r.lambda).join(", ") || "none"}`;
  return left.length ? `${head}; λ = ${left.join(", ")} left out (u ± v crosses)` : head;
}

/**
 * One row per MGF run: solver steps, time, loss at T, sign changes, the range of Δ∞/Δ₀ and the largest step up of
 * Δ_t/Δ₀ (claim S7.6).
 * @param runs momentumFlow results (several samples each); @param Delta0 Δ₀
 * @returns the rows
 * @throws RangeError/TypeError for an empty or malformed list, or a run with a single sample
 * @example showTable(mgfDeltaRows(runs, 0.02), { caption: mgfDeltaCaption(runs, 300) })
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
 * @returns the caption
 * @throws RangeError/TypeError for an empty or malformed list
 * @example mgfDeltaCaption(runs, 300) // "MGF to T = 300: no u ± v sign change for λ = 0.05, 0.1, 0.2, …"
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
 * Long rows for a per-coordinate chart of Δ_t/Δ₀ along several runs: the support and every `every`-th other
 * coordinate, every `stride`-th sample inside [tMin, tMax].
 * @param runs flows sampled at many times; @param Delta0 Δ₀; @param support the coordinates of supp(w*); @param o every, stride, tMin, tMax
 * @returns rows {t, Δ_t/Δ₀, i, on supp w*, λ ("λ = 0.1")}
 * @throws RangeError/TypeError for bad runs, coordinates or options
 * @example deltaPathChart(deltaPathRows(runs, 0.02, supportOf(p)))
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
 * Δ∞/Δ₀ on and off the support, per run.
 * @param runs flow results; @param Delta0 Δ₀; @param support the coordinates of supp(w*)
 * @returns rows {λ, on supp: Δ∞/Δ₀ (3 decimals each), median off supp, min off supp, k smallest Δ∞ on supp (k = |support|)}
 * @throws RangeError/TypeError for bad runs or coordinates
 * @example shrinkageRows(runs, 0.02, supportOf(p))[2]["5 smallest Δ∞ on supp"] // 4 on seed 0 at λ = 0.2
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
 * @returns per run the series of largest residuals, and the worst over all runs; the runs left out with their notes
 * @throws RangeError if every run crosses (the identities apply to none), or a run has no integrals
 * @example identityResiduals(runs, 0.02).worstBalancedness // 4.3e-11 at rtol 1e-10, seed 0
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
 * Chart rows of an identity check, every `every`-th sample; residuals are floored at 1e-17 for a log axis.
 * @param check from identityResiduals; @param every keep one sample in `every` (default 8)
 * @returns rows {t, max residual, identity, λ}
 * @throws TypeError/RangeError for a non-integer every < 1
 * @example identityResidualChart(residualRows(identityResiduals(runs, 0.02)), 1e-10)
 */
export function residualRows(check: IdentityCheck, every = 8): Row[] {
  checkInteger("every", every, { min: 1 });
  return check.runs.flatMap((r) => r.series.filter((_, i) => i % every === 0).flatMap((x) => [
    { t: x.t, "max residual": Math.max(x.balancedness, 1e-17), identity: "balancedness (claim 7)", λ: String(r.lambda) },
    { t: x.t, "max residual": Math.max(x.mirror, 1e-17), identity: "mirror (claim 8)", λ: String(r.lambda) },
  ]));
}

/**
 * One line about an identity check: the largest residuals, then one line per run left out, with its reason.
 * @param check from identityResiduals; @param d the number of coordinates
 * @returns the text
 * @throws TypeError if check is malformed
 * @example console.log(describeIdentityCheck(identityResiduals(runs, 0.02), 100))
 */
export function describeIdentityCheck(check: IdentityCheck, d: number): string {
  if (!check || !Array.isArray(check.runs) || check.runs.length === 0) throw new TypeError("check must come from identityResiduals");
  const n = check.runs[0].series.length;
  const head = `largest residual over all ${n} times × ${d} coordinates × ${check.runs.length} λ (${check.runs.map((r) => r.lambda).join(", ")}): ` +
    `balancedness ${check.worstBalancedness.toExponential(2)}, mirror ${check.worstMirror.toExponential(2)}`;
  return [head, ...check.skipped.map((s) => `not checked — ${s}`)].join("\n");
}

/**
 * Whether the exact identity can be evaluated at the end of a run: after a crossing `mgfIdentityResidual` refuses
 * with a RangeError that names the coordinate; this returns its message instead of throwing.
 * @param run a flow with `integrals: true`; @param Delta0 Δ₀
 * @returns applies, and the library's message (or the run's validity note)
 * @throws TypeError for a malformed run; errors other than the refusal are rethrown
 * @example identityStatus(momentumFlow(p, { lambda: 0.5, T: 300, integrals: true }), 0.02).applies // false
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
