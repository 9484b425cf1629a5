/**
 * The analyses of notebook 00 (the shape of the hyperbolic entropy ψ_Δ): its ℓ1 and ℓ2 limits, the shape ratio
 * ψ_Δ(½)/ψ_Δ(1) (½ for an absolute value, ¼ for a quadratic), the cost of a unit entry in a coordinate with a given Δ_i,
 * the Δ at which the shape is halfway, and which coordinate a minimum-ψ interpolator prefers.
 *
 * Names: `Delta` = Δ > 0 (the balancedness, the scale of ψ_Δ), `w` the regression vector.
 */
import { checkNumber } from "../core/validate";
import { psi } from "../bias/entropy";
import { minPsiInterpolator } from "../bias/interpolators";
import { makeProblem } from "../model/problems";
import { checkNumberList } from "./path";

const at = (w: number, Delta: number) => psi(Float64Array.of(w), Delta);

/**
 * ψ_Δ(½)/ψ_Δ(1) in one dimension: ½ for |w| (ℓ1, small Δ), ¼ for w² (ℓ2, large Δ).
 * @param Delta Δ > 0
 * @example psiShapeRatio(1e4) // ≈ 0.25
 */
export function psiShapeRatio(Delta: number): number {
  checkNumber("Delta", Delta, { min: 0, minOpen: true });
  return at(0.5, Delta) / at(1, Delta);
}

/**
 * The relative errors of ψ_Δ against its two limits: small Δ, ψ_Δ(w) ≈ ½|w|(ln(4|w|/Δ) − 1), a weighted ℓ1; large Δ,
 * ψ_Δ(w) ≈ w²/(2Δ), an ℓ2 (max over the points `ws`).
 * @param opts.small a small Δ; opts.large a large Δ; opts.ws points ≠ 0
 */
export function psiLimitErrors(opts: { small: number; large: number; ws: number[] }): { l1: number; l2: number } {
  const small = checkNumber("small", opts.small, { min: 0, minOpen: true });
  const large = checkNumber("large", opts.large, { min: 0, minOpen: true });
  const ws = checkNumberList("ws", opts.ws);
  if (ws.includes(0)) throw new RangeError("ws must not contain 0 (both limits vanish there)");
  const l1 = Math.max(...ws.map((w) => Math.abs(at(w, small) / (0.5 * Math.abs(w) * (Math.log((4 * Math.abs(w)) / small) - 1)) - 1)));
  const l2 = Math.max(...ws.map((w) => Math.abs(at(w, large) / ((w * w) / (2 * large)) - 1)));
  return { l1, l2 };
}

/**
 * ψ_Δ(e_i) = ψ_{Δ_i}(1): the cost of a unit entry in a coordinate with balancedness Δ_i, for each Δ_i.
 * @example unitEntryCosts([1e-8, 1]) // [≈ 9.40, ≈ 0.41]
 */
export function unitEntryCosts(Deltas: number[]): number[] {
  return checkNumberList("Deltas", Deltas, { min: 0, minOpen: true }).map((D) => at(1, D));
}

/**
 * Is a list strictly decreasing? (The shape ratio and the unit cost both decrease as Δ grows.)
 * @example strictlyDecreasing([3, 2, 1]) // true
 */
export function strictlyDecreasing(xs: number[]): boolean {
  if (!Array.isArray(xs)) throw new TypeError("xs must be an array of numbers");
  return xs.every((x, i) => i === 0 || x < xs[i - 1]);
}

/**
 * The Δ at which ψ_Δ(½)/ψ_Δ(1) equals a target in (¼, ½), by bisection on log Δ (the ratio decreases in Δ).
 * @param target the ratio, in (0.25, 0.5); opts.lo, opts.hi the bracket on Δ (default 1e-12, 1e6); opts.tol on log Δ
 * @throws RangeError if the target is outside (¼, ½) or not bracketed
 * @example deltaForShapeRatio(0.375) // ≈ 0.124: halfway between ℓ2 and ℓ1
 */
export function deltaForShapeRatio(target: number, opts: { lo?: number; hi?: number; tol?: number } = {}): number {
  checkNumber("target", target, { min: 0.25, max: 0.5, minOpen: true, maxOpen: true });
  let lo = Math.log(checkNumber("lo", opts.lo ?? 1e-12, { min: 0, minOpen: true }));
  let hi = Math.log(checkNumber("hi", opts.hi ?? 1e6, { min: 0, minOpen: true }));
  const tol = checkNumber("tol", opts.tol ?? 1e-10, { min: 0, minOpen: true });
  const f = (logD: number) => psiShapeRatio(Math.exp(logD)) - target;
  if (!(f(lo) > 0 && f(hi) < 0)) throw new RangeError(`target ${target} is not bracketed by Δ ∈ [${Math.exp(lo)}, ${Math.exp(hi)}] (ratios ${psiShapeRatio(Math.exp(lo))}, ${psiShapeRatio(Math.exp(hi))})`);
  while (hi - lo > tol) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

/** Which coordinate a minimum-ψ interpolator of x·w = y prefers, for a two-coordinate Δ. */
export interface CoordinateChoice {
  Delta: [number, number];
  /** ψ_Δ(e₁) and ψ_Δ(e₂): the cost of a unit entry in each coordinate. */
  costs: [number, number];
  /** argmin ψ_Δ(w) subject to x·w = y. */
  w: [number, number];
  /** The coordinate (1 or 2) carrying more of the solution; null for a tie (equal entries to 1e-9, relative). */
  preferred: 1 | 2 | null;
}

/**
 * The two-coordinate experiment: with balancedness Δ = (Δ₁, Δ₂), the cost of a unit entry in each coordinate, and the
 * minimum-ψ_Δ interpolator of the single equation x₁w₁ + x₂w₂ = y (default w₁ + w₂ = 1).
 * @param Delta two positive numbers; opts.x the equation's coefficients (default (1, 1)); opts.y (default 1)
 */
export function coordinateChoice(Delta: [number, number], opts: { x?: [number, number]; y?: number } = {}): CoordinateChoice {
  if (!Array.isArray(Delta) || Delta.length !== 2) throw new RangeError(`Delta must be two positive numbers [Δ₁, Δ₂], got ${JSON.stringify(Delta)}`);
  Delta.forEach((d, i) => checkNumber(`Delta[${i}]`, d, { min: 0, minOpen: true }));
  const x = opts.x ?? [1, 1];
  const p = makeProblem({ X: [x], y: [opts.y ?? 1] });
  const w = minPsiInterpolator(p, Float64Array.from(Delta)).w;
  const costs: [number, number] = [at(1, Delta[0]), at(1, Delta[1])];
  const [a, b] = [Math.abs(w[0]), Math.abs(w[1])];
  const preferred = Math.abs(a - b) <= 1e-9 * Math.max(a, b) ? null : a > b ? 1 : 2;
  return { Delta: [Delta[0], Delta[1]], costs, w: [w[0], w[1]], preferred };
}
