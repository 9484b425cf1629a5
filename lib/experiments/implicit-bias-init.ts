/**
 * Momentum read as a non-uniform initialisation (notebook 04): GF from the balancedness Δ∞ of an MGF run, with and
 * without the base point w̃₀ (08-theory.ipynb#mirror-identity), and a uniform shrinkage of the same size.
 */
import { stateWithBalancedness, type MomentumRunSummary } from "../bias/balancedness";
import { minPsiInterpolator } from "../bias/interpolators";
import { distance, norm1 } from "../core/linalg";
import { checkNumber } from "../core/validate";
import { gradientFlow, type FlowResult } from "../dynamics/flows";
import { recoveryError, type Problem } from "../model/problems";
import type { Row } from "./balancedness";

/** GF from the two initialisations that momentum's limit suggests. */
export interface InitComparison {
  /** GF from u₀ = √Δ∞, v₀ = 0: lands on argmin ψ_Δ∞. */
  plain: FlowResult;
  /** GF from u₀² − v₀² = Δ∞, u₀v₀ = w̃₀: lands on argmin D_ψΔ∞(·, w̃₀), i.e. on MGF's own limit. */
  withBase: FlowResult;
  /** ‖plain − argmin ψ_Δ∞‖, ‖plain − w∞^MGF‖ and ‖withBase − w∞^MGF‖. */
  plainToApprox: number;
  plainToMgf: number;
  withBaseToMgf: number;
}

/**
 * Run GF from the balancedness Δ∞ of an MGF run (08-theory.ipynb#mirror-identity): once with w₀ = 0, once with
 * w₀ = w̃₀, each to T (rtol 1e-10), and measure where they land against argmin ψ_Δ∞ and against MGF's limit.
 * @param p problem; @param summary summarizeMomentumRun of the MGF run (valid: Δ∞ > 0 and w̃₀ defined)
 * @param mgfLimit its limit w∞; @param o T (default 1500), rtol (default 1e-10)
 * @returns both GF runs and three distances
 * @throws RangeError if the summary is of a run with a crossing, or T is not positive
 * @example initFromMomentum(p, sumLong, long.final.w).withBaseToMgf // 6.7e-11 at λ = 0.2
 */
export function initFromMomentum(p: Problem, summary: MomentumRunSummary, mgfLimit: Float64Array, o: { T?: number; rtol?: number } = {}): InitComparison {
  if (!summary || !summary.valid || !summary.offsetPoint || !summary.approx) {
    throw new RangeError("initFromMomentum needs the summary of an MGF run without a crossing (Δ∞ > 0, w̃₀ defined)");
  }
  const T = checkNumber("T", o.T ?? 1500, { min: 0, minOpen: true });
  const opts = { T, rtol: o.rtol ?? 1e-10, times: [0, T] };
  const plain = gradientFlow(p, { ...opts, init: stateWithBalancedness(summary.DeltaInf) });
  const withBase = gradientFlow(p, { ...opts, init: stateWithBalancedness(summary.DeltaInf, summary.offsetPoint) });
  return { plain, withBase, plainToApprox: distance(plain.final.w, summary.approx.w), plainToMgf: distance(plain.final.w, mgfLimit),
    withBaseToMgf: distance(withBase.final.w, mgfLimit) };
}

/** Recovery errors of the four solutions of {@link shapeComparison}. */
export interface ShapeComparison {
  rows: Row[];
  /** The uniform Δ (mean of Δ∞). */
  uniformDelta: number;
  /** ‖w − w*‖ of GF, MGF, GF from √Δ∞ and argmin ψ at the uniform Δ. */
  errors: { gf: number; mgf: number; init: number; uniform: number };
}

/**
 * Same overall shrinkage, different shape: recovery error and ‖w‖₁ of GF (uniform Δ₀), MGF's limit, GF from √Δ∞, and
 * argmin ψ at the uniform Δ equal to the geometric or arithmetic mean of Δ∞.
 * @param p problem; @param o gf (GF's limit), mgf (MGF's limit), init (GF from √Δ∞), DeltaInf, Delta0, lambda (for the labels), mean
 * @returns the table rows, the uniform Δ and the four recovery errors
 * @throws RangeError for a mean other than "geometric" or "arithmetic"
 * @example shapeComparison(p, { gf, mgf, init, DeltaInf, Delta0: 0.02, lambda: 0.2 }).errors.uniform // 0.501
 */
export function shapeComparison(p: Problem, o: { gf: Float64Array; mgf: Float64Array; init: Float64Array; DeltaInf: Float64Array; Delta0: number; lambda: number; mean?: "geometric" | "arithmetic" }): ShapeComparison {
  const mean = o.mean ?? "geometric";
  if (mean !== "geometric" && mean !== "arithmetic") throw new RangeError(`mean must be "geometric" or "arithmetic", got ${JSON.stringify(mean)}`);
  const D = o.DeltaInf;
  const m = mean === "geometric" ? Math.exp(D.reduce((s, x) => s + Math.log(x), 0) / D.length) : D.reduce((s, x) => s + x, 0) / D.length;
  const uniform = minPsiInterpolator(p, m).w;
  const errors = { gf: recoveryError(p, o.gf), mgf: recoveryError(p, o.mgf), init: recoveryError(p, o.init), uniform: recoveryError(p, uniform) };
  const row = (solution: string, w: Float64Array, err: number) => ({ solution, "‖w − w*‖": err, "‖w‖₁": norm1(w) });
  const rows = [row(`GF, uniform Δ₀ = ${Number(o.Delta0.toPrecision(3))}`, o.gf, errors.gf), row(`MGF λ = ${o.lambda} (w∞)`, o.mgf, errors.mgf),
    row("GF from √Δ∞ (= argmin ψ_Δ∞)", o.init, errors.init),
    row(`argmin ψ at uniform Δ = ${m.toPrecision(3)} (${mean === "geometric" ? "geo." : "arith."} mean of Δ∞)`, uniform, errors.uniform)];
  return { rows, uniformDelta: m, errors };
}
