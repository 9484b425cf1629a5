import { describe, expect, it } from "vitest";
import { lossAndGradient } from "../lib/model/dln";
import { choleskyInPlace, choleskySolve, distance, largestEigenvalueXtX, matTVec, weightedGram } from "../lib/core/linalg";
import { heavyBallStability, paramsForLambda } from "../lib/model/momentum";
import {
  createMomentumStepper,
  curvatureEstimate,
  DivergenceError,
  IterationLimitError,
  runMomentum,
  type MomentumOptions,
} from "../lib/dynamics/optimizers";
import { makeProblem, sparseRegression, trainLoss, type Problem } from "../lib/model/problems";
import { useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";

const p: Problem = sparseRegression({ seed: 0, nTest: 0 }); // the default n = 40, d = 100, k = 5 instance

function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/** Iterations to reach loss < ε. */
function K(gamma: number, beta: number, eps = 1e-6): { K: number; h: number } {
  const r = runMomentum(p, { gamma, beta, stop: { loss: eps } });
  expect(r.stopReason).toBe("loss");
  return { K: r.iterations, h: r.h };
}

describe("the update rule", () => {
  it("one MGD step on the DLN matches the formula u₁ = u₀ − γ g₀⊙v₀ (w₋₁ = w₀), and the second adds β(u₁ − u₀)", () => {
    const gamma = 0.05;
    const beta = 0.7;
    const s = createMomentumStepper(p, { gamma, beta, alpha: 0.3 });
    const s0 = s.state();
    const g = new Float64Array(p.d);
    lossAndGradient(p, s0.w, g);
    s.step(1);
    const s1 = s.state();
    for (let j = 0; j < p.d; j++) {
      expect(s1.u![j]).toBeCloseTo(s0.u![j] - gamma * g[j] * s0.v![j], 14);
      expect(s1.v![j]).toBeCloseTo(s0.v![j] - gamma * g[j] * s0.u![j], 14);
    }
    lossAndGradient(p, s1.w, g);
    s.step(1);
    const s2 = s.state();
    for (let j = 0; j < p.d; j++) {
      expect(s2.u![j]).toBeCloseTo(s1.u![j] - gamma * g[j] * s1.v![j] + beta * (s1.u![j] - s0.u![j]), 13);
      expect(s2.v![j]).toBeCloseTo(s1.v![j] - gamma * g[j] * s1.u![j] + beta * (s1.v![j] - s0.v![j]), 13);
      expect(s2.w[j]).toBe(s2.u![j] * s2.v![j]);
    }
    expect(same(s2.uPrev!, s1.u!)).toBe(true);
  });

  it("the same options give bit-identical runs", () => {
    const o: MomentumOptions = { gamma: 0.01, beta: 0.9, alpha: 0.2, stop: { iterations: 3000 } };
    const a = runMomentum(p, o);
    const b = runMomentum(p, o);
    expect(same(a.w, b.w)).toBe(true);
    expect(same(a.u!, b.u!)).toBe(true);
    expect(a.loss).toBe(b.loss);
  });
});

describe("the WebAssembly kernels equal the TypeScript reference bit for bit", () => {
  /** The same run on both backends. */
  function both(q: Problem, o: MomentumOptions): [ReturnType<typeof runMomentum>, ReturnType<typeof runMomentum>] {
    const before = useWasmKernels(false);
    try {
      const ts = runMomentum(q, o);
      useWasmKernels(true);
      expect(wasmKernelsEnabled()).toBe(true); // otherwise this test compares the reference with itself
      return [ts, runMomentum(q, o)];
    } finally {
      useWasmKernels(before);
    }
  }
  // n = 43 and d = 101 (odd, not multiples of 8) take every remainder path of the kernels
  const odd = sparseRegression({ n: 43, d: 101, k: 5, seed: 3, nTest: 0 });
  const cases: Array<[string, Problem, MomentumOptions]> = [
    ["MGD on the DLN, 40 × 100", p, { gamma: 0.01, beta: 0.9, alpha: 0.2, stop: { iterations: 2000 }, snapshots: { every: 250 }, record: ["w", "u", "v"] }],
    ["MGD on the DLN, 43 × 101", odd, { gamma: 0.005, beta: 0.8, stop: { time: 5 }, snapshots: { every: 100 } }],
    ["GD on the linear model, 43 × 101", odd, { model: "linear", gamma: 0.05, stop: { iterations: 500 } }],
    ["MGD on the linear model, 40 × 100", p, { model: "linear", gamma: 0.02, beta: 0.5, stop: { iterations: 500 } }],
    ["SMGD on the DLN, batches of 7", odd, { gamma: 0.005, beta: 0.5, batchSize: 7, seed: 4, stop: { iterations: 800 } }],
    ["SGD with a loss stop, batches of 9", p, { gamma: 0.01, batchSize: 9, seed: 1, stop: { loss: 1e-3, iterations: 20000 } }],
  ];
  for (const [name, q, o] of cases) {
    it(name, () => {
      const [ts, wasm] = both(q, o);
      expect(wasm.iterations).toBe(ts.iterations);
      expect(wasm.loss).toBe(ts.loss);
      expect(same(wasm.w, ts.w)).toBe(true);
      if (ts.u) expect(same(wasm.u!, ts.u) && same(wasm.v!, ts.v!)).toBe(true);
      expect(wasm.points.map((s) => s.loss)).toEqual(ts.points.map((s) => s.loss));
      wasm.points.forEach((s, i) => expect(same(s.w, ts.points[i].w)).toBe(true));
    });
  }

  it("a blow-up is reported at the same iteration by both", () => {
    const errors: unknown[] = [];
    for (const on of [false, true]) {
      const before = useWasmKernels(on);
      try {
        runMomentum(odd, { gamma: 3, beta: 0.9, alpha: 1, stop: { iterations: 500 } });
      } catch (e) {
        errors.push(e);
      } finally {
        useWasmKernels(before);
      }
    }
    expect(errors[0]).toBeInstanceOf(DivergenceError);
    expect((errors[1] as Error).message).toBe((errors[0] as Error).message);
  });
});

describe("GD on the DLN and the balancedness Δ = u² − v²", () => {
  it("exact discrete fact Δ_{k+1} = (1 − γ²g_k²)⊙Δ_k for β = 0, to 1e-12 relative", () => {
    const gamma = 0.2;
    const s = createMomentumStepper(p, { gamma });
    const g = new Float64Array(p.d);
    let worst = 0;
    let prev = s.state();
    const delta0 = prev.delta!;
    for (let k = 0; k < 400; k++) {
      lossAndGradient(p, prev.w, g);
      s.step(1);
      const next = s.state();
      for (let j = 0; j < p.d; j++) {
        const predicted = (1 - gamma * gamma * g[j] * g[j]) * prev.delta![j];
        worst = Math.max(worst, Math.abs(next.delta![j] - predicted) / Math.abs(prev.delta![j]));
      }
      prev = next;
    }
    expect(worst).toBeLessThan(1e-12);
    // Not vacuous: Δ did move.
    let moved = 0;
    for (let j = 0; j < p.d; j++) moved = Math.max(moved, Math.abs(prev.delta![j] / delta0[j] - 1));
    expect(moved).toBeGreaterThan(0.05);
  });

  it("at small γ GD nearly conserves Δ, with a deviation O(γ) (halving γ halves it)", () => {
    const dev = (gamma: number): number => {
      const r = runMomentum(p, { gamma, stop: { time: 100 }, record: ["delta"] });
      const d0 = r.points[0].delta!;
      let m = 0;
      for (let j = 0; j < p.d; j++) m = Math.max(m, Math.abs(r.delta![j] / d0[j] - 1));
      return m;
    };
    const a = dev(0.01);
    const b = dev(0.005);
    expect(a).toBeLessThan(0.1);
    expect(a / b).toBeGreaterThan(1.8);
    expect(a / b).toBeLessThan(2.2);
  });
});

describe("time rescaling and the acceleration rule (derived claims S7.3, S7.4)", () => {
  it("claim 3: K(loss < 1e-6)·h is constant within 3% across β ∈ {0, 0.5, 0.8, 0.9, 0.95} at λ = 0.2", () => {
    const Kh = [0, 0.5, 0.8, 0.9, 0.95].map((beta) => {
      const { gamma } = paramsForLambda({ lambda: 0.2, beta });
      const { K: k, h } = K(gamma, beta);
      return k * h;
    });
    expect(Math.max(...Kh) / Math.min(...Kh)).toBeLessThan(1.03);
  });

  it("claims 3 and 4 at fixed γ = 0.005: K·h constant within 3% for β ∈ [0, 0.9], and K_GD/K_MGD ∈ [0.9, 1.1]/(1−β)", () => {
    const gd = K(0.005, 0);
    const Kh = [gd.K * gd.h];
    for (const beta of [0.5, 0.8, 0.9]) {
      const m = K(0.005, beta);
      Kh.push(m.K * m.h);
      const speedup = (gd.K / m.K) * (1 - beta);
      expect(speedup).toBeGreaterThan(0.9);
      expect(speedup).toBeLessThan(1.1);
    }
    expect(Math.max(...Kh) / Math.min(...Kh)).toBeLessThan(1.03);
  });

  it("a loss stop returns the first k with L(w_k) < ε", () => {
    const r = runMomentum(p, { gamma: 0.05, beta: 0.5, stop: { loss: 1e-4 } });
    expect(r.loss).toBeLessThan(1e-4);
    const s = createMomentumStepper(p, { gamma: 0.05, beta: 0.5 });
    s.step(r.iterations - 1);
    expect(s.loss()).toBeGreaterThanOrEqual(1e-4);
    expect(s.step(10, 1e-4)).toBe(1); // one more step reaches it, then the stepper stops
    expect(s.k).toBe(r.iterations);
  });
});

describe("plain linear regression (claim 18)", () => {
  it("MGD from 0 converges to the min-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y to ≤ 1e-8 for every λ", () => {
    const G = weightedGram(p.X, p.n, p.d);
    expect(choleskyInPlace(G, p.n)).toBe(true);
    const wMin = matTVec(p.X, p.n, p.d, choleskySolve(G, p.n, p.y));
    for (const [gamma, beta] of [
      [0.01, 0],
      [0.01, 0.9],
      [0.002, 0.98],
    ]) {
      const r = runMomentum(p, { model: "linear", gamma, beta, stop: { loss: 1e-25 }, maxIterations: 200_000 });
      expect(r.stopReason).toBe("loss");
      expect(distance(r.w, wMin)).toBeLessThan(1e-8);
      expect(r.u).toBeUndefined();
    }
  });
  it("the stability bound 2(1+β)/λmax(XᵀX/n) is exact for the linear model", () => {
    const L = largestEigenvalueXtX(p.X, p.n, p.d);
    const beta = 0.5;
    const bound = heavyBallStability(beta, L);
    expect(() => runMomentum(p, { model: "linear", gamma: 0.97 * bound, beta, stop: { iterations: 3000 } })).not.toThrow();
    let err: unknown;
    try {
      runMomentum(p, { model: "linear", gamma: 1.03 * bound, beta, stop: { iterations: 20000 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).bound).toBeCloseTo(bound, 8);
    expect(curvatureEstimate(p, { model: "linear" }).L).toBe(L);
  });
});

describe("stochastic steps (SGD / SMGD)", () => {
  it("a batch is a set of distinct samples and the gradient is their mean", () => {
    // X = I (6×6), y = (1, …, 6): from w = 0, one SGD step gives w₁ = (γ/b) Σ_{i∈B} y_i e_i.
    const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1 : 0)));
    const q = makeProblem({ X: rows, y: [1, 2, 3, 4, 5, 6] });
    for (let seed = 0; seed < 20; seed++) {
      const s = createMomentumStepper(q, { model: "linear", gamma: 0.3, batchSize: 4, seed });
      s.step(1);
      const w = s.state().w;
      const nz = Array.from(w).map((x, i) => [x, i]).filter(([x]) => x !== 0);
      expect(nz.length).toBe(4);
      for (const [x, i] of nz) expect(x).toBeCloseTo((0.3 / 4) * (i + 1), 15);
    }
  });
  it("same seed, same bits; another seed, another run; batchSize = n is exactly GD", () => {
    const o = { gamma: 0.002, beta: 0.9, batchSize: 5, stop: { iterations: 2000 } };
    const a = runMomentum(p, { ...o, seed: 1 });
    const b = runMomentum(p, { ...o, seed: 1 });
    const c = runMomentum(p, { ...o, seed: 2 });
    expect(same(a.w, b.w)).toBe(true);
    expect(same(a.w, c.w)).toBe(false);
    expect(a.loss).toBeLessThan(a.points[0].loss); // it does optimise
    const full = runMomentum(p, { gamma: 0.01, beta: 0.5, batchSize: p.n, seed: 3, stop: { iterations: 500 } });
    const gd = runMomentum(p, { gamma: 0.01, beta: 0.5, stop: { iterations: 500 } });
    expect(same(full.w, gd.w)).toBe(true);
  });
  it("a loss stop uses the full-batch loss", () => {
    const r = runMomentum(p, { gamma: 0.01, beta: 0, batchSize: 10, seed: 4, stop: { loss: 1e-3 } });
    expect(r.stopReason).toBe("loss");
    expect(trainLoss(p, r.w)).toBeLessThan(1e-3);
  });
});

describe("snapshots and stop rules", () => {
  const base = { gamma: 0.01, beta: 0.5 }; // h = 0.02
  it("every: k = 0, m, 2m, … plus the final iterate; t = k·h", () => {
    const r = runMomentum(p, { ...base, stop: { iterations: 1000 }, snapshots: { every: 300 } });
    expect(r.points.map((s) => s.k)).toEqual([0, 300, 600, 900, 1000]);
    for (const s of r.points) expect(s.t).toBe(s.k * r.h);
    expect(r.stopReason).toBe("iterations");
    expect(r.iterations).toBe(1000);
  });
  it("logSpaced: count values log-spaced in [1, K]", () => {
    const r = runMomentum(p, { ...base, stop: { iterations: 10000 }, snapshots: { logSpaced: 5 } });
    expect(r.points.map((s) => s.k)).toEqual([0, 1, 10, 100, 1000, 10000]);
  });
  it("perDecade: log-spaced without a horizon (loss stop)", () => {
    const r = runMomentum(p, { ...base, stop: { loss: 1e-6 }, snapshots: { perDecade: 2 } });
    const ks = r.points.map((s) => s.k);
    expect(ks.slice(0, 7)).toEqual([0, 1, 3, 10, 32, 100, 316]);
    expect(ks[ks.length - 1]).toBe(r.iterations);
  });
  it("times: the first iterate with k·h ≥ t; a time stop ends at ⌈T/h⌉", () => {
    const r = runMomentum(p, { ...base, stop: { time: 3 }, snapshots: { times: [2.5, 0.5, 1, 1.01] } });
    expect(r.points.map((s) => s.k)).toEqual([0, 25, 50, 51, 125, 150]);
    expect(r.stopReason).toBe("time");
    expect(r.time).toBeCloseTo(3, 12);
  });
  it("iterations: explicit k (sorted, deduplicated); the earlier of two stop rules wins", () => {
    const r = runMomentum(p, { ...base, stop: { iterations: 8, time: 100 }, snapshots: { iterations: [5, 3, 3, 7, 50] } });
    expect(r.points.map((s) => s.k)).toEqual([0, 3, 5, 7, 8]);
    expect(r.stopReason).toBe("iterations");
  });
  it("snapshots hold copies of the recorded arrays, equal to the stepper's state at that k", () => {
    const r = runMomentum(p, { ...base, stop: { iterations: 200 }, snapshots: { every: 100 }, record: ["w", "u", "v", "delta"] });
    const s = createMomentumStepper(p, base);
    s.step(100);
    const st = s.state();
    const snap = r.points[1];
    expect(snap.k).toBe(100);
    expect(same(snap.w!, st.w)).toBe(true);
    expect(same(snap.u!, st.u!)).toBe(true);
    expect(same(snap.v!, st.v!)).toBe(true);
    expect(same(snap.delta!, st.delta!)).toBe(true);
    expect(snap.loss).toBe(st.loss);
    expect(Math.abs(snap.loss - trainLoss(p, snap.w!)) / snap.loss).toBeLessThan(1e-12);
    expect(snap.w).not.toBe(r.points[2].w);
    const plain = runMomentum(p, { ...base, stop: { iterations: 10 } });
    expect(plain.points.map((x) => x.k)).toEqual([0, 10]);
    expect(plain.points[0].u).toBeUndefined();
    expect(plain.points[0].w!.every((x) => x === 0)).toBe(true);
  });
  it("a time stop at T/h = 10000 in floating point does not overshoot", () => {
    const r = runMomentum(p, { gamma: 0.002, beta: 0.9, stop: { time: 200 } });
    expect(r.iterations).toBe(10000);
    expect(r.lambda).toBeCloseTo(0.2, 12);
  });
  it("stop.iterations = 0 returns the start", () => {
    const r = runMomentum(p, { ...base, stop: { iterations: 0 } });
    expect(r.iterations).toBe(0);
    expect(r.points.length).toBe(1);
  });
});

describe("divergence and limits", () => {
  it("γ = 5 on the default problem throws a DivergenceError naming the iteration and the bound", () => {
    let err: unknown;
    try {
      runMomentum(p, { gamma: 5, stop: { iterations: 1000 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    const e = err as DivergenceError;
    expect(e.iteration).toBeGreaterThan(0);
    expect(e.iteration).toBeLessThan(1000);
    expect(e.message).toMatch(new RegExp(`iteration k = ${e.iteration}`));
    expect(e.message).toMatch(/γ = 5, β = 0, λ = 5/);
    expect(e.message).toMatch(/2\(1\+β\)\/L_max ≈/);
    expect(e.bound).toBeGreaterThan(0);
    expect(e.bound).toBeLessThan(5);
    expect(e.bound).toBeCloseTo(heavyBallStability(0, e.curvature.L), 12);
  });
  it("MGD with a large β diverges too (never a NaN result)", () => {
    expect(() => runMomentum(p, { gamma: 1, beta: 0.9, stop: { iterations: 5000 } })).toThrow(DivergenceError);
  });
  it("SMGD divergence is detected", () => {
    expect(() => runMomentum(p, { gamma: 5, beta: 0.5, batchSize: 4, stop: { iterations: 5000 } })).toThrow(DivergenceError);
  });
  it("maxIterations reached before the stop rule throws IterationLimitError", () => {
    let err: unknown;
    try {
      runMomentum(p, { gamma: 0.001, stop: { loss: 1e-12 }, maxIterations: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IterationLimitError);
    expect((err as Error).message).toMatch(/maxIterations = 100 reached without meeting the stop rule \{"loss":1e-12\}/);
  });
  it("the DLN curvature estimate is finite and positive", () => {
    const c = curvatureEstimate(p);
    expect(c.L).toBeGreaterThan(0);
    expect(c.how).toMatch(/planted w\*/);
  });
});

describe("validation names the bad option", () => {
  const stop = { iterations: 10 };
  const bad: Array<[string, () => unknown, RegExp]> = [
    ["gamma 0", () => runMomentum(p, { gamma: 0, stop }), /gamma must lie in \(0, ∞\), got 0/],
    ["gamma missing", () => runMomentum(p, { stop } as unknown as MomentumOptions), /gamma must be a finite number/],
    ["beta 1", () => runMomentum(p, { gamma: 0.1, beta: 1, stop }), /beta must lie in \[0, 1\), got 1/],
    ["beta < 0", () => runMomentum(p, { gamma: 0.1, beta: -0.5, stop }), /beta/],
    ["batchSize 0", () => runMomentum(p, { gamma: 0.1, batchSize: 0, stop }), /batchSize must lie in \[1, 40\], got 0/],
    ["batchSize > n", () => runMomentum(p, { gamma: 0.1, batchSize: 41, stop }), /batchSize must lie in \[1, 40\]/],
    ["batchSize 2.5", () => runMomentum(p, { gamma: 0.1, batchSize: 2.5, stop }), /batchSize must be an integer/],
    ["seed", () => runMomentum(p, { gamma: 0.1, seed: -1, stop }), /seed/],
    ["alpha 0", () => runMomentum(p, { gamma: 0.1, alpha: 0, stop }), /alpha must lie in \(0/],
    ["alpha length", () => runMomentum(p, { gamma: 0.1, alpha: new Float64Array(3), stop }), /alpha must have length 100/],
    ["alpha + linear", () => runMomentum(p, { model: "linear", gamma: 0.1, alpha: 0.1, stop }), /alpha is the DLN initialisation scale/],
    ["alpha + init", () => runMomentum(p, { gamma: 0.1, alpha: 0.1, init: { u: new Float64Array(100), v: new Float64Array(100) }, stop }), /alpha or init, not both/],
    ["init length", () => runMomentum(p, { gamma: 0.1, init: { u: new Float64Array(3), v: new Float64Array(3) }, stop }), /init.u must have length 100/],
    ["init shape", () => runMomentum(p, { model: "linear", gamma: 0.1, init: { u: new Float64Array(100), v: new Float64Array(100) }, stop }), /init must be \{ w: Float64Array \}/],
    ["model", () => runMomentum(p, { model: "deep" as "dln", gamma: 0.1, stop }), /model must be one of "dln", "linear"/],
    ["stop missing", () => runMomentum(p, { gamma: 0.1 } as MomentumOptions), /stop must be given/],
    ["stop empty", () => runMomentum(p, { gamma: 0.1, stop: {} }), /stop needs at least one rule/],
    ["stop key", () => runMomentum(p, { gamma: 0.1, stop: { iteration: 5 } as unknown as MomentumOptions["stop"] }), /unknown stop rule "iteration"/],
    ["stop.loss", () => runMomentum(p, { gamma: 0.1, stop: { loss: 0 } }), /stop.loss must lie in \(0/],
    ["stop.time", () => runMomentum(p, { gamma: 0.1, stop: { time: -1 } }), /stop.time must lie/],
    ["cap", () => runMomentum(p, { gamma: 0.1, stop: { iterations: 200 }, maxIterations: 100 }), /stop.iterations = 200 exceeds maxIterations = 100/],
    ["cap time", () => runMomentum(p, { gamma: 0.1, stop: { time: 100 }, maxIterations: 100 }), /stop.time = 100 needs 1000 iterations/],
    ["unknown option", () => runMomentum(p, { gamma: 0.1, betta: 0.9, stop } as unknown as MomentumOptions), /unknown option "betta"/],
    ["record", () => runMomentum(p, { gamma: 0.1, stop, record: ["x" as "w"] }), /record entry must be one of/],
    ["record linear", () => runMomentum(p, { model: "linear", gamma: 0.1, stop, record: ["delta"] }), /record "delta" needs model "dln"/],
    ["snapshots two kinds", () => runMomentum(p, { gamma: 0.1, stop, snapshots: { every: 2, logSpaced: 3 } as unknown as { every: number } }), /exactly one of/],
    ["snapshots every 0", () => runMomentum(p, { gamma: 0.1, stop, snapshots: { every: 0 } }), /snapshots.every must lie/],
    ["logSpaced horizon", () => runMomentum(p, { gamma: 0.1, stop: { loss: 1e-3 }, snapshots: { logSpaced: 5 } }), /logSpaced needs a horizon/],
    ["times", () => runMomentum(p, { gamma: 0.1, stop, snapshots: { times: [1, NaN] } }), /snapshots.times\[1\] must be a finite number/],
    ["problem", () => runMomentum({ ...p, y: new Float64Array(3) }, { gamma: 0.1, stop }), /p.y must have length 40/],
    ["step count", () => createMomentumStepper(p, { gamma: 0.1 }).step(-1), /count must lie/],
  ];
  for (const [name, f, re] of bad) {
    it(name, () => {
      expect(f).toThrow(re);
    });
  }
});
