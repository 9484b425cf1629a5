// Dense kernels of the interpolation solvers (lib/bias): X·v, Xᵀ·r, the Newton matrix J = X diag(s) Xᵀ, its
// Cholesky factor and the two triangular solves. Each sum runs in the order of the TypeScript reference in
// lib/core/linalg.ts, so the two agree bit for bit.
//
// J and its factor are stored "pair-interleaved": rows 2p and 2p + 1 side by side, element (i, k) at
// [((i >> 1)·n + k)·2 + (i & 1)], so that one f64x2 holds the same column of two rows (two independent sums).
// An odd n gets a phantom last row of zeros in lane 1 of its last pair.
import { at, madd, pairAt, put, putPair, splatAt } from "./memory";

/** Index of element (i, k) of an n-column pair-interleaved matrix. */
@inline function ix(i: i32, k: i32, n: i32): i32 {
  return ((i >> 1) * n + k) * 2 + (i & 1);
}

/** out = X·v for X n×d row-major: each out_i a left-to-right sum, two rows per f64x2. */
export function matVec(X: usize, v: usize, out: usize, n: i32, d: i32): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const x0 = X + ((<usize>i * <usize>d) << 3), x1 = x0 + (<usize>d << 3), x2 = x1 + (<usize>d << 3), x3 = x2 + (<usize>d << 3);
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const vp = pairAt(v, j);
      const vj = v128.shuffle<f64>(vp, vp, 0, 0), vk = v128.shuffle<f64>(vp, vp, 1, 1);
      const a0 = pairAt(x0, j), a1 = pairAt(x1, j), a2 = pairAt(x2, j), a3 = pairAt(x3, j);
      s01 = madd(madd(s01, v128.shuffle<f64>(a0, a1, 0, 2), vj), v128.shuffle<f64>(a0, a1, 1, 3), vk);
      s23 = madd(madd(s23, v128.shuffle<f64>(a2, a3, 0, 2), vj), v128.shuffle<f64>(a2, a3, 1, 3), vk);
    }
    if (j < d) {
      const vj = splatAt(v, j);
      s01 = madd(s01, f64x2.replace_lane(f64x2.splat(at(x0, j)), 1, at(x1, j)), vj);
      s23 = madd(s23, f64x2.replace_lane(f64x2.splat(at(x2, j)), 1, at(x3, j)), vj);
    }
    putPair(out, i, s01);
    putPair(out, i + 2, s23);
  }
  for (; i < n; i++) {
    const x = X + ((<usize>i * <usize>d) << 3);
    let s: f64 = 0;
    for (let j = 0; j < d; j++) s += at(x, j) * at(v, j);
    put(out, i, s);
  }
}

/** out = Xᵀ·r: rows added one after the other (rows with r_i = 0 skipped), two coordinates per f64x2. */
export function matTVec(X: usize, r: usize, out: usize, n: i32, d: i32): void {
  matTVecCols(X, r, out, n, d, 0, d);
}

/**
 * Coordinates [j0, j1) of Xᵀ·r (a thread's share of matTVec): each out_j sums the rows in order, so any split
 * of the coordinates gives the same bits.
 */
export function matTVecCols(X: usize, r: usize, out: usize, n: i32, d: i32, j0: i32, j1: i32): void {
  memory.fill(out + (<usize>j0 << 3), 0, <usize>(j1 - j0) << 3);
  const rb = <usize>d << 3;
  let i = 0;
  while (i < n) {
    const r0 = at(r, i);
    if (i + 3 < n && r0 != 0 && at(r, i + 1) != 0 && at(r, i + 2) != 0 && at(r, i + 3) != 0) {
      const x0 = X + <usize>i * rb, x1 = x0 + rb, x2 = x1 + rb, x3 = x2 + rb;
      const q0 = f64x2.splat(r0), q1 = splatAt(r, i + 1), q2 = splatAt(r, i + 2), q3 = splatAt(r, i + 3);
      let j = j0;
      for (; j + 1 < j1; j += 2) {
        putPair(out, j, madd(madd(madd(madd(pairAt(out, j), pairAt(x0, j), q0), pairAt(x1, j), q1), pairAt(x2, j), q2), pairAt(x3, j), q3));
      }
      if (j < j1) put(out, j, at(out, j) + at(x0, j) * r0 + at(x1, j) * at(r, i + 1) + at(x2, j) * at(r, i + 2) + at(x3, j) * at(r, i + 3));
      i += 4;
    } else {
      if (r0 != 0) {
        const x = X + <usize>i * rb;
        const q = f64x2.splat(r0);
        let j = j0;
        for (; j + 1 < j1; j += 2) putPair(out, j, madd(pairAt(out, j), pairAt(x, j), q));
        if (j < j1) put(out, j, at(out, j) + at(x, j) * r0);
      }
      i++;
    }
  }
}

/** B = X diag(√s) in pair-interleaved layout (n rows, d columns); the phantom row of an odd n is zero. */
export function scaleRowsPairs(X: usize, s: usize, B: usize, n: i32, d: i32): void {
  for (let i = 0; i < n; i++) {
    const x = X + ((<usize>i * <usize>d) << 3);
    for (let j = 0; j < d; j++) put(B, ix(i, j, d), at(x, j) * Math.sqrt(at(s, j)));
  }
  if (n & 1) for (let j = 0; j < d; j++) put(B, ix(n, j, d), 0);
}

// Coordinates per pass of the Gram kernel: a 512-column slice of every row of B (8 KiB per pair) stays in L2.
const SLICE = 512;

/**
 * The lower triangle of J = B Bᵀ (J_ik = Σ_j B_ij B_kj, a left-to-right sum over j) for the row pairs
 * [p0, p1), into the pair-interleaved J (n×n). Two pairs × four columns k per block: eight f64x2 sums share
 * two loads of B's pairs and four broadcasts of B_kj. Blocks on the diagonal also compute a few entries above
 * it (k > i); they are never read. Splitting [0, n/2) into ranges gives each thread its share, and every entry
 * is computed by the same code whatever the split.
 */
export function gramPairs(B: usize, J: usize, n: i32, d: i32, p0: i32, p1: i32): void {
  for (let j0 = 0; j0 < d; j0 += SLICE) {
    const j1 = min(d, j0 + SLICE);
    let p = p0;
    for (; p + 1 < p1; p += 2) {
      const kEnd = 2 * p + 4; // rows of pair p + 1 end at 2p + 3
      for (let k = 0; k < kEnd; k += 4) gram2x4(B, J, n, d, p, k, j0, j1);
    }
    if (p < p1) for (let k = 0; k < 2 * p + 2; k += 4) gram1x4(B, J, n, d, p, k, j0, j1);
  }
}

/** Row index of B's column k, clamped to a real row (columns past the end are computed and dropped). */
@inline function colAddr(B: usize, k: i32, n: i32, d: i32): usize {
  const kk = min(k, n - 1);
  return B + ((<usize>((kk >> 1) * d * 2 + (kk & 1))) << 3);
}

@inline function gram2x4(B: usize, J: usize, n: i32, d: i32, p: i32, k: i32, j0: i32, j1: i32): void {
  const a = B + ((<usize>p * <usize>d) << 4), b = a + (<usize>d << 4);
  const c0 = colAddr(B, k, n, d), c1 = colAddr(B, k + 1, n, d), c2 = colAddr(B, k + 2, n, d), c3 = colAddr(B, k + 3, n, d);
  const first = j0 == 0;
  const oa = (p * n + k) * 2, ob = oa + 2 * n;
  const live = min(4, n - k);
  let a0 = first ? f64x2.splat(0) : pairAt(J, oa), a1 = first || live < 2 ? f64x2.splat(0) : pairAt(J, oa + 2);
  let a2 = first || live < 3 ? f64x2.splat(0) : pairAt(J, oa + 4), a3 = first || live < 4 ? f64x2.splat(0) : pairAt(J, oa + 6);
  let b0 = first ? f64x2.splat(0) : pairAt(J, ob), b1 = first || live < 2 ? f64x2.splat(0) : pairAt(J, ob + 2);
  let b2 = first || live < 3 ? f64x2.splat(0) : pairAt(J, ob + 4), b3 = first || live < 4 ? f64x2.splat(0) : pairAt(J, ob + 6);
  for (let j = j0; j < j1; j++) {
    const ea = pairAt(a, 2 * j), eb = pairAt(b, 2 * j);
    const s0 = v128.load64_splat(c0 + (<usize>j << 4)), s1 = v128.load64_splat(c1 + (<usize>j << 4));
    const s2 = v128.load64_splat(c2 + (<usize>j << 4)), s3 = v128.load64_splat(c3 + (<usize>j << 4));
    a0 = madd(a0, ea, s0); a1 = madd(a1, ea, s1); a2 = madd(a2, ea, s2); a3 = madd(a3, ea, s3);
    b0 = madd(b0, eb, s0); b1 = madd(b1, eb, s1); b2 = madd(b2, eb, s2); b3 = madd(b3, eb, s3);
  }
  putPair(J, oa, a0); putPair(J, ob, b0);
  if (live > 1) { putPair(J, oa + 2, a1); putPair(J, ob + 2, b1); }
  if (live > 2) { putPair(J, oa + 4, a2); putPair(J, ob + 4, b2); }
  if (live > 3) { putPair(J, oa + 6, a3); putPair(J, ob + 6, b3); }
}

@inline function gram1x4(B: usize, J: usize, n: i32, d: i32, p: i32, k: i32, j0: i32, j1: i32): void {
  const a = B + ((<usize>p * <usize>d) << 4);
  const c0 = colAddr(B, k, n, d), c1 = colAddr(B, k + 1, n, d), c2 = colAddr(B, k + 2, n, d), c3 = colAddr(B, k + 3, n, d);
  const first = j0 == 0;
  const oa = (p * n + k) * 2;
  const live = min(4, n - k);
  let a0 = first ? f64x2.splat(0) : pairAt(J, oa), a1 = first || live < 2 ? f64x2.splat(0) : pairAt(J, oa + 2);
  let a2 = first || live < 3 ? f64x2.splat(0) : pairAt(J, oa + 4), a3 = first || live < 4 ? f64x2.splat(0) : pairAt(J, oa + 6);
  for (let j = j0; j < j1; j++) {
    const ea = pairAt(a, 2 * j);
    a0 = madd(a0, ea, v128.load64_splat(c0 + (<usize>j << 4))); a1 = madd(a1, ea, v128.load64_splat(c1 + (<usize>j << 4)));
    a2 = madd(a2, ea, v128.load64_splat(c2 + (<usize>j << 4))); a3 = madd(a3, ea, v128.load64_splat(c3 + (<usize>j << 4)));
  }
  putPair(J, oa, a0);
  if (live > 1) putPair(J, oa + 2, a1);
  if (live > 2) putPair(J, oa + 4, a2);
  if (live > 3) putPair(J, oa + 6, a3);
}

/**
 * In-place Cholesky J = LLᵀ of the pair-interleaved SPD matrix (lower triangle overwritten by L), column by
 * column as the reference: diag = J_jj − Σ_k L_jk², then L_ij = (J_ij − Σ_k L_ik L_jk)/L_jj with each sum
 * subtracted left to right; rows i > j go two per f64x2, four pairs at a time. Returns the first column whose
 * pivot is not positive, or −1 if the factorisation succeeded.
 */
export function choleskyPairs(J: usize, n: i32): i32 {
  const pairs = (n + 1) >> 1;
  for (let j = 0; j < n; j++) {
    const lj = J + (<usize>(((j >> 1) * n) * 2 + (j & 1)) << 3); // row j: L_jk at lj + 16k
    let diag = at(J, ix(j, j, n));
    for (let k = 0; k < j; k++) {
      const l = load<f64>(lj + (<usize>k << 4));
      diag -= l * l;
    }
    if (!(diag > 0)) return j;
    const ljj = Math.sqrt(diag);
    put(J, ix(j, j, n), ljj);
    if ((j & 1) == 0 && j + 1 < n) {
      let s = at(J, ix(j + 1, j, n));
      for (let k = 0; k < j; k++) s -= at(J, ix(j + 1, k, n)) * load<f64>(lj + (<usize>k << 4));
      put(J, ix(j + 1, j, n), s / ljj);
    }
    const dd = f64x2.splat(ljj);
    let p = (j >> 1) + 1;
    for (; p + 3 < pairs; p += 4) {
      const o0 = (p * n) * 2, o1 = o0 + 2 * n, o2 = o1 + 2 * n, o3 = o2 + 2 * n;
      let s0 = pairAt(J, o0 + 2 * j), s1 = pairAt(J, o1 + 2 * j), s2 = pairAt(J, o2 + 2 * j), s3 = pairAt(J, o3 + 2 * j);
      for (let k = 0; k < j; k++) {
        const l = v128.load64_splat(lj + (<usize>k << 4));
        s0 = f64x2.sub(s0, f64x2.mul(pairAt(J, o0 + 2 * k), l));
        s1 = f64x2.sub(s1, f64x2.mul(pairAt(J, o1 + 2 * k), l));
        s2 = f64x2.sub(s2, f64x2.mul(pairAt(J, o2 + 2 * k), l));
        s3 = f64x2.sub(s3, f64x2.mul(pairAt(J, o3 + 2 * k), l));
      }
      putPair(J, o0 + 2 * j, f64x2.div(s0, dd)); putPair(J, o1 + 2 * j, f64x2.div(s1, dd));
      putPair(J, o2 + 2 * j, f64x2.div(s2, dd)); putPair(J, o3 + 2 * j, f64x2.div(s3, dd));
    }
    for (; p < pairs; p++) {
      const o = (p * n) * 2;
      let s = pairAt(J, o + 2 * j);
      for (let k = 0; k < j; k++) s = f64x2.sub(s, f64x2.mul(pairAt(J, o + 2 * k), v128.load64_splat(lj + (<usize>k << 4))));
      putPair(J, o + 2 * j, f64x2.div(s, dd));
    }
  }
  return -1;
}

/** Solve LLᵀx = b with the pair-interleaved factor: forward then backward substitution, as the reference. */
export function choleskySolvePairs(L: usize, n: i32, b: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const li = L + (<usize>(((i >> 1) * n) * 2 + (i & 1)) << 3);
    let s = at(b, i);
    for (let k = 0; k < i; k++) s -= load<f64>(li + (<usize>k << 4)) * at(out, k);
    put(out, i, s / load<f64>(li + (<usize>i << 4)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = at(out, i);
    for (let k = i + 1; k < n; k++) s -= at(L, ix(k, i, n)) * at(out, k);
    put(out, i, s / at(L, ix(i, i, n)));
  }
}

/** x ⊙= s (elementwise). */
export function scale(x: usize, s: usize, d: i32): void {
  let j = 0;
  for (; j + 1 < d; j += 2) putPair(x, j, f64x2.mul(pairAt(x, j), pairAt(s, j)));
  if (j < d) put(x, j, at(x, j) * at(s, j));
}

