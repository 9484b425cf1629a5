/** Classical fixed-step RK4 (for checks and for users who want a fixed grid). */
import { checkInteger, checkNumber, checkVector } from "../../core/validate";
import { checkTimes } from "./common";
import type { Interpolant, OdeResult, OdeStats, Rhs, StepHook } from "./types";

export interface Rk4Options {
  /** Largest step; each interval between output times is split into equal steps ≤ dt. */
  dt: number;
  /** Give up after this many steps (default 1e7). */
  maxSteps?: number;
  onStep?: StepHook;
}

/** Buffers of an RK4 run, and the cubic Hermite interpolant of its last step from (y, f) at both ends. */
class Rk4Work {
  y: Float64Array;
  yNew: Float64Array;
  readonly k1: Float64Array;
  readonly k2: Float64Array;
  readonly k3: Float64Array;
  readonly k4: Float64Array;
  readonly fNew: Float64Array;
  readonly ytmp: Float64Array;
  readonly yA: Float64Array;
  readonly fA: Float64Array;
  tOld = 0;
  hOld = 0;
  readonly interpolate: Interpolant;

  constructor(y0: Float64Array) {
    const m = y0.length;
    this.y = Float64Array.from(y0);
    this.yNew = new Float64Array(m);
    [this.k1, this.k2, this.k3, this.k4, this.fNew, this.ytmp, this.yA, this.fA] = Array.from({ length: 8 }, () => new Float64Array(m));
    this.interpolate = (tq, out) => {
      const s = this.hOld === 0 ? 0 : (tq - this.tOld) / this.hOld;
      const h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s), h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1);
      const { yA, fA, y, fNew, hOld } = this;
      for (let i = 0; i < m; i++) out[i] = h00 * yA[i] + h10 * hOld * fA[i] + h01 * y[i] + h11 * hOld * fNew[i];
    };
  }
}

/** One RK4 step of size h from (t, y) into w.yNew; throws naming t if the new state is not finite. (A hot kernel.) */
function rk4Step(f: Rhs, t: number, h: number, tNew: number, w: Rk4Work): void {
  const { y, yNew, k1, k2, k3, k4, ytmp } = w;
  const m = y.length;
  f(t, y, k1);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + 0.5 * h * k1[i];
  f(t + 0.5 * h, ytmp, k2);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + 0.5 * h * k2[i];
  f(t + 0.5 * h, ytmp, k3);
  for (let i = 0; i < m; i++) ytmp[i] = y[i] + h * k3[i];
  f(tNew, ytmp, k4);
  for (let i = 0; i < m; i++) {
    const v = y[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    if (!Number.isFinite(v)) throw new Error(`rk4: the state became non-finite at t = ${tNew} (component ${i}, dt = ${h}); the solution blows up or dt is too large`);
    yNew[i] = v;
  }
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
  const w = new Rk4Work(y0);
  const stats: OdeStats = { steps: 0, rejected: 0, fevals: 0 };
  const outT: number[] = [times[0]];
  const outY: Float64Array[] = [Float64Array.from(y0)];
  let t = times[0];
  for (let j = 1; j < times.length; j++) {
    const len = times[j] - t;
    const nSteps = len > 0 ? Math.max(1, Math.ceil(len / dt - 1e-9)) : 0;
    const h = len / nSteps;
    for (let s = 0; s < nSteps; s++) {
      if (stats.steps >= maxSteps) throw new Error(`rk4: maxSteps = ${maxSteps} exceeded at t = ${t} (dt = ${h})`);
      const tNew = s === nSteps - 1 ? times[j] : t + h;
      rk4Step(f, t, h, tNew, w);
      stats.fevals += 4;
      stats.steps++;
      if (onStep) {
        w.yA.set(w.y);
        w.fA.set(w.k1);
        f(tNew, w.yNew, w.fNew);
        stats.fevals++;
        w.tOld = t;
        w.hOld = h;
      }
      [w.y, w.yNew] = [w.yNew, w.y];
      t = tNew;
      if (onStep && onStep(t, w.y, w.tOld, w.interpolate) === true && t < times[times.length - 1]) {
        if (t === times[j]) {
          outT.push(times[j]);
          outY.push(Float64Array.from(w.y));
        }
        return { t: outT, y: outY, stats, tEnd: t, yEnd: Float64Array.from(w.y), stopped: true };
      }
    }
    outT.push(times[j]);
    outY.push(Float64Array.from(w.y));
  }
  return { t: outT, y: outY, stats, tEnd: t, yEnd: Float64Array.from(w.y), stopped: false };
}
