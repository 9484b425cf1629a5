/**
 * ODE solvers for the continuous-time flows: Dormand–Prince 5(4) ("dopri5", adaptive, FSAL, with the
 * standard 4th-order dense output of Hairer–Nørsett–Wanner) and fixed-step classical RK4.
 *
 * The state is a Float64Array and the right-hand side writes into a caller-owned buffer,
 * `f(t, y, dydt)`, so a step allocates nothing. Output times are sampled from the dense output, so they
 * never shorten the adaptive steps. Extra quantities (running integrals) are handled by appending them to
 * the state; `errorDims` can leave them out of the error control.
 */
import { checkInteger, checkNumber, checkVector } from "../core/validate";

/** Right-hand side y' = f(t, y); must write the derivative into `dydt` and must not keep `y`. */
export type Rhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/**
 * Called after every accepted step with the new time and state (do not keep or modify `y`: it is reused).
 * `tPrev` is the start of the step and `interpolate(tq, out)` evaluates the dense output for tq ∈ [tPrev, t]
 * (valid only during the call). Return `true` to stop the integration at t.
 */
export type StepHook = (t: number, y: Float64Array, tPrev: number, interpolate: (tq: number, out: Float64Array) => void) => boolean | void;

export interface OdeStats {
  /** Accepted steps. */
  steps: number;
  /** Rejected steps (always 0 for RK4). */
  rejected: number;
  /** Right-hand-side evaluations. */
  fevals: number;
}

export interface OdeResult {
  /** The output times reached (all of `times`, unless the hook stopped the run early). */
  t: number[];
  /** Copies of the state at each output time. */
  y: Float64Array[];
  stats: OdeStats;
  /** Where the integration ended: the last output time, or the step end at which `onStep` returned true. */
  tEnd: number;
  /** Copy of the state at tEnd. */
  yEnd: Float64Array;
  /** True if `onStep` stopped the integration before the last output time. */
  stopped: boolean;
}

export interface Dopri5Options {
  /** Relative tolerance (default 1e-8), in (0, 1). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12), > 0. */
  atol?: number;
  /** Initial step (default: Hairer's automatic choice). */
  h0?: number;
  /** Largest step allowed (default: the whole interval). */
  hMax?: number;
  /** Give up after this many accepted + rejected steps (default 1e6). */
  maxSteps?: number;
  /** "pi" (default): Hairer's PI controller (β = 0.04); "standard": the plain error-per-step controller. */
  controller?: "pi" | "standard";
  /** Only the first `errorDims` components enter the error norm (default: all); e.g. to exclude appended integrals. */
  errorDims?: number;
  onStep?: StepHook;
}

export interface Rk4Options {
  /** Largest step; each interval between output times is split into equal steps ≤ dt. */
  dt: number;
  /** Give up after this many steps (default 1e7). */
  maxSteps?: number;
  onStep?: StepHook;
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

function checkTimes(times: readonly number[]): void {
  if (!Array.isArray(times) || times.length < 2) {
    throw new RangeError(`times must be an array of at least 2 numbers (start time first), got ${Array.isArray(times) ? `array(${times.length})` : typeof times}`);
  }
  for (let i = 0; i < times.length; i++) {
    checkNumber(`times[${i}]`, times[i]);
    if (i > 0 && !(times[i] >= times[i - 1])) {
      throw new RangeError(`times must be non-decreasing, got times[${i - 1}] = ${times[i - 1]} > times[${i}] = ${times[i]}`);
    }
  }
  if (!(times[times.length - 1] > times[0])) {
    throw new RangeError(`times must span a positive interval, got [${times[0]}, ${times[times.length - 1]}]`);
  }
}

function checkDerivative(name: string, t: number, dy: Float64Array): void {
  for (let i = 0; i < dy.length; i++) {
    if (!Number.isFinite(dy[i])) throw new Error(`${name}: the right-hand side is not finite at t = ${t} (component ${i} = ${dy[i]})`);
  }
}

/**
 * Integrate y' = f(t, y) from times[0] to times[times.length − 1] with Dormand–Prince 5(4) and return
 * the state at every entry of `times` (times[0] gives a copy of y0).
 * @param f right-hand side, writes into dydt
 * @param y0 initial state at times[0] (not modified)
 * @param times non-decreasing output times, times[0] = start, last = end
 * @returns output states, the end state and the counts of steps, rejections and f-evaluations
 * @throws RangeError for bad tolerances, times or y0; Error (naming t and the step size) if maxSteps is
 *   exceeded, the step size underflows, or the state stops being finite.
 * @example
 * const r = dopri5((t, y, dy) => { dy[0] = -y[0]; }, Float64Array.from([1]), [0, 1]);
 * r.y[1][0] // ≈ Math.exp(-1)
 */
export function dopri5(f: Rhs, y0: Float64Array, times: readonly number[], options: Dopri5Options = {}): OdeResult {
  checkVector("y0", y0);
  checkTimes(times);
  const rtol = checkNumber("rtol", options.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true });
  const atol = checkNumber("atol", options.atol ?? 1e-12, { min: 0, minOpen: true });
  const t0 = times[0];
  const tEndWanted = times[times.length - 1];
  const span = tEndWanted - t0;
  const hMax = checkNumber("hMax", options.hMax ?? span, { min: 0, minOpen: true });
  const maxSteps = checkInteger("maxSteps", options.maxSteps ?? 1_000_000, { min: 1 });
  const controller = options.controller ?? "pi";
  if (controller !== "pi" && controller !== "standard") {
    throw new RangeError(`controller must be "pi" or "standard", got ${JSON.stringify(controller)}`);
  }
  const m = y0.length;
  const errorDims = checkInteger("errorDims", options.errorDims ?? m, { min: 1, max: m });
  const onStep = options.onStep;

  let y = Float64Array.from(y0);
  let y1 = new Float64Array(m);
  let k1 = new Float64Array(m);
  const k2 = new Float64Array(m), k3 = new Float64Array(m), k4 = new Float64Array(m);
  const k5 = new Float64Array(m), k6 = new Float64Array(m);
  let k7 = new Float64Array(m);
  const ytmp = new Float64Array(m);
  // Dense output coefficients of the last accepted step.
  const r1 = new Float64Array(m), r2 = new Float64Array(m), r3 = new Float64Array(m), r4 = new Float64Array(m), r5 = new Float64Array(m);
  let tOld = t0;
  let hOld = 0;
  const interpolate = (tq: number, out: Float64Array): void => {
    const th = hOld === 0 ? 0 : (tq - tOld) / hOld;
    const th1 = 1 - th;
    for (let i = 0; i < m; i++) out[i] = r1[i] + th * (r2[i] + th1 * (r3[i] + th * (r4[i] + th1 * r5[i])));
  };

  const stats: OdeStats = { steps: 0, rejected: 0, fevals: 0 };
  const outT: number[] = [];
  const outY: Float64Array[] = [];
  let next = 0;
  while (next < times.length && times[next] <= t0) {
    outT.push(times[next]);
    outY.push(Float64Array.from(y0));
    next++;
  }

  let t = t0;
  f(t, y, k1);
  stats.fevals++;
  checkDerivative("dopri5", t, k1);

  const scale = (a: number, b: number): number => atol + rtol * Math.max(Math.abs(a), Math.abs(b));

  // Initial step (Hairer & Wanner, "hinit").
  let h: number;
  if (options.h0 !== undefined) {
    h = Math.min(checkNumber("h0", options.h0, { min: 0, minOpen: true }), hMax, span);
  } else {
    let dnf = 0, dny = 0;
    for (let i = 0; i < errorDims; i++) {
      const sk = scale(y[i], y[i]);
      dnf += (k1[i] / sk) ** 2;
      dny += (y[i] / sk) ** 2;
    }
    dnf = Math.sqrt(dnf / errorDims);
    dny = Math.sqrt(dny / errorDims);
    let hg = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : 0.01 * (dny / dnf);
    hg = Math.min(hg, hMax, span);
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + hg * k1[i];
    f(t + hg, ytmp, k2);
    stats.fevals++;
    let der2 = 0;
    for (let i = 0; i < errorDims; i++) der2 += ((k2[i] - k1[i]) / scale(y[i], y[i])) ** 2;
    der2 = Number.isFinite(der2) ? Math.sqrt(der2 / errorDims) / hg : Infinity;
    const der12 = Math.max(Math.abs(der2), dnf);
    const h1 = der12 <= 1e-15 ? Math.max(1e-6, hg * 1e-3) : Math.pow(0.01 / der12, 1 / 5);
    h = Math.min(100 * hg, h1, hMax, span);
  }

  const beta = controller === "pi" ? 0.04 : 0;
  const expo1 = 0.2 - beta * 0.75;
  const safe = 0.9;
  const facMin = 0.2; // step may shrink to h/5 at most per step …
  const facMax = 10; // … and grow to 10·h at most
  let facOld = 1e-4;
  let lastRejected = false;
  let lastNonFinite = false;
  let stopped = false;
  let attempts = 0;

  while (t < tEndWanted) {
    if (attempts >= maxSteps) {
      throw new Error(`dopri5: maxSteps = ${maxSteps} exceeded at t = ${t} (step size h = ${h}); raise maxSteps or loosen rtol/atol`);
    }
    attempts++;
    if (h < 16 * Number.EPSILON * Math.max(1, Math.abs(t))) {
      throw new Error(
        lastNonFinite
          ? `dopri5: the state became non-finite near t = ${t} (step size underflow, h = ${h}); the solution blows up`
          : `dopri5: step size underflow at t = ${t} (h = ${h}); the problem is too stiff or singular there`,
      );
    }
    let last = false;
    if (t + h >= tEndWanted) {
      h = tEndWanted - t;
      last = true;
    }
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * A21 * k1[i];
    f(t + C2 * h, ytmp, k2);
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    f(t + C3 * h, ytmp, k3);
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    f(t + C4 * h, ytmp, k4);
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    f(t + C5 * h, ytmp, k5);
    for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    const tNew = last ? tEndWanted : t + h;
    f(tNew, ytmp, k6);
    for (let i = 0; i < m; i++) y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    f(tNew, y1, k7);
    stats.fevals += 6;

    let err = 0;
    for (let i = 0; i < errorDims; i++) {
      const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const sk = scale(y[i], y1[i]);
      err += (e / sk) ** 2;
    }
    err = Math.sqrt(err / errorDims);
    let finite = Number.isFinite(err);
    if (finite && errorDims < m) {
      for (let i = errorDims; i < m; i++) {
        if (!Number.isFinite(y1[i]) || !Number.isFinite(k7[i])) {
          finite = false;
          break;
        }
      }
    }
    if (!finite) {
      // Too large a step can overflow; shrink hard and retry, and report a blow-up if it keeps happening.
      lastNonFinite = true;
      stats.rejected++;
      lastRejected = true;
      h *= 0.1;
      continue;
    }
    lastNonFinite = false;
    const fac11 = Math.pow(err, expo1);
    if (err <= 1) {
      let fac = fac11 / Math.pow(facOld, beta);
      fac = Math.max(1 / facMax, Math.min(1 / facMin, fac / safe));
      let hNew = h / fac;
      facOld = Math.max(err, 1e-4);
      stats.steps++;
      // Dense output for [t, tNew] (k7 = f(tNew, y1) is the FSAL stage).
      for (let i = 0; i < m; i++) {
        const yd = y1[i] - y[i];
        const bspl = h * k1[i] - yd;
        r1[i] = y[i];
        r2[i] = yd;
        r3[i] = bspl;
        r4[i] = yd - h * k7[i] - bspl;
        r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
      }
      tOld = t;
      hOld = h;
      while (next < times.length && times[next] <= tNew) {
        const out = new Float64Array(m);
        if (times[next] === tNew) out.set(y1);
        else interpolate(times[next], out);
        outT.push(times[next]);
        outY.push(out);
        next++;
      }
      [y, y1] = [y1, y];
      [k1, k7] = [k7, k1];
      t = tNew;
      if (onStep && onStep(t, y, tOld, interpolate) === true && t < tEndWanted) {
        stopped = true;
        break;
      }
      if (lastRejected) hNew = Math.min(hNew, h);
      lastRejected = false;
      h = Math.min(hNew, hMax);
    } else {
      h = h / Math.min(1 / facMin, fac11 / safe);
      stats.rejected++;
      lastRejected = true;
    }
  }
  return { t: outT, y: outY, stats, tEnd: t, yEnd: Float64Array.from(y), stopped };
}

/**
 * Classical fixed-step RK4 from times[0] to the last entry of `times`. Each interval between consecutive
 * output times is split into ⌈length/dt⌉ equal steps, so the output times are hit exactly.
 * @param f right-hand side, writes into dydt
 * @param y0 initial state at times[0]
 * @param times non-decreasing output times
 * @param options dt (largest step), maxSteps, onStep (its interpolate is cubic Hermite)
 * @throws RangeError for a bad dt, times or y0; Error naming t if the state becomes non-finite.
 * @example rk4((t, y, dy) => { dy[0] = Math.cos(t); }, Float64Array.from([0]), [0, 1], { dt: 0.01 }).y[1][0] // ≈ sin 1
 */
export function rk4(f: Rhs, y0: Float64Array, times: readonly number[], options: Rk4Options): OdeResult {
  checkVector("y0", y0);
  checkTimes(times);
  if (typeof options !== "object" || options === null) throw new TypeError("options must be an object with a step dt");
  const dt = checkNumber("dt", options.dt, { min: 0, minOpen: true });
  const maxSteps = checkInteger("maxSteps", options.maxSteps ?? 10_000_000, { min: 1 });
  const onStep = options.onStep;
  const m = y0.length;
  let y = Float64Array.from(y0);
  let yNew = new Float64Array(m);
  const k1 = new Float64Array(m), k2 = new Float64Array(m), k3 = new Float64Array(m), k4 = new Float64Array(m);
  const fNew = new Float64Array(m);
  const ytmp = new Float64Array(m);
  let tOld = times[0];
  let hOld = 0;
  // Cubic Hermite on the last step from (y, f) at both ends.
  const yA = new Float64Array(m), fA = new Float64Array(m);
  const interpolate = (tq: number, out: Float64Array): void => {
    const s = hOld === 0 ? 0 : (tq - tOld) / hOld;
    const h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s), h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1);
    for (let i = 0; i < m; i++) out[i] = h00 * yA[i] + h10 * hOld * fA[i] + h01 * y[i] + h11 * hOld * fNew[i];
  };
  const stats: OdeStats = { steps: 0, rejected: 0, fevals: 0 };
  const outT: number[] = [times[0]];
  const outY: Float64Array[] = [Float64Array.from(y0)];
  let t = times[0];
  let stopped = false;
  outer: for (let j = 1; j < times.length; j++) {
    const len = times[j] - t;
    if (len > 0) {
      const nSteps = Math.max(1, Math.ceil(len / dt - 1e-9));
      const h = len / nSteps;
      for (let s = 0; s < nSteps; s++) {
        if (stats.steps >= maxSteps) throw new Error(`rk4: maxSteps = ${maxSteps} exceeded at t = ${t} (dt = ${h})`);
        f(t, y, k1);
        for (let i = 0; i < m; i++) ytmp[i] = y[i] + 0.5 * h * k1[i];
        f(t + 0.5 * h, ytmp, k2);
        for (let i = 0; i < m; i++) ytmp[i] = y[i] + 0.5 * h * k2[i];
        f(t + 0.5 * h, ytmp, k3);
        for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * k3[i];
        const tNew = s === nSteps - 1 ? times[j] : t + h;
        f(tNew, ytmp, k4);
        stats.fevals += 4;
        for (let i = 0; i < m; i++) {
          const v = y[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
          if (!Number.isFinite(v)) throw new Error(`rk4: the state became non-finite at t = ${tNew} (component ${i}, dt = ${h}); the solution blows up or dt is too large`);
          yNew[i] = v;
        }
        stats.steps++;
        if (onStep) {
          yA.set(y);
          fA.set(k1);
          f(tNew, yNew, fNew);
          stats.fevals++;
          tOld = t;
          hOld = h;
        }
        [y, yNew] = [yNew, y];
        t = tNew;
        if (onStep && onStep(t, y, tOld, interpolate) === true && t < times[times.length - 1]) {
          stopped = true;
          if (t === times[j]) {
            outT.push(times[j]);
            outY.push(Float64Array.from(y));
          }
          break outer;
        }
      }
    }
    outT.push(times[j]);
    outY.push(Float64Array.from(y));
  }
  return { t: outT, y: outY, stats, tEnd: t, yEnd: Float64Array.from(y), stopped };
}
