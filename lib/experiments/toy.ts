/**
 * The analyses of notebook 07 (the 2-D picture): flows MGF_λ on a small problem for a list of λ (GF for λ = 0), their
 * limits and balancedness, trajectories thinned evenly in arc length, a log-spaced grid of λ, the threshold λc above
 * which some u ± v changes sign (bisection), the overdamping estimate, and discrete MGD landing on the same limits.
 *
 * Names: `lambda` = λ (the mass of MGF_λ; 0 = gradient flow), `alpha` = α (u₀ = √2α, v₀ = 0), `Delta` = Δ = u² − v²,
 * `w` = u ⊙ v the regression vector.
 */
import { distance, largestEigenvalueXtX } from "../core/linalg";
import { checkInteger, checkNumber } from "../core/validate";
import { gradientFlow, momentumFlow, type FlowResult } from "../dynamics/flows";
import { runMomentum } from "../dynamics/optimizers";
import { balancedness } from "../model/dln";
import { secondOrderParams } from "../model/momentum";
import type { Problem } from "../model/problems";
import { checkNumberList } from "./path";

/** A flow with the λ it was solved for. */
export interface LambdaFlow {
  lambda: number;
  flow: FlowResult;
}

function checkOptions<T>(name: string, opts: T): T {
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name} needs an options object`);
  return opts;
}

/** The default horizon of a toy flow: long enough for MGF_λ to settle, T = 100 + 40λ. */
export function toyHorizon(lambda: number): number {
  return 100 + 40 * checkNumber("lambda", lambda, { min: 0 });
}

/**
 * MGF_λ (GF for λ = 0) from u₀ = √2α, v₀ = 0, sampled at `samples` evenly spaced times in [0, T] (T included),
 * solved tightly (rtol 1e-10, atol 1e-14).
 * @param opts.lambda λ ≥ 0; opts.alpha α > 0; opts.T horizon (default toyHorizon(λ)); opts.samples ≥ 2 (default 4000)
 * @example toyFlow(toyProblem(), { lambda: 0, alpha: 0.1 }).flow.final.w // ≈ (0.965, 0.069)
 */
export function toyFlow(problem: Problem, opts: { lambda: number; alpha: number; T?: number; samples?: number }): LambdaFlow {
  checkOptions("toyFlow", opts);
  const lambda = checkNumber("lambda", opts.lambda, { min: 0 });
  const T = checkNumber("T", opts.T ?? toyHorizon(lambda), { min: 0, minOpen: true });
  const m = checkInteger("samples", opts.samples ?? 4000, { min: 2 });
  const times = Array.from({ length: m }, (_, i) => (i === m - 1 ? T : (T * i) / (m - 1)));
  const base = { alpha: opts.alpha, T, times, rtol: 1e-10, atol: 1e-14 };
  return { lambda, flow: lambda === 0 ? gradientFlow(problem, base) : momentumFlow(problem, { ...base, lambda }) };
}

/**
 * toyFlow for each λ of a list.
 * @param opts.lambdas λ ≥ 0, each once; opts.alpha; opts.samples
 */
export function toyFlows(problem: Problem, opts: { lambdas: number[]; alpha: number; samples?: number }): LambdaFlow[] {
  checkOptions("toyFlows", opts);
  return checkNumberList("lambdas", opts.lambdas, { min: 0 }).map((lambda) => toyFlow(problem, { lambda, alpha: opts.alpha, samples: opts.samples }));
}

/**
 * Keep m points of a path evenly spaced in arc length of w (fast early motion and slow tails get the same share);
 * consecutive repeats are dropped, so fewer than m points may come back.
 * @param points the path's points (at least one)
 * @param m points to keep, ≥ 2
 * @example thinByArcLength(flow.points, 150)
 */
export function thinByArcLength<P extends { w: Float64Array }>(points: P[], m: number): P[] {
  if (!Array.isArray(points) || points.length === 0) throw new TypeError("points must be a non-empty array of path points");
  checkInteger("m", m, { min: 2 });
  const s = [0];
  for (let i = 1; i < points.length; i++) s.push(s[i - 1] + distance(points[i].w, points[i - 1].w));
  const out: P[] = [];
  for (let q = 0, j = 0; q < m; q++) {
    while (j < points.length - 1 && s[j] < (s[s.length - 1] * q) / (m - 1)) j++;
    if (out[out.length - 1] !== points[j]) out.push(points[j]);
  }
  return out;
}

/**
 * log₁₀ λ from `from` to `to` in steps of `step`, rounded to the step's decimals (so −0.3 is exactly −0.3).
 * @example logLambdaGrid(-2, 1, 0.1).length // 31
 */
export function logLambdaGrid(from: number, to: number, step: number): number[] {
  checkNumber("from", from);
  checkNumber("to", to, { min: from, minOpen: true });
  checkNumber("step", step, { min: 0, minOpen: true });
  const n = Math.round((to - from) / step);
  if (Math.abs(n * step - (to - from)) > 1e-9 * Math.max(1, Math.abs(to - from))) throw new RangeError(`(to − from)/step must be an integer, got (${to} − ${from})/${step}`);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) + 1e-9)) + 1;
  const scale = 10 ** decimals;
  return Array.from({ length: n + 1 }, (_, i) => Math.round((from + step * i) * scale) / scale);
}

/** Where a flow ended and what happened to its balancedness. */
export interface ToyLimit {
  lambda: number;
  T: number;
  w: Float64Array;
  loss: number;
  /** Δ∞,i / Δ₀,i per coordinate (negative once u_i − v_i or u_i + v_i has changed sign). */
  deltaRatio: Float64Array;
  /** Number of (coordinate, u ± v) sign changes. */
  signChanges: number;
  wallMs: number;
}

/** The limit, loss, Δ∞/Δ₀ and sign changes of a flow (Δ₀ from its first sample, which must be at t = 0). */
export function limitSummary(f: LambdaFlow): ToyLimit {
  const first = f.flow.points[0];
  if (first.t !== 0) throw new RangeError(`the flow's first sample is at t = ${first.t}; limitSummary needs the start (t = 0) for Δ₀`);
  const d0 = balancedness(first.u, first.v);
  const dInf = balancedness(f.flow.final.u, f.flow.final.v);
  return {
    lambda: f.lambda, T: f.flow.final.t, w: f.flow.final.w, loss: f.flow.final.loss, deltaRatio: dInf.map((x, i) => x / d0[i]),
    signChanges: f.flow.signChanges.length, wallMs: f.flow.stats.wallMs,
  };
}

/** A bisection for the smallest λ at which a flow's u ± v changes sign. */
export interface CrossingThreshold {
  /** Whether lo has no crossing and hi has one (else no bisection was done). */
  bracketOk: boolean;
  lo: number;
  hi: number;
  /** (lo + hi)/2 after the bisection. */
  lambdaC: number;
  /** Which sign changes counted: "u+v", "u-v" or both. */
  which: "u+v" | "u-v" | "both";
}

/**
 * Bisection on λ for the onset of sign changes of u ± v along MGF_λ (each step solves one toyFlow).
 * @param opts.lo a λ without a crossing; opts.hi a λ with one; opts.steps bisection steps (default 14);
 *   opts.which count only "u+v" or "u-v" changes (default both); opts.alpha; opts.samples (default 4000)
 */
export function crossingThreshold(problem: Problem, opts: { lo: number; hi: number; alpha: number; steps?: number; which?: "u+v" | "u-v" | "both"; samples?: number }): CrossingThreshold {
  checkOptions("crossingThreshold", opts);
  let lo = checkNumber("lo", opts.lo, { min: 0 });
  let hi = checkNumber("hi", opts.hi, { min: lo, minOpen: true });
  const steps = checkInteger("steps", opts.steps ?? 14, { min: 0, max: 60 });
  const which = opts.which ?? "both";
  if (!["u+v", "u-v", "both"].includes(which)) throw new RangeError(`which must be "u+v", "u-v" or "both", got ${JSON.stringify(which)}`);
  const crosses = (lambda: number) => toyFlow(problem, { lambda, alpha: opts.alpha, samples: opts.samples }).flow.signChanges.some((c) => which === "both" || c.which === which);
  const bracketOk = !crosses(lo) && crosses(hi);
  for (let i = 0; i < steps && bracketOk; i++) {
    const mid = 0.5 * (lo + hi);
    if (crosses(mid)) hi = mid;
    else lo = mid;
  }
  return { bracketOk, lo, hi, lambdaC: 0.5 * (lo + hi), which };
}

/**
 * The overdamping estimate: near a limit the flow is λẅ + ẇ + μw ≈ 0 with μ the curvature of F there, the largest
 * eigenvalue of D·XᵀX·D/n with D² = u² + v² (for one sample, Σ x_i²(u_i² + v_i²)); it is overdamped iff 4λμ ≤ 1.
 * @param at the state (u, v) where the curvature is taken (e.g. the GF limit)
 * @returns μ and 1/(4μ), the λ above which oscillations set in
 */
export function overdampingEstimate(problem: Problem, at: { u: Float64Array; v: Float64Array }): { mu: number; lambdaOscillation: number } {
  const scale = at.u.map((u, i) => Math.sqrt(u * u + at.v[i] * at.v[i]));
  const mu = largestEigenvalueXtX(problem.X, problem.n, problem.d, { scale, iterations: 500 });
  return { mu, lambdaOscillation: 1 / (4 * mu) };
}

/** Discrete MGD against a flow's limit. */
export interface DiscreteLimitRow {
  lambda: number;
  gamma: number;
  beta: number;
  iterations: number;
  /** ‖w_K^MGD − w^MGF_λ(T)‖ at the end. */
  distance: number;
}

/**
 * Discrete MGD on the second-order path of each flow (β fixed, γ = 2λ(1−β)²/(1+β), so its modified equation has
 * mass λ) run to the flow's horizon, and the distance of its end point to the flow's limit. λ = 0 (GF) is skipped:
 * no MGD has mass 0.
 * @param flows toyFlows' flows; opts.beta β ∈ [0, 1); opts.alpha α
 */
export function discreteLimits(problem: Problem, flows: LambdaFlow[], opts: { beta: number; alpha: number }): DiscreteLimitRow[] {
  checkOptions("discreteLimits", opts);
  return flows.filter((f) => f.lambda > 0).map((f) => {
    const { gamma, beta } = secondOrderParams({ lambda: f.lambda, beta: opts.beta });
    const run = runMomentum(problem, { gamma, beta, alpha: opts.alpha, stop: { time: f.flow.final.t } });
    return { lambda: f.lambda, gamma, beta, iterations: run.iterations, distance: distance(run.w, f.flow.final.w) };
  });
}

/**
 * The validity region of the log-form identities, on a list of flows: no u ± v sign change for λ ≤ `below`, and a
 * sign change for every λ ≥ `above` (flows in between are not judged).
 * @returns whether both hold, and the sign-change count per λ
 */
export function crossingRegion(rows: ToyLimit[], below: number, above: number): { holds: boolean; counts: { lambda: number; signChanges: number }[] } {
  checkNumber("below", below, { min: 0 });
  checkNumber("above", above, { min: below });
  const counts = rows.map((r) => ({ lambda: r.lambda, signChanges: r.signChanges })).sort((a, b) => a.lambda - b.lambda);
  const holds = counts.every((c) => (c.lambda <= below ? c.signChanges === 0 : c.lambda >= above ? c.signChanges > 0 : true));
  return { holds, counts };
}

/**
 * Is a list of limits' second coordinates strictly increasing in λ? (Sorted by λ first.)
 * @returns the verdict and the values in λ order
 */
export function increasingInLambda(rows: { lambda: number; w: Float64Array }[], coordinate = 1): { holds: boolean; values: number[]; lambdas: number[] } {
  checkInteger("coordinate", coordinate, { min: 0 });
  const sorted = rows.slice().sort((a, b) => a.lambda - b.lambda);
  const values = sorted.map((r) => r.w[coordinate]);
  return { holds: values.every((x, i) => i === 0 || x > values[i - 1]), values, lambdas: sorted.map((r) => r.lambda) };
}

/**
 * Different λ, different limits: the distance between the limits of the smallest positive λ and the largest λ.
 * @throws RangeError without two different positive λ
 */
export function limitContrast(rows: ToyLimit[]): { lambdaSmall: number; lambdaLarge: number; distance: number } {
  const pos = rows.filter((r) => r.lambda > 0);
  if (new Set(pos.map((r) => r.lambda)).size < 2) throw new RangeError("limitContrast needs two different λ > 0");
  const small = pos.reduce((a, r) => (r.lambda < a.lambda ? r : a));
  const large = pos.reduce((a, r) => (r.lambda > a.lambda ? r : a));
  return { lambdaSmall: small.lambda, lambdaLarge: large.lambda, distance: distance(small.w, large.w) };
}
