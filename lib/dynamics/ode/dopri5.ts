/**
 * Dormand–Prince 5(4) ("dopri5"): explicit, adaptive, FSAL, with Hairer–Nørsett–Wanner's 4th-order dense output and
 * PI step control. Split as SciPy's integrate/_ivp/rk.py splits its RungeKutta solver: the step (the stages and the
 * embedded error), the step-size controller, the dense output of a step, and the driver that loops over steps.
 * The arithmetic is exactly that of the single-function solver it replaced, so results are bit-identical.
 */
import { checkChoice, checkInteger, checkVector } from "../../core/validate";
import { adaptiveSettings, checkDerivative, checkTimes, firstNonFinite, guardStep, OutputSampler, type AdaptiveSettings } from "./common";
import type { AdaptiveOptions, Interpolant, OdeResult, OdeStats, Rhs } from "./types";

export interface Dopri5Options extends AdaptiveOptions {
  /** "pi" (default): Hairer's PI controller (β = 0.04); "standard": the plain error-per-step controller. */
  controller?: "pi" | "standard";
  /** Only the first `errorDims` components enter the error norm (default: all); e.g. to exclude appended integrals. */
  errorDims?: number;
}

// Dormand–Prince 5(4) tableau.
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// Error weights b − b̂.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense-output weights (Hairer's contd5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

/** The buffers of one dopri5 run: stages k1…k7, the state y, the candidate y1 and a scratch stage state. */
class Dopri5Work {
  y: Float64Array;
  y1: Float64Array;
  k1: Float64Array;
  k7: Float64Array;
  readonly k2: Float64Array;
  readonly k3: Float64Array;
  readonly k4: Float64Array;
  readonly k5: Float64Array;
  readonly k6: Float64Array;
  readonly ytmp: Float64Array;

  constructor(y0: Float64Array) {
    const m = y0.length;
    this.y = Float64Array.from(y0);
    this.y1 = new Float64Array(m);
    this.k1 = new Float64Array(m);
    this.k7 = new Float64Array(m);
    this.k2 = new Float64Array(m);
    this.k3 = new Float64Array(m);
    this.k4 = new Float64Array(m);
    this.k5 = new Float64Array(m);
    this.k6 = new Float64Array(m);
    this.ytmp = new Float64Array(m);
  }

  /** Accept the step: y1 becomes y and the FSAL stage k7 becomes k1 (by swapping buffers). */
  advance(): void {
    [this.y, this.y1] = [this.y1, this.y];
    [this.k1, this.k7] = [this.k7, this.k1];
  }
}

/**
 * One Dormand–Prince step of size h from (t, y) with k1 = f(t, y): fills k2…k7 and the 5th-order solution y1
 * (k7 = f(tNew, y1) is the FSAL stage). Six evaluations of f. (A hot kernel.)
 */
function dopri5Stages(f: Rhs, t: number, h: number, tNew: number, w: Dopri5Work): void {
  const { y, y1, k1, k2, k3, k4, k5, k6, k7, ytmp } = w;
  const m = y.length;
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * A21 * k1[i];
  f(t + C2 * h, ytmp, k2);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
  f(t + C3 * h, ytmp, k3);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
  f(t + C4 * h, ytmp, k4);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
  f(t + C5 * h, ytmp, k5);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
  f(tNew, ytmp, k6);
  for (let i = 0; i < m; i++) y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
  f(tNew, y1, k7);
}

/**
 * RMS of the embedded error estimate over the first `errorDims` components, each scaled by atol + rtol·max(|y|, |y1|).
 * Not finite if the step overflowed (in any component, including those outside the norm).
 */
function dopri5ErrorNorm(h: number, w: Dopri5Work, errorDims: number, rtol: number, atol: number): number {
  const { y, y1, k1, k3, k4, k5, k6, k7 } = w;
  let err = 0;
  for (let i = 0; i < errorDims; i++) {
    const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
    const sk = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(y1[i]));
    err += (e / sk) ** 2;
  }
  err = Math.sqrt(err / errorDims);
  if (Number.isFinite(err) && (firstNonFinite(y1, errorDims) >= 0 || firstNonFinite(k7, errorDims) >= 0)) return NaN;
  return err;
}

/** Why a step failed to be finite, for the error message. */
function describeNonFinite(t: number, h: number, w: Dopri5Work): string {
  const i = firstNonFinite(w.y1);
  if (i >= 0) return `component ${i} of the state became ${w.y1[i]} in a step of h = ${h} from t = ${t}`;
  const j = firstNonFinite(w.k7);
  if (j >= 0) return `the right-hand side became ${w.k7[j]} (component ${j}) in a step of h = ${h} from t = ${t}`;
  return `the error estimate overflowed in a step of h = ${h} from t = ${t}`;
}

/** Hairer's PI step-size controller (β = 0.04; β = 0 is the standard controller): the next step after an attempt. */
class PiController {
  private readonly beta: number;
  private readonly expo1: number;
  private facOld = 1e-4;
  private static readonly safe = 0.9;
  private static readonly facMin = 0.2; // the step may shrink to h/5 at most per step …
  private static readonly facMax = 10; // … and grow to 10·h at most

  constructor(kind: "pi" | "standard") {
    this.beta = kind === "pi" ? 0.04 : 0;
    this.expo1 = 0.2 - this.beta * 0.75;
  }

  /** The step after an accepted step with error norm err ≤ 1. */
  accepted(err: number, h: number): number {
    const { safe, facMin, facMax } = PiController;
    let fac = Math.pow(err, this.expo1) / Math.pow(this.facOld, this.beta);
    fac = Math.max(1 / facMax, Math.min(1 / facMin, fac / safe));
    this.facOld = Math.max(err, 1e-4);
    return h / fac;
  }

  /** The step to retry with after a rejected step (err > 1). */
  rejected(err: number, h: number): number {
    const { safe, facMin } = PiController;
    return h / Math.min(1 / facMin, Math.pow(err, this.expo1) / safe);
  }
}

/** The 4th-order continuous extension of a dopri5 step (Hairer's contd5): coefficients r1…r5 per component. */
class Dopri5Dense {
  private readonly r1: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  private tOld: number;
  private hOld = 0;
  /** Evaluates the last step's dense output (bound once, so the hook can keep calling it). */
  readonly interpolate: Interpolant;

  constructor(m: number, t0: number) {
    this.r1 = new Float64Array(m);
    this.r2 = new Float64Array(m);
    this.r3 = new Float64Array(m);
    this.r4 = new Float64Array(m);
    this.r5 = new Float64Array(m);
    this.tOld = t0;
    const interpolate: Interpolant = (tq, out) => {
      const { r1, r2, r3, r4, r5 } = this;
      const th = this.hOld === 0 ? 0 : (tq - this.tOld) / this.hOld;
      const th1 = 1 - th;
      for (let i = 0; i < r1.length; i++) out[i] = r1[i] + th * (r2[i] + th1 * (r3[i] + th * (r4[i] + th1 * r5[i])));
    };
    interpolate.component = (tq, i) => {
      const { r1, r2, r3, r4, r5 } = this;
      const th = this.hOld === 0 ? 0 : (tq - this.tOld) / this.hOld;
      const th1 = 1 - th;
      return r1[i] + th * (r2[i] + th1 * (r3[i] + th * (r4[i] + th1 * r5[i])));
    };
    this.interpolate = interpolate;
  }

  /** Build the extension of the step [t, t + h] just accepted (before the work buffers advance). */
  build(t: number, h: number, w: Dopri5Work): void {
    const { y, y1, k1, k3, k4, k5, k6, k7 } = w;
    const { r1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < y.length; i++) {
      const yd = y1[i] - y[i];
      const bspl = h * k1[i] - yd;
      r1[i] = y[i];
      r2[i] = yd;
      r3[i] = bspl;
      r4[i] = yd - h * k7[i] - bspl;
      r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
    this.tOld = t;
    this.hOld = h;
  }
}

/** Hairer & Wanner's automatic first step ("hinit"), from k1 = f(t0, y0) and one more evaluation (in w.k2). */
function initialStep(f: Rhs, t: number, w: Dopri5Work, errorDims: number, s: AdaptiveSettings, span: number): number {
  const { y, k1, k2, ytmp } = w;
  const scale = (a: number): number => s.atol + s.rtol * Math.abs(a);
  let dnf = 0, dny = 0;
  for (let i = 0; i < errorDims; i++) {
    const sk = scale(y[i]);
    dnf += (k1[i] / sk) ** 2;
    dny += (y[i] / sk) ** 2;
  }
  dnf = Math.sqrt(dnf / errorDims);
  dny = Math.sqrt(dny / errorDims);
  let hg = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : 0.01 * (dny / dnf);
  hg = Math.min(hg, s.hMax, span);
  for (let i = 0; i < y.length; i++) ytmp[i] = y[i] + hg * k1[i];
  f(t + hg, ytmp, k2);
  let der2 = 0;
  for (let i = 0; i < errorDims; i++) der2 += ((k2[i] - k1[i]) / scale(y[i])) ** 2;
  der2 = Number.isFinite(der2) ? Math.sqrt(der2 / errorDims) / hg : Infinity;
  const der12 = Math.max(Math.abs(der2), dnf);
  const h1 = der12 <= 1e-15 ? Math.max(1e-6, hg * 1e-3) : Math.pow(0.01 / der12, 1 / 5);
  const h = Math.min(100 * hg, h1, s.hMax, span);
  if (!(h > 0)) {
    // Only when the scaled derivative overflows: no step size can be read from it (it used to give h = NaN).
    throw new Error(`dopri5: no first step can be chosen at t = ${t}: the derivative is too large for the tolerances (its scaled norm is ${dnf}); the solution blows up at once: rescale the problem or pass h0`);
  }
  return h;
}

/**
 * Integrate y' = f(t, y) from times[0] to times[times.length − 1] with Dormand–Prince 5(4) and return
 * the state at every entry of `times` (times[0] gives a copy of y0).
 * @param f right-hand side, writes into dydt
 * @param y0 initial state at times[0] (not modified)
 * @param times non-decreasing output times, times[0] = start, last = end
 * @param options rtol, atol, h0, hMax, maxSteps, controller, errorDims, onStep
 * @returns output states, the end state and the counts of steps, rejections and f-evaluations
 * @throws RangeError for bad tolerances, times or y0; Error (naming t and the step size) if maxSteps is
 *   exceeded, the step size underflows or stops being a finite number, or the state stops being finite.
 * @example
 * const r = dopri5((t, y, dy) => { dy[0] = -y[0]; }, Float64Array.from([1]), [0, 1]);
 * r.y[1][0] // ≈ Math.exp(-1)
 */
export function dopri5(f: Rhs, y0: Float64Array, times: readonly number[], options: Dopri5Options = {}): OdeResult {
  checkVector("y0", y0);
  checkTimes(times);
  const t0 = times[0];
  const tEnd = times[times.length - 1];
  const s = adaptiveSettings(options, tEnd - t0);
  const controller = new PiController(checkChoice("controller", options.controller ?? "pi", ["pi", "standard"] as const));
  const m = y0.length;
  const errorDims = checkInteger("errorDims", options.errorDims ?? m, { min: 1, max: m });
  const w = new Dopri5Work(y0);
  const dense = new Dopri5Dense(m, t0);
  const out = new OutputSampler(times, t0, y0);
  const stats: OdeStats = { steps: 0, rejected: 0, fevals: 0 };

  f(t0, w.y, w.k1);
  stats.fevals++;
  checkDerivative("dopri5", t0, w.k1);
  let h: number;
  if (s.h0 !== undefined) h = Math.min(s.h0, s.hMax, tEnd - t0);
  else {
    h = initialStep(f, t0, w, errorDims, s, tEnd - t0);
    stats.fevals++;
  }
  const { t, stopped } = dopri5Loop(f, t0, tEnd, h, w, { s, controller, dense, out, stats, errorDims });
  return { t: out.t, y: out.y, stats, tEnd: t, yEnd: Float64Array.from(w.y), stopped };
}

/** The driver: attempt steps, accept or reject them, feed the dense output to the sampler and the hook. */
function dopri5Loop(
  f: Rhs,
  t0: number,
  tEnd: number,
  hStart: number,
  w: Dopri5Work,
  c: { s: AdaptiveSettings; controller: PiController; dense: Dopri5Dense; out: OutputSampler; stats: OdeStats; errorDims: number },
): { t: number; stopped: boolean } {
  const { s, controller, dense, out, stats } = c;
  let t = t0;
  let h = hStart;
  let lastRejected = false;
  let lastBad: string | null = null;
  let attempts = 0;
  while (t < tEnd) {
    guardStep("dopri5", t, h, attempts, s.maxSteps, lastBad);
    attempts++;
    let last = false;
    if (t + h >= tEnd) {
      h = tEnd - t;
      last = true;
    }
    const tNew = last ? tEnd : t + h;
    dopri5Stages(f, t, h, tNew, w);
    stats.fevals += 6;
    const err = dopri5ErrorNorm(h, w, c.errorDims, s.rtol, s.atol);
    if (!Number.isFinite(err)) {
      // Too large a step can overflow; shrink hard and retry, and report a blow-up if it keeps happening.
      lastBad = describeNonFinite(t, h, w);
      stats.rejected++;
      lastRejected = true;
      h *= 0.1;
      continue;
    }
    lastBad = null;
    if (err > 1) {
      h = controller.rejected(err, h);
      stats.rejected++;
      lastRejected = true;
      continue;
    }
    let hNew = controller.accepted(err, h);
    stats.steps++;
    dense.build(t, h, w);
    out.collect(tNew, w.y1, dense.interpolate);
    w.advance();
    const tPrev = t;
    t = tNew;
    if (s.onStep && s.onStep(t, w.y, tPrev, dense.interpolate) === true && t < tEnd) return { t, stopped: true };
    if (lastRejected) hNew = Math.min(hNew, h);
    lastRejected = false;
    h = Math.min(hNew, s.hMax);
  }
  return { t, stopped: false };
}
