/**
 * Options of the flows: unknown keys are rejected (a misspelt `lamda` used to run gradient flow silently), and every
 * value is checked with a one-line message naming it. The formulas come from lib/model (λ, the initialisation).
 */
import { checkChoice, checkInteger, checkNumber, checkVector } from "../../core/validate";
import { initDLN, type DlnState } from "../../model/dln";
import type { Problem } from "../../model/problems";

/** How a flow is integrated: "auto" (default) picks per λ (see momentumFlow); the others force one solver. */
export type FlowMethod = "auto" | "dopri5" | "exp-adams";
export const FLOW_METHODS: readonly FlowMethod[] = ["auto", "dopri5", "exp-adams"];

/** The options every flow shares. */
export const COMMON_FLOW_KEYS = ["T", "times", "rtol", "atol", "maxSteps", "method"] as const;
/** The options of the network flows (momentumFlow; gradientFlow also accepts lambda: 0). */
export const DLN_FLOW_KEYS = ["lambda", "alpha", "init", ...COMMON_FLOW_KEYS, "integrals", "stopLoss"] as const;

/**
 * Throws a RangeError naming the first key of `opts` not in `allowed`, and listing the allowed ones.
 * @example rejectUnknownKeys("momentumFlow", { lamda: 0.5, T: 1 }, DLN_FLOW_KEYS) // throws: unknown option "lamda"
 */
export function rejectUnknownKeys(caller: string, opts: object, allowed: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) throw new RangeError(`${caller}: unknown option "${key}"; allowed: ${allowed.join(", ")}`);
  }
}

/** The options object itself: a plain object with at least T. */
export function checkOptionsObject(caller: string, opts: unknown): asserts opts is Record<string, unknown> {
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) throw new TypeError(`${caller}: options must be an object with at least T`);
}

/** Validated settings shared by all flows. */
export interface FlowSettings {
  T: number;
  /** Requested sample times (default 201 evenly spaced, 0 and T included). */
  times: number[];
  rtol: number;
  atol: number;
  maxSteps: number;
  method: FlowMethod;
}

/** Sample times: non-decreasing, in [0, T]. */
function sampleTimes(T: number, times: unknown): number[] {
  if (times === undefined) return Array.from({ length: 201 }, (_, i) => (i === 200 ? T : (T * i) / 200));
  if (!Array.isArray(times) || times.length === 0) throw new RangeError(`times must be a non-empty array of numbers in [0, T], got ${Array.isArray(times) ? "array(0)" : typeof times}`);
  for (let i = 0; i < times.length; i++) {
    checkNumber(`times[${i}]`, times[i], { min: 0, max: T });
    if (i > 0 && times[i] < times[i - 1]) throw new RangeError(`times must be sorted, got times[${i - 1}] = ${times[i - 1]} > times[${i}] = ${times[i]}`);
  }
  return times as number[];
}

const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** The scale of the interpolating w: max|y| / max|X_ij| (an order of magnitude is all the tolerance needs). */
export function solutionScale(p: Problem): number {
  const x = maxAbs(p.X);
  return x > 0 ? maxAbs(p.y) / x : 1;
}

/**
 * The default absolute tolerance: 1e-12, scaled down with the smallest scale the state must resolve. A fixed 1e-12
 * let a flow whose solution is far below it (data with |y|/|X| ≪ 1e-12) be integrated with errors larger than the
 * solution, so its loss could grow.
 * @param resolution the smallest component scale that carries the solution (1 or more: the default 1e-12)
 */
export function defaultAtol(resolution: number): number {
  return Math.max(1e-300, 1e-12 * Math.min(1, resolution));
}

export function flowSettings(opts: Record<string, unknown>, resolution = 1): FlowSettings {
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  return {
    T,
    times: sampleTimes(T, opts.times),
    rtol: checkNumber("rtol", opts.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    atol: checkNumber("atol", opts.atol ?? defaultAtol(resolution), { min: 0, minOpen: true }),
    maxSteps: checkInteger("maxSteps", opts.maxSteps ?? 1_000_000, { min: 1 }),
    method: checkChoice("method", opts.method ?? "auto", FLOW_METHODS),
  };
}

/** Settings of the network flows. */
export interface DlnFlowSettings extends FlowSettings {
  integrals: boolean;
  stopLoss: number | undefined;
  /** The initial state (velocity 0). */
  init: DlnState;
}

/** The initial (u₀, v₀): `init` if given (α is then ignored), else u₀ = √2·α, v₀ = 0 (lib/model/dln initDLN; α = 0.1 by default). */
export function initialState(p: Problem, alpha: unknown, init: unknown): DlnState {
  if (init === undefined) return initDLN((alpha ?? 0.1) as number | Float64Array, p.d);
  if (typeof init !== "object" || init === null) throw new TypeError("init must be a DlnState {u, v}");
  const s = init as DlnState;
  return { u: checkVector("init.u", s.u, p.d), v: checkVector("init.v", s.v, p.d) };
}

export function dlnFlowSettings(p: Problem, opts: Record<string, unknown>): DlnFlowSettings {
  const integrals = opts.integrals ?? false;
  if (typeof integrals !== "boolean") throw new TypeError(`integrals must be a boolean, got ${typeof integrals}`);
  const init = initialState(p, opts.alpha, opts.init);
  // w = u·v: where |w| ≪ u², v carries w at the scale |w|/|u|, so that is what the tolerance must resolve.
  const sw = solutionScale(p);
  const resolution = sw / Math.max(maxAbs(init.u), maxAbs(init.v), Math.sqrt(sw));
  return {
    ...flowSettings(opts, resolution),
    integrals,
    stopLoss: opts.stopLoss === undefined ? undefined : checkNumber("stopLoss", opts.stopLoss, { min: 0, minOpen: true }),
    init,
  };
}

/** Solver times: the samples with 0 prepended and T appended when missing; `first`/`count` locate the samples. */
export function solverTimes(T: number, times: number[]): { all: number[]; first: number; count: number } {
  const all = times.slice();
  let first = 0;
  if (all[0] !== 0) {
    all.unshift(0);
    first = 1;
  }
  if (all[all.length - 1] !== T) all.push(T);
  return { all, first, count: times.length };
}
