// The checks of notebook 08 (lib/experiments/theory.ts) on a small problem: each derivation's numbers, and the
// arguments each function refuses.
import { describe, expect, it } from "vitest";
import { matTVec, normInf } from "../lib/core/linalg";
import { sparseRegression, trainLoss } from "../lib/model/problems";
import {
  conventionChecks, crossingScan, dataScaleComparison, firstOrderErrors, gdPathComparison, gfProjectionGap, identitiesAlongFlows,
  implicitProblemErrors, logTimes, modifiedEquationErrors, modifiedEquationSeries, projectionErrors, psiDerivatives, scaleData,
} from "../lib/experiments/theory";

const small = { n: 10, d: 20, k: 2, nTest: 0 };
const p = sparseRegression({ ...small, seed: 3 });

describe("conventions", () => {
  it("scaleData multiplies X and y by ε, keeps w*, and the loss by ε²", () => {
    const q = scaleData(p, 3);
    expect(q.X[7]).toBe(3 * p.X[7]);
    expect(q.y[2]).toBe(3 * p.y[2]);
    expect(q.wStar).toBe(p.wStar);
    expect(q.meta.scale).toBe(3);
    const w = Float64Array.from({ length: p.d }, (_, j) => Math.sin(j));
    expect(trainLoss(q, w) / trainLoss(p, w)).toBeCloseTo(9, 12);
    expect(() => scaleData(p, 0)).toThrow(/eps must lie in \(0/);
  });

  it("every convention holds on a random point: loss, gradients, initialisation, scale", () => {
    const { rows } = conventionChecks(p, { alpha: 0.3 });
    expect(rows).toHaveLength(9);
    for (const r of rows) expect(r.gap, r.convention).toBeLessThan(1e-6);
    expect(rows.find((r) => r.convention.startsWith("Δ₀"))!.expected).toBeCloseTo(0.18, 15);
    expect(() => conventionChecks(p, { alpha: -1 })).toThrow(/alpha/);
  });

  it("logTimes: 0, then log-spaced from T·1e-4 to T", () => {
    const t = logTimes(100, 3);
    expect(t).toHaveLength(4);
    expect(t[0]).toBe(0);
    expect(t[1]).toBeCloseTo(0.01, 15);
    expect(t[2]).toBeCloseTo(1, 12);
    expect(t[3]).toBe(100);
    expect(() => logTimes(1, 1)).toThrow(/count/);
  });
});

describe("the modified equation", () => {
  it("MGD is O(h) from MGF_λ and O(h²) from the mass λ(1+β)/2 half a step later", () => {
    const r = modifiedEquationErrors(p, { lambda: 0.5, betas: [0.9, 0.95], T: 5, samples: 100 });
    expect(r.rows.map((x) => x.mass)).toEqual([0.5 * 1.9 / 2, 0.5 * 1.95 / 2]);
    expect(r.slopes.lambda).toBeGreaterThan(0.85);
    expect(r.slopes.lambda).toBeLessThan(1.15);
    expect(r.slopes.massShifted).toBeGreaterThan(1.7);
    expect(r.slopes.massShifted).toBeLessThan(2.3);
    for (const x of r.rows) expect(x.errMassShifted).toBeLessThan(x.errMass);
    expect(modifiedEquationSeries(r)).toHaveLength(6);
    expect(() => modifiedEquationErrors(p, { lambda: 0.5, betas: [0.9] })).toThrow(/betas needs at least 2/);
    expect(() => modifiedEquationErrors(p, { lambda: 0.5, betas: [0.9, 1] })).toThrow(/betas\[1\]/);
  });

  it("GD at step γ ends closer to the flow of mass γ/2 than to that of mass γ", () => {
    const r = gdPathComparison(p, { gamma: 0.1, T: 50 });
    expect(r.toHalf).toBeLessThan(r.toFull);
    expect(r.ratio).toBeCloseTo(r.toFull / r.toHalf, 12);
    expect(() => gdPathComparison(p, { gamma: 0 })).toThrow(/gamma/);
  });
});

describe("the exact identities and ψ's derivatives", () => {
  it("hold to solver precision before any crossing; past one, only the valid samples are checked", () => {
    const { rows, table, mirrorTable } = identitiesAlongFlows(p, { lambdas: [0, 0.1, 5], T: 50, samples: 60 });
    expect(table).toHaveLength(3);
    expect(mirrorTable[1]["mirror identity: largest residual"]).toBe(rows[1].mirror);
    for (const r of rows.slice(0, 2)) {
      expect(r.crossings).toBe(0);
      expect(r.validSamples).toBe(60);
      expect(r.balancedness).toBeLessThan(1e-8);
      expect(r.mirror).toBeLessThan(1e-8);
      expect(r.mirrorMap).toBeLessThan(1e-12);
      expect(r.largestIncrease).toBeLessThan(1e-8);
    }
    expect(rows[1].minRatio).toBeLessThan(1);
    expect(rows[2].crossings).toBeGreaterThan(0);
    expect(rows[2].validSamples).toBeLessThan(60);
    expect(() => identitiesAlongFlows(p, { lambdas: [-1] })).toThrow(/lambdas\[0\]/);
  });

  it("mathjs's symbolic gradient and Hessian of ψ equal the closed forms", async () => {
    const r = await psiDerivatives([{ w: 0, Delta: 0.02 }, { w: 0.3, Delta: 0.02 }, { w: -2, Delta: 1e-6 }, { w: 1, Delta: 100 }]);
    expect(r.gaps.gradient).toBeLessThan(1e-12);
    expect(r.gaps.hessian).toBeLessThan(1e-12);
    expect(r.gaps.value).toBeLessThan(1e-10);
    expect(r.gradient).toContain("asinh(2 * w / D)");
    expect(r.table).toHaveLength(4);
    await expect(psiDerivatives([{ w: 1, Delta: 0 }])).rejects.toThrow(/points\[0\]\.Delta/);
  });
});

describe("the implicit problems, the no-crossing condition, the first-order Δ∞", () => {
  it("the exact Bregman problem gives the MGF limit; for GF the base point is 0 and both problems agree", () => {
    const { rows, orders } = implicitProblemErrors({ seeds: [3], lambdas: [0, 0.05, 0.1], T: 800, problem: small });
    const [gf, , mgf] = rows;
    expect(orders[0].seed).toBe(3);
    expect(orders[0].order!).toBeGreaterThan(1.5);
    expect(gf.offsetNorm).toBe(0);
    expect(gf.exact).toBeLessThan(1e-7);
    expect(gf.approx).toBeCloseTo(gf.exact!, 12);
    expect(mgf.exact).toBeLessThan(1e-7);
    expect(mgf.approx!).toBeGreaterThan(mgf.exact!);
    expect(() => implicitProblemErrors({ seeds: [], lambdas: [0] })).toThrow(/seeds/);
  });

  it("κ = λ·sup‖∇L‖∞ ≤ 1/4 leaves every u ± v positive and λȧ, λḃ ≥ −½; λ₀ comes from Xᵀy", () => {
    const r = crossingScan(p, { lambdas: [0.02, 0.05, 3], T: 30, samples: 400 });
    const g0 = matTVec(p.X, p.n, p.d, p.y).map((x) => x / p.n);
    expect(r.gradient0).toBeCloseTo(normInf(g0), 14);
    expect(r.lambda0).toBeCloseTo(1 / (4 * normInf(g0)), 14);
    for (const row of r.rows.filter((x) => x.kappa <= 0.25)) {
      expect(row.crossings).toBe(0);
      expect(row.minRate).toBeGreaterThanOrEqual(-0.5);
    }
    expect(r.rows[2].kappa).toBeGreaterThan(0.25);
  });

  it("the first-order Δ∞ errs by O(λ²)", () => {
    const r = firstOrderErrors(p, { lambdas: [0.04, 0.02], T: 100 });
    expect(r.rows.map((x) => x.lambda)).toEqual([0.02, 0.04]);
    expect(r.rows[0].error!).toBeLessThan(r.rows[1].error!);
    expect(r.slope!).toBeGreaterThan(1.6);
    expect(r.slope!).toBeLessThan(2.6);
  });
});

describe("the data-scale map and the projection", () => {
  it("MGF(εX, εy; λ)(t) = MGF(X, y; λε²)(ε²t)", () => {
    const r = dataScaleComparison(p, { eps: 2, lambda: 0.05, T: 20, samples: 30 });
    expect(r.gap).toBeLessThan(1e-8);
    expect(r.series).toHaveLength(60);
  });

  it("the projection of a state is far closer to the limit than the state; for GF it is exact", () => {
    const { rows } = projectionErrors(p, { lambda: 0.1, times: [20, 5], T: 800 });
    expect(rows.map((r) => r.t)).toEqual([5, 20]);
    for (const r of rows) expect(r.projection).toBeLessThan(0.1 * r.state);
    expect(gfProjectionGap(p, { t: 2 })).toBeLessThan(1e-8);
    expect(() => projectionErrors(p, { lambda: 0.1, times: [900], T: 800 })).toThrow(/times\[0\]/);
  });
});
