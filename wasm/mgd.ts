// One MGD run (lib/dynamics/optimizers.ts): the fused pass over the rows of X and the momentum updates.
// Same arithmetic, in the same order, as the TypeScript reference kernels in lib/dynamics/mgd-kernels.ts, so
// the two agree bit for bit; f64x2 lanes only ever hold independent sums.
import { at, atI32, finiteFlag, highs, lows, madd, pairAt, put, putPair, splatAt } from "./memory";

/**
 * Over the rows listed in rows[0..m): r_i = ⟨x_i, w⟩ − y_i; g = Σ r_i x_i (unscaled) if grad ≠ 0; returns Σ r_i².
 * Rows go eight at a time: their dot products share the loads of w, two rows per f64x2 (lane t of s01 is row
 * t of the pair, each a plain left-to-right sum over j), then g += Σ r_i x_i while the rows are in cache.
 */
export function passRows(X: usize, y: usize, w: usize, g: usize, d: i32, rows: usize, m: i32, grad: i32): f64 {
  if (grad) memory.fill(g, 0, <usize>d << 3);
  let ss: f64 = 0;
  let a = 0;
  for (; a + 7 < m; a += 8) {
    const i0 = atI32(rows, a), i1 = atI32(rows, a + 1), i2 = atI32(rows, a + 2), i3 = atI32(rows, a + 3);
    const i4 = atI32(rows, a + 4), i5 = atI32(rows, a + 5), i6 = atI32(rows, a + 6), i7 = atI32(rows, a + 7);
    const x0 = row(X, i0, d), x1 = row(X, i1, d), x2 = row(X, i2, d), x3 = row(X, i3, d);
    const x4 = row(X, i4, d), x5 = row(X, i5, d), x6 = row(X, i6, d), x7 = row(X, i7, d);
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0), s45 = f64x2.splat(0), s67 = f64x2.splat(0);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const wp = pairAt(w, j);
      const wj = v128.shuffle<f64>(wp, wp, 0, 0);
      const wk = v128.shuffle<f64>(wp, wp, 1, 1);
      let a0 = pairAt(x0, j), a1 = pairAt(x1, j);
      s01 = madd(madd(s01, lows(a0, a1), wj), highs(a0, a1), wk);
      a0 = pairAt(x2, j); a1 = pairAt(x3, j);
      s23 = madd(madd(s23, lows(a0, a1), wj), highs(a0, a1), wk);
      a0 = pairAt(x4, j); a1 = pairAt(x5, j);
      s45 = madd(madd(s45, lows(a0, a1), wj), highs(a0, a1), wk);
      a0 = pairAt(x6, j); a1 = pairAt(x7, j);
      s67 = madd(madd(s67, lows(a0, a1), wj), highs(a0, a1), wk);
    }
    if (j < d) {
      const wj = splatAt(w, j);
      s01 = madd(s01, two(at(x0, j), at(x1, j)), wj);
      s23 = madd(s23, two(at(x2, j), at(x3, j)), wj);
      s45 = madd(s45, two(at(x4, j), at(x5, j)), wj);
      s67 = madd(s67, two(at(x6, j), at(x7, j)), wj);
    }
    const r0 = f64x2.extract_lane(s01, 0) - at(y, i0), r1 = f64x2.extract_lane(s01, 1) - at(y, i1);
    const r2 = f64x2.extract_lane(s23, 0) - at(y, i2), r3 = f64x2.extract_lane(s23, 1) - at(y, i3);
    const r4 = f64x2.extract_lane(s45, 0) - at(y, i4), r5 = f64x2.extract_lane(s45, 1) - at(y, i5);
    const r6 = f64x2.extract_lane(s67, 0) - at(y, i6), r7 = f64x2.extract_lane(s67, 1) - at(y, i7);
    ss += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3) + (r4 * r4 + r5 * r5 + (r6 * r6 + r7 * r7));
    if (!grad) continue;
    const q0 = f64x2.splat(r0), q1 = f64x2.splat(r1), q2 = f64x2.splat(r2), q3 = f64x2.splat(r3);
    const q4 = f64x2.splat(r4), q5 = f64x2.splat(r5), q6 = f64x2.splat(r6), q7 = f64x2.splat(r7);
    j = 0;
    for (; j + 1 < d; j += 2) {
      const t01 = f64x2.add(f64x2.mul(pairAt(x0, j), q0), f64x2.mul(pairAt(x1, j), q1));
      const t23 = f64x2.add(f64x2.mul(pairAt(x2, j), q2), f64x2.mul(pairAt(x3, j), q3));
      const t45 = f64x2.add(f64x2.mul(pairAt(x4, j), q4), f64x2.mul(pairAt(x5, j), q5));
      const t67 = f64x2.add(f64x2.mul(pairAt(x6, j), q6), f64x2.mul(pairAt(x7, j), q7));
      putPair(g, j, f64x2.add(pairAt(g, j), f64x2.add(f64x2.add(t01, t23), f64x2.add(t45, t67))));
    }
    if (j < d) {
      const t = at(x0, j) * r0 + at(x1, j) * r1 + (at(x2, j) * r2 + at(x3, j) * r3) + (at(x4, j) * r4 + at(x5, j) * r5 + (at(x6, j) * r6 + at(x7, j) * r7));
      put(g, j, at(g, j) + t);
    }
  }
  for (; a < m; a++) {
    const i = atI32(rows, a);
    const x = row(X, i, d);
    let s: f64 = 0;
    for (let j = 0; j < d; j++) s += at(x, j) * at(w, j);
    const r = s - at(y, i);
    ss += r * r;
    if (grad) for (let j = 0; j < d; j++) put(g, j, at(g, j) + at(x, j) * r);
  }
  return ss;
}

/**
 * Heavy-ball step of the DLN: u⁺ = u + β(u − u⁻) − c·g⊙v, v⁺ = v + β(v − v⁻) − c·g⊙u, written over (u⁻, v⁻),
 * and w = u⁺⊙v⁺. Returns 0 if every new entry is finite, NaN otherwise.
 */
export function dlnUpdate(u: usize, v: usize, up: usize, vp: usize, w: usize, g: usize, c: f64, beta: f64, d: i32): f64 {
  const cc = f64x2.splat(c);
  const bb = f64x2.splat(beta);
  let flag = f64x2.splat(0);
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const gj = f64x2.mul(cc, pairAt(g, j));
    const uj = pairAt(u, j);
    const vj = pairAt(v, j);
    const un = f64x2.sub(f64x2.add(uj, f64x2.mul(bb, f64x2.sub(uj, pairAt(up, j)))), f64x2.mul(gj, vj));
    const vn = f64x2.sub(f64x2.add(vj, f64x2.mul(bb, f64x2.sub(vj, pairAt(vp, j)))), f64x2.mul(gj, uj));
    putPair(up, j, un);
    putPair(vp, j, vn);
    putPair(w, j, f64x2.mul(un, vn));
    flag = f64x2.add(flag, f64x2.add(finiteFlag(un), finiteFlag(vn)));
  }
  let tail: f64 = 0;
  if (j < d) {
    const gj = c * at(g, j);
    const uj = at(u, j);
    const vj = at(v, j);
    const un = uj + beta * (uj - at(up, j)) - gj * vj;
    const vn = vj + beta * (vj - at(vp, j)) - gj * uj;
    put(up, j, un);
    put(vp, j, vn);
    put(w, j, un * vn);
    tail = un - un + (vn - vn);
  }
  return f64x2.extract_lane(flag, 0) + f64x2.extract_lane(flag, 1) + tail;
}

/** Heavy-ball step of the linear model: w⁺ = w + β(w − w⁻) − c·g, written over w⁻; 0 if finite, else NaN. */
export function linearUpdate(w: usize, wp: usize, g: usize, c: f64, beta: f64, d: i32): f64 {
  const cc = f64x2.splat(c);
  const bb = f64x2.splat(beta);
  let flag = f64x2.splat(0);
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const wj = pairAt(w, j);
    const wn = f64x2.sub(f64x2.add(wj, f64x2.mul(bb, f64x2.sub(wj, pairAt(wp, j)))), f64x2.mul(cc, pairAt(g, j)));
    putPair(wp, j, wn);
    flag = f64x2.add(flag, finiteFlag(wn));
  }
  let tail: f64 = 0;
  if (j < d) {
    const wj = at(w, j);
    const wn = wj + beta * (wj - at(wp, j)) - c * at(g, j);
    put(wp, j, wn);
    tail = wn - wn;
  }
  return f64x2.extract_lane(flag, 0) + f64x2.extract_lane(flag, 1) + tail;
}

/** Byte offset of row i of the row-major n×d matrix at X. */
@inline function row(X: usize, i: i32, d: i32): usize {
  return X + ((<usize>i * <usize>d) << 3);
}

/** (a, b) as one f64x2. */
@inline function two(a: f64, b: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}
