/**
 * The 2-layer diagonal linear network w = u ⊙ v (the paper's β = u ⊙ v) and its loss
 * F(u, v) = L(u ⊙ v) with L(w) = ‖Xw − y‖²/(2n).
 */
import { matTVec, matVec } from "../core/linalg";
import type { Problem } from "./problems";
import { checkInteger, checkSize, checkVector, positiveScalarOrVector } from "../core/validate";

export interface DlnState {
  u: Float64Array;
  v: Float64Array;
}

/**
 * The standard initialisation u₀ = √2·α, v₀ = 0, so w₀ = 0 and Δ₀ = u₀² − v₀² = 2α².
 * @param alpha initialisation scale α > 0: a number, or one entry per coordinate
 * @param d dimension
 * @throws RangeError if α is not positive or has the wrong length.
 */
export function initDLN(alpha: number | Float64Array, d: number): DlnState {
  checkSize("d", d, 1);
  const a = positiveScalarOrVector("alpha", alpha, d);
  const u = new Float64Array(d);
  for (let j = 0; j < d; j++) u[j] = Math.SQRT2 * a[j];
  return { u, v: new Float64Array(d) };
}

/** Any (u₀, v₀), copied and validated. */
export function dlnFromUV(u: Float64Array, v: Float64Array): DlnState {
  checkVector("u", u);
  checkVector("v", v, u.length);
  return { u: Float64Array.from(u), v: Float64Array.from(v) };
}

/** An output buffer of the given length. */
function checkOut(out: unknown, length: number): void {
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out === null ? "null" : typeof out}`);
  if (out.length !== length) throw new RangeError(`out must have length ${length}, got length ${out.length}`);
}

/** w = u ⊙ v. @throws TypeError/RangeError for non-finite entries or lengths that differ */
export function dlnWeights(u: Float64Array, v: Float64Array, out?: Float64Array): Float64Array {
  checkVector("u", u);
  checkVector("v", v, u.length);
  out ??= new Float64Array(u.length); // after the checks: a bad argument must not fail here first
  checkOut(out, u.length);
  for (let j = 0; j < u.length; j++) out[j] = u[j] * v[j];
  return out;
}

/** Balancedness Δ = u² − v² (componentwise); conserved by gradient flow. @throws as dlnWeights */
export function balancedness(u: Float64Array, v: Float64Array, out?: Float64Array): Float64Array {
  checkVector("u", u);
  checkVector("v", v, u.length);
  out ??= new Float64Array(u.length); // after the checks: a bad argument must not fail here first
  checkOut(out, u.length);
  for (let j = 0; j < u.length; j++) out[j] = u[j] * u[j] - v[j] * v[j];
  return out;
}

/**
 * g = ∇L(w) = Xᵀ(Xw − y)/n, with the residual written into `residual`; returns the loss L(w).
 * Both network gradients follow from g: ∇_u F = g ⊙ v, ∇_v F = g ⊙ u.
 */
export function lossAndGradient(p: Problem, w: Float64Array, g: Float64Array, residual: Float64Array = new Float64Array(p.n)): number {
  matVec(p.X, p.n, p.d, w, residual);
  let loss = 0;
  for (let i = 0; i < p.n; i++) {
    const r = residual[i] - p.y[i];
    residual[i] = r;
    loss += r * r;
  }
  matTVec(p.X, p.n, p.d, residual, g);
  const inv = 1 / p.n;
  for (let j = 0; j < p.d; j++) g[j] *= inv;
  return lossFromSquaredResiduals(loss, p.n);
}

/**
 * L = Σ r_i²/(2m): the loss from the sum of the squared residuals over m samples (m = n: the full-batch loss
 * L(w) = ‖Xw − y‖²/(2n); m < n: a mini-batch's loss). The one place the normalisation is written.
 * @example lossFromSquaredResiduals(8, 2) // 2
 */
export function lossFromSquaredResiduals(sumOfSquares: number, m: number): number {
  return sumOfSquares / (2 * m);
}

/**
 * lossAndGradient for callers outside the library (lib/index.ts exports it under that name): every argument is
 * checked first. The kernel above checks nothing: it is the flows' right-hand side.
 * @throws TypeError/RangeError naming a bad argument (a Problem's n, d, X, y; w; g; residual)
 */
export function lossAndGradientChecked(p: Problem, w: Float64Array, g: Float64Array, residual?: Float64Array): number {
  if (p === null || typeof p !== "object") throw new TypeError("p must be a Problem");
  checkInteger("p.n", p.n, { min: 1 });
  checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, p.n * p.d);
  checkVector("p.y", p.y, p.n);
  checkVector("w", w, p.d);
  if (!(g instanceof Float64Array) || g.length !== p.d) throw new RangeError(`g must be a Float64Array of length ${p.d} (it receives ∇L(w))`);
  if (residual !== undefined && (!(residual instanceof Float64Array) || residual.length !== p.n)) {
    throw new RangeError(`residual must be a Float64Array of length ${p.n}`);
  }
  return lossAndGradient(p, w, g, residual);
}

/** Network gradients (∇_u F, ∇_v F) = (g ⊙ v, g ⊙ u) and the loss, for one state. */
export function dlnGradient(p: Problem, s: DlnState): { gu: Float64Array; gv: Float64Array; g: Float64Array; loss: number } {
  checkVector("u", s.u, p.d);
  checkVector("v", s.v, p.d);
  const g = new Float64Array(p.d);
  const loss = lossAndGradient(p, dlnWeights(s.u, s.v), g);
  const gu = new Float64Array(p.d);
  const gv = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) {
    gu[j] = g[j] * s.v[j];
    gv[j] = g[j] * s.u[j];
  }
  return { gu, gv, g, loss };
}
