import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { all, create } from "mathjs";
import { bregmanPsi, gradPsi, psi } from "../lib/bias/entropy";
import { minPsiInterpolator, type MinPsiResult } from "../lib/bias/interpolators";
import { minNormInterpolator } from "../lib/bias/min-norm";
import { basisPursuit, weightedL1 } from "../lib/bias/l1";
import type { LinearSystem } from "../lib/bias/linear-system";
import { choleskyInPlace, choleskySolve, distance, matTVec, matVec, norm1, norm2, weightedGram } from "../lib/core/linalg";
import { sparseRegression, toyProblem } from "../lib/model/problems";
import { createRng } from "../lib/core/random";
import { useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";
import { kernelPool, kernelThreadsReady, useKernelThreads } from "../lib/core/wasm/threads";

const math = create(all, {});

/** A random system: Gaussian X (n ≤ d), y = Xw° for a sparse w° with entries across decades. */
function randomSystem(seed: number, maxD = 60): LinearSystem {
  const rng = createRng(seed);
  const d = 2 + rng.int(maxD - 1);
  const n = 1 + rng.int(d);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const w0 = new Float64Array(d);
  for (let j = 0; j < d; j++) if (rng.uniform() < 0.3) w0[j] = rng.normal() * 10 ** (4 * rng.uniform() - 2);
  w0[rng.int(d)] = 1; // y ≠ 0
  return { X, n, d, y: matVec(X, n, d, w0) };
}

/** ‖v − P_{Im Xᵀ} v‖ / ‖v‖: how far v is from the row space of X. */
function offRowSpace(p: LinearSystem, v: Float64Array): number {
  const G = weightedGram(p.X, p.n, p.d);
  choleskyInPlace(G, p.n);
  const a = choleskySolve(G, p.n, matVec(p.X, p.n, p.d, v));
  const proj = matTVec(p.X, p.n, p.d, a);
  return distance(v, proj) / Math.max(norm2(v), 1e-300);
}

/** A unit vector of the null space of X (random). */
function nullDirection(p: LinearSystem, seed: number): Float64Array {
  const rng = createRng(seed);
  const v = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) v[j] = rng.normal();
  const G = weightedGram(p.X, p.n, p.d);
  choleskyInPlace(G, p.n);
  const a = choleskySolve(G, p.n, matVec(p.X, p.n, p.d, v));
  const proj = matTVec(p.X, p.n, p.d, a);
  for (let j = 0; j < p.d; j++) v[j] -= proj[j];
  const nv = norm2(v);
  for (let j = 0; j < p.d; j++) v[j] /= nv;
  return v;
}

function relResidual(p: LinearSystem, w: Float64Array): number {
  const r = matVec(p.X, p.n, p.d, w);
  for (let i = 0; i < p.n; i++) r[i] -= p.y[i];
  return norm2(r) / norm2(p.y);
}

describe("minNormInterpolator", () => {
  it("is (0.8, 0.4) on the 2-D toy", () => {
    const w = minNormInterpolator(toyProblem());
    expect(w[0]).toBeCloseTo(0.8, 15);
    expect(w[1]).toBeCloseTo(0.4, 15);
  });

  it("matches Xᵀ(XXᵀ)⁻¹y computed by mathjs on the default problem", () => {
    const p = sparseRegression();
    const rows: number[][] = [];
    for (let i = 0; i < p.n; i++) rows.push(Array.from(p.X.subarray(i * p.d, (i + 1) * p.d)));
    const a = math.lusolve(math.multiply(rows, math.transpose(rows)), Array.from(p.y)) as number[][];
    const ref = Float64Array.from(math.multiply(math.transpose(rows), a.map((r) => r[0])) as number[]);
    const w = minNormInterpolator(p);
    expect(distance(w, ref)).toBeLessThan(1e-12 * norm2(ref));
    expect(relResidual(p, w)).toBeLessThan(1e-14);
  });
});

describe("minPsiInterpolator", () => {
  it("solves the 1-sample toy exactly: w = (Δ/2) sinh(2νx) with x·w = y", () => {
    const p = toyProblem();
    for (const D of [1e-6, 0.02, 1, 50]) {
      // scalar dual by bisection: f(ν) = Σ x_j (Δ/2) sinh(2ν x_j) − 1 is increasing
      const f = (nu: number) => 0.5 * D * Math.sinh(2 * nu) + 0.5 * 0.5 * D * Math.sinh(nu) - 1;
      let lo = 0;
      let hi = 50;
      for (let it = 0; it < 200; it++) {
        const mid = 0.5 * (lo + hi);
        if (f(mid) > 0) hi = mid;
        else lo = mid;
      }
      const nu = 0.5 * (lo + hi);
      const r = minPsiInterpolator(p, D);
      expect(r.nu[0]).toBeCloseTo(nu, 12);
      expect(r.w[0]).toBeCloseTo(0.5 * D * Math.sinh(2 * nu), 12);
      expect(r.w[1]).toBeCloseTo(0.5 * D * Math.sinh(nu), 12);
      expect(r.converged).toBe(true);
    }
  });

  it("property: KKT holds on random instances (Δ from 1e-12 to 1e2, uniform or mixed, random offset)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom("uniform", "mixed"),
        fc.boolean(),
        (seed, kind, withOffset) => {
          const p = randomSystem(seed);
          const rng = createRng(seed + 17);
          const Delta = kind === "uniform" ? 10 ** (14 * rng.uniform() - 12) : Float64Array.from({ length: p.d }, () => 10 ** (14 * rng.uniform() - 12));
          const c = withOffset ? Float64Array.from({ length: p.d }, () => rng.normal()) : new Float64Array(p.d);
          const r = minPsiInterpolator(p, Delta, { offset: c });
          if (!(r.kktResidual <= 1e-10) || !(relResidual(p, r.w) <= 1e-10)) return false;
          // stationarity: ∇ψ_Δ(w) − c = Xᵀν, and so lies in Im(Xᵀ)
          const v = gradPsi(r.w, Delta);
          for (let j = 0; j < p.d; j++) v[j] -= c[j];
          const xtnu = matTVec(p.X, p.n, p.d, r.nu);
          let worst = 0;
          let scale = 1;
          for (let j = 0; j < p.d; j++) {
            worst = Math.max(worst, Math.abs(v[j] - xtnu[j]));
            scale = Math.max(scale, Math.abs(v[j]));
          }
          return worst <= 1e-12 * scale && offRowSpace(p, v) <= 1e-9;
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  it("is a minimiser: moving along the null space of X increases ψ_Δ(w) − ⟨c, w⟩", () => {
    const p = sparseRegression();
    const rng = createRng(3);
    const D = Float64Array.from({ length: p.d }, () => 10 ** (-3 * rng.uniform()));
    const c = Float64Array.from({ length: p.d }, () => 0.3 * rng.normal());
    const { w } = minPsiInterpolator(p, D, { offset: c });
    const f = (x: Float64Array) => psi(x, D) - x.reduce((s, xj, j) => s + xj * c[j], 0);
    const f0 = f(w);
    for (let k = 0; k < 5; k++) {
      const N = nullDirection(p, 100 + k);
      for (const eps of [1e-3, -1e-3, 1e-2]) {
        const x = Float64Array.from(w, (wj, j) => wj + eps * N[j]);
        expect(f(x)).toBeGreaterThan(f0);
      }
    }
  });

  it("offsetPoint w̃₀ solves the Bregman problem argmin D_ψ(w, w̃₀) and equals offset = ∇ψ(w̃₀)", () => {
    const p = sparseRegression();
    const D = 0.02;
    const rng = createRng(5);
    const wt = Float64Array.from({ length: p.d }, () => 0.05 * rng.normal());
    const a = minPsiInterpolator(p, D, { offsetPoint: wt });
    const b = minPsiInterpolator(p, D, { offset: gradPsi(wt, D) });
    expect(distance(a.w, b.w)).toBe(0);
    const N = nullDirection(p, 9);
    const base = bregmanPsi(a.w, wt, D);
    for (const eps of [1e-3, -1e-3]) expect(bregmanPsi(Float64Array.from(a.w, (x, j) => x + eps * N[j]), wt, D)).toBeGreaterThan(base);
    // an interpolating base point is its own Bregman projection
    const w0 = minNormInterpolator(p);
    expect(distance(minPsiInterpolator(p, D, { offsetPoint: w0 }).w, w0)).toBeLessThan(1e-10);
  });

  it("Δ → 0 gives basis pursuit; Δ → ∞ gives the minimum-ℓ2 interpolator", async () => {
    const p = sparseRegression();
    const bp = await basisPursuit(p);
    expect(bp.status).toBe("Optimal");
    expect(distance(bp.w, p.wStar!)).toBeLessThan(1e-8); // n = 40, d = 100, k = 5: BP recovers w*
    const e8 = distance(minPsiInterpolator(p, 1e-8).w, bp.w);
    const e10 = distance(minPsiInterpolator(p, 1e-10).w, bp.w);
    const e12 = distance(minPsiInterpolator(p, 1e-12).w, bp.w);
    expect(e10).toBeLessThan(1e-3);
    expect(e12).toBeLessThan(e10);
    expect(e10).toBeLessThan(e8);
    expect(e8).toBeGreaterThan(1e-6); // the limit is approached, not reached
    const l2 = minNormInterpolator(p);
    expect(distance(minPsiInterpolator(p, 1e6).w, l2)).toBeLessThan(1e-8);
    expect(distance(minPsiInterpolator(p, 1).w, l2)).toBeGreaterThan(1e-2);
  });

  it("stays accurate for extreme Δ (1e-300, 1e100) and mixed Δ across 14 decades", () => {
    const p = sparseRegression();
    for (const D of [1e-300, 1e-100, 1e100]) {
      const r = minPsiInterpolator(p, D);
      expect(r.kktResidual).toBeLessThanOrEqual(1e-12);
      expect(r.w.every(Number.isFinite)).toBe(true);
    }
    const rng = createRng(11);
    const mixed = Float64Array.from({ length: p.d }, () => 10 ** (14 * rng.uniform() - 12));
    expect(minPsiInterpolator(p, mixed).kktResidual).toBeLessThanOrEqual(1e-12);
  });

  it("warm start from nu0 converges in fewer iterations", () => {
    const p = sparseRegression();
    const cold = minPsiInterpolator(p, 1e-6);
    const warm = minPsiInterpolator(p, 1e-6, { nu0: cold.nu });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(distance(warm.w, cold.w)).toBeLessThan(1e-10);
  });

  it("errors: n > d, rank deficiency (consistent or not), both offsets, non-convergence", () => {
    const p = sparseRegression({ n: 5, d: 8, k: 2, nTest: 0 });
    const tall = { X: new Float64Array(6), n: 3, d: 2, y: new Float64Array(3) };
    expect(() => minPsiInterpolator(tall, 1)).toThrow(/n ≤ d/);
    expect(() => minNormInterpolator(tall)).toThrow(/n = 3 > d = 2/);
    // duplicate a row: consistent y (redundant) and inconsistent y
    const X = new Float64Array(6 * 8);
    X.set(p.X);
    X.set(p.X.subarray(0, 8), 5 * 8);
    const yOk = Float64Array.from([...p.y, p.y[0]]);
    const yBad = Float64Array.from([...p.y, p.y[0] + 1]);
    expect(() => minPsiInterpolator({ X, n: 6, d: 8, y: yOk }, 1)).toThrow(/full row rank.*redundant/);
    expect(() => minPsiInterpolator({ X, n: 6, d: 8, y: yBad }, 1)).toThrow(/full row rank.*inconsistent/);
    expect(() => minNormInterpolator({ X, n: 6, d: 8, y: yBad })).toThrow(/full row rank/);
    expect(() => minPsiInterpolator(p, 1, { offset: new Float64Array(8), offsetPoint: new Float64Array(8) })).toThrow(/at most one/);
    expect(() => minPsiInterpolator(p, 0)).toThrow(RangeError);
    expect(() => minPsiInterpolator(p, new Float64Array(3).fill(1))).toThrow(/Delta must have length 8/);
    const q = sparseRegression();
    expect(() => minPsiInterpolator(q, 1e-8, { maxIterations: 2 })).toThrow(/did not converge in maxIterations = 2.*residual/);
    const r = minPsiInterpolator(q, 1e-8, { maxIterations: 2, throwOnFailure: false });
    expect(r.converged).toBe(false);
    expect(r.kktResidual).toBeGreaterThan(1e-12);
  });
});

describe("minPsiInterpolator's kernels: WebAssembly, threads and the TypeScript reference agree bit for bit", () => {
  const same = (a: MinPsiResult, b: MinPsiResult): boolean =>
    a.iterations === b.iterations && a.factorizations === b.factorizations && a.w.every((x, j) => Object.is(x, b.w[j])) && a.nu.every((x, i) => Object.is(x, b.nu[i]));

  it.each([
    ["40 × 100, Δ = 1e-8", 40, 100, 1e-8],
    ["39 × 101 (odd sizes), Δ = 1e-3 with an offset", 39, 101, 1e-3],
  ])("%s: WebAssembly = TypeScript", (_, n, d, D) => {
    const p = sparseRegression({ n, d, k: 5, seed: 4, nTest: 0 });
    const options = { offset: Float64Array.from({ length: d }, (__, j) => 0.01 * Math.sin(j)) };
    const before = useWasmKernels(false);
    try {
      const ts = minPsiInterpolator(p, D, n === 39 ? options : {});
      useWasmKernels(true);
      expect(wasmKernelsEnabled()).toBe(true);
      const wasm = minPsiInterpolator(p, D, n === 39 ? options : {});
      expect(wasm.converged).toBe(true);
      expect(wasm.factorizations).toBeLessThan(wasm.iterations); // the factor really is reused (by conjugate gradients)
      expect(same(ts, wasm)).toBe(true);
    } finally {
      useWasmKernels(before);
    }
  });

  it("one thread and the worker pool give the same bits (150 × 1500)", async () => {
    const p = sparseRegression({ n: 150, d: 1500, k: 10, seed: 2, nTest: 0 });
    await kernelThreadsReady();
    const before = useKernelThreads(false);
    try {
      const one = minPsiInterpolator(p, 1e-6);
      useKernelThreads(true);
      const pool = kernelPool();
      const chunks = pool?.workerChunks() ?? 0;
      const many = minPsiInterpolator(p, 1e-6);
      if (pool) expect(pool.workerChunks()).toBeGreaterThan(chunks); // the workers did take part
      expect(same(one, many)).toBe(true);
    } finally {
      useKernelThreads(before);
    }
  });
});

describe("basis pursuit and weighted ℓ1 (HiGHS)", () => {
  it("BP on the toy is (1, 0); the objective is ‖w‖₁", async () => {
    const r = await basisPursuit(toyProblem());
    expect(r.w[0]).toBeCloseTo(1, 12);
    expect(r.w[1]).toBeCloseTo(0, 12);
    expect(r.objective).toBeCloseTo(1, 12);
    // with the first coordinate 3× as expensive, w = (0, 2) (cost 2 < 3) wins
    const wl = await weightedL1(toyProblem(), Float64Array.from([3, 1]));
    expect(wl.w[0]).toBeCloseTo(0, 12);
    expect(wl.w[1]).toBeCloseTo(2, 12);
    expect(wl.objective).toBeCloseTo(2, 12);
  });

  it("weighted ℓ1 is the Δ → 0 limit of ψ_Δ with Δ_i = e^{−c_i L} (weights c_i)", async () => {
    const p = sparseRegression({ seed: 1 });
    const rng = createRng(2);
    const c = Float64Array.from({ length: p.d }, () => 1 + rng.uniform());
    const lp = await weightedL1(p, c);
    expect(lp.residual).toBeLessThan(1e-12);
    const L = 40;
    const ps = minPsiInterpolator(p, Float64Array.from(c, (ci) => Math.exp(-ci * L)));
    expect(distance(ps.w, lp.w)).toBeLessThan(0.05 * norm2(lp.w));
    // and the LP really is better in weighted ℓ1 than both the ψ solution and min-ℓ2
    const cost = (w: Float64Array) => w.reduce((s, x, j) => s + c[j] * Math.abs(x), 0);
    expect(lp.objective).toBeLessThanOrEqual(cost(ps.w) + 1e-9);
    expect(lp.objective).toBeLessThan(cost(minNormInterpolator(p)));
    expect(norm1(lp.w)).toBeGreaterThan(0);
  });

  it("rejects negative weights and reports non-optimal LPs", async () => {
    await expect(weightedL1(toyProblem(), Float64Array.from([1, -1]))).rejects.toThrow(/weights\[1\] must be ≥ 0/);
    await expect(basisPursuit({ X: new Float64Array(6), n: 3, d: 2, y: new Float64Array(3) })).rejects.toThrow(/n ≤ d/);
    // 0·w = 1 has no solution: HiGHS says infeasible
    await expect(basisPursuit({ X: new Float64Array(2), n: 1, d: 2, y: Float64Array.from([1]) })).rejects.toThrow(/status/);
  });
});
