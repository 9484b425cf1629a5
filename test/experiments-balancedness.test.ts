// The analyses of notebook 03 (lib/experiments/balancedness.ts): exact values on hand-made runs, where every
// number is known, and a few real flows on small problems for the identities.
import { describe, expect, it } from "vitest";
import {
  balancednessDrift, deltaPathRows, deltaRatio, describeIdentityCheck, evenSampleTimes, identityResiduals, identityStatus, largestIncrease,
  logSampleTimes, median, mgfDeltaCaption, mgfDeltaRows, residualRows, runValidity, shrinkageRows, smallestIndices, splitByCrossing,
  supportOf, validLambdasLabel,
} from "../lib/experiments/balancedness";
import {
  firstOrderError, firstOrderErrorAt, firstOrderRows, firstOrderScaling, firstOrderSlopes, firstOrderSlopeTrend, logRatioRows,
} from "../lib/experiments/balancedness-first-order";
import { balancednessDraws, drawErrors, firstOrderOverDraws, shrinkageOverDraws, supportShrinksMore, type Draw } from "../lib/experiments/balancedness-draws";
import {
  crossingCaption, crossingCountRows, crossingGrowth, crossingOnset, crossingPathRows, crossingRows, everyNthCoordinate, validityRegion,
} from "../lib/experiments/balancedness-crossings";
import { momentumFlow } from "../lib/dynamics/flows";
import type { FlowIntegrals, FlowResult, FlowSample, SignChange } from "../lib/dynamics/flows";
import { makeProblem, sparseRegression } from "../lib/model/problems";

const zeros = (d: number) => new Float64Array(d);

/** A state whose Δ = u² − v² is `Delta` exactly (u = √Δ for Δ ≥ 0, else v = √−Δ), at time t. */
function sample(t: number, Delta: number[], integrals?: Partial<FlowIntegrals>): FlowSample {
  const d = Delta.length;
  const u = Float64Array.from(Delta, (x) => (x >= 0 ? Math.sqrt(x) : 0));
  const v = Float64Array.from(Delta, (x) => (x >= 0 ? 0 : Math.sqrt(-x)));
  const I = integrals ? { g: zeros(d), g2: zeros(d), sumSq: zeros(d), diffSq: zeros(d), ...integrals } : undefined;
  return { t, loss: 0, w: zeros(d), u, v, du: zeros(d), dv: zeros(d), integrals: I };
}

/** A run from its samples; `crossings` lists (coordinate, time) sign changes of u − v. */
function fakeRun(lambda: number, samples: FlowSample[], crossings: [number, number][] = []): FlowResult {
  const signChanges: SignChange[] = crossings.map(([coordinate, time]) => ({ coordinate, time, which: "u-v" }));
  return { lambda, points: samples, final: samples[samples.length - 1], signChanges, stats: { steps: 10, rejected: 0, fevals: 60, wallMs: 1.4, method: "dopri5" } };
}

/** A GF "run" whose ∫g² is g2 (Δ = Δ₀ everywhere). */
const fakeGF = (Delta0: number, g2: number[]) => fakeRun(0, [sample(0, g2.map(() => Delta0)), sample(1, g2.map(() => Delta0), { g2: Float64Array.from(g2) })]);

describe("small helpers", () => {
  it("median, smallest indices, every n-th coordinate", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/non-empty/);
    expect(smallestIndices(Float64Array.of(3, 1, 2, 1), 3)).toEqual([1, 3, 2]);
    expect(() => smallestIndices(Float64Array.of(1), 2)).toThrow(/k/);
    expect(everyNthCoordinate(25, 10)).toEqual([0, 10, 20]);
    expect(() => everyNthCoordinate(25, 0)).toThrow(/n must/);
  });

  it("support of w*", () => {
    const p = sparseRegression({ seed: 0 });
    expect(supportOf(p)).toEqual(Array.from(p.wStar!).flatMap((x, j) => (x !== 0 ? [j] : [])));
    expect(supportOf(p)).toHaveLength(5);
    expect(supportOf(makeProblem({ X: [[1, 0, 0]], y: [1], wStar: [0, 2, 0] }))).toEqual([1]);
    expect(() => supportOf(makeProblem({ X: [[1, 2]], y: [1] }))).toThrow(/no planted vector/);
  });

  it("sample times: 0 then log-spaced to T; evenly spaced then T", () => {
    expect(logSampleTimes(100, 3, 1)).toEqual([0, 1, 10, 100]);
    const t = logSampleTimes(300);
    expect(t).toHaveLength(801);
    expect(t[1]).toBe(0.01);
    expect(t[800]).toBe(300);
    expect(() => logSampleTimes(0.001)).toThrow(/T must lie/);
    expect(evenSampleTimes(1, 3, 10)).toEqual([0, 0.5, 1, 10]);
    expect(evenSampleTimes(1, 3, 1)).toEqual([0, 0.5, 1]);
    expect(() => evenSampleTimes(2, 3, 1)).toThrow(/T must lie/);
  });

  it("Δ/Δ₀, the drift of Δ and its largest step up", () => {
    expect(Array.from(deltaRatio({ u: Float64Array.of(0.5, 1), v: Float64Array.of(0.5, 0.5) }, 0.25))).toEqual([0, 3]);
    // squares of dyadic numbers, so that u² − v² is exact
    const run = fakeRun(0.1, [sample(0, [1, 1]), sample(1, [0.25, 1]), sample(2, [0.5625, 0.0625])]);
    expect(balancednessDrift(run, 1)).toBe(0.9375);
    expect(largestIncrease(run, 1)).toBe(0.3125);
    expect(largestIncrease(run, 0.5)).toBe(0.625);
    expect(() => largestIncrease(fakeRun(0.1, [sample(0, [1])]), 1)).toThrow(/at least 2 samples/);
  });
});

describe("crossings decide what applies", () => {
  const clean = fakeRun(0.1, [sample(0, [1, 1]), sample(5, [0.25, 0.5625])]);
  const crossed = fakeRun(0.3, [sample(0, [1, 1]), sample(5, [-0.25, 0.5625])], [[0, 2.5]]);
  const negativeOnly = fakeRun(0.4, [sample(0, [1, 1]), sample(5, [1, -0.0625])]);

  it("runValidity says which coordinate crossed and when", () => {
    expect(runValidity(clean)).toEqual({ lambda: 0.1, valid: true, note: "λ = 0.1: no u ± v sign change" });
    expect(runValidity(crossed).valid).toBe(false);
    expect(runValidity(crossed).note).toBe("λ = 0.3: u-v of coordinate 0 changes sign at t = 2.50 (1 coordinate in all); the log-form identities stop applying there");
    expect(runValidity(negativeOnly).note).toMatch(/Δ\[1\] = -0.0625 ≤ 0/);
    const split = splitByCrossing([clean, crossed, negativeOnly]);
    expect(split.valid).toEqual([clean]);
    expect(split.skipped).toHaveLength(2);
    expect(validLambdasLabel([clean, crossed])).toBe("λ = 0.1; λ = 0.3 left out (u ± v crosses)");
    expect(validLambdasLabel([clean])).toBe("λ = 0.1");
  });

  it("the MGF table and its caption", () => {
    const rows = mgfDeltaRows([clean, crossed], 1);
    expect(rows[0]).toEqual({ λ: 0.1, steps: 10, ms: 1, "loss at T": 0, "u ± v sign changes": 0, "min Δ∞/Δ₀": 0.25, "max Δ∞/Δ₀": 0.5625, "largest step up of Δ_t/Δ₀": -0.4375 });
    expect(rows[1]["u ± v sign changes"]).toBe(1);
    expect(mgfDeltaCaption([clean], 300)).toBe("MGF to T = 300: no u ± v sign change for λ = 0.1, so the identities below apply to every run");
    expect(mgfDeltaCaption([clean, crossed], 300)).toBe("MGF to T = 300: no sign change for λ = 0.1; u ± v crosses for λ = 0.3, where the identities stop applying");
  });

  it("crossing rows, counts, onset, caption, region and growth", () => {
    const rows = crossingRows([clean, crossed, negativeOnly], 1);
    expect(rows.map((r) => r["coordinates with a u ± v sign change"])).toEqual([0, 1, 0]);
    expect(rows.map((r) => r["Δ∞ < 0 entries"])).toEqual([0, 1, 1]);
    expect(rows[1]["first crossing at t"]).toBe(2.5);
    expect(rows[0]["first crossing at t"]).toBeNull();
    expect(rows[1]["min Δ∞/Δ₀"]).toBe(-0.25);
    expect(crossingCountRows(rows)).toHaveLength(6);
    expect(crossingOnset(rows)).toEqual({ lastClean: 0.1, firstCrossing: 0.3 });
    expect(crossingCaption(rows)).toBe("crossings start between λ = 0.1 and λ = 0.3");
    expect(crossingCaption(rows.slice(0, 1))).toBe("no u ± v crossing for any λ up to 0.1");
    expect(crossingCaption(rows.slice(1, 2))).toBe("u ± v crosses already at the smallest λ = 0.3");
    expect(validityRegion(rows.slice(0, 2), 0.2, 0.3)).toEqual({ holds: true, measured: "0.1: 0/0, 0.3: 1/1" });
    expect(validityRegion(rows, 0.2, 0.3).holds).toBe(false); // λ = 0.4 has a negative entry but no reported crossing
    expect(() => validityRegion(rows, 0.3, 0.2)).toThrow(/crossingFrom/);
    expect(crossingGrowth(rows)).toEqual({ holds: false, measured: "0 ≤ 1 ≤ 0" });
    expect(crossingGrowth(rows.slice(0, 2)).holds).toBe(true);
  });

  it("crossing path rows: the crossing coordinates and the others that do not cross", () => {
    const run = fakeRun(0.5, [sample(0, [1, 1, 1]), sample(1, [-0.2, 0.9, 0.8]), sample(30, [-0.3, 0.8, 0.7])], [[0, 0.5]]);
    const rows = crossingPathRows(run, 1, [0, 2]);
    expect(rows.map((r) => [r.t, r.i, r.crosses])).toEqual([[0, 0, true], [0, 2, false], [1, 0, true], [1, 2, false]]);
    expect(() => crossingPathRows(run, 1, [7])).toThrow(/others\[0\] must lie in \[0, 2\]/);
  });

  it("identityStatus returns the library's refusal instead of throwing", () => {
    const run = fakeRun(0.5, [sample(0, [1, 1]), sample(5, [-0.25, 1], {})], [[0, 2]]);
    const s = identityStatus(run, 1);
    expect(s.applies).toBe(false);
    expect(s.message).toMatch(/Δ_t\[0\] = -0.25 ≤ 0/);
    const clean = fakeRun(0.5, [sample(0, [1, 1]), sample(5, [1, 1], {})]);
    expect(identityStatus(clean, 1)).toEqual({ applies: true, message: "λ = 0.5: no u ± v sign change" });
  });
});

describe("the identities along real flows", () => {
  const p = sparseRegression({ n: 6, d: 10, k: 2, seed: 3 });
  const times = logSampleTimes(40, 30);
  const runs = [0.05, 0.2].map((lambda) => momentumFlow(p, { lambda, alpha: 0.3, T: 40, times, rtol: 1e-10, integrals: true }));

  it("hold to solver precision; a crossing run is left out with its reason; all crossing is an error", () => {
    const crossed = fakeRun(0.9, [sample(0, Array(10).fill(0.18)), sample(1, Array(10).fill(-0.1))], [[3, 0.7]]);
    const check = identityResiduals([...runs, crossed], 0.18);
    expect(check.runs.map((r) => r.lambda)).toEqual([0.05, 0.2]);
    expect(check.runs[0].series).toHaveLength(times.length - 1);
    expect(check.worstBalancedness).toBeLessThan(1e-8);
    expect(check.worstMirror).toBeLessThan(1e-8);
    expect(check.worstBalancedness).toBe(Math.max(...check.runs.map((r) => r.worstBalancedness)));
    expect(check.skipped).toEqual([runValidity(crossed).note]);
    expect(describeIdentityCheck(check, 10)).toMatch(/^largest residual over all 30 times × 10 coordinates × 2 λ \(0.05, 0.2\): .*\nnot checked — λ = 0.9/);
    expect(() => identityResiduals([crossed], 0.18)).toThrow(/every run crosses/);
    const rows = residualRows(check, 8);
    expect(rows).toHaveLength(2 * 2 * Math.ceil(30 / 8));
    expect(Math.min(...rows.map((r) => r["max residual"] as number))).toBeGreaterThanOrEqual(1e-17);
  });

  it("path rows keep the support and every n-th coordinate, in the time window, every stride-th sample", () => {
    const rows = deltaPathRows(runs, 0.18, [4], { every: 5, stride: 4, tMin: 0, tMax: 40 });
    const shown = new Set(rows.map((r) => r.i));
    expect([...shown].sort()).toEqual([0, 4, 5]);
    expect(rows.filter((r) => r.i === 4).every((r) => r["on supp w*"] === true)).toBe(true);
    expect(rows.filter((r) => r.λ === "λ = 0.05")).toHaveLength(3 * times.filter((_, i) => i % 4 === 1).length);
  });
});

describe("shrinkage on and off the support", () => {
  it("rows of one run: support values, median and minimum off it, k smallest on it", () => {
    const run = fakeRun(0.1, [sample(0, [1, 1, 1, 1, 1]), sample(9, [0.25, 0.5625, 0.140625, 0.765625, 0.0625])]);
    expect(shrinkageRows([run], 1, [0, 2])).toEqual([{ λ: 0.1, "on supp: Δ∞/Δ₀": "0.250, 0.141", "median off supp": 0.5625, "min off supp": 0.0625, "2 smallest Δ∞ on supp": 1 }]);
    expect(() => shrinkageRows([run], 1, [9])).toThrow(/support\[0\]/);
  });
});

describe("the first-order prediction", () => {
  const g2 = [1, 0.5, 0];
  const gf = fakeGF(1, g2);
  /** A run whose Δ∞ misses the first-order prediction by the factor e^{c·λ²} in coordinate 0. */
  const runAt = (lambda: number, c = 3) => fakeRun(lambda, [sample(0, [1, 1, 1]), sample(9, g2.map((x, j) => Math.exp(-2 * lambda * x + (j === 0 ? c * lambda * lambda : 0))))]);

  it("error = max |ln(Δ∞/prediction)|; undefined after a crossing", () => {
    expect(firstOrderError(runAt(0.1).final, gf, 1, 0.1)).toBeCloseTo(0.03, 14);
    expect(firstOrderError(runAt(0.1).final, Float64Array.from(g2), 1, 0.1)).toBeCloseTo(0.03, 14);
    expect(() => firstOrderError(sample(1, [-1, 1, 1]), gf, 1, 0.1)).toThrow(/Δ∞\[0\] = -1 ≤ 0 at λ = 0.1/);
    expect(() => firstOrderError(sample(1, [1, 1, 1]), new Float64Array(3) as never as FlowResult, 1, 0.1)).not.toThrow();
    expect(() => firstOrderError(sample(1, [1, 1, 1]), {} as never, 1, 0.1)).toThrow(/g2 must be/);
  });

  it("scaling: sorted by λ, slope 2 for an O(λ²) error, crossing runs left out", () => {
    const crossed = fakeRun(0.3, [sample(0, [1, 1, 1]), sample(9, [-1, 1, 1])], [[0, 1]]);
    const s = firstOrderScaling([runAt(0.2), crossed, runAt(0.05), runAt(0.1)], gf, 1);
    expect(s.lambdas).toEqual([0.05, 0.1, 0.2]);
    expect(s.skipped).toHaveLength(1);
    expect(s.rows[0]["local slope"]).toBeNull();
    for (const x of firstOrderSlopes(s)) expect(x).toBeCloseTo(2, 10);
    expect(firstOrderErrorAt(s, 0.1)).toBeCloseTo(0.03, 14);
    expect(() => firstOrderErrorAt(s, 0.025)).toThrow(/λ = 0.025 is not among the measured λ \(0.05, 0.1, 0.2\)/);
    expect(() => firstOrderScaling([crossed], gf, 1)).toThrow(/every run crosses/);
  });

  it("slope trend: increasing local slopes hold, decreasing ones do not", () => {
    const s = firstOrderScaling([runAt(0.05, 1), fakeRun(0.1, [sample(9, [Math.exp(-0.2 + 0.02), Math.exp(-0.1), 1])]),
      fakeRun(0.2, [sample(9, [Math.exp(-0.4 + 0.2), Math.exp(-0.2), 1])])], gf, 1);
    expect(firstOrderSlopeTrend(s).holds).toBe(true);
    expect(firstOrderSlopeTrend(s).measured).toMatch(/^[\d.]+ < [\d.]+$/);
    const down = firstOrderScaling([runAt(0.05, 1), fakeRun(0.1, [sample(9, [Math.exp(-0.2 + 0.2), Math.exp(-0.1), 1])]),
      fakeRun(0.2, [sample(9, [Math.exp(-0.4 + 0.3), Math.exp(-0.2), 1])])], gf, 1);
    expect(firstOrderSlopeTrend(down).holds).toBe(false);
  });

  it("scatter rows from GF's or each run's own ∫g²; ln(Δ∞/Δ₀) rows with λ = 0 and the first-order lines", () => {
    const run = fakeRun(0.1, [sample(0, [1, 1, 1]), sample(9, [0.25, 0.5625, 1], { g2: Float64Array.of(0, 0, 0) })]);
    const rows = firstOrderRows([run], gf, 1, [0]);
    expect(rows).toHaveLength(3);
    expect(rows[0]["predicted Δ∞/Δ₀"]).toBe(Math.exp(-0.2));
    expect(rows[0]["on supp w*"]).toBe(true);
    expect(firstOrderRows([run], gf, 1, [0], "MGF")[0]["predicted Δ∞/Δ₀"]).toBe(1);
    expect(() => firstOrderRows([run], gf, 1, [0], "both" as never)).toThrow(/integralsFrom/);
    const lr = logRatioRows([run], gf, 1, [0]);
    expect(lr.filter((r) => r.curve === "measured")).toHaveLength(6);
    expect(lr.filter((r) => r.curve === "first order").map((r) => r["ln(Δ∞/Δ₀)"])).toEqual([-0, -0.2]);
    expect(lr.find((r) => r.curve === "measured" && r.λ === 0.1 && r.i === 0)!["ln(Δ∞/Δ₀)"]).toBe(Math.log(0.25));
  });
});

describe("over draws", () => {
  const sizes = { n: 6, d: 10, k: 2 };

  it("runs GF and MGF per seed, reusing the runs of a matching problem", () => {
    const p0 = sparseRegression({ ...sizes, seed: 0 });
    const gf0 = fakeGF(0.18, Array(10).fill(0.1));
    const r0 = fakeRun(0.1, [sample(0, Array(10).fill(0.18))]);
    const draws = balancednessDraws({ seeds: [0, 1], lambdas: [0.1], alpha: 0.3, T: 5, sizes, reuse: { problem: p0, gf: gf0, runs: [r0] } });
    expect(draws.map((x) => x.seed)).toEqual([0, 1]);
    expect(draws[0].runs[0]).toBe(r0);
    expect(draws[0].g2).toBe(gf0.final.integrals!.g2);
    expect(draws[1].runs[0].lambda).toBe(0.1);
    expect(draws[1].runs[0].final.t).toBe(5);
    expect(draws[1].support).toEqual(supportOf(draws[1].problem));
    expect(() => balancednessDraws({ seeds: [], lambdas: [0.1], alpha: 0.3 })).toThrow(/seeds/);
    expect(() => balancednessDraws({ seeds: [0], lambdas: [-1], alpha: 0.3 })).toThrow(/lambdas\[0\]/);
  });

  it("shrinkage and first-order tables per draw; null after a crossing", () => {
    const g2 = Float64Array.of(1, 0, 0.5, 0);
    const at = (lambda: number) => fakeRun(lambda, [sample(9, Array.from(g2, (x) => Math.exp(-2 * lambda * x + lambda * lambda)))]);
    const crossed = fakeRun(0.1, [sample(9, [-1, 1, 1, 1])], [[0, 1]]);
    const p = sparseRegression({ ...sizes, seed: 0 });
    const draws: Draw[] = [
      { seed: 0, problem: p, support: [0, 2], g2, runs: [at(0.05), at(0.1)] },
      { seed: 1, problem: p, support: [0, 2], g2, runs: [at(0.05), crossed] },
    ];
    const shrink = shrinkageOverDraws(draws, 0.1, 1);
    expect(shrink[0]["2 smallest Δ∞ on supp"]).toBe(2);
    expect(shrink[0]["first-order err, λ = 0.1"]).toBeCloseTo(0.01, 14);
    expect(shrink[1]["first-order err, λ = 0.1"]).toBeNull();
    expect(supportShrinksMore(shrink.slice(0, 1))).toEqual({ holds: true, measured: `${(shrink[0]["median Δ∞/Δ₀ on supp"] as number).toFixed(2)} < ${(shrink[0]["median off supp"] as number).toFixed(2)}` });
    const fo = firstOrderOverDraws(draws, [0.05, 0.1], 1);
    expect(Object.keys(fo[0])).toEqual(["seed", "err, λ = 0.05", "err, λ = 0.1", "ratio (4 if ∝ λ²)", "local slope"]);
    expect(fo[0]["local slope"]).toBeCloseTo(2, 10);
    expect(fo[1]["ratio (4 if ∝ λ²)"]).toBeNull();
    expect(drawErrors(draws.slice(0, 1), 0.05, 1)[0]).toBeCloseTo(0.0025, 14);
    expect(() => drawErrors(draws, 0.2, 1)).toThrow(/λ = 0.2 was not run on the draws/);
  });
});
