/**
 * Live computations of notebook 05 (small, seconds each): the projection to the limit against a long run, the
 * data-scale equivalence of paths, the anatomy of a decoy design, the uniform/shape split of MGF's Δ∞, and GF from
 * initialisations with entries of different magnitudes (spread α) with the weighted-ℓ1 limit of its ψ problem.
 */
import { projectToLimit } from "../bias/balancedness";
import { minPsiInterpolator } from "../bias/interpolators";
import { weightedL1 } from "../bias/l1";
import { flowLimit } from "../bias/limit";
import { distance, matTVec } from "../core/linalg";
import { correlation, geometricMean, mean, sd } from "../core/stats";
import { checkInteger, checkNumber } from "../core/validate";
import { momentumFlow } from "../dynamics/flows";
import { spreadAlpha } from "../model/designs";
import { recoveryError, sparseRegression, type Problem } from "../model/problems";
import { buildProblem, normalizeProblem } from "../sweeps/problem-spec";
import type { Regime } from "./sparse-grids";

/** Projection from time T against a long run to tLong (same flow). */
export interface ProjectionCheck {
  lossAtT: number;
  lossLong: number;
  /** ‖w(T) − w(tLong)‖: how far the raw state still is. */
  rawGap: number;
  /** ‖proj(T) − w(tLong)‖. */
  projToLong: number;
  /** ‖proj(T) − proj(tLong)‖: the tail the projection drops. */
  projGap: number;
  /** ‖proj(T) − w*‖. */
  err: number;
}

/**
 * Project an MGF state at T to its limit and compare with a run to tLong (and its projection).
 * @param p problem with w*; @param o lambda (λ ≥ 0), alpha (α > 0), T, tLong (> T)
 * @throws RangeError for tLong ≤ T
 * @example projectionCheck(sparseRegression({ seed: 0, nTest: 0 }), { lambda: 0.2, alpha: 0.01, T: 200, tLong: 4000 }).projGap
 */
export function projectionCheck(p: Problem, o: { lambda: number; alpha: number; T: number; tLong: number }): ProjectionCheck {
  const T = checkNumber("T", o.T, { min: 0, minOpen: true });
  const tLong = checkNumber("tLong", o.tLong, { min: T, minOpen: true });
  const run = momentumFlow(p, { lambda: o.lambda, alpha: o.alpha, T: tLong, times: [T, tLong] });
  const [a, b] = run.points;
  const projA = projectToLimit(p, a, o.lambda).w;
  const projB = projectToLimit(p, b, o.lambda).w;
  return { lossAtT: a.loss, lossLong: b.loss, rawGap: distance(a.w, b.w), projToLong: distance(projA, b.w), projGap: distance(projA, projB), err: recoveryError(p, projA) };
}

/**
 * Data scale is λ in disguise: the largest gap between the path of MGF(εX, εy; λ) at times t and that of
 * MGF(X, y; λε²) at times ε²t, over `times` (integers 0..T).
 * @example scalePathGap({ seed: 0, eps: 2, lambda: 0.05, alpha: 0.1, T: 50 })
 */
export function scalePathGap(o: { seed: number; eps: number; lambda: number; alpha: number; T: number }): number {
  const eps = checkNumber("eps", o.eps, { min: 0, minOpen: true });
  const T = checkInteger("T", o.T, { min: 1 });
  const times = Array.from({ length: T + 1 }, (_, i) => i);
  const tol = { rtol: 1e-10, atol: 1e-14 };
  const scaled = momentumFlow(sparseRegression({ seed: o.seed, nTest: 0, scale: eps }), { lambda: o.lambda, alpha: o.alpha, T, times, ...tol });
  const plain = momentumFlow(sparseRegression({ seed: o.seed, nTest: 0 }), { lambda: o.lambda * eps * eps, alpha: o.alpha, T: T * eps * eps, times: times.map((t) => t * eps * eps), ...tol });
  return Math.max(...scaled.points.map((s, i) => distance(s.w, plain.points[i].w)));
}

/** The decoy of one data set: its early gradient and rank, and the limits of GF and MGF at some λ. */
export interface DecoyAnatomy {
  decoy: number;
  sampleCorrelation: number;
  /** |x_Dᵀy|/n and how many coordinates have a larger one (0 = largest). */
  earlyGradient: number;
  earlyGradientRank: number;
  supportGradients: number[];
  /** Per coordinate: "decoy", "support" or "other". */
  kinds: string[];
  runs: { lambda: number; err: number; wDecoy: number; ratioDecoy: number; minOtherRatio: number; signChanges: number; ratios: number[] }[];
}

/**
 * Limits of GF and MGF on a decoy design, and where the decoy stands.
 * @param p a decoyRegression problem; @param o alpha and the λ list (0 = GF)
 * @throws RangeError if p is not a decoy design
 */
export function decoyAnatomy(p: Problem, o: { alpha: number; lambdas: number[] }): DecoyAnatomy {
  if (p.meta.kind !== "decoy") throw new RangeError(`decoyAnatomy needs a decoyRegression problem, got kind ${String(p.meta.kind)}`);
  const D = p.meta.decoy as number;
  const g0 = Array.from(matTVec(p.X, p.n, p.d, p.y), (x) => Math.abs(x) / p.n);
  const D0 = 2 * o.alpha * o.alpha;
  const wStar = p.wStar as Float64Array;
  return {
    decoy: D,
    sampleCorrelation: p.meta.sampleCorrelation as number,
    earlyGradient: g0[D],
    earlyGradientRank: g0.filter((x) => x > g0[D]).length,
    supportGradients: g0.filter((_, j) => wStar[j] !== 0),
    kinds: g0.map((_, j) => (j === D ? "decoy" : wStar[j] !== 0 ? "support" : "other")),
    runs: o.lambdas.map((lambda) => {
      const lim = flowLimit(p, { lambda, alpha: o.alpha });
      const ratios = Array.from(lim.DeltaInf, (x) => x / D0);
      return { lambda, err: recoveryError(p, lim.w), wDecoy: lim.w[D], ratioDecoy: ratios[D], minOtherRatio: Math.min(...ratios.filter((_, j) => j !== D)), signChanges: lim.signChanges, ratios };
    }),
  };
}

/** err(MGF) − err(GF) = [uniform part] + [shape part]. */
export interface UniformShapeSplit {
  /** Geometric mean c of Δ∞/Δ₀. */
  c: number;
  errGF: number;
  errUniform: number;
  errMGF: number;
  uniformPart: number;
  shapePart: number;
}

/**
 * Split MGF's effect on the error: a uniform shrink of Δ₀ to cΔ₀ (c = geometric mean of Δ∞/Δ₀, the GF limit from
 * α√c), then the shape of Δ∞.
 * @example uniformShapeSplit(sparseRegression({ seed: 0, nTest: 0 }), { alpha: 0.01, lambda: 0.1 })
 */
export function uniformShapeSplit(p: Problem, o: { alpha: number; lambda: number }): UniformShapeSplit {
  const D0 = 2 * o.alpha * o.alpha;
  const lim = flowLimit(p, { lambda: o.lambda, alpha: o.alpha });
  const c = geometricMean(lim.DeltaInf.map((x) => x / D0));
  const errGF = recoveryError(p, minPsiInterpolator(p, D0).w);
  const errUniform = recoveryError(p, minPsiInterpolator(p, c * D0).w);
  const errMGF = recoveryError(p, lim.w);
  return { c, errGF, errUniform, errMGF, uniformPart: errUniform - errGF, shapePart: errMGF - errUniform };
}

/**
 * GF from a spread α converges to argmin ψ_{2α²}: the distance between a long GF run and that solution.
 * @example gfSpreadGap(p, { alpha: 0.1, decades: 2, seed: 1000, T: 1500 })
 */
export function gfSpreadGap(p: Problem, o: { alpha: number; decades: number; seed: number; T: number }): { gap: number; lossAtT: number } {
  const a = spreadAlpha(o.alpha, p.d, { decades: o.decades, seed: o.seed });
  const run = momentumFlow(p, { lambda: 0, alpha: a, T: o.T, times: [o.T] });
  return { gap: distance(run.final.w, minPsiInterpolator(p, a.map((x) => 2 * x * x)).w), lossAtT: run.final.loss };
}

/** Spread vs uniform α (same geometric mean) for GF's limit, over data sets. */
export interface SpreadRow {
  alpha: number;
  decades: number;
  /** Data sets where the spread init recovers worse. */
  worse: number;
  total: number;
  meanDiff: number;
  sdDiff: number;
}

/**
 * GF's limit argmin ψ_{2α²} with a spread α (spread seed 1000 + data index) against the uniform α, paired.
 * @param problems data sets (index s gives spread seed 1000 + s); @param o alphas, decades lists
 * @example spreadComparison([0, 1].map((seed) => sparseRegression({ seed, nTest: 0 })), { alphas: [0.01], decades: [1, 2] })
 */
export function spreadComparison(problems: Problem[], o: { alphas: number[]; decades: number[] }): SpreadRow[] {
  if (!Array.isArray(problems) || problems.length === 0) throw new RangeError("spreadComparison needs a non-empty array of problems");
  return o.alphas.flatMap((alpha) => {
    const uniform = problems.map((p) => recoveryError(p, minPsiInterpolator(p, 2 * alpha * alpha).w));
    return o.decades.map((decades) => {
      const diff = problems.map((p, s) => recoveryError(p, minPsiInterpolator(p, spreadAlpha(alpha, p.d, { decades, seed: 1000 + s }).map((x) => 2 * x * x)).w) - uniform[s]);
      return { alpha, decades, worse: diff.filter((x) => x > 0).length, total: diff.length, meanDiff: mean(diff), sdDiff: diff.length > 1 ? sd(diff) : 0 };
    });
  });
}

/**
 * The weights ½ln(1/Δᵢ) of the small-Δ limit of ψ_Δ for a spread α, and where argmin ψ's error sits.
 * @returns per-coordinate rows, and corr(ln Δᵢ, ln|wᵢ|) off the support
 */
export function spreadWeights(p: Problem, o: { alpha: number; decades: number; seed: number }): { weights: Float64Array; w: Float64Array; rows: { weight: number; error: number; onSupport: boolean }[]; leakCorrelation: number } {
  const a = spreadAlpha(o.alpha, p.d, { decades: o.decades, seed: o.seed });
  const D = a.map((x) => 2 * x * x);
  const weights = D.map((x) => 0.5 * Math.log(1 / x));
  const w = minPsiInterpolator(p, D).w;
  const wStar = p.wStar as Float64Array;
  const off = Array.from({ length: p.d }, (_, j) => j).filter((j) => wStar[j] === 0);
  return {
    weights,
    w,
    rows: Array.from(weights, (weight, j) => ({ weight, error: Math.abs(w[j] - wStar[j]), onSupport: wStar[j] !== 0 })),
    leakCorrelation: correlation(Float64Array.from(off, (j) => Math.log(D[j])), Float64Array.from(off, (j) => Math.log(Math.abs(w[j]) + 1e-12))),
  };
}

/**
 * The weighted-ℓ1 limit (weights ½ln(1/Δᵢ) of a spread α) on each data set: its recovery error (HiGHS).
 * @example await weightedL1Errors(problems, { alpha: 0.01, decades: 2 })
 */
export async function weightedL1Errors(problems: Problem[], o: { alpha: number; decades: number }): Promise<number[]> {
  const out: number[] = [];
  for (const [s, p] of problems.entries()) {
    const a = spreadAlpha(o.alpha, p.d, { decades: o.decades, seed: 1000 + s });
    out.push(recoveryError(p, (await weightedL1(p, a.map((x) => 0.5 * Math.log(1 / (2 * x * x))))).w));
  }
  return out;
}

/**
 * The uniform/shape split for several regimes and seeds (each regime's data at that seed, no held-out set).
 * @param regimes designs as Regime objects (e.g. ISOTROPIC, STRONG_DECOY); @param o seeds, alpha, lambda
 * @example uniformShapeRows([ISOTROPIC, STRONG_DECOY], { seeds: [0, 1], alpha: 0.01, lambda: 0.1 })
 */
export function uniformShapeRows(regimes: Regime[], o: { seeds: number[]; alpha: number; lambda: number }): Record<string, string | number>[] {
  if (!Array.isArray(regimes) || regimes.length === 0) throw new RangeError("regimes must be a non-empty array of regimes");
  return o.seeds.flatMap((seed) => regimes.map((r) => {
    const spec = normalizeProblem({ design: r.design, n: r.n, noise: r.noise, scale: r.scale, rho: r.rho, seed, nTest: 0 });
    const split: Record<string, string | number> = { design: r.id, seed };
    return Object.assign(split, uniformShapeSplit(buildProblem(spec), { alpha: o.alpha, lambda: o.lambda }));
  }));
}
