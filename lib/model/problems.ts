/**
 * Regression instances: the seeded sparse Gaussian problem of the experiments (n = 40, d = 100, k = 5 by
 * default), the 2-D toy, custom data, and JSON files in data/. X is row-major n×d; the regression vector
 * is called `w` everywhere in code (the paper's β; `beta` is always the momentum).
 */
import { matVec, distance } from "../core/linalg";
import { createRng, sampleWithoutReplacement } from "../core/random";
import { checkInteger, checkNumber, checkSize, checkVector } from "../core/validate";

export interface Problem {
  name: string;
  n: number;
  d: number;
  /** Design, row-major n×d. */
  X: Float64Array;
  /** Labels, length n. */
  y: Float64Array;
  /** The planted vector w* (null when unknown). */
  wStar: Float64Array | null;
  /** Held-out design and noiseless labels for the test loss (optional). */
  test: { n: number; X: Float64Array; y: Float64Array } | null;
  /** How the instance was made (seed, sizes, noise…), kept in saved files as provenance. */
  meta: Record<string, unknown>;
}

export interface SparseRegressionOptions {
  /** Samples (default 40). */
  n?: number;
  /** Dimension (default 100); d > n makes the problem overparametrised. */
  d?: number;
  /** Non-zeros of w* (default 5); their values are ±1 with random signs. */
  k?: number;
  /** Seed of the PRNG (default 0). */
  seed?: number;
  /** Standard deviation of the label noise (default 0). */
  noise?: number;
  /** Held-out samples for the test loss (default 1000; 0 for none). */
  nTest?: number;
  /** Scale ε of the data: X and y are multiplied by it (default 1). MGF(εX, εy; λ) = MGF(X, y; λε²) up to time. */
  scale?: number;
}

/**
 * The options of a sparse instance, validated, with the defaults filled in; `limits` tightens the allowed
 * ranges of d and k for designs that need room (e.g. a decoy column off the support).
 * @throws TypeError/RangeError naming the option, its value and the allowed range.
 */
export function sparseOptions(options: SparseRegressionOptions = {}, limits: { minD?: number; minK?: number; kBelowD?: number } = {}): Required<SparseRegressionOptions> {
  if (options == null || typeof options !== "object") throw new TypeError("options must be an object");
  const n = checkSize("n", options.n ?? 40, 1);
  const d = checkSize("d", options.d ?? 100, limits.minD ?? 1);
  checkSize("n·d", n * d);
  const nTest = checkSize("nTest", options.nTest ?? 1000);
  checkSize("nTest·d", nTest * d);
  return {
    n,
    d,
    k: checkInteger("k", options.k ?? 5, { min: limits.minK ?? 0, max: d - (limits.kBelowD ?? 0) }),
    seed: checkInteger("seed", options.seed ?? 0, { min: 0, max: 2 ** 32 - 1 }),
    noise: checkNumber("noise", options.noise ?? 0, { min: 0 }),
    nTest,
    scale: checkNumber("scale", options.scale ?? 1, { min: 0, minOpen: true }),
  };
}

/**
 * A seeded sparse regression instance: X_ij ~ N(0, 1), w* with k entries ±1 on a random support,
 * y = Xw* + noise·N(0, 1).
 * @example const p = sparseRegression({ seed: 1 }); p.n === 40 && p.d === 100
 * @throws RangeError if k > d or a size is not a positive integer.
 */
export function sparseRegression(options: SparseRegressionOptions = {}): Problem {
  const { n, d, k, seed, noise, nTest, scale } = sparseOptions(options);
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = scale * rng.normal();
  const wStar = new Float64Array(d);
  for (const j of sampleWithoutReplacement(rng, d, k)) wStar[j] = rng.uniform() < 0.5 ? -1 : 1;
  const y = matVec(X, n, d, wStar);
  for (let i = 0; i < n; i++) y[i] += scale * noise * rng.normal();
  let test: Problem["test"] = null;
  if (nTest > 0) {
    const Xt = new Float64Array(nTest * d);
    for (let i = 0; i < Xt.length; i++) Xt[i] = scale * rng.normal();
    test = { n: nTest, X: Xt, y: matVec(Xt, nTest, d, wStar) };
  }
  return { name: `sparse(n=${n}, d=${d}, k=${k}, seed=${seed})`, n, d, X, y, wStar, test, meta: { kind: "sparse", n, d, k, seed, noise, nTest, scale } };
}

/**
 * The 2-D toy: one sample x = (1, 0.5), y = 1. Its interpolators form the line w₁ + w₂/2 = 1; the sparsest is
 * (1, 0) (taken as w*), the minimum-ℓ2 one is (0.8, 0.4).
 */
export function toyProblem(): Problem {
  return {
    name: "toy 2-D",
    n: 1,
    d: 2,
    X: Float64Array.from([1, 0.5]),
    y: Float64Array.from([1]),
    wStar: Float64Array.from([1, 0]),
    test: null,
    meta: { kind: "toy" },
  };
}

/** Wrap given data (X as rows or row-major with sizes) as a Problem, validating shapes and finiteness. */
export function makeProblem(data: { X: number[][] | Float64Array; y: ArrayLike<number>; n?: number; d?: number; wStar?: ArrayLike<number> | null; name?: string }): Problem {
  let X: Float64Array;
  let n: number;
  let d: number;
  if (data.X instanceof Float64Array) {
    n = checkInteger("n", data.n, { min: 1 });
    d = checkInteger("d", data.d, { min: 1 });
    X = checkVector("X", data.X, n * d);
  } else {
    if (!Array.isArray(data.X) || data.X.length === 0) throw new TypeError("X must be a non-empty array of rows");
    n = data.X.length;
    const first = data.X[0];
    if (!Array.isArray(first) || first.length === 0) throw new TypeError("X[0] must be a non-empty array of numbers");
    d = first.length;
    X = new Float64Array(n * d);
    data.X.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== d) throw new RangeError(`X[${i}] must have length ${d} like X[0], got ${Array.isArray(row) ? row.length : typeof row}`);
      row.forEach((x, j) => {
        if (typeof x !== "number" || !Number.isFinite(x)) throw new TypeError(`X[${i}][${j}] must be a finite number, got ${JSON.stringify(x)}`);
        X[i * d + j] = x;
      });
    });
  }
  const y = checkVector("y", toF64("y", data.y), n);
  const wStar = data.wStar == null ? null : checkVector("wStar", toF64("wStar", data.wStar), d);
  return { name: data.name ?? `custom(n=${n}, d=${d})`, n, d, X, y, wStar, test: null, meta: { kind: "custom" } };
}

function toF64(name: string, a: ArrayLike<number>): Float64Array {
  if (a instanceof Float64Array) return a;
  if (a == null || typeof (a as ArrayLike<number>).length !== "number") throw new TypeError(`${name} must be an array of numbers`);
  const out: Float64Array = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== "number" || !Number.isFinite(a[i])) throw new TypeError(`${name}[${i}] must be a finite number, got ${JSON.stringify(a[i])}`);
    out[i] = a[i];
  }
  return out;
}

/** L(w) = ‖Xw − y‖²/(2n). */
export function trainLoss(p: Problem, w: Float64Array): number {
  checkVector("w", w, p.d);
  const r = matVec(p.X, p.n, p.d, w);
  let s = 0;
  for (let i = 0; i < p.n; i++) s += (r[i] - p.y[i]) ** 2;
  return s / (2 * p.n);
}

/** ‖w − w*‖₂: the recovery error used throughout the notebooks. */
export function recoveryError(p: Problem, w: Float64Array): number {
  if (!p.wStar) throw new RangeError(`problem "${p.name}" has no planted wStar, so the recovery error is undefined`);
  checkVector("w", w, p.d);
  return distance(w, p.wStar);
}

/** Held-out loss ‖X_test w − y_test‖²/(2 n_test) (noiseless labels). */
export function testLoss(p: Problem, w: Float64Array): number {
  if (!p.test) throw new RangeError(`problem "${p.name}" has no held-out set (nTest = 0)`);
  checkVector("w", w, p.d);
  const r = matVec(p.test.X, p.test.n, p.d, w);
  let s = 0;
  for (let i = 0; i < p.test.n; i++) s += (r[i] - p.test.y[i]) ** 2;
  return s / (2 * p.test.n);
}

const FORMAT = "momentum-dln/problem@1";

/** A JSON-ready object (X as rows); the held-out set is regenerated from meta, not stored. */
export function problemToJSON(p: Problem): object {
  const rows: number[][] = [];
  for (let i = 0; i < p.n; i++) rows.push(Array.from(p.X.subarray(i * p.d, (i + 1) * p.d)));
  return { format: FORMAT, name: p.name, n: p.n, d: p.d, X: rows, y: Array.from(p.y), wStar: p.wStar ? Array.from(p.wStar) : null, meta: p.meta };
}

/** Inverse of problemToJSON; a sparse instance gets its held-out set back from its seed. */
export function problemFromJSON(json: unknown): Problem {
  const o = json as Record<string, unknown>;
  if (!o || o.format !== FORMAT) throw new TypeError(`not a problem file: expected format "${FORMAT}", got ${JSON.stringify(o?.format)}`);
  const p = makeProblem({ X: o.X as number[][], y: o.y as number[], wStar: o.wStar as number[] | null, name: String(o.name) });
  p.meta = (o.meta as Record<string, unknown>) ?? {};
  if (p.meta.kind === "sparse") {
    const regenerated = sparseRegression(p.meta as SparseRegressionOptions);
    if (regenerated.X.every((x, i) => x === p.X[i])) p.test = regenerated.test;
  }
  return p;
}
