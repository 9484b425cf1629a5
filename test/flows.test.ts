import { describe, expect, it } from "vitest";
import { gradientFlow, linearMomentumFlow, momentumFlow, momentumFlowBatched, type FlowResult } from "../lib/dynamics/flows";
import { choleskyInPlace, choleskySolve, distance, matTVec, weightedGram } from "../lib/core/linalg";
import { sparseRegression, toyProblem } from "../lib/model/problems";
import { lossAndGradient } from "../lib/model/dln";
import { blockedGradients, gradientKernel } from "../lib/dynamics/flows/gradient";
import { useWasmKernels } from "../lib/core/wasm/module";

// The default setting: n = 40, d = 100, k = 5, seed 0, α = 0.1 (so Δ₀ = 2α² = 0.02).
const p = sparseRegression({ seed: 0 });
const d = p.d;
const alpha = 0.1;
const Delta0 = 2 * alpha * alpha;

const memo = new Map<string, FlowResult>();
/** MGF (or GF for λ = 0) at T = 200 with the integrals, cached across tests. */
function flow(lambda: number, rtol = 1e-10, atol = 1e-12): FlowResult {
  const key = `${lambda}/${rtol}/${atol}`;
  let r = memo.get(key);
  if (!r) {
    r = momentumFlow(p, { lambda, alpha, T: 200, rtol, atol, integrals: true });
    memo.set(key, r);
  }
  return r;
}

const delta = (u: Float64Array, v: Float64Array): Float64Array => u.map((x, j) => x * x - v[j] * v[j]);

describe("gradient flow (claim 5)", () => {
  it("conserves the balancedness Δ = u² − v² to 1e-10 at tight tolerance", () => {
    const r = flow(0, 1e-11, 1e-14);
    let worst = 0;
    for (const s of r.points) for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(s.u[j] ** 2 - s.v[j] ** 2 - Delta0));
    expect(worst).toBeLessThanOrEqual(1e-10);
    // …while the weights themselves moved a lot and the loss went down.
    expect(distance(r.final.w, r.points[0].w)).toBeGreaterThan(1);
    expect(r.final.loss).toBeLessThan(1e-5);
    expect(r.points[0].loss).toBeGreaterThan(1);
  });

  it("samples at the default 201 evenly spaced times, with GF velocities −g⊙v, −g⊙u", () => {
    const r = gradientFlow(p, { T: 10 });
    expect(r.lambda).toBe(0);
    expect(r.points.length).toBe(201);
    expect(r.points[0].t).toBe(0);
    expect(r.points[200].t).toBe(10);
    expect(r.points[100].t).toBeCloseTo(5, 14);
    expect(r.final.t).toBe(10);
    expect(r.final.w).toEqual(r.points[200].w);
    // Velocity check by a centred difference of the flow itself.
    const h = 1e-4;
    const q = gradientFlow(p, { T: 10, times: [3 - h, 3, 3 + h], rtol: 1e-12, atol: 1e-15 });
    for (let j = 0; j < d; j += 17) {
      expect(q.points[1].du[j]).toBeCloseTo((q.points[2].u[j] - q.points[0].u[j]) / (2 * h), 6);
      expect(q.points[1].dv[j]).toBeCloseTo((q.points[2].v[j] - q.points[0].v[j]) / (2 * h), 6);
    }
  });
});

describe("momentum gradient flow: balancedness (claims 6–8)", () => {
  for (const lambda of [0.05, 0.2]) {
    it(`λ = ${lambda}: Δ_t never increases and Δ∞ ≤ Δ₀, with no u ± v crossing (claim 6)`, () => {
      const r = flow(lambda);
      expect(r.signChanges).toEqual([]);
      let prev = delta(r.points[0].u, r.points[0].v);
      let maxIncrease = -Infinity;
      for (const s of r.points.slice(1)) {
        const D = delta(s.u, s.v);
        for (let j = 0; j < d; j++) maxIncrease = Math.max(maxIncrease, D[j] - prev[j]);
        prev = D;
      }
      expect(maxIncrease).toBeLessThanOrEqual(1e-12);
      const Dinf = delta(r.final.u, r.final.v);
      for (let j = 0; j < d; j++) {
        expect(Dinf[j]).toBeGreaterThan(0);
        expect(Dinf[j]).toBeLessThanOrEqual(Delta0);
      }
      // Not a tautology: momentum really shrinks Δ somewhere, more for larger λ.
      const minRatio = Math.min(...Dinf) / Delta0;
      expect(minRatio).toBeLessThan(lambda === 0.05 ? 0.9 : 0.5);
    });

    it(`λ = ${lambda}: exact identity ln Δ_t + λ(ln Δ)'_t = ln Δ₀ − λ∫(ȧ² + ḃ²) to 1e-9 (claim 7)`, () => {
      const r = flow(lambda);
      let worst = 0;
      let size = 0;
      for (const s of r.points) {
        const I = s.integrals!;
        for (let j = 0; j < d; j++) {
          const D = s.u[j] ** 2 - s.v[j] ** 2;
          const dlog = (2 * (s.u[j] * s.du[j] - s.v[j] * s.dv[j])) / D;
          worst = Math.max(worst, Math.abs(Math.log(D) + lambda * dlog - Math.log(Delta0) + lambda * I.sumSq[j]));
          size = Math.max(size, lambda * I.sumSq[j]);
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-9);
      expect(size).toBeGreaterThan(0.05); // the integral term is far from negligible
    });

    it(`λ = ${lambda}: mirror identity ½arcsinh(2w/Δ) + (λ/2)(ȧ − ḃ) + ∫g + (λ/2)∫(ȧ² − ḃ²) = 0 to 1e-9 (claim 8)`, () => {
      const r = flow(lambda);
      let worst = 0;
      let size = 0;
      for (const s of r.points) {
        const I = s.integrals!;
        for (let j = 0; j < d; j++) {
          const u = s.u[j], v = s.v[j], du = s.du[j], dv = s.dv[j];
          const D = u * u - v * v;
          const ad = (du + dv) / (u + v), bd = (du - dv) / (u - v);
          const lhs = 0.5 * Math.asinh((2 * s.w[j]) / D) + (lambda / 2) * (ad - bd) + I.g[j] + (lambda / 2) * I.diffSq[j];
          worst = Math.max(worst, Math.abs(lhs));
          size = Math.max(size, Math.abs(I.g[j]));
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-9);
      expect(size).toBeGreaterThan(0.5);
    });
  }
});

describe("the running integrals under GF", () => {
  it("∫g² matches the trapezoid rule on the samples and ∫(ȧ²±ḃ²) reduce to 2∫g², 0 under GF", () => {
    const r = flow(0);
    const last = r.final.integrals!;
    // Trapezoid over 201 samples of g² is only O(Δt²) accurate: a loose but falsifiable check.
    const g2 = new Float64Array(d);
    const g = new Float64Array(d);
    let prev: Float64Array | null = null;
    let tPrev = 0;
    for (const s of r.points) {
      // g = −du / v is ill-defined where v = 0; use g = −dv/u (u > 0 along GF from this init).
      for (let j = 0; j < d; j++) g[j] = -s.dv[j] / s.u[j];
      const sq = g.map((x) => x * x);
      if (prev) for (let j = 0; j < d; j++) g2[j] += ((s.t - tPrev) * (sq[j] + prev[j])) / 2;
      prev = sq;
      tPrev = s.t;
    }
    let rel = 0;
    for (let j = 0; j < d; j++) rel = Math.max(rel, Math.abs(g2[j] - last.g2[j]) / Math.max(1e-3, last.g2[j]));
    expect(rel).toBeLessThan(0.05);
    for (let j = 0; j < d; j++) {
      expect(last.sumSq[j]).toBeCloseTo(2 * last.g2[j], 12);
      expect(last.diffSq[j]).toBe(0);
    }
  });
});

describe("validity region: sign changes of u ± v (claim 16)", () => {
  const counts = new Map<number, number>();
  for (const lambda of [0.05, 0.1, 0.2, 0.3, 0.5, 2, 8]) {
    it(`λ = ${lambda}`, () => {
      const r = momentumFlow(p, { lambda, alpha, T: 200 });
      const coords = new Set(r.signChanges.map((s) => s.coordinate));
      counts.set(lambda, coords.size);
      if (lambda <= 0.2) expect(r.signChanges).toEqual([]);
      else {
        // In this draw the first crossing appears at λ = 0.3, in u − v.
        expect(r.signChanges.length).toBeGreaterThan(0);
        expect(r.signChanges.some((s) => s.which === "u-v")).toBe(true);
        for (let i = 1; i < r.signChanges.length; i++) expect(r.signChanges[i].time).toBeGreaterThanOrEqual(r.signChanges[i - 1].time);
      }
      if (lambda >= 0.3) {
        // Δ∞ then turns negative somewhere.
        const Dinf = delta(r.final.u, r.final.v);
        expect(Math.min(...Dinf)).toBeLessThan(0);
      }
    });
  }
  it("more coordinates cross as λ grows", () => {
    const seq = [0.2, 0.3, 0.5, 2, 8].map((l) => counts.get(l) ?? NaN);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[seq.length - 1]).toBeGreaterThan(20);
  });
  it("the reported time brackets the actual crossing", () => {
    const first = momentumFlow(p, { lambda: 0.5, alpha, T: 200 }).signChanges[0];
    const eps = 1e-6;
    const r = momentumFlow(p, { lambda: 0.5, alpha, T: first.time + 1, times: [first.time - eps, first.time + eps], rtol: 1e-10 });
    const j = first.coordinate;
    const val = (k: number) => (first.which === "u+v" ? r.points[k].u[j] + r.points[k].v[j] : r.points[k].u[j] - r.points[k].v[j]);
    expect(val(0)).toBeGreaterThan(0);
    expect(val(1)).toBeLessThan(0);
  });
});

describe("GF as the λ → 0 limit", () => {
  it("MGF_λ stays within O(λ) of GF along the whole path (T = 50)", () => {
    const T = 50;
    const gf = gradientFlow(p, { alpha, T, rtol: 1e-10 });
    const sup = (lambda: number) => {
      const r = momentumFlow(p, { lambda, alpha, T, rtol: 1e-10 });
      let m = 0;
      r.points.forEach((s, k) => (m = Math.max(m, distance(s.w, gf.points[k].w))));
      return m;
    };
    const e1 = sup(0.01);
    const e2 = sup(0.02);
    expect(e1).toBeLessThan(0.03); // measured ≈ 1.96·λ
    expect(e2 / e1).toBeGreaterThan(1.8);
    expect(e2 / e1).toBeLessThan(2.2);
  });

  it("momentumFlow with λ = 0 is gradientFlow", () => {
    const a = momentumFlow(p, { lambda: 0, T: 20 });
    const b = gradientFlow(p, { T: 20 });
    expect(a.final.w).toEqual(b.final.w);
    expect(a.stats.fevals).toBe(b.stats.fevals);
  });

  it("2-D toy: GF ends near (0.965, 0.069) and λ = 8 much closer to the min-ℓ2 point (0.8, 0.4)", () => {
    const toy = toyProblem();
    const gf = gradientFlow(toy, { T: 400 });
    const m8 = momentumFlow(toy, { lambda: 8, T: 400 });
    expect(gf.final.w[0]).toBeCloseTo(0.965, 2);
    expect(gf.final.w[1]).toBeCloseTo(0.069, 2);
    expect(m8.final.w[1]).toBeGreaterThan(0.25);
    expect(m8.final.loss).toBeLessThan(1e-8);
  });
});

describe("plain linear regression flow", () => {
  // Minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y.
  const G = weightedGram(p.X, p.n, d);
  if (!choleskyInPlace(G, p.n)) throw new Error("XXᵀ is not SPD");
  const wMin = matTVec(p.X, p.n, d, choleskySolve(G, p.n, p.y));
  for (const lambda of [0, 0.2, 2, 8]) {
    it(`converges to the min-ℓ2 interpolator for λ = ${lambda}`, () => {
      const r = linearMomentumFlow(p, { lambda, T: 600, rtol: 1e-10 });
      expect(distance(r.final.w, wMin)).toBeLessThan(1e-8);
      expect(r.final.loss).toBeLessThan(1e-18);
      expect(r.points.length).toBe(201);
      expect(r.points[0].loss).toBeGreaterThan(1);
    });
  }
  it("starting elsewhere converges to the interpolator closest to w₀ (not the min-norm one)", () => {
    const w0 = new Float64Array(d).fill(0.3);
    const r = linearMomentumFlow(p, { lambda: 0.5, w0, T: 400, rtol: 1e-10 });
    expect(distance(r.final.w, wMin)).toBeGreaterThan(0.1);
    expect(r.final.loss).toBeLessThan(1e-16);
  });
});

describe("stopLoss, times and validation", () => {
  for (const method of ["exp-adams", "dopri5"] as const) {
    it(`stopLoss stops at the end of the first step with loss below it (${method})`, () => {
      const r = momentumFlow(p, { lambda: 0.2, T: 200, stopLoss: 1e-3, method });
      const full = momentumFlow(p, { lambda: 0.2, T: 200, method });
      expect(r.final.loss).toBeLessThan(1e-3);
      expect(r.final.t).toBeLessThan(200);
      expect(r.points.length).toBeLessThan(201);
      // The stop only truncates the run: the samples are the full run's, up to the stop.
      r.points.forEach((s, k) => {
        expect(s.t).toBeLessThanOrEqual(r.final.t);
        expect(s.w).toEqual(full.points[k].w);
      });
      // …and it comes right after the crossing: the full run's next sample is already past it or below the threshold,
      // and only samples inside the last solver step (after the crossing) may be below it.
      const firstBelow = full.points.findIndex((s) => s.loss < 1e-3);
      expect(r.points.length).toBeGreaterThanOrEqual(firstBelow);
      expect(r.points.length - firstBelow).toBeLessThanOrEqual(2);
    });
  }

  it("sample times need not include 0 or T", () => {
    const r = momentumFlow(p, { lambda: 0.1, T: 30, times: [5, 10, 10, 20] });
    expect(r.points.map((s) => s.t)).toEqual([5, 10, 10, 20]);
    expect(r.final.t).toBe(30);
    const full = momentumFlow(p, { lambda: 0.1, T: 30, times: [0, 5, 10, 20, 30] });
    expect(distance(r.points[1].w, full.points[2].w)).toBeLessThan(1e-9);
  });

  it("a per-coordinate α and an explicit init are honoured", () => {
    const a = new Float64Array(d).fill(0.1);
    const r1 = momentumFlow(p, { lambda: 0.1, T: 5, alpha: a, times: [0, 5] });
    const u = new Float64Array(d).fill(Math.SQRT2 * 0.1);
    const r2 = momentumFlow(p, { lambda: 0.1, T: 5, init: { u, v: new Float64Array(d) }, times: [0, 5] });
    expect(r1.final.w).toEqual(r2.final.w);
    expect(r1.points[0].u[0]).toBeCloseTo(Math.SQRT2 * 0.1, 15);
  });

  it("rejects bad inputs with messages naming the argument", () => {
    expect(() => momentumFlow(p, { lambda: -0.1, T: 1 })).toThrow(/lambda must lie in \[0/);
    expect(() => momentumFlow(p, { lambda: NaN, T: 1 })).toThrow(/lambda must be a finite number/);
    expect(() => momentumFlow(p, { T: 0 })).toThrow(/T must lie in \(0/);
    expect(() => momentumFlow(p, { T: 10, times: [1, 3, 2] })).toThrow(/times must be sorted/);
    expect(() => momentumFlow(p, { T: 10, times: [1, 11] })).toThrow(/times\[1\] must lie in \[0, 10\]/);
    expect(() => momentumFlow(p, { T: 10, times: [] })).toThrow(/times must be a non-empty array/);
    expect(() => momentumFlow(p, { T: 10, alpha: 0 })).toThrow(/alpha must lie in \(0/);
    expect(() => momentumFlow(p, { T: 10, alpha: new Float64Array(3).fill(1) })).toThrow(/alpha must have length 100/);
    expect(() => momentumFlow(p, { T: 10, init: { u: new Float64Array(100), v: new Float64Array(99) } })).toThrow(/init.v must have length 100/);
    expect(() => momentumFlow(p, { T: 10, rtol: 2 })).toThrow(/rtol/);
    expect(() => momentumFlow(p, { T: 10, atol: 0 })).toThrow(/atol/);
    expect(() => momentumFlow(p, { T: 10, stopLoss: -1 })).toThrow(/stopLoss/);
    expect(() => gradientFlow(p, { T: 10, lambda: 0.5 } as never)).toThrow(/use momentumFlow/);
    expect(() => linearMomentumFlow(p, { lambda: -1, T: 1 })).toThrow(/lambda/);
    expect(() => linearMomentumFlow(p, { T: 1, w0: new Float64Array(5) })).toThrow(/w0 must have length 100/);
    expect(() => momentumFlow(p, undefined as never)).toThrow(TypeError);
  });
});

describe("the exponential Adams method against dopri5 over λ = 1e-4 … 10 (claims unchanged by the solver)", () => {
  // A smaller draw keeps dopri5's reference affordable at λ = 1e-4 (its steps are ≈ 3λ).
  const q = sparseRegression({ seed: 1, n: 20, d: 40 });
  const cases: [number, number][] = [[1e-4, 1], [1e-3, 3], [1e-2, 10], [0.1, 30], [1, 30], [10, 30]];
  for (const [lambda, T] of cases) {
    it(`λ = ${lambda} (T = ${T}): positions, velocities, integrals and sign changes agree with dopri5 at rtol 1e-12`, () => {
      const times = [0.05, 0.25, 0.5, 1].map((f) => f * T);
      const integrals = lambda <= 0.2;
      const ref = momentumFlow(q, { lambda, T, times, rtol: 1e-12, atol: 1e-15, integrals, method: "dopri5" });
      const r = momentumFlow(q, { lambda, T, times, rtol: 1e-10, integrals });
      expect(r.stats.method).toBe("exp-adams");
      expect(ref.stats.method).toBe("dopri5");
      let ex = 0, ev = 0, eI = 0;
      r.points.forEach((s, k) => {
        const o = ref.points[k];
        expect(s.t).toBe(o.t);
        for (let j = 0; j < q.d; j++) {
          ex = Math.max(ex, Math.abs(s.u[j] - o.u[j]), Math.abs(s.v[j] - o.v[j]), Math.abs(s.w[j] - o.w[j]));
          ev = Math.max(ev, Math.abs(s.du[j] - o.du[j]), Math.abs(s.dv[j] - o.dv[j]));
          if (integrals) {
            const a = s.integrals!, b = o.integrals!;
            eI = Math.max(eI, Math.abs(a.g[j] - b.g[j]), Math.abs(a.g2[j] - b.g2[j]), lambda * Math.abs(a.sumSq[j] - b.sumSq[j]), lambda * Math.abs(a.diffSq[j] - b.diffSq[j]));
          }
        }
      });
      expect(ex).toBeLessThan(1e-8);
      expect(ev).toBeLessThan(1e-8);
      expect(eI).toBeLessThan(1e-8);
      expect(r.signChanges.map((c) => `${c.coordinate}${c.which}`)).toEqual(ref.signChanges.map((c) => `${c.coordinate}${c.which}`));
      r.signChanges.forEach((c, k) => expect(Math.abs(c.time - ref.signChanges[k].time)).toBeLessThan(1e-6));
      // The point of the method: its steps do not follow λ down.
      if (lambda <= 1e-2) expect(r.stats.steps).toBeLessThan(ref.stats.steps / 10);
    });
  }
});

describe("options: unknown keys, maxSteps, method", () => {
  const allowed = /allowed: lambda, alpha, init, T, times, rtol, atol, maxSteps, method, integrals, stopLoss$/;
  it("a misspelt option is an error naming it and the allowed ones (it used to run gradient flow silently)", () => {
    expect(() => momentumFlow(p, { lamda: 0.5, T: 1 } as never)).toThrow(/^momentumFlow: unknown option "lamda"; allowed: /);
    expect(() => momentumFlow(p, { lamda: 0.5, T: 1 } as never)).toThrow(allowed);
    expect(() => gradientFlow(p, { T: 1, rtoll: 1e-9 } as never)).toThrow(/^gradientFlow: unknown option "rtoll"/);
    expect(() => linearMomentumFlow(p, { T: 1, alpha: 0.1 } as never)).toThrow(/^linearMomentumFlow: unknown option "alpha"; allowed: lambda, w0, T, times, rtol, atol, maxSteps, method$/);
    expect(() => momentumFlowBatched(p, [{ lamda: 1 } as never], { T: 1 })).toThrow(/runs\[0\]: unknown option "lamda"; allowed: lambda, alpha, init$/);
    expect(() => momentumFlowBatched(p, [{ lambda: 1 }], { T: 1, lambda: 2 } as never)).toThrow(/^momentumFlowBatched: unknown option "lambda"/);
  });

  it("maxSteps is a flow option and the message names it", () => {
    expect(() => momentumFlow(p, { lambda: 0.1, T: 200, maxSteps: 20 })).toThrow(/^momentumFlow\(λ = 0\.1\): expAdams: maxSteps = 20 exceeded at t = [\d.e-]+ .*raise maxSteps/);
    expect(() => gradientFlow(p, { T: 200, maxSteps: 20 })).toThrow(/^gradientFlow\(λ = 0\): dopri5: maxSteps = 20 exceeded at t = /);
    expect(() => momentumFlow(p, { T: 1, maxSteps: 0 })).toThrow(/maxSteps must lie in \[1/);
    expect(momentumFlow(p, { lambda: 0.1, T: 5, maxSteps: 5000 }).final.t).toBe(5);
  });

  it("method picks the solver: auto = exponential Adams for λ > 0 and dopri5 for GF", () => {
    expect(momentumFlow(p, { lambda: 0.1, T: 1 }).stats.method).toBe("exp-adams");
    expect(momentumFlow(p, { lambda: 0.1, T: 1, method: "dopri5" }).stats.method).toBe("dopri5");
    expect(gradientFlow(p, { T: 1 }).stats.method).toBe("dopri5");
    expect(linearMomentumFlow(p, { lambda: 2, T: 1 }).stats.method).toBe("exp-adams");
    expect(() => gradientFlow(p, { T: 1, method: "exp-adams" })).toThrow(/method "exp-adams" needs lambda > 0/);
    expect(() => momentumFlow(p, { lambda: 1, T: 1, method: "rk45" as never })).toThrow(/method must be one of "auto", "dopri5", "exp-adams", got "rk45"/);
  });
});

describe("a flow that overflows stops at once, naming the time and the cause", () => {
  for (const method of ["exp-adams", "dopri5"] as const) {
    it(method, () => {
      // α = 1e150: u·v overflows within the first steps.
      expect(() => momentumFlow(p, { lambda: 0.5, alpha: 1e150, T: 10, method })).toThrow(/^momentumFlow\(λ = 0\.5\): (expAdams|dopri5): .*(t = 0\b|near t = [\d.e-]+).*(Infinity|NaN|overflow|too large)/);
    });
  }
});

describe("the default absolute tolerance follows the scale of the solution", () => {
  // A solution of scale 1e-120 under a fixed atol of 1e-12 was integrated with errors far larger than itself:
  // the loss of gradient flow grew (found by the fuzz suite). v carries w = u·v at the scale |w|/|u|.
  const tiny = { ...p, X: p.X.map((x) => 100 * x), y: p.y.map((x) => 1e-120 * x) };
  for (const lambda of [0, 0.5]) {
    it(`λ = ${lambda}: the loss falls and w approaches the data's scale`, () => {
      const f = momentumFlow(tiny, { lambda, alpha, T: 5, times: [0, 5] });
      expect(f.final.loss).toBeLessThan(f.points[0].loss);
      expect(Math.max(...f.final.w.map(Math.abs))).toBeLessThan(1e-115);
    });
  }
  it("on ordinary data it is the documented 1e-12 (the same numbers as before)", () => {
    const a = momentumFlow(p, { lambda: 0.1, alpha, T: 20 });
    const b = momentumFlow(p, { lambda: 0.1, alpha, T: 20, atol: 1e-12 });
    expect(Array.from(a.final.w)).toEqual(Array.from(b.final.w));
  });
});

describe("batched flows (runs sharing X)", () => {
  it("each run is bit for bit the single flow, whatever the batch", () => {
    const runs = [{ lambda: 0.01 }, { lambda: 0.2, alpha: 0.05 }, { lambda: 2 }, { lambda: 0 }, { lambda: 0.5, alpha: new Float64Array(d).fill(0.2) }];
    const opts = { T: 60, times: [0, 1, 10, 30, 60], integrals: true, rtol: 1e-9 };
    const batch = momentumFlowBatched(p, runs, opts);
    runs.forEach((run, k) => {
      const one = momentumFlow(p, { ...opts, ...run });
      const b = batch[k];
      expect(b.lambda).toBe(one.lambda);
      expect(b.points).toEqual(one.points);
      expect(b.final).toEqual(one.final);
      expect(b.signChanges).toEqual(one.signChanges);
      expect({ ...b.stats, wallMs: 0 }).toEqual({ ...one.stats, wallMs: 0 });
    });
    expect(batch[2].signChanges.length).toBeGreaterThan(0); // λ = 2 crosses: the watch runs inside batches too
  });

  it("stopLoss and per-run errors", () => {
    const [a, b] = momentumFlowBatched(p, [{ lambda: 0.1 }, { lambda: 1 }], { T: 200, stopLoss: 1e-3 });
    expect(a.final.loss).toBeLessThan(1e-3);
    expect(b.final.t).toBeLessThan(200);
    expect(a.final).toEqual(momentumFlow(p, { lambda: 0.1, T: 200, stopLoss: 1e-3 }).final);
    expect(() => momentumFlowBatched(p, [{ lambda: 0.1 }, { lambda: 0.5, alpha: 1e150 }], { T: 10 })).toThrow(/momentumFlowBatched\(λ = 0\.5\), run 1: expAdams: /);
    expect(() => momentumFlowBatched(p, [], { T: 1 })).toThrow(/runs must be a non-empty array/);
    expect(() => momentumFlowBatched(p, [{ lambda: -1 }], { T: 1 })).toThrow(/lambda must lie in \[0/);
  });
});

describe("the blocked gradient of the exponential-method flows", () => {
  it("is lossAndGradient's g to rounding, and the same bits alone or in a batch (n not a multiple of 8)", () => {
    const q = sparseRegression({ seed: 4, n: 43, d: 37 });
    const ws = [0.3, -0.7, 1.1].map((c) => Float64Array.from({ length: q.d }, (_, j) => c * Math.sin(j + c)));
    const batch = ws.map(() => new Float64Array(q.d));
    blockedGradients(q, ws, batch);
    ws.forEach((w, k) => {
      const ref = new Float64Array(q.d);
      lossAndGradient(q, w, ref);
      const alone = [new Float64Array(q.d)];
      blockedGradients(q, [w], alone);
      expect(alone[0]).toEqual(batch[k]);
      let rel = 0;
      for (let j = 0; j < q.d; j++) rel = Math.max(rel, Math.abs(alone[0][j] - ref[j]) / Math.max(...ref.map(Math.abs)));
      expect(rel).toBeLessThan(1e-14);
    });
  });

  it("its WebAssembly kernel gives the same bits, alone and for a batch; with the kernels off it is the TS one", () => {
    const q = sparseRegression({ seed: 5, n: 43, d: 37 });
    const ws = [0.4, -0.9].map((c) => Float64Array.from({ length: q.d }, (_, j) => c * Math.cos(j * c)));
    const ref = ws.map(() => new Float64Array(q.d));
    blockedGradients(q, ws, ref);
    for (const on of [true, false]) {
      const before = useWasmKernels(on);
      try {
        const got = ws.map(() => new Float64Array(q.d));
        gradientKernel(q)(ws, got);
        expect(got).toEqual(ref);
        const alone = [new Float64Array(q.d)];
        gradientKernel(q)([ws[1]], alone);
        expect(alone[0]).toEqual(ref[1]);
      } finally {
        useWasmKernels(before);
      }
    }
  });
});
