/**
 * Types shared by the ODE solvers (dopri5, rk4, the exponential Adams method): the right-hand side, the per-step
 * hook, and the result every solver returns.
 */

/** Right-hand side y' = f(t, y); must write the derivative into `dydt` and must not keep `y`. */
export type Rhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/**
 * Dense output of the last accepted step: writes the state at tq ∈ [tPrev, t] into `out`. With `count`, only the
 * first `count` entries need be written (a solver may skip costly appended quadratures). `component(tq, i)`, when
 * present, returns entry i alone, with the same arithmetic as the full evaluation (cheap root finding on one entry).
 */
export interface Interpolant {
  (tq: number, out: Float64Array, count?: number): void;
  component?: (tq: number, index: number) => number;
}

/**
 * Called after every accepted step with the new time and state (do not keep or modify `y`: it is reused).
 * `tPrev` is the start of the step and `interpolate(tq, out)` evaluates the dense output for tq ∈ [tPrev, t]
 * (valid only during the call). Return `true` to stop the integration at t.
 */
export type StepHook = (t: number, y: Float64Array, tPrev: number, interpolate: Interpolant) => boolean | void;

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

/** Options every adaptive solver shares. */
export interface AdaptiveOptions {
  /** Relative tolerance (default 1e-8), in (0, 1). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12), > 0. */
  atol?: number;
  /** Initial step (default: chosen automatically). */
  h0?: number;
  /** Largest step allowed (default: the whole interval). */
  hMax?: number;
  /** Give up after this many accepted + rejected steps (default 1e6). */
  maxSteps?: number;
  onStep?: StepHook;
}
