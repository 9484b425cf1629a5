/**
 * The minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y: the Δ → ∞ limit of argmin ψ_Δ, and the implicit bias of GD/MGD on plain
 * linear regression started at 0.
 */
import { choleskySolve, matTVec, matVec } from "../core/linalg";
import { checkSystem, gramFactor, type LinearSystem } from "./linear-system";

/**
 * The minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y (the Δ → ∞ limit of argmin ψ_Δ; the implicit bias of GD/MGD on plain
 * linear regression from 0), by Cholesky with one step of iterative refinement.
 * @throws RangeError if n > d or X lacks full row rank (saying whether y is then consistent)
 * @example minNormInterpolator(toyProblem()) // ≈ [0.8, 0.4]
 */
export function minNormInterpolator(p: LinearSystem): Float64Array {
  checkSystem(p);
  const { X, n, d, y } = p;
  const L = gramFactor(p);
  const a = choleskySolve(L, n, y);
  const w = matTVec(X, n, d, a);
  const r = matVec(X, n, d, w);
  for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
  const da = choleskySolve(L, n, r);
  const dw = matTVec(X, n, d, da);
  for (let j = 0; j < d; j++) w[j] += dw[j];
  return w;
}
