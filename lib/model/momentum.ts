/**
 * The paper's parametrisation of momentum gradient descent (heavy ball)
 *   w_{k+1} = w_k − γ∇F(w_k) + β(w_k − w_{k−1}),
 * by the one quantity that fixes its continuous-time path, λ = γ/(1−β)², and by the step in continuous
 * time h = γ/(1−β) = √(γλ): iterate k sits at time t_k = k·h on the path of λẅ + ẇ + ∇F = 0
 * (science.md §2.3). Names: `gamma` = γ (step size), `beta` = β (momentum), `lambda` = λ, `h` = h.
 */
import { checkNumber } from "../core/validate";

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

/** The outcome of {@link accelerationRule}. */
export interface AccelerationPlan extends MomentumParams {
  /** Iterations to reach time T: ⌈T/h⌉ ≈ T/√(γλ). */
  iterations: number;
  /** Iterations of GD at step gammaMax to reach the same T, divided by `iterations`. */
  speedupOverGD: number;
  /** A sentence saying what the plan does and what the comparison means. */
  note: string;
}

/**
 * The acceleration rule (science.md §2.5): to follow the path of a chosen λ up to time T as fast as
 * possible, take the largest allowed step γ = min(gammaMax, λ) and β = 1 − √(γ/λ). Every (γ, β) with this λ
 * follows the same path, and the iteration count is T/h = T/√(γλ), so a larger γ is always faster.
 * @param spec.lambda the target λ > 0
 * @param spec.gammaMax the largest step size you accept (e.g. a stability limit) > 0
 * @param spec.T the continuous time to reach > 0
 * @returns the plan, with `speedupOverGD` = (iterations of GD at gammaMax to reach T)/(iterations of the plan).
 *   GD at gammaMax follows the λ = gammaMax path, so this compares costs, not paths; if λ < gammaMax the
 *   plan is GD at γ = λ (β = 0) and the "speed-up" is below 1, the price of staying on the smaller-λ path.
 * @throws RangeError on non-positive inputs.
 * @example accelerationRule({ lambda: 0.2, gammaMax: 0.002, T: 200 }) // β = 0.9, 10000 iterations, speed-up 10
 */
export function accelerationRule(spec: { lambda: number; gammaMax: number; T: number }): AccelerationPlan {
  if (spec === null || typeof spec !== "object") throw new TypeError("accelerationRule needs an object { lambda, gammaMax, T }");
  const lambda = checkLambda(spec.lambda);
  const gammaMax = checkNumber("gammaMax", spec.gammaMax, { min: 0, minOpen: true });
  const T = checkNumber("T", spec.T, { min: 0, minOpen: true });
  const gamma = Math.min(gammaMax, lambda);
  const beta = gamma === lambda ? 0 : 1 - Math.sqrt(gamma / lambda);
  const h = gamma / (1 - beta);
  const iterations = iterationsForTime(T, gamma, beta);
  const gdIterations = iterationsForTime(T, gammaMax, 0);
  const speedupOverGD = gdIterations / iterations;
  const note =
    gamma < lambda
      ? `γ = gammaMax = ${gamma}, β = 1 − √(γ/λ) = ${beta.toPrecision(6)}: ${iterations} iterations reach t = ${T} on the λ = ${lambda} path, ` +
        `${speedupOverGD.toPrecision(4)}× fewer than GD at γ = ${gammaMax} (which follows the λ = ${gammaMax} path)`
      : `λ = ${lambda} ≤ gammaMax = ${gammaMax}: plain GD at γ = λ (β = 0) already follows this path, in ${iterations} iterations; ` +
        `GD at gammaMax needs ${(1 / speedupOverGD).toPrecision(4)}× fewer iterations but follows the larger λ = ${gammaMax} path`;
  return { gamma, beta, lambda, h, iterations, speedupOverGD, note };
}
