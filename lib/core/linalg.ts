/**
 * Dense kernels on row-major Float64Array matrices. These are the hot loops of every run, so they take
 * explicit sizes and optional output buffers, allocate nothing when `out` is given, and check nothing: the public
 * surface (lib/index.ts) offers checked versions of them (core/checked.ts). largestEigenvalueXtX is not a hot
 * loop and checks its arguments itself.
 */
import { createRng } from "./random";
import { checkInteger, checkNumber, checkSize, checkVector } from "./validate";

/** out = X·v for X n×d row-major. */
export function matVec(X: Float64Array, n: number, d: number, v: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += X[row + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** out = Xᵀ·r for X n×d row-major (rows are streamed once, so this is cache friendly). */
export function matTVec(X: Float64Array, n: number, d: number, r: Float64Array, out: Float64Array = new Float64Array(d)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    if (ri === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) out[j] += X[row + j] * ri;
  }
  return out;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm, scaled to avoid overflow for huge entries. */
export function norm2(a: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function norm1(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

/** ‖a − b‖₂. */
export function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] - b[i];
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** G = X·diag(s)·Xᵀ (n×n, row-major); s = undefined means the identity. */
export function weightedGram(X: Float64Array, n: number, d: number, s?: Float64Array, out: Float64Array = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    for (let k = 0; k <= i; k++) {
      const rk = k * d;
      let acc = 0;
      if (s) for (let j = 0; j < d; j++) acc += X[ri + j] * s[j] * X[rk + j];
      else for (let j = 0; j < d; j++) acc += X[ri + j] * X[rk + j];
      out[i * n + k] = acc;
      out[k * n + i] = acc;
    }
  }
  return out;
}

/**
 * J = X diag(s) Xᵀ for s > 0, as B Bᵀ with B = X diag(√s) (rows in `buf`), four rows at a time so that each row
 * of B is streamed from memory once per block: the hot spot of the Newton solver (n²d/2 multiply-adds).
 * The reference of the WebAssembly kernel (wasm/linalg.ts gramPairs): each J_ik is a
 * left-to-right sum over j of B_ij·B_kj, in both.
 */
export function gramScaled(X: Float64Array, n: number, d: number, s: Float64Array, J: Float64Array, buf: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const r = Math.sqrt(s[j]);
    for (let i = 0; i < n; i++) buf[i * d + j] = X[i * d + j] * r;
  }
  for (let i0 = 0; i0 < n; i0 += 4) {
    const nb = Math.min(4, n - i0);
    const a0 = i0 * d;
    const a1 = nb > 1 ? a0 + d : a0;
    const a2 = nb > 2 ? a0 + 2 * d : a0;
    const a3 = nb > 3 ? a0 + 3 * d : a0;
    const kEnd = i0 + nb;
    for (let k = 0; k < kEnd; k++) {
      const b = k * d;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let j = 0; j < d; j++) {
        const v = buf[b + j];
        c0 += buf[a0 + j] * v;
        c1 += buf[a1 + j] * v;
        c2 += buf[a2 + j] * v;
        c3 += buf[a3 + j] * v;
      }
      for (let t = 0; t < nb; t++) {
        const i = i0 + t;
        if (k <= i) {
          const c = t === 0 ? c0 : t === 1 ? c1 : t === 2 ? c2 : c3;
          J[i * n + k] = c;
          J[k * n + i] = c;
        }
      }
    }
  }
}

/**
 * In-place Cholesky factorisation A = LLᵀ of an n×n SPD matrix (lower triangle overwritten by L).
 * Returns false, leaving A partly overwritten, if a pivot is not positive (A not numerically SPD).
 */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let diag = A[j * n + j];
    for (let k = 0; k < j; k++) diag -= A[j * n + k] * A[j * n + k];
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= A[i * n + k] * A[j * n + k];
      A[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solve LLᵀx = b given the factor from choleskyInPlace. */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * out[k];
    out[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * out[k];
    out[i] = s / L[i * n + i];
  }
  return out;
}

/**
 * Largest eigenvalue of XᵀX/n, or of D·XᵀX·D/n with D = diag(scale): the curvature scale of the loss (with
 * D² = u² + v², the Gauss–Newton curvature of the diagonal network), behind every stability bound.
 * Lanczos with full reorthogonalisation from a fixed pseudo-random start, restarted with a fresh direction if the
 * Krylov space closes (so no start, such as the all-ones vector in the null space of X, can hide the top
 * eigenvalue), on X scaled by a power of two (no overflow). Stops when the top Ritz value has grown by less than
 * tol (relative) in two successive steps, or the space is exhausted (then it is exact to rounding).
 * @param X row-major n×d, finite
 * @param options.scale diagonal of D (default: the identity); options.iterations most Lanczos steps (default 300);
 *   options.tol relative change that ends the iteration (default 1e-12)
 * @returns λmax ≥ 0 (0 for X = 0)
 * @throws TypeError/RangeError naming a bad argument
 * @example largestEigenvalueXtX(Float64Array.from([1, -1, 0.1, 0.1]), 2, 2) // 1 (eigenvalues 1 and 0.01)
 */
export function largestEigenvalueXtX(
  X: Float64Array,
  n: number,
  d: number,
  options: { scale?: Float64Array; iterations?: number; tol?: number } = {},
): number {
  checkSize("n", n, 1);
  checkSize("d", d, 1);
  checkSize("n·d", n * d);
  checkVector("X", X, n * d);
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object");
  const scale = options.scale === undefined ? undefined : checkVector("scale", options.scale, d);
  const steps = Math.min(d, checkInteger("iterations", options.iterations ?? 300, { min: 1 }));
  const tol = checkNumber("tol", options.tol ?? 1e-12, { min: 0, minOpen: true });
  let big = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) big = Math.max(big, Math.abs(X[i * d + j] * (scale ? scale[j] : 1)));
  if (big === 0) return 0;
  // The operator uses 2^e·X·D, entries of order 1, so nothing over- or underflows; λ = θ·2^(−2e)/n.
  const e = Math.max(-1000, Math.min(1000, -Math.round(Math.log2(big))));
  const c = 2 ** e;
  const sv = new Float64Array(d);
  const r = new Float64Array(n);
  const op = (v: Float64Array, out: Float64Array) => {
    for (let j = 0; j < d; j++) sv[j] = (scale ? scale[j] * v[j] : v[j]) * c;
    matVec(X, n, d, sv, r);
    matTVec(X, n, d, r, out);
    for (let j = 0; j < d; j++) out[j] *= (scale ? scale[j] : 1) * c;
  };
  const theta = Math.max(lanczosTop(op, d, steps, tol), 0);
  return (theta * 2 ** -e * 2 ** -e) / n; // 2^−2e in two factors: each is representable
}

/** Top eigenvalue of the symmetric operator `op` on ℝ^d by Lanczos with full reorthogonalisation. */
function lanczosTop(op: (v: Float64Array, out: Float64Array) => void, d: number, steps: number, tol: number): number {
  const rng = createRng(1);
  const fresh = () => Float64Array.from({ length: d }, () => rng.normal());
  const V: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = fresh();
  const q0 = norm2(q);
  for (let j = 0; j < d; j++) q[j] /= q0;
  let theta = -Infinity;
  let quiet = 0;
  const w = new Float64Array(d);
  for (let k = 0; k < steps; k++) {
    V.push(q);
    op(q, w);
    alpha.push(dot(q, w));
    orthogonalise(w, V);
    const next = tridiagonalTop(alpha, beta);
    quiet = next - theta <= tol * Math.abs(next) ? quiet + 1 : 0;
    theta = next;
    if (quiet >= 2 || k + 1 === steps) break;
    let b = norm2(w);
    if (!(b > 1e-13 * Math.max(Math.abs(theta), 1e-300))) {
      // The Krylov space is invariant: carry on in a fresh direction orthogonal to it (T splits, β = 0).
      w.set(fresh());
      orthogonalise(w, V);
      b = norm2(w);
      if (!(b > 1e-8)) break; // V spans everything the start could reach and more: θ is exact
      beta.push(0);
    } else {
      beta.push(b);
    }
    q = Float64Array.from(w, (x) => x / b);
  }
  return theta;
}

/** w ← w − Σ (v·w) v over the orthonormal vectors V, twice (enough for orthogonality to working precision). */
function orthogonalise(w: Float64Array, V: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const v of V) {
      const h = dot(v, w);
      for (let j = 0; j < w.length; j++) w[j] -= h * v[j];
    }
  }
}

/** Largest eigenvalue of the symmetric tridiagonal matrix (diagonal alpha, off-diagonal beta) by bisection. */
function tridiagonalTop(alpha: number[], beta: number[]): number {
  const m = alpha.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const rad = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < m - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - rad);
    hi = Math.max(hi, alpha[i] + rad);
  }
  // Sturm count: how many eigenvalues are < x.
  const below = (x: number) => {
    let count = 0;
    let qv = 1;
    for (let i = 0; i < m; i++) {
      const b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
      qv = alpha[i] - x - (i > 0 ? b2 / qv : 0);
      if (qv === 0) qv = -1e-300;
      if (qv < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 200 && hi - lo > 2 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (below(mid) === m) hi = mid;
    else lo = mid;
  }
  return hi;
}
