import { describe, expect, it } from "vitest";
import { errsBySeed, gapSeries, gapSlopes, iterationBudget, maxResidual, maxResidualOverMove, meanGap, modifiedEquationCheck, psiResidualTable, runGap, runLabel, runRows, runTable, smgdGaps, uniformityRow, type RunRow } from "../lib/experiments/stochastic";
import { smgdDefaultGrid, smgdGrid, smgdRegimes } from "../lib/experiments/stochastic-grids";
import { gridPoints, normalizeGrid } from "../lib/sweeps/grid";

/** A synthetic toLoss row: Δ∞ = Δ₀·(ratio on 2 coordinates), w from err. */
function row(o: Partial<RunRow> & { kind: RunRow["kind"]; seed: number; ratios: [number, number] }): Record<string, unknown> {
  const D0 = 0.02;
  return {
    regime: `${o.kind} ${o.lambda ?? ""} ${o.beta ?? ""} ${o.batchSize ?? ""} ${o.gamma ?? ""}`, status: "ok", lambda: 0, beta: null, gamma: null, batchSize: null, K: 100, t: 1, err: 0.5,
    testLoss: 0.1, ratioMedian: 0.9, ratioMin: Math.min(...o.ratios), ratioMax: Math.max(...o.ratios), ratioMedianOn: o.ratios[0], ratioMedianOff: o.ratios[1], ratioMinOn: o.ratios[0], ratioMinOff: o.ratios[1],
    psiResidual: 0.01, distGF: 0.1, ...o, w: [o.err ?? 0.5, 0], delta: o.ratios.map((r) => r * D0),
  };
}

const rows = [0, 1].flatMap((seed) => [
  row({ kind: "GF", seed, ratios: [1, 1], err: 0.6, K: null, t: null }),
  row({ kind: "MGF", seed, lambda: 0.05, ratios: [Math.exp(-0.2), Math.exp(-0.02)], err: 0.7, K: null }),
  row({ kind: "MGF", seed, lambda: 0.025, ratios: [Math.exp(-0.1), Math.exp(-0.01)], err: 0.65, K: null }),
  row({ kind: "MGD", seed, lambda: 0.05, beta: 0.9, gamma: 5e-4, ratios: [Math.exp(-0.2), Math.exp(-0.02)], err: 0.7, psiResidual: 0.02 }),
  row({ kind: "MGD", seed, lambda: 0.05, beta: 0.99, gamma: 5e-6, ratios: [Math.exp(-0.2), Math.exp(-0.02)], err: 0.7, psiResidual: 0.02 }),
  row({ kind: "SMGD", seed, lambda: 0.05, beta: 0.9, gamma: 5e-4, batchSize: 1, ratios: [Math.exp(-0.3), Math.exp(-0.12)], err: 0.7 - 0.01 * (seed + 1), psiResidual: 0.03, K: 1000 }),
  row({ kind: "SMGD", seed, lambda: 0.05, beta: 0.99, gamma: 5e-6, batchSize: 1, ratios: [Math.exp(-0.21), Math.exp(-0.03)], err: 0.7 - 0.001 * (seed + 1), psiResidual: 0.01, K: 1000 }),
  row({ kind: "GD", seed, gamma: 0.05, lambda: 0.05, beta: 0, ratios: [Math.exp(-0.1), Math.exp(-0.01)], err: 0.65, psiResidual: 0.001 }),
  row({ kind: "SGD", seed, gamma: 0.05, lambda: 0.05, beta: 0, batchSize: 1, ratios: [Math.exp(-0.5), Math.exp(-0.45)], err: 0.5, psiResidual: 0.02, distGF: 0.2 }),
]);

describe("notebook 06 analyses", () => {
  const runs = runRows(rows as never);

  it("gaps between runs: recovery error, w and ln Δ (median, signed mean, max)", () => {
    const a = runs[5];
    const b = runs[3];
    const g = runGap(a, b);
    expect(g.err).toBeCloseTo(0.01, 14);
    expect(g.logDeltaMean).toBeCloseTo(-0.1, 14);
    expect(g.logDeltaMedian).toBeCloseTo(0.1, 14);
    expect(g.logDeltaMax).toBeCloseTo(0.1, 14);
    expect(g.w).toBeCloseTo(0.01, 14);
    expect(() => runRows([{ ...rows[0], status: "limit", message: "slow" }] as never)).toThrow(/did not finish: limit slow/);
    // a coordinate whose Δ changed sign counts by its size; one that is exactly 0 is left out
    const flipped = runGap({ err: 0, w: a.w, delta: Float64Array.from([-0.02, 0]) }, { err: 0, w: a.w, delta: Float64Array.from([0.01, 0.02]) });
    expect(flipped.logDeltaMean).toBeCloseTo(Math.log(2), 14);
  });

  it("SMGD gaps per (batch, λ, β), averaged over seeds; their order in 1 − β", () => {
    const pts = gapSeries(smgdGaps(runs));
    expect(pts.map((p) => [p.series, p.beta, p.oneMinusBeta])).toEqual([["batch 1, λ = 0.05", 0.9, 0.1], ["batch 1, λ = 0.05", 0.99, 0.01]]);
    expect(pts[0].errGap).toBeCloseTo(0.015, 14);
    expect(pts[1].errGap).toBeCloseTo(0.0015, 14);
    const [s] = gapSlopes(pts);
    expect(s.errSlope).toBeCloseTo(1, 12); // gap ∝ (1 − β)
    expect(s.deltaSlope).toBeCloseTo(1, 12);
    expect(meanGap(pts, { lambda: 0.05, beta: 0.9, batchSize: 1 })).toBeCloseTo(0.015, 14);
    expect(meanGap(pts, { lambda: 0.2, beta: 0.9, batchSize: 1 })).toBeNull();
    expect(() => gapSlopes(pts.slice(0, 1))).toThrow(/a slope needs at least 2/);
  });

  it("GD at γ against MGF at γ/2 and γ: the factor 2 of the modified equation", () => {
    const m = modifiedEquationCheck(runs, [0.05]);
    expect(m).toHaveLength(2);
    expect(m[0].lnMinFull / m[0].lnMinGD).toBeCloseTo(2, 12);
    expect(m[0].toHalf.logDeltaMedian).toBeCloseTo(0, 12);
    expect(m[0].toFull.logDeltaMedian).toBeGreaterThan(0.01);
    expect(() => modifiedEquationCheck(runs, [0.02])).not.toThrow(); // no GD at γ = 0.02: nothing to compare
    expect(() => modifiedEquationCheck(runRows(rows.filter((r) => !(r.kind === "MGF" && r.lambda === 0.025)) as never), [0.05])).toThrow(/expected one run with .*"lambda":0.025/);
  });

  it("tables: means per run, uniformity index, ψ residuals, labels, budget", () => {
    const t = runTable(runs);
    expect(t).toHaveLength(9);
    expect(t[0]).toMatchObject({ run: "GF", batch: "flow", "recovery error ‖w∞ − w*‖": 0.6, "t at stop": null });
    expect(t[5]).toMatchObject({ run: "SMGD", batch: "1" });
    const u = uniformityRow(runs, "SGD", { kind: "SGD" });
    expect(u["ln(on)/ln(off)"]).toBeCloseTo(0.5 / 0.45, 12);
    expect(u["err − err_GF"]).toBeCloseTo(-0.1, 12);
    expect(() => uniformityRow(runs, "x", { kind: "SGD", gamma: 1 })).toThrow(/no run with/);
    const psi = psiResidualTable(runs);
    expect(psi.map((r) => r.run)).toEqual(["SMGD", "SMGD", "SGD"]);
    expect(psi[0]["same, full batch (max)"]).toBe(0.02);
    expect(psi[2]["max residual / distance"]).toBeCloseTo(0.1, 14);
    expect(maxResidualOverMove(runs.filter((r) => r.kind === "SGD"))).toBeCloseTo(0.1, 14);
    const crossed = runs.map((r) => (r.kind === "SGD" ? { ...r, psiResidual: null } : r));
    expect(maxResidual(crossed.filter((r) => r.kind === "SGD" || r.kind === "SMGD"))).toEqual({ max: 0.03, undefinedRuns: 2 });
    expect(psiResidualTable(crossed)[2]["‖w∞ − argmin ψ_Δ∞‖ (max)"]).toBeNull();
    expect(errsBySeed(runs, { kind: "SMGD", beta: 0.9 })).toEqual([0.69, 0.6799999999999999]);
    expect(runLabel(runs[5])).toBe("SMGD, λ = 0.05, β = 0.9, batch 1");
    expect(runLabel(runs[7])).toBe("GD, γ = 0.05");
    const b = iterationBudget(runs, [{ batch: 1, usPerIteration: 1 }, { batch: 40, usPerIteration: 10 }], 40);
    expect(b.iterations).toBe(2 * (100 * 3 + 1000 * 2 + 100));
    expect(b.seconds).toBeCloseTo((2 * (100 * 3 * 10 + 1000 * 2 + 100)) / 1e6, 14);
    expect(() => iterationBudget(runs, [{ batch: 40, usPerIteration: 1 }], 40)).toThrow(/no measured cost for batch size 1/);
  });

  it("the 06 grid: every run kind of a seed, flows at γ/2 and γ without duplicates", () => {
    const ids = smgdRegimes({ lambdas: [0.05], betas: [0.9], batches: [1, 10], gammas: [0.05] }).map((r) => r.id);
    expect(ids).toEqual(["GF", "MGF λ=0.05", "MGD λ=0.05 β=0.9", "SMGD λ=0.05 β=0.9 batch 1", "SMGD λ=0.05 β=0.9 batch 10", "GD γ=0.05", "SGD γ=0.05 batch 1", "MGF λ=0.025"]);
    const pts = gridPoints(normalizeGrid(smgdGrid({ seeds: [4], lambdas: [0.05], betas: [0.9], batches: [1], gammas: [0.05] })));
    expect(pts.find((p) => p.coords.regime === "SMGD λ=0.05 β=0.9 batch 1")!.params).toMatchObject({ samplerSeed: 4, gamma: 0.05 * (1 - 0.9) ** 2 });
    expect(gridPoints(normalizeGrid(smgdDefaultGrid())).length).toBe(3 * 28); // GF, 2 × (MGF + 3 × (MGD + 2 SMGD)), 2 × (GD + SGD), MGF at 0.005, 0.01, 0.025
    expect(() => smgdGrid({ seeds: [], lambdas: [0.05], betas: [0.9], batches: [1], gammas: [] })).toThrow(/seeds must be a non-empty array/);
  });
});
