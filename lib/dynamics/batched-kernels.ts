/**
 * The kernels of R MGD runs that share X (batched.ts) and the buffers they work on. Runs live in slots, two
 * slots per "pair": the state of pair p is stored lane-interleaved, W[(p·d + j)·2 + lane], the residuals
 * Res[(p·n + i)·2 + lane]. Every lane computes exactly the sums of the single-run kernel (mgd-kernels.ts
 * passRows and dlnUpdate) in the same order, so each run of a batch is bit for bit the run made alone.
 *
 * Two backends give the same bits: WebAssembly (wasm/batched.ts, where a pair is one f64x2
 * and the loads of X are shared by all pairs) and the TypeScript reference below, written lane by lane.
 */
import { createArena } from "../core/wasm/arena";

/** Res = W·Xᵀ − Y and ss[2p + lane] = Σ r_i² for the pairs [0, pairs) (single-run order and bracketing). */
export function batchResiduals(X: Float64Array, y: Float64Array, W: Float64Array, res: Float64Array, ss: Float64Array, n: number, d: number, pairs: number): void {
  for (let q = 0; q < 2 * pairs; q++) {
    const p = q >> 1;
    const lane = q & 1;
    const wo = p * d * 2 + lane;
    const ro = p * n * 2 + lane;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j] * W[wo + 2 * j];
      res[ro + 2 * i] = s - y[i];
    }
    let s2 = 0;
    let i = 0;
    for (; i + 7 < n; i += 8) {
      const r = (t: number): number => res[ro + 2 * (i + t)];
      s2 += r(0) * r(0) + r(1) * r(1) + (r(2) * r(2) + r(3) * r(3)) + (r(4) * r(4) + r(5) * r(5) + (r(6) * r(6) + r(7) * r(7)));
    }
    for (; i < n; i++) s2 += res[ro + 2 * i] * res[ro + 2 * i];
    ss[q] = s2;
  }
}

/** G = Res·X (unscaled) for the pairs [0, pairs), in the single-run order (blocks of eight rows, then the rest). */
export function batchGradients(X: Float64Array, res: Float64Array, G: Float64Array, n: number, d: number, pairs: number): void {
  for (let q = 0; q < 2 * pairs; q++) {
    const p = q >> 1;
    const go = p * d * 2 + (q & 1);
    const ro = p * n * 2 + (q & 1);
    for (let j = 0; j < d; j++) G[go + 2 * j] = 0;
    let i = 0;
    for (; i + 7 < n; i += 8) {
      const r = (t: number): number => res[ro + 2 * (i + t)];
      const x = (t: number, j: number): number => X[(i + t) * d + j];
      for (let j = 0; j < d; j++) {
        G[go + 2 * j] += x(0, j) * r(0) + x(1, j) * r(1) + (x(2, j) * r(2) + x(3, j) * r(3)) + (x(4, j) * r(4) + x(5, j) * r(5) + (x(6, j) * r(6) + x(7, j) * r(7)));
      }
    }
    for (; i < n; i++) {
      const ri = res[ro + 2 * i];
      for (let j = 0; j < d; j++) G[go + 2 * j] += X[i * d + j] * ri;
    }
  }
}

/**
 * The DLN heavy-ball step of pair p (lane t with c_t = γ_t/n and β_t), written over the previous iterates as
 * dlnUpdate does; flags[2p + t] = 0 if lane t's new entries are finite, else NaN.
 */
export function batchUpdate(
  U: Float64Array, V: Float64Array, UP: Float64Array, VP: Float64Array, W: Float64Array, G: Float64Array, flags: Float64Array,
  p: number, d: number, c0: number, c1: number, b0: number, b1: number,
): void {
  for (let lane = 0; lane < 2; lane++) {
    const c = lane === 0 ? c0 : c1;
    const beta = lane === 0 ? b0 : b1;
    let flag = 0;
    for (let q = p * d * 2 + lane; q < (p + 1) * d * 2; q += 2) {
      const gj = c * G[q];
      const uj = U[q];
      const vj = V[q];
      const un = uj + beta * (uj - UP[q]) - gj * vj;
      const vn = vj + beta * (vj - VP[q]) - gj * uj;
      UP[q] = un;
      VP[q] = vn;
      W[q] = un * vn;
      flag += un - un + (vn - vn);
    }
    flags[2 * p + lane] = flag;
  }
}

/** The state of a batch of runs in slots (two per pair) and its kernels, on either backend. */
export interface BatchBuffers {
  /** Number of pairs (slots = 2·pairs). */
  readonly pairs: number;
  /** Σ r_i² of each slot at the last residual pass. */
  readonly ss: Float64Array;
  /** Finite flags of each slot after the last update (0 finite, NaN not). */
  readonly flags: Float64Array;
  /** Residual pass over the pairs [0, pairs). */
  residuals(pairs: number): void;
  /** Gradient pass over the pairs [0, pairs) (after the residual pass). */
  gradients(pairs: number): void;
  /** Momentum update of pair p, lane t with c_t = γ_t/n and β_t. */
  update(p: number, c0: number, c1: number, b0: number, b1: number): void;
  /** After the updates of an iteration: the new iterates become current. */
  swap(): void;
  /** Start slot s at (u, v) with u⁻ = u, v⁻ = v. */
  load(s: number, u: Float64Array, v: Float64Array): void;
  /** Copies of slot s's current u, v and w. */
  read(s: number): { u: Float64Array; v: Float64Array; w: Float64Array };
  /** Move slot `from` (current and previous iterates) to slot `to`, and zero `from`. */
  move(from: number, to: number): void;
  /** Zero slot s (a dead lane: zeros stay zeros, with no denormals or NaN to slow the lanes down). */
  clear(s: number): void;
}

interface Arrays {
  U: Float64Array;
  V: Float64Array;
  UP: Float64Array;
  VP: Float64Array;
  W: Float64Array;
}

/** load/read/move/clear on the lane-interleaved arrays (the current iterate in U, V unless flipped). */
function slotAccess(a: () => Arrays, d: number): Pick<BatchBuffers, "load" | "read" | "move" | "clear"> {
  const at = (s: number, j: number): number => ((s >> 1) * d + j) * 2 + (s & 1);
  return {
    load(s, u, v) {
      const { U, V, UP, VP, W } = a();
      for (let j = 0; j < d; j++) {
        const q = at(s, j);
        U[q] = UP[q] = u[j];
        V[q] = VP[q] = v[j];
        W[q] = u[j] * v[j];
      }
    },
    read(s) {
      const { U, V, W } = a();
      const u = new Float64Array(d);
      const v = new Float64Array(d);
      const w = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        u[j] = U[at(s, j)];
        v[j] = V[at(s, j)];
        w[j] = W[at(s, j)];
      }
      return { u, v, w };
    },
    move(from, to) {
      const arrays = Object.values(a());
      for (const A of arrays) for (let j = 0; j < d; j++) A[at(to, j)] = A[at(from, j)];
      for (const A of arrays) for (let j = 0; j < d; j++) A[at(from, j)] = 0;
    },
    clear(s) {
      for (const A of Object.values(a())) for (let j = 0; j < d; j++) A[at(s, j)] = 0;
    },
  };
}

/**
 * Buffers for R runs on X (n×d): WebAssembly memory (X copied once) when the kernels are available, else plain
 * arrays with the TypeScript reference. Both give the same bits.
 */
export function createBatchBuffers(X: Float64Array, y: Float64Array, n: number, d: number, R: number): BatchBuffers {
  const pairs = (R + 1) >> 1;
  return wasmBatchBuffers(X, y, n, d, pairs) ?? tsBatchBuffers(X, y, n, d, pairs);
}

function tsBatchBuffers(X: Float64Array, y: Float64Array, n: number, d: number, pairs: number): BatchBuffers {
  const size = 2 * pairs * d;
  let a: Arrays = { U: new Float64Array(size), V: new Float64Array(size), UP: new Float64Array(size), VP: new Float64Array(size), W: new Float64Array(size) };
  const res = new Float64Array(2 * pairs * n);
  const G = new Float64Array(size);
  const ss = new Float64Array(2 * pairs);
  const flags = new Float64Array(2 * pairs);
  return {
    pairs,
    ss,
    flags,
    residuals: (m) => batchResiduals(X, y, a.W, res, ss, n, d, m),
    gradients: (m) => batchGradients(X, res, G, n, d, m),
    update: (p, c0, c1, b0, b1) => batchUpdate(a.U, a.V, a.UP, a.VP, a.W, G, flags, p, d, c0, c1, b0, b1),
    swap() {
      a = { U: a.UP, V: a.VP, UP: a.U, VP: a.V, W: a.W };
    },
    ...slotAccess(() => a, d),
  };
}

function wasmBatchBuffers(X: Float64Array, y: Float64Array, n: number, d: number, pairs: number): BatchBuffers | null {
  const size = 2 * pairs * d;
  const arena = createArena({ X: n * d, y: n, U: size, V: size, UP: size, VP: size, W: size, G: size, res: 2 * pairs * n, ss: 2 * pairs, flags: 2 * pairs });
  if (arena === null) return null;
  const { kernels: k, f64, ptr } = arena;
  f64.X.set(X);
  f64.y.set(y);
  let flip = false; // false: (U, V) hold the current iterate
  const cur = (): Arrays => (flip ? { U: f64.UP, V: f64.VP, UP: f64.U, VP: f64.V, W: f64.W } : { U: f64.U, V: f64.V, UP: f64.UP, VP: f64.VP, W: f64.W });
  return {
    pairs,
    ss: f64.ss,
    flags: f64.flags,
    residuals: (m) => k.batchResiduals(ptr.X, ptr.y, ptr.W, ptr.res, ptr.ss, n, d, m),
    gradients: (m) => k.batchGradients(ptr.X, ptr.res, ptr.G, n, d, m),
    update(p, c0, c1, b0, b1) {
      if (flip) k.batchUpdate(ptr.UP, ptr.VP, ptr.U, ptr.V, ptr.W, ptr.G, ptr.flags, p, d, c0, c1, b0, b1);
      else k.batchUpdate(ptr.U, ptr.V, ptr.UP, ptr.VP, ptr.W, ptr.G, ptr.flags, p, d, c0, c1, b0, b1);
    },
    swap() {
      flip = !flip;
    },
    ...slotAccess(cur, d),
  };
}
