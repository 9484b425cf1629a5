import { describe, expect, it } from "vitest";
import { largestEigenvalueXtX } from "../lib/core/linalg";
import { sparseRegression } from "../lib/model/problems";
import { logSpace, stabilityMap } from "../lib/dynamics/stability";

describe("logSpace", () => {
  it("hits the end points exactly and is geometric", () => {
    const xs = logSpace(0.01, 1, 3);
    expect(xs[0]).toBe(0.01);
    expect(xs[2]).toBe(1);
    expect(Math.abs(xs[1] - 0.1)).toBeLessThan(1e-15);
    const ys = logSpace(2, 32, 5);
    for (let i = 1; i < 5; i++) expect(Math.abs(ys[i] / ys[i - 1] - 2)).toBeLessThan(1e-12);
  });
  it("validates", () => {
    expect(() => logSpace(0, 1, 3)).toThrow(/a must lie in \(0, ∞\), got 0/);
    expect(() => logSpace(1, -1, 3)).toThrow(/b must lie/);
    expect(() => logSpace(1, 2, 1)).toThrow(/n must lie in \[2, ∞\), got 1/);
    expect(() => logSpace(1, 2, 2.5)).toThrow(/n must be an integer/);
  });
});

describe("stabilityMap", () => {
  const p = sparseRegression({ n: 10, d: 20, k: 2, seed: 3, nTest: 0 });

  it("linear model: the heavy-ball bound is exact away from the boundary", () => {
    const L = largestEigenvalueXtX(p.X, p.n, p.d);
    // γ·L/(2(1+β)) ∈ {0.5, 0.8, 1.25, 2}: cells at least 20% away from the bound on either side.
    const betas = [0, 0.5, 0.9];
    const cells = betas.flatMap((b) => [0.5, 0.8, 1.25, 2].map((f) => ({ b, g: (f * 2 * (1 + b)) / L })));
    for (const { b, g } of cells) {
      const m = stabilityMap(p, { model: "linear", gammas: [g], betas: [b], iterations: 300, loss: 1e-300, L });
      const c = m.cells[0];
      expect(c.predictedStable).toBe(g < (2 * (1 + b)) / L);
      expect(c.outcome).toBe(c.predictedStable ? "not converged" : "diverged");
      expect(c.agrees).toBe(true);
    }
  });

  it("grid order, λ, outcomes, boundary and agreement on the DLN", () => {
    const gammas = [0.01, 0.1, 100];
    const betas = [0, 0.5];
    const m = stabilityMap(p, { gammas, betas, iterations: 3000, loss: 1e-4 });
    expect(m.cells.map((c) => [c.gamma, c.beta])).toEqual(betas.flatMap((b) => gammas.map((g) => [g, b])));
    expect(m.cells[4].lambda).toBe(0.1 / 0.25);
    expect(m.cells[2].outcome).toBe("diverged"); // γ = 100 is far beyond any curvature
    expect(m.cells[5].outcome).toBe("diverged");
    expect(m.cells[1].outcome).toBe("converged");
    expect(m.cells[1].iterations).toBeLessThan(3000);
    expect(m.boundary.map((r) => r.gammaStable)).toEqual([0.1, 0.1]);
    expect(m.boundary[1].lambdaStable).toBe(0.4);
    expect(m.boundary[0].bound).toBeCloseTo(2 / m.L, 12);
    expect(m.agreement).toBe(m.cells.filter((c) => c.predictedStable === (c.outcome !== "diverged")).length / 6);
    expect(m.L).toBeGreaterThan(0);
    expect(m.how).toMatch(/DLN Hessian/);
    expect(m.iterations).toBe(3000);
  });

  it("a small cap leaves slow cells unconverged; same input → same map", () => {
    const a = stabilityMap(p, { gammas: [1e-4], betas: [0], iterations: 5, loss: 1e-8 });
    expect(a.cells[0].outcome).toBe("not converged");
    expect(a.cells[0].iterations).toBe(5);
    const b = stabilityMap(p, { gammas: [1e-4], betas: [0], iterations: 5, loss: 1e-8 });
    expect(b.cells).toEqual(a.cells);
  });

  it("validates its options", () => {
    const ok = { gammas: [0.1], betas: [0], iterations: 10, loss: 1e-6 };
    expect(() => stabilityMap(p, { ...ok, gammas: [] })).toThrow(/gammas must be a non-empty array/);
    expect(() => stabilityMap(p, { ...ok, gammas: [0.1, -1] })).toThrow(/gammas\[1\] must lie in \(0, ∞\), got -1/);
    expect(() => stabilityMap(p, { ...ok, betas: [1] })).toThrow(/betas\[0\] must lie in \[0, 1\), got 1/);
    expect(() => stabilityMap(p, { ...ok, iterations: 0 })).toThrow(/iterations must lie in \[1, ∞\)/);
    expect(() => stabilityMap(p, { ...ok, loss: 0 })).toThrow(/loss must lie in \(0, ∞\)/);
    expect(() => stabilityMap(p, { ...ok, L: -2 })).toThrow(/L must lie in \(0, ∞\), got -2/);
    expect(() => stabilityMap(p, { ...ok, model: "linear", alpha: 0.1 })).toThrow(/alpha is the DLN init scale/);
    expect(() => stabilityMap(p, { ...ok, alpha: -1 })).toThrow(/alpha must lie in \(0, ∞\)/);
  });
});
