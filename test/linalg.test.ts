import * as math from "mathjs";
import { describe, expect, it } from "vitest";
import {
  choleskyInPlace,
  choleskySolve,
  distance,
  dot,
  gramScaled,
  largestEigenvalueXtX,
  matTVec,
  matVec,
  maxAbsDiff,
  norm1,
  norm2,
  normInf,
  weightedGram,
} from "../lib/core/linalg";
import { createRng, normalVector } from "../lib/core/random";
import { createArena } from "../lib/core/wasm/arena";
import { decodeBase64, useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";

const n = 7;
const d = 11;
const rng = createRng(123);
const X = normalVector(rng, n * d);
const v = normalVector(rng, d);
const r = normalVector(rng, n);
const rows = (A: Float64Array, m: number, k: number): number[][] => Array.from({ length: m }, (_, i) => Array.from(A.subarray(i * k, (i + 1) * k)));
const Xm = rows(X, n, d);

describe("matVec / matTVec against mathjs", () => {
  it("X·v", () => {
    const ref = math.multiply(Xm, Array.from(v)) as number[];
    expect(maxAbsDiff(matVec(X, n, d, v), ref)).toBeLessThan(1e-13);
  });
  it("Xᵀ·r, also into a dirty output buffer", () => {
    const ref = math.multiply(math.transpose(Xm), Array.from(r)) as number[];
    const out: Float64Array = new Float64Array(d).fill(99);
    expect(matTVec(X, n, d, r, out)).toBe(out);
    expect(maxAbsDiff(out, ref)).toBeLessThan(1e-13);
  });
  it("skips zero residuals without changing the result", () => {
    const rz = Float64Array.from(r);
    rz[2] = 0;
    const ref = math.multiply(math.transpose(Xm), Array.from(rz)) as number[];
    expect(maxAbsDiff(matTVec(X, n, d, rz), ref)).toBeLessThan(1e-13);
  });
});

describe("vector reductions", () => {
  const a = Float64Array.from([3, -4, 0, 1]);
  const b = Float64Array.from([1, 2, -2, 0]);
  it("exact small values", () => {
    expect(dot(a, b)).toBe(-5);
    expect(norm2(Float64Array.from([3, -4]))).toBe(5);
    expect(norm1(a)).toBe(8);
    expect(normInf(a)).toBe(4);
    expect(distance(a, b)).toBeCloseTo(Math.sqrt(4 + 36 + 4 + 1), 14);
    expect(maxAbsDiff(a, b)).toBe(6);
    expect(norm2(new Float64Array(3))).toBe(0);
  });
  it("norm2 neither overflows nor underflows", () => {
    expect(norm2(Float64Array.from([3e200, 4e200]))).toBeCloseTo(5e200, -186);
    expect(norm2(Float64Array.from([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
  });
  it("norm2 matches mathjs", () => {
    expect(norm2(v)).toBeCloseTo(math.norm(Array.from(v)) as number, 13);
  });
});

describe("weightedGram, Cholesky", () => {
  const s = Float64Array.from(Array.from({ length: d }, (_, j) => 0.5 + j / d));
  it("X diag(s) Xᵀ against mathjs, symmetric", () => {
    const G = weightedGram(X, n, d, s);
    const ref = math.multiply(math.multiply(Xm, math.diag(Array.from(s))), math.transpose(Xm)) as unknown as number[][];
    expect(maxAbsDiff(G, ref.flat())).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) expect(G[i * n + k]).toBe(G[k * n + i]);
    const G1 = weightedGram(X, n, d);
    expect(maxAbsDiff(G1, (math.multiply(Xm, math.transpose(Xm)) as number[][]).flat())).toBeLessThan(1e-12);
  });
  it("choleskySolve solves G x = b (vs mathjs lusolve) and LLᵀ = G", () => {
    const G = weightedGram(X, n, d, s);
    const b = normalVector(createRng(4), n);
    const L = Float64Array.from(G);
    expect(choleskyInPlace(L, n)).toBe(true);
    // LLᵀ reproduces G (lower triangle of L only).
    for (let i = 0; i < n; i++) {
      for (let k = 0; k <= i; k++) {
        let acc = 0;
        for (let m = 0; m <= k; m++) acc += L[i * n + m] * L[k * n + m];
        expect(Math.abs(acc - G[i * n + k])).toBeLessThan(1e-12 * (1 + Math.abs(G[i * n + k])));
      }
    }
    const x = choleskySolve(L, n, b);
    const ref = (math.lusolve(rows(G, n, n), Array.from(b)) as number[][]).map((row) => row[0]);
    expect(maxAbsDiff(x, ref)).toBeLessThan(1e-10);
    expect(maxAbsDiff(matVec(G, n, n, x), b)).toBeLessThan(1e-11);
  });
  it("choleskyInPlace reports a matrix that is not positive definite", () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([0, 0, 0, 1]), 2)).toBe(false);
  });
});

describe("largestEigenvalueXtX", () => {
  it("matches mathjs eigs of XᵀX/n", () => {
    const A = math.divide(math.multiply(math.transpose(Xm), Xm), n) as number[][];
    const values = (math.eigs(A).values as unknown as number[]).map(Number);
    const ref = Math.max(...values);
    expect(Math.abs(largestEigenvalueXtX(X, n, d) - ref) / ref).toBeLessThan(1e-8);
  });
  it("diagonal case is exact", () => {
    const D = Float64Array.from([2, 0, 0, 0, 3, 0]); // 2×3, XᵀX/2 = diag(2, 4.5, 0)
    expect(largestEigenvalueXtX(D, 2, 3)).toBeCloseTo(4.5, 10);
    expect(largestEigenvalueXtX(new Float64Array(6), 2, 3)).toBe(0);
  });

  it("with a diagonal scale D equals the unscaled value of X·D", () => {
    const n = 5, d = 7;
    const X = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1 + i * 0.7));
    const scale = Float64Array.from({ length: d }, (_, j) => 0.1 + j * 0.3);
    const XD = X.map((x, i) => x * scale[i % d]);
    const ref = largestEigenvalueXtX(XD, n, d);
    expect(Math.abs(largestEigenvalueXtX(X, n, d, { scale }) - ref) / ref).toBeLessThan(1e-10);
    expect(largestEigenvalueXtX(X, n, d, { scale })).not.toBeCloseTo(largestEigenvalueXtX(X, n, d), 3);
  });
});

describe("WebAssembly kernels equal the TypeScript reference bit for bit", () => {
  // odd n and d take every remainder path (a phantom row in the last pair, an odd column)
  const sizes: Array<[number, number]> = [[7, 11], [9, 40], [16, 33], [1, 5]];
  const pairIndex = (i: number, k: number, cols: number): number => ((i >> 1) * cols + k) * 2 + (i & 1);
  const setup = (m: number, c: number) => {
    const g = createRng(m * 100 + c);
    const A = normalVector(g, m * c);
    const s = Float64Array.from(normalVector(g, c), (x) => Math.exp(x)); // positive weights
    const pairs = (m + 1) >> 1;
    const arena = createArena({ X: m * c, v: c, out: m, r: m, outT: c, s: c, B: pairs * 2 * c, J: pairs * 2 * m, b: m, x: m });
    expect(arena).not.toBeNull();
    arena!.f64.X.set(A);
    arena!.f64.s.set(s);
    return { A, s, a: arena!, g };
  };

  it.each(sizes)("matVec and matTVec (%i × %i), with zero residuals skipped", (m, c) => {
    const { A, a, g } = setup(m, c);
    const vv = normalVector(g, c);
    const rr = normalVector(g, m);
    if (m > 2) rr[1] = 0;
    a.f64.v.set(vv);
    a.f64.r.set(rr);
    a.kernels.matVec(a.ptr.X, a.ptr.v, a.ptr.out, m, c);
    a.kernels.matTVec(a.ptr.X, a.ptr.r, a.ptr.outT, m, c);
    expect(Array.from(a.f64.out)).toEqual(Array.from(matVec(A, m, c, vv)));
    expect(Array.from(a.f64.outT)).toEqual(Array.from(matTVec(A, m, c, rr)));
  });

  it.each(sizes)("X diag(s) Xᵀ, its Cholesky factor and the solve (%i × %i), split over row pairs or not", (m, c) => {
    const { A, s, a, g } = setup(m, c);
    const J = new Float64Array(m * m);
    gramScaled(A, m, c, s, J, new Float64Array(m * c));
    const k = a.kernels;
    k.scaleRowsPairs(a.ptr.X, a.ptr.s, a.ptr.B, m, c);
    const pairs = (m + 1) >> 1;
    const split = pairs >> 1; // two calls, as two threads would share the work
    k.gramPairs(a.ptr.B, a.ptr.J, m, c, 0, split);
    k.gramPairs(a.ptr.B, a.ptr.J, m, c, split, pairs);
    const lower = (get: (i: number, j: number) => number): number[] => {
      const out: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) out.push(get(i, j));
      return out;
    };
    expect(lower((i, j) => a.f64.J[pairIndex(i, j, m)])).toEqual(lower((i, j) => J[i * m + j]));
    expect(choleskyInPlace(J, m)).toBe(true);
    expect(k.choleskyPairs(a.ptr.J, m)).toBe(-1);
    expect(lower((i, j) => a.f64.J[pairIndex(i, j, m)])).toEqual(lower((i, j) => J[i * m + j]));
    const b = normalVector(g, m);
    a.f64.b.set(b);
    k.choleskySolvePairs(a.ptr.J, m, a.ptr.b, a.ptr.x);
    expect(Array.from(a.f64.x)).toEqual(Array.from(choleskySolve(J, m, b)));
  });

  it("the factorisation reports the first non-positive pivot as the reference does", () => {
    const m = 5;
    const { a } = setup(m, 3); // rank 3 < 5: the Gram of 5 rows in 3 columns is singular
    a.kernels.scaleRowsPairs(a.ptr.X, a.ptr.s, a.ptr.B, m, 3);
    a.kernels.gramPairs(a.ptr.B, a.ptr.J, m, 3, 0, 3);
    expect(a.kernels.choleskyPairs(a.ptr.J, m)).toBeGreaterThanOrEqual(3);
  });
});

describe("the WebAssembly loader", () => {
  it("decodes base64 exactly (every length mod 3, every byte value)", () => {
    for (const len of [0, 1, 2, 3, 4, 5, 256, 1001]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 255);
      expect(Array.from(decodeBase64(Buffer.from(bytes).toString("base64")))).toEqual(Array.from(bytes));
    }
  });

  it("loads in Node, switches off and on, and names a bad switch value", () => {
    expect(wasmKernelsEnabled()).toBe(true);
    const before = useWasmKernels(false);
    expect(wasmKernelsEnabled()).toBe(false);
    expect(createArena({ a: 4 })).toBeNull(); // the TypeScript kernels take over
    useWasmKernels(before);
    expect(() => useWasmKernels("no" as unknown as boolean)).toThrow(/useWasmKernels needs true or false, got no/);
  });
});
