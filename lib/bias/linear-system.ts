/**
 * The constraint Xw = y shared by every interpolator: its data type and checks, its equilibration by powers of two
 * (extreme scales), the rank test by a row QR (ill-conditioning), the check of a computed interpolant against the
 * data, and the Gram matrix X diag(s) Xᵀ (the ψ solver's hot spot).
 */
import { matVec, norm2 } from "../core/linalg";
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
 * Cholesky factor L of XXᵀ (lower triangular, row-major n×n), computed without forming XXᵀ: the rows of the
 * equilibrated X are orthonormalised (X̃ = L̃Q), so the rank test sees cond(X), not cond(X)², and no entry
 * under- or overflows. A RangeError says whether dependent rows are redundant (y consistent) or contradict
 * each other (no interpolator exists).
 * @throws RangeError if X lacks full row rank
 */
export function gramFactor(p: LinearSystem): Float64Array {
  const q = equilibrate(p, { always: true });
  const { L } = fullRankRows(q);
  const { n } = p;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) L[i * n + k] = ldexp(L[i * n + k], -q.rowExp[i] - q.colExp);
  }
  return L;
}

/** Relative distance below which a row counts as lying in the span of the previous rows (X has cond ≳ 1e13). */
const RANK_TOL = 1e-13;

/** Rows of X orthonormalised: X = L·Q, L lower triangular n×n, Q n×d with orthonormal rows (both row-major). */
export interface RowQR {
  L: Float64Array;
  Q: Float64Array;
  /** Rows that lie within RANK_TOL (relative) of the span of the previous ones; their rows of Q are 0. */
  dependent: number[];
  /** Each row's distance to the span of the previous rows, relative to its norm. */
  distance: Float64Array;
}

/**
 * Modified Gram–Schmidt on the rows of X, each row orthogonalised twice ("twice is enough": Q is orthonormal to
 * working precision however ill-conditioned X is). Use it on an equilibrated system (rows of norm ~1).
 */
export function rowQR(X: Float64Array, n: number, d: number): RowQR {
  const L = new Float64Array(n * n);
  const Q = new Float64Array(n * d);
  const distance = new Float64Array(n);
  const dependent: number[] = [];
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    v.set(X.subarray(i * d, (i + 1) * d));
    const norm0 = norm2(v);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < i; k++) {
        if (L[k * n + k] === 0) continue; // a dependent row has no direction of its own
        const qk = Q.subarray(k * d, (k + 1) * d);
        const h = dotN(qk, v, d);
        for (let j = 0; j < d; j++) v[j] -= h * qk[j];
        L[i * n + k] += h;
      }
    }
    const rest = norm2(v);
    distance[i] = norm0 > 0 ? rest / norm0 : 0;
    if (!(distance[i] >= RANK_TOL)) {
      dependent.push(i);
      continue;
    }
    L[i * n + i] = rest;
    for (let j = 0; j < d; j++) Q[i * d + j] = v[j] / rest;
  }
  return { L, Q, dependent, distance };
}

/**
 * The row QR of an equilibrated system, or the RangeError that says why X lacks full row rank: each dependent
 * row's equation is compared with what the previous rows predict for it (consistent: redundant rows; otherwise
 * no interpolator exists).
 * @returns the QR and a = L⁻¹ỹ (so that Qᵀa is the minimum-norm solution of X̃w̃ = ỹ)
 */
export function fullRankRows(q: LinearSystem): RowQR & { a: Float64Array } {
  const { X, n, d, y } = q;
  const qr = rowQR(X, n, d);
  const { L, dependent, distance } = qr;
  const a = new Float64Array(n);
  let worstMiss = 0;
  for (let i = 0; i < n; i++) {
    let pred = 0;
    for (let k = 0; k < i; k++) pred += L[i * n + k] * a[k];
    if (L[i * n + i] > 0) a[i] = (y[i] - pred) / L[i * n + i];
    else worstMiss = Math.max(worstMiss, Math.abs(y[i] - pred));
  }
  if (dependent.length === 0) return { ...qr, a };
  const row = dependent[0];
  const where = ` (row ${row} is within relative distance ${distance[row].toExponential(2)} of the span of the previous rows)`;
  const miss = worstMiss / Math.max(norm2(y), Number.MIN_VALUE);
  const why = miss > 1e-9
    ? ` and Xw = y is inconsistent (the dependent rows' equations miss by ${miss.toExponential(2)} relative to ‖y‖): no interpolator exists`
    : " (the rows are linearly dependent but y is consistent: drop the redundant rows)";
  throw new RangeError(`X must have full row rank${where}${why}`);
}

// ---------------------------------------------------------------- equilibration and checks

/** x·2^k for any integer k (2^k alone may not be representable); exact unless the result under- or overflows. */
export function ldexp(x: number, k: number): number {
  let y = x;
  let e = k;
  while (e > 1000) { y *= 2 ** 1000; e -= 1000; }
  while (e < -1000) { y *= 2 ** -1000; e += 1000; }
  return y * 2 ** e;
}

/** Xw = y scaled by powers of two: X̃ = diag(2^rowExp)·X·2^colExp, ỹ = diag(2^rowExp)·y, w = 2^colExp·w̃. */
export interface ScaledSystem extends LinearSystem {
  rowExp: Float64Array;
  colExp: number;
}

export interface EquilibrateOptions {
  /** Scale even well-scaled data (default false: every scale within 2^±20 leaves the system as it is). */
  always?: boolean;
  /** Bounds on colExp (e.g. so that Δ/2^colExp stays a normal double). */
  colExpRange?: [number, number];
}

/**
 * Equilibrate Xw = y by exact powers of two: each row of X̃ has largest entry in [1/√2, √2), and the solution
 * scale 2^colExp is the geometric mean of |y_i|/max_j|X_ij|, so that w̃ and ỹ are of order 1. Rows and one
 * common solution scale leave the minimum-ℓ2, ℓ1 and ψ problems the same problem (ψ_Δ(sw̃) = s·ψ_{Δ/s}(w̃)).
 * Well-scaled data (every exponent within ±20) is returned as it is, so results there do not change at all.
 * @param p the system (checked by the caller)
 * @returns the scaled system with its exponents (the input's own arrays when no scaling was needed)
 */
export function equilibrate(p: LinearSystem, options: EquilibrateOptions = {}): ScaledSystem {
  const { X, n, d, y } = p;
  const rowMaxExp = new Float64Array(n).fill(NaN);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(X[i * d + j]));
    if (m === 0) continue;
    rowMaxExp[i] = Math.round(Math.log2(m));
    if (y[i] !== 0) { sum += Math.log2(Math.abs(y[i])) - Math.log2(m); count++; }
  }
  const [lo, hi] = options.colExpRange ?? [-Infinity, Infinity];
  const colExp = Math.min(Math.max(count > 0 ? Math.round(sum / count) : 0, lo), hi);
  const rowExp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // A zero row keeps its equation 0 = y_i; scaled to order 1 so that a contradiction is seen as one.
    rowExp[i] = Number.isNaN(rowMaxExp[i]) ? (y[i] !== 0 ? -Math.round(Math.log2(Math.abs(y[i]))) : 0) : -(rowMaxExp[i] + colExp);
  }
  const needed = Math.abs(colExp) > 20 || rowExp.some((e) => Math.abs(e) > 20);
  if (!options.always && !needed) return { X, n, d, y, rowExp: new Float64Array(n), colExp: 0 };
  const Xs = new Float64Array(n * d);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) Xs[i * d + j] = ldexp(X[i * d + j], rowExp[i] + colExp);
    ys[i] = ldexp(y[i], rowExp[i]);
  }
  return { X: Xs, n, d, y: ys, rowExp, colExp };
}

/**
 * w = 2^colExp·w̃, the solution of the original system.
 * @throws RangeError naming `what` if an entry of w is beyond the double range
 */
export function unscaleSolution(q: ScaledSystem, wScaled: Float64Array, what: string): Float64Array {
  const w = wScaled.map((x) => ldexp(x, q.colExp));
  const j = w.findIndex((x) => !Number.isFinite(x));
  if (j >= 0) {
    const exp = Math.log2(Math.abs(wScaled[j])) + q.colExp;
    throw new RangeError(`${what}: the interpolator has entries beyond the double range (|w[${j}]| ≈ 2^${Math.round(exp)}); rescale X or y`);
  }
  return w;
}

/**
 * Check a computed interpolant against the data: w must be finite and satisfy every equation x_i·w = y_i to working
 * precision in that equation's own scale: the row-wise backward error max_i |x_i·w − y_i|/(‖x_i‖·‖w‖ + |y_i|) must
 * be ≤ tol. (‖Xw − y‖/‖y‖ alone would let an equation of scale 1e-200 be ignored beside one of scale 1.)
 * @param p the system
 * @param w the candidate
 * @param what the solver's name, for the message
 * @param tol backward error allowed (default 1e-10; an LP solver with tolerance 1e-7 needs ~1e-6)
 * @returns the relative residual with each equation divided by ‖x_i‖: ‖(x_i·w − y_i)/‖x_i‖‖/‖(y_i/‖x_i‖)‖
 * @throws RangeError (one line) if w is not finite or does not satisfy Xw = y
 */
export function checkInterpolant(p: LinearSystem, w: Float64Array, what: string, tol = 1e-10): number {
  const bad = w.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`${what}: the computed w is not finite (w[${bad}] = ${w[bad]})`);
  const q = equilibrate(p, { always: true }); // computed in scaled form: no product under- or overflows
  const { X, n, d, y } = q;
  const wt = w.map((x) => ldexp(x, -q.colExp));
  const wNorm = norm2(wt);
  const res = new Float64Array(n);
  const rhs = new Float64Array(n);
  let backward = 0;
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * d, (i + 1) * d);
    const rowNorm = norm2(row);
    const r = dotN(row, wt, d) - y[i];
    res[i] = rowNorm > 0 ? r / rowNorm : r;
    rhs[i] = rowNorm > 0 ? y[i] / rowNorm : y[i];
    const eta = r === 0 ? 0 : rowNorm > 0 ? Math.abs(res[i]) / (wNorm + Math.abs(rhs[i])) : Infinity; // 0 = y_i ≠ 0
    backward = Math.max(backward, eta);
  }
  const rhsNorm = norm2(rhs);
  const relative = rhsNorm > 0 ? norm2(res) / rhsNorm : norm2(res);
  if (!(backward <= tol)) {
    throw new RangeError(`${what}: the computed w does not satisfy Xw = y: relative residual ${relative.toExponential(2)} ` +
      `(backward error ${backward.toExponential(2)} > ${tol}); X is too ill-conditioned or badly scaled for this solver`);
  }
  return relative;
}

/** What the ψ solver takes and returns that depends on the scale of the system (see equilibratedPsi). */
interface PsiScaled {
  offsetPoint?: Float64Array;
  nu0?: Float64Array;
}

/**
 * Run an argmin ψ_Δ solver on the equilibrated system and map its answer back: with X̃ = RX·s, ỹ = Ry and w = s·w̃,
 * argmin{ψ_Δ(w) − ⟨c, w⟩ : Xw = y} = s·argmin{ψ_{Δ/s}(w̃) − ⟨c, w̃⟩ : X̃w̃ = ỹ} (ψ_Δ(sw̃) = s·ψ_{Δ/s}(w̃)), the dual is
 * ν = s·R·ν̃, a point w̃₀ is w₀/s and a starting dual ν₀ is ν₀/(s·R). s is kept such that Δ/s stays a normal double.
 * Well-scaled systems are passed through untouched (same numbers as without this wrapper). The answer is then
 * checked against the data (checkInterpolant) unless the solver reports it did not converge.
 * @param p the system (checked)
 * @param Delta Δ, one entry per coordinate (checked: positive, finite)
 * @param options the solver's options; offsetPoint and nu0 are rescaled when they are Float64Arrays of the right length
 * @param solve the solver on a system with the same meaning
 */
export function equilibratedPsi<O extends PsiScaled, R extends { w: Float64Array; nu: Float64Array; converged: boolean }>(
  p: LinearSystem, Delta: Float64Array, options: O, solve: (q: LinearSystem, Delta: Float64Array, options: O) => R,
): R {
  let minExp = Infinity;
  let maxExp = -Infinity;
  for (const x of Delta) { minExp = Math.min(minExp, Math.log2(x)); maxExp = Math.max(maxExp, Math.log2(x)); }
  const q = equilibrate(p, { colExpRange: [Math.ceil(maxExp - 1000), Math.floor(minExp + 1000)] });
  if (q.X === p.X) return solve(p, Delta, options);
  const { n, d } = p;
  const scaleIf = (v: Float64Array | undefined, len: number, exp: (i: number) => number) =>
    v instanceof Float64Array && v.length === len ? v.map((x, i) => ldexp(x, exp(i))) : v;
  const scaled = {
    ...options,
    offsetPoint: scaleIf(options.offsetPoint, d, () => -q.colExp),
    nu0: scaleIf(options.nu0, n, (i) => -q.rowExp[i] - q.colExp),
  };
  const r = solve(q, Delta.map((x) => ldexp(x, -q.colExp)), scaled);
  const what = "minPsiInterpolator";
  const w = unscaleSolution(q, r.w, what);
  const nu = r.nu.map((x, i) => ldexp(x, q.rowExp[i] + q.colExp));
  if (!nu.every(Number.isFinite)) throw new RangeError(`${what}: the dual ν has entries beyond the double range; rescale X or y`);
  if (r.converged) checkInterpolant(p, w, what);
  return { ...r, w, nu };
}

export { gramScaled } from "../core/linalg";

export function dotN(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
