/**
 * An exponential Adams method for damped second-order systems
 *
 *   λẍ + ẋ = f(t, x),   x(t₀) = x₀, ẋ(t₀) = p₀,   plus quadratures I' = G(t, x, ẋ),
 *
 * written as x' = p, p' = (f − p)/λ. Over a step [tₙ, tₙ + h] the variation-of-constants formula is exact for the
 * linear damping: with μ = h/λ and θ the time in units of h,
 *
 *   p(tₙ + h) = e^{−μ} pₙ + μ ∫₀¹ e^{−μ(1−θ)} f(θ) dθ,
 *   x(tₙ + h) = xₙ + h φ₁(−μ) pₙ + h ∫₀¹ (1 − e^{−μ(1−θ)}) f(θ) dθ,
 *
 * and only the force f along the step is approximated, by the polynomial through its values at accepted points
 * (Adams). With P(θ) = Σⱼ cⱼ θʲ, ∫₀¹ e^{−μ(1−θ)} θʲ dθ = j! φⱼ₊₁(−μ) (lib/dynamics/ode/phi.ts), so a step costs a few
 * scalar φ-evaluations besides the force. One step, PECE mode with local extrapolation:
 *   P: x̃ from the K latest accepted forces (exponential Adams–Bashforth, order K);
 *   E: f̃ = f(tₙ₊₁, x̃);
 *   C: x from f̃ and the history (exponential Adams–Moulton, order K + 1);
 *   E: fₙ₊₁ = f(tₙ₊₁, x), which also enters the history; p from fₙ₊₁ and the history (Adams–Moulton).
 * Error estimate: x − x̃ for the position (Milne's device), and p minus the order-K Adams–Moulton velocity for the
 * velocity, each component scaled by atol + rtol·|·| and the largest one held to 1. The order rises from 1 as the
 * history fills, up to K, and then follows the estimates one order lower (see nextStep); a rejected step keeps the
 * history; the step grows at most 2× per step (variable-step Adams formulas stay stable for moderate ratios).
 * Appended quadratures ride along outside the error control: those that use what the force computed (∫g) by
 * Adams–Moulton from the accepted points, those that depend on ẋ (which has a transient of length λ at the start) by
 * Gauss–Legendre on the dense output (lib/dynamics/ode/exp-adams-dense.ts).
 *
 * Why not an exponential Runge–Kutta method: when λ ≪ h its velocity at the step end (≈ f(x) − λ df/dt) is the force
 * at its last internal stage, and internal stages are only low-order accurate, so the velocity's error control shrinks
 * the steps (measured with Krogstad's ETD 4(3) on the default problem, λ = 0.01, T = 200, rtol 1e-8: 3,074 steps with
 * the velocity in the error norm, 526 without). Here every node is an accepted point, so the velocity is as accurate
 * as the path and the step is set by the path: when λ → 0 the method tends to an Adams method for the gradient flow
 * ẋ = f(x), and it costs what that path costs however small λ is. It needs f to depend on x only (not on ẋ), which is
 * the case for MGF.
 */
import { checkInteger, checkNumber, checkVector } from "../../core/validate";
import { adaptiveSettings, checkDerivative, checkTimes, firstNonFinite, guardStep, OutputSampler, type AdaptiveSettings } from "./common";
import { ExpAdamsDense } from "./exp-adams-dense";
import { finishPosition, finishVelocity, historySums, quadratureStep, stepWeights } from "./exp-adams-kernels";
import { MAX_ORDER } from "./exp-adams-weights";
import { ExpAdamsWork, type DampedSystem } from "./exp-adams-work";
import type { AdaptiveOptions, OdeResult, OdeStats } from "./types";

export type { DampedSystem } from "./exp-adams-work";

export interface ExpAdamsOptions extends AdaptiveOptions {
  /** Highest order of the Adams–Bashforth predictor, 1–12 (default 8; the corrector is one order higher). */
  order?: number;
}

/** One force evaluation a stepper needs: write f(t, x) into out (then resume the stepper). */
export interface ForceRequest {
  t: number;
  x: Float64Array;
  out: Float64Array;
}

/** A run after validation, with its order controller. */
interface ExpAdamsRun {
  sys: DampedSystem;
  lambda: number;
  /** Highest order allowed. */
  order: number;
  /** The order the controller wants for the next steps, and how many accepted steps it has been kept. */
  orderTarget: number;
  atOrder: number;
  t0: number;
  s: AdaptiveSettings;
  stats: OdeStats;
  /** The request the stepper hands out for each force evaluation (reused). */
  req: ForceRequest;
}

function request(run: ExpAdamsRun, t: number, x: Float64Array, out: Float64Array): ForceRequest {
  const q = run.req;
  q.t = t;
  q.x = x;
  q.out = out;
  return q;
}

/**
 * One attempted step of size h: P, E, C, E (yielding the two force evaluations). Returns the error norm, the largest
 * scaled error over x and p (NaN or ∞ if something overflowed); w.errs also holds the norms one order lower. The
 * candidate state is in xNew, pNew, the forces in fPred and fNew. The largest, not the RMS as in dopri5: in a flow
 * where a few coordinates move (a sparse support), the RMS over all of them would let those few carry √(2·dim) times
 * the tolerance.
 */
function* attemptStep(run: ExpAdamsRun, w: ExpAdamsWork, t: number, h: number, tNew: number, ke: number): Generator<ForceRequest, number, void> {
  const { rtol, atol } = run.s;
  const mu = h / run.lambda;
  stepWeights(w, t, h, mu, ke);
  historySums(w, h, mu, ke);
  yield request(run, tNew, w.xPred, w.fPred);
  finishPosition(w, h, rtol, atol);
  yield request(run, tNew, w.xNew, w.fNew);
  run.stats.fevals += 2;
  finishVelocity(w, mu, rtol, atol);
  return Math.sqrt(Math.max(w.errs[0], w.errs[2]));
}

/** What went non-finite first in a failed attempt (in the order they are computed), for the error message. */
function describeNonFinite(w: ExpAdamsWork, t: number, h: number): string {
  for (const [name, a] of [["the predicted position", w.xPred], ["the predicted force", w.fPred], ["the position", w.xNew], ["the force", w.fNew], ["the velocity", w.pNew]] as const) {
    const i = firstNonFinite(a);
    if (i >= 0) return `${name} (component ${i}) became ${a[i]} in a step of h = ${h} from t = ${t}`;
  }
  return `the error estimate overflowed in a step of h = ${h} from t = ${t}`;
}

/**
 * The first step: the order-1 start is accurate to O(h²), so begin at √rtol times the time scale |x|/|f| of the path
 * (at most 1% of the span), and let the controller grow it as the order rises.
 */
function initialStep(w: ExpAdamsWork, s: AdaptiveSettings, span: number): number {
  let dx = 0, df = 0;
  const f0 = w.hist.f[0];
  for (let c = 0; c < w.dim; c++) {
    const sc = s.atol + s.rtol * Math.abs(w.x[c]);
    dx += (w.x[c] / sc) ** 2;
    df += (f0[c] / sc) ** 2;
  }
  if (!Number.isFinite(df)) {
    throw new Error(`expAdams: no first step can be chosen at t = ${w.hist.t[0]}: the force is too large for the tolerances (its scaled norm is ${Math.sqrt(df)}); the solution blows up at once: rescale the problem or pass h0`);
  }
  const scale = df > 0 && dx > 0 ? Math.sqrt(dx / df) : span;
  return Math.min(0.5 * Math.sqrt(s.rtol) * scale, 0.01 * span, s.hMax);
}

/** The factor a step of order k (local error ∝ h^{k+1}) with error norm err can change by. */
function stepFactor(err: number, k: number): number {
  return 0.8 * Math.pow(Math.max(err, 1e-10), -1 / (k + 1));
}

/**
 * The next step and order after an attempt at order ke. The order drops by one when the estimate one order lower
 * allows a longer step (high-order Adams formulas have small stability regions, so once the path slows down the
 * step is limited by stability, and a lower order goes further), and is tried one higher after ke + 1 accepted steps
 * at ke. Steps grow at most 2× (not right after a rejection) and shrink at most 5×: variable-step Adams formulas stay
 * stable for moderate ratios.
 */
function nextStep(run: ExpAdamsRun, w: ExpAdamsWork, h: number, err: number, ke: number, accepted: boolean, lastRejected: boolean): number {
  let k = ke;
  let fac = stepFactor(err, ke);
  if (ke >= 2) {
    const facLo = stepFactor(Math.sqrt(Math.max(w.errs[1], w.errs[3])), ke - 1);
    if (facLo > fac) {
      k = ke - 1;
      fac = facLo;
    }
  }
  if (k < ke || !accepted) {
    run.orderTarget = k;
    run.atOrder = 0;
  } else if (++run.atOrder > ke && ke === run.orderTarget && ke < run.order && w.hist.count > ke) {
    run.orderTarget = ke + 1;
    run.atOrder = 0;
  }
  if (accepted) return h * Math.min(lastRejected ? 1 : 2, Math.max(0.5, fac));
  return h * Math.max(0.2, Math.min(0.9, fac));
}

/** Accept the attempted step: quadratures, dense output, samples and the hook; then advance. True: the hook stops. */
function acceptStep(run: ExpAdamsRun, w: ExpAdamsWork, dense: ExpAdamsDense, out: OutputSampler, t: number, h: number, tNew: number, ke: number): boolean {
  if (run.sys.integrand) run.sys.integrand(tNew, w.xNew, w.pNew, w.gNew);
  quadratureStep(w, h, ke);
  dense.build(t, h, ke, (t - run.t0) / run.lambda);
  const J = w.JNew;
  dense.velocityIntegral(1, J);
  for (let c = 0; c < J.length; c++) J[c] += w.J[c];
  const y = w.yNew;
  out.collect(tNew, y, dense.interpolate);
  const stop = run.s.onStep ? run.s.onStep(tNew, y, t, dense.interpolate) === true : false;
  w.advance(tNew);
  run.stats.steps++;
  return stop;
}

/** The driver: attempt steps, accept or reject them, stop on the hook, the step limit or a non-finite state. */
function* expAdamsLoop(run: ExpAdamsRun, w: ExpAdamsWork, dense: ExpAdamsDense, out: OutputSampler, tEnd: number, hStart: number): Generator<ForceRequest, { t: number; stopped: boolean }, void> {
  let t = run.t0;
  let h = hStart;
  let lastRejected = false;
  let lastBad: string | null = null;
  let attempts = 0;
  while (t < tEnd) {
    guardStep("expAdams", t, h, attempts, run.s.maxSteps, lastBad);
    attempts++;
    const last = t + h >= tEnd;
    if (last) h = tEnd - t;
    const tNew = last ? tEnd : t + h;
    const ke = Math.min(run.orderTarget, w.hist.count);
    const err = yield* attemptStep(run, w, t, h, tNew, ke);
    if (!Number.isFinite(err)) {
      // Too large a step can overflow; shrink hard and retry, and report a blow-up if it keeps happening.
      lastBad = describeNonFinite(w, t, h);
      run.stats.rejected++;
      lastRejected = true;
      h *= 0.1;
      continue;
    }
    lastBad = null;
    if (err > 1) {
      run.stats.rejected++;
      h = nextStep(run, w, h, err, ke, false, lastRejected);
      lastRejected = true;
      continue;
    }
    const hNext = nextStep(run, w, h, err, ke, true, lastRejected);
    lastRejected = false;
    const stop = acceptStep(run, w, dense, out, t, h, tNew, ke);
    t = tNew;
    if (stop && t < tEnd) return { t, stopped: true };
    h = Math.min(hNext, run.s.hMax);
  }
  return { t, stopped: false };
}

/** The system's sizes, validated. */
function checkSystem(sys: DampedSystem): { lambda: number; dim: number; extras: number; velocityExtras: number } {
  if (sys === null || typeof sys !== "object") throw new TypeError("sys must be a DampedSystem { lambda, dim, force }");
  const lambda = checkNumber("lambda", sys.lambda, { min: 0, minOpen: true });
  const dim = checkInteger("dim", sys.dim, { min: 1 });
  const extras = checkInteger("extras", sys.extras ?? 0, { min: 0 });
  if (extras > 0 && typeof sys.integrand !== "function") throw new TypeError(`extras = ${extras} needs an integrand function`);
  const velocityExtras = checkInteger("velocityExtras", sys.velocityExtras ?? 0, { min: 0 });
  if (velocityExtras > 0 && typeof sys.velocityIntegrand !== "function") throw new TypeError(`velocityExtras = ${velocityExtras} needs a velocityIntegrand function`);
  return { lambda, dim, extras, velocityExtras };
}

/**
 * The exponential Adams integration of `sys` as a coroutine that yields each force evaluation it needs (the caller
 * writes f(t, x) into `out` and resumes it) and returns the result. expAdams drives it with sys.force; a batch of
 * runs sharing one data set can drive several at once and evaluate their forces together (lib/dynamics/flows/batch).
 * Arguments and errors as for {@link expAdams}.
 */
export function* expAdamsStepper(sys: DampedSystem, y0: Float64Array, times: readonly number[], options: ExpAdamsOptions = {}): Generator<ForceRequest, OdeResult, void> {
  const { lambda, dim, extras, velocityExtras } = checkSystem(sys);
  checkVector("y0", y0, 2 * dim + extras + velocityExtras);
  checkTimes(times);
  const t0 = times[0];
  const tEnd = times[times.length - 1];
  const order = checkInteger("order", options.order ?? 8, { min: 1, max: MAX_ORDER });
  const w = new ExpAdamsWork(dim, extras, velocityExtras, order, y0);
  const s = adaptiveSettings(options, tEnd - t0);
  const run: ExpAdamsRun = { sys, lambda, order, orderTarget: order, atOrder: 0, t0, s, stats: { steps: 0, rejected: 0, fevals: 1 }, req: { t: t0, x: w.x, out: w.fNew } };
  w.hist.shift(t0);
  yield request(run, t0, w.x, w.hist.f[0]);
  checkDerivative("expAdams", t0, w.hist.f[0]);
  if (sys.integrand) sys.integrand(t0, w.x, w.p, w.hist.g[0]);
  const h0 = run.s.h0 !== undefined ? Math.min(run.s.h0, run.s.hMax, tEnd - t0) : initialStep(w, run.s, tEnd - t0);
  const dense = new ExpAdamsDense(w, sys);
  const out = new OutputSampler(times, t0, y0);
  const { t, stopped } = yield* expAdamsLoop(run, w, dense, out, tEnd, h0);
  return { t: out.t, y: out.y, stats: run.stats, tEnd: t, yEnd: Float64Array.from(w.y), stopped };
}

/** Run a stepper to the end, evaluating each force it asks for with `force`. */
export function driveForces<R>(steps: Generator<ForceRequest, R, void>, force: (t: number, x: Float64Array, out: Float64Array) => void): R {
  for (;;) {
    const r = steps.next();
    // Casts, not narrowing: tslab compiles without strictNullChecks, where `done` does not narrow the union.
    if (r.done) return r.value as R;
    const q = r.value as ForceRequest;
    force(q.t, q.x, q.out);
  }
}

/**
 * Integrate a damped second-order system λẍ + ẋ = f(t, x) (with optional quadratures) by the exponential Adams
 * method described at the top of this file. The state is y = [x (dim), ẋ (dim), I (extras), J (velocityExtras)], the
 * layout the flows use, so `times`, `onStep` and the result work as for dopri5.
 * @param sys λ > 0, dim, force f, and optionally the quadratures (extras + integrand, velocityExtras + velocityIntegrand)
 * @param y0 initial state [x₀, ẋ₀, I₀, J₀] (not modified)
 * @param times non-decreasing output times, times[0] = start, last = end
 * @param options rtol, atol (on x and ẋ; the quadratures ride along), h0, hMax, maxSteps, order (1–12), onStep
 * @returns output states, the end state, and counts (fevals counts calls of `force`)
 * @throws RangeError/TypeError for bad arguments; Error naming t if maxSteps is exceeded, the step size underflows,
 *   or the state, the force or the step size stops being finite.
 * @example
 * // 10⁻⁴·ẍ + ẋ = −x from x = 1, ẋ = 0: x(1) ≈ e^{−1} (the λ → 0 limit), in a few dozen steps.
 * const r = expAdams({ lambda: 1e-4, dim: 1, force: (t, x, f) => void (f[0] = -x[0]) }, Float64Array.from([1, 0]), [0, 1]);
 */
export function expAdams(sys: DampedSystem, y0: Float64Array, times: readonly number[], options: ExpAdamsOptions = {}): OdeResult {
  if (sys === null || typeof sys !== "object" || typeof sys.force !== "function") throw new TypeError("sys must be a DampedSystem { lambda, dim, force }");
  return driveForces(expAdamsStepper(sys, y0, times, options), sys.force);
}
