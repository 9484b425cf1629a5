// lib/experiments/entropy-shape.ts and lib/figures/entropy-shape.ts: notebook 00's analyses of ψ_Δ's shape.
import { describe, expect, it } from "vitest";
import { coordinateChoice, deltaForShapeRatio, psiLimitErrors, psiShapeRatio, strictlyDecreasing, unitEntryCosts } from "../lib/experiments/entropy-shape";
import { coordinateChoiceTable, psiShapeChart, shapeRatioTable, unitCostTable } from "../lib/figures/entropy-shape";
import { toSVG } from "../lib/notebook/display";

describe("the shape of ψ_Δ", () => {
  it("psiShapeRatio: ¼ for large Δ, → ½ for small Δ, decreasing in between", () => {
    expect(psiShapeRatio(1e8)).toBeCloseTo(0.25, 8);
    expect(psiShapeRatio(1e-12)).toBeGreaterThan(0.48);
    expect(strictlyDecreasing([1e-8, 1e-4, 1, 100].map(psiShapeRatio))).toBe(true);
    expect(() => psiShapeRatio(0)).toThrow(/Delta must lie in \(0, ∞\)/);
  });
  it("psiLimitErrors: small relative errors at the extremes, large in the middle", () => {
    const far = psiLimitErrors({ small: 1e-6, large: 1e4, ws: [0.5, 1, 2] });
    expect(far.l1).toBeLessThan(1e-6);
    expect(far.l2).toBeLessThan(1e-6);
    const near = psiLimitErrors({ small: 1, large: 1, ws: [1] });
    expect(near.l1).toBeGreaterThan(0.1);
    expect(() => psiLimitErrors({ small: 1e-6, large: 1e4, ws: [0, 1] })).toThrow(/must not contain 0/);
  });
  it("unitEntryCosts: ψ_Δ(e_i) = ¼(2 arcsinh(2/Δ) − √(4 + Δ²) + Δ), decreasing in Δ", () => {
    const D = 0.5;
    const exact = 0.25 * (2 * Math.asinh(2 / D) - Math.sqrt(4 + D * D) + D);
    expect(unitEntryCosts([D])[0]).toBeCloseTo(exact, 14);
    expect(strictlyDecreasing(unitEntryCosts([1e-8, 1e-4, 1]))).toBe(true);
    expect(strictlyDecreasing([1, 1])).toBe(false);
  });
  it("deltaForShapeRatio inverts psiShapeRatio; out-of-range targets are refused", () => {
    for (const target of [0.3, 0.375, 0.45]) expect(psiShapeRatio(deltaForShapeRatio(target))).toBeCloseTo(target, 9);
    expect(() => deltaForShapeRatio(0.5)).toThrow(/target must lie in \(0.25, 0.5\)/);
    expect(() => deltaForShapeRatio(0.49, { lo: 1e-2 })).toThrow(/not bracketed/);
  });
  it("coordinateChoice: the coordinate with the larger Δ_i carries the solution; equal Δ is a tie", () => {
    const c = coordinateChoice([1e-4, 1e-2]);
    expect(c.preferred).toBe(2);
    expect(c.w[0] + c.w[1]).toBeCloseTo(1, 10);
    expect(c.costs[0]).toBeGreaterThan(c.costs[1]);
    expect(coordinateChoice([1e-2, 1e-4]).preferred).toBe(1);
    const tie = coordinateChoice([1e-2, 1e-2]);
    expect(tie.preferred).toBeNull();
    expect(tie.w[0]).toBeCloseTo(0.5, 10);
    expect(coordinateChoiceTable(tie).map((r) => r.preferred)).toEqual(["tie", "tie"]);
    expect(() => coordinateChoice([1e-2] as never)).toThrow(/two positive numbers/);
    expect(() => coordinateChoice([1e-2, -1])).toThrow(/Delta\[1\] must lie in \(0/);
  });
});

describe("figures and tables", () => {
  it("the shape chart has one series per Δ (labelled by value) and the two references", async () => {
    const svg = await toSVG(psiShapeChart([1e-6, 100], { points: 21 }));
    for (const label of ["Δ = 0.000001", "Δ = 100", "|w| (ℓ1)", "w² (ℓ2)"]) expect(svg).toContain(label);
    expect(() => psiShapeChart([1, 1])).toThrow(/Deltas lists 1 twice/);
  });
  it("tables keep the Δ values and their order", () => {
    expect(shapeRatioTable([1e4, 1]).map((r) => r.Δ)).toEqual([1e4, 1]);
    expect(unitCostTable([1e-2, 1]).map((r) => r.Δ_i)).toEqual([1e-2, 1]);
  });
});
