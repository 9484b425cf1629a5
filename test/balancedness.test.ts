import { beforeAll, describe, expect, it } from "vitest";
import { deltaInfinity, firstOrderDelta, mgfIdentityResidual, offsetPoint, projectToLimit, stateWithBalancedness, summarizeMomentumRun } from "../lib/bias/balancedness";
import type { MomentumRunSummary } from "../lib/bias/balancedness";
import { gradPsi } from "../lib/bias/entropy";
import { gradientFlow, momentumFlow } from "../lib/dynamics/flows";
import type { FlowResult } from "../lib/dynamics/flows";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { distance } from "../lib/core/linalg";
import { sparseRegression } from "../lib/model/problems";

// Default setting of the series (08-theory.ipynb#conventions): n = 40, d = 100, k = 5, α = 0.1 (Δ₀ = 2α² = 0.02), seed 0.
const p = sparseRegression();
const alpha = 0.1;
const Delta0 = 2 * alpha * alpha;
// Long, tight runs for the 1e-8 claims (loss ≈ 1e-25 at T = 1500).
const tight = { alpha, T: 1500, rtol: 1e-12, atol: 1e-14, integrals: true, times: [0, 300, 750, 1500] };
// Shorter runs for the claims with percent-level tolerances.
const loose = { alpha, T: 600, rtol: 1e-10, atol: 1e-14, integrals: true, times: [0, 600] };

let gf: FlowResult;
let mgf02: FlowResult;
let sum02: MomentumRunSummary;
let sum01: MomentumRunSummary;
let sum005: MomentumRunSummary;
let gfLoose: FlowResult;

beforeAll(() => {
  gf = gradientFlow(p, tight);
  mgf02 = momentumFlow(p, { ...tight, lambda: 0.2 });
  sum02 = summarizeMomentumRun(p, mgf02);
  gfLoose = gradientFlow(p, loose);
  sum01 = summarizeMomentumRun(p, momentumFlow(p, { ...loose, lambda: 0.1 }));
  sum005 = summarizeMomentumRun(p, momentumFlow(p, { ...loose, lambda: 0.05 }));
});

describe("small functions", () => {
  it("stateWithBalancedness: u² − v² = Δ and u ⊙ v = w, u > 0; √Δ when w = 0", () => {
    const D = Float64Array.of(0.02, 3e-5, 2), w = Float64Array.of(-0.4, 1e-3, 0);
    const { u, v } = stateWithBalancedness(D, w);
    for (let j = 0; j < 3; j++) {
      expect(u[j]).toBeGreaterThan(0);
      expect(u[j] * u[j] - v[j] * v[j]).toBeCloseTo(D[j], 15);
      expect(u[j] * v[j]).toBeCloseTo(w[j], 15);
    }
    const plain = stateWithBalancedness(D);
    expect(Array.from(plain.u)).toEqual(Array.from(D, Math.sqrt));
    expect(Array.from(plain.v)).toEqual([0, 0, 0]);
    expect(() => stateWithBalancedness(Float64Array.of(0.1, -1))).toThrow(/Delta\[1\]/);
    expect(() => stateWithBalancedness(D, Float64Array.of(1))).toThrow(/w must have length 3/);
  });

  it("deltaInfinity = u² − v²", () => {
    const D = deltaInfinity({ u: Float64Array.from([2, 1, 0.5]), v: Float64Array.from([1, -1, 1]) });
    expect(Array.from(D)).toEqual([3, 0, -0.75]);
    expect(() => deltaInfinity({ u: new Float64Array(2), v: new Float64Array(3) })).toThrow(/length 2/);
  });

  it("firstOrderDelta = Δ₀ exp(−2λ∫g²)", () => {
    const out = firstOrderDelta(Float64Array.from([0, 1, 2.5]), 0.02, 0.1);
    expect(out[0]).toBe(0.02);
    expect(out[1]).toBeCloseTo(0.02 * Math.exp(-0.2), 16);
    expect(out[2]).toBeCloseTo(0.02 * Math.exp(-0.5), 16);
    expect(() => firstOrderDelta(new Float64Array(2), 0.02, -1)).toThrow(/lambda/);
  });

  it("offsetPoint = (Δ∞/2) sinh(−λ∫(ȧ² − ḃ²)), with ∇ψ_Δ∞(w̃₀) = ∇ψ_Δ₀(w₀) − (λ/2)∫(ȧ² − ḃ²) in general", () => {
    const Dinf = Float64Array.from([0.01, 0.002]);
    const q = Float64Array.from([0.3, -2]);
    const o = offsetPoint(Dinf, 0.2, q);
    expect(o[0]).toBeCloseTo(0.005 * Math.sinh(-0.06), 17);
    expect(o[1]).toBeCloseTo(0.001 * Math.sinh(0.4), 17);
    const w0 = Float64Array.from([0.1, -0.05]);
    const o2 = offsetPoint(Dinf, 0.2, q, { w0, Delta0: 0.02 });
    const lhs = gradPsi(o2, Dinf);
    const rhs = gradPsi(w0, 0.02);
    for (let j = 0; j < 2; j++) expect(lhs[j]).toBeCloseTo(rhs[j] - 0.1 * q[j], 14);
    expect(() => offsetPoint(Float64Array.from([0.01, -1e-3]), 0.2, q)).toThrow(/crossed 0/);
  });
});

describe("exact identities along MGF (claims 7–8) and the implicit bias (claims 9–11)", () => {
  it("claims 7–8: both MGF identities hold to ≤ 1e-9 at every sample (λ = 0.2)", () => {
    for (const s of mgf02.points) expect(mgfIdentityResidual(s, Delta0, 0.2).max).toBeLessThan(1e-9);
    // not a tautology: a wrong λ breaks them
    expect(mgfIdentityResidual(mgf02.final, Delta0, 0.1).max).toBeGreaterThan(1e-3);
    expect(() => mgfIdentityResidual({ ...mgf02.final, integrals: undefined }, Delta0, 0.2)).toThrow(/integrals: true/);
  });

  it("claim 11: the GF limit is argmin ψ_Δ₀ (≤ 1e-8), and GF conserves Δ", () => {
    expect(gf.final.loss).toBeLessThan(1e-20);
    const ref = minPsiInterpolator(p, Delta0);
    expect(distance(gf.final.w, ref.w)).toBeLessThan(1e-8);
    const D = deltaInfinity(gf.final);
    for (let j = 0; j < p.d; j++) expect(Math.abs(D[j] - Delta0)).toBeLessThan(1e-10);
  });

  it("claim 9: the MGF limit is argmin D_ψΔ∞(·, w̃₀) (≤ 1e-8) at λ = 0.2", () => {
    expect(sum02.valid).toBe(true);
    expect(sum02.finalLoss).toBeLessThan(1e-20);
    expect(sum02.errExact).toBeLessThan(1e-8);
    // Δ∞ ≤ Δ₀ everywhere (claim 6) and really smaller somewhere
    expect(Math.max(...sum02.ratio)).toBeLessThanOrEqual(1);
    expect(Math.min(...sum02.ratio)).toBeLessThan(0.5);
  });

  it("claim 10: argmin ψ_Δ∞ alone is within 0.1 at λ = 0.2 and the gap shrinks like λ²", () => {
    expect(sum02.errApprox).toBeLessThan(0.1);
    expect(sum02.errApprox).toBeGreaterThan(1e-3); // w̃₀ matters: the approximation is not exact
    expect(sum005.errApprox).toBeLessThan(3e-3); // claim 10: ≈ 2e-3 at λ = 0.05
    const ratio = sum01.errApprox / sum005.errApprox; // λ² scaling → 4
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6);
    // the exact characterisation holds at every λ (shorter runs: loss ≈ 1e-14, so ≈ 1e-6)
    expect(sum005.errExact).toBeLessThan(1e-5);
    expect(sum01.errExact).toBeLessThan(1e-5);
  });

  it("claim 12: first-order Δ∞ ≈ Δ₀ e^{−2λ∫g²_GF}: |log ratio| ≤ 0.02 at λ = 0.05, error ~ λ²", () => {
    const err = (s: MomentumRunSummary) => {
      const pred = firstOrderDelta(gfLoose.final.integrals!, Delta0, s.lambda);
      let e = 0;
      for (let j = 0; j < p.d; j++) e = Math.max(e, Math.abs(Math.log(s.DeltaInf[j] / pred[j])));
      return e;
    };
    const e005 = err(sum005);
    const e01 = err(sum01);
    expect(e005).toBeLessThanOrEqual(0.02); // seed 0: 0.0197 (seeds 2–4 give 0.023–0.027; see the report)
    expect(e01 / e005).toBeGreaterThan(3);
    expect(e01 / e005).toBeLessThan(6.5);
  });

  it("claim 14: at λ = 0.1, ≥ 3 of the 5 smallest Δ∞ entries lie on supp(w*), for seeds 0–4", () => {
    const counts: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const q = sparseRegression({ seed });
      const run = momentumFlow(q, { lambda: 0.1, alpha, T: 300, rtol: 1e-7, atol: 1e-10, times: [0, 300] });
      const D = deltaInfinity(run.final);
      const smallest = Array.from(D.keys()).sort((a, b) => D[a] - D[b]).slice(0, 5);
      counts.push(smallest.filter((j) => q.wStar![j] !== 0).length);
    }
    // our draws: [4, 4, 5, 3, 4] (claim 14: ≥ 3 on every seed, 4 on average)
    expect(counts.filter((c) => c >= 3).length).toBe(5);
    expect(counts.reduce((a, b) => a + b, 0) / 5).toBeGreaterThanOrEqual(3.5);
  });

  it("claim 20: GF from u₀ = √Δ∞^MGF, v₀ = 0 reaches argmin ψ_Δ∞ (≤ 1e-9) and misses w∞^MGF by the w̃₀ effect", () => {
    const u0 = Float64Array.from(sum02.DeltaInf, Math.sqrt);
    const run = gradientFlow(p, { init: { u: u0, v: new Float64Array(p.d) }, T: 1500, rtol: 1e-12, atol: 1e-14, times: [1500] });
    expect(distance(run.final.w, sum02.approx!.w)).toBeLessThan(1e-9);
    const gap = distance(run.final.w, sum02.wInf);
    expect(gap).toBeGreaterThan(0.01);
    // the gap is exactly the distance between the plain and the offset problem
    expect(Math.abs(gap - distance(sum02.approx!.w, sum02.exact!.w))).toBeLessThan(1e-8);
  });
});

describe("projectToLimit", () => {
  it("is exact for GF from any time (t = 300 → the limit to ≤ 1e-9)", () => {
    const s = gf.points.find((x) => x.t === 300)!;
    expect(s.loss).toBeGreaterThan(1e-12); // not yet converged
    const pr = projectToLimit(p, s, 0);
    expect(distance(pr.w, gf.final.w)).toBeLessThan(1e-9);
    for (let j = 0; j < p.d; j++) expect(Math.abs(pr.DeltaInf[j] - Delta0)).toBeLessThan(1e-10);
  });

  it("for MGF it drops only the tail integrals: ≤ 1e-6 from t = 300 and ≤ 1e-9 from t = 750 (λ = 0.2)", () => {
    const at = (t: number) => projectToLimit(p, mgf02.points.find((x) => x.t === t)!, 0.2);
    expect(distance(at(300).w, mgf02.final.w)).toBeLessThan(1e-6);
    const late = at(750);
    expect(distance(late.w, mgf02.final.w)).toBeLessThan(1e-9);
    const D = deltaInfinity(mgf02.final);
    for (let j = 0; j < p.d; j++) expect(Math.abs(Math.log(late.DeltaInf[j] / D[j]))).toBeLessThan(1e-9);
    // the sign convention matters: the opposite offset gives a different point
    const wrong = minPsiInterpolator(p, late.DeltaInf, { offset: late.theta.map((x) => -0.5 * x) });
    expect(distance(wrong.w, mgf02.final.w)).toBeGreaterThan(0.1);
  });
});

describe("summarizeMomentumRun", () => {
  it("reads Δ₀ from the t = 0 sample or from alpha/Delta0, and flags invalid runs", () => {
    expect(Array.from(sum02.Delta0).every((x) => Math.abs(x - Delta0) < 1e-17)).toBe(true);
    const viaAlpha = summarizeMomentumRun(p, mgf02, { alpha });
    expect(viaAlpha.errExact).toBe(sum02.errExact);
    const noZero = { ...mgf02, points: mgf02.points.slice(1) };
    expect(() => summarizeMomentumRun(p, noZero)).toThrow(/Delta0 or alpha/);
    const crossed = { ...mgf02, signChanges: [{ coordinate: 3, time: 1.5, which: "u-v" as const }] };
    const s = summarizeMomentumRun(p, crossed);
    expect(s.valid).toBe(false);
    expect(s.exact).toBeNull();
    expect(Number.isNaN(s.errExact)).toBe(true);
    expect(s.approx).not.toBeNull();
  });
});
