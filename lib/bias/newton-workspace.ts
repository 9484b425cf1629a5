/**
 * The linear algebra of the dual Newton solver (interpolators.ts) on named buffers: X·v, Xᵀ·r, the Newton matrix
 * J = X diag(weight) Xᵀ with its Cholesky factor, solves with the factor and products with J. Two backends give
 * the same bits: WebAssembly (wasm/linalg.ts, 128-bit SIMD, J pair-interleaved) and the
 * TypeScript reference (lib/core/linalg.ts: gramScaled, choleskyInPlace, choleskySolve, matVec, matTVec).
 */
import { choleskyInPlace, choleskySolve, gramScaled, matTVec, matVec } from "../core/linalg";
import { createArena } from "../core/wasm/arena";
import { sharedMemoryAvailable } from "../core/wasm/module";
import { chunkBounds, kernelPool, Op, type KernelPool } from "../core/wasm/threads";

/** Buffers of length d. */
export type DVector = "w" | "wTrial" | "weight" | "q" | "t";
/** Buffers of length n. */
export type NVector = "r" | "rTrial" | "s" | "cgR" | "cgZ" | "cgP" | "cgJp";

const D_NAMES: DVector[] = ["w", "wTrial", "weight", "q", "t"];
const N_NAMES: NVector[] = ["r", "rTrial", "s", "cgR", "cgZ", "cgP", "cgJp"];

export interface NewtonWorkspace {
  readonly n: number;
  readonly d: number;
  /** The named vectors (views into WebAssembly memory, or plain arrays). */
  readonly vec: Record<DVector | NVector, Float64Array>;
  /** dst = X·src. */
  matVec(src: DVector, dst: NVector): void;
  /** dst = Xᵀ·src. */
  matTVec(src: NVector, dst: DVector): void;
  /** dst = J·src = X diag(weight) Xᵀ src (through the buffer t). */
  applyJ(src: NVector, dst: NVector): void;
  /**
   * J = X diag(weight) Xᵀ (+ ridge·I), then its Cholesky factor in place; J's diagonal before the factorisation
   * is kept in `jDiag`. Returns true if every pivot was positive.
   */
  factor(ridge?: number): boolean;
  /** J's diagonal at the last factor() (before factorising). */
  readonly jDiag: Float64Array;
  /** The factor's i-th diagonal entry L_ii (after a successful factor()). */
  pivot(i: number): number;
  /** dst = (LLᵀ)⁻¹ src with the last factor. */
  solve(src: NVector, dst: NVector): void;
}

/**
 * A workspace for the system (X, y): WebAssembly when the kernels are available (X copied once), else the
 * TypeScript reference.
 */
export function createNewtonWorkspace(X: Float64Array, n: number, d: number): NewtonWorkspace {
  return wasmWorkspace(X, n, d) ?? tsWorkspace(X, n, d);
}

// Below these sizes (multiply-adds) a job is not worth splitting over threads: the hand-off costs ~10-50 µs.
const THREADED_GRAM = 4e6;
const THREADED_PASS = 2e5;

function tsWorkspace(X: Float64Array, n: number, d: number): NewtonWorkspace {
  const vec = {} as Record<DVector | NVector, Float64Array>;
  for (const name of D_NAMES) vec[name] = new Float64Array(d);
  for (const name of N_NAMES) vec[name] = new Float64Array(n);
  const J = new Float64Array(n * n);
  const rowBuf = new Float64Array(n * d);
  const jDiag = new Float64Array(n);
  return {
    n,
    d,
    vec,
    jDiag,
    matVec: (src, dst) => void matVec(X, n, d, vec[src], vec[dst]),
    matTVec: (src, dst) => void matTVec(X, n, d, vec[src], vec[dst]),
    applyJ(src, dst) {
      const t = vec.t;
      matTVec(X, n, d, vec[src], t);
      for (let j = 0; j < d; j++) t[j] *= vec.weight[j];
      matVec(X, n, d, t, vec[dst]);
    },
    factor(ridge = 0) {
      gramScaled(X, n, d, vec.weight, J, rowBuf);
      for (let i = 0; i < n; i++) J[i * n + i] += ridge;
      for (let i = 0; i < n; i++) jDiag[i] = J[i * n + i];
      return choleskyInPlace(J, n);
    },
    pivot: (i) => J[i * n + i],
    solve: (src, dst) => void choleskySolve(J, n, vec[src], vec[dst]),
  };
}

function wasmWorkspace(X: Float64Array, n: number, d: number): NewtonWorkspace | null {
  const pairs = (n + 1) >> 1;
  const pool = (n * n * d) / 2 >= THREADED_GRAM && sharedMemoryAvailable() ? kernelPool() : null;
  const sizes = { X: n * d, B: pairs * 2 * d, J: pairs * 2 * n } as Record<string, number>;
  for (const name of D_NAMES) sizes[name] = d;
  for (const name of N_NAMES) sizes[name] = n;
  const arena = createArena(sizes, {}, pool !== null);
  if (arena === null) return null;
  const { kernels: k, f64, ptr, memory } = arena;
  f64.X.set(X);
  const vec = {} as Record<DVector | NVector, Float64Array>;
  for (const name of [...D_NAMES, ...N_NAMES]) vec[name] = f64[name];
  const jDiag = new Float64Array(n);
  const diagIndex = (i: number): number => ((i >> 1) * n + i) * 2 + (i & 1);
  // Split jobs: the caller and the workers take chunks of rows, coordinates or row pairs (same bits as one call).
  const parts = pool ? 8 * pool.threads : 1; // small chunks: a descheduled thread holds up little
  const split = (p: KernelPool | null, minWork: number) => (p !== null && n * d >= minWork ? p : null);
  const passPool = split(pool, THREADED_PASS);
  const rowChunks = chunkBounds(n, parts, 0, 4);
  const colChunks = chunkBounds(d, parts, 0, 2);
  const pairChunks = chunkBounds(pairs, parts, 0, 2);
  const gramChunks = chunkBounds(pairs, parts, 1, 2);
  const matVec = (src: string, dst: string): void => {
    if (passPool) passPool.run(k, memory, Op.matVec, [ptr.X, ptr[src], ptr[dst], n, d], rowChunks);
    else k.matVec(ptr.X, ptr[src], ptr[dst], n, d);
  };
  const matTVec = (src: string, dst: string): void => {
    if (passPool) passPool.run(k, memory, Op.matTVec, [ptr.X, ptr[src], ptr[dst], n, d], colChunks);
    else k.matTVec(ptr.X, ptr[src], ptr[dst], n, d);
  };
  return {
    n,
    d,
    vec,
    jDiag,
    matVec,
    matTVec,
    applyJ(src, dst) {
      matTVec(src, "t");
      k.scale(ptr.t, ptr.weight, d);
      matVec("t", dst);
    },
    factor(ridge = 0) {
      if (pool) {
        pool.run(k, memory, Op.scaleRows, [ptr.X, ptr.weight, ptr.B, n, d], pairChunks);
        pool.run(k, memory, Op.gram, [ptr.B, ptr.J, n, d], gramChunks);
      } else {
        k.scaleRowsPairs(ptr.X, ptr.weight, ptr.B, n, d);
        k.gramPairs(ptr.B, ptr.J, n, d, 0, pairs);
      }
      const J = f64.J;
      for (let i = 0; i < n; i++) J[diagIndex(i)] += ridge;
      for (let i = 0; i < n; i++) jDiag[i] = J[diagIndex(i)];
      return k.choleskyPairs(ptr.J, n) < 0;
    },
    pivot: (i) => f64.J[diagIndex(i)],
    solve: (src, dst) => k.choleskySolvePairs(ptr.J, n, ptr[src], ptr[dst]),
  };
}
