/**
 * The hot kernels of one MGD run and the buffers they work on. Two backends compute the same numbers bit for
 * bit: the WebAssembly kernels (wasm/mgd.ts, 128-bit SIMD, used whenever available) and the
 * TypeScript reference below, which defines the order of every sum.
 */
import { createArena } from "../core/wasm/arena";

/**
 * Over the rows listed in rows[0..m): r_i = ⟨x_i, w⟩ − y_i, g = Σ r_i x_i (unscaled) if `grad`; returns Σ r_i².
 * Rows go eight at a time: each r_i is a plain left-to-right sum over j; Σ r_i² and g are bracketed as
 * ((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + (a₆ + a₇)) per block of eight rows, then the remaining rows one by one.
 */
export function passRows(X: Float64Array, y: Float64Array, w: Float64Array, g: Float64Array, d: number, rows: Int32Array, m: number, grad: boolean): number {
  if (grad) g.fill(0);
  let ss = 0;
  let a = 0;
  for (; a + 7 < m; a += 8) {
    const i0 = rows[a];
    const i1 = rows[a + 1];
    const i2 = rows[a + 2];
    const i3 = rows[a + 3];
    const i4 = rows[a + 4];
    const i5 = rows[a + 5];
    const i6 = rows[a + 6];
    const i7 = rows[a + 7];
    const b0 = i0 * d;
    const b1 = i1 * d;
    const b2 = i2 * d;
    const b3 = i3 * d;
    const b4 = i4 * d;
    const b5 = i5 * d;
    const b6 = i6 * d;
    const b7 = i7 * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      s0 += X[b0 + j] * wj;
      s1 += X[b1 + j] * wj;
      s2 += X[b2 + j] * wj;
      s3 += X[b3 + j] * wj;
      s4 += X[b4 + j] * wj;
      s5 += X[b5 + j] * wj;
      s6 += X[b6 + j] * wj;
      s7 += X[b7 + j] * wj;
    }
    const r0 = s0 - y[i0];
    const r1 = s1 - y[i1];
    const r2 = s2 - y[i2];
    const r3 = s3 - y[i3];
    const r4 = s4 - y[i4];
    const r5 = s5 - y[i5];
    const r6 = s6 - y[i6];
    const r7 = s7 - y[i7];
    ss += r0 * r0 + r1 * r1 + (r2 * r2 + r3 * r3) + (r4 * r4 + r5 * r5 + (r6 * r6 + r7 * r7));
    if (grad) {
      for (let j = 0; j < d; j++) {
        g[j] += X[b0 + j] * r0 + X[b1 + j] * r1 + (X[b2 + j] * r2 + X[b3 + j] * r3) + (X[b4 + j] * r4 + X[b5 + j] * r5 + (X[b6 + j] * r6 + X[b7 + j] * r7));
      }
    }
  }
  for (; a < m; a++) {
    const i = rows[a];
    const b = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[b + j] * w[j];
    const r = s - y[i];
    ss += r * r;
    if (grad) for (let j = 0; j < d; j++) g[j] += X[b + j] * r;
  }
  return ss;
}

/**
 * Heavy-ball step of the DLN: u⁺ = u + β(u − u⁻) − c·g⊙v, v⁺ = v + β(v − v⁻) − c·g⊙u, written over (u⁻, v⁻),
 * and w = u⁺⊙v⁺. Returns 0 if every new entry is finite, NaN otherwise (x − x is 0 exactly when x is finite,
 * so the flag does not depend on the order of the sum).
 */
export function dlnUpdate(u: Float64Array, v: Float64Array, up: Float64Array, vp: Float64Array, w: Float64Array, g: Float64Array, c: number, beta: number, d: number): number {
  let flag = 0;
  for (let j = 0; j < d; j++) {
    const gj = c * g[j];
    const uj = u[j];
    const vj = v[j];
    const un = uj + beta * (uj - up[j]) - gj * vj;
    const vn = vj + beta * (vj - vp[j]) - gj * uj;
    up[j] = un;
    vp[j] = vn;
    w[j] = un * vn;
    flag += un - un + (vn - vn);
  }
  return flag;
}

/** Heavy-ball step of the linear model: w⁺ = w + β(w − w⁻) − c·g, written over w⁻; 0 if finite, else NaN. */
export function linearUpdate(w: Float64Array, wp: Float64Array, g: Float64Array, c: number, beta: number, d: number): number {
  let flag = 0;
  for (let j = 0; j < d; j++) {
    const wj = w[j];
    const wn = wj + beta * (wj - wp[j]) - c * g[j];
    wp[j] = wn;
    flag += wn - wn;
  }
  return flag;
}

/** The data and state of one run, as seen by its kernels (views into WebAssembly memory or plain arrays). */
export interface RunBuffers {
  /** The current iterate: u, v (DLN; length 0 for the linear model) and w (u⊙v, or the linear parameter). */
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  /** The previous iterate (u⁻, v⁻ for the DLN, w⁻ for the linear model). */
  readonly uPrev: Float64Array;
  readonly vPrev: Float64Array;
  readonly wPrev: Float64Array;
  /** Rows 0..n−1 (the full batch), and a permutation whose first entries are the current mini-batch. */
  readonly all: Int32Array;
  readonly pool: Int32Array;
  /** Σ r_i² over the first m rows of `pool` (mini-batch) or of `all` (full batch); g = Σ r_i x_i if grad. */
  pass(batch: "all" | "pool", m: number, grad: boolean): number;
  /** One heavy-ball step with c = γ/m from the last gradient; swaps current and previous. Returns false if
   * some new entry is not finite. */
  update(c: number, beta: number): boolean;
}

interface Start {
  u: Float64Array | null;
  v: Float64Array | null;
  w: Float64Array;
}

/**
 * The buffers of a run on X (n×d) from `start`, in WebAssembly memory when the kernels are available (X and y
 * are copied there once), else plain arrays with the TypeScript kernels. Both give the same bits.
 */
export function createRunBuffers(X: Float64Array, y: Float64Array, n: number, d: number, start: Start): RunBuffers {
  return wasmRunBuffers(X, y, n, d, start) ?? tsRunBuffers(X, y, n, d, start);
}

function iota(n: number, out: Int32Array = new Int32Array(n)): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function tsRunBuffers(X: Float64Array, y: Float64Array, n: number, d: number, start: Start): RunBuffers {
  const dln = start.u !== null;
  const e = new Float64Array(0);
  let u = dln ? Float64Array.from(start.u!) : e;
  let v = dln ? Float64Array.from(start.v!) : e;
  let up = Float64Array.from(u);
  let vp = Float64Array.from(v);
  let w = Float64Array.from(start.w);
  let wp = dln ? e : Float64Array.from(w);
  const g = new Float64Array(d);
  const all = iota(n);
  const pool = iota(n);
  return {
    get u() { return u; },
    get v() { return v; },
    get w() { return w; },
    get uPrev() { return up; },
    get vPrev() { return vp; },
    get wPrev() { return wp; },
    all,
    pool,
    pass: (batch, m, grad) => passRows(X, y, w, g, d, batch === "all" ? all : pool, m, grad),
    update(c, beta) {
      if (dln) {
        const flag = dlnUpdate(u, v, up, vp, w, g, c, beta, d);
        [u, up] = [up, u];
        [v, vp] = [vp, v];
        return flag === 0;
      }
      const flag = linearUpdate(w, wp, g, c, beta, d);
      [w, wp] = [wp, w];
      return flag === 0;
    },
  };
}

function wasmRunBuffers(X: Float64Array, y: Float64Array, n: number, d: number, start: Start): RunBuffers | null {
  const dln = start.u !== null;
  const m = dln ? d : 0;
  const arena = createArena({ X: n * d, y: n, g: d, u: m, v: m, up: m, vp: m, w: d, wp: dln ? 0 : d }, { all: n, pool: n });
  if (arena === null) return null;
  const { kernels: k, f64, i32, ptr } = arena;
  f64.X.set(X);
  f64.y.set(y);
  iota(n, i32.all);
  iota(n, i32.pool);
  f64.w.set(start.w);
  if (dln) {
    f64.u.set(start.u!);
    f64.v.set(start.v!);
    f64.up.set(start.u!);
    f64.vp.set(start.v!);
  } else f64.wp.set(start.w);
  // The current iterate in (u, v) [DLN] or w [linear]; the update writes the next one over the previous and the
  // two swap (pointers and views together). The DLN's w is always `w`; its wPrev is empty, like the TS path's.
  let [pu, pv, pup, pvp] = [ptr.u, ptr.v, ptr.up, ptr.vp];
  let [vu, vv, vup, vvp] = [f64.u, f64.v, f64.up, f64.vp];
  let [pw, pwp] = [ptr.w, ptr.wp];
  let [vw, vwp] = [f64.w, f64.wp];
  const { X: pX, y: py, g: pg, all: pAll, pool: pPool } = ptr;
  return {
    get u() { return vu; },
    get v() { return vv; },
    get w() { return vw; },
    get uPrev() { return vup; },
    get vPrev() { return vvp; },
    get wPrev() { return vwp; },
    all: i32.all,
    pool: i32.pool,
    pass: (batch, rowsUsed, grad) => k.passRows(pX, py, pw, pg, d, batch === "all" ? pAll : pPool, rowsUsed, grad ? 1 : 0),
    update(c, beta) {
      if (dln) {
        const flag = k.dlnUpdate(pu, pv, pup, pvp, pw, pg, c, beta, d);
        [pu, pup, pv, pvp] = [pup, pu, pvp, pv];
        [vu, vup, vv, vvp] = [vup, vu, vvp, vv];
        return flag === 0;
      }
      const flag = k.linearUpdate(pw, pwp, pg, c, beta, d);
      [pw, pwp] = [pwp, pw];
      [vw, vwp] = [vwp, vw];
      return flag === 0;
    },
  };
}
