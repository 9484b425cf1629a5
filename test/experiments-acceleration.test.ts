// lib/experiments/acceleration.ts and lib/figures/acceleration.ts: notebook 02's analyses, on the 2-D toy (fast) or on
// hand-made rows with exact answers.
import { describe, expect, it } from "vitest";
import {
  accuracyCapCheck, compareWithFirstOrder, firstOrderContender, fixedGammaSweep, fixedLambdaSweep, iterationSlope, labelledPlan, linearSpace,
  meanTime, planAgreement, recoveryAlongBeta, relativeSpread, runContenders, iterationsToLoss, stabilityStats, worstSpeedup, type ContenderRow, type SpeedupRun,
} from "../lib/experiments/acceleration";
import {
  contenderTable, fixedGammaTable, fixedLambdaTable, iterationCountChart, planTable, stabilityEdgeTable, stabilityMapChart, timeConstancyChart,
} from "../lib/figures/acceleration";
import { stabilityMap } from "../lib/dynamics/stability";
import { toyProblem } from "../lib/model/problems";
import { toSVG } from "../lib/notebook/display";

const toy = toyProblem();
const alpha = 0.1;
const eps = 1e-4;

const contenderRow = (o: Partial<ContenderRow>): ContenderRow => ({
  label: "x", gamma: 0.1, beta: 0, lambda: 0.1, mass: 0.05, h: 0.1, target: 0.05, Kpredicted: 100, K: 100, wallMs: 1, recovery: 0, targetDistance: 0.01, rule: false, ...o,
});

describe("small statistics", () => {
  it("relativeSpread, linearSpace, meanTime: exact values", () => {
    expect(relativeSpread([100, 101, 102])).toBeCloseTo(0.02, 15);
    expect(relativeSpread([5, 5])).toBe(0);
    expect(() => relativeSpread([0, 1])).toThrow(/must lie in \(0, ∞\)/);
    expect(linearSpace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linearSpace(0, 0.99, 25)[24]).toBe(0.99);
    expect(() => linearSpace(0, 1, 1)).toThrow(/n must lie in \[2/);
    expect(meanTime([{ Kh: 1 }, { Kh: 3 }] as never)).toBe(2);
  });
  it("worstSpeedup: the measured/predicted ratio farthest from 1, the reference left out", () => {
    const runs = [{ beta: 0, speedup: 1, predicted: 1 }, { beta: 0.5, speedup: 2.1, predicted: 2 }, { beta: 0.8, speedup: 4.6, predicted: 5 }] as SpeedupRun[];
    expect(worstSpeedup(runs)).toEqual({ beta: 0.8, ratio: 4.6 / 5 });
    expect(() => worstSpeedup(runs.slice(0, 1))).toThrow(/at least two β/);
  });
  it("recoveryAlongBeta sorts by β before judging the trend", () => {
    const runs = [{ beta: 0.9, recovery: 0.6 }, { beta: 0, recovery: 0.5 }, { beta: 0.5, recovery: 0.55 }] as never;
    expect(recoveryAlongBeta(runs)).toEqual({ betas: [0, 0.5, 0.9], values: [0.5, 0.55, 0.6], increasing: true });
    expect(recoveryAlongBeta([{ beta: 0, recovery: 0.5 }, { beta: 0.5, recovery: 0.5 }] as never).increasing).toBe(false);
  });
  it("iterationSlope: K ∝ γ^(−1/2) has slope −½", () => {
    const runs = [0.01, 0.04, 0.16].map((gamma) => ({ gamma, K: 100 / Math.sqrt(gamma) }));
    expect(iterationSlope(runs as never)).toBeCloseTo(-0.5, 12);
  });
});

describe("sweeps on the toy", () => {
  it("fixed λ: γ = λ(1−β)², K·h nearly constant, mass λ(1+β)/2", () => {
    const sweep = fixedLambdaSweep(toy, { lambda: 0.2, betas: [0, 0.5, 0.9], alpha, eps });
    expect(sweep[0].gamma).toBe(0.2);
    expect(sweep[1].gamma).toBe(0.05);
    expect(sweep[2].gamma).toBeCloseTo(0.002, 15);
    expect(sweep[1].mass).toBeCloseTo(0.15, 14);
    for (const r of sweep) expect(r.Kh).toBeCloseTo(r.K * r.h, 12);
    expect(relativeSpread(sweep.map((r) => r.Kh))).toBeLessThan(0.1); // the toy's T(λ) is short: K·h = 0.2·K is coarse for GD
    expect(fixedLambdaTable(sweep)[0]).toMatchObject({ β: 0, K: sweep[0].K, "mass λ(1+β)/2": 0.1 });
  });
  it("fixed γ: speed-ups against the smallest β of the list, named in the table", () => {
    const sweep = fixedGammaSweep(toy, { gamma: 0.02, betas: [0.8, 0.5], alpha, eps });
    const ref = sweep.find((r) => r.beta === 0.5)!;
    expect(ref.speedup).toBe(1);
    const other = sweep.find((r) => r.beta === 0.8)!;
    expect(other.predicted).toBeCloseTo(2.5, 14);
    expect(other.speedup).toBe(ref.K / other.K);
    const table = fixedGammaTable(sweep);
    expect(Object.keys(table[0])).toContain("K(β = 0.5)/K");
    expect(Object.keys(fixedGammaTable(fixedGammaSweep(toy, { gamma: 0.02, betas: [0, 0.5], alpha, eps }))[0])).toContain("K_GD/K");
  });
  it("iterationsToLoss validates eps", () => {
    expect(() => iterationsToLoss(toy, { gamma: 0.1, beta: 0, alpha, eps: 0 })).toThrow(/eps must lie in \(0/);
  });
});

describe("the rule's plans and contenders", () => {
  const T = 50;
  it("labelledPlan labels from the spec; runContenders predicts K = T/h and measures the distance to the target flow", () => {
    const plan = labelledPlan({ lambda: 0.2, gammaMax: 1, T }, "γ_max");
    expect(plan.label).toBe("rule, λ = 0.2, γ ≤ γ_max");
    expect([plan.gamma, plan.beta, plan.target, plan.rule]).toEqual([0.4, 0, 0.2, true]);
    const rows = runContenders(toy, { contenders: [plan, firstOrderContender(0.2), { label: "own mass", gamma: 0.1, beta: 0.5 }], alpha, eps, T, repeats: 1 });
    expect(rows[0].Kpredicted).toBeCloseTo(T / 0.4, 12);
    expect(rows[1].label).toBe("first-order rule: GD at γ = λ = 0.2");
    expect(rows[2].target).toBeCloseTo(0.1 * 1.5 / (2 * 0.25), 14); // its own second-order mass
    const cmp = compareWithFirstOrder(rows, 0.2);
    expect(cmp.rule.label).toBe(plan.label);
    expect(cmp.iterationRatio).toBeGreaterThan(1.8); // GD at γ = λ needs about twice the iterations
    expect(cmp.distanceRatio).toBeGreaterThan(1); // …and ends farther from the MGF_0.2 limit
    expect(contenderTable(rows)[0]).toHaveProperty("‖w_K − w^MGF(t_K)‖, target");
    expect(planTable([plan])[0]).toMatchObject({ "target λ": 0.2, limit: "gd", K: plan.plan.iterations });
  });
  it("planAgreement and compareWithFirstOrder key by the target λ and say what is missing", () => {
    const rows = [contenderRow({ rule: true, target: 0.2, K: 103, Kpredicted: 100, h: 0.4 }), contenderRow({ rule: true, target: 0.2, K: 98, Kpredicted: 100, h: 0.1 })];
    expect(planAgreement(rows, 0.2)).toEqual({ plans: 2, maxDeviation: expect.closeTo(0.03, 12) });
    expect(() => planAgreement(rows, 2)).toThrow(/no plan of the rule targets λ = 2/);
    expect(() => compareWithFirstOrder(rows, 0.2)).toThrow(/firstOrderContender\(0.2\)/);
    const first = contenderRow({ gamma: 0.2, beta: 0, target: 0.2, K: 200, targetDistance: 0.05 });
    const cmp = compareWithFirstOrder([...rows, first], 0.2);
    expect(cmp.rule.h).toBe(0.4);
    expect(cmp.distanceRatio).toBeCloseTo(5, 12);
    expect(cmp.iterationRatio).toBeCloseTo(200 / 103, 12);
  });
  it("accuracyCapCheck: the capped plan's measured path error is close to the tolerance", () => {
    const check = accuracyCapCheck(toy, { lambda: 0.5, gammaMax: 2, T: 20, pathTolerance: 1e-3, alpha });
    expect(check.uncapped.plan.limit).toBe("gd");
    expect(check.capped.plan.limit).toBe("accuracy");
    expect(check.capped.plan.h).toBeCloseTo(Math.sqrt(1e-3 / check.uncappedError.C2), 12);
    expect(check.ratio).toBeGreaterThan(0.7);
    expect(check.ratio).toBeLessThan(1.3);
    expect(check.capped.label).toBe("rule, λ = 0.5, γ ≤ 2, path err ≤ 0.001");
  });
});

describe("stability statistics and the map chart", () => {
  const map = stabilityMap(toy, { gammas: [0.1, 1, 10], betas: [0, 0.5, 0.9], iterations: 200, loss: 1e-6, alpha, L: 1.25 });
  it("stabilityStats: counts, the bound against 'never diverges', the edge at the largest β", () => {
    const s = stabilityStats(map);
    expect(s.cells).toBe(9);
    expect(s.converged + s.notConverged + s.diverged).toBe(9);
    expect(s.trivialAccuracy).toBeCloseTo((9 - s.diverged) / 9, 15);
    expect(s.boundAccuracy).toBe(map.agreement);
    expect(s.errorRatio).toBeCloseTo((1 - s.trivialAccuracy) / (1 - s.boundAccuracy), 12);
    expect(s.topEdge.beta).toBe(0.9);
    expect(s.topEdge.bound).toBeCloseTo((2 * 1.9) / 1.25, 12);
  });
  it("the map chart names the iteration cap, draws the bound and (with T) the line h = T/cap", async () => {
    const svg = await toSVG(stabilityMapChart(map, { T: 20, lambdas: [1, 10] }));
    expect(svg).toContain("outcome of 200 iterations");
    expect(svg).toContain("h = T/200");
    expect(svg).toContain("2(1+β)/L");
    expect(stabilityEdgeTable(map, 2, 1).map((r) => r.β)).toEqual([0, 0.9]);
    expect(() => stabilityMapChart({ cells: [] } as never)).toThrow(/stabilityMap result/);
  });
  it("sweep charts: the title names the loss target; the K·h axis always holds the data", () => {
    const runs = [{ beta: 0, K: 10, Kh: 100 }, { beta: 0.5, K: 5, Kh: 130 }] as never;
    expect(JSON.stringify(iterationCountChart([{ label: "a", runs }], 1e-6))).toContain("loss < 1e-6");
    const spec = timeConstancyChart([{ label: "a", runs }], 0.03) as unknown as { layer: { encoding: { y: { scale: { domain: number[] } } } }[] };
    const [lo, hi] = spec.layer[1].encoding.y.scale.domain;
    expect(lo).toBeLessThanOrEqual(99);
    expect(hi).toBeGreaterThanOrEqual(130);
    expect(() => timeConstancyChart([{ label: "a", runs }], 2)).toThrow(/band must lie in \(0, 1\)/);
  });
});
