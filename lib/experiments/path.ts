/**
 * The analyses of notebook 01 (momentum's path): a λ × β grid of MGD runs, the flows MGF_λ they follow, the path
 * error of each run and its order in h, how far apart the paths of different λ are, the modified equation (mass
 * λ(1+β)/2, half a step later), plain GD on the γ/2 path, and the plain-linear-regression sanity runs.
 *
 * Names: `lambda` = λ = γ/(1−β)², `beta` = β (momentum), `gamma` = γ (step size), `h` = γ/(1−β) (continuous time
 * per iteration, iterate k at t_k = k·h), `alpha` = α (initialisation scale), `w` the regression vector.
 */
import { distance } from "../core/linalg";
import { logLogSlope } from "../core/stats";
import { checkInteger, checkNumber, checkVector } from "../core/validate";
import { momentumFlow, linearMomentumFlow, type FlowResult, type FlowSample } from "../dynamics/flows";
import { runMomentum, type RunResult } from "../dynamics/optimizers";
import type { PathPoint, Trajectory } from "../dynamics/trajectory";
import { balancedness } from "../model/dln";
import { paramsForLambda } from "../model/momentum";
import { recoveryError, type Problem } from "../model/problems";

/**
 * A non-empty list of finite numbers, each in `range`, with no repeated value.
 * @throws TypeError/RangeError naming the list, the entry and the allowed range.
 */
export function checkNumberList(name: string, xs: unknown, range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {}): number[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new TypeError(`${name} must be a non-empty array of numbers, got ${Array.isArray(xs) ? "[]" : typeof xs}`);
  const out = xs.map((x, i) => checkNumber(`${name}[${i}]`, x, range));
  const seen = new Set<number>();
  for (const x of out) {
    if (seen.has(x)) throw new RangeError(`${name} lists ${x} twice; give each value once`);
    seen.add(x);
  }
  return out;
}

function checkProblem(problem: unknown): Problem {
  if (problem === null || typeof problem !== "object" || !("X" in problem)) throw new TypeError("problem must be a Problem (see sparseRegression, toyProblem)");
  return problem as Problem;
}

function checkOptions<T>(name: string, opts: T): T {
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name} needs an options object`);
  return opts;
}

/** One MGD run of a λ × β grid, with the (γ, h) that λ and β imply. */
export interface GridRun {
  /** λ = γ/(1−β)². */
  lambda: number;
  /** Momentum β. */
  beta: number;
  /** Step size γ = λ(1−β)². */
  gamma: number;
  /** Continuous time per iteration h = γ/(1−β) = λ(1−β). */
  h: number;
  run: RunResult;
}

/**
 * MGD at every (λ, β) of a grid, with γ = λ(1−β)², run to continuous time T and recorded at the first iterate past
 * each of `times`. Runs sharing λ should follow one path (MGF_λ) when plotted against t = k·h.
 * @param problem the regression problem
 * @param opts.lambdas λ values > 0; opts.betas momenta β ∈ [0, 1); opts.alpha init scale α > 0; opts.T horizon > 0;
 *   opts.times snapshot times in [0, T]
 * @returns runs in λ-major order (all β of lambdas[0] first)
 * @throws TypeError/RangeError naming a bad option (a repeated λ or β included)
 * @example momentumGrid(sparseRegression(), { lambdas: [0.5], betas: [0.9], alpha: 0.1, T: 10, times: [1, 5] })[0].run.iterations // 200
 */
export function momentumGrid(problem: Problem, opts: { lambdas: number[]; betas: number[]; alpha: number; T: number; times: number[] }): GridRun[] {
  checkProblem(problem);
  checkOptions("momentumGrid", opts);
  const lambdas = checkNumberList("lambdas", opts.lambdas, { min: 0, minOpen: true });
  const betas = checkNumberList("betas", opts.betas, { min: 0, max: 1, maxOpen: true });
  const alpha = checkNumber("alpha", opts.alpha, { min: 0, minOpen: true });
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  checkNumberList("times", opts.times, { min: 0, max: T });
  return lambdas.flatMap((lambda) => betas.map((beta) => {
    const { gamma, h } = paramsForLambda({ lambda, beta });
    const run = runMomentum(problem, { gamma, beta, alpha, stop: { time: T }, snapshots: { times: opts.times } });
    return { lambda, beta, gamma, h, run };
  }));
}

/** A flow sampled at known times, with exact lookup by time. */
export interface SampledFlow {
  /** The mass of the flow (λ of MGF_λ; 0 for GF). */
  lambda: number;
  flow: FlowResult;
  /** The sample at time t (one of the requested times), or a RangeError naming t. */
  at(t: number): FlowSample;
}

/** Sorted union of several lists of times (each value once). */
export function unionOfTimes(...lists: number[][]): number[] {
  return Array.from(new Set(lists.flat())).sort((a, b) => a - b);
}

/**
 * MGF with mass `lambda` from the network's default start, sampled at `times` (sorted here), with lookup by time.
 * @param opts.lambda mass ≥ 0; opts.alpha α > 0; opts.times sample times ≥ 0 (T is the largest); opts.rtol (default 1e-8)
 * @throws RangeError for bad options, and from `at(t)` for a time that was not sampled
 */
export function sampledFlow(problem: Problem, opts: { lambda: number; alpha: number; times: number[]; rtol?: number; atol?: number }): SampledFlow {
  checkOptions("sampledFlow", opts);
  const times = unionOfTimes(checkNumberList("times", Array.from(new Set(opts.times)), { min: 0 }));
  const T = times[times.length - 1];
  if (!(T > 0)) throw new RangeError(`times must contain a time > 0, got only ${T}`);
  const flow = momentumFlow(problem, { lambda: opts.lambda, alpha: opts.alpha, T, times, rtol: opts.rtol, atol: opts.atol });
  const byTime = new Map(times.map((t, i) => [t, flow.points[i]]));
  const at = (t: number): FlowSample => {
    const s = byTime.get(t);
    if (s === undefined) throw new RangeError(`the flow with mass ${opts.lambda} was not sampled at t = ${t}`);
    return s;
  };
  return { lambda: opts.lambda, flow, at };
}

/**
 * MGF_λ for every λ of a grid, each sampled at the union of `times` and all snapshot times of that λ's runs, so a
 * run is compared with its flow at its own t_k.
 * @param runs the grid (momentumGrid); opts.alpha α; opts.times extra sample times (e.g. the plot times)
 * @returns one flow per distinct λ, in the order the λ first appear in `runs`
 */
export function gridFlows(problem: Problem, runs: GridRun[], opts: { alpha: number; times: number[]; rtol?: number }): SampledFlow[] {
  checkGridRuns(runs);
  checkOptions("gridFlows", opts);
  const lambdas = Array.from(new Set(runs.map((r) => r.lambda)));
  return lambdas.map((lambda) => {
    const times = unionOfTimes(opts.times, ...runs.filter((r) => r.lambda === lambda).map((r) => r.run.points.map((s) => s.t)));
    return sampledFlow(problem, { lambda, alpha: opts.alpha, times, rtol: opts.rtol });
  });
}

function checkGridRuns(runs: unknown): GridRun[] {
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError("runs must be a non-empty array of grid runs (momentumGrid)");
  return runs as GridRun[];
}

function flowOf(flows: SampledFlow[], lambda: number): SampledFlow {
  const f = flows.find((x) => x.lambda === lambda);
  if (!f) throw new RangeError(`no flow with λ = ${lambda}; flows have λ ∈ {${flows.map((x) => x.lambda).join(", ")}}`);
  return f;
}

/** The largest distance between a path's points and a reference, and where it is reached. */
export interface SupDistance {
  /** sup_k ‖w_k − w^ref(t_k + shift)‖₂ over the path's points. */
  sup: number;
  /** The t_k where the sup is reached. */
  tSup: number;
  /** The distance at the path's final point. */
  end: number;
}

/**
 * sup over a path's points of ‖w_k − w^ref(t_k + shift)‖₂: the path error of a run against a flow.
 * @param path a run or flow (its points and final point)
 * @param ref the reference, looked up at t_k + shift (e.g. SampledFlow.at)
 * @param shift time offset ≥ 0 added to each t_k (default 0; h/2 for the modified equation)
 * @example supDistance(run, flow.at).sup
 */
export function supDistance(path: Trajectory, ref: (t: number) => PathPoint, shift = 0): SupDistance {
  if (!path || !Array.isArray(path.points) || path.points.length === 0) throw new TypeError("path must be a run or flow with points");
  checkNumber("shift", shift, { min: 0 });
  let sup = 0;
  let tSup = path.points[0].t;
  for (const s of path.points) {
    const e = distance(s.w, ref(s.t + shift).w);
    if (e > sup) {
      sup = e;
      tSup = s.t;
    }
  }
  return { sup, tSup, end: distance(path.final.w, ref(path.final.t + shift).w) };
}

/** The path error of one grid run against MGF_λ. */
export interface PathErrorRow extends SupDistance {
  lambda: number;
  beta: number;
  h: number;
  /** C = sup/h: constant in β if the error is O(h). */
  C: number;
}

/**
 * Path error of every run of the grid against its MGF_λ at the same times t_k: sup, where it peaks, the end-point
 * error and C = sup/h.
 * @param runs momentumGrid's runs; flows gridFlows' flows (sampled at the runs' times)
 */
export function gridPathErrors(runs: GridRun[], flows: SampledFlow[]): PathErrorRow[] {
  checkGridRuns(runs);
  return runs.map((r) => {
    const e = supDistance(r.run, flowOf(flows, r.lambda).at);
    return { lambda: r.lambda, beta: r.beta, h: r.h, ...e, C: e.sup / r.h };
  });
}

/** The fitted order of the error in h for one λ. */
export interface OrderFit {
  lambda: number;
  /** Least-squares slope of log err against log h (the order p of err ∝ h^p). */
  slope: number;
  /** Smallest and largest err/h^order over the runs of this λ. */
  Cmin: number;
  Cmax: number;
  /** Runs in the fit. */
  runs: number;
}

/**
 * Per λ, the log–log slope of an error against h and the range of err/h^order (constant if err = C·h^order).
 * A λ whose runs have fewer than two distinct h has no slope and is left out.
 * @param rows rows with lambda, h and the error field
 * @param field the error field (default "sup")
 * @param order the order p in C = err/h^p (default 1)
 * @throws RangeError if no λ has two distinct h, or an error is ≤ 0
 * @example orderFits(gridPathErrors(runs, flows))[0].slope // ≈ 1
 */
export function orderFits<R extends { lambda: number; h: number }>(rows: R[], field: keyof R & string = "sup" as keyof R & string, order = 1): OrderFit[] {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError("rows must be a non-empty array of { lambda, h, … }");
  checkNumber("order", order, { min: 0, minOpen: true });
  const lambdas = Array.from(new Set(rows.map((r) => r.lambda)));
  const fits: OrderFit[] = [];
  for (const lambda of lambdas) {
    const mine = rows.filter((r) => r.lambda === lambda);
    if (new Set(mine.map((r) => r.h)).size < 2) continue;
    const hs = mine.map((r) => r.h);
    const errs = mine.map((r) => Number(r[field]));
    const C = mine.map((r, i) => errs[i] / r.h ** order);
    fits.push({ lambda, slope: logLogSlope(hs, errs), Cmin: Math.min(...C), Cmax: Math.max(...C), runs: mine.length });
  }
  if (fits.length === 0) throw new RangeError("orderFits needs, for some λ, runs at two or more distinct h");
  return fits;
}

/**
 * sup over `times` of ‖w^a(t) − w^b(t)‖₂: how far apart two flows' paths are.
 * @param times times at which both flows were sampled
 */
export function flowSeparation(a: SampledFlow, b: SampledFlow, times: number[]): number {
  checkNumberList("times", times, { min: 0 });
  return Math.max(...times.map((t) => distance(a.at(t).w, b.at(t).w)));
}

/** How far apart the flows of two λ are, against the spread of their runs. */
export interface BundlePair {
  lambdaA: number;
  lambdaB: number;
  /** sup_t ‖w^MGF_λA(t) − w^MGF_λB(t)‖ over the plot times. */
  separation: number;
  /** Bundle radii: the largest sup path error among each λ's runs. */
  radiusA: number;
  radiusB: number;
  /** separation / (radiusA + radiusB): above 1, the two bundles of runs cannot touch. */
  ratio: number;
}

/** Every pair of λ of the grid, and the summary the seed quote is checked with. */
export interface BundleSeparation {
  pairs: BundlePair[];
  /** The pair with the smallest ratio. */
  worst: BundlePair;
  /** The pair whose flows are closest (smallest separation). */
  closest: BundlePair;
  /** The widest bundle: the largest sup path error of any run. */
  maxRadius: number;
}

/**
 * Each λ's runs form a bundle of radius max_β(sup err) around MGF_λ; for every pair of λ, compare the distance
 * between their flows with the sum of the two radii.
 * @param flows gridFlows' flows; errors gridPathErrors' rows; times the times at which to compare the flows
 * @throws RangeError if there are fewer than two λ
 */
export function bundleSeparation(flows: SampledFlow[], errors: PathErrorRow[], times: number[]): BundleSeparation {
  const lambdas = Array.from(new Set(errors.map((e) => e.lambda)));
  if (lambdas.length < 2) throw new RangeError(`bundleSeparation needs at least two λ, got {${lambdas.join(", ")}}`);
  const radius = (l: number) => Math.max(...errors.filter((e) => e.lambda === l).map((e) => e.sup));
  const pairs: BundlePair[] = [];
  for (let a = 0; a < lambdas.length; a++) {
    for (let b = a + 1; b < lambdas.length; b++) {
      const separation = flowSeparation(flowOf(flows, lambdas[a]), flowOf(flows, lambdas[b]), times);
      const radiusA = radius(lambdas[a]), radiusB = radius(lambdas[b]);
      pairs.push({ lambdaA: lambdas[a], lambdaB: lambdas[b], separation, radiusA, radiusB, ratio: separation / (radiusA + radiusB) });
    }
  }
  const worst = pairs.reduce((m, p) => (p.ratio < m.ratio ? p : m));
  const closest = pairs.reduce((m, p) => (p.separation < m.separation ? p : m));
  return { pairs, worst, closest, maxRadius: Math.max(...errors.map((e) => e.sup)) };
}

/** The smallest against the largest λ of a grid. */
export interface LambdaContrast {
  lambdaSmall: number;
  lambdaLarge: number;
  /** The largest β of the grid: the runs with the smallest discretisation error. */
  beta: number;
  /** sup_t ‖w^MGF_small(t) − w^MGF_large(t)‖ over `times`. */
  separation: number;
  /** Largest sup path error of the β runs of the two λ. */
  discretisation: number;
  /** separation / discretisation. */
  ratio: number;
  /** ‖w^MGF_small(T) − w^MGF_large(T)‖ at the flows' end. */
  endDistance: number;
}

/**
 * Different λ, different paths: the distance between the flows of the smallest and the largest λ of the grid,
 * against the discretisation error of their runs at the largest β (the smallest h).
 * @throws RangeError if the grid has a single λ
 */
export function lambdaContrast(flows: SampledFlow[], errors: PathErrorRow[], times: number[]): LambdaContrast {
  const lambdas = errors.map((e) => e.lambda);
  const lambdaSmall = Math.min(...lambdas), lambdaLarge = Math.max(...lambdas);
  if (lambdaSmall === lambdaLarge) throw new RangeError(`lambdaContrast needs two different λ, got only ${lambdaSmall}`);
  const beta = Math.max(...errors.map((e) => e.beta));
  const a = flowOf(flows, lambdaSmall), b = flowOf(flows, lambdaLarge);
  const separation = flowSeparation(a, b, times);
  const discretisation = Math.max(...errors.filter((e) => e.beta === beta && (e.lambda === lambdaSmall || e.lambda === lambdaLarge)).map((e) => e.sup));
  return { lambdaSmall, lambdaLarge, beta, separation, discretisation, ratio: separation / discretisation, endDistance: distance(a.flow.final.w, b.flow.final.w) };
}

/** Two runs of one λ whose steps h are (as nearly as the grid allows) in ratio 2. */
export interface HalvingRatio {
  lambda: number;
  /** β of the run with the larger h, and of the run with the smaller h. */
  betaLarge: number;
  betaSmall: number;
  /** h_large / h_small (2 for β = 0.9 and 0.95). */
  hRatio: number;
  /** err_large / err_small: equal to hRatio if the error is linear in h. */
  errRatio: number;
}

/**
 * Does halving h halve the error? Among the runs of `lambda`, the pair whose h ratio is closest to 2.
 * @throws RangeError if `lambda` has fewer than two runs in `errors`
 * @example halvingRatio(errors, 0.5) // { betaLarge: 0.9, betaSmall: 0.95, hRatio: 2, errRatio: ≈ 2.01 }
 */
export function halvingRatio(errors: PathErrorRow[], lambda: number): HalvingRatio {
  const mine = errors.filter((e) => e.lambda === lambda);
  if (mine.length < 2) throw new RangeError(`halvingRatio needs two runs at λ = ${lambda}; the grid has λ ∈ {${Array.from(new Set(errors.map((e) => e.lambda))).join(", ")}}`);
  let best: HalvingRatio | null = null;
  for (const a of mine) {
    for (const b of mine) {
      if (!(a.h > b.h)) continue;
      const cand = { lambda, betaLarge: a.beta, betaSmall: b.beta, hRatio: a.h / b.h, errRatio: a.sup / b.sup };
      if (best === null || Math.abs(Math.log(cand.hRatio / 2)) < Math.abs(Math.log(best.hRatio / 2))) best = cand;
    }
  }
  if (best === null) throw new RangeError(`halvingRatio needs two different h at λ = ${lambda}`);
  return best;
}

/** The value of `xs` nearest to `target` (the first one on a tie). */
export function nearestValue(xs: number[], target: number): number {
  checkNumberList("xs", xs);
  checkNumber("target", target);
  return xs.reduce((m, x) => (Math.abs(x - target) < Math.abs(m - target) ? x : m));
}

/** Has the flow settled by T? Its loss at T and how much ‖w − w*‖ still moves over the last stretch. */
export interface SettleRow {
  lambda: number;
  lossAtT: number;
  /** ‖w − w*‖ at the sample nearest tLate, and at T. */
  errLate: number;
  errAtT: number;
  /** |errAtT − errLate|. */
  drift: number;
  steps: number;
  wallMs: number;
}

/**
 * How settled each flow is at its end: the loss at T and the drift of ‖w − w*‖ between tLate and T.
 * @param tLate a time before T (the sample nearest to it is used)
 * @throws RangeError if the problem has no planted w*
 */
export function flowSettling(problem: Problem, flows: SampledFlow[], tLate: number): SettleRow[] {
  checkNumber("tLate", tLate, { min: 0 });
  return flows.map((f) => {
    const pts = f.flow.points;
    const late = pts.reduce((a, s) => (Math.abs(s.t - tLate) < Math.abs(a.t - tLate) ? s : a));
    const errLate = recoveryError(problem, late.w), errAtT = recoveryError(problem, f.flow.final.w);
    return { lambda: f.lambda, lossAtT: f.flow.final.loss, errLate, errAtT, drift: Math.abs(errAtT - errLate), steps: f.flow.stats.steps, wallMs: f.flow.stats.wallMs };
  });
}

/** One run against the three references of the modified equation. */
export interface ModifiedEquationGridRow {
  lambda: number;
  beta: number;
  h: number;
  /** The second-order mass λ(1+β)/2 = λ − h/2. */
  mass: number;
  /** sup_k ‖w_k − w^MGF_λ(t_k)‖: the first-order reference. */
  firstOrder: number;
  /** sup_k ‖w_k − w^MGF_mass(t_k)‖: the right mass at the wrong time. */
  massOnly: number;
  /** sup_k ‖w_k − w^MGF_mass(t_k + shift·h)‖: the modified equation. */
  secondOrder: number;
  /** Where the second-order error peaks. */
  tSup: number;
}

/**
 * The modified equation of heavy ball. MGD's recursion, expanded to second order in h, is the flow
 * λ(1+β)/2·θ̈ + θ̇ + ∇F = 0 (mass λ − h/2), and its start w₋₁ = w₀ puts the zero velocity half a step before
 * t = 0, so iterate k sits at t_k + h/2 on that flow. For every run of the grid this measures the path error
 * against MGF_λ at t_k, against the mass-λ(1+β)/2 flow at t_k, and against it at t_k + shift·h.
 * @param runs momentumGrid's runs; flows gridFlows' flows (for the first-order error)
 * @param opts.alpha α; opts.shift the time offset in units of h (default 0.5); opts.rtol of the new flows (default 1e-10)
 * @returns one row per run
 * @example modifiedEquationGrid(problem, runs, flows, { alpha: 0.1 })[0].secondOrder // ≈ 5.5e-4 at λ = 0.5, β = 0.9
 */
export function modifiedEquationGrid(problem: Problem, runs: GridRun[], flows: SampledFlow[], opts: { alpha: number; shift?: number; rtol?: number }): ModifiedEquationGridRow[] {
  checkGridRuns(runs);
  checkOptions("modifiedEquationGrid", opts);
  const shift = checkNumber("shift", opts.shift ?? 0.5, { min: 0, max: 10 });
  return runs.map((r) => {
    const mass = (r.lambda * (1 + r.beta)) / 2;
    const dt = shift * r.h;
    const times = r.run.points.map((s) => s.t);
    const mf = sampledFlow(problem, { lambda: mass, alpha: opts.alpha, times: unionOfTimes(times, times.map((t) => t + dt)), rtol: opts.rtol ?? 1e-10, atol: 1e-14 });
    const second = supDistance(r.run, mf.at, dt);
    return {
      lambda: r.lambda, beta: r.beta, h: r.h, mass,
      firstOrder: supDistance(r.run, flowOf(flows, r.lambda).at).sup,
      massOnly: supDistance(r.run, mf.at).sup,
      secondOrder: second.sup, tSup: second.tSup,
    };
  });
}

/** Plain GD at step γ against the two candidate paths, λ = γ/2 and λ = γ. */
export interface GdPathRow {
  /** Mass of the flow compared with. */
  lambda: number;
  /** "modified equation" (λ = γ/2, sampled at t_k + h/2) or "first order" (λ = γ, at t_k). */
  reading: string;
  /** sup_k ‖w_k − w^flow(t_k (+ h/2))‖ over every iterate. */
  sup: number;
  /** ‖w_K − w^flow(t_K)‖ at the end (the flows have settled, so the half step does not matter there). */
  end: number;
  /** max_i |Δ∞,i^GD / Δ∞,i^flow − 1|: how far the balancedness at the end is from the flow's. */
  deltaDeviation: number;
}

/**
 * Which path does plain GD follow? GD at γ (β = 0) has λ = γ/(1−β)² = γ, but its modified equation has mass
 * λ(1+β)/2 = γ/2. Runs GD to time T and compares it with MGF_{γ/2} (at t_k + h/2) and MGF_γ (at t_k).
 * @param opts.gamma GD step γ > 0; opts.alpha α; opts.T horizon > 0
 * @returns the run's K and one row per reading: first the γ/2 path, then the γ path
 */
export function gdPathCheck(problem: Problem, opts: { gamma: number; alpha: number; T: number }): { gamma: number; iterations: number; rows: GdPathRow[] } {
  checkOptions("gdPathCheck", opts);
  const gamma = checkNumber("gamma", opts.gamma, { min: 0, minOpen: true });
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  const run = runMomentum(problem, { gamma, beta: 0, alpha: opts.alpha, stop: { time: T }, snapshots: { every: 1 }, record: ["w", "delta"] });
  const times = run.points.map((s) => s.t);
  const row = (lambda: number, reading: string, shift: number): GdPathRow => {
    const f = sampledFlow(problem, { lambda, alpha: opts.alpha, times: unionOfTimes(times, times.map((t) => t + shift)), rtol: 1e-10, atol: 1e-14 });
    const e = supDistance(run, f.at, shift);
    const dF = balancedness(f.at(run.time).u, f.at(run.time).v);
    const dG = run.delta!;
    let dev = 0;
    for (let j = 0; j < dF.length; j++) dev = Math.max(dev, Math.abs(dG[j] / dF[j] - 1));
    return { lambda, reading, sup: e.sup, end: distance(run.w, f.at(run.time).w), deltaDeviation: dev };
  };
  return { gamma, iterations: run.iterations, rows: [row(gamma / 2, "modified equation", gamma / 2), row(gamma, "first order", 0)] };
}

/** A flow on plain linear regression (no network), with its λ. */
export interface LinearFlow {
  lambda: number;
  flow: Trajectory;
}

/**
 * MGF_λ on plain least squares (the parameter is w itself) for several λ, sampled at the same times.
 * @param opts.lambdas λ ≥ 0 (0 = GF); opts.T horizon; opts.times sample times in [0, T]; opts.w0 start (default 0)
 * @example linearFlows(p, { lambdas: [0, 2], T: 500, times: [0, 250, 500] })
 */
export function linearFlows(problem: Problem, opts: { lambdas: number[]; T: number; times: number[]; w0?: Float64Array }): LinearFlow[] {
  checkOptions("linearFlows", opts);
  const lambdas = checkNumberList("lambdas", opts.lambdas, { min: 0 });
  if (opts.w0 !== undefined) checkVector("w0", opts.w0, problem.d);
  return lambdas.map((lambda) => ({ lambda, flow: linearMomentumFlow(problem, { lambda, T: opts.T, times: opts.times, w0: opts.w0, rtol: 1e-10, atol: 1e-14 }) }));
}

/** One MGD run on plain linear regression, run to a tiny loss. */
export interface LinearRunRow {
  gamma: number;
  beta: number;
  lambda: number;
  iterations: number;
  time: number;
  /** ‖w_K − w_ref‖₂ (w_ref: e.g. the minimum-ℓ2 interpolator). */
  distance: number;
}

/**
 * MGD on plain linear regression from w₀ = 0 for several (γ, β), each run until the loss is below `loss`, and the
 * distance of its end point to `wRef`. From 0 every iterate stays in the row space of X, so a convergent run ends
 * at the minimum-ℓ2 interpolator whatever λ is.
 * @param opts.steps (γ, β) pairs; opts.wRef reference vector; opts.loss stop (default 1e-26); opts.maxIterations (default 1e6)
 */
export function linearRegressionRuns(problem: Problem, opts: { steps: { gamma: number; beta: number }[]; wRef: Float64Array; loss?: number; maxIterations?: number }): LinearRunRow[] {
  checkOptions("linearRegressionRuns", opts);
  if (!Array.isArray(opts.steps) || opts.steps.length === 0) throw new TypeError("steps must be a non-empty array of { gamma, beta }");
  checkVector("wRef", opts.wRef, problem.d);
  const loss = checkNumber("loss", opts.loss ?? 1e-26, { min: 0, minOpen: true });
  const maxIterations = checkInteger("maxIterations", opts.maxIterations ?? 1e6, { min: 1 });
  return opts.steps.map(({ gamma, beta }) => {
    const r = runMomentum(problem, { model: "linear", gamma, beta, stop: { loss }, maxIterations });
    return { gamma: r.gamma, beta: r.beta, lambda: r.lambda, iterations: r.iterations, time: r.time, distance: distance(r.w, opts.wRef) };
  });
}

/**
 * One MGD run next to its flow MGF_λ: the run recorded at the first iterate past each of `times`, the flow sampled
 * at exactly those iterates' times, and the largest gap.
 * @param opts.lambda λ > 0; opts.beta β; opts.alpha α; opts.T horizon; opts.times snapshot times
 */
export function runAgainstFlow(problem: Problem, opts: { lambda: number; beta: number; alpha: number; T: number; times: number[] }): GridRun & { flow: SampledFlow; gap: SupDistance } {
  const [one] = momentumGrid(problem, { lambdas: [opts.lambda], betas: [opts.beta], alpha: opts.alpha, T: opts.T, times: opts.times });
  const flow = sampledFlow(problem, { lambda: one.lambda, alpha: opts.alpha, times: one.run.points.map((s) => s.t) });
  return { ...one, flow, gap: supDistance(one.run, flow.at) };
}

/** The first-order constant C of one λ, predicted from the flow alone. */
export interface FirstOrderConstant {
  lambda: number;
  /** C = ½ sup_t ‖ẇ(t) − ∂w/∂λ(t)‖ over the sample times. */
  C: number;
  /** Where the sup is reached. */
  tSup: number;
}

/**
 * The constant of the O(h) path error, from the modified equation. MGD sits (to second order) on the flow with mass
 * λ − h/2 at time t_k + h/2, so w_k − w^MGF_λ(t_k) ≈ (h/2)·(ẇ − ∂w/∂λ)(t_k): the path error is C·h with
 * C = ½ sup_t ‖ẇ(t) − ∂w/∂λ(t)‖, a property of MGF_λ alone. ẇ = u̇⊙v + u⊙v̇ comes from the flow; ∂w/∂λ from
 * two more flows at λ(1 ± relStep) (central difference).
 * @param flows flows MGF_λ sampled at `times` (gridFlows); opts.alpha α; opts.times the times of the sup;
 *   opts.relStep relative step of the difference in λ (default 1e-3)
 * @returns one row per flow with λ > 0
 * @example firstOrderConstants(problem, flows, { alpha: 0.1, times })[0].C // ≈ 1.18 at λ = 0.2 (seed 0)
 */
export function firstOrderConstants(problem: Problem, flows: SampledFlow[], opts: { alpha: number; times: number[]; relStep?: number }): FirstOrderConstant[] {
  checkOptions("firstOrderConstants", opts);
  const times = unionOfTimes(checkNumberList("times", opts.times, { min: 0 }));
  const rel = checkNumber("relStep", opts.relStep ?? 1e-3, { min: 0, max: 0.1, minOpen: true });
  return flows.filter((f) => f.lambda > 0).map((f) => {
    const dl = rel * f.lambda;
    const side = (l: number) => sampledFlow(problem, { lambda: l, alpha: opts.alpha, times, rtol: 1e-10, atol: 1e-14 });
    const up = side(f.lambda + dl), down = side(f.lambda - dl);
    let C = 0, tSup = times[0];
    const diff = new Float64Array(problem.d);
    for (const t of times) {
      const s = f.at(t), a = up.at(t).w, b = down.at(t).w;
      for (let j = 0; j < diff.length; j++) diff[j] = s.du[j] * s.v[j] + s.u[j] * s.dv[j] - (a[j] - b[j]) / (2 * dl);
      const c = 0.5 * Math.hypot(...diff);
      if (c > C) {
        C = c;
        tSup = t;
      }
    }
    return { lambda: f.lambda, C, tSup };
  });
}

/** Measured against predicted first-order constants. */
export interface ConstantComparison {
  /** Per λ: the measured C of the run with the smallest h (nearest the h → 0 limit) and the prediction. */
  rows: { lambda: number; h: number; measured: number; predicted: number }[];
  /** max over λ of |measured/predicted − 1|. */
  maxDeviation: number;
}

/**
 * Compare the measured C = err/h of each λ's smallest-h run with the constant the modified equation predicts.
 * @param errors gridPathErrors' rows; predicted firstOrderConstants' rows
 * @throws RangeError if a predicted λ has no run
 */
export function compareConstants(errors: PathErrorRow[], predicted: FirstOrderConstant[]): ConstantComparison {
  if (!Array.isArray(predicted) || predicted.length === 0) throw new TypeError("predicted must be a non-empty array (firstOrderConstants)");
  const rows = predicted.map((p) => {
    const mine = errors.filter((e) => e.lambda === p.lambda);
    if (mine.length === 0) throw new RangeError(`no run at λ = ${p.lambda} to compare with`);
    const best = mine.reduce((a, e) => (e.h < a.h ? e : a));
    return { lambda: p.lambda, h: best.h, measured: best.C, predicted: p.C };
  });
  return { rows, maxDeviation: Math.max(...rows.map((r) => Math.abs(r.measured / r.predicted - 1))) };
}

/** The path error of one run against the flow of its modified equation. */
export interface SecondOrderError {
  gamma: number;
  beta: number;
  h: number;
  /** The second-order mass γ(1+β)/(2(1−β)²). */
  mass: number;
  /** sup_k ‖w_k − w^MGF_mass(t_k + shift·h)‖ over every iterate. */
  sup: number;
  /** C₂ = sup/h². */
  C2: number;
}

/**
 * The sup path error of MGD at (γ, β) against the flow with mass γ(1+β)/(2(1−β)²) sampled at t_k + shift·h, over
 * every iterate up to time T: the O(h²) error of the modified equation, and its constant C₂ = err/h².
 * @param opts.gamma γ > 0; opts.beta β ∈ [0, 1); opts.alpha α; opts.T horizon > 0; opts.shift in units of h (default 0.5)
 * @example secondOrderPathError(sparseRegression(), { gamma: 0.4, beta: 0, alpha: 0.1, T: 200 }).C2 // ≈ 0.29 (seed 0)
 */
export function secondOrderPathError(problem: Problem, opts: { gamma: number; beta: number; alpha: number; T: number; shift?: number }): SecondOrderError {
  checkOptions("secondOrderPathError", opts);
  const shift = checkNumber("shift", opts.shift ?? 0.5, { min: 0, max: 10 });
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  const run = runMomentum(problem, { gamma: opts.gamma, beta: opts.beta, alpha: opts.alpha, stop: { time: T }, snapshots: { every: 1 } });
  const mass = (run.gamma * (1 + run.beta)) / (2 * (1 - run.beta) ** 2);
  const dt = shift * run.h;
  const flow = sampledFlow(problem, { lambda: mass, alpha: opts.alpha, times: run.points.map((s) => s.t + dt), rtol: 1e-10, atol: 1e-14 });
  const sup = supDistance(run, flow.at, dt).sup;
  return { gamma: run.gamma, beta: run.beta, h: run.h, mass, sup, C2: sup / (run.h * run.h) };
}
