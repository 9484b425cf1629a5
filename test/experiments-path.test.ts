// lib/experiments/path.ts: the analyses of notebook 01, on small problems (the 2-D toy, one sample) or on
// hand-made rows with exact answers.
import { describe, expect, it } from "vitest";
import {
  bundleSeparation, checkNumberList, compareConstants, firstOrderConstants, flowSeparation, gdPathCheck, gridFlows,
  gridPathErrors, halvingRatio, lambdaContrast, linearFlows, linearRegressionRuns, modifiedEquationGrid, momentumGrid,
  nearestValue, orderFits, runAgainstFlow, sampledFlow, secondOrderPathError, supDistance, unionOfTimes, flowSettling,
  type PathErrorRow, type SampledFlow,
} from "../lib/experiments/path";
import { toyProblem } from "../lib/model/problems";
import { minNormInterpolator } from "../lib/bias/min-norm";
import type { FlowSample } from "../lib/dynamics/flows";

const toy = toyProblem();
const alpha = 0.1;

/** A fake flow whose sample at t is w = (t, 2t). */
function fakeFlow(lambda: number, slope = 1): SampledFlow {
  const at = (t: number) => ({ t, loss: 0, w: Float64Array.of(slope * t, 2 * slope * t) }) as unknown as FlowSample;
  return { lambda, flow: { final: at(10) } as never, at };
}

const row = (lambda: number, beta: number, h: number, sup: number): PathErrorRow => ({ lambda, beta, h, sup, tSup: 0, end: 0, C: sup / h });

describe("small helpers", () => {
  it("checkNumberList names the bad entry, refuses repeats and empty lists", () => {
    expect(checkNumberList("xs", [1, 2], { min: 0 })).toEqual([1, 2]);
    expect(() => checkNumberList("lambdas", [])).toThrow(/lambdas must be a non-empty array/);
    expect(() => checkNumberList("lambdas", [0.2, -1], { min: 0 })).toThrow(/lambdas\[1\] must lie in \[0, ∞\), got -1/);
    expect(() => checkNumberList("betas", [0.9, 0.9])).toThrow(/betas lists 0.9 twice/);
    expect(() => checkNumberList("betas", [NaN])).toThrow(/betas\[0\] must be a finite number/);
  });
  it("unionOfTimes sorts and removes repeats; nearestValue picks by value", () => {
    expect(unionOfTimes([3, 1], [2, 1])).toEqual([1, 2, 3]);
    expect(nearestValue([0.2, 2, 8], 0.5)).toBe(0.2);
    expect(nearestValue([0.05, 0.5, 8], 0.5)).toBe(0.5);
  });
  it("supDistance: exact sup, where it is reached, the end distance, and the shift", () => {
    const path = { lambda: 0, points: [0, 1, 2].map((t) => ({ t, loss: 0, w: Float64Array.of(t, 0) })), final: { t: 2, loss: 0, w: Float64Array.of(2, 0) } };
    const ref = (t: number) => ({ t, loss: 0, w: Float64Array.of(t * t, 0) }); // distance |t − t²|
    expect(supDistance(path, ref)).toEqual({ sup: 2, tSup: 2, end: 2 });
    // shift 1: distance |t − (t+1)²| = 1, 3, 7
    expect(supDistance(path, ref, 1)).toEqual({ sup: 7, tSup: 2, end: 7 });
    expect(() => supDistance(path, ref, -1)).toThrow(/shift/);
  });
});

describe("fits and separations on exact rows", () => {
  it("orderFits: err = 2h² has slope 2 and C₂ = 2; a λ with one h is left out", () => {
    const rows = [0.1, 0.2, 0.4].map((h) => ({ lambda: 1, h, e: 2 * h * h })).concat([{ lambda: 3, h: 0.1, e: 1 }]);
    const [fit] = orderFits(rows, "e", 2);
    expect(fit.lambda).toBe(1);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.Cmin).toBeCloseTo(2, 12);
    expect(fit.Cmax).toBeCloseTo(2, 12);
    expect(orderFits(rows, "e", 2)).toHaveLength(1);
    expect(() => orderFits([{ lambda: 1, h: 0.1, e: 1 }], "e")).toThrow(/two or more distinct h/);
  });
  it("flowSeparation, bundleSeparation and lambdaContrast key by λ values", () => {
    const flows = [fakeFlow(0.2, 1), fakeFlow(8, 3), fakeFlow(2, 2)];
    const times = [0, 1, 2];
    // ‖(t, 2t)·(a − b)‖ = |a − b|·t·√5, largest at t = 2
    expect(flowSeparation(flows[0], flows[1], times)).toBeCloseTo(4 * Math.sqrt(5), 12);
    const errors = [row(0.2, 0.9, 0.02, 0.02), row(0.2, 0.99, 0.002, 0.002), row(8, 0.9, 0.8, 0.3), row(8, 0.99, 0.08, 0.03), row(2, 0.9, 0.2, 0.1), row(2, 0.99, 0.02, 0.01)];
    const c = lambdaContrast(flows, errors, times);
    expect([c.lambdaSmall, c.lambdaLarge, c.beta]).toEqual([0.2, 8, 0.99]);
    expect(c.discretisation).toBe(0.03);
    expect(c.ratio).toBeCloseTo((4 * Math.sqrt(5)) / 0.03, 9);
    expect(c.endDistance).toBeCloseTo(20 * Math.sqrt(5), 12); // the final samples at t = 10
    const b = bundleSeparation(flows, errors, times);
    expect(b.pairs).toHaveLength(3);
    expect(b.maxRadius).toBe(0.3);
    // pair (0.2, 2): 2√5 / (0.02 + 0.1); (0.2, 8): 4√5 / 0.32; (8, 2): 2√5 / 0.4 — the last is the worst
    expect([b.worst.lambdaA, b.worst.lambdaB]).toEqual([8, 2]);
    expect(b.worst.ratio).toBeCloseTo((2 * Math.sqrt(5)) / 0.4, 12);
    expect(() => bundleSeparation(flows, [row(1, 0.9, 0.1, 0.1)], times)).toThrow(/at least two λ/);
    expect(() => lambdaContrast(flows, [row(0.2, 0.9, 0.1, 0.1)], times)).toThrow(/two different λ/);
  });
  it("halvingRatio picks the pair of h closest to ratio 2", () => {
    const errors = [row(0.5, 0.9, 0.05, 0.05), row(0.5, 0.95, 0.025, 0.024), row(0.5, 0.99, 0.005, 0.005), row(2, 0.9, 0.2, 0.13)];
    const r = halvingRatio(errors, 0.5);
    expect([r.betaLarge, r.betaSmall]).toEqual([0.9, 0.95]);
    expect(r.hRatio).toBeCloseTo(2, 12);
    expect(r.errRatio).toBeCloseTo(0.05 / 0.024, 12);
    expect(() => halvingRatio(errors, 2)).toThrow(/two runs at λ = 2/);
  });
  it("compareConstants uses each λ's smallest-h run", () => {
    const errors = [row(0.5, 0.9, 0.05, 0.06), row(0.5, 0.99, 0.005, 0.0055)];
    const c = compareConstants(errors, [{ lambda: 0.5, C: 1, tSup: 3 }]);
    expect(c.rows).toEqual([{ lambda: 0.5, h: 0.005, measured: 0.0055 / 0.005, predicted: 1 }]);
    expect(c.maxDeviation).toBeCloseTo(0.1, 12);
    expect(() => compareConstants(errors, [{ lambda: 2, C: 1, tSup: 0 }])).toThrow(/no run at λ = 2/);
  });
});

describe("runs and flows on the 2-D toy", () => {
  const T = 20;
  const times = [0.5, 1, 2, 4, 8, 16];
  const runs = momentumGrid(toy, { lambdas: [0.5], betas: [0.9, 0.95], alpha, T, times });
  const flows = gridFlows(toy, runs, { alpha, times });

  it("momentumGrid: γ = λ(1−β)², h = λ(1−β), K = T/h", () => {
    expect(runs.map((r) => [r.lambda, r.beta])).toEqual([[0.5, 0.9], [0.5, 0.95]]);
    expect(runs[0].gamma).toBeCloseTo(0.005, 15);
    expect(runs[0].h).toBeCloseTo(0.05, 15);
    expect(runs[0].run.iterations).toBe(400);
    expect(runs[1].run.iterations).toBe(800);
    expect(() => momentumGrid(toy, { lambdas: [0.5], betas: [1], alpha, T, times })).toThrow(/betas\[0\] must lie in \[0, 1\)/);
    expect(() => momentumGrid(toy, { lambdas: [0.5], betas: [0.9], alpha, T, times: [30] })).toThrow(/times\[0\] must lie in \[0, 20\]/);
  });
  it("gridFlows samples every run time; sampledFlow.at refuses other times", () => {
    for (const r of runs) for (const s of r.run.points) expect(flows[0].at(s.t).t).toBe(s.t);
    expect(() => flows[0].at(0.123456)).toThrow(/not sampled at t = 0.123456/);
  });
  it("gridPathErrors: O(h) against MGF_λ; modifiedEquationGrid: O(h²) half a step later, O(h) at t_k", () => {
    const errors = gridPathErrors(runs, flows);
    expect(errors[0].sup / errors[1].sup).toBeGreaterThan(1.8);
    expect(errors[0].sup / errors[1].sup).toBeLessThan(2.2);
    expect(errors[0].C).toBeCloseTo(errors[0].sup / 0.05, 12);
    const m = modifiedEquationGrid(toy, runs, flows, { alpha });
    expect(m[0].mass).toBeCloseTo(0.475, 15);
    expect(m[0].firstOrder).toBe(errors[0].sup);
    expect(m[0].secondOrder / m[1].secondOrder).toBeGreaterThan(3.5);
    expect(m[0].secondOrder / m[1].secondOrder).toBeLessThan(4.5);
    expect(m[0].massOnly / m[1].massOnly).toBeLessThan(2.2);
    expect(m[0].secondOrder).toBeLessThan(m[0].massOnly / 5);
    expect(() => modifiedEquationGrid(toy, runs, flows, { alpha, shift: -0.5 })).toThrow(/shift/);
  });
  it("firstOrderConstants predicts the measured C of the smaller step to a few per cent", () => {
    const dense = Array.from({ length: 200 }, (_, i) => 0.1 * (i + 1));
    const fine = momentumGrid(toy, { lambdas: [0.5], betas: [0.99], alpha, T, times: dense });
    const f = gridFlows(toy, fine, { alpha, times: dense });
    const [pred] = firstOrderConstants(toy, f, { alpha, times: dense });
    const [err] = gridPathErrors(fine, f);
    expect(Math.abs(err.C / pred.C - 1)).toBeLessThan(0.03);
  });
  it("flowSettling reports the loss at T and the drift of ‖w − w*‖", () => {
    const [s] = flowSettling(toy, flows, 10);
    expect(s.lambda).toBe(0.5);
    expect(s.drift).toBeCloseTo(Math.abs(s.errAtT - s.errLate), 15);
    expect(s.lossAtT).toBeLessThan(1e-3);
  });
  it("runAgainstFlow: one run and its flow at the run's times", () => {
    const one = runAgainstFlow(toy, { lambda: 0.5, beta: 0.9, alpha, T: 5, times: [1, 2, 3] });
    expect(one.run.points.map((s) => s.k)).toEqual([0, 20, 40, 60, 100]);
    expect(one.gap.sup).toBeGreaterThan(0);
    expect(one.gap.sup).toBeLessThan(one.h);
  });
});

describe("GD's path and plain linear regression", () => {
  it("gdPathCheck: GD at γ ends nearer MGF_γ/2 than MGF_γ, with Δ∞ nearer too", () => {
    const g = gdPathCheck(toy, { gamma: 0.2, alpha, T: 60 });
    expect(g.iterations).toBe(300);
    const [half, full] = g.rows;
    expect([half.lambda, full.lambda]).toEqual([0.1, 0.2]);
    expect(half.end).toBeLessThan(full.end / 3);
    expect(half.deltaDeviation).toBeLessThan(full.deltaDeviation);
    expect(() => gdPathCheck(toy, { gamma: 0, alpha, T: 1 })).toThrow(/gamma must lie in \(0, ∞\)/);
  });
  it("linear regression: every (γ, β) from 0 ends at the minimum-ℓ2 interpolator; linearFlows validates w0", () => {
    const wL2 = minNormInterpolator(toy);
    const rows = linearRegressionRuns(toy, { steps: [{ gamma: 0.5, beta: 0 }, { gamma: 0.1, beta: 0.9 }], wRef: wL2 });
    for (const r of rows) expect(r.distance).toBeLessThan(1e-12);
    expect(rows[1].lambda).toBeCloseTo(10, 12);
    expect(() => linearFlows(toy, { lambdas: [0], T: 1, times: [1], w0: new Float64Array(3) })).toThrow(/w0 must have length 2/);
    const [f] = linearFlows(toy, { lambdas: [2], T: 200, times: [0, 200] });
    expect(Math.hypot(f.flow.final.w[0] - 0.8, f.flow.final.w[1] - 0.4)).toBeLessThan(1e-6);
  });
  it("secondOrderPathError: GD at γ against MGF_γ/2 half a step later is O(h²), C₂ = sup/h²", () => {
    const a = secondOrderPathError(toy, { gamma: 0.2, beta: 0, alpha, T: 30 });
    const b = secondOrderPathError(toy, { gamma: 0.1, beta: 0, alpha, T: 30 });
    expect(a.mass).toBe(0.1);
    expect(a.C2).toBeCloseTo(a.sup / 0.04, 12);
    expect(a.sup / b.sup).toBeGreaterThan(3.2);
    expect(a.sup / b.sup).toBeLessThan(4.8);
  });
  it("sampledFlow needs a time > 0", () => {
    expect(() => sampledFlow(toy, { lambda: 0.5, alpha, times: [0] })).toThrow(/a time > 0/);
  });
});
