import { describe, expect, it } from "vitest";
import { decoyRegression, populationError, spreadAlpha, toeplitzRegression } from "../lib/model/designs";
import { correlation, geometricMean } from "../lib/core/stats";
import { flowLimit } from "../lib/bias/limit";
import { momentumFlow } from "../lib/dynamics/flows";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { distance, matTVec } from "../lib/core/linalg";
import { sparseRegression, testLoss, trainLoss } from "../lib/model/problems";

describe("decoyRegression", () => {
  const p = decoyRegression({ seed: 0, rho: 0.9 });
  const D = p.meta.decoy as number;
  it("keeps sparseRegression's X and w* except for the decoy column", () => {
    const q = sparseRegression({ seed: 0, nTest: 0 });
    expect(Array.from(p.wStar!)).toEqual(Array.from(q.wStar!));
    expect(p.wStar![D]).toBe(0);
    let differing = 0;
    for (let i = 0; i < p.n; i++) for (let j = 0; j < p.d; j++) if (p.X[i * p.d + j] !== q.X[i * p.d + j]) differing += j === D ? 0 : 1;
    expect(differing).toBe(0);
    expect(p.X[D]).not.toBe(q.X[D]);
  });
  it("is noiseless by default and the test set has the same design", () => {
    expect(trainLoss(p, p.wStar!)).toBe(0);
    expect(testLoss(p, p.wStar!)).toBe(0);
    expect(p.test!.n).toBe(1000);
  });
  it("the decoy correlates ≈ ρ with the clean signal and has the largest early gradient", () => {
    expect(p.meta.sampleCorrelation as number).toBeGreaterThan(0.8);
    expect(p.meta.sampleCorrelation as number).toBeLessThan(0.97);
    const g = matTVec(p.X, p.n, p.d, p.y);
    const order = Array.from(g, (x, j) => [Math.abs(x), j]).sort((a, b) => b[0] - a[0]);
    expect(order[0][1]).toBe(D);
    // in the big held-out sample the correlation is close to ρ
    const xt = Float64Array.from({ length: p.test!.n }, (_, i) => p.test!.X[i * p.d + D]);
    expect(correlation(xt, p.test!.y)).toBeCloseTo(0.9, 1);
  });
  it("is deterministic in the seed; rho and scale act as documented", () => {
    const again = decoyRegression({ seed: 0, rho: 0.9 });
    expect(again.X.every((x, i) => Object.is(x, p.X[i]))).toBe(true);
    const s = decoyRegression({ seed: 0, rho: 0.9, scale: 3 });
    expect(s.X.every((x, i) => x === 3 * p.X[i])).toBe(true);
    expect(s.y.every((x, i) => x === 3 * p.y[i])).toBe(true);
    expect(decoyRegression({ seed: 0, rho: 0 }).meta.sampleCorrelation as number).toBeLessThan(0.5);
  });
  it("rejects bad options", () => {
    expect(() => decoyRegression({ rho: 1 })).toThrow(/rho must lie in \[0, 1\)/);
    expect(() => decoyRegression({ k: 100 })).toThrow(/k must lie/);
    expect(() => decoyRegression({ n: 0 })).toThrow(/^n must lie/);
  });
});

describe("toeplitzRegression", () => {
  it("neighbouring columns correlate ≈ ρ, distant ones ≈ ρ^lag", () => {
    const p = toeplitzRegression({ n: 4000, d: 6, k: 2, seed: 1, rho: 0.5, nTest: 0 });
    const col = (j: number) => Float64Array.from({ length: p.n }, (_, i) => p.X[i * p.d + j]);
    expect(correlation(col(2), col(3))).toBeCloseTo(0.5, 1);
    expect(correlation(col(0), col(3))).toBeCloseTo(0.125, 1);
    expect(trainLoss(p, p.wStar!)).toBe(0);
  });
  it("rejects |ρ| ≥ 1", () => {
    expect(() => toeplitzRegression({ rho: -1 })).toThrow(/rho must lie in \(-1, 1\)/);
  });
});

describe("spreadAlpha and geometricMean", () => {
  it("keeps the geometric mean and spreads over the requested decades", () => {
    const a = spreadAlpha(0.01, 100, { decades: 2, seed: 3 });
    expect(geometricMean(a)).toBeCloseTo(0.01, 14);
    const logs = Array.from(a, Math.log10);
    const span = Math.max(...logs) - Math.min(...logs);
    expect(span).toBeGreaterThan(1.8);
    expect(span).toBeLessThanOrEqual(2);
    expect(Array.from(spreadAlpha(0.1, 4, { decades: 0 }))).toEqual([0.1, 0.1, 0.1, 0.1].map((x) => 10 ** Math.log10(x)));
  });
  it("geometricMean is exact on a simple case and rejects non-positive entries", () => {
    expect(geometricMean(Float64Array.of(1, 100))).toBeCloseTo(10, 13);
    expect(() => geometricMean(Float64Array.of(1, 0))).toThrow(/v\[1\] must be > 0/);
    expect(() => spreadAlpha(0, 3)).toThrow(/alpha/);
  });
});

describe("populationError", () => {
  it("is ‖w − w*‖²/2 for the isotropic design (times ε²)", () => {
    const p = sparseRegression({ seed: 2, nTest: 0, scale: 2 });
    const w = new Float64Array(p.d);
    expect(populationError(p, w)).toBeCloseTo((4 * 5) / 2, 12);
  });
  it("matches the held-out loss of the decoy and Toeplitz designs within sampling error", () => {
    for (const p of [decoyRegression({ seed: 4, nTest: 20000 }), toeplitzRegression({ seed: 4, nTest: 20000, rho: 0.6 })]) {
      const w = Float64Array.from(p.wStar!, (x, j) => x * 0.5 + (j % 7 === 0 ? 0.3 : 0));
      w[p.meta.kind === "decoy" ? (p.meta.decoy as number) : 1] = 0.8;
      const pop = populationError(p, w);
      expect(Math.abs(testLoss(p, w) / pop - 1)).toBeLessThan(0.05);
    }
  });
  it("the decoy's cross-covariance matters (differs from the isotropic formula)", () => {
    const p = decoyRegression({ seed: 4, nTest: 0 });
    const w = Float64Array.from(p.wStar!, (x) => 0.5 * x);
    w[p.meta.decoy as number] = 1;
    let iso = 0;
    for (let j = 0; j < p.d; j++) iso += (w[j] - p.wStar![j]) ** 2 / 2;
    expect(Math.abs(populationError(p, w) - iso)).toBeGreaterThan(0.3);
  });
});

describe("flowLimit", () => {
  const p = sparseRegression({ n: 10, d: 25, k: 2, seed: 5, nTest: 0 });
  it("GF: equals argmin ψ_{2α²} (the exact GF limit) even from an unconverged run", () => {
    const lim = flowLimit(p, { alpha: 0.05, T: 20 });
    expect(lim.lossAtT).toBeGreaterThan(1e-8);
    expect(distance(lim.w, minPsiInterpolator(p, 2 * 0.05 ** 2).w)).toBeLessThan(1e-7);
    expect(lim.signChanges).toBe(0);
  });
  it("MGF: the projection from a short run matches a long run", () => {
    const lim = flowLimit(p, { lambda: 0.2, alpha: 0.05, T: 60 });
    const long = momentumFlow(p, { lambda: 0.2, alpha: 0.05, T: 3000, times: [3000] });
    expect(long.final.loss).toBeLessThan(1e-20);
    expect(distance(lim.w, long.final.w)).toBeLessThan(1e-4);
    expect(lim.projectionStep).toBeGreaterThan(distance(lim.w, long.final.w));
  });
  it("rejects a bad lambda", () => {
    expect(() => flowLimit(p, { lambda: -1 })).toThrow(/lambda/);
  });
});
