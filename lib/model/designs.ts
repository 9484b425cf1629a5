/**
 * Problem designs beyond the isotropic Gaussian one, for mapping where momentum helps and where it hurts sparse
 * recovery (notebook 05), plus initialisations with entries of different magnitudes:
 *
 * - decoyRegression: isotropic X with one spurious "decoy" column correlated ρ with the clean signal Xw*
 *   (the decoy is not in the support; it has the largest early gradient, so an ℓ1-like bias is tempted by it);
 * - toeplitzRegression: rows x ~ N(0, Σ) with Σ_ij = ρ^|i−j| (AR(1) columns);
 * - spreadAlpha: per-coordinate α, log-uniform over a number of decades, geometric mean exactly α;
 * - populationError: (w − w*)ᵀΣ(w − w*)/2 with the design's exact Σ;
 * All designs are seeded (same seed → bit-identical data) and return the Problem of lib/problems.ts.
 */
import { matVec } from "../core/linalg";
import { sparseOptions, type Problem, type SparseRegressionOptions } from "./problems";
import { createRng, sampleWithoutReplacement } from "../core/random";
import type { Rng } from "../core/random";
import { correlation } from "../core/stats";
import { checkInteger, checkNumber, checkSize, checkVector } from "../core/validate";

/** The options of every design: those of sparseRegression (n, d, k, seed, noise, nTest, scale). */
export type DesignOptions = SparseRegressionOptions;

export interface DecoyOptions extends DesignOptions {
  /** Population correlation ρ ∈ [0, 1) of the decoy column with the clean signal Xw* (default 0.9). */
  rho?: number;
}

export interface ToeplitzOptions extends DesignOptions {
  /** Correlation between neighbouring columns, Σ_ij = ρ^|i−j|, ρ ∈ (−1, 1) (default 0.5). */
  rho?: number;
}

function common(o: DesignOptions): Required<DesignOptions> {
  // a design needs at least one coordinate off the support (for the decoy) and a non-empty support
  return sparseOptions(o, { minD: 2, minK: 1, kBelowD: 1 });
}

/** Planted ±1 vector on a random k-subset (same draw order as sparseRegression). */
function plant(rng: Rng, d: number, k: number): { wStar: Float64Array; support: number[] } {
  const wStar = new Float64Array(d);
  const support = Array.from(sampleWithoutReplacement(rng, d, k));
  for (const j of support) wStar[j] = rng.uniform() < 0.5 ? -1 : 1;
  return { wStar, support: support.slice().sort((a, b) => a - b) };
}

/** Overwrites column `col` of the m×d block X with ρ·(Xw*)/‖w*‖ + √(1−ρ²)·z, z ~ N(0, 1). */
function writeDecoy(rng: Rng, X: Float64Array, m: number, d: number, col: number, wStar: Float64Array, rho: number): void {
  let nw = 0;
  for (let j = 0; j < d; j++) nw += wStar[j] * wStar[j];
  nw = Math.sqrt(nw);
  const signal = matVec(X, m, d, wStar); // column `col` is off the support, so it does not enter
  const c = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < m; i++) X[i * d + col] = (rho * signal[i]) / nw + c * rng.normal();
}

/**
 * Isotropic Gaussian design with one spurious **decoy** feature: X_ij ~ N(0, 1), w* k-sparse ±1 (drawn exactly as
 * sparseRegression with the same seed: same X before the decoy column is replaced, same w*), then one random
 * off-support column D is replaced by x_D = ρ·(Xw*)/‖w*‖₂ + √(1−ρ²)·z. x_D is N(0, 1), has population correlation
 * ρ with the clean signal Xw*, and its early gradient |x_Dᵀy|/n ≈ ρ‖w*‖₂ (= 2.0 for ρ = 0.9, k = 5) beats every
 * support coordinate's ≈ |w*_j| = 1. w*_D = 0, so y = Xw* (+ noise) is still explained by the support alone.
 * The held-out set is drawn from the same design. meta: {kind: "decoy", decoy: D, rho, support, sampleCorrelation}.
 * @param options n, d, k, seed, noise, nTest, scale (as sparseRegression), rho (ρ ∈ [0, 1), default 0.9)
 * @returns a Problem
 * @throws RangeError for k ≥ d, ρ ∉ [0, 1) or bad sizes
 * @example const p = decoyRegression({ seed: 1, rho: 0.9 }); p.meta.decoy // the decoy's column index
 */
export function decoyRegression(options: DecoyOptions = {}): Problem {
  const { n, d, k, seed, noise, nTest, scale } = common(options);
  const rho = checkNumber("rho", options.rho ?? 0.9, { min: 0, max: 1, maxOpen: true });
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const { wStar, support } = plant(rng, d, k);
  const off: number[] = [];
  for (let j = 0; j < d; j++) if (wStar[j] === 0) off.push(j);
  const decoy = off[rng.int(off.length)];
  writeDecoy(rng, X, n, d, decoy, wStar, rho);
  const clean = matVec(X, n, d, wStar);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = clean[i] + noise * rng.normal();
  const sampleCorrelation = correlation(column(X, n, d, decoy), clean);
  let test: Problem["test"] = null;
  if (nTest > 0) {
    const Xt = new Float64Array(nTest * d);
    for (let i = 0; i < Xt.length; i++) Xt[i] = rng.normal();
    writeDecoy(rng, Xt, nTest, d, decoy, wStar, rho);
    test = { n: nTest, X: Xt, y: matVec(Xt, nTest, d, wStar) };
  }
  rescale(X, y, test, scale);
  return {
    name: `decoy(n=${n}, d=${d}, k=${k}, ρ=${rho}, seed=${seed})`,
    n, d, X, y, wStar, test,
    meta: { kind: "decoy", n, d, k, seed, noise, nTest, scale, rho, decoy, support, sampleCorrelation },
  };
}

/** Writes rows of N(0, Σ), Σ_ij = ρ^|i−j|, as AR(1) along the columns: x_0 = z_0, x_j = ρx_{j−1} + √(1−ρ²)z_j. */
function fillToeplitz(rng: Rng, X: Float64Array, m: number, d: number, rho: number): void {
  const c = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < m; i++) {
    let prev = rng.normal();
    X[i * d] = prev;
    for (let j = 1; j < d; j++) {
      prev = rho * prev + c * rng.normal();
      X[i * d + j] = prev;
    }
  }
}

/**
 * Correlated Gaussian design: rows x_i ~ N(0, Σ) with Σ_ij = ρ^|i−j| (unit variances), w* k-sparse ±1 on a random
 * support, y = Xw* + noise. Neighbouring features are correlated ρ, so coordinates next to the support pick up
 * early gradient. The held-out set has the same Σ. meta: {kind: "toeplitz", rho, support}.
 * @param options n, d, k, seed, noise, nTest, scale, rho (ρ ∈ (−1, 1), default 0.5)
 * @throws RangeError for |ρ| ≥ 1 or bad sizes
 * @example toeplitzRegression({ rho: 0.5, seed: 2 })
 */
export function toeplitzRegression(options: ToeplitzOptions = {}): Problem {
  const { n, d, k, seed, noise, nTest, scale } = common(options);
  const rho = checkNumber("rho", options.rho ?? 0.5, { min: -1, max: 1, minOpen: true, maxOpen: true });
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  fillToeplitz(rng, X, n, d, rho);
  const { wStar, support } = plant(rng, d, k);
  const y = matVec(X, n, d, wStar);
  for (let i = 0; i < n; i++) y[i] += noise * rng.normal();
  let test: Problem["test"] = null;
  if (nTest > 0) {
    const Xt = new Float64Array(nTest * d);
    fillToeplitz(rng, Xt, nTest, d, rho);
    test = { n: nTest, X: Xt, y: matVec(Xt, nTest, d, wStar) };
  }
  rescale(X, y, test, scale);
  return {
    name: `toeplitz(n=${n}, d=${d}, k=${k}, ρ=${rho}, seed=${seed})`,
    n, d, X, y, wStar, test,
    meta: { kind: "toeplitz", n, d, k, seed, noise, nTest, scale, rho, support },
  };
}

function rescale(X: Float64Array, y: Float64Array, test: Problem["test"], scale: number): void {
  if (scale === 1) return;
  for (let i = 0; i < X.length; i++) X[i] *= scale;
  for (let i = 0; i < y.length; i++) y[i] *= scale;
  if (test) {
    for (let i = 0; i < test.X.length; i++) test.X[i] *= scale;
    for (let i = 0; i < test.y.length; i++) test.y[i] *= scale;
  }
}

function column(X: Float64Array, n: number, d: number, j: number): Float64Array {
  const out: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * d + j];
  return out;
}

/**
 * Per-coordinate initialisation scales α_i with entries of different magnitudes and the same geometric mean:
 * log10 α_i = log10 α + decades·(U_i − mean U), U_i ~ Uniform(0, 1) seeded. `decades` = 0 gives α𝟙; 1 spreads the
 * entries over one decade, 2 over two. The geometric mean is exactly α (up to rounding).
 * @param alpha geometric-mean scale α > 0; @param d dimension
 * @param options decades ≥ 0 (default 1), seed (default 0)
 * @returns Float64Array of length d
 * @example geometricMean(spreadAlpha(0.01, 100, { decades: 2, seed: 3 })) // 0.01
 */
export function spreadAlpha(alpha: number, d: number, options: { decades?: number; seed?: number } = {}): Float64Array {
  checkNumber("alpha", alpha, { min: 0, minOpen: true });
  checkSize("d", d, 1);
  const decades = checkNumber("decades", options.decades ?? 1, { min: 0, max: 20 });
  const seed = checkInteger("seed", options.seed ?? 0, { min: 0, max: 2 ** 32 - 1 });
  const rng = createRng(seed);
  const u = new Float64Array(d);
  let m = 0;
  for (let j = 0; j < d; j++) {
    u[j] = rng.uniform();
    m += u[j];
  }
  m /= d;
  const out: Float64Array = new Float64Array(d);
  const la = Math.log10(alpha);
  for (let j = 0; j < d; j++) out[j] = 10 ** (la + decades * (u[j] - m));
  return out;
}

/**
 * Population excess loss ½(w − w*)ᵀΣ(w − w*) with the exact covariance of the design that made p:
 * Σ = ε²I (kind "sparse"), ε² times Σ_ij = ρ^|i−j| ("toeplitz"), ε² times I plus the decoy's covariances
 * Cov(x_D, x_j) = ρ w*_j/‖w*‖ ("decoy"); ε is p.meta.scale.
 * @throws RangeError if p has no w* or its meta.kind is not one of these
 */
export function populationError(p: Problem, w: Float64Array): number {
  if (!p || !p.wStar) throw new RangeError("populationError needs a problem with a planted wStar");
  const d = p.d;
  checkVector("w", w, d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) e[j] = w[j] - p.wStar[j];
  const meta = p.meta ?? {};
  const eps = typeof meta.scale === "number" ? meta.scale : 1;
  let q = 0;
  for (let j = 0; j < d; j++) q += e[j] * e[j];
  if (meta.kind === "sparse") {
    // Σ = I
  } else if (meta.kind === "decoy") {
    const D = meta.decoy as number;
    const rho = meta.rho as number;
    let nw = 0;
    for (let j = 0; j < d; j++) nw += p.wStar[j] * p.wStar[j];
    nw = Math.sqrt(nw);
    let cross = 0;
    for (let j = 0; j < d; j++) if (j !== D) cross += ((rho * p.wStar[j]) / nw) * e[j];
    q += 2 * e[D] * cross;
  } else if (meta.kind === "toeplitz") {
    const rho = meta.rho as number;
    // eᵀΣe = Σ_i e_i² + 2 Σ_{lag≥1} ρ^lag Σ_i e_i e_{i+lag}
    let pw = 1;
    for (let lag = 1; lag < d; lag++) {
      pw *= rho;
      if (Math.abs(pw) < 1e-300) break;
      let s = 0;
      for (let i = 0; i + lag < d; i++) s += e[i] * e[i + lag];
      q += 2 * pw * s;
    }
  } else {
    throw new RangeError(`populationError knows the kinds "sparse", "decoy", "toeplitz"; got ${JSON.stringify(meta.kind)}`);
  }
  return (eps * eps * q) / 2;
}
