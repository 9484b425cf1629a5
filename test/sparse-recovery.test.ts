import { describe, expect, it } from "vitest";
import { recoveryGrid, sparseRecoveryGrids, scalesOf, OTHER_REGIMES, REGIMES } from "../lib/experiments/sparse-grids";
import { formatMeanSd, pairedCells, pairedRuns, smallestPairedDifference, winCount } from "../lib/experiments/paired";
import { decompositionSummary, firstDecrease, monotonicity, regimeSummary, scaleEquivalence, seed1Findings } from "../lib/experiments/sparse-recovery";
import { decoyTableRows, heatmapRows, monotonicityTable, pairedTableRows } from "../lib/experiments/sparse-tables";
import { decoyAnatomy, projectionCheck, spreadComparison, uniformShapeSplit } from "../lib/experiments/sparse-mechanism";
import { decoyRegression } from "../lib/model/designs";
import { sparseRegression } from "../lib/model/problems";
import { normalizeGrid, gridPoints } from "../lib/sweeps/grid";

type R = Record<string, string | number | null>;
/** A synthetic flowLimit row. */
const row = (regime: string, seed: number, alpha: number, lambda: number, err: number, extra: Partial<R> = {}): R => ({
  regime, seed, alpha, lambda, status: "ok", err, popErr: err / 2, signChanges: 0, errUniform: lambda > 0 ? err - 0.1 : null, decoyRank: null, supRatio: 0.5, offRatio: 0.9, ...extra,
});

// isotropic: seed 0 monotone; seed 1 dips at λ = 2 (but stays above GF); decoy: MGF wins in seed 0 only
const rows: R[] = [
  row("isotropic", 0, 0.1, 0, 1), row("isotropic", 0, 0.1, 0.5, 1.2), row("isotropic", 0, 0.1, 2, 1.5),
  row("isotropic", 1, 0.1, 0, 1), row("isotropic", 1, 0.1, 0.5, 1.4), row("isotropic", 1, 0.1, 2, 1.3, { signChanges: 3 }),
  row("decoy", 0, 0.1, 0, 1), row("decoy", 0, 0.1, 0.5, 0.75, { decoyRank: 0, errUniform: 0.9 }),
  row("decoy", 1, 0.1, 0, 1), row("decoy", 1, 0.1, 0.5, 1.25, { popErr: 0.1 }),
];

describe("paired comparisons", () => {
  it("pair each MGF run with GF on the same (regime, seed, α)", () => {
    const p = pairedRuns(rows);
    expect(p).toHaveLength(6);
    expect(p[0]).toMatchObject({ regime: "isotropic", seed: 0, lambda: 0.5, gfErr: 1 });
    expect(p[0].relPct).toBeCloseTo(20, 12);
    expect(p[0].diff).toBeCloseTo(0.2, 15);
    expect(p[4]).toMatchObject({ regime: "decoy", diff: -0.25, relPct: -25, popRelPct: -25 });
    expect(winCount(p)).toEqual({ wins: 1, total: 6, frac: 1 / 6, label: "1/6" });
    expect(winCount(p, "popErr").wins).toBe(2); // decoy seed 1 wins in population loss (0.1 < 0.5)
    expect(smallestPairedDifference(p).value).toBeCloseTo(0.2, 12);
    expect(() => pairedRuns([row("x", 0, 0.1, 0.5, 1)])).toThrow(/no GF run \(λ = 0\) for regime x, seed 0, α 0.1/);
    expect(() => pairedRuns([{ ...row("x", 0, 0.1, 0, 1), status: "diverged", message: "boom" }])).toThrow(/did not finish \(diverged: boom\)/);
  });

  it("summarise cells: wins, mean ± sd of differences, λ = 0 as zero differences", () => {
    const cells = pairedCells(rows);
    expect(cells.map((c) => [c.regime, c.lambda, c.seeds])).toEqual([["isotropic", 0, 2], ["isotropic", 0.5, 2], ["isotropic", 2, 2], ["decoy", 0, 2], ["decoy", 0.5, 2]]);
    const c = cells[1];
    expect(c.meanErr).toBeCloseTo(1.3, 14);
    expect(c.sdErr).toBeCloseTo(Math.SQRT2 * 0.1, 14);
    expect(c.wins.label).toBe("0/2");
    expect(cells[4]).toMatchObject({ decoyMostShrunk: 1, crossingFree: 2 });
    expect(cells[0]).toMatchObject({ meanDiff: 0, meanRelPct: 0 });
    expect(heatmapRows(cells)[2]).toEqual({ λ: 2, α: 0.1, "% vs GF": 40, label: "40.0%" });
    expect(pairedTableRows(cells).map((r) => r["MGF better"])).toEqual(["0/2", "0/2", "1/2"]);
    expect(decoyTableRows(cells.filter((x) => x.regime === "decoy"))[0]["decoy most shrunk"]).toBe("1/2");
    expect(formatMeanSd([1, 2, 3], 2)).toBe("2.00 ± 1.00");
    expect(formatMeanSd([])).toBe("–");
  });

  it("seed-1's parts: isotropic, other regimes, strong decoy at small α, population loss at large α", () => {
    const f = seed1Findings(pairedRuns(rows), { isotropic: "isotropic", strongDecoy: "decoy", smallAlpha: 0.1, largeAlpha: 0.1 });
    expect(f.isotropic.label).toBe("0/4");
    expect(f.others.label).toBe("0/0");
    expect(f.decoySmallAlpha.label).toBe("1/2");
    expect(f.decoyLargeAlphaPop.label).toBe("2/2");
  });
});

describe("monotonicity in λ", () => {
  it("finds the first decrease, and counts monotone sequences and GF-best ones", () => {
    expect(firstDecrease(rows, { alpha: 0.1, seed: 0, lambdas: [0, 0.5, 2] })).toBeNull();
    expect(firstDecrease(rows, { alpha: 0.1, seed: 1, lambdas: [2, 0, 0.5] })).toMatchObject({ lambdaBefore: 0.5, lambda: 2, errBefore: 1.4, err: 1.3, signChanges: 3, gfErr: 1 });
    const m = monotonicity(rows, { alphas: [0.1], seeds: [0, 1], lambdas: [0, 0.5, 2] });
    expect(m.monotone.label).toBe("1/2");
    expect(m.gfBest.label).toBe("2/2");
    expect(monotonicity(rows, { alphas: [0.1], seeds: [0, 1], lambdas: [0, 0.5] }).monotone.label).toBe("2/2");
    expect(() => monotonicity(rows, { alphas: [0.3], seeds: [0], lambdas: [0] })).toThrow(/no finished run for regime isotropic, seed 0, α 0.3, λ 0/);
    const t = monotonicityTable(rows, { alphas: [0.1], seeds: [0, 1], lambdas: [0, 0.5, 2], claimLambdas: [0, 0.5, 7], claimAlphas: [0.1], claimSeeds: [0], small: 0.5 });
    expect(t.claimLambdas).toEqual([0, 0.5]); // λ = 7 is not in the grid: the claim is checked on what the grid has
    expect([t.claimCount, t.claimTotal, t.smallCount, t.gfBestCount, t.total]).toEqual([1, 1, 2, 2, 2]);
    expect(t.exceptions).toEqual(["α = 0.1, seed 1: err(λ = 2) = 1.3000 < err(λ = 0.5) = 1.4000 (u ± v crossings: 0 and 3; GF 1.0000)"]);
  });

  it("regime summaries, the data-scale pairing and the uniform/shape split of crossing-free runs", () => {
    expect(regimeSummary(rows, { regimes: ["decoy"], cells: [{ alpha: 0.1, lambda: 0.5 }, { alpha: 0.01, lambda: 0.5 }] })).toEqual([
      { regime: "decoy", "MGF better (all cells)": "1/2", "α=0.1, λ=0.5": "1/2: 0.000 ± 0.354", "α=0.01, λ=0.5": "–" },
    ]);
    const scaled = [...rows, row("scale ε=2", 0, 0.1, 0.125, 1.2000001)];
    expect(scaleEquivalence(scaled, { "scale ε=2": 2 }).pairs).toBe(1);
    expect(scaleEquivalence(scaled, { "scale ε=2": 2 }).maxGap).toBeCloseTo(1e-7, 12);
    expect(() => scaleEquivalence(rows, { "scale ε=2": 2 })).toThrow(/found no scaled run/);
    const [iso, decoy] = decompositionSummary(pairedRuns(rows), ["isotropic", "decoy"]);
    expect(iso).toMatchObject({ runs: 3, uniformHelps: 0, shapeRaises: 3, shapeLowers: 0 }); // seed 1, λ = 2 crosses but counts: signChanges 3 → excluded
    expect(decoy).toMatchObject({ runs: 2, uniformHelps: 1, shapeLowers: 1, shapeRaises: 1, shapeLowersFrac: 0.5 });
    expect(decompositionSummary([], ["none"])[0]).toMatchObject({ runs: 0, uniformHelpsFrac: 0 });
  });
});

describe("the 05 grids", () => {
  it("always include GF (λ = 0) and make regimes problem axes", () => {
    const g = recoveryGrid({ regimes: [REGIMES["n=20"], REGIMES["scale ε=2"]], alphas: [0.1], lambdas: [0.2], seeds: [3] });
    const pts = gridPoints(normalizeGrid(g));
    expect(pts.map((p) => [p.coords.regime, p.coords.lambda])).toEqual([["n=20", 0], ["n=20", 0.2], ["scale ε=2", 0], ["scale ε=2", 0.2]]);
    expect(pts[0].problem).toMatchObject({ n: 20, seed: 3, nTest: 0 });
    expect(pts[2].problem).toMatchObject({ scale: 2 });
    expect(pts[2].params).toMatchObject({ T: 50 });
    expect(scalesOf(OTHER_REGIMES)).toEqual({ "scale ε=0.5": 0.5, "scale ε=2": 2 });
    expect(() => recoveryGrid({ alphas: [0.1], lambdas: [] })).toThrow(/lambdas must be a non-empty array/);
    expect(() => recoveryGrid({ alphas: [0.1], lambdas: [-1] })).toThrow(/lambdas\[0\]/);
    expect(sparseRecoveryGrids().map((x) => gridPoints(normalizeGrid(x)).length)).toEqual([320, 880, 40]);
  });
});

describe("live computations", () => {
  it("the projection from T agrees with the projection from a later time; the raw state does not", () => {
    const c = projectionCheck(sparseRegression({ n: 10, d: 20, k: 2, seed: 0, nTest: 0 }), { lambda: 0.2, alpha: 0.1, T: 20, tLong: 200 });
    expect(c.projGap).toBeLessThan(c.rawGap);
    expect(c.lossLong).toBeLessThan(c.lossAtT);
    expect(() => projectionCheck(sparseRegression({ seed: 0, nTest: 0 }), { lambda: 0.2, alpha: 0.1, T: 20, tLong: 10 })).toThrow(/tLong/);
  });

  it("the uniform/shape split adds up, and GF's own split is zero", () => {
    const p = sparseRegression({ n: 10, d: 20, k: 2, seed: 1, nTest: 0 });
    const s = uniformShapeSplit(p, { alpha: 0.1, lambda: 0.2 });
    expect(s.uniformPart + s.shapePart).toBeCloseTo(s.errMGF - s.errGF, 14);
    expect(s.c).toBeLessThan(1);
    const gf = uniformShapeSplit(p, { alpha: 0.1, lambda: 0 });
    expect(Math.abs(gf.shapePart)).toBeLessThan(1e-6);
  });

  it("the decoy's anatomy names the decoy, its rank and kinds; spread α vs uniform is paired", () => {
    const a = decoyAnatomy(decoyRegression({ seed: 0, rho: 0.9, nTest: 0 }), { alpha: 0.1, lambdas: [0] });
    expect(a.kinds[a.decoy]).toBe("decoy");
    expect(a.kinds.filter((k) => k === "support")).toHaveLength(5);
    expect(a.runs[0].ratioDecoy).toBeCloseTo(1, 6);
    expect(() => decoyAnatomy(sparseRegression({ seed: 0 }), { alpha: 0.1, lambdas: [0] })).toThrow(/needs a decoyRegression problem/);
    const ps = [0, 1].map((seed) => sparseRegression({ n: 10, d: 20, k: 2, seed, nTest: 0 }));
    const zero = spreadComparison(ps, { alphas: [0.1], decades: [0] });
    expect(zero[0]).toMatchObject({ worse: 0, total: 2, meanDiff: 0 }); // no spread: the same problem
  });
});
