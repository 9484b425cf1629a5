/**
 * The first-order prediction of notebook 03: Δ∞ ≈ Δ₀·exp(−2λ∫g²_GF) from one gradient-flow run
 * (08-theory.ipynb#first-order-delta), its error max|ln(Δ∞/prediction)| against λ with local slopes, and
 * ln(Δ∞/Δ₀) per coordinate against λ. Runs with a u ± v crossing are left out (the logarithm is not defined).
 */
import { deltaInfinity, firstOrderDelta } from "../bias/balancedness";
import type { FlowIntegrals, FlowResult } from "../dynamics/flows";
import { positiveScalarOrVector } from "../core/validate";
import { checkSupport, deltaRatio, splitByCrossing, type Row, type Trend, type UV } from "./balancedness";

/**
 * ∫g² from a vector, a run's integrals or a run with integrals.
 * @param g2 the vector, `run.final.integrals`, or the run; @param caller the function name for the error message
 * @returns the ∫g² vector (not copied)
 * @throws RangeError if no ∫g² can be found (e.g. a run made without `integrals: true`)
 * @example g2Vector(gradientFlow(p, { T: 200, integrals: true }), "mine").length // p.d
 */
export function g2Vector(g2: Float64Array | FlowIntegrals | FlowResult, caller: string): Float64Array {
  if (g2 instanceof Float64Array) return g2;
  const I = (g2 as FlowResult)?.final ? (g2 as FlowResult).final.integrals : (g2 as FlowIntegrals);
  if (!I || !(I.g2 instanceof Float64Array)) throw new RangeError(`${caller}: g2 must be ∫g² (a vector, a run's integrals, or a run with integrals: true)`);
  return I.g2;
}

/**
 * Error of the first-order prediction for one run: max_i |ln(Δ∞,i / (Δ₀e^{−2λ∫g²_i}))| (claim S7.12).
 * @param final the run's last state; @param g2 ∫g² of the gradient-flow run (vector, integrals, or the GF run)
 * @param Delta0 Δ₀; @param lambda λ of the run
 * @returns the largest |ln| ratio over the coordinates
 * @throws RangeError if some Δ∞ ≤ 0 (a crossing: the logarithm is not defined) or ∫g² is missing
 * @example firstOrderError(run.final, gf, 0.02, 0.05) // 0.0197 on seed 0
 */
export function firstOrderError(final: UV, g2: Float64Array | FlowIntegrals | FlowResult, Delta0: number | Float64Array, lambda: number): number {
  const pred = firstOrderDelta(g2Vector(g2, "firstOrderError"), Delta0, lambda);
  const D = deltaInfinity(final);
  const bad = D.findIndex((x) => !(x > 0));
  if (bad >= 0) throw new RangeError(`firstOrderError: Δ∞[${bad}] = ${D[bad]} ≤ 0 at λ = ${lambda} (u − v crossed 0): the first-order formula does not apply`);
  return Math.max(...Array.from(D, (x, j) => Math.abs(Math.log(x / pred[j]))));
}

/**
 * Scatter rows {predicted Δ∞/Δ₀, measured Δ∞/Δ₀, λ, on supp w*, i}, one per coordinate and run without a crossing.
 * @param runs MGF runs; @param gf the gradient-flow run with integrals (its ∫g² makes the prediction)
 * @param Delta0 Δ₀; @param support the coordinates of supp(w*)
 * @param integralsFrom "GF" (default: one GF run predicts every λ) or "MGF" (each run's own ∫g², needs integrals)
 * @returns the rows (crossing runs contribute none)
 * @throws RangeError for a bad integralsFrom, a coordinate out of range, or missing integrals
 * @example firstOrderScatter(firstOrderRows(runs, gf, 0.02, supportOf(p)))
 */
export function firstOrderRows(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array, support: number[], integralsFrom: "GF" | "MGF" = "GF"): Row[] {
  const { valid } = splitByCrossing(runs);
  if (integralsFrom !== "GF" && integralsFrom !== "MGF") throw new RangeError(`integralsFrom must be "GF" or "MGF", got ${JSON.stringify(integralsFrom)}`);
  const supp = new Set(checkSupport(support, gf.final.u.length));
  return valid.flatMap((r) => {
    const pred = firstOrderDelta(g2Vector(integralsFrom === "GF" ? gf : r, "firstOrderRows"), Delta0, r.lambda);
    const D0 = positiveScalarOrVector("Delta0", Delta0, pred.length);
    const ratio = deltaRatio(r.final, Delta0);
    return Array.from(ratio, (x, j) => ({ "predicted Δ∞/Δ₀": pred[j] / D0[j], "measured Δ∞/Δ₀": x, λ: String(r.lambda), "on supp w*": supp.has(j), i: j }));
  });
}

/** The first-order error against λ. */
export interface FirstOrderScaling {
  /** {λ, err, err/λ², local slope} in increasing λ (local slope: against the previous row; null in the first). */
  rows: Row[];
  /** The errors, in the order of `lambdas`. */
  lambdas: number[];
  errors: number[];
  /** Notes for runs left out (crossings). */
  skipped: string[];
}

/**
 * The first-order error max|ln(Δ∞/prediction)| for each run without a crossing, sorted by λ, with the local slope
 * d ln err / d ln λ between neighbours (→ 2 when the error is O(λ²); 08-theory.ipynb#first-order-delta).
 * @param runs MGF runs (any sampling); @param gf the GF run with integrals; @param Delta0 Δ₀
 * @returns rows, λ, errors and the notes of the runs left out
 * @throws RangeError if no run is free of crossings
 * @example firstOrderScaling([r025, r05], gf, 0.02).rows[1]["local slope"] // 2.17 on seed 0
 */
export function firstOrderScaling(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array): FirstOrderScaling {
  const { valid, skipped } = splitByCrossing(runs);
  if (valid.length === 0) throw new RangeError(`every run crosses (${skipped.join("; ")}): the first-order formula applies to none`);
  const sorted = valid.slice().sort((a, b) => a.lambda - b.lambda);
  const lambdas = sorted.map((r) => r.lambda);
  const errors = sorted.map((r) => firstOrderError(r.final, gf, Delta0, r.lambda));
  const rows = lambdas.map((l, i) => ({ λ: l, err: errors[i], "err/λ²": errors[i] / l ** 2,
    "local slope": i === 0 ? null : Math.log(errors[i] / errors[i - 1]) / Math.log(l / lambdas[i - 1]) }));
  return { rows, lambdas, errors, skipped };
}

function checkScaling(scaling: unknown): FirstOrderScaling {
  const s = scaling as FirstOrderScaling;
  if (!s || !Array.isArray(s.lambdas) || !Array.isArray(s.errors) || !Array.isArray(s.rows)) throw new TypeError("scaling must come from firstOrderScaling");
  return s;
}

/**
 * The first-order error at one λ of a scaling study.
 * @param scaling from firstOrderScaling; @param lambda one of its λ
 * @returns the error max|ln(Δ∞/prediction)| at that λ
 * @throws RangeError naming the λ that were measured if `lambda` is not one of them
 * @example firstOrderErrorAt(scaling, 0.05) // 0.0197 on seed 0
 */
export function firstOrderErrorAt(scaling: FirstOrderScaling, lambda: number): number {
  checkScaling(scaling);
  const i = scaling.lambdas.indexOf(lambda);
  if (i < 0) throw new RangeError(`λ = ${lambda} is not among the measured λ (${scaling.lambdas.join(", ")}); add it to the runs of the scaling cell`);
  return scaling.errors[i];
}

/**
 * Local slopes d ln err / d ln λ between neighbouring λ of a scaling study.
 * @param scaling from firstOrderScaling
 * @returns one slope fewer than the λ (between λ₁ and λ₂ first)
 * @throws TypeError if scaling is malformed
 * @example firstOrderSlopes(scaling) // [2.17, 2.36, 3.05] on seed 0
 */
export function firstOrderSlopes(scaling: FirstOrderScaling): number[] {
  return checkScaling(scaling).rows.slice(1).map((r) => r["local slope"] as number);
}

/**
 * Claim 03.b measured: the local slopes of the first-order error increase with λ (the next-order terms fade as λ
 * shrinks, so the slope approaches 2 from above).
 * @param scaling from firstOrderScaling
 * @returns holds (false with fewer than two λ), and the slopes as "2.17 < 2.36 < 3.05"
 * @throws TypeError if scaling is malformed
 * @example firstOrderSlopeTrend(scaling).holds // true on seed 0
 */
export function firstOrderSlopeTrend(scaling: FirstOrderScaling): Trend {
  const s = firstOrderSlopes(scaling);
  return { holds: s.length > 0 && s.every((x, i) => i === 0 || x > s[i - 1]), measured: s.map((x) => x.toFixed(2)).join(" < ") };
}

/**
 * Chart rows of ln(Δ∞/Δ₀) against λ, one line per coordinate, from runs without a crossing; the GF run gives the
 * point λ = 0 (ln 1 = 0) and, on the support, the first-order line −2λ∫g²_GF (curve "first order", dashed in the chart).
 * @param runs MGF runs; @param gf the GF run with integrals; @param Delta0 Δ₀; @param support the coordinates of supp(w*)
 * @returns rows {λ, ln(Δ∞/Δ₀), i, on supp w*, curve}
 * @throws RangeError if the GF run has no integrals or a coordinate is out of range
 * @example logRatioChart(logRatioRows(runs, gf, 0.02, supportOf(p)))
 */
export function logRatioRows(runs: FlowResult[], gf: FlowResult, Delta0: number | Float64Array, support: number[]): Row[] {
  const { valid } = splitByCrossing(runs);
  const g2 = g2Vector(gf, "logRatioRows");
  const supp = checkSupport(support, g2.length);
  const onSupp = new Set(supp);
  const sorted = [gf, ...valid.filter((r) => r !== gf)].sort((a, b) => a.lambda - b.lambda);
  const measured = sorted.flatMap((r) => Array.from(deltaRatio(r.final, Delta0), (x, j) =>
    ({ λ: r.lambda, "ln(Δ∞/Δ₀)": Math.log(x), i: j, "on supp w*": onSupp.has(j), curve: "measured" })));
  const predicted = sorted.flatMap((r) => supp.map((j) => ({ λ: r.lambda, "ln(Δ∞/Δ₀)": -2 * r.lambda * g2[j], i: j, "on supp w*": true, curve: "first order" })));
  return [...measured, ...predicted];
}
