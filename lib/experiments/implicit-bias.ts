/**
 * The analyses of notebook 04 (implicit regularisation): which interpolator GF and MGF find. The ψ_Δ bridge from
 * min-ℓ2 to basis pursuit, the exact Bregman problem argmin D_ψΔ∞(·, w̃₀) and the approximate argmin ψ_Δ∞ against
 * MGF's limit over λ, and a predictor that needs one GF run (08-theory.ipynb#implicit-problem, #projection,
 * #first-order-delta). Over draws: implicit-bias-draws.ts; heavy ball: implicit-bias-mgd.ts; the initialisation
 * reading: implicit-bias-init.ts.
 *
 * Runs in which u ± v changed sign are kept in the tables with null in the columns that need the log-form identities
 * (the problems are then not defined), and left out of fits and claims.
 */
import { firstOrderDelta, projectToLimit, summarizeMomentumRun, type MomentumRunSummary } from "../bias/balancedness";
import { minPsiInterpolator } from "../bias/interpolators";
import { distance, norm1 } from "../core/linalg";
import { logLogSlope } from "../core/stats";
import { checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";
import { momentumFlow, type FlowResult } from "../dynamics/flows";
import { recoveryError, type Problem } from "../model/problems";
import { runValidity, supportOf, type Row } from "./balancedness";

// ── Argument checks ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A non-empty array whose entries pass `ok`, or a TypeError naming the first that does not. */
export function checkList<T>(name: string, xs: unknown, ok: (x: Record<string, unknown>) => boolean, from: string): T[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new TypeError(`${name} must be a non-empty array from ${from}`);
  xs.forEach((x, i) => {
    if (!x || typeof x !== "object" || !ok(x)) throw new TypeError(`${name}[${i}] is not an entry of ${from}`);
  });
  return xs as T[];
}

export const isEntry = (e: Record<string, unknown>) => e.limit instanceof Float64Array && !!e.summary && typeof e.lambda === "number";

const checkEntries = (entries: unknown): SweepEntry[] => checkList<SweepEntry>("entries", entries, isEntry, "implicitSweep");

const checkPoints = (points: unknown): BridgePoint[] =>
  checkList<BridgePoint>("points", points, (b) => typeof b.Delta === "number" && typeof b.toBasisPursuit === "number", "psiBridge");

// ── The ψ_Δ bridge ───────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Δ = 10^from, 10^(from − 1/perDecade), …, 10^to: a decreasing log grid for the bridge.
 * @param from largest exponent; @param to smallest exponent < from; @param perDecade values per decade (integer ≥ 1)
 * @returns round((from − to)·perDecade) + 1 values
 * @throws TypeError/RangeError for to ≥ from or a bad perDecade
 * @example bridgeDeltas(2, 0, 1) // [100, 10, 1]
 */
export function bridgeDeltas(from: number, to: number, perDecade: number): number[] {
  checkNumber("from", from);
  checkNumber("to", to, { max: from, maxOpen: true });
  checkInteger("perDecade", perDecade, { min: 1 });
  const count = Math.round((from - to) * perDecade) + 1;
  return Array.from({ length: count }, (_, i) => 10 ** (from - i / perDecade));
}

/** One point of the bridge: argmin ψ_Δ for a uniform Δ, and its distances to the two ends. */
export interface BridgePoint {
  Delta: number;
  w: Float64Array;
  iterations: number;
  toBasisPursuit: number;
  toMinNorm: number;
}

/**
 * argmin_{Xw=y} ψ_Δ(w) for each uniform Δ, in the order given, each Newton solve warm-started from the previous
 * dual; with the distances to basis pursuit and to the minimum-ℓ2 interpolator.
 * @param p problem; @param Deltas values of Δ > 0 (best in a monotone order, for the warm starts)
 * @param ends the basis-pursuit and minimum-ℓ2 interpolators of p
 * @returns one BridgePoint per Δ
 * @throws RangeError for an empty or non-positive Δ list, or a solve that does not converge
 * @example psiBridge(p, bridgeDeltas(6, -10, 4), { basisPursuit: (await basisPursuit(p)).w, minNorm: minNormInterpolator(p) })
 */
export function psiBridge(p: Problem, Deltas: number[], ends: { basisPursuit: Float64Array; minNorm: Float64Array }): BridgePoint[] {
  if (!Array.isArray(Deltas) || Deltas.length === 0) throw new RangeError("Deltas must be a non-empty array of numbers > 0");
  Deltas.forEach((D, i) => checkNumber(`Deltas[${i}]`, D, { min: 0, minOpen: true }));
  let nu: Float64Array | undefined;
  return Deltas.map((Delta) => {
    const m = minPsiInterpolator(p, Delta, { nu0: nu });
    nu = m.nu;
    return { Delta, w: m.w, iterations: m.iterations, toBasisPursuit: distance(m.w, ends.basisPursuit), toMinNorm: distance(m.w, ends.minNorm) };
  });
}

/**
 * Chart rows of the bridge, distances floored at 1e-16 for a log axis.
 * @param points from psiBridge
 * @returns rows {Δ, distance, to} (to: "basis pursuit (min ‖w‖₁)" or "min-ℓ2 interpolator")
 * @throws TypeError if points is not an array
 * @example bridgeChart(bridgeRows(bridge), { value: 0.02, label: "Δ₀" })
 */
export function bridgeRows(points: BridgePoint[]): Row[] {
  checkPoints(points);
  return points.flatMap((b) => [
    { Δ: b.Delta, distance: Math.max(b.toBasisPursuit, 1e-16), to: "basis pursuit (min ‖w‖₁)" },
    { Δ: b.Delta, distance: Math.max(b.toMinNorm, 1e-16), to: "min-ℓ2 interpolator" },
  ]);
}

/**
 * How fast argmin ψ_Δ approaches basis pursuit: the fitted exponent p of distance ∝ Δ^p over the points with
 * Δ ≤ below (least squares in log-log).
 * @param points from psiBridge; @param below largest Δ in the fit (default 1e-4)
 * @returns p
 * @throws RangeError if fewer than 2 points lie below `below`, or a distance is 0
 * @example bridgeExponent(bridge) // 0.549 on seed 0
 */
export function bridgeExponent(points: BridgePoint[], below = 1e-4): number {
  checkPoints(points);
  checkNumber("below", below, { min: 0, minOpen: true });
  const small = points.filter((b) => b.Delta <= below * (1 + 1e-12));
  if (small.length < 2) throw new RangeError(`bridgeExponent needs at least 2 points with Δ ≤ ${below}, got ${small.length}`);
  return logLogSlope(small.map((b) => b.Delta), small.map((b) => b.toBasisPursuit));
}

/**
 * Δ = onSupport on the support of w*, offSupport elsewhere: a non-uniform Δ for the bridge table.
 * @param p a problem with a planted vector; @param onSupport Δ on supp(w*) > 0; @param offSupport Δ elsewhere > 0
 * @returns a vector of length d
 * @throws TypeError/RangeError for non-positive values or a problem without w*
 * @example bridgeTable(p, [supportDelta(p, 1e-6, 1e-2)], bp)
 */
export function supportDelta(p: Problem, onSupport: number, offSupport: number): Float64Array {
  checkNumber("onSupport", onSupport, { min: 0, minOpen: true });
  checkNumber("offSupport", offSupport, { min: 0, minOpen: true });
  const supp = new Set(supportOf(p));
  return Float64Array.from({ length: p.d }, (_, j) => (supp.has(j) ? onSupport : offSupport));
}

/**
 * argmin ψ_Δ at a few Δ (uniform numbers, or vectors from supportDelta), then basis pursuit: ‖w‖₁, ‖w − w*‖ and the
 * entries above 1e-3. A vector Δ is labelled by its values on and off the support of w* (or its range).
 * @param p problem; @param Deltas numbers or vectors; @param basisPursuit the basis-pursuit solution (last row)
 * @returns rows {Δ, ‖w‖₁, ‖w − w*‖, entries > 1e-3}; the last row has Δ = null
 * @throws TypeError/RangeError for a bad Δ, or a solve that does not converge
 * @example showTable(bridgeTable(p, [1, 0.02, 1e-6], bp))
 */
export function bridgeTable(p: Problem, Deltas: (number | Float64Array)[], basisPursuit: Float64Array): Row[] {
  if (!Array.isArray(Deltas)) throw new TypeError("Deltas must be an array of numbers or vectors");
  const row = (label: number | string | null, w: Float64Array) =>
    ({ Δ: label, "‖w‖₁": norm1(w), "‖w − w*‖": recoveryError(p, w), "entries > 1e-3": w.filter((x) => Math.abs(x) > 1e-3).length });
  const supp = new Set(p.wStar ? supportOf(p) : []);
  const label = (D: number | Float64Array) => {
    if (typeof D === "number") return D;
    const on = new Set(Array.from(D).filter((_, j) => supp.has(j))), off = new Set(Array.from(D).filter((_, j) => !supp.has(j)));
    const e = (x: number) => x.toExponential(0).replace("+", "");
    return on.size === 1 && off.size === 1 ? `${e([...on][0])} on supp, ${e([...off][0])} off` : `non-uniform, ${e(Math.min(...D))} … ${e(Math.max(...D))}`;
  };
  return [...Deltas.map((D) => row(label(D), minPsiInterpolator(p, positiveScalarOrVector("Delta", D, p.d)).w)), row(null, basisPursuit)];
}

// ── MGF: the exact and the approximate problem ───────────────────────────────────────────────────────────────────────

const norm = (w: Float64Array) => distance(w, new Float64Array(w.length));

/**
 * The sample of a run at time t exactly.
 * @param run a flow result; @param t one of its sample times
 * @returns the sample
 * @throws RangeError listing the sample times if t is not one of them
 * @example sampleAt(momentumFlow(p, { lambda: 0.2, T: 1500, times: [0, 300, 1500] }), 300)
 */
export function sampleAt(run: FlowResult, t: number) {
  const s = run.points.find((x) => x.t === t);
  if (!s) throw new RangeError(`the run has no sample at t = ${t} (its samples: ${run.points.map((x) => x.t).join(", ")}); add t to its times`);
  return s;
}

/**
 * ‖projectToLimit(sample at t) − w(T)‖: how well the projection from t predicts the end of a longer run.
 * @param p problem; @param run a flow sampled at t, ending much later; @param t the time to project from
 * @returns the distance
 * @throws RangeError if t is not a sample time (or the projection fails)
 * @example projectionGap(p, long, 300) // 2.2e-10 at λ = 0.2, T = 1500
 */
export function projectionGap(p: Problem, run: FlowResult, t: number): number {
  return distance(projectToLimit(p, sampleAt(run, t), run.lambda).w, run.final.w);
}

/**
 * One row for a long MGF run: loss at T, ‖w̃₀‖, the distance of its end point to the exact problem
 * argmin D_ψΔ∞(·, w̃₀) and to the approximate argmin ψ_Δ∞, and how far the projection from `projectFrom` lands from w(T).
 * @param p problem; @param run the long run; @param summary summarizeMomentumRun of it; @param projectFrom a sample time
 * @returns the row (null cells where a crossing leaves a problem undefined)
 * @throws RangeError if projectFrom is not a sample time
 * @example showTable([exactRunRow(p, long, summarizeMomentumRun(p, long), 300)])
 */
export function exactRunRow(p: Problem, run: FlowResult, summary: MomentumRunSummary, projectFrom: number): Row {
  if (!summary || !(summary.DeltaInf instanceof Float64Array)) throw new TypeError("summary must come from summarizeMomentumRun");
  return { λ: run.lambda, "loss at T": run.final.loss, "‖w̃₀‖": summary.offsetPoint ? norm(summary.offsetPoint) : null,
    "‖w∞ − argmin D(·, w̃₀)‖ (exact)": summary.exact ? summary.errExact : null, "‖w∞ − argmin ψ_Δ∞‖ (approx.)": summary.approx ? summary.errApprox : null,
    [`‖projected from t=${projectFrom} − w(${run.final.t})‖`]: projectionGap(p, run, projectFrom), ms: Math.round(run.stats.wallMs) };
}

/** One λ of the sweep: the MGF run to T, its projected limit and its implicit-problem summary. */
export interface SweepEntry {
  lambda: number;
  run: FlowResult;
  /** projectToLimit of the state at T: MGF's limit w∞. */
  limit: Float64Array;
  summary: MomentumRunSummary;
  /** No u ± v crossing: the problems are defined. */
  valid: boolean;
}

/**
 * MGF for each λ to time T (integrals on), with its limit projected from T and summarizeMomentumRun's exact and
 * approximate problems.
 * @param p problem; @param o lambdas (> 0), alpha, T (default 300)
 * @returns one SweepEntry per λ, in order
 * @throws RangeError for an empty or non-positive λ list, or bad flow options
 * @example implicitSweep(p, { lambdas: [0.05, 0.1], alpha: 0.1 })[0].limit
 */
export function implicitSweep(p: Problem, o: { lambdas: number[]; alpha: number | Float64Array; T?: number }): SweepEntry[] {
  if (!o || !Array.isArray(o.lambdas) || o.lambdas.length === 0) throw new RangeError("lambdas must be a non-empty array of numbers > 0");
  const T = checkNumber("T", o.T ?? 300, { min: 0, minOpen: true });
  return o.lambdas.map((lambda, i) => {
    checkNumber(`lambdas[${i}]`, lambda, { min: 0, minOpen: true });
    const run = momentumFlow(p, { lambda, alpha: o.alpha, T, times: [0, T], integrals: true });
    const limit = projectToLimit(p, run.final, lambda).w;
    const summary = summarizeMomentumRun(p, run, { alpha: o.alpha });
    return { lambda, run, limit, summary, valid: runValidity(run).valid };
  });
}

/**
 * ‖w∞ − argmin ψ_Δ∞‖ of a sweep entry.
 * @param e a SweepEntry
 * @returns the distance, or null when Δ∞ has a non-positive entry
 * @throws TypeError for a malformed entry
 * @example approxError(sweepEntry(sweep, 0.05)) // 1.9e-3 on seed 0
 */
export function approxError(e: SweepEntry): number | null {
  if (!e || !isEntry(e as unknown as Record<string, unknown>)) throw new TypeError("e must be an entry of implicitSweep");
  return e.summary.approx ? distance(e.limit, e.summary.approx.w) : null;
}

/**
 * The sweep's table: sign changes, min Δ∞/Δ₀, ‖w̃₀‖, the approximate problem's error, momentum's effect
 * ‖w∞ − w∞^GF‖, their ratio, the recovery error and the run's time.
 * @param p problem; @param entries from implicitSweep; @param gfLimit GF's limit (argmin ψ_Δ₀)
 * @returns one row per entry, null where the problems are not defined
 * @throws TypeError for malformed entries
 * @example showTable(implicitSweepRows(p, sweep, minPsiInterpolator(p, 0.02).w))
 */
export function implicitSweepRows(p: Problem, entries: SweepEntry[], gfLimit: Float64Array): Row[] {
  checkEntries(entries);
  return entries.map((e) => {
    const err = approxError(e), effect = distance(e.limit, gfLimit);
    return { λ: e.lambda, "sign changes": e.summary.signChanges, "min Δ∞/Δ₀": Math.min(...e.summary.ratio),
      "‖w̃₀‖": e.summary.offsetPoint ? norm(e.summary.offsetPoint) : null, "‖w∞ − argmin ψ_Δ∞‖": err, "‖w∞ − w∞^GF‖": effect,
      "approx. error / ‖w∞ − w∞^GF‖": err === null ? null : err / effect, "‖w∞ − w*‖": recoveryError(p, e.limit), ms: Math.round(e.run.stats.wallMs) };
  });
}

/**
 * Chart rows of the valid sweep entries: the approximate error, momentum's effect and ‖w̃₀‖.
 * @param entries from implicitSweep; @param gfLimit GF's limit
 * @returns rows {λ, value, what}
 * @throws TypeError for malformed entries
 * @example implicitSweepChart(implicitSweepChartRows(sweep, psi0.w))
 */
export function implicitSweepChartRows(entries: SweepEntry[], gfLimit: Float64Array): Row[] {
  checkEntries(entries);
  return entries.filter((e) => e.valid).flatMap((e) => [
    { λ: e.lambda, value: approxError(e), what: "approx. error" },
    { λ: e.lambda, value: distance(e.limit, gfLimit), what: "effect ‖w∞ − w∞^GF‖" },
    { λ: e.lambda, value: e.summary.offsetPoint ? norm(e.summary.offsetPoint) : null, what: "‖w̃₀‖" },
  ]);
}

/**
 * The sweep entry of one λ.
 * @param entries from implicitSweep; @param lambda one of their λ
 * @returns the entry
 * @throws RangeError naming the λ of the sweep if absent
 * @example sweepEntry(sweep, 0.05).summary.DeltaInf
 */
export function sweepEntry(entries: SweepEntry[], lambda: number): SweepEntry {
  checkEntries(entries);
  const e = entries.find((x) => x.lambda === lambda);
  if (!e) throw new RangeError(`λ = ${lambda} is not in the sweep (its λ: ${entries.map((x) => x.lambda).join(", ")}); add it to the sweep's lambdas`);
  return e;
}

/**
 * d ln err / d ln λ of the approximate error between two λ of the sweep (2 when the error is O(λ²)).
 * @param entries from implicitSweep; @param lambdaA smaller λ; @param lambdaB larger λ
 * @returns the slope
 * @throws RangeError if a λ is absent or its problem is not defined (a crossing)
 * @example approxLocalSlope(sweep, 0.025, 0.05) // 2.06 on seed 0
 */
export function approxLocalSlope(entries: SweepEntry[], lambdaA: number, lambdaB: number): number {
  checkEntries(entries);
  const a = approxError(sweepEntry(entries, lambdaA)), b = approxError(sweepEntry(entries, lambdaB));
  if (a === null || b === null) throw new RangeError(`the approximate problem is not defined at λ = ${a === null ? lambdaA : lambdaB} (a u ± v crossing)`);
  return Math.log(b / a) / Math.log(lambdaB / lambdaA);
}

// ── A predictor that needs one GF run ────────────────────────────────────────────────────────────────────────────────

/** The one-run predictor against MGF's limit, per λ without a crossing. */
export interface OneRunPrediction {
  lambdas: number[];
  /** ‖w∞ − argmin ψ at Δ₀·exp(−2λ∫g²_GF)‖: needs only the GF run. */
  errors: number[];
  /** ‖w∞ − argmin ψ_Δ∞‖ with the measured Δ∞: needs the MGF run. */
  approxErrors: number[];
  rows: Row[];
}

/**
 * Predict MGF's limit without running MGF: argmin_{Xw=y} ψ_Δ at the first-order Δ = Δ₀·exp(−2λ∫g²_GF)
 * (08-theory.ipynb#first-order-delta), compared with MGF's projected limit, and with argmin ψ at the measured Δ∞.
 * @param p problem; @param entries from implicitSweep (crossing entries are left out); @param gf a gradient-flow run
 *   with integrals (its ∫g²); @param Delta0 Δ₀ of the runs
 * @returns the λ, both errors and table rows
 * @throws RangeError if gf has no integrals or every entry crosses
 * @example oneRunPredictor(p, sweep, gf, 0.02).errors // [2.8e-4, 1.1e-3, 4.0e-3, 1.4e-2] on seed 0
 */
export function oneRunPredictor(p: Problem, entries: SweepEntry[], gf: FlowResult, Delta0: number | Float64Array): OneRunPrediction {
  checkEntries(entries);
  const g2 = gf?.final?.integrals?.g2;
  if (!(g2 instanceof Float64Array)) throw new RangeError("oneRunPredictor: gf must be a gradient-flow run with integrals: true");
  const valid = entries.filter((e) => e.valid);
  if (valid.length === 0) throw new RangeError("oneRunPredictor: every run of the sweep crosses; the predictor has nothing to be compared with");
  const errors = valid.map((e) => distance(e.limit, minPsiInterpolator(p, firstOrderDelta(g2, Delta0, e.lambda)).w));
  const approxErrors = valid.map((e) => approxError(e)!);
  const rows = valid.map((e, i) => ({ λ: e.lambda, "one GF run: ‖w∞ − argmin ψ at Δ₀·exp(−2λ∫g²)‖": errors[i],
    "MGF run: ‖w∞ − argmin ψ_Δ∞‖": approxErrors[i], "ratio one-run/measured": errors[i] / approxErrors[i] }));
  return { lambdas: valid.map((e) => e.lambda), errors, approxErrors, rows };
}

/**
 * Chart rows of both predictions against λ.
 * @param pred from oneRunPredictor
 * @returns rows {λ, error, predictor}
 * @throws TypeError for a malformed prediction
 * @example oneRunChart(oneRunChartRows(oneRunPredictor(p, sweep, gf, 0.02)))
 */
export function oneRunChartRows(pred: OneRunPrediction): Row[] {
  if (!pred || !Array.isArray(pred.lambdas) || !Array.isArray(pred.errors)) throw new TypeError("pred must come from oneRunPredictor");
  return pred.lambdas.flatMap((l, i) => [
    { λ: l, error: pred.errors[i], predictor: "one GF run: Δ₀·exp(−2λ∫g²)" },
    { λ: l, error: pred.approxErrors[i], predictor: "MGF run: measured Δ∞" },
  ]);
}

// ── Checks for the Claims cell ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Claim 04.e measured: at every λ of the sweep where u ± v crosses, some Δ∞ < 0 and argmin ψ_Δ∞ is not defined.
 * @param entries from implicitSweep
 * @returns holds (false, with a measurement saying so, when no λ of the sweep crosses), and the smallest Δ∞/Δ₀ per crossing λ
 * @throws TypeError for malformed entries
 * @example crossingEnds(sweep).measured // "λ = 0.3: min Δ∞/Δ₀ = -0.157"
 */
export function crossingEnds(entries: SweepEntry[]): { holds: boolean; measured: string } {
  checkEntries(entries);
  const crossed = entries.filter((e) => !e.valid);
  if (crossed.length === 0) return { holds: false, measured: `no λ of the sweep crosses (λ = ${entries.map((e) => e.lambda).join(", ")})` };
  const ends = (e: SweepEntry) => approxError(e) === null && Math.min(...e.summary.ratio) < 0;
  return { holds: crossed.every(ends), measured: crossed.map((e) => `λ = ${e.lambda}: min Δ∞/Δ₀ = ${Math.min(...e.summary.ratio).toFixed(3)}`).join("; ") };
}

/**
 * approx. error / ‖w∞ − w∞^GF‖ for every valid λ of the sweep (claim 04.i).
 * @param entries from implicitSweep; @param gfLimit GF's limit
 * @returns {lambda, ratio} per valid entry
 * @throws TypeError for malformed entries
 * @example effectRatios(sweep, psi0.w) // [{ lambda: 0.025, ratio: 0.065 }, …]
 */
export function effectRatios(entries: SweepEntry[], gfLimit: Float64Array): { lambda: number; ratio: number }[] {
  checkEntries(entries);
  return entries.filter((e) => e.valid).map((e) => ({ lambda: e.lambda, ratio: approxError(e)! / distance(e.limit, gfLimit) }));
}
