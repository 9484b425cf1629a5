import { describe, expect, it } from "vitest";
import { balancedness, dlnFromUV, dlnGradient, dlnWeights, initDLN, lossAndGradient } from "../lib/model/dln";
import { sparseRegression, trainLoss, type Problem } from "../lib/model/problems";
import { createRng, normalVector } from "../lib/core/random";

const p: Problem = sparseRegression({ n: 12, d: 20, k: 3, seed: 2, nTest: 0 });

describe("initDLN", () => {
  it("u₀ = √2α, v₀ = 0, so w₀ = 0 and Δ₀ = 2α²", () => {
    const s = initDLN(0.1, 4);
    expect(Array.from(s.u)).toEqual([0.1, 0.1, 0.1, 0.1].map((a) => Math.SQRT2 * a));
    expect(Array.from(s.v)).toEqual([0, 0, 0, 0]);
    expect(Array.from(dlnWeights(s.u, s.v))).toEqual([0, 0, 0, 0]);
    for (const x of balancedness(s.u, s.v)) expect(x).toBeCloseTo(0.02, 15);
  });
  it("accepts a per-coordinate α", () => {
    const s = initDLN(Float64Array.from([1, 2, 3]), 3);
    expect(Array.from(balancedness(s.u, s.v)).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([2, 8, 18]);
  });
  it("rejects α ≤ 0, non-finite or of the wrong length, naming alpha", () => {
    expect(() => initDLN(0, 3)).toThrow(/alpha must lie in \(0/);
    expect(() => initDLN(-1, 3)).toThrow(/alpha/);
    expect(() => initDLN(NaN, 3)).toThrow(/alpha must be a finite number/);
    expect(() => initDLN(Float64Array.from([1, 0, 1]), 3)).toThrow(/alpha\[1\] must be > 0/);
    expect(() => initDLN(Float64Array.from([1, 1]), 3)).toThrow(/alpha must have length 3/);
  });
});

describe("dlnFromUV", () => {
  it("copies and validates", () => {
    const u = Float64Array.from([1, 2]);
    const s = dlnFromUV(u, Float64Array.from([3, 4]));
    u[0] = 9;
    expect(s.u[0]).toBe(1);
    expect(() => dlnFromUV(u, Float64Array.from([1]))).toThrow(/v must have length 2/);
    expect(() => dlnFromUV(Float64Array.from([Infinity]), Float64Array.from([1]))).toThrow(/u\[0\] must be finite/);
  });
});

describe("weights and balancedness", () => {
  it("w = u⊙v and Δ = u² − v² elementwise", () => {
    const u = Float64Array.from([1, -2, 3]);
    const v = Float64Array.from([0.5, 2, -1]);
    expect(Array.from(dlnWeights(u, v))).toEqual([0.5, -4, -3]);
    expect(Array.from(balancedness(u, v))).toEqual([0.75, 0, 8]);
  });
});

describe("lossAndGradient and dlnGradient", () => {
  const rng = createRng(17);
  const u = normalVector(rng, p.d);
  const v = normalVector(rng, p.d);
  const F = (uu: Float64Array, vv: Float64Array): number => trainLoss(p, dlnWeights(uu, vv));

  it("the loss equals ‖Xw − y‖²/(2n) and g = Xᵀ(Xw − y)/n matches finite differences of L", () => {
    const w = dlnWeights(u, v);
    const g = new Float64Array(p.d);
    const res = new Float64Array(p.n);
    const loss = lossAndGradient(p, w, g, res);
    expect(loss).toBeCloseTo(trainLoss(p, w), 12);
    const eps = 1e-6;
    for (let j = 0; j < p.d; j++) {
      const wp = Float64Array.from(w);
      const wm = Float64Array.from(w);
      wp[j] += eps;
      wm[j] -= eps;
      const fd = (trainLoss(p, wp) - trainLoss(p, wm)) / (2 * eps);
      expect(Math.abs(fd - g[j])).toBeLessThan(1e-6 * (1 + Math.abs(g[j])));
    }
    // The residual buffer holds Xw − y.
    let ss = 0;
    for (const r of res) ss += r * r;
    expect(ss / (2 * p.n)).toBeCloseTo(loss, 12);
  });

  it("∇_u F = g⊙v and ∇_v F = g⊙u match central finite differences of F(u, v) = L(u⊙v)", () => {
    const { gu, gv, loss } = dlnGradient(p, { u, v });
    expect(loss).toBeCloseTo(F(u, v), 12);
    const eps = 1e-6;
    let worst = 0;
    for (let j = 0; j < p.d; j++) {
      for (const [which, grad] of [
        ["u", gu],
        ["v", gv],
      ] as const) {
        const a = Float64Array.from(which === "u" ? u : v);
        const b = Float64Array.from(a);
        a[j] += eps;
        b[j] -= eps;
        const fd = which === "u" ? (F(a, v) - F(b, v)) / (2 * eps) : (F(u, a) - F(u, b)) / (2 * eps);
        worst = Math.max(worst, Math.abs(fd - grad[j]) / (1 + Math.abs(grad[j])));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("at init (v = 0) ∇_u F = 0 and ∇_v F = −√2α Xᵀy/n", () => {
    const s = initDLN(0.1, p.d);
    const { gu, gv, g } = dlnGradient(p, s);
    expect(Array.from(gu).every((x) => x === 0)).toBe(true);
    for (let j = 0; j < p.d; j++) expect(gv[j]).toBeCloseTo(Math.SQRT2 * 0.1 * g[j], 15);
  });

  it("rejects states of the wrong size", () => {
    expect(() => dlnGradient(p, { u: new Float64Array(3), v: new Float64Array(3) })).toThrow(/u must have length 20/);
  });
});
