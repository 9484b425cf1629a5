// Fuzz: the public helpers of lib/index.ts (linalg, DLN, entropy, problems, momentum parameters) with arguments
// drawn from a zoo of valid and invalid values: vectors of any scale 1e-150…1e150, NaN/∞ entries, plain arrays,
// null, undefined, strings, wrong lengths, huge sizes. A value returned must be finite and, for the linalg helpers,
// equal to a plain reference computed here; anything else must be a named one-line error.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as lib from "../../lib/index";
import { observe, saveTallies, Tally } from "./harness";

/** A Float64Array of the given length with entries of scale 10^exp (some entries may be poisoned). */
const vec = (length: number) => fc.record({
  exp: fc.integer({ min: -150, max: 150 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  poison: fc.constantFrom(null, null, null, null, NaN, Infinity, -Infinity),
}).map(({ exp, seed, poison }) => {
  let s = seed;
  const v = Float64Array.from({ length }, () => ((s = (s * 16807) % 2147483647) / 2147483647 * 2 - 1) * 10 ** exp);
  if (poison !== null && length > 0) v[s % length] = poison;
  return v;
});

/** Anything a notebook cell might pass by mistake. */
const junk = fc.constantFrom<unknown>(undefined, null, "1", [1, 2], {}, NaN, Infinity, -1, 0, 1.5, 1e9, true);

const size = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, -1, 2.5, 1e9, Infinity, NaN));

/** The values each helper returns: numbers and typed arrays must be finite. */
function finite(v: unknown, path = "result"): string | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (v instanceof Float64Array) {
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return `${path}[${i}] = ${v[i]}`;
    return null;
  }
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === "number" || x instanceof Float64Array) {
        const bad = finite(x, `${path}.${k}`);
        if (bad) return bad;
      }
    }
  }
  return null;
}

const close = (got: number, ref: number, scale: number) => Math.abs(got - ref) <= 1e-12 * scale + 1e-300;

const tally = new Tally("public helpers (linalg, dln, entropy, problems, momentum)");
afterAll(() => saveTallies("helpers", [tally]));

/** Run one call, check it, count it. */
async function probe(input: unknown, call: () => unknown, check: (v: unknown) => string | null = () => null): Promise<boolean> {
  const r = await observe(call, (v) => finite(v) ?? check(v));
  tally.add(r, input);
  return true;
}

describe("fuzz: public helpers", () => {
  it("linalg: dot, norms, distance, matVec, matTVec, largestEigenvalueXtX", async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), async (n, d, mismatch) => {
      const [a, b, X] = fc.sample(fc.tuple(vec(d), vec(mismatch ? d + 1 : d), vec(n * d)), { numRuns: 1, seed: n * 7 + d })[0];
      const sumAbs = a.reduce((s, x, i) => s + Math.abs(x * (b[i] ?? 0)), 0);
      await probe({ f: "dot", a, b }, () => lib.dot(a, b), (v) => (close(v as number, a.reduce((s, x, i) => s + x * b[i], 0), sumAbs) ? null : "dot differs"));
      await probe({ f: "norm2", a }, () => lib.norm2(a), (v) => (close(v as number, Math.hypot(...a), Math.hypot(...a)) ? null : "norm2 differs"));
      await probe({ f: "norm1", a }, () => lib.norm1(a));
      await probe({ f: "normInf", a }, () => lib.normInf(a), (v) => (v === Math.max(0, ...a.map(Math.abs)) ? null : "normInf differs"));
      await probe({ f: "distance", a, b }, () => lib.distance(a, b), (v) => {
        const ref = Math.hypot(...a.map((x, i) => x - b[i]));
        return close(v as number, ref, ref) ? null : `distance ${v} ≠ ${ref}`;
      });
      await probe({ f: "matVec", X, n, d, a }, () => lib.matVec(X, n, d, a));
      await probe({ f: "matTVec", X, n, d }, () => lib.matTVec(X, n, d, a.subarray(0, Math.min(n, d))));
      await probe({ f: "largestEigenvalueXtX", X, n, d }, () => lib.largestEigenvalueXtX(X, n, d), (v) => ((v as number) >= 0 ? null : `negative eigenvalue ${v}`));
      return true;
    }), { seed: 21, numRuns: 150 });
  });

  it("any helper with junk arguments", async () => {
    const calls: [string, (x: unknown, k: unknown) => unknown][] = [
      ["dot", (x, k) => lib.dot(x as Float64Array, k as Float64Array)],
      ["norm2", (x) => lib.norm2(x as Float64Array)],
      ["distance", (x, k) => lib.distance(x as Float64Array, k as Float64Array)],
      ["matVec", (x, k) => lib.matVec(x as Float64Array, k as number, 2, x as Float64Array)],
      ["largestEigenvalueXtX", (x, k) => lib.largestEigenvalueXtX(x as Float64Array, k as number, 1)],
      ["initDLN", (x, k) => lib.initDLN(x as number, k as number)],
      ["dlnFromUV", (x, k) => lib.dlnFromUV(x as Float64Array, k as Float64Array)],
      ["dlnWeights", (x, k) => lib.dlnWeights(x as Float64Array, k as Float64Array)],
      ["balancedness", (x, k) => lib.balancedness(x as Float64Array, k as Float64Array)],
      ["lossAndGradient", (x, k) => lib.lossAndGradient(x as lib.Problem, k as Float64Array, new Float64Array(2))],
      ["psi", (x, k) => lib.psi(x as Float64Array, k as number)],
      ["gradPsi", (x, k) => lib.gradPsi(x as Float64Array, k as number)],
      ["hessianPsiDiag", (x, k) => lib.hessianPsiDiag(x as Float64Array, k as number)],
      ["gradPsiInverse", (x, k) => lib.gradPsiInverse(x as Float64Array, k as number)],
      ["bregmanPsi", (x, k) => lib.bregmanPsi(x as Float64Array, x as Float64Array, k as number)],
      ["sparseRegression", (x, k) => lib.sparseRegression({ n: x as number, d: k as number, k: 1, nTest: 0 })],
      ["makeProblem", (x, k) => lib.makeProblem({ X: x as number[][], y: k as number[] })],
      ["lambdaOf", (x, k) => lib.lambdaOf(x as number, k as number)],
      ["paramsForLambda", (x, k) => lib.paramsForLambda({ lambda: x as number, beta: k as number })],
      ["timeStep", (x, k) => lib.timeStep(x as number, k as number)],
      ["heavyBallStability", (x, k) => lib.heavyBallStability(x as number, k as number)],
      ["logSpace", (x, k) => lib.logSpace(x as number, 10, k as number)],
      ["normalVector", (_x, k) => lib.normalVector(lib.createRng(1), k as number)],
    ];
    const arg = fc.oneof(junk, vec(2), vec(3), size);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: calls.length - 1 }), arg, arg, async (i, x, k) => {
      const [name, f] = calls[i];
      return probe({ f: name, x, k }, () => f(x, k));
    }), { seed: 22, numRuns: 1500 });
    expect(tally.counts.crash + tally.counts.wrong + tally.counts.hang, tally.summary()).toBe(0);
  });
});
