// R MGD runs sharing X (lib/dynamics/batched.ts). Runs live in slots, two slots per f64x2 ("pairs"): the state
// of pair p is stored lane-interleaved, W[(p·d + j)·2 + lane], and the residuals Res[(p·n + i)·2 + lane]. Each
// lane computes exactly the sums of the single-run kernel (mgd.ts) in the same order, so every run of a batch
// is bit for bit the run lib/dynamics/optimizers.ts makes alone; the lanes only share the loads of X.
import { madd, pairAt, putPair, splatAt } from "./memory";

// A tile of 256 coordinates: eight rows of X (16 KiB) and the pairs' tiles of W or G stay in L1.
const TILE = 256;

/**
 * Res = W·Xᵀ − Y for the pairs [0, pairs), and ss[2p + lane] = Σ_i r_i² of each slot with the single-run
 * bracketing (blocks of eight rows, then the remaining rows one by one).
 */
export function batchResiduals(X: usize, y: usize, W: usize, res: usize, ss: usize, n: i32, d: i32, pairs: i32): void {
  memory.fill(res, 0, (<usize>pairs * <usize>n) << 4);
  for (let j0 = 0; j0 < d; j0 += TILE) {
    const j1 = min(d, j0 + TILE);
    let i = 0;
    for (; i + 3 < n; i += 4) {
      let p = 0;
      for (; p + 1 < pairs; p += 2) dots4x2(X, W, res, n, d, i, p, j0, j1);
      if (p < pairs) dots4x1(X, W, res, n, d, i, p, j0, j1);
    }
    for (; i < n; i++) {
      const x = X + ((<usize>i * <usize>d) << 3);
      for (let p = 0; p < pairs; p++) {
        const wp = W + ((<usize>p * <usize>d) << 4);
        let s = pairAt(res, (p * n + i) * 2);
        for (let j = j0; j < j1; j++) s = madd(s, splatAt(x, j), pairAt(wp, 2 * j));
        putPair(res, (p * n + i) * 2, s);
      }
    }
  }
  for (let p = 0; p < pairs; p++) {
    const o = p * n * 2;
    let s2 = f64x2.splat(0);
    let i = 0;
    for (; i + 7 < n; i += 8) {
      const r0 = residual(res, y, o, i), r1 = residual(res, y, o, i + 1), r2 = residual(res, y, o, i + 2), r3 = residual(res, y, o, i + 3);
      const r4 = residual(res, y, o, i + 4), r5 = residual(res, y, o, i + 5), r6 = residual(res, y, o, i + 6), r7 = residual(res, y, o, i + 7);
      const a = f64x2.add(f64x2.add(f64x2.mul(r0, r0), f64x2.mul(r1, r1)), f64x2.add(f64x2.mul(r2, r2), f64x2.mul(r3, r3)));
      const b = f64x2.add(f64x2.add(f64x2.mul(r4, r4), f64x2.mul(r5, r5)), f64x2.add(f64x2.mul(r6, r6), f64x2.mul(r7, r7)));
      s2 = f64x2.add(s2, f64x2.add(a, b));
    }
    for (; i < n; i++) {
      const r = residual(res, y, o, i);
      s2 = madd(s2, r, r);
    }
    putPair(ss, 2 * p, s2);
  }
}

/** Four rows × two pairs: eight sums, each loaded x serves two pairs and each loaded w pair four rows. */
@inline function dots4x2(X: usize, W: usize, res: usize, n: i32, d: i32, i: i32, p: i32, j0: i32, j1: i32): void {
  const x0 = X + ((<usize>i * <usize>d) << 3), x1 = x0 + (<usize>d << 3), x2 = x1 + (<usize>d << 3), x3 = x2 + (<usize>d << 3);
  const wa = W + ((<usize>p * <usize>d) << 4), wb = wa + (<usize>d << 4);
  const oa = (p * n + i) * 2, ob = oa + 2 * n;
  let a0 = pairAt(res, oa), a1 = pairAt(res, oa + 2), a2 = pairAt(res, oa + 4), a3 = pairAt(res, oa + 6);
  let b0 = pairAt(res, ob), b1 = pairAt(res, ob + 2), b2 = pairAt(res, ob + 4), b3 = pairAt(res, ob + 6);
  for (let j = j0; j < j1; j++) {
    const ea = pairAt(wa, 2 * j), eb = pairAt(wb, 2 * j);
    const s0 = splatAt(x0, j), s1 = splatAt(x1, j), s2 = splatAt(x2, j), s3 = splatAt(x3, j);
    a0 = madd(a0, s0, ea); a1 = madd(a1, s1, ea); a2 = madd(a2, s2, ea); a3 = madd(a3, s3, ea);
    b0 = madd(b0, s0, eb); b1 = madd(b1, s1, eb); b2 = madd(b2, s2, eb); b3 = madd(b3, s3, eb);
  }
  putPair(res, oa, a0); putPair(res, oa + 2, a1); putPair(res, oa + 4, a2); putPair(res, oa + 6, a3);
  putPair(res, ob, b0); putPair(res, ob + 2, b1); putPair(res, ob + 4, b2); putPair(res, ob + 6, b3);
}

/** Four rows × one pair. */
@inline function dots4x1(X: usize, W: usize, res: usize, n: i32, d: i32, i: i32, p: i32, j0: i32, j1: i32): void {
  const x0 = X + ((<usize>i * <usize>d) << 3), x1 = x0 + (<usize>d << 3), x2 = x1 + (<usize>d << 3), x3 = x2 + (<usize>d << 3);
  const wa = W + ((<usize>p * <usize>d) << 4);
  const oa = (p * n + i) * 2;
  let a0 = pairAt(res, oa), a1 = pairAt(res, oa + 2), a2 = pairAt(res, oa + 4), a3 = pairAt(res, oa + 6);
  for (let j = j0; j < j1; j++) {
    const ea = pairAt(wa, 2 * j);
    a0 = madd(a0, splatAt(x0, j), ea); a1 = madd(a1, splatAt(x1, j), ea);
    a2 = madd(a2, splatAt(x2, j), ea); a3 = madd(a3, splatAt(x3, j), ea);
  }
  putPair(res, oa, a0); putPair(res, oa + 2, a1); putPair(res, oa + 4, a2); putPair(res, oa + 6, a3);
}

/** r = s − y for row i of the pair at res offset o (stored back), as an f64x2. */
@inline function residual(res: usize, y: usize, o: i32, i: i32): v128 {
  const r = f64x2.sub(pairAt(res, o + 2 * i), splatAt(y, i));
  putPair(res, o + 2 * i, r);
  return r;
}

/**
 * G = Res·X (unscaled) for the pairs [0, pairs), with the single-run bracketing: blocks of eight rows summed
 * as ((x0r0 + x1r1) + (x2r2 + x3r3)) + ((x4r4 + x5r5) + (x6r6 + x7r7)) and added to G, then rows one by one.
 */
export function batchGradients(X: usize, res: usize, G: usize, n: i32, d: i32, pairs: i32): void {
  memory.fill(G, 0, (<usize>pairs * <usize>d) << 4);
  for (let j0 = 0; j0 < d; j0 += TILE) {
    const j1 = min(d, j0 + TILE);
    let i = 0;
    for (; i + 7 < n; i += 8) for (let p = 0; p < pairs; p++) gradient8(X, res, G, n, d, i, p, j0, j1);
    for (; i < n; i++) {
      const x = X + ((<usize>i * <usize>d) << 3);
      for (let p = 0; p < pairs; p++) {
        const r = pairAt(res, (p * n + i) * 2);
        const gp = G + ((<usize>p * <usize>d) << 4);
        for (let j = j0; j < j1; j++) putPair(gp, 2 * j, madd(pairAt(gp, 2 * j), splatAt(x, j), r));
      }
    }
  }
}

@inline function gradient8(X: usize, res: usize, G: usize, n: i32, d: i32, i: i32, p: i32, j0: i32, j1: i32): void {
  const rb = <usize>d << 3;
  const x0 = X + ((<usize>i * <usize>d) << 3), x1 = x0 + rb, x2 = x1 + rb, x3 = x2 + rb, x4 = x3 + rb, x5 = x4 + rb, x6 = x5 + rb, x7 = x6 + rb;
  const o = (p * n + i) * 2;
  const r0 = pairAt(res, o), r1 = pairAt(res, o + 2), r2 = pairAt(res, o + 4), r3 = pairAt(res, o + 6);
  const r4 = pairAt(res, o + 8), r5 = pairAt(res, o + 10), r6 = pairAt(res, o + 12), r7 = pairAt(res, o + 14);
  const gp = G + ((<usize>p * <usize>d) << 4);
  for (let j = j0; j < j1; j++) {
    const t01 = f64x2.add(f64x2.mul(splatAt(x0, j), r0), f64x2.mul(splatAt(x1, j), r1));
    const t23 = f64x2.add(f64x2.mul(splatAt(x2, j), r2), f64x2.mul(splatAt(x3, j), r3));
    const t45 = f64x2.add(f64x2.mul(splatAt(x4, j), r4), f64x2.mul(splatAt(x5, j), r5));
    const t67 = f64x2.add(f64x2.mul(splatAt(x6, j), r6), f64x2.mul(splatAt(x7, j), r7));
    putPair(gp, 2 * j, f64x2.add(pairAt(gp, 2 * j), f64x2.add(f64x2.add(t01, t23), f64x2.add(t45, t67))));
  }
}

/**
 * The DLN heavy-ball step of pair p (both slots, each with its own c = γ/n and β), written over the previous
 * iterates exactly as mgd.ts's dlnUpdate; flags[2p + lane] = 0 if the slot's new entries are finite, else NaN.
 */
export function batchUpdate(U: usize, V: usize, UP: usize, VP: usize, W: usize, G: usize, flags: usize, p: i32, d: i32, c0: f64, c1: f64, b0: f64, b1: f64): void {
  const cc = f64x2.replace_lane(f64x2.splat(c0), 1, c1);
  const bb = f64x2.replace_lane(f64x2.splat(b0), 1, b1);
  let flag = f64x2.splat(0);
  const o = p * d * 2;
  for (let q = o; q < o + 2 * d; q += 2) {
    const gj = f64x2.mul(cc, pairAt(G, q));
    const uj = pairAt(U, q);
    const vj = pairAt(V, q);
    const un = f64x2.sub(f64x2.add(uj, f64x2.mul(bb, f64x2.sub(uj, pairAt(UP, q)))), f64x2.mul(gj, vj));
    const vn = f64x2.sub(f64x2.add(vj, f64x2.mul(bb, f64x2.sub(vj, pairAt(VP, q)))), f64x2.mul(gj, uj));
    putPair(UP, q, un);
    putPair(VP, q, vn);
    putPair(W, q, f64x2.mul(un, vn));
    flag = f64x2.add(flag, f64x2.add(f64x2.sub(un, un), f64x2.sub(vn, vn)));
  }
  putPair(flags, 2 * p, flag);
}

