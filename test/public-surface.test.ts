// Every function of lib/index.ts checks its arguments: the low-level helpers of linalg, dln and entropy included
// (they returned NaN on mismatched lengths, looped forever on d = Infinity, and allocated 16 GB for d = 1e9).
import { describe, expect, it } from "vitest";
import * as lib from "../lib/index";
import * as raw from "../lib/core/linalg";

const F = (xs: number[]) => Float64Array.from(xs);

describe("the linalg helpers of the public surface", () => {
  it("compute what the raw kernels compute, bit for bit", () => {
    const X = F([1, 2, 3, 4, 5, 6]);
    const a = F([0.1, -0.2, 0.3]);
    const b = F([3, 1e-3, -7]);
    expect(lib.dot(a, b)).toBe(raw.dot(a, b));
    expect(lib.norm1(a)).toBe(raw.norm1(a));
    expect(lib.norm2(b)).toBe(raw.norm2(b));
    expect(lib.normInf(b)).toBe(raw.normInf(b));
    expect(lib.distance(a, b)).toBe(raw.distance(a, b));
    expect(lib.matVec(X, 2, 3, a)).toEqual(raw.matVec(X, 2, 3, a));
    expect(lib.matTVec(X, 2, 3, F([1, -1]))).toEqual(raw.matTVec(X, 2, 3, F([1, -1])));
    const out = new Float64Array(2);
    expect(lib.matVec(X, 2, 3, a, out)).toBe(out);
  });

  it.each([
    ["dot: lengths differ", () => lib.dot(F([1, 2]), F([1])), /b must have length 2, got length 1/],
    ["dot: NaN", () => lib.dot(F([NaN]), F([1])), /a\[0\] must be finite, got NaN/],
    ["dot: a plain array", () => lib.dot([1, 2] as unknown as Float64Array, F([1, 2])), /a must be a Float64Array, got array\(2\)/],
    ["norm2: NaN", () => lib.norm2(F([1, NaN])), /a\[1\] must be finite/],
    ["norm1: undefined", () => lib.norm1(undefined as unknown as Float64Array), /a must be a Float64Array, got undefined/],
    ["normInf: Infinity", () => lib.normInf(F([Infinity])), /a\[0\] must be finite, got Infinity/],
    ["distance: lengths differ", () => lib.distance(F([1, 2]), F([1])), /b must have length 2/],
    ["matVec: X is not n×d", () => lib.matVec(F([1, 2, 3, 4]), 3, 2, F([1, 1])), /X must have length 6, got length 4/],
    ["matVec: d = Infinity (looped forever)", () => lib.matVec(F([1, 2]), 1, Infinity, F([1, 1])), /d must be an integer, got Infinity/],
    ["matVec: out too short", () => lib.matVec(F([1, 2, 3, 4]), 2, 2, F([1, 1]), new Float64Array(1)), /out must have length 2/],
    ["matTVec: r too short", () => lib.matTVec(F([1, 2, 3, 4]), 2, 2, F([1])), /r must have length 2/],
    ["matTVec: n·d too large", () => lib.matTVec(new Float64Array(4), 1e5, 1e5, F([1])), /n·d must be at most 50000000/],
  ])("%s", (_what, call, message) => {
    expect(call).toThrow(message);
  });
});

describe("the DLN helpers", () => {
  it.each([
    ["initDLN: d = Infinity", () => lib.initDLN(0.1, Infinity), /d must be an integer, got Infinity/],
    ["initDLN: d = 1e9 (allocated 16 GB)", () => lib.initDLN(0.1, 1e9), /d must be at most 50000000/],
    ["initDLN: d = 1.5", () => lib.initDLN(0.1, 1.5), /d must be an integer, got 1\.5/],
    ["dlnWeights: lengths differ", () => lib.dlnWeights(F([1, 2]), F([1])), /v must have length 2/],
    ["balancedness: NaN", () => lib.balancedness(F([NaN]), F([1])), /u\[0\] must be finite/],
    ["balancedness: out too short", () => lib.balancedness(F([1, 2]), F([1, 2]), new Float64Array(1)), /out must have length 2/],
    ["lossAndGradient: w of the wrong length", () => lib.lossAndGradient(lib.toyProblem(), F([1]), new Float64Array(2)), /w must have length 2/],
    ["lossAndGradient: NaN in w", () => lib.lossAndGradient(lib.toyProblem(), F([NaN, 1]), new Float64Array(2)), /w\[0\] must be finite/],
    ["lossAndGradient: g too short", () => lib.lossAndGradient(lib.toyProblem(), F([1, 1]), new Float64Array(1)), /g must be a Float64Array of length 2/],
    ["lossAndGradient: not a problem", () => lib.lossAndGradient({} as lib.Problem, F([1]), new Float64Array(1)), /p\.n must be an integer/],
  ])("%s", (_what, call, message) => {
    expect(call).toThrow(message);
  });

  it("still compute the same values", () => {
    expect(Array.from(lib.initDLN(0.5, 2).u)).toEqual([Math.SQRT2 * 0.5, Math.SQRT2 * 0.5]);
    expect(Array.from(lib.dlnWeights(F([2, 3]), F([4, -1])))).toEqual([8, -3]);
    expect(Array.from(lib.balancedness(F([2, 3]), F([1, -1])))).toEqual([3, 8]);
    const g = new Float64Array(2);
    expect(lib.lossAndGradient(lib.toyProblem(), F([1, 0]), g)).toBe(0);
    expect(Array.from(g)).toEqual([0, 0]);
  });
});

describe("the entropy helpers", () => {
  it.each([
    ["gradPsi: out too short", () => lib.gradPsi(F([1, 2]), 1, new Float64Array(1)), /out must have length 2/],
    ["hessianPsiDiag: out too short", () => lib.hessianPsiDiag(F([1, 2]), 1, new Float64Array(3)), /out must have length 2/],
    ["gradPsiInverse: out too short", () => lib.gradPsiInverse(F([1, 2]), 1, new Float64Array(1)), /out must have length 2/],
    ["psi: Delta = NaN", () => lib.psi(F([1]), NaN), /Delta must be a finite number, got NaN/],
    ["bregmanPsi: lengths differ", () => lib.bregmanPsi(F([1, 2]), F([1]), 1), /wTilde must have length 2/],
  ])("%s", (_what, call, message) => {
    expect(call).toThrow(message);
  });
});

describe("sizes the library allocates are bounded", () => {
  it.each([
    ["sparseRegression d = 1e9", () => lib.sparseRegression({ d: 1e9 }), /d must be at most 50000000/],
    ["sparseRegression n·d = 1e8", () => lib.sparseRegression({ n: 10_000, d: 10_000, k: 1 }), /n·d must be at most 50000000/],
    ["sparseRegression nTest·d = 1e8", () => lib.sparseRegression({ d: 100_000, nTest: 1000, k: 1 }), /nTest·d must be at most/],
    ["normalVector n = 1e10", () => lib.normalVector(lib.createRng(0), 1e10), /n must be at most/],
    ["logSpace n = 1e9", () => lib.logSpace(1, 2, 1e9), /n must be at most/],
  ])("%s", (_what, call, message) => {
    expect(call).toThrow(message);
  });
});
