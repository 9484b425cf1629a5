// The analyses of notebook 04 (lib/experiments/implicit-bias.ts): real flows on a small problem (n = 6, d = 10,
// where every run converges by t ≈ 130) for the characterisations, hand-made entries for the table logic.
import { beforeAll, describe, expect, it } from "vitest";
import {
  approxError, approxLocalSlope, bridgeDeltas, bridgeExponent, bridgeRows, bridgeTable, crossingEnds, effectRatios, exactRunRow,
  implicitSweep, implicitSweepChartRows, implicitSweepRows, oneRunChartRows, oneRunPredictor, projectionGap, psiBridge, sampleAt,
  supportDelta, sweepEntry, type BridgePoint, type SweepEntry,
} from "../lib/experiments/implicit-bias";
import { approxDrawRows, approxErrorsAt, exactDrawRows, exactOverDraws, worstExact, type ExactDraw } from "../lib/experiments/implicit-bias-draws";
import {
  deltaGapRatio, mgdAgainstFlow, mgdApproxRatio, mgdDeltaRows, mgdRate, mgdRateRows, mgdRows, type MgdEntry,
} from "../lib/experiments/implicit-bias-mgd";
import { initFromMomentum, shapeComparison } from "../lib/experiments/implicit-bias-init";
import { summarizeMomentumRun } from "../lib/bias/balancedness";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { minNormInterpolator } from "../lib/bias/min-norm";
import { distance } from "../lib/core/linalg";
import { gradientFlow, momentumFlow, type FlowResult } from "../lib/dynamics/flows";
import { recoveryError, sparseRegression } from "../lib/model/problems";

const sizes = { n: 6, d: 10, k: 2 };
const p = sparseRegression({ ...sizes, seed: 3 });
const alpha = 0.3;
const Delta0 = 2 * alpha * alpha;

let sweep: SweepEntry[];
let gf: FlowResult;
beforeAll(() => {
  sweep = implicitSweep(p, { lambdas: [0.05, 0.1, 0.2], alpha, T: 200 });
  gf = gradientFlow(p, { alpha, T: 200, times: [0, 100, 200], rtol: 1e-10, integrals: true });
});

describe("the ψ_Δ bridge", () => {
  it("log grid of Δ", () => {
    expect(bridgeDeltas(2, 0, 1)).toEqual([100, 10, 1]);
    const D = bridgeDeltas(6, -10, 4);
    expect(D).toHaveLength(65);
    expect(D[0]).toBe(1e6);
    expect(D[64]).toBe(1e-10);
    expect(() => bridgeDeltas(0, 1, 4)).toThrow(/to must lie/);
  });

  it("moves from min-ℓ2 (large Δ) towards basis pursuit (small Δ); warm-started solves", () => {
    const far = minPsiInterpolator(p, 1e-12).w; // stands in for basis pursuit
    const points = psiBridge(p, bridgeDeltas(4, -8, 2), { basisPursuit: far, minNorm: minNormInterpolator(p) });
    expect(points[0].toMinNorm).toBeLessThan(1e-6);
    expect(points[points.length - 1].toBasisPursuit).toBeLessThan(1e-3);
    expect(points.every((b, i) => i === 0 || b.toBasisPursuit <= points[i - 1].toBasisPursuit * (1 + 1e-9))).toBe(true);
    const rows = bridgeRows(points);
    expect(rows).toHaveLength(2 * points.length);
    expect(Math.min(...rows.map((r) => r.distance as number))).toBeGreaterThanOrEqual(1e-16);
    expect(() => psiBridge(p, [], { basisPursuit: far, minNorm: far })).toThrow(/Deltas/);
  });

  it("fitted exponent of distance ∝ Δ^p below a threshold", () => {
    const pts = [1e-8, 1e-6, 1e-4, 1].map((Delta) => ({ Delta, toBasisPursuit: 3 * Delta ** 0.5 }) as BridgePoint);
    expect(bridgeExponent(pts, 1e-4)).toBeCloseTo(0.5, 12);
    expect(() => bridgeExponent(pts, 1e-7)).toThrow(/at least 2 points/);
  });

  it("table: uniform and non-uniform Δ, then basis pursuit", () => {
    const D = supportDelta(p, 1e-6, 1e-2);
    const supp = Array.from(p.wStar!).flatMap((x, j) => (x !== 0 ? [j] : []));
    expect(supp.every((j) => D[j] === 1e-6)).toBe(true);
    expect(D.filter((x) => x === 1e-2)).toHaveLength(p.d - supp.length);
    const bp = minPsiInterpolator(p, 1e-12).w;
    const mixed = D.map((x, j) => (j === 0 ? 5e-3 : x));
    const rows = bridgeTable(p, [1, D, supportDelta(p, 1e-2, 1e-6), mixed], bp);
    expect(rows.map((r) => r.Δ)).toEqual([1, "1e-6 on supp, 1e-2 off", "1e-2 on supp, 1e-6 off", "non-uniform, 1e-6 … 1e-2", null]);
    expect(rows[0]["‖w − w*‖"]).toBe(recoveryError(p, minPsiInterpolator(p, 1).w));
  });
});

describe("MGF: exact and approximate problems", () => {
  it("sample lookup and the projection gap (exact for GF)", () => {
    expect(sampleAt(gf, 100).t).toBe(100);
    expect(() => sampleAt(gf, 50)).toThrow(/no sample at t = 50 \(its samples: 0, 100, 200\)/);
    expect(projectionGap(p, gf, 100)).toBeLessThan(1e-8);
  });

  it("the exact problem reproduces a long run, the approximate one misses by O(λ²)", () => {
    const run = momentumFlow(p, { lambda: 0.2, alpha, T: 300, times: [0, 100, 300], rtol: 1e-10, integrals: true });
    const s = summarizeMomentumRun(p, run, { alpha });
    const row = exactRunRow(p, run, s, 100);
    expect(row["‖w∞ − argmin D(·, w̃₀)‖ (exact)"] as number).toBeLessThan(1e-9);
    expect(row["‖w∞ − argmin ψ_Δ∞‖ (approx.)"] as number).toBeGreaterThan(1e-3);
    expect(row["‖projected from t=100 − w(300)‖"] as number).toBeLessThan(1e-6);
    expect(approxLocalSlope(sweep, 0.05, 0.1)).toBeGreaterThan(1.7);
    expect(approxLocalSlope(sweep, 0.05, 0.1)).toBeLessThan(2.4);
    expect(() => sweepEntry(sweep, 0.3)).toThrow(/λ = 0.3 is not in the sweep \(its λ: 0.05, 0.1, 0.2\)/);
  });

  it("sweep rows: null where a crossing makes the problems undefined", () => {
    const crossed = { ...sweep[0], lambda: 0.9, valid: false, summary: { ...sweep[0].summary, approx: null, offsetPoint: null, ratio: Float64Array.of(-0.5, 1) } } as SweepEntry;
    const rows = implicitSweepRows(p, [sweep[0], crossed], gf.final.w);
    expect(rows[0]["‖w∞ − argmin ψ_Δ∞‖"]).toBe(approxError(sweep[0]));
    expect(rows[0]["approx. error / ‖w∞ − w∞^GF‖"]).toBe(approxError(sweep[0])! / distance(sweep[0].limit, gf.final.w));
    expect([rows[1]["‖w̃₀‖"], rows[1]["‖w∞ − argmin ψ_Δ∞‖"], rows[1]["approx. error / ‖w∞ − w∞^GF‖"]]).toEqual([null, null, null]);
    expect(implicitSweepChartRows([sweep[0], crossed], gf.final.w)).toHaveLength(3);
    expect(crossingEnds([sweep[0], crossed])).toEqual({ holds: true, measured: "λ = 0.9: min Δ∞/Δ₀ = -0.500" });
    expect(crossingEnds(sweep).holds).toBe(false);
    expect(crossingEnds(sweep).measured).toBe("no λ of the sweep crosses (λ = 0.05, 0.1, 0.2)");
    expect(effectRatios([sweep[0], crossed], gf.final.w)).toEqual([{ lambda: 0.05, ratio: rows[0]["approx. error / ‖w∞ − w∞^GF‖"] }]);
  });

  it("one GF run predicts MGF's limit with an error of order λ²", () => {
    const pred = oneRunPredictor(p, sweep, gf, Delta0);
    expect(pred.lambdas).toEqual([0.05, 0.1, 0.2]);
    const slope = Math.log(pred.errors[1] / pred.errors[0]) / Math.log(2);
    expect(slope).toBeGreaterThan(1.6);
    expect(slope).toBeLessThan(2.4);
    expect(pred.rows[0]["ratio one-run/measured"]).toBe(pred.errors[0] / pred.approxErrors[0]);
    expect(oneRunChartRows(pred)).toHaveLength(6);
    expect(() => oneRunPredictor(p, sweep, momentumFlow(p, { lambda: 0.1, alpha, T: 1 }), Delta0)).toThrow(/integrals/);
  });
});

describe("over draws", () => {
  it("runs to the loss threshold, reusing only runs that reached it", () => {
    const p1 = sparseRegression({ ...sizes, seed: 1 });
    const short = momentumFlow(p1, { lambda: 0.2, alpha, T: 20, times: [0, 20], integrals: true });
    const draws = exactOverDraws({ seeds: [1, 3], lambdas: [0.2], alpha, stopLoss: 1e-16, T: 1000, sizes, reuse: { problem: p1, runs: [short] } });
    expect(draws.map((x) => [x.seed, x.lambda])).toEqual([[1, 0.2], [3, 0.2]]);
    expect(draws[0].run).not.toBe(short); // loss at T = 20 is far above 1e-16
    expect(draws.every((x) => x.run.final.loss <= 1e-16)).toBe(true);
    expect(worstExact(draws).worst).toBeLessThan(1e-6);
    const again = exactOverDraws({ seeds: [1], lambdas: [0.2], alpha, stopLoss: 1e-16, sizes, reuse: { problem: p1, runs: [draws[0].run] } });
    expect(again[0].run).toBe(draws[0].run);
    expect(exactDrawRows(draws)[0]["loss at the end"]).toBe(draws[0].run.final.loss);
  });

  it("pivot, worst and the per-λ errors skip crossings", () => {
    const fake = (seed: number, lambda: number, approx: number | null): ExactDraw => ({ seed, lambda, run: {} as FlowResult, valid: approx !== null,
      summary: { approx: approx === null ? null : {}, errApprox: approx ?? NaN, exact: approx === null ? null : {}, errExact: 1e-10 * seed } as never });
    const draws = [fake(0, 0.1, 0.01), fake(0, 0.2, 0.05), fake(1, 0.1, 0.02), fake(1, 0.2, null)];
    expect(approxDrawRows(draws, [0.1, 0.2], 0.04)).toEqual([
      { seed: 0, "err, λ = 0.1": 0.01, "err, λ = 0.2": 0.05, "ratio (4 if ∝ λ²)": 5, "≤ 0.04 at λ = 0.2": "no" },
      { seed: 1, "err, λ = 0.1": 0.02, "err, λ = 0.2": null, "ratio (4 if ∝ λ²)": null, "≤ 0.04 at λ = 0.2": null },
    ]);
    expect(approxErrorsAt(draws, 0.2)).toEqual([0.05]);
    expect(() => approxErrorsAt(draws, 0.3)).toThrow(/λ = 0.3 was not run on the draws \(their λ: 0.1, 0.2\)/);
    expect(worstExact(draws)).toEqual({ worst: 1e-10, count: 3, skipped: ["seed 1, λ = 0.2"] });
    expect(() => worstExact([fake(0, 0.2, null)])).toThrow(/every run/);
  });
});

describe("discrete heavy ball against the flow", () => {
  let mgd: MgdEntry[];
  beforeAll(() => {
    mgd = mgdAgainstFlow(p, [{ lambda: 0.2, beta: 0.8 }, { lambda: 0.2, beta: 0.9 }], { alpha, stopLoss: 1e-14, flows: sweep });
  });

  it("MGD's limit approaches MGF's like h; its Δ_K like 1 − β", () => {
    expect(mgd.map((m) => m.h)).toEqual([0.2 * 0.2 * 0.2 / 0.2, 0.2 * 0.1 * 0.1 / 0.1].map((x) => expect.closeTo(x, 15)));
    const rate = mgdRate(mgd, 0.2);
    expect(rate.toFlowLimit).toBeGreaterThan(0.8);
    expect(rate.toFlowLimit).toBeLessThan(1.2);
    expect(rate.toExactOwn).toBeGreaterThan(0.7);
    expect(rate.toExactOwn).toBeLessThan(1.3);
    const gap = deltaGapRatio(mgd, 0.2);
    expect(gap.expected).toBeCloseTo(2, 12);
    expect(gap.ratio).toBeGreaterThan(1.6);
    expect(gap.ratio).toBeLessThan(2.4);
    expect(() => mgdRate(mgd, 0.1)).toThrow(/at least 2 values of β at λ = 0.1, got 0/);
  });

  it("rows, chart rows and the approximate-error ratio", () => {
    const rows = mgdRows(mgd);
    expect(rows[0]["‖w_K − w∞^MGF‖"]).toBe(mgd[0].toFlowLimit);
    expect(rows[0]["MGF: ‖w∞ − argmin ψ_Δ∞‖"]).toBe(approxError(sweep[2]));
    expect(mgdRateRows(mgd, 0.2)).toHaveLength(4);
    expect(mgdDeltaRows(mgd, 0.2, Delta0)).toHaveLength(2 * p.d);
    const r = mgdApproxRatio(mgd);
    expect(r.ratios).toEqual(mgd.map((m) => m.toApproxOwn / approxError(m.flow)!));
    expect(r.ratios).toContain(r.worst);
  });

  it("runs a flow for a λ the sweep does not have, and refuses a crossing flow", () => {
    const m = mgdAgainstFlow(p, [{ lambda: 0.15, beta: 0.8 }], { alpha, stopLoss: 1e-12, flows: sweep });
    expect(m[0].flow.lambda).toBe(0.15);
    const crossed = { ...sweep[2], valid: false } as SweepEntry;
    expect(() => mgdAgainstFlow(p, [{ lambda: 0.2, beta: 0.8 }], { alpha, flows: [crossed] })).toThrow(/MGF at λ = 0.2 crosses/);
  });
});

describe("momentum as a non-uniform initialisation", () => {
  it("GF from (Δ∞, w̃₀) lands on MGF's limit; from √Δ∞ on argmin ψ_Δ∞", () => {
    const run = momentumFlow(p, { lambda: 0.2, alpha, T: 300, times: [0, 300], rtol: 1e-10, integrals: true });
    const s = summarizeMomentumRun(p, run, { alpha });
    const init = initFromMomentum(p, s, run.final.w, { T: 300 });
    expect(init.withBaseToMgf).toBeLessThan(1e-8);
    expect(init.plainToApprox).toBeLessThan(1e-8);
    expect(init.plainToMgf).toBeCloseTo(s.errApprox, 7);
    expect(() => initFromMomentum(p, { ...s, valid: false }, run.final.w)).toThrow(/without a crossing/);
  });

  it("shape comparison with the geometric or arithmetic mean of Δ∞", () => {
    const s = sweep[2].summary;
    const o = { gf: gf.final.w, mgf: sweep[2].limit, init: s.approx!.w, DeltaInf: s.DeltaInf, Delta0, lambda: 0.2 };
    const geo = shapeComparison(p, o);
    const arith = shapeComparison(p, { ...o, mean: "arithmetic" });
    expect(arith.uniformDelta).toBeGreaterThanOrEqual(geo.uniformDelta);
    expect(geo.rows.map((r) => r.solution)).toEqual(["GF, uniform Δ₀ = 0.18", "MGF λ = 0.2 (w∞)", "GF from √Δ∞ (= argmin ψ_Δ∞)",
      `argmin ψ at uniform Δ = ${geo.uniformDelta.toPrecision(3)} (geo. mean of Δ∞)`]);
    expect(arith.rows[3].solution).toContain("arith. mean");
    expect(geo.errors.gf).toBe(recoveryError(p, gf.final.w));
    expect(() => shapeComparison(p, { ...o, mean: "median" as never })).toThrow(/mean must be/);
  });
});

describe("argument checks name what is wrong", () => {
  it("entries, points, draws and MGD entries must come from their builders", () => {
    expect(() => implicitSweepRows(p, [] as never, gf.final.w)).toThrow(/entries must be a non-empty array from implicitSweep/);
    expect(() => sweepEntry([{ lambda: 0.1 }] as never, 0.1)).toThrow(/entries\[0\] is not an entry of implicitSweep/);
    expect(() => approxError({} as never)).toThrow(/e must be an entry of implicitSweep/);
    expect(() => bridgeExponent("x" as never)).toThrow(/points must be a non-empty array from psiBridge/);
    expect(() => worstExact([{}] as never)).toThrow(/draws\[0\] is not an entry of exactOverDraws/);
    expect(() => approxDrawRows([{ seed: 0, lambda: 0.1, summary: {} }] as never, [0.1] as never)).toThrow(/pair/);
    expect(() => mgdRows([1] as never)).toThrow(/entries\[0\] is not an entry of mgdAgainstFlow/);
    expect(() => mgdAgainstFlow(p, [null] as never, { alpha })).toThrow(/cases\[0\] must be an object/);
    expect(() => mgdAgainstFlow(p, [{ lambda: -1, beta: 0.9 }], { alpha, flows: sweep })).toThrow(/lambda/);
    expect(() => oneRunChartRows({} as never)).toThrow(/oneRunPredictor/);
    expect(() => exactRunRow(p, gf, {} as never, 100)).toThrow(/summarizeMomentumRun/);
  });
});
