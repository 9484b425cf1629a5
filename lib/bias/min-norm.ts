/**
 * The minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y: the Δ → ∞ limit of argmin ψ_Δ, and the implicit bias of GD/MGD on plain
 * linear regression started at 0.
 */
import { matVec } from "../core/linalg";
import { checkInterpolant, checkSystem, equilibrate, fullRankRows, unscaleSolution, type LinearSystem } from "./linear-system";

/**
 * The minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y (the Δ → ∞ limit of argmin ψ_Δ; the implicit bias of GD/MGD on plain
 * linear regression from 0). Computed as Qᵀ(L⁻¹y) from a row QR X = LQ of the system equilibrated by powers of
 * two, with one step of iterative refinement, then checked against the data: accurate for any scale of X and y
 * and for condition numbers up to about 1e13 (the normal equations XXᵀ would square the condition number).
 * @param p Problem or {X, n, d, y}, n ≤ d
 * @returns w with Xw = y (backward error ≤ 1e-10)
 * @throws RangeError if n > d, X lacks full row rank (saying whether y is then consistent), or w is beyond the
 *   double range
 * @example minNormInterpolator(toyProblem()) // ≈ [0.8, 0.4]
 */
export function minNormInterpolator(p: LinearSystem): Float64Array {
  checkSystem(p);
  const q = equilibrate(p);
  const { X, n, d, y } = q;
  const { L, Q, a } = fullRankRows(q);
  const w = new Float64Array(d);
  const addQtSolve = (rhs: Float64Array) => {
    // w += Qᵀ L⁻¹ rhs
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = rhs[i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * b[k];
      b[i] = s / L[i * n + i];
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += Q[i * d + j] * b[i];
  };
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += Q[i * d + j] * a[i];
  const r = matVec(X, n, d, w);
  for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
  addQtSolve(r);
  const out = unscaleSolution(q, w, "minNormInterpolator");
  checkInterpolant(p, out, "minNormInterpolator");
  return out;
}
