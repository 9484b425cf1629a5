/**
 * The paper's parametrisation of momentum gradient descent (heavy ball)
 *   w_{k+1} = w_k − γ∇F(w_k) + β(w_k − w_{k−1}),
 * by the one quantity that fixes its continuous-time path, λ = γ/(1−β)², and by the step in continuous
 * time h = γ/(1−β) = √(γλ): iterate k sits at time t_k = k·h on the path of λẅ + ẇ + ∇F = 0, to first
 * order in h. To second order (the modified equation) MGD follows the lighter mass λ − h/2 = λ(1+β)/2 =
 * γ(1+β)/(2(1−β)²), half a step later; for plain GD (β = 0) that is the γ/2 path. Names: `gamma` = γ (step size),
 * `beta` = β (momentum), `lambda` = λ, `h` = h, `mass` = the second-order mass γ(1+β)/(2(1−β)²).
 */
import { checkInteger, checkNumber } from "../core/validate";

function checkGamma(gamma: unknown, name = "gamma"): number {
  return checkNumber(name, gamma, { min: 0, minOpen: true });
}

function checkBeta(beta: unknown, name = "beta"): number {
  return checkNumber(name, beta, { min: 0, max: 1, maxOpen: true });
}

/**
 * λ as every function of the library accepts it: a finite number > 0, or ≥ 0 where λ = 0 means the λ → 0 limit
 * (gradient flow / plain GD), as in the flows.
 * @param lambda the value to check
 * @param allowZero whether λ = 0 is allowed (default false)
 * @returns λ
 * @throws TypeError if λ is not a finite number; RangeError naming the allowed range otherwise.
 * @example checkLambda(0, true) // 0
 */
export function checkLambda(lambda: unknown, allowZero = false): number {
  return checkNumber("lambda", lambda, allowZero ? { min: 0 } : { min: 0, minOpen: true });
}

/**
 * λ = γ/(1−β)², the intrinsic quantity of MGD: runs that share λ follow the same path in time t = k·h.
 * @param gamma step size γ > 0
 * @param beta momentum β ∈ [0, 1)
 * @returns λ (equals γ for plain GD, β = 0)
 * @throws RangeError/TypeError if γ ≤ 0 or β ∉ [0, 1).
 * @example lambdaOf(0.002, 0.9) // 0.2
 */
export function lambdaOf(gamma: number, beta: number): number {
  const g = checkGamma(gamma);
  const b = checkBeta(beta);
  return g / ((1 - b) * (1 - b));
}

/**
 * h = γ/(1−β): the continuous time that one MGD iteration covers (also h = √(γλ) = λ(1−β)).
 * @param gamma step size γ > 0
 * @param beta momentum β ∈ [0, 1)
 * @example timeStep(0.002, 0.9) // 0.02
 */
export function timeStep(gamma: number, beta: number): number {
  const g = checkGamma(gamma);
  const b = checkBeta(beta);
  return g / (1 - b);
}

/**
 * t_k = k·h = k·γ/(1−β): the continuous time of iterate k.
 * @param k iteration index ≥ 0 (need not be an integer, e.g. for axis ticks)
 * @example continuousTime(1000, 0.002, 0.9) // 20
 */
export function continuousTime(k: number, gamma: number, beta: number): number {
  checkNumber("k", k, { min: 0 });
  return k * timeStep(gamma, beta);
}

/** (γ, β) together with the λ and h they imply. */
export interface MomentumParams {
  /** Step size γ. */
  gamma: number;
  /** Momentum β. */
  beta: number;
  /** λ = γ/(1−β)². */
  lambda: number;
  /** Continuous time per iteration h = γ/(1−β). */
  h: number;
}

/**
 * The (γ, β) pair with a given λ: either fix β (γ = λ(1−β)²) or fix γ (β = 1 − √(γ/λ)).
 * @param spec `{ lambda, beta }` or `{ lambda, gamma }`, with λ > 0
 * @returns `{ gamma, beta, lambda, h }`
 * @throws RangeError if λ ≤ 0, if both or neither of beta/gamma are given, or if γ > λ: then β = 1 − √(γ/λ)
 *   would be negative — no momentum β ≥ 0 reaches a λ below γ, since β = 0 already gives λ = γ.
 * @example paramsForLambda({ lambda: 0.2, beta: 0.9 }) // { gamma: 0.002, beta: 0.9, lambda: 0.2, h: 0.02 }
 */
export function paramsForLambda(spec: { lambda: number; beta: number } | { lambda: number; gamma: number }): MomentumParams {
  if (spec === null || typeof spec !== "object") throw new TypeError("paramsForLambda needs an object { lambda, beta } or { lambda, gamma }");
  const s = spec as { lambda?: unknown; beta?: unknown; gamma?: unknown };
  const lambda = checkLambda(s.lambda);
  const hasBeta = s.beta !== undefined;
  const hasGamma = s.gamma !== undefined;
  if (hasBeta === hasGamma) {
    throw new RangeError(`paramsForLambda needs exactly one of beta or gamma besides lambda, got ${hasBeta ? "both" : "neither"}`);
  }
  if (hasBeta) {
    const beta = checkBeta(s.beta);
    const gamma = lambda * (1 - beta) * (1 - beta);
    return { gamma, beta, lambda, h: gamma / (1 - beta) };
  }
  const gamma = checkGamma(s.gamma);
  if (gamma > lambda) {
    throw new RangeError(
      `gamma = ${gamma} exceeds lambda = ${lambda}: β = 1 − √(γ/λ) would be negative (${1 - Math.sqrt(gamma / lambda)}); ` +
        `with β ≥ 0 the smallest reachable λ is γ itself (plain GD), so choose gamma ≤ lambda`,
    );
  }
  const beta = 1 - Math.sqrt(gamma / lambda);
  return { gamma, beta, lambda, h: gamma / (1 - beta) };
}

/**
 * Iterations needed to reach continuous time T: ⌈T/h⌉, where a T that is a multiple of h up to rounding
 * (relative 1e-9) is not pushed to the next integer.
 * @param T continuous time ≥ 0
 * @example iterationsForTime(200, 0.002, 0.9) // 10000
 */
export function iterationsForTime(T: number, gamma: number, beta: number): number {
  checkNumber("T", T, { min: 0 });
  const q = T / timeStep(gamma, beta);
  const r = Math.round(q);
  return Math.abs(q - r) <= 1e-9 * Math.max(1, q) ? r : Math.ceil(q);
}

/**
 * The largest stable step size of heavy ball on a quadratic with curvature L: γ < 2(1+β)/L.
 * Why: on f(x) = L x²/2 the recursion is x_{k+1} = (1+β−γL)x_k − βx_{k−1}, with characteristic polynomial
 * z² − (1+β−γL)z + β. Both roots lie inside the unit circle iff 0 ≤ β < 1 and |1+β−γL| < 1+β, that is
 * 0 < γL < 2(1+β). For β = 0 this is GD's γ < 2/L. For the DLN, L is the local curvature of F, which
 * changes along the path, so the bound is only a guide there.
 * @param beta momentum β ∈ [0, 1)
 * @param L curvature (largest Hessian eigenvalue) > 0
 * @returns 2(1+β)/L
 * @example heavyBallStability(0.9, 10) // 0.38
 */
export function heavyBallStability(beta: number, L: number): number {
  const b = checkBeta(beta);
  const l = checkNumber("L", L, { min: 0, minOpen: true });
  return (2 * (1 + b)) / l;
}

/**
 * The second-order mass of MGD, γ(1+β)/(2(1−β)²) = λ(1+β)/2 = λ − h/2: the modified equation of heavy ball is
 * mass·ẅ + ẇ + ∇F = 0 (sampled half a step later), so this is the λ of the path MGD follows to O(h²).
 * @param gamma step size γ > 0
 * @param beta momentum β ∈ [0, 1)
 * @returns γ(1+β)/(2(1−β)²); γ/2 for plain GD
 * @example massOf(0.4, 0) // 0.2: GD at γ = 0.4 follows the λ = 0.2 path
 */
export function massOf(gamma: number, beta: number): number {
  const g = checkGamma(gamma);
  const b = checkBeta(beta);
  return (g * (1 + b)) / (2 * (1 - b) * (1 - b));
}

/** (γ, β) with their first-order λ, h, and the second-order mass. */
export interface SecondOrderParams extends MomentumParams {
  /** γ(1+β)/(2(1−β)²): the λ of the path followed to second order. */
  mass: number;
}

/** h on the second-order path of mass m at step γ: the root of γ(2 − x) = 2m·x² with x = γ/h, h = (γ + √(γ² + 16mγ))/4. */
function stepForMass(mass: number, gamma: number): number {
  return (gamma + Math.sqrt(gamma * gamma + 16 * mass * gamma)) / 4;
}

/** (γ, β) on the path of mass m with continuous-time step h ∈ (0, 2m]: β = (2m − h)/(2m + h), γ = 2h²/(2m + h). */
function paramsForStep(mass: number, h: number): SecondOrderParams {
  const beta = (2 * mass - h) / (2 * mass + h);
  const gamma = (2 * h * h) / (2 * mass + h);
  return { gamma, beta, lambda: gamma / ((1 - beta) * (1 - beta)), h, mass };
}

/**
 * The (γ, β) whose second-order mass γ(1+β)/(2(1−β)²) equals a target λ: fix β (γ = 2λ(1−β)²/(1+β)) or fix γ
 * (β = (2λ − h)/(2λ + h) with h = (γ + √(γ² + 16λγ))/4). Plain GD reaches mass λ at γ = 2λ.
 * @param spec `{ lambda, beta }` or `{ lambda, gamma }`, with λ > 0; γ ≤ 2λ (β ≥ 0 needs it)
 * @returns `{ gamma, beta, lambda: γ/(1−β)², h, mass }` with mass = the target λ
 * @throws RangeError if λ ≤ 0, if both or neither of beta/gamma are given, or if γ > 2λ
 * @example secondOrderParams({ lambda: 0.2, gamma: 0.4 }) // { gamma: 0.4, beta: 0, lambda: 0.4, h: 0.4, mass: 0.2 }
 */
export function secondOrderParams(spec: { lambda: number; beta: number } | { lambda: number; gamma: number }): SecondOrderParams {
  if (spec === null || typeof spec !== "object") throw new TypeError("secondOrderParams needs an object { lambda, beta } or { lambda, gamma }");
  const s = spec as { lambda?: unknown; beta?: unknown; gamma?: unknown };
  const mass = checkNumber("lambda", s.lambda, { min: 0, minOpen: true });
  if ((s.beta === undefined) === (s.gamma === undefined)) {
    throw new RangeError(`secondOrderParams needs exactly one of beta or gamma besides lambda, got ${s.beta === undefined ? "neither" : "both"}`);
  }
  if (s.beta !== undefined) {
    const beta = checkBeta(s.beta);
    const gamma = (2 * mass * (1 - beta) * (1 - beta)) / (1 + beta);
    return { gamma, beta, lambda: gamma / ((1 - beta) * (1 - beta)), h: gamma / (1 - beta), mass };
  }
  const gamma = checkGamma(s.gamma);
  if (gamma > 2 * mass) {
    throw new RangeError(`gamma = ${gamma} exceeds 2·lambda = ${2 * mass}: plain GD at γ already follows the mass γ/2 = ${gamma / 2} > λ, and β ≥ 0 only adds mass; choose gamma ≤ 2·lambda`);
  }
  if (gamma === 2 * mass) return { gamma, beta: 0, lambda: gamma, h: gamma, mass };
  const { beta, h } = paramsForStep(mass, stepForMass(mass, gamma));
  return { gamma, beta, lambda: gamma / ((1 - beta) * (1 - beta)), h, mass };
}

/** The outcome of {@link accelerationRule}. */
export interface AccelerationPlan extends SecondOrderParams {
  /** Iterations to reach time T: ⌈T/h⌉. */
  iterations: number;
  /** Iterations of GD at step gammaMax to reach the same T, divided by `iterations`. */
  speedupOverGD: number;
  /** What set the step: plain GD at γ = 2λ ("gd"), the largest step allowed ("gammaMax"), or the accuracy cap ("accuracy"). */
  limit: "gd" | "gammaMax" | "accuracy";
  /** The predicted sup path error C₂·h² against the mass-λ flow, when an error constant C₂ is given (else null). */
  predictedPathError: number | null;
  /** A sentence saying what the plan does, which order of the theory it uses, and what limited it. */
  note: string;
}

/** Options of {@link accelerationRule}. */
export interface AccelerationSpec {
  /** The target path: the λ of MGF_λ to follow, λ > 0. */
  lambda: number;
  /** The largest step size you accept (e.g. a stability limit), > 0. */
  gammaMax: number;
  /** The continuous time to reach, > 0. */
  T: number;
  /**
   * Accuracy cap: the largest sup path error ‖w_k − w^MGF_λ(t_k + h/2)‖ you accept. The error is second order,
   * C₂·h², so the cap is h ≤ √(pathTolerance/errorConstant). Give both or neither.
   */
  pathTolerance?: number;
  /** C₂: the sup path error per h² of this problem at this λ (measure it: notebook 01's modified-equation table). */
  errorConstant?: number;
}

function accuracyCap(spec: AccelerationSpec): { tol: number; C2: number } | null {
  if ((spec.pathTolerance === undefined) !== (spec.errorConstant === undefined)) {
    throw new RangeError("accelerationRule's accuracy cap needs both pathTolerance and errorConstant (C₂, the path error per h²), or neither");
  }
  if (spec.pathTolerance === undefined) return null;
  return {
    tol: checkNumber("pathTolerance", spec.pathTolerance, { min: 0, minOpen: true }),
    C2: checkNumber("errorConstant", spec.errorConstant, { min: 0, minOpen: true }),
  };
}

function planNote(p: SecondOrderParams, limit: AccelerationPlan["limit"], o: { T: number; gammaMax: number; iterations: number; speedup: number; cap: { tol: number; C2: number } | null }): string {
  const r6 = (x: number) => Number(x.toPrecision(6));
  const order = `second order: mass γ(1+β)/(2(1−β)²) = ${r6(p.mass)}`;
  const vsGD = o.speedup >= 1 ? `${o.speedup.toPrecision(4)}× fewer than` : `${(1 / o.speedup).toPrecision(4)}× more than`;
  const cost = `${o.iterations} iterations reach t = ${o.T}, ${vsGD} GD at gammaMax = ${r6(o.gammaMax)} (which follows the λ = ${r6(o.gammaMax / 2)} path)`;
  if (limit === "gd") return `λ = ${p.mass} ≤ gammaMax/2: plain GD at γ = 2λ = ${r6(p.gamma)}, β = 0 (${order}); ${cost}`;
  const step = `γ = ${r6(p.gamma)}, β = ${r6(p.beta)} (${order}); ${cost}`;
  if (limit === "gammaMax") return `γ = gammaMax: ${step}`;
  return `h capped at √(pathTolerance/C₂) = ${Number(p.h.toPrecision(4))}, so the predicted path error C₂h² is ${o.cap!.tol}: ${step}`;
}

/**
 * The acceleration rule: follow the path of a chosen λ up to time T in as few iterations as possible. To second order
 * (the modified equation) MGD at (γ, β) follows the path of mass γ(1+β)/(2(1−β)²); the rule picks the largest
 * continuous-time step h on that path allowed by three limits, since the iteration count is ⌈T/h⌉:
 * - β ≥ 0: h ≤ 2λ, reached by plain GD at γ = 2λ (so GD at γ = 2λ, not γ = λ, is the answer when gammaMax ≥ 2λ);
 * - γ ≤ gammaMax: h ≤ (gammaMax + √(gammaMax² + 16λ·gammaMax))/4;
 * - accuracy (optional): the sup path error against MGF_λ (half a step later) is C₂·h², so h ≤ √(pathTolerance/C₂).
 * Then β = (2λ − h)/(2λ + h) and γ = 2h²/(2λ + h).
 * @param spec lambda (target λ > 0), gammaMax (> 0), T (> 0), optional pathTolerance and errorConstant (both > 0, together)
 * @returns the plan, with `lambda` = γ/(1−β)² (the first-order λ runMomentum reports) and `mass` = the target λ;
 *   `speedupOverGD` = (iterations of GD at gammaMax)/(iterations of the plan), a comparison of costs, not of paths
 * @throws TypeError/RangeError on non-positive inputs, or a cap given without its constant
 * @example accelerationRule({ lambda: 0.2, gammaMax: 1, T: 200 }) // GD at γ = 0.4: 500 iterations
 * @example accelerationRule({ lambda: 0.2, gammaMax: 1, T: 200, pathTolerance: 1e-4, errorConstant: 0.25 }) // h = 0.02, β = 0.9047…
 */
export function accelerationRule(spec: AccelerationSpec): AccelerationPlan {
  if (spec === null || typeof spec !== "object") throw new TypeError("accelerationRule needs an object { lambda, gammaMax, T }");
  const lambda = checkLambda(spec.lambda);
  const gammaMax = checkNumber("gammaMax", spec.gammaMax, { min: 0, minOpen: true });
  const T = checkNumber("T", spec.T, { min: 0, minOpen: true });
  const cap = accuracyCap(spec);
  const limits: [AccelerationPlan["limit"], number][] = [["gd", 2 * lambda], ["gammaMax", gammaMax >= 2 * lambda ? Infinity : stepForMass(lambda, gammaMax)]];
  if (cap) limits.push(["accuracy", Math.sqrt(cap.tol / cap.C2)]);
  const [limit, h] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
  const p = limit === "gd" ? secondOrderParams({ lambda, gamma: 2 * lambda })
    : limit === "gammaMax" ? secondOrderParams({ lambda, gamma: gammaMax }) : paramsForStep(lambda, h);
  const iterations = iterationsForTime(T, p.gamma, p.beta);
  const speedupOverGD = iterationsForTime(T, gammaMax, 0) / iterations;
  const note = planNote(p, limit, { T, gammaMax, iterations, speedup: speedupOverGD, cap });
  return { ...p, iterations, speedupOverGD, limit, predictedPathError: cap ? cap.C2 * p.h * p.h : null, note };
}

/** When to stop a run: the first rule met wins (checked in the order loss, time, iterations). */
export interface StopRule {
  /** Stop after this many iterations. */
  iterations?: number;
  /** Stop at the first k with continuous time k·γ/(1−β) ≥ time. */
  time?: number;
  /** Stop at the first iterate whose full-batch loss L(w_k) is < loss. */
  loss?: number;
}

/** A checked stop rule: the iteration count (Infinity if none), the time (undefined if none), the loss bound (−Infinity if none). */
export interface StopLimits {
  iterations: number;
  time: number | undefined;
  loss: number;
}

/**
 * Check a stop rule against the iteration cap of a run (shared by runMomentum and runMomentumBatched).
 * @param stop `{ iterations?, time?, loss? }` with at least one rule
 * @param maxIterations the run's cap; stop.iterations may not exceed it
 * @returns the limits, with absent rules as Infinity / undefined / −Infinity
 * @throws TypeError if stop is missing; RangeError naming an unknown or out-of-range rule.
 * @example checkStopRule({ time: 200 }, 1e7) // { iterations: Infinity, time: 200, loss: -Infinity }
 */
export function checkStopRule(stop: unknown, maxIterations: number): StopLimits {
  if (stop === undefined || stop === null || typeof stop !== "object") {
    throw new TypeError("stop must be given: { iterations?, time?, loss? } with at least one rule");
  }
  for (const key of Object.keys(stop)) {
    if (!["iterations", "time", "loss"].includes(key)) throw new RangeError(`unknown stop rule "${key}"; allowed: iterations, time, loss`);
  }
  const s = stop as StopRule;
  if (s.iterations === undefined && s.time === undefined && s.loss === undefined) {
    throw new RangeError("stop needs at least one rule: iterations, time (continuous) or loss");
  }
  const iterations = s.iterations === undefined ? Infinity : checkInteger("stop.iterations", s.iterations, { min: 0 });
  const time = s.time === undefined ? undefined : checkNumber("stop.time", s.time, { min: 0 });
  const loss = s.loss === undefined ? -Infinity : checkNumber("stop.loss", s.loss, { min: 0, minOpen: true });
  if (iterations > maxIterations && iterations !== Infinity) {
    throw new RangeError(`stop.iterations = ${iterations} exceeds maxIterations = ${maxIterations}; raise maxIterations`);
  }
  return { iterations, time, loss };
}

/**
 * The iteration at which a time rule stops a run of (γ, β): ⌈T/h⌉ (Infinity without a time rule).
 * @param time the rule's T (undefined: no time rule)
 * @param maxIterations the run's cap
 * @param who prefix of the error message naming the run (e.g. "runs[3]: "), default none
 * @throws RangeError if the time needs more than maxIterations iterations.
 */
export function stopTimeIterations(time: number | undefined, gamma: number, beta: number, maxIterations: number, who = ""): number {
  if (time === undefined) return Infinity;
  const K = iterationsForTime(time, gamma, beta);
  if (K > maxIterations) {
    throw new RangeError(`${who}stop.time = ${time} needs ${K} iterations at h = γ/(1−β) = ${timeStep(gamma, beta)}, more than maxIterations = ${maxIterations}; raise maxIterations`);
  }
  return K;
}
