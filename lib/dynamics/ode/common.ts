/**
 * Pieces every solver shares (the counterpart of SciPy's integrate/_ivp/common.py): argument checks, the tolerance
 * scale, sampling the requested output times from the dense output, and the guards that stop a run with a sentence
 * (step limit, a step size or state that stops being finite).
 */
import { checkInteger, checkNumber } from "../../core/validate";
import type { AdaptiveOptions, Interpolant, StepHook } from "./types";

/** Output times: at least two, non-decreasing, spanning a positive interval. */
export function checkTimes(times: readonly number[]): void {
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

/** Throws (naming the solver, t and the component) if a derivative is not finite. */
export function checkDerivative(name: string, t: number, dy: Float64Array): void {
  for (let i = 0; i < dy.length; i++) {
    if (!Number.isFinite(dy[i])) throw new Error(`${name}: the right-hand side is not finite at t = ${t} (component ${i} = ${dy[i]})`);
  }
}

/** Index of the first non-finite entry of a[from..to), or −1. */
export function firstNonFinite(a: Float64Array, from = 0, to = a.length): number {
  for (let i = from; i < to; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** Validated tolerances, step bounds and limits of an adaptive solver. */
export interface AdaptiveSettings {
  rtol: number;
  atol: number;
  hMax: number;
  maxSteps: number;
  /** The requested first step, or undefined for the automatic choice. */
  h0: number | undefined;
  onStep: StepHook | undefined;
}

export function adaptiveSettings(options: AdaptiveOptions, span: number): AdaptiveSettings {
  return {
    rtol: checkNumber("rtol", options.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    atol: checkNumber("atol", options.atol ?? 1e-12, { min: 0, minOpen: true }),
    hMax: checkNumber("hMax", options.hMax ?? span, { min: 0, minOpen: true }),
    maxSteps: checkInteger("maxSteps", options.maxSteps ?? 1_000_000, { min: 1 }),
    h0: options.h0 === undefined ? undefined : checkNumber("h0", options.h0, { min: 0, minOpen: true }),
    onStep: options.onStep,
  };
}

/**
 * Stops a run whose step count or step size went wrong: too many attempts (naming the `maxSteps` option), a step
 * size that is not a positive finite number (it came from a NaN or infinite error estimate), or one too small to
 * advance t.
 * @param lastBad a description of the non-finite state that made the previous attempts fail, if any
 */
export function guardStep(solver: string, t: number, h: number, attempts: number, maxSteps: number, lastBad: string | null): void {
  if (attempts >= maxSteps) {
    throw new Error(`${solver}: maxSteps = ${maxSteps} exceeded at t = ${t} (step size h = ${h}); raise maxSteps or loosen rtol/atol`);
  }
  if (!(h > 0) || h === Infinity) {
    throw new Error(`${solver}: the step size became ${h} at t = ${t}${lastBad ? ` because ${lastBad}` : ""}; the solution blows up or the right-hand side is not finite there`);
  }
  if (h < 16 * Number.EPSILON * Math.max(1, Math.abs(t))) {
    throw new Error(
      lastBad
        ? `${solver}: the state became non-finite near t = ${t} (step size underflow, h = ${h}: ${lastBad}); the solution blows up`
        : `${solver}: step size underflow at t = ${t} (h = ${h}); the problem is too stiff or singular there`,
    );
  }
}

/**
 * Collects the states at the requested output times as the solver passes them: the times at or before the start
 * are copies of y0, the rest are read from each accepted step's dense output (or its end state when a time falls
 * exactly on the step end), so output times never shorten a step.
 */
export class OutputSampler {
  readonly t: number[] = [];
  readonly y: Float64Array[] = [];
  private next = 0;

  constructor(private readonly times: readonly number[], t0: number, y0: Float64Array) {
    while (this.next < times.length && times[this.next] <= t0) {
      this.t.push(times[this.next]);
      this.y.push(Float64Array.from(y0));
      this.next++;
    }
  }

  /** Record every output time in (tPrev, tNew] from the step that just ended at (tNew, yNew). */
  collect(tNew: number, yNew: Float64Array, interpolate: Interpolant): void {
    const times = this.times;
    while (this.next < times.length && times[this.next] <= tNew) {
      const out = new Float64Array(yNew.length);
      if (times[this.next] === tNew) out.set(yNew);
      else interpolate(times[this.next], out);
      this.t.push(times[this.next]);
      this.y.push(out);
      this.next++;
    }
  }
}
