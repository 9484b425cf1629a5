// The interpolators under extreme scales and poor conditioning: scaled inputs give the scaled answer, a solvable
// ill-conditioned system is solved, and a result that does not satisfy Xw = y is an error, never a success.
import { describe, expect, it } from "vitest";
import { basisPursuit, weightedL1 } from "../lib/bias/l1";
import { minNormInterpolator } from "../lib/bias/min-norm";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { checkInterpolant, equilibrate, gramFactor, type LinearSystem } from "../lib/bias/linear-system";
import { matVec } from "../lib/core/linalg";

const system = (rows: number[][], y: number[]): LinearSystem =>
  ({ X: Float64Array.from(rows.flat()), n: rows.length, d: rows[0].length, y: Float64Array.from(y) });
/** The system (a·X, b·y): its interpolators are (b/a) times those of (X, y) for ℓ1 and ℓ2. */
const scaled = (p: LinearSystem, a: number, b: number): LinearSystem =>
  ({ X: p.X.map((x) => x * a), n: p.n, d: p.d, y: p.y.map((v) => v * b) });
const relErr = (w: ArrayLike<number>, ref: ArrayLike<number>) => {
  let num = 0, den = 0;
  for (let j = 0; j < ref.length; j++) { num = Math.max(num, Math.abs(w[j] - ref[j])); den = Math.max(den, Math.abs(ref[j])); }
  return num / den;
};

const base = system([[1, 0.5, 0], [0, 1, 2]], [1, 2]);
const SCALES: [number, number][] = [[1e-12, 1e-12], [1e21, 1e21], [1e-150, 1e-150], [1e150, 1e150], [1e-150, 1], [1, 1e-150], [1e150, 1e-150], [3e-160, 7e140]];

describe("scale: (a·X, b·y) gives b/a times the answer for (X, y)", () => {
  it.each(SCALES)("basis pursuit, a = %s, b = %s", async (a, b) => {
    const ref = await basisPursuit(base);
    const r = await basisPursuit(scaled(base, a, b));
    expect(r.status).toBe("Optimal");
    expect(relErr(r.w, ref.w.map((x) => (x * b) / a))).toBeLessThan(1e-12);
    expect(r.residual).toBeLessThan(1e-12);
  });

  it.each(SCALES)("min-norm, a = %s, b = %s", (a, b) => {
    const ref = minNormInterpolator(base);
    expect(relErr(minNormInterpolator(scaled(base, a, b)), ref.map((x) => (x * b) / a))).toBeLessThan(1e-12);
  });

  it.each(SCALES)("argmin ψ_Δ: the same w as for (X, (b/a)·y), a = %s, b = %s", (a, b) => {
    const same = { ...base, y: base.y.map((v) => (v * b) / a) };
    for (const Delta of [1e-3 * (b / a), b / a]) {
      const ref = minPsiInterpolator(same, Delta);
      const r = minPsiInterpolator(scaled(base, a, b), Delta);
      expect(relErr(r.w, ref.w)).toBeLessThan(1e-9);
      expect(r.kktResidual).toBeLessThan(1e-12);
      // the dual scales with the rows: ν = ν°/a
      expect(relErr(r.nu, ref.nu.map((v) => v / a))).toBeLessThan(1e-9);
    }
  });

  it("rows of scales 1e-200 and 1e200 are both satisfied (each equation in its own scale)", async () => {
    const rows = { ...base, X: Float64Array.from([1e-200, 0.5e-200, 0, 0, 1e200, 2e200]), y: Float64Array.from([1e-200, 2e200]) };
    expect(relErr(minNormInterpolator(rows), minNormInterpolator(base))).toBeLessThan(1e-12);
    expect(relErr((await basisPursuit(rows)).w, (await basisPursuit(base)).w)).toBeLessThan(1e-12);
    expect(relErr(minPsiInterpolator(rows, 0.3).w, minPsiInterpolator(base, 0.3).w)).toBeLessThan(1e-10);
    expect(checkInterpolant(rows, minPsiInterpolator(rows, 0.3).w, "ψ")).toBeLessThan(1e-12);
  });

  it("min-norm on 1e-160·I and 1e160·I (were [null, null] and [0, 0])", () => {
    expect(Array.from(minNormInterpolator(system([[1e-160, 0], [0, 1e-160]], [1, 1])))).toEqual([1e160, 1e160]);
    expect(Array.from(minNormInterpolator(system([[1e160, 0], [0, 1e160]], [1, 2])))).toEqual([1e-160, 2e-160]);
    expect(Array.from(minNormInterpolator(system([[1e-160, 0], [0, 1e-160]], [1e-160, 2e-160])))).toEqual([1, 2]);
  });

  it("an answer beyond the double range is an error that says so, not Infinity", () => {
    expect(() => minNormInterpolator(system([[1e-300, 0], [0, 1]], [1e300, 1]))).toThrow(/beyond the double range/);
  });

  it("weighted ℓ1 with weights keeps its meaning under scale", async () => {
    const c = Float64Array.from([3, 1, 1]);
    const ref = await weightedL1(base, c);
    const r = await weightedL1(scaled(base, 1e-140, 1e-140), c);
    expect(relErr(r.w, ref.w)).toBeLessThan(1e-12);
  });
});

describe("conditioning: a solvable system with condition number 4e7", () => {
  const e = 1e-7; // [[1, 1], [1, 1 + e]] has condition number ≈ 4/e
  const p = system([[1, 1], [1, 1 + e]], [1, 2]);
  const exact = [1 - 1 / e, 1 / e]; // the unique solution (square system)

  it("is solved by min-norm, basis pursuit and argmin ψ_Δ (was 'inconsistent: no interpolator exists')", async () => {
    expect(relErr(minNormInterpolator(p), exact)).toBeLessThan(1e-7);
    expect(relErr((await basisPursuit(p)).w, exact)).toBeLessThan(1e-7);
    expect(relErr(minPsiInterpolator(p, 1, { tol: 1e-9 }).w, exact)).toBeLessThan(1e-7);
  });

  it("a truly dependent pair of rows is still refused, with the right diagnosis", () => {
    const dup = system([[1, 2, 3], [2, 4, 6]], [1, 2]);
    expect(() => minNormInterpolator(dup)).toThrow(/full row rank.*consistent: drop the redundant rows/);
    expect(() => minNormInterpolator({ ...dup, y: Float64Array.from([1, 3]) })).toThrow(/full row rank.*inconsistent.*no interpolator exists/);
    expect(() => gramFactor(scaled(dup, 1e200, 1))).toThrow(/full row rank/);
  });
});

describe("checkInterpolant: a result is checked against the data", () => {
  it("passes a true interpolant and names the residual of a false one", () => {
    const w = minNormInterpolator(base);
    expect(checkInterpolant(base, w, "min-norm")).toBeLessThan(1e-15);
    const wrong = Float64Array.from(w, (x, j) => (j === 0 ? x + 1e-3 : x));
    expect(() => checkInterpolant(base, wrong, "min-norm")).toThrow(/^min-norm: the computed w does not satisfy Xw = y: relative residual 7\.07e-4/);
    expect(() => checkInterpolant(base, Float64Array.from([NaN, 0, 0]), "basis pursuit")).toThrow(/basis pursuit: .*not finite/);
  });

  it("measures residuals per equation, so a tiny row counts as much as a huge one", () => {
    const p = system([[1e-200, 0], [0, 1e200]], [1e-200, 1e200]);
    expect(checkInterpolant(p, Float64Array.from([1, 1]), "x")).toBe(0);
    expect(() => checkInterpolant(p, Float64Array.from([2, 1]), "x")).toThrow(/relative residual 7\.07e-1/);
    // ‖Xw − y‖/‖y‖ alone would call [2, 1] exact (the first equation is 1e-400 of the norm)
    const r = matVec(p.X, 2, 2, Float64Array.from([2, 1]));
    expect(Math.abs(r[0] - p.y[0]) / Math.hypot(p.y[0], p.y[1])).toBe(0);
  });

  it("equilibrate scales rows and the solution by exact powers of two, and leaves well-scaled data alone", () => {
    const p = scaled(base, 1e-150, 1e-150);
    const q = equilibrate(p);
    for (let k = 0; k < p.X.length; k++) if (p.X[k] !== 0) expect(Number.isInteger(Math.log2(q.X[k] / p.X[k]))).toBe(true);
    for (let i = 0; i < p.n; i++) {
      const rowMax = Math.max(...q.X.subarray(i * p.d, (i + 1) * p.d).map(Math.abs));
      expect(rowMax).toBeGreaterThan(0.7);
      expect(rowMax).toBeLessThan(1.5);
      expect(q.y[i] / p.y[i]).toBe(2 ** q.rowExp[i]);
    }
    const same = equilibrate(base);
    expect(same.X).toBe(base.X);
    expect([same.colExp, ...same.rowExp]).toEqual([0, 0, 0]);
  });
});
