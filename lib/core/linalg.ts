/**
 * Dense kernels on row-major Float64Array matrices. These are the hot loops of every run, so they take
 * explicit sizes and optional output buffers and allocate nothing when `out` is given.
 */

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
 * Largest eigenvalue of XᵀX/n, or of D·XᵀX·D/n with D = diag(scale), by power iteration: the curvature scale
 * of the loss (with D² = u² + v², the Gauss–Newton curvature of the diagonal network).
 * @param options.scale diagonal of D (default: the identity); options.iterations (default 200);
 *   options.tol relative change that ends the iteration (default 1e-12)
 */
export function largestEigenvalueXtX(
  X: Float64Array,
  n: number,
  d: number,
  options: { scale?: Float64Array; iterations?: number; tol?: number } = {},
): number {
  const { scale, iterations = 200, tol = 1e-12 } = options;
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  const sv = new Float64Array(d);
  const r = new Float64Array(n);
  let w = new Float64Array(d);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j < d; j++) sv[j] = scale ? scale[j] * v[j] : v[j];
    matVec(X, n, d, sv, r);
    matTVec(X, n, d, r, w);
    if (scale) for (let j = 0; j < d; j++) w[j] *= scale[j];
    const nw = norm2(w);
    if (nw === 0 || !Number.isFinite(nw)) return nw === 0 ? 0 : lambda;
    const next = nw / n;
    for (let j = 0; j < d; j++) w[j] /= nw;
    [v, w] = [w, v];
    if (Math.abs(next - lambda) <= tol * next) return next;
    lambda = next;
  }
  return lambda;
}
