/**
 * The constraint Xw = y shared by every interpolator: its data type, its checks, and the Gram matrix X diag(s) Xᵀ
 * with its Cholesky factor (the solvers' hot spot).
 */
import { choleskyInPlace, choleskySolve, gramScaled, matTVec, matVec, norm2 } from "../core/linalg";
import { checkInteger, checkVector } from "../core/validate";

/** The constraint data: any Problem works, or a bare {X, n, d, y} (X row-major n×d). */
export interface LinearSystem {
  X: Float64Array;
  n: number;
  d: number;
  y: Float64Array;
}

export function checkSystem(p: LinearSystem): void {
  if (p == null || typeof p !== "object") throw new TypeError("p must be a Problem or {X, n, d, y}");
  checkInteger("p.n", p.n, { min: 1 });
  checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, p.n * p.d);
  checkVector("p.y", p.y, p.n);
  if (p.n > p.d) {
    throw new RangeError(`interpolators need n ≤ d (an underdetermined system Xw = y), got n = ${p.n} > d = ${p.d}`);
  }
}

/**
 * Cholesky factor of XXᵀ, or a RangeError saying whether the rows are dependent but consistent (redundant rows)
 * or inconsistent (no interpolator exists).
 */
export function gramFactor(p: LinearSystem): Float64Array {
  const { X, n, d, y } = p;
  const G = new Float64Array(n * n);
  gramScaled(X, n, d, new Float64Array(d).fill(1), G, new Float64Array(n * d));
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = G[i * n + i];
  const L = Float64Array.from(G);
  let ok = choleskyInPlace(L, n);
  let worst = Infinity;
  let worstRow = -1;
  if (ok) {
    // squared distance of row i to the span of the previous rows, relative to ‖x_i‖²
    for (let i = 0; i < n; i++) {
      const rel = diag[i] > 0 ? (L[i * n + i] * L[i * n + i]) / diag[i] : 0;
      if (rel < worst) {
        worst = rel;
        worstRow = i;
      }
    }
    if (worst < 1e-13) ok = false;
  }
  if (ok) return L;
  // Diagnose: ridge-regularised least squares tells a consistent from an inconsistent system.
  const R = Float64Array.from(G);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += diag[i];
  const mu = (1e-10 * tr) / n;
  for (let i = 0; i < n; i++) R[i * n + i] += mu;
  let consistent = "";
  if (choleskyInPlace(R, n) && tr > 0) {
    const a = choleskySolve(R, n, y);
    const w = matTVec(X, n, d, a);
    const r = matVec(X, n, d, w);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    const rel = norm2(r) / Math.max(norm2(y), Number.MIN_VALUE);
    consistent = rel > 1e-6
      ? ` and Xw = y is inconsistent (best least-squares relative residual ${rel.toExponential(2)}): no interpolator exists`
      : " (the rows are linearly dependent but y is consistent: drop the redundant rows)";
  }
  const where = worstRow >= 0 ? ` (row ${worstRow} is within relative distance ${Math.sqrt(Math.max(worst, 0)).toExponential(2)} of the span of the previous rows)` : "";
  throw new RangeError(`X must have full row rank${where}${consistent}`);
}



export { gramScaled } from "../core/linalg";

export function dotN(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
