/**
 * Continuous-time flows on the diagonal linear network w = u ⊙ v (the paper's β): gradient flow (GF, λ = 0) and
 * momentum gradient flow (MGF_λ: λẅ + ẇ + ∇F(w) = 0, ẇ(0) = 0), and the same two flows on plain linear regression
 * (w itself is the parameter). Sampled by dense output at the requested times. The pieces live in flows/: option
 * checks (options.ts), right-hand sides (systems.ts), sign changes and the stop rule (watch.ts), samples
 * (samples.ts), one run (run.ts), batches of runs sharing X (batch.ts).
 *
 * **Which solver.** MGF's velocity relaxes on the time scale λ while the path moves on the scale of gradient flow, so an
 * explicit method such as dopri5 is held to steps of about 3λ by stability (the system is stiff when λ is small):
 * its cost grows like 1/λ. The exponential Adams method (lib/dynamics/ode/exp-adams.ts) integrates the damping
 * exactly and approximates only the force along the path, so its step is set by the path's accuracy at every λ, down
 * to the gradient-flow limit. The choice with `method: "auto"` (the default) is therefore by λ alone: the exponential
 * method whenever λ > 0, dopri5 for gradient flow (λ = 0: no damping, a first-order system). The measured reason for
 * not keeping dopri5 above some λ: on the default problem to T = 200 at rtol 1e-8, the exponential method needs
 * 1,000–1,400 force evaluations at every λ from 1e-3 to 10 (GF with dopri5: 1,820), where dopri5 needs 55,000 at
 * λ = 0.01, 3,800 at λ = 1 and 4,400 at λ = 10, so no λ makes dopri5 the cheaper choice (`npm run bench -- flows`).
 * `method: "dopri5"` reproduces the earlier results bit for bit.
 *
 * With `integrals: true` the running integrals needed by the balancedness and mirror identities
 * (08-theory.ipynb#balancedness-identity, #mirror-identity) are appended to the state: ∫g, ∫g², ∫(ȧ² + ḃ²),
 * ∫(ȧ² − ḃ²) with ȧ = (u̇+v̇)/(u+v), ḃ = (u̇−v̇)/(u−v). They are meaningful only while u ± v keep their sign, so sign
 * changes are detected and reported; they are integrated along, outside the error control.
 */
import { checkLambda } from "../model/momentum";
import { lossAndGradient, type DlnState } from "../model/dln";
import type { Problem } from "../model/problems";
import { checkVector } from "../core/validate";
import { expAdams } from "./ode/exp-adams";
import { dopri5 } from "./ode/dopri5";
import type { OdeResult } from "./ode/types";
import type { PathPoint, Trajectory } from "./trajectory";
import { checkOptionsObject, COMMON_FLOW_KEYS, DLN_FLOW_KEYS, dlnFlowSettings, flowSettings, rejectUnknownKeys, solutionScale, solverTimes, type FlowMethod } from "./flows/options";
import { chooseSolver, DlnFlowJob, withContext, type FlowResult, type FlowSolver } from "./flows/run";
import { FlowScratch, linearFlowRhs, linearFlowSystem } from "./flows/systems";

export type { FlowIntegrals, FlowSample } from "./flows/samples";
export type { SignChange } from "./flows/watch";
export type { FlowResult, FlowSolver } from "./flows/run";
export type { FlowMethod } from "./flows/options";
export { momentumFlowBatched, type BatchedFlowRun, type BatchedFlowOptions } from "./flows/batch";

export interface FlowOptions {
  /** λ = γ/(1−β)² ≥ 0, the mass of MGF; 0 = gradient flow (default 0). */
  lambda?: number;
  /** Initialisation scale α > 0 (u₀ = √2α, v₀ = 0), scalar or per coordinate (default 0.1). Ignored if `init` is given. */
  alpha?: number | Float64Array;
  /** Explicit initial (u₀, v₀); the initial velocity is always 0. */
  init?: DlnState;
  /** Final time T > 0. */
  T: number;
  /** Non-decreasing sample times in [0, T] (default 201 evenly spaced, 0 and T included). */
  times?: number[];
  /** Relative tolerance of the solver (default 1e-8). */
  rtol?: number;
  /** Absolute tolerance of the solver (default 1e-12, scaled down with a state far smaller than 1: defaultAtol). */
  atol?: number;
  /** Also integrate ∫g, ∫g², ∫(ȧ²+ḃ²), ∫(ȧ²−ḃ²) (default false). */
  integrals?: boolean;
  /** Stop at the first accepted step where the training loss is < stopLoss. */
  stopLoss?: number;
  /** Give up after this many solver steps, accepted or rejected (default 1e6): long runs (T ≳ 1e6) need more. */
  maxSteps?: number;
  /** "auto" (default), "exp-adams" (λ > 0 only) or "dopri5": see "Which solver" above. */
  method?: FlowMethod;
}

/**
 * Momentum gradient flow MGF_λ on the DLN: λẅ + ẇ + ∇F(w) = 0 with w = (u, v), w(0) = (u₀, v₀), ẇ(0) = 0.
 * λ = 0 gives gradient flow (solved as the first-order system).
 * @param p regression problem
 * @param opts lambda (λ = γ/(1−β)² ≥ 0), alpha (α), init, T, times, rtol, atol, integrals, stopLoss, maxSteps, method
 * @returns samples at the requested times, the final state, the first sign changes of u ± v, solver stats
 * @throws RangeError/TypeError for bad or unknown options (naming the key and the allowed ones); Error naming t if
 *   the solver fails (blow-up, a non-finite step, maxSteps).
 * @example
 * const r = momentumFlow(sparseRegression(), { lambda: 0.2, T: 200 });
 * r.final.loss // < 1e-6
 */
export function momentumFlow(p: Problem, opts: FlowOptions): FlowResult {
  checkOptionsObject("momentumFlow", opts);
  rejectUnknownKeys("momentumFlow", opts, DLN_FLOW_KEYS);
  const lambda = checkLambda(opts.lambda ?? 0, true);
  const job = new DlnFlowJob(p, lambda, dlnFlowSettings(p, opts as unknown as Record<string, unknown>), "momentumFlow");
  return job.result(job.solve());
}

/**
 * Gradient flow on the DLN: u̇ = −g⊙v, v̇ = −g⊙u (conserves Δ = u² − v²).
 * @param p regression problem
 * @param opts alpha (α), init, T, times, rtol, atol, integrals, stopLoss, maxSteps, method ("auto" = "dopri5")
 * @throws RangeError/TypeError for bad or unknown options (including a nonzero `lambda`: use momentumFlow).
 * @example gradientFlow(toyProblem(), { T: 100 }).final.w // ≈ (0.965, 0.069)
 */
export function gradientFlow(p: Problem, opts: Omit<FlowOptions, "lambda">): FlowResult {
  checkOptionsObject("gradientFlow", opts);
  const l = (opts as FlowOptions).lambda;
  if (l !== undefined && l !== 0) throw new RangeError(`gradientFlow has λ = 0; got lambda = ${l} (use momentumFlow for λ > 0)`);
  rejectUnknownKeys("gradientFlow", opts, DLN_FLOW_KEYS);
  const job = new DlnFlowJob(p, 0, dlnFlowSettings(p, opts as unknown as Record<string, unknown>), "gradientFlow");
  return job.result(job.solve());
}

/** A point of a flow on plain linear regression (no network: no u, v). */
export type LinearFlowSample = PathPoint;

/** A flow on plain linear regression, with its solver counts. */
export interface LinearFlowResult extends Trajectory<LinearFlowSample> {
  stats: { steps: number; rejected: number; fevals: number; method: FlowSolver };
}

const LINEAR_FLOW_KEYS = ["lambda", "w0", ...COMMON_FLOW_KEYS] as const;

/**
 * MGF_λ on plain linear regression (no network): λẅ + ẇ + ∇L(w) = 0, w(0) = w₀, ẇ(0) = 0; λ = 0 is GF ẇ = −∇L(w).
 * From w₀ = 0 it converges to the minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y for every λ (momentum does not change
 * the implicit bias of plain least squares). Solvers are chosen as for momentumFlow.
 * @param p regression problem
 * @param opts lambda (λ ≥ 0, default 0), w0 (default 0), T, times (default 201 evenly spaced), rtol, atol, maxSteps, method
 * @throws RangeError/TypeError for bad or unknown options; Error naming t if the solver fails.
 * @example linearMomentumFlow(sparseRegression(), { lambda: 2, T: 600 }).final.loss // < 1e-18
 */
export function linearMomentumFlow(
  p: Problem,
  opts: { lambda?: number; w0?: Float64Array; T: number; times?: number[]; rtol?: number; atol?: number; maxSteps?: number; method?: FlowMethod },
): LinearFlowResult {
  checkOptionsObject("linearMomentumFlow", opts);
  rejectUnknownKeys("linearMomentumFlow", opts, LINEAR_FLOW_KEYS);
  const d = p.d;
  const lambda = checkLambda(opts.lambda ?? 0, true);
  const s = flowSettings(opts as unknown as Record<string, unknown>, solutionScale(p));
  const w0 = opts.w0 === undefined ? new Float64Array(d) : checkVector("w0", opts.w0, d);
  const solver = chooseSolver(lambda, s.method);
  const z0 = new Float64Array(lambda > 0 ? 2 * d : d);
  z0.set(w0);
  const scratch = new FlowScratch(p);
  const st = solverTimes(s.T, s.times);
  const tol = { rtol: s.rtol, atol: s.atol, maxSteps: s.maxSteps };
  const res: OdeResult = withContext(`linearMomentumFlow(λ = ${lambda})`, () =>
    solver === "dopri5" ? dopri5(linearFlowRhs(p, lambda, scratch), z0, st.all, tol) : expAdams(linearFlowSystem(p, lambda, scratch), z0, st.all, tol),
  );
  const g = new Float64Array(d), r = new Float64Array(p.n);
  const make = (t: number, z: Float64Array): LinearFlowSample => {
    const w = z.slice(0, d);
    return { t, w, loss: lossAndGradient(p, w, g, r) };
  };
  const points: LinearFlowSample[] = [];
  for (let k = st.first; k < st.first + st.count; k++) points.push(make(res.t[k], res.y[k]));
  return { lambda, points, final: make(res.tEnd, res.yEnd), stats: { ...res.stats, method: solver } };
}
