import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProblem, saveProblem } from "../lib/model/problem-files";
import {
  makeProblem,
  problemFromJSON,
  problemToJSON,
  recoveryError,
  sparseRegression,
  testLoss,
  toyProblem,
  trainLoss,
} from "../lib/model/problems";

/** Bit-identical typed arrays (faster than toEqual on 100k entries). */
function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

describe("sparseRegression", () => {
  const p = sparseRegression();
  it("has the default shapes and a 5-sparse ±1 planted vector", () => {
    expect([p.n, p.d, p.X.length, p.y.length]).toEqual([40, 100, 4000, 40]);
    expect(p.wStar).not.toBeNull();
    const nz = Array.from(p.wStar!).filter((x) => x !== 0);
    expect(nz.length).toBe(5);
    for (const x of nz) expect(Math.abs(x)).toBe(1);
    expect(p.test!.n).toBe(1000);
    expect(p.test!.X.length).toBe(100_000);
    expect(p.meta).toMatchObject({ kind: "sparse", n: 40, d: 100, k: 5, seed: 0, noise: 0 });
  });
  it("is noiseless by default: L(w*) = 0 on train and test", () => {
    expect(trainLoss(p, p.wStar!)).toBe(0);
    expect(testLoss(p, p.wStar!)).toBe(0);
    expect(recoveryError(p, p.wStar!)).toBe(0);
    expect(recoveryError(p, new Float64Array(100))).toBeCloseTo(Math.sqrt(5), 14);
  });
  it("is deterministic in the seed and changes with it", () => {
    const q = sparseRegression({ seed: 0 });
    expect(same(q.X, p.X)).toBe(true);
    expect(same(q.y, p.y)).toBe(true);
    expect(same(q.test!.X, p.test!.X)).toBe(true);
    expect(same(sparseRegression({ seed: 1 }).X, p.X)).toBe(false);
  });
  it("first entries are pinned (the stream of createRng(0))", () => {
    expect(Array.from(p.X.subarray(0, 3))).toEqual([0.48854632132701026, 0.03837218016081414, 2.5868475608858597]);
  });
  it("noise and scale act as documented", () => {
    const a = sparseRegression({ n: 10, d: 20, k: 2, seed: 3, noise: 0.5, nTest: 0 });
    expect(a.test).toBeNull();
    expect(trainLoss(a, a.wStar!)).toBeGreaterThan(0);
    const s = sparseRegression({ n: 10, d: 20, k: 2, seed: 3, scale: 2, nTest: 0 });
    const b = sparseRegression({ n: 10, d: 20, k: 2, seed: 3, nTest: 0 });
    expect(s.X.every((x, i) => x === 2 * b.X[i])).toBe(true);
    expect(s.wStar).toEqual(b.wStar);
  });
  it("rejects bad options, naming them", () => {
    expect(() => sparseRegression({ k: 101 })).toThrow(/k must lie in \[0, 100\]/);
    expect(() => sparseRegression({ n: 0 })).toThrow(/^n must lie/);
    expect(() => sparseRegression({ d: 2.5 })).toThrow(/d must be an integer/);
    expect(() => sparseRegression({ noise: -1 })).toThrow(/noise/);
    expect(() => sparseRegression({ seed: -3 })).toThrow(/seed/);
    expect(() => sparseRegression({ scale: 0 })).toThrow(/scale/);
  });
});

describe("toyProblem", () => {
  it("x = (1, 0.5), y = 1, w* = (1, 0), and (0.8, 0.4) interpolates", () => {
    const t = toyProblem();
    expect([t.n, t.d]).toEqual([1, 2]);
    expect(Array.from(t.X)).toEqual([1, 0.5]);
    expect(Array.from(t.y)).toEqual([1]);
    expect(Array.from(t.wStar!)).toEqual([1, 0]);
    expect(trainLoss(t, Float64Array.from([0.8, 0.4]))).toBeLessThan(1e-30);
    expect(trainLoss(t, Float64Array.from([0, 0]))).toBe(0.5);
    expect(() => testLoss(t, t.wStar!)).toThrow(/no held-out set/);
  });
});

describe("makeProblem", () => {
  it("accepts rows or row-major data", () => {
    const a = makeProblem({ X: [[1, 2], [3, 4], [5, 6]], y: [1, 2, 3] });
    expect([a.n, a.d]).toEqual([3, 2]);
    expect(Array.from(a.X)).toEqual([1, 2, 3, 4, 5, 6]);
    const b = makeProblem({ X: Float64Array.from([1, 2, 3, 4, 5, 6]), n: 3, d: 2, y: [1, 2, 3], wStar: [0, 1] });
    expect(b.X).toEqual(a.X);
    expect(Array.from(b.wStar!)).toEqual([0, 1]);
    expect(a.wStar).toBeNull();
    expect(() => recoveryError(a, new Float64Array(2))).toThrow(/no planted wStar/);
  });
  it("rejects ragged, non-finite or mis-sized data", () => {
    expect(() => makeProblem({ X: [[1, 2], [3]], y: [1, 2] })).toThrow(/X\[1\] must have length 2/);
    expect(() => makeProblem({ X: [[1, NaN]], y: [1] })).toThrow(/X\[0\]\[1\] must be a finite number/);
    expect(() => makeProblem({ X: [[1, 2]], y: [1, 2] })).toThrow(/y must have length 1/);
    expect(() => makeProblem({ X: [], y: [] })).toThrow(/non-empty/);
    expect(() => makeProblem({ X: Float64Array.from([1, 2, 3]), n: 2, d: 2, y: [1, 2] })).toThrow(/X must have length 4/);
    expect(() => makeProblem({ X: [[1, 2]], y: [1], wStar: [1] })).toThrow(/wStar must have length 2/);
  });
  it("trainLoss validates w", () => {
    const a = makeProblem({ X: [[1, 2]], y: [1] });
    expect(() => trainLoss(a, new Float64Array(3))).toThrow(/w must have length 2/);
  });
});

describe("JSON round trip", () => {
  it("problemToJSON → problemFromJSON restores the data and the held-out set", () => {
    const p = sparseRegression({ n: 8, d: 12, k: 3, seed: 5, nTest: 20 });
    const q = problemFromJSON(JSON.parse(JSON.stringify(problemToJSON(p))));
    expect(q.X).toEqual(p.X);
    expect(q.y).toEqual(p.y);
    expect(q.wStar).toEqual(p.wStar);
    expect(q.meta).toEqual(p.meta);
    expect(same(q.test!.X, p.test!.X)).toBe(true);
    expect(q.name).toBe(p.name);
  });
  it("saveProblem / loadProblem through a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "problems-test-"));
    try {
      const path = join(dir, "p.json");
      const p = sparseRegression({ n: 6, d: 9, k: 2, seed: 8, nTest: 0 });
      saveProblem(p, path);
      const q = loadProblem(path);
      expect(q.X).toEqual(p.X);
      expect(q.test).toBeNull();
      writeFileSync(join(dir, "bad.json"), JSON.stringify({ format: "other" }));
      expect(() => loadProblem(join(dir, "bad.json"))).toThrow(/not a problem file/);
      expect(() => loadProblem(join(dir, "missing.json"))).toThrow(/cannot read problem file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("data/sparse-n40-d100-k5-seed0.json equals sparseRegression({ seed: 0 }) (provenance)", () => {
    const q = loadProblem(join(__dirname, "..", "data", "sparse-n40-d100-k5-seed0.json"));
    const p = sparseRegression({ seed: 0 });
    expect(same(q.X, p.X)).toBe(true);
    expect(same(q.y, p.y)).toBe(true);
    expect(same(q.wStar!, p.wStar!)).toBe(true);
    expect(same(q.test!.y, p.test!.y)).toBe(true);
  });
});
