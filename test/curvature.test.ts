// largestEigenvalueXtX: the curvature behind every stability bound and divergence message. It must not depend
// on where an iteration starts (the all-ones vector can be an eigenvector of a small eigenvalue, or in the null
// space of X), and it must be accurate when the top eigenvalues are close.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { all, create } from "mathjs";
import { largestEigenvalueXtX } from "../lib/core/linalg";
import { makeProblem } from "../lib/model/problems";
import { curvatureEstimate, DivergenceError, runMomentum } from "../lib/dynamics/optimizers";
import { stabilityMap } from "../lib/dynamics/stability";

const math = create(all, {});

/** λmax(D XᵀX D / n) by mathjs (the reference). */
function reference(X: number[][], scale?: number[]): number {
  const n = X.length;
  const Xs = scale ? X.map((row) => row.map((x, j) => x * scale[j])) : X;
  const A = math.divide(math.multiply(math.transpose(Xs), Xs), n) as number[][];
  const { values } = math.eigs(A) as unknown as { values: number[] };
  return Math.max(...values.map(Number));
}
const flat = (X: number[][]) => Float64Array.from(X.flat());

describe("largestEigenvalueXtX", () => {
  it("is 1 on X = [[1, −1], [0.1, 0.1]], where the all-ones start is the eigenvector of 0.01 (returned 0.01)", () => {
    expect(largestEigenvalueXtX(flat([[1, -1], [0.1, 0.1]]), 2, 2)).toBeCloseTo(1, 12);
  });

  it("is right when every row of X sums to zero (the all-ones start was in the null space: returned 0)", () => {
    const X = [[1, -1, 0], [0, 2, -2], [3, 0, -3]];
    expect(largestEigenvalueXtX(flat(X), 3, 3)).toBeCloseTo(reference(X), 10);
  });

  it("separates top eigenvalues 1e-9 apart (power iteration needs ~1e10 steps there)", () => {
    const X = [[1, 0, 0], [0, Math.sqrt(1 - 1e-9), 0], [0, 0, 0.5]]; // XᵀX/3 = diag(1, 1 − 1e-9, 0.25)/3
    expect(largestEigenvalueXtX(flat(X), 3, 3)).toBeCloseTo(1 / 3, 14);
  });

  it("property: matches mathjs on random X (shapes up to 12 × 12, with and without a diagonal scale)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }),
      (n, d, withScale, seed) => {
        let s = seed + 1;
        const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
        const X = Array.from({ length: n }, () => Array.from({ length: d }, rand));
        const scale = withScale ? Array.from({ length: d }, () => Math.abs(rand()) + 0.01) : undefined;
        const got = largestEigenvalueXtX(flat(X), n, d, scale ? { scale: Float64Array.from(scale) } : {});
        const ref = reference(X, scale);
        return Math.abs(got - ref) <= 1e-10 * Math.max(ref, 1e-300);
      }), { seed: 3, numRuns: 200 });
  });

  it("is 0 for X = 0 and rejects bad arguments with a message naming them", () => {
    expect(largestEigenvalueXtX(new Float64Array(6), 2, 3)).toBe(0);
    expect(() => largestEigenvalueXtX(flat([[1, NaN]]), 1, 2)).toThrow(/X\[1\] must be finite/);
    expect(() => largestEigenvalueXtX(flat([[1, 2]]), 2, 2)).toThrow(/X must have length 4/);
    expect(() => largestEigenvalueXtX(flat([[1, 2]]), 1, Infinity)).toThrow(/d must be an integer/);
    expect(() => largestEigenvalueXtX(flat([[1, 2]]), 1, 2, { scale: Float64Array.from([1]) })).toThrow(/scale must have length 2/);
    expect(() => largestEigenvalueXtX(flat([[1, 2]]), 1, 2, { tol: 0 })).toThrow(/tol must lie in \(0/);
  });
});

describe("what the curvature decides", () => {
  const p = makeProblem({ X: [[1, -1], [0.1, 0.1]], y: [1, 0] });

  it("the linear model's curvature is 1, and the stability map predicts divergence where GD diverges", () => {
    expect(curvatureEstimate(p, { model: "linear" }).L).toBeCloseTo(1, 12);
    // GD on a quadratic with curvature L diverges for γ > 2/L = 2
    const map = stabilityMap(p, { gammas: [1.5, 2.5], betas: [0], iterations: 2000, loss: 1e-8, model: "linear" });
    expect(map.cells.map((c) => [c.gamma, c.outcome === "diverged", c.predictedStable])).toEqual([[1.5, false, true], [2.5, true, false]]);
    expect(map.agreement).toBe(1);
  });

  it("a diverging linear run on rows that sum to zero names the bound it broke (was 'L must lie in (0, ∞), got 0')", () => {
    const q = makeProblem({ X: [[1, -1, 0], [0, 2, -2]], y: [1, 2] });
    let error: unknown;
    try {
      runMomentum(q, { model: "linear", gamma: 5, beta: 0, stop: { iterations: 5000 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).not.toMatch(/L must lie/);
  });
});
