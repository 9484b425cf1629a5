// lib/experiments/toy.ts and lib/figures/toy.ts: notebook 07's analyses and figures on the 2-D toy.
import { describe, expect, it } from "vitest";
import {
  crossingRegion, crossingThreshold, discreteLimits, increasingInLambda, limitContrast, limitSummary, logLambdaGrid, overdampingEstimate,
  thinByArcLength, toyFlow, toyFlows, toyHorizon, type ToyLimit,
} from "../lib/experiments/toy";
import {
  crossingFigure, crossingSummary, discreteLimitTable, interpolationLine, landmark, limitTable, limitVsLambdaChart, signChangeTable, toyPlaneFigure,
  toySliderFigure,
} from "../lib/figures/toy";
import { makeProblem, sparseRegression, toyProblem } from "../lib/model/problems";
import { toSVG } from "../lib/notebook/display";

const toy = toyProblem();
const alpha = 0.1;
const summary = (lambda: number, w: number[], signChanges = 0): ToyLimit =>
  ({ lambda, T: 1, w: Float64Array.from(w), loss: 0, deltaRatio: Float64Array.of(1, 1), signChanges, wallMs: 0 });

describe("grids, thinning and small checks", () => {
  it("toyHorizon and logLambdaGrid: exact values", () => {
    expect(toyHorizon(0)).toBe(100);
    expect(toyHorizon(8)).toBe(420);
    const g = logLambdaGrid(-2, 1, 0.1);
    expect(g).toHaveLength(31);
    expect(g[17]).toBe(-0.3);
    expect(g[30]).toBe(1);
    expect(() => logLambdaGrid(0, 1, 0.3)).toThrow(/must be an integer/);
    expect(() => logLambdaGrid(1, 0, 0.1)).toThrow(/to must lie in \(1/);
  });
  it("thinByArcLength keeps points evenly spaced in arc length, first and last included", () => {
    // a path that moves 9 units in its first step and 1 unit over its next 9 steps
    const xs = [0, 9, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6, 9.7, 9.8, 9.9, 10];
    const pts = xs.map((x) => ({ w: Float64Array.of(x, 0) }));
    const thin = thinByArcLength(pts, 3).map((p) => p.w[0]);
    expect(thin).toEqual([0, 9, 10]);
    expect(() => thinByArcLength(pts, 1)).toThrow(/m must lie in \[2/);
  });
  it("increasingInLambda sorts by λ; limitContrast and crossingRegion key by values", () => {
    const rows = [summary(8, [0.85, 0.3], 2), summary(0, [0.97, 0.07]), summary(0.2, [0.96, 0.08]), summary(0.5, [0.95, 0.09], 1)];
    expect(increasingInLambda(rows)).toEqual({ holds: true, values: [0.07, 0.08, 0.09, 0.3], lambdas: [0, 0.2, 0.5, 8] });
    const c = limitContrast(rows);
    expect([c.lambdaSmall, c.lambdaLarge]).toEqual([0.2, 8]);
    expect(c.distance).toBeCloseTo(Math.hypot(0.11, 0.22), 12);
    expect(crossingRegion(rows, 0.2, 0.5).holds).toBe(true);
    expect(crossingRegion(rows, 0.5, 0.5).holds).toBe(false); // λ = 0.5 crosses
    expect(() => limitContrast([summary(0, [1, 0]), summary(1, [1, 0])])).toThrow(/two different λ > 0/);
  });
});

describe("flows on the toy", () => {
  it("toyFlow: GF for λ = 0 (Δ conserved), T = 100 + 40λ, samples include T; limitSummary reads Δ∞/Δ₀", () => {
    const gf = toyFlow(toy, { lambda: 0, alpha, samples: 50 });
    expect(gf.flow.points).toHaveLength(50);
    expect(gf.flow.final.t).toBe(100);
    const s = limitSummary(gf);
    for (const r of s.deltaRatio) expect(r).toBeCloseTo(1, 8);
    expect(s.w[0]).toBeGreaterThan(0.9);
    const m = limitSummary(toyFlow(toy, { lambda: 0.2, alpha, samples: 50 }));
    expect(m.T).toBe(108);
    expect(m.deltaRatio[0]).toBeLessThan(1);
    expect(m.w[1]).toBeGreaterThan(s.w[1]);
    expect(() => toyFlow(toy, { lambda: -1, alpha })).toThrow(/lambda must lie in \[0/);
  });
  it("crossingThreshold brackets the first sign change; a bad bracket is reported, not bisected", () => {
    const t = crossingThreshold(toy, { lo: 0.2, hi: 0.5, alpha, steps: 6, samples: 50 });
    expect(t.bracketOk).toBe(true);
    expect(t.hi - t.lo).toBeCloseTo(0.3 / 64, 12);
    expect(t.lambdaC).toBeGreaterThan(0.3);
    expect(t.lambdaC).toBeLessThan(0.35);
    expect(crossingSummary(t)).toMatch(/first u ± v sign change at λc ≈ 0.3/);
    const bad = crossingThreshold(toy, { lo: 0.5, hi: 2, alpha, steps: 6, samples: 50 });
    expect(bad.bracketOk).toBe(false);
    expect(crossingSummary(bad)).toMatch(/no bisection/);
  });
  it("overdampingEstimate: μ = Σ x_i²(u_i² + v_i²) for one sample", () => {
    const at = { u: Float64Array.of(1, 2), v: Float64Array.of(0.5, 0) };
    const { mu, lambdaOscillation } = overdampingEstimate(toy, at);
    expect(mu).toBeCloseTo(1 * 1.25 + 0.25 * 4, 10);
    expect(lambdaOscillation).toBeCloseTo(1 / (4 * 2.25), 10);
  });
  it("discreteLimits: MGD with the second-order γ ends near each flow's limit; GF is skipped", () => {
    const flows = toyFlows(toy, { lambdas: [0, 0.5], alpha, samples: 20 });
    const rows = discreteLimits(toy, flows, { beta: 0.95, alpha });
    expect(rows.map((r) => r.lambda)).toEqual([0.5]);
    expect(rows[0].gamma).toBeCloseTo((2 * 0.5 * 0.05 * 0.05) / 1.95, 15);
    expect(rows[0].distance).toBeLessThan(1e-4);
    expect(discreteLimitTable(rows)[0]).toHaveProperty("‖w_K − w^MGF(T)‖");
  });
});

describe("figures", () => {
  const flows = toyFlows(toy, { lambdas: [0, 2], alpha, samples: 200 });
  const marks = [landmark("ℓ1", Float64Array.of(1, 0)), landmark("min-ℓ2", Float64Array.of(0.8, 0.4))];
  it("landmark and interpolation line come from the values and the data", () => {
    expect(marks[1].label).toBe("min-ℓ2 (0.8, 0.4)");
    expect(interpolationLine(toy, 0, 1)).toEqual([{ "w₁": 0, "w₂": 2 }, { "w₁": 1, "w₂": 0 }]);
    const other = makeProblem({ X: [[1, 0.9]], y: [1] });
    expect(interpolationLine(other, 0, 1)[0]["w₂"]).toBeCloseTo(1 / 0.9, 15);
    expect(() => interpolationLine(sparseRegression({ n: 3, d: 4, k: 1, nTest: 0 }), 0, 1)).toThrow(/n = 1, d = 2/);
  });
  it("plane figure: the axes hold every trajectory, limit and landmark", () => {
    const spec = toyPlaneFigure(toy, flows, { landmarks: marks }) as unknown as { layer: { encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } } }[] };
    const [x0, x1] = spec.layer[0].encoding.x.scale.domain;
    const [y0, y1] = spec.layer[0].encoding.y.scale.domain;
    for (const f of flows) for (const s of f.flow.points) {
      expect(s.w[0]).toBeGreaterThanOrEqual(x0);
      expect(s.w[0]).toBeLessThanOrEqual(x1);
      expect(s.w[1]).toBeGreaterThanOrEqual(y0);
      expect(s.w[1]).toBeLessThanOrEqual(y1);
    }
    expect(y1).toBeGreaterThan(0.4);
  });
  it("slider figure: the slider spans the grid, starts at the nearest value, labels say λ and the limit", async () => {
    const grid = toyFlows(toy, { lambdas: logLambdaGrid(-1, 0, 0.5).map((l) => 10 ** l), alpha, samples: 100 });
    const s = JSON.stringify(toySliderFigure(toy, grid, { background: flows[0], landmarks: marks, initialLambda: 0.5 }));
    expect(s).toContain('"min":-1');
    expect(s).toContain('"max":0');
    expect(s).toContain('"value":-0.5');
    expect(s).toContain("λ = 0.32: w∞ = (");
    expect(await toSVG(limitVsLambdaChart([flows[0], ...grid]))).toContain("GF, λ = 0 (at 0.01)");
  });
  it("crossing figure and tables", async () => {
    const cross = toyFlow(toy, { lambda: 8, alpha, T: 40, samples: 101 });
    expect(await toSVG(crossingFigure(cross.flow))).toContain("λ = 8: u − v crosses zero");
    expect(signChangeTable(cross.flow)[0]).toMatchObject({ coordinate: 1, which: "u-v" });
    const table = limitTable(flows.map(limitSummary));
    expect(Object.keys(table[0])).toEqual(["λ", "T", "w₁∞", "w₂∞", "final loss", "Δ∞,1/Δ₀", "Δ∞,2/Δ₀", "u±v sign changes", "ms"]);
  });
});
