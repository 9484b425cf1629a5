/**
 * The numerical checks of the theory notebook (notebooks/08-theory.ipynb): one function per derivation, each
 * returning the measured numbers (typed fields) and a `table` of the same numbers with readable column names.
 *
 * Sections of 08-theory, in order: conventions (loss normalisation, initialisation, the scale of λ), the modified
 * equation (MGD against MGF_λ and against the mass λ(1+β)/2), the balancedness and mirror identities, the
 * hyperbolic entropy's derivatives (symbolic, with mathjs), the implicit-regularisation problems, the no-crossing
 * condition, the first-order Δ∞, the data-scale map and the projection of a state to its limit.
 */
import { distance, normInf } from "../core/linalg";
import { createRng, normalVector } from "../core/random";
import { logLogSlope } from "../core/stats";
import { checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";
import { dlnGradient, initDLN, lossAndGradient } from "../model/dln";
import { iterationsForTime, paramsForLambda } from "../model/momentum";
import { sparseRegression, trainLoss, type Problem, type SparseRegressionOptions } from "../model/problems";
import { momentumFlow, type FlowResult, type FlowSample } from "../dynamics/flows";
import { runMomentum } from "../dynamics/optimizers";
import { gradPsi, hessianPsiDiag, psi } from "../bias/entropy";
import { minPsiInterpolator } from "../bias/interpolators";
import { deltaInfinity, firstOrderDelta, mgfIdentityResidual, projectToLimit, summarizeMomentumRun } from "../bias/balancedness";

/** A table row for display: readable column names, numbers or text (null where a value does not apply). */
export type TableRow = Record<string, number | string | null>;

// ---------------------------------------------------------------- shared argument checks

function checkProblem(p: unknown): Problem {
  const q = p as Problem;
  if (q == null || typeof q !== "object" || !(q.X instanceof Float64Array) || !(q.y instanceof Float64Array)) {
    throw new TypeError("p must be a Problem (from sparseRegression, makeProblem, …)");
  }
  return q;
}

function checkList(name: string, xs: unknown, range: { min?: number; max?: number; maxOpen?: boolean; minOpen?: boolean }, minLength = 1): number[] {
  if (!Array.isArray(xs)) throw new TypeError(`${name} must be an array of numbers, got ${typeof xs}`);
  if (xs.length < minLength) throw new RangeError(`${name} needs at least ${minLength} value${minLength > 1 ? "s" : ""}, got ${xs.length}`);
  return xs.map((x, i) => checkNumber(`${name}[${i}]`, x, range));
}

function checkIntegers(name: string, xs: unknown): number[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new RangeError(`${name} must be a non-empty array of integers`);
  return xs.map((x, i) => checkInteger(`${name}[${i}]`, x, { min: 0 }));
}

function delta0Of(alpha: number | Float64Array, d: number): Float64Array {
  return positiveScalarOrVector("alpha", alpha, d).map((a) => 2 * a * a);
}

/** `count` times in (0, T], log-spaced from T·1e-4 (dense where the flows move fastest), with 0 in front. */
export function logTimes(T: number, count: number): number[] {
  checkNumber("T", T, { min: 0, minOpen: true });
  checkInteger("count", count, { min: 2 });
  const t0 = T * 1e-4;
  return [0, ...Array.from({ length: count }, (_, i) => (i === count - 1 ? T : t0 * (T / t0) ** (i / (count - 1))))];
}

// ---------------------------------------------------------------- conventions

/**
 * The data scaled by ε: X → εX, y → εy (and the held-out set alike); w* is unchanged. The loss of every w is
 * multiplied by ε², so the normalisation of the loss and the scale of the data are the same knob.
 * @param p problem; @param eps ε > 0
 * @example trainLoss(scaleData(p, 2), w) // = 4·trainLoss(p, w)
 */
export function scaleData(p: Problem, eps: number): Problem {
  checkProblem(p);
  const e = checkNumber("eps", eps, { min: 0, minOpen: true });
  const scale = (a: Float64Array) => a.map((x) => e * x);
  const test = p.test ? { n: p.test.n, X: scale(p.test.X), y: scale(p.test.y) } : null;
  const previous = typeof p.meta?.scale === "number" ? (p.meta.scale as number) : 1;
  return { ...p, name: `${p.name} ×${e}`, X: scale(p.X), y: scale(p.y), test, meta: { ...p.meta, scale: previous * e } };
}

export interface ConventionRow {
  convention: string;
  measured: number;
  expected: number;
  /** |measured − expected| / max(1, |expected|). */
  gap: number;
}

const row = (convention: string, measured: number, expected: number): ConventionRow =>
  ({ convention, measured, expected, gap: Math.abs(measured - expected) / Math.max(1, Math.abs(expected)) });

/** Largest gap between an analytic gradient and central differences of f, over every coordinate of x. */
function finiteDifferenceGap(f: (x: Float64Array) => number, x: Float64Array, grad: Float64Array, step = 1e-6): number {
  let worst = 0;
  const y = Float64Array.from(x);
  for (let j = 0; j < x.length; j++) {
    y[j] = x[j] + step;
    const up = f(y);
    y[j] = x[j] - step;
    const down = f(y);
    y[j] = x[j];
    worst = Math.max(worst, Math.abs((up - down) / (2 * step) - grad[j]));
  }
  return worst;
}

/**
 * The conventions every derivation builds on, measured on a random point of `p`: L(w) = ‖Xw − y‖²/(2n) (against a
 * plain sum of squares), ∇L = Xᵀ(Xw − y)/n and the network's chain rule ∇_u F = g⊙v, ∇_v F = g⊙u (against central
 * differences), the initialisation u₀ = √2α, v₀ = 0 (so w₀ = 0, Δ₀ = 2α²), and the scale: scaling the data by ε
 * multiplies the loss by ε², and the unnormalised loss ‖Xw − y‖²/2 is the data scaled by √n.
 * @param p problem; @param opts alpha (α > 0, default 0.1), eps (ε > 0, default 2), seed of the random point (default 1)
 * @returns one row per convention with the measured value, the expected one and their gap
 */
export function conventionChecks(p: Problem, opts: { alpha?: number; eps?: number; seed?: number } = {}): { rows: ConventionRow[]; table: TableRow[] } {
  checkProblem(p);
  const alpha = checkNumber("alpha", opts.alpha ?? 0.1, { min: 0, minOpen: true });
  const eps = checkNumber("eps", opts.eps ?? 2, { min: 0, minOpen: true });
  const rng = createRng(checkInteger("seed", opts.seed ?? 1, { min: 0 }));
  const { n, d } = p;
  const u = normalVector(rng, d), v = normalVector(rng, d);
  const w = u.map((x, j) => x * v[j]);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    let r = -p.y[i];
    for (let j = 0; j < d; j++) r += p.X[i * d + j] * w[j];
    sq += r * r;
  }
  const g = new Float64Array(d);
  const loss = lossAndGradient(p, w, g);
  const F = (uu: Float64Array, vv: Float64Array) => trainLoss(p, uu.map((x, j) => x * vv[j]));
  const net = dlnGradient(p, { u, v });
  const init = initDLN(alpha, d);
  const scaled = trainLoss(scaleData(p, eps), w);
  const rows = [
    row("L(w) = ‖Xw − y‖²/(2n)", loss, sq / (2 * n)),
    row("∇L = Xᵀ(Xw − y)/n: largest gap to central differences", finiteDifferenceGap((x) => trainLoss(p, x), w, g), 0),
    row("∇_u F = ∇L ⊙ v: largest gap to central differences", finiteDifferenceGap((x) => F(x, v), u, net.gu), 0),
    row("∇_v F = ∇L ⊙ u: largest gap to central differences", finiteDifferenceGap((x) => F(u, x), v, net.gv), 0),
    row("u₀ = √2·α (largest entry)", Math.max(...init.u), Math.SQRT2 * alpha),
    row("w₀ = u₀ ⊙ v₀ (largest |entry|)", normInf(init.u.map((x, j) => x * init.v[j])), 0),
    row("Δ₀ = u₀² − v₀² = 2α² (largest entry)", Math.max(...deltaInfinity(init)), 2 * alpha * alpha),
    row(`loss of the data scaled by ε = ${eps}, divided by L(w)`, scaled / loss, eps * eps),
    row(`‖Xw − y‖²/2 = loss of the data scaled by √n (n = ${n})`, trainLoss(scaleData(p, Math.sqrt(n)), w), sq / 2),
  ];
  return { rows, table: rows.map((r) => ({ convention: r.convention, measured: r.measured, expected: r.expected, gap: r.gap })) };
}

// ---------------------------------------------------------------- the modified equation

export interface ModifiedEquationRow {
  beta: number;
  gamma: number;
  /** h = γ/(1−β), the continuous time per iteration. */
  h: number;
  /** The second-order mass λ(1+β)/2. */
  mass: number;
  /** sup_k ‖w_k − w^{MGF_λ}(t_k)‖. */
  errLambda: number;
  /** sup_k ‖w_k − w^{MGF_mass}(t_k)‖. */
  errMass: number;
  /** sup_k ‖w_k − w^{MGF_mass}(t_k + h/2)‖. */
  errMassShifted: number;
}

/** Sup over a run's snapshots of the distance to a flow sampled at the snapshot times plus `shift`. */
function supGap(p: Problem, runPoints: { t: number; w: Float64Array }[], lambda: number, alpha: number | Float64Array, shift: number, rtol: number): number {
  const times = runPoints.map((q) => q.t + shift);
  const flow = momentumFlow(p, { lambda, alpha, T: times[times.length - 1], times, rtol });
  return runPoints.reduce((m, q, i) => Math.max(m, distance(q.w, flow.points[i].w)), 0);
}

/**
 * MGD against its continuous-time models at fixed λ: the leading-order flow MGF_λ (error O(h)) and the
 * second-order flow with mass λ(1+β)/2, sampled at t_k and half a step later, t_k + h/2 (error O(h²) there: the
 * start w₋₁ = w₀ sets the velocity to zero at t = −h/2). Sup over about `samples` snapshots up to time T.
 * @param p problem; @param opts lambda (λ > 0), betas (≥ 2 values in [0, 1) for the slopes), alpha (default 0.1),
 *   T (default 20), samples (default 200), rtol of the flows (default 1e-10)
 * @returns rows per β and the fitted log–log slopes of each error against h
 * @example modifiedEquationErrors(p, { lambda: 0.5, betas: [0.9, 0.95] }).slopes.massShifted // ≈ 2
 */
export function modifiedEquationErrors(
  p: Problem,
  opts: { lambda: number; betas: number[]; alpha?: number | Float64Array; T?: number; samples?: number; rtol?: number },
): { lambda: number; rows: ModifiedEquationRow[]; slopes: { lambda: number; mass: number; massShifted: number }; table: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { lambda, betas }");
  const lambda = checkNumber("lambda", opts.lambda, { min: 0, minOpen: true });
  const betas = checkList("betas", opts.betas, { min: 0, max: 1, maxOpen: true }, 2);
  const alpha = opts.alpha ?? 0.1;
  const T = checkNumber("T", opts.T ?? 20, { min: 0, minOpen: true });
  const samples = checkInteger("samples", opts.samples ?? 200, { min: 2 });
  const rtol = checkNumber("rtol", opts.rtol ?? 1e-10, { min: 0, minOpen: true });
  const rows = betas.map((beta): ModifiedEquationRow => {
    const { gamma, h } = paramsForLambda({ lambda, beta });
    const K = iterationsForTime(T, gamma, beta);
    const run = runMomentum(p, { alpha, gamma, beta, stop: { iterations: K }, snapshots: { every: Math.max(1, Math.floor(K / samples)) } });
    const mass = (lambda * (1 + beta)) / 2;
    return {
      beta, gamma, h, mass,
      errLambda: supGap(p, run.points, lambda, alpha, 0, rtol),
      errMass: supGap(p, run.points, mass, alpha, 0, rtol),
      errMassShifted: supGap(p, run.points, mass, alpha, h / 2, rtol),
    };
  });
  const hs = rows.map((r) => r.h);
  const slopes = {
    lambda: logLogSlope(hs, rows.map((r) => r.errLambda)),
    mass: logLogSlope(hs, rows.map((r) => r.errMass)),
    massShifted: logLogSlope(hs, rows.map((r) => r.errMassShifted)),
  };
  const table = rows.map((r) => ({
    β: r.beta, γ: r.gamma, h: r.h, "mass λ(1+β)/2": r.mass,
    "vs MGF_λ at t_k": r.errLambda, "vs mass λ(1+β)/2 at t_k": r.errMass, "vs mass λ(1+β)/2 at t_k + h/2": r.errMassShifted,
  }));
  return { lambda, rows, slopes, table };
}

/** Long-format rows of {@link modifiedEquationErrors} for a log–log chart of each error against h. */
export function modifiedEquationSeries(result: { lambda: number; rows: ModifiedEquationRow[] }): TableRow[] {
  if (!result || !Array.isArray(result.rows)) throw new TypeError("result must come from modifiedEquationErrors");
  return result.rows.flatMap((r) => [
    { h: r.h, error: r.errLambda, "compared with": `MGF, mass λ = ${result.lambda}, at t_k` },
    { h: r.h, error: r.errMass, "compared with": "MGF, mass λ(1+β)/2, at t_k" },
    { h: r.h, error: r.errMassShifted, "compared with": "MGF, mass λ(1+β)/2, at t_k + h/2" },
  ]);
}

/**
 * Plain GD (β = 0) at step γ against the two candidate flows: MGF with mass γ/2 (its modified equation) and MGF with
 * mass γ (the leading-order λ = γ/(1−β)² = γ). Distances of the iterate at time T to each flow at the same time.
 * @param p problem; @param opts gamma (γ > 0), alpha (default 0.1), T (default 200)
 * @returns the two distances and their ratio toFull/toHalf (> 1: GD follows the γ/2 path)
 */
export function gdPathComparison(p: Problem, opts: { gamma: number; alpha?: number | Float64Array; T?: number }): { gamma: number; time: number; toHalf: number; toFull: number; ratio: number; table: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { gamma }");
  const gamma = checkNumber("gamma", opts.gamma, { min: 0, minOpen: true });
  const alpha = opts.alpha ?? 0.1;
  const T = checkNumber("T", opts.T ?? 200, { min: 0, minOpen: true });
  const run = runMomentum(p, { alpha, gamma, beta: 0, stop: { time: T } });
  const at = (lambda: number) => momentumFlow(p, { lambda, alpha, T: run.time, times: [run.time], rtol: 1e-10 }).final.w;
  const toHalf = distance(run.w, at(gamma / 2));
  const toFull = distance(run.w, at(gamma));
  const table = [
    { flow: `MGF with mass γ/2 = ${gamma / 2}`, [`‖w_GD − w_flow‖ at t = ${run.time.toPrecision(4)}`]: toHalf },
    { flow: `MGF with mass γ = ${gamma}`, [`‖w_GD − w_flow‖ at t = ${run.time.toPrecision(4)}`]: toFull },
  ];
  return { gamma, time: run.time, toHalf, toFull, ratio: toFull / toHalf, table };
}

// ---------------------------------------------------------------- the exact identities

export interface IdentityRow {
  lambda: number;
  /** Samples before the first u ± v sign change, where the log-form identities apply. */
  validSamples: number;
  crossings: number;
  /** Largest |residual| of the balancedness identity over valid samples and coordinates. */
  balancedness: number;
  /** Largest |residual| of the mirror identity. */
  mirror: number;
  /** Largest |arcsinh(2w/Δ) − ln(s/d)| (the mirror coordinate is a − b). */
  mirrorMap: number;
  /** Largest step up of Δ_t/Δ₀ between consecutive valid samples (≤ 0 up to rounding: Δ_t never increases). */
  largestIncrease: number;
  /** Smallest Δ/Δ₀ at the last valid sample. */
  minRatio: number;
}

function identityRow(run: FlowResult, Delta0: Float64Array): IdentityRow {
  const firstCrossing = run.signChanges.length ? run.signChanges[0].time : Infinity;
  const valid = run.points.filter((s) => s.t > 0 && s.t < firstCrossing);
  let bal = 0, mir = 0, map = 0, inc = -Infinity;
  let previous = Delta0;
  for (const s of valid) {
    const res = mgfIdentityResidual(s, Delta0, run.lambda);
    for (let j = 0; j < s.u.length; j++) {
      bal = Math.max(bal, Math.abs(res.balancedness[j]));
      mir = Math.max(mir, Math.abs(res.mirror[j]));
      const sj = s.u[j] + s.v[j], dj = s.u[j] - s.v[j];
      map = Math.max(map, Math.abs(Math.asinh((2 * s.w[j]) / (sj * dj)) - Math.log(sj / dj)));
    }
    const D = deltaInfinity(s);
    for (let j = 0; j < D.length; j++) inc = Math.max(inc, (D[j] - previous[j]) / Delta0[j]);
    previous = D;
  }
  const last = valid.length ? deltaInfinity(valid[valid.length - 1]) : Delta0;
  return {
    lambda: run.lambda, validSamples: valid.length, crossings: new Set(run.signChanges.map((c) => c.coordinate)).size,
    balancedness: bal, mirror: mir, mirrorMap: map, largestIncrease: inc, minRatio: Math.min(...last.map((x, j) => x / Delta0[j])),
  };
}

/**
 * The exact MGF identities along flows: the balancedness identity ln Δ_t + λ(ln Δ)'_t = ln Δ₀ − λ∫(ȧ² + ḃ²), the
 * mirror identity, the mirror coordinate arcsinh(2w/Δ) = ln(s/d), and the monotonicity of Δ_t, at every sample
 * before the first u ± v sign change (past it the logarithms are undefined; the row says how many samples were valid).
 * @param p problem; @param opts lambdas (λ ≥ 0), alpha (default 0.1), T (default 300), samples (default 400, log-spaced),
 *   rtol (default 1e-10)
 */
export function identitiesAlongFlows(
  p: Problem,
  opts: { lambdas: number[]; alpha?: number | Float64Array; T?: number; samples?: number; rtol?: number },
): { rows: IdentityRow[]; table: TableRow[]; mirrorTable: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { lambdas }");
  const lambdas = checkList("lambdas", opts.lambdas, { min: 0 });
  const alpha = opts.alpha ?? 0.1;
  const Delta0 = delta0Of(alpha, p.d);
  const T = checkNumber("T", opts.T ?? 300, { min: 0, minOpen: true });
  const times = logTimes(T, checkInteger("samples", opts.samples ?? 400, { min: 2 }));
  const rtol = checkNumber("rtol", opts.rtol ?? 1e-10, { min: 0, minOpen: true });
  const rows = lambdas.map((lambda) => identityRow(momentumFlow(p, { lambda, alpha, T, times, rtol, integrals: true }), Delta0));
  const table = rows.map((r) => ({
    λ: r.lambda, "coordinates crossing": r.crossings, "samples checked": r.validSamples, "balancedness identity: largest residual": r.balancedness,
    "largest step up of Δ_t/Δ₀": r.largestIncrease, "smallest Δ/Δ₀ (last sample checked)": r.minRatio,
  }));
  const mirrorTable = rows.map((r) => ({
    λ: r.lambda, "samples checked": r.validSamples, "mirror identity: largest residual": r.mirror, "largest |arcsinh(2w/Δ) − ln(s/d)|": r.mirrorMap,
  }));
  return { rows, table, mirrorTable };
}

// ---------------------------------------------------------------- ψ's derivatives, symbolically

/** ψ_Δ for one coordinate as a mathjs expression in w and D (= Δ). */
export const PSI_EXPRESSION = "(2*w*asinh(2*w/D) - sqrt(4*w^2 + D^2) + D)/4";

/**
 * ψ_Δ's gradient and Hessian derived symbolically by mathjs from {@link PSI_EXPRESSION}, evaluated at the given
 * points and compared with the library's closed forms ½·arcsinh(2w/Δ) and 1/√(4w² + Δ²) (and ψ itself).
 * mathjs is loaded only when this runs (it takes about a second).
 * @param points pairs {w, Delta} with Δ > 0
 * @returns the symbolic derivatives as text, one row per point, and the largest relative gaps
 */
export async function psiDerivatives(points: { w: number; Delta: number }[]): Promise<{
  gradient: string; hessian: string; table: TableRow[]; gaps: { value: number; gradient: number; hessian: number };
}> {
  if (!Array.isArray(points) || points.length === 0) throw new RangeError("points must be a non-empty array of {w, Delta}");
  const pts = points.map((q, i) => {
    if (q == null || typeof q !== "object") throw new TypeError(`points[${i}] must be an object {w, Delta}`);
    return { w: checkNumber(`points[${i}].w`, q.w), Delta: checkNumber(`points[${i}].Delta`, q.Delta, { min: 0, minOpen: true }) };
  });
  const math = await import("mathjs");
  const expr = math.parse(PSI_EXPRESSION);
  const d1 = math.derivative(expr, "w");
  const d2 = math.derivative(d1, "w");
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
  const gaps = { value: 0, gradient: 0, hessian: 0 };
  const table = pts.map(({ w, Delta }) => {
    const at = { w, D: Delta };
    const x = Float64Array.of(w);
    const [value, grad, hess] = [psi(x, Delta), gradPsi(x, Delta)[0], hessianPsiDiag(x, Delta)[0]];
    const [sValue, sGrad, sHess] = [expr.evaluate(at) as number, d1.evaluate(at) as number, d2.evaluate(at) as number];
    // ψ(0) = 0 exactly, where a relative gap is meaningless
    if (value !== 0) gaps.value = Math.max(gaps.value, rel(sValue, value));
    gaps.gradient = Math.max(gaps.gradient, w === 0 ? Math.abs(sGrad) : rel(sGrad, grad));
    gaps.hessian = Math.max(gaps.hessian, rel(sHess, hess));
    return { w, Δ: Delta, "∂ψ/∂w (mathjs)": sGrad, "½ arcsinh(2w/Δ)": grad, "∂²ψ/∂w² (mathjs)": sHess, "1/√(4w² + Δ²)": hess };
  });
  return { gradient: d1.toString(), hessian: d2.toString(), table, gaps };
}

// ---------------------------------------------------------------- the implicit-regularisation problems

export interface ImplicitRow {
  seed: number;
  lambda: number;
  /** Training loss at T (the limit is reached when it is ≈ 0). */
  loss: number;
  crossings: number;
  /** ‖w̃₀‖₂, the Bregman base point (null past a crossing). */
  offsetNorm: number | null;
  /** ‖w∞ − argmin_{Xw=y} D_ψΔ∞(w, w̃₀)‖ (null past a crossing). */
  exact: number | null;
  /** ‖w∞ − argmin_{Xw=y} ψ_Δ∞(w)‖ (null if some Δ∞ ≤ 0). */
  approx: number | null;
}

/**
 * The exact (Bregman, with the base point w̃₀) and the approximate (argmin ψ_Δ∞) implicit-regularisation problems
 * against the MGF limit, for each seed of `sparseRegression` and each λ (λ = 0 is gradient flow, whose problem is
 * argmin ψ_Δ₀). The flow runs to T with the integrals the base point needs. `orders` gives, per seed, the fitted order
 * in λ of the approximate problem's gap (≈ 2: dropping w̃₀ costs O(λ²)).
 * @param opts seeds, lambdas (λ ≥ 0), alpha (default 0.1), T (default 1500), problem (options of sparseRegression
 *   other than the seed)
 */
export function implicitProblemErrors(opts: {
  seeds: number[]; lambdas: number[]; alpha?: number | Float64Array; T?: number; problem?: Omit<SparseRegressionOptions, "seed">;
}): { rows: ImplicitRow[]; orders: { seed: number; order: number | null }[]; table: TableRow[] } {
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { seeds, lambdas }");
  const seeds = checkIntegers("seeds", opts.seeds);
  const lambdas = checkList("lambdas", opts.lambdas, { min: 0 });
  const alpha = opts.alpha ?? 0.1;
  const T = checkNumber("T", opts.T ?? 1500, { min: 0, minOpen: true });
  const rows: ImplicitRow[] = [];
  for (const seed of seeds) {
    const p = sparseRegression({ ...(opts.problem ?? {}), seed });
    for (const lambda of lambdas) {
      const run = momentumFlow(p, { lambda, alpha, T, times: [0, T], integrals: true });
      const s = summarizeMomentumRun(p, run, { alpha });
      rows.push({
        seed, lambda, loss: run.final.loss, crossings: s.signChanges,
        offsetNorm: s.offsetPoint ? Math.hypot(...s.offsetPoint) : null,
        exact: s.exact ? s.errExact : null, approx: s.approx ? s.errApprox : null,
      });
    }
  }
  const table = rows.map((r) => ({
    seed: r.seed, λ: r.lambda, "loss at T": r.loss, "u ± v crossings": r.crossings, "‖w̃₀‖": r.offsetNorm,
    "exact: ‖w∞ − argmin D_ψ(·, w̃₀)‖": r.exact, "approximate: ‖w∞ − argmin ψ_Δ∞‖": r.approx,
  }));
  // Order in λ of the approximate problem's gap, per seed, over the λ > 0 where it is defined (null if < 2 such λ).
  const orders = seeds.map((seed) => {
    const usable = rows.filter((r) => r.seed === seed && r.lambda > 0 && r.approx !== null && r.approx > 0);
    return { seed, order: usable.length >= 2 ? logLogSlope(usable.map((r) => r.lambda), usable.map((r) => r.approx as number)) : null };
  });
  return { rows, orders, table };
}

// ---------------------------------------------------------------- the no-crossing condition

export interface CrossingRow {
  lambda: number;
  /** sup over the samples of ‖∇L(w_t)‖∞ along this λ's flow. */
  supGradient: number;
  /** κ = λ·sup‖∇L‖∞; κ ≤ 1/4 guarantees that no u ± v crosses 0. */
  kappa: number;
  /** Coordinates where u + v or u − v changed sign. */
  crossings: number;
  /** Time of the first sign change (null if none). */
  firstCrossing: number | null;
  /** min over samples before the first crossing of λ·min(ȧ, ḃ) (the proof bounds it by −½ when κ ≤ 1/4). */
  minRate: number;
}

function crossingRow(p: Problem, run: FlowResult): CrossingRow {
  const g = new Float64Array(p.d);
  const first = run.signChanges.length ? run.signChanges[0].time : Infinity;
  let supG = 0, minRate = 0;
  for (const s of run.points) {
    lossAndGradient(p, s.w, g);
    supG = Math.max(supG, normInf(g));
    if (s.t < first && run.lambda > 0) minRate = Math.min(minRate, run.lambda * minLogRate(s));
  }
  return {
    lambda: run.lambda, supGradient: supG, kappa: run.lambda * supG,
    crossings: new Set(run.signChanges.map((c) => c.coordinate)).size,
    firstCrossing: run.signChanges.length ? first : null, minRate,
  };
}

/** min over coordinates of ȧ = ṡ/s and ḃ = ḋ/d at one sample (s, d > 0). */
function minLogRate(s: FlowSample): number {
  let m = Infinity;
  for (let j = 0; j < s.u.length; j++) {
    m = Math.min(m, (s.du[j] + s.dv[j]) / (s.u[j] + s.v[j]), (s.du[j] - s.dv[j]) / (s.u[j] - s.v[j]));
  }
  return m;
}

/**
 * Where u ± v cross zero: for each λ, sup_t ‖∇L(w_t)‖∞ along the flow, κ = λ·sup‖∇L‖∞, the coordinates that cross and
 * the smallest λȧ, λḃ before the first crossing. The sufficient condition of 08-theory: κ ≤ 1/4 ⇒ no crossing (and
 * λȧ, λḃ ≥ −½). Also the estimate from the start alone, λ₀ = 1/(4‖∇L(0)‖∞) = n/(4‖Xᵀy‖∞).
 * @param p problem; @param opts lambdas (λ ≥ 0), alpha (default 0.1), T (default 100), samples (default 2000, log-spaced)
 */
export function crossingScan(
  p: Problem,
  opts: { lambdas: number[]; alpha?: number | Float64Array; T?: number; samples?: number },
): { rows: CrossingRow[]; gradient0: number; lambda0: number; table: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { lambdas }");
  const lambdas = checkList("lambdas", opts.lambdas, { min: 0 });
  const alpha = opts.alpha ?? 0.1;
  positiveScalarOrVector("alpha", alpha, p.d);
  const T = checkNumber("T", opts.T ?? 100, { min: 0, minOpen: true });
  const times = logTimes(T, checkInteger("samples", opts.samples ?? 2000, { min: 2 }));
  const rows = lambdas.map((lambda) => crossingRow(p, momentumFlow(p, { lambda, alpha, T, times })));
  const g0 = new Float64Array(p.d);
  lossAndGradient(p, new Float64Array(p.d), g0);
  const gradient0 = normInf(g0);
  const table = rows.map((r) => ({
    λ: r.lambda, "sup ‖∇L‖∞": r.supGradient, "κ = λ·sup ‖∇L‖∞": r.kappa, "κ ≤ 1/4": r.kappa <= 0.25 ? "yes" : "no",
    "coordinates crossing": r.crossings, "first crossing at t": r.firstCrossing, "min λȧ, λḃ": r.minRate,
  }));
  return { rows, gradient0, lambda0: 1 / (4 * gradient0), table };
}

// ---------------------------------------------------------------- the first-order Δ∞

/**
 * The first-order prediction Δ∞ ≈ Δ₀·exp(−2λ∫₀^∞ g²_GF) (one gradient-flow run) against the MGF limits: the largest
 * |ln(Δ∞/prediction)| over coordinates per λ, and the local log–log slope between the two smallest λ (≈ 2: the error
 * is O(λ²)). Rows past a crossing (some Δ∞ ≤ 0) have a null error.
 * @param p problem; @param opts lambdas (> 0, at least two), alpha (default 0.1), T (default 300)
 */
export function firstOrderErrors(
  p: Problem,
  opts: { lambdas: number[]; alpha?: number | Float64Array; T?: number },
): { rows: { lambda: number; error: number | null; crossings: number }[]; slope: number | null; table: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { lambdas }");
  const lambdas = checkList("lambdas", opts.lambdas, { min: 0, minOpen: true }, 2).slice().sort((a, b) => a - b);
  const alpha = opts.alpha ?? 0.1;
  const Delta0 = delta0Of(alpha, p.d);
  const T = checkNumber("T", opts.T ?? 300, { min: 0, minOpen: true });
  const gf = momentumFlow(p, { lambda: 0, alpha, T, times: [T], integrals: true });
  const rows = lambdas.map((lambda) => {
    const run = momentumFlow(p, { lambda, alpha, T, times: [T] });
    const Dinf = deltaInfinity(run.final);
    const pred = firstOrderDelta(gf.final.integrals!, Delta0, lambda);
    const ok = Dinf.every((x) => x > 0);
    const error = ok ? Math.max(...Dinf.map((x, j) => Math.abs(Math.log(x / pred[j])))) : null;
    return { lambda, error, crossings: new Set(run.signChanges.map((c) => c.coordinate)).size };
  });
  const [a, b] = rows;
  const slope = a.error !== null && b.error !== null && a.error > 0 && b.error > 0 ? Math.log(b.error / a.error) / Math.log(b.lambda / a.lambda) : null;
  const table = rows.map((r) => ({ λ: r.lambda, "max |ln(Δ∞/prediction)|": r.error, "u ± v crossings": r.crossings }));
  return { rows, slope, table };
}

// ---------------------------------------------------------------- the data-scale map

/**
 * MGF(εX, εy; λ)(t) against MGF(X, y; λε²)(ε²t): the largest distance between the two paths (in w) over the samples,
 * and long rows (t, ‖w − w*‖ or ‖w‖, which path) for a chart on which the two curves coincide.
 * @param p problem; @param opts eps (ε > 0), lambda (λ ≥ 0), alpha (default 0.1), T (default 100, in the time of the
 *   scaled data), samples (default 200, log-spaced)
 */
export function dataScaleComparison(
  p: Problem,
  opts: { eps: number; lambda: number; alpha?: number | Float64Array; T?: number; samples?: number },
): { gap: number; series: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { eps, lambda }");
  const eps = checkNumber("eps", opts.eps, { min: 0, minOpen: true });
  const lambda = checkNumber("lambda", opts.lambda, { min: 0 });
  const alpha = opts.alpha ?? 0.1;
  const T = checkNumber("T", opts.T ?? 100, { min: 0, minOpen: true });
  const times = logTimes(T, checkInteger("samples", opts.samples ?? 200, { min: 2 }));
  const scaled = momentumFlow(scaleData(p, eps), { lambda, alpha, T, times, rtol: 1e-11 });
  const e2 = eps * eps;
  const original = momentumFlow(p, { lambda: lambda * e2, alpha, T: T * e2, times: times.map((t) => t * e2), rtol: 1e-11 });
  let gap = 0;
  scaled.points.forEach((s, i) => { gap = Math.max(gap, distance(s.w, original.points[i].w)); });
  const size = (w: Float64Array) => (p.wStar ? distance(w, p.wStar) : Math.hypot(...w));
  const y = p.wStar ? "‖w − w*‖" : "‖w‖";
  const series = scaled.points.filter((s) => s.t > 0).flatMap((s, i) => [
    { t: s.t, [y]: size(s.w), path: `MGF(εX, εy; λ = ${lambda}) at t` },
    { t: s.t, [y]: size(original.points[i + 1].w), path: `MGF(X, y; λε² = ${lambda * e2}) at ε²t` },
  ]);
  return { gap, series };
}

// ---------------------------------------------------------------- projecting a state to its limit

/**
 * The projection of a flow's state at time t to its limit (projectToLimit) against the limit itself: for each
 * sample time, ‖w(t) − w∞‖ (how far the state still is) and ‖projection(t) − w∞‖, with w∞ the state at `T`
 * (long enough that the loss is ≈ 0). For λ = 0 the projection is exact from any t.
 * @param p problem; @param opts lambda (λ ≥ 0), times (sample times in (0, T)), alpha (default 0.1), T (default 1500)
 */
export function projectionErrors(
  p: Problem,
  opts: { lambda: number; times: number[]; alpha?: number | Float64Array; T?: number },
): { rows: { t: number; state: number; projection: number }[]; series: TableRow[] } {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { lambda, times }");
  const lambda = checkNumber("lambda", opts.lambda, { min: 0 });
  const alpha = opts.alpha ?? 0.1;
  const T = checkNumber("T", opts.T ?? 1500, { min: 0, minOpen: true });
  const times = checkList("times", opts.times, { min: 0, max: T, minOpen: true, maxOpen: true }).slice().sort((a, b) => a - b);
  const run = momentumFlow(p, { lambda, alpha, T, times: [...times, T], rtol: 1e-10 });
  const limit = run.final.w;
  const rows = run.points.slice(0, times.length).map((s) => ({
    t: s.t, state: distance(s.w, limit), projection: distance(projectToLimit(p, s, lambda).w, limit),
  }));
  const series = rows.flatMap((r) => [
    { t: r.t, "distance to w∞": r.state, what: "the state w(t)" },
    { t: r.t, "distance to w∞": Math.max(r.projection, 1e-16), what: "its projection to the limit" },
  ]);
  return { rows, series };
}

/**
 * Gradient flow's projection from one early time against argmin ψ_Δ₀ (the GF limit computed directly): exact from
 * any t because Δ is conserved and no tail integral is dropped.
 * @param p problem; @param opts t (> 0), alpha (default 0.1)
 */
export function gfProjectionGap(p: Problem, opts: { t: number; alpha?: number | Float64Array }): number {
  checkProblem(p);
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object { t }");
  const t = checkNumber("t", opts.t, { min: 0, minOpen: true });
  const alpha = opts.alpha ?? 0.1;
  const run = momentumFlow(p, { lambda: 0, alpha, T: t, times: [t], rtol: 1e-12 });
  return distance(projectToLimit(p, run.final, 0).w, minPsiInterpolator(p, delta0Of(alpha, p.d)).w);
}
