/**
 * The analyses of notebook 04 (implicit regularisation): which interpolator GF, MGF and MGD find. The ψ_Δ bridge
 * from min-ℓ2 to basis pursuit, the exact Bregman problem argmin D_ψΔ∞(·, w̃₀) and the approximate argmin ψ_Δ∞ against
 * MGF's limit over λ and over draws, a predictor that needs one GF run, discrete heavy ball (MGD) against the flow
 * with its rate in h, and momentum read as a non-uniform initialisation (08-theory.ipynb#implicit-problem,
 * #mirror-identity, #projection).
 *
 * Runs in which u ± v changed sign are kept in the tables with null in the columns that need the log-form identities
 * (the problems are then undefined), and left out of fits and claims.
 */
import { firstOrderDelta, projectToLimit, stateWithBalancedness, summarizeMomentumRun, type MomentumRunSummary } from "../bias/balancedness";
import { minPsiInterpolator } from "../bias/interpolators";
import { distance, norm1 } from "../core/linalg";
import { logLogSlope } from "../core/stats";
import { checkInteger, checkNumber, positiveScalarOrVector } from "../core/validate";
import { gradientFlow, momentumFlow, type FlowResult } from "../dynamics/flows";
import { runMomentum, type RunResult } from "../dynamics/optimizers";
import { paramsForLambda } from "../model/momentum";
import { recoveryError, sparseRegression, type Problem, type SparseRegressionOptions } from "../model/problems";
import { runValidity, supportOf, type Row } from "./balancedness";

// ── The ψ_Δ bridge ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Δ = 10^from, 10^(from − 1/perDecade), …, 10^to: a decreasing log grid for the bridge (from > to).
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

/** Chart rows {Δ, distance, to} of the bridge (distances floored at 1e-16 for a log axis). */
export function bridgeRows(points: BridgePoint[]): Row[] {
  return points.flatMap((b) => [
    { Δ: b.Delta, distance: Math.max(b.toBasisPursuit, 1e-16), to: "basis pursuit (min ‖w‖₁)" },
    { Δ: b.Delta, distance: Math.max(b.toMinNorm, 1e-16), to: "min-ℓ2 interpolator" },
  ]);
}

/**
 * How fast argmin ψ_Δ approaches basis pursuit: the fitted exponent p of distance ∝ Δ^p over the points with
 * Δ ≤ below (least squares in log-log).
 * @throws RangeError if fewer than 2 points lie below `below`
 */
export function bridgeExponent(points: BridgePoint[], below = 1e-4): number {
  checkNumber("below", below, { min: 0, minOpen: true });
  const small = points.filter((b) => b.Delta <= below * (1 + 1e-12));
  if (small.length < 2) throw new RangeError(`bridgeExponent needs at least 2 points with Δ ≤ ${below}, got ${small.length}`);
  return logLogSlope(small.map((b) => b.Delta), small.map((b) => b.toBasisPursuit));
}

/** Δ = onSupport on the support of w*, offSupport elsewhere: a non-uniform Δ for the bridge table. */
export function supportDelta(p: Problem, onSupport: number, offSupport: number): Float64Array {
  checkNumber("onSupport", onSupport, { min: 0, minOpen: true });
  checkNumber("offSupport", offSupport, { min: 0, minOpen: true });
  const supp = new Set(supportOf(p));
  return Float64Array.from({ length: p.d }, (_, j) => (supp.has(j) ? onSupport : offSupport));
}

/**
 * argmin ψ_Δ at a few Δ (uniform numbers, or vectors from supportDelta), then basis pursuit: ‖w‖₁, ‖w − w*‖ and the
 * entries above 1e-3. A vector Δ is labelled by its values on and off the support of w* (or its range).
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

// ── MGF: the exact and the approximate problem ─────────────────────────────────────────────────────────────────

const norm = (w: Float64Array) => distance(w, new Float64Array(w.length));

/**
 * The sample of a run at time t exactly.
 * @throws RangeError listing the sample times if t is not one of them
 */
export function sampleAt(run: FlowResult, t: number) {
  const s = run.points.find((x) => x.t === t);
  if (!s) throw new RangeError(`the run has no sample at t = ${t} (its samples: ${run.points.map((x) => x.t).join(", ")}); add t to its times`);
  return s;
}

/** ‖projectToLimit(sample at t) − w(T)‖: how well the projection from t predicts the end of a longer run. */
export function projectionGap(p: Problem, run: FlowResult, t: number): number {
  return distance(projectToLimit(p, sampleAt(run, t), run.lambda).w, run.final.w);
}

/**
 * One row for a long MGF run: loss at T, ‖w̃₀‖, the distance of its end point to the exact problem argmin D_ψΔ∞(·, w̃₀)
 * and to the approximate argmin ψ_Δ∞, and how far the projection from t = projectFrom lands from w(T).
 */
export function exactRunRow(p: Problem, run: FlowResult, summary: MomentumRunSummary, projectFrom: number): Row {
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

/** ‖w∞ − argmin ψ_Δ∞‖ of a sweep entry (null when Δ∞ has a non-positive entry). */
export function approxError(e: SweepEntry): number | null {
  return e.summary.approx ? distance(e.limit, e.summary.approx.w) : null;
}

/**
 * The sweep's table: sign changes, min Δ∞/Δ₀, ‖w̃₀‖, the approximate problem's error, momentum's effect
 * ‖w∞ − w∞^GF‖, their ratio, the recovery error and the run's time; null where the problems are undefined.
 */
export function implicitSweepRows(p: Problem, entries: SweepEntry[], gfLimit: Float64Array): Row[] {
  return entries.map((e) => {
    const err = approxError(e), effect = distance(e.limit, gfLimit);
    return { λ: e.lambda, "sign changes": e.summary.signChanges, "min Δ∞/Δ₀": Math.min(...e.summary.ratio),
      "‖w̃₀‖": e.summary.offsetPoint ? norm(e.summary.offsetPoint) : null, "‖w∞ − argmin ψ_Δ∞‖": err, "‖w∞ − w∞^GF‖": effect,
      "approx. error / ‖w∞ − w∞^GF‖": err === null ? null : err / effect, "‖w∞ − w*‖": recoveryError(p, e.limit), ms: Math.round(e.run.stats.wallMs) };
  });
}

/** Chart rows {λ, value, what} of the valid sweep entries: the approximate error, momentum's effect and ‖w̃₀‖. */
export function implicitSweepChartRows(entries: SweepEntry[], gfLimit: Float64Array): Row[] {
  return entries.filter((e) => e.valid).flatMap((e) => [
    { λ: e.lambda, value: approxError(e), what: "approx. error" },
    { λ: e.lambda, value: distance(e.limit, gfLimit), what: "effect ‖w∞ − w∞^GF‖" },
    { λ: e.lambda, value: e.summary.offsetPoint ? norm(e.summary.offsetPoint) : null, what: "‖w̃₀‖" },
  ]);
}

/** The sweep entry of one λ. @throws RangeError naming the λ of the sweep if absent */
export function sweepEntry(entries: SweepEntry[], lambda: number): SweepEntry {
  const e = entries.find((x) => x.lambda === lambda);
  if (!e) throw new RangeError(`λ = ${lambda} is not in the sweep (its λ: ${entries.map((x) => x.lambda).join(", ")}); add it to the sweep's lambdas`);
  return e;
}

/** Fitted order of the approximate error against λ over the valid entries (≈ 2: the dropped w̃₀ is O(λ²)). */
export function approxOrder(entries: SweepEntry[]): number {
  const v = entries.filter((e) => e.valid && approxError(e)! > 0);
  return logLogSlope(v.map((e) => e.lambda), v.map((e) => approxError(e)!));
}

/** d ln err / d ln λ of the approximate error between two λ of the sweep. */
export function approxLocalSlope(entries: SweepEntry[], lambdaA: number, lambdaB: number): number {
  const a = approxError(sweepEntry(entries, lambdaA)), b = approxError(sweepEntry(entries, lambdaB));
  if (a === null || b === null) throw new RangeError(`the approximate problem is not defined at λ = ${a === null ? lambdaA : lambdaB} (a u ± v crossing)`);
  return Math.log(b / a) / Math.log(lambdaB / lambdaA);
}

// ── A predictor that needs one GF run ──────────────────────────────────────────────────────────────────────────

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
 * @param gf a gradient-flow run with integrals (its ∫g²); @param Delta0 Δ₀ of the runs
 */
export function oneRunPredictor(p: Problem, entries: SweepEntry[], gf: FlowResult, Delta0: number | Float64Array): OneRunPrediction {
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

/** Chart rows {λ, error, predictor} of both predictions. */
export function oneRunChartRows(pred: OneRunPrediction): Row[] {
  return pred.lambdas.flatMap((l, i) => [
    { λ: l, error: pred.errors[i], predictor: "one GF run: Δ₀·exp(−2λ∫g²)" },
    { λ: l, error: pred.approxErrors[i], predictor: "MGF run: measured Δ∞" },
  ]);
}

// ── Over draws: the exact problem on every seed ────────────────────────────────────────────────────────────────

/** One (seed, λ) of {@link exactOverDraws}. */
export interface ExactDraw {
  seed: number;
  lambda: number;
  run: FlowResult;
  summary: MomentumRunSummary;
  valid: boolean;
}

/** Options of {@link exactOverDraws}. */
export interface ExactDrawOptions {
  seeds: number[];
  lambdas: number[];
  alpha: number | Float64Array;
  /** Stop once the loss is below this (default 1e-20: w is then within about 3e-10 of its limit). */
  stopLoss?: number;
  /** Longest time allowed (default 3000). */
  T?: number;
  /** Tolerance of the solver (default 1e-10). */
  rtol?: number;
  /** Long runs already made on one problem (reused when the problem and λ match and the run reached stopLoss). */
  reuse?: { problem: Problem; runs: FlowResult[] };
  /** Sizes of the problems (default those of sparseRegression). */
  sizes?: Omit<SparseRegressionOptions, "seed">;
}

/**
 * MGF run until the loss is below stopLoss on every (seed, λ), with the exact and approximate problems solved from
 * its own Δ∞ and w̃₀ (claims S7.9 and S7.10 over draws). The end point stands for w∞.
 */
export function exactOverDraws(o: ExactDrawOptions): ExactDraw[] {
  if (!o || !Array.isArray(o.seeds) || o.seeds.length === 0) throw new RangeError("seeds must be a non-empty array of integers");
  if (!Array.isArray(o.lambdas) || o.lambdas.length === 0) throw new RangeError("lambdas must be a non-empty array of numbers > 0");
  o.seeds.forEach((s, i) => checkInteger(`seeds[${i}]`, s, { min: 0 }));
  o.lambdas.forEach((l, i) => checkNumber(`lambdas[${i}]`, l, { min: 0, minOpen: true }));
  const stopLoss = checkNumber("stopLoss", o.stopLoss ?? 1e-20, { min: 0, minOpen: true });
  const T = checkNumber("T", o.T ?? 3000, { min: 0, minOpen: true });
  return o.seeds.flatMap((seed) => {
    const fresh = sparseRegression({ ...(o.sizes ?? {}), seed });
    const same = o.reuse !== undefined && o.reuse.problem.name === fresh.name;
    const p = same ? o.reuse!.problem : fresh;
    return o.lambdas.map((lambda) => {
      // a reused run must have reached the same loss, or its end point is not the limit
      const run = (same && o.reuse!.runs.find((r) => r.lambda === lambda && r.final.loss <= stopLoss)) ||
        momentumFlow(p, { lambda, alpha: o.alpha, T, times: [0, T], integrals: true, rtol: o.rtol ?? 1e-10, stopLoss });
      return { seed, lambda, run, summary: summarizeMomentumRun(p, run, { alpha: o.alpha }), valid: runValidity(run).valid };
    });
  });
}

/** One row per (seed, λ): the end of the run, and its distances to the exact and approximate problems (null after a crossing). */
export function exactDrawRows(draws: ExactDraw[]): Row[] {
  return draws.map((x) => ({ seed: x.seed, λ: x.lambda, "sign changes": x.summary.signChanges, "t at the end": x.run.final.t,
    "loss at the end": x.run.final.loss, "‖w∞ − argmin D(·, w̃₀)‖ (exact)": x.summary.exact ? x.summary.errExact : null,
    "‖w∞ − argmin ψ_Δ∞‖ (approx.)": x.summary.approx ? x.summary.errApprox : null, ms: Math.round(x.run.stats.wallMs) }));
}

/** The largest exact error over the draws without a crossing, and the (seed, λ) left out. */
export function worstExact(draws: ExactDraw[]): { worst: number; count: number; skipped: string[] } {
  const v = draws.filter((x) => x.valid);
  if (v.length === 0) throw new RangeError("every run of the draws crosses: the exact problem applies to none");
  return { worst: Math.max(...v.map((x) => x.summary.errExact)), count: v.length,
    skipped: draws.filter((x) => !x.valid).map((x) => `seed ${x.seed}, λ = ${x.lambda}`) };
}

/**
 * The approximate error per seed at two λ (pivoted), their ratio ((λ₂/λ₁)² if ∝ λ²) and whether it is ≤ `level`
 * at the larger λ (claim S7.10 over draws); null after a crossing.
 */
export function approxDrawRows(draws: ExactDraw[], lambdas: [number, number], level = 0.1): Row[] {
  const [a, b] = lambdas;
  const err = (seed: number, l: number) => {
    const x = draws.find((d) => d.seed === seed && d.lambda === l);
    if (!x) throw new RangeError(`λ = ${l} was not run on seed ${seed}`);
    return x.summary.approx ? x.summary.errApprox : null;
  };
  const expected = Number(((b / a) ** 2).toPrecision(3));
  return [...new Set(draws.map((d) => d.seed))].map((seed) => {
    const ea = err(seed, a), eb = err(seed, b);
    return { seed, [`err, λ = ${a}`]: ea, [`err, λ = ${b}`]: eb, [`ratio (${expected} if ∝ λ²)`]: ea !== null && eb !== null ? eb / ea : null,
      [`≤ ${level} at λ = ${b}`]: eb === null ? null : eb <= level ? "yes" : "no" };
  });
}

/** The approximate error on every draw at one λ, without the crossing runs. */
export function approxErrorsAt(draws: ExactDraw[], lambda: number): number[] {
  const at = draws.filter((x) => x.lambda === lambda);
  if (at.length === 0) throw new RangeError(`λ = ${lambda} was not run on the draws (their λ: ${[...new Set(draws.map((x) => x.lambda))].join(", ")})`);
  return at.filter((x) => x.summary.approx).map((x) => x.summary.errApprox);
}

// ── Discrete heavy ball against the flow ───────────────────────────────────────────────────────────────────────

/** One MGD run (λ, β) next to the MGF run of the same λ. */
export interface MgdEntry {
  lambda: number;
  beta: number;
  gamma: number;
  /** h = γ/(1−β), the continuous time per iteration. */
  h: number;
  run: RunResult;
  flow: SweepEntry;
  /** Δ_K = u_K² − v_K². */
  DeltaK: Float64Array;
  /** max_i |Δ_K,i/Δ∞,i^MGF − 1|. */
  relDelta: number;
  /** ‖w_K − argmin ψ_Δ_K‖: the approximate problem with MGD's own Δ. */
  toApproxOwn: number;
  /** ‖w_K − argmin D_ψΔ_K(·, w̃₀^MGF)‖: the exact problem with MGD's own Δ and MGF's base point. */
  toExactOwn: number;
  /** ‖w_K − w∞^MGF‖. */
  toFlowLimit: number;
}

/**
 * Heavy ball at each (λ, β), γ = λ(1−β)², run until the loss is below stopLoss, against the MGF run of the same λ
 * (taken from `flows`, or run to T = 300 when the sweep has no such λ).
 * @param cases pairs {lambda, beta}; @param o alpha, stopLoss (default 1e-16), flows (sweep entries to reuse)
 * @throws RangeError if a flow of a case crosses (its Δ∞ and w̃₀ are undefined)
 */
export function mgdAgainstFlow(p: Problem, cases: { lambda: number; beta: number }[], o: { alpha: number; stopLoss?: number; flows?: SweepEntry[] }): MgdEntry[] {
  if (!Array.isArray(cases) || cases.length === 0) throw new RangeError("cases must be a non-empty array of {lambda, beta}");
  const stopLoss = checkNumber("stopLoss", o.stopLoss ?? 1e-16, { min: 0, minOpen: true });
  return cases.map(({ lambda, beta }) => {
    const { gamma, h } = paramsForLambda({ lambda, beta });
    const flow = o.flows?.find((x) => x.lambda === lambda) ?? implicitSweep(p, { lambdas: [lambda], alpha: o.alpha })[0];
    if (!flow.valid || !flow.summary.offsetPoint) throw new RangeError(`MGF at λ = ${lambda} crosses (${runValidity(flow.run).note}): MGD has no flow characterisation to be compared with`);
    const run = runMomentum(p, { alpha: o.alpha, gamma, beta, stop: { loss: stopLoss } });
    const DeltaK = run.delta!;
    const DInf = flow.summary.DeltaInf;
    const relDelta = Math.max(...Array.from(DeltaK, (x, j) => Math.abs(x / DInf[j] - 1)));
    return { lambda, beta, gamma, h, run, flow, DeltaK, relDelta, toApproxOwn: distance(run.w, minPsiInterpolator(p, DeltaK).w),
      toExactOwn: distance(run.w, minPsiInterpolator(p, DeltaK, { offsetPoint: flow.summary.offsetPoint }).w), toFlowLimit: distance(run.w, flow.limit) };
  });
}

/** The MGD table: one row per (λ, β). */
export function mgdRows(entries: MgdEntry[]): Row[] {
  return entries.map((m) => ({ λ: m.lambda, β: m.beta, γ: m.gamma, h: m.h, K: m.run.iterations, "‖w_K − argmin ψ_Δ_K‖": m.toApproxOwn,
    "MGF: ‖w∞ − argmin ψ_Δ∞‖": approxError(m.flow), "max|Δ_K/Δ∞^MGF − 1|": m.relDelta, "‖w_K − w∞^MGF‖": m.toFlowLimit,
    "‖w_K − argmin D_ψΔ_K(·, w̃₀)‖": m.toExactOwn, ms: Math.round(m.run.wallMs) }));
}

/** How MGD's limit approaches the flow's prediction as h → 0 at one λ: fitted orders in h of two distances. */
export interface MgdRate {
  lambda: number;
  hs: number[];
  /** Fitted order of ‖w_K − w∞^MGF‖ against h. */
  toFlowLimit: number;
  /** Fitted order of ‖w_K − argmin D_ψΔ_K(·, w̃₀)‖ against h. */
  toExactOwn: number;
}

/**
 * Fitted orders in h at one λ (1 when MGD's limit approaches the predicted interpolator like h).
 * @throws RangeError if fewer than 2 values of β were run at that λ
 */
export function mgdRate(entries: MgdEntry[], lambda: number): MgdRate {
  const at = entries.filter((m) => m.lambda === lambda);
  if (at.length < 2) throw new RangeError(`a rate in h needs at least 2 values of β at λ = ${lambda}, got ${at.length}`);
  const hs = at.map((m) => m.h);
  return { lambda, hs, toFlowLimit: logLogSlope(hs, at.map((m) => m.toFlowLimit)), toExactOwn: logLogSlope(hs, at.map((m) => m.toExactOwn)) };
}

/** Chart rows {h, distance, to} at one λ: MGD's limit to MGF's limit and to the exact problem with its own Δ_K. */
export function mgdRateRows(entries: MgdEntry[], lambda: number): Row[] {
  return entries.filter((m) => m.lambda === lambda).flatMap((m) => [
    { h: m.h, distance: m.toFlowLimit, to: "w∞^MGF" },
    { h: m.h, distance: m.toExactOwn, to: "argmin D_ψΔ_K(·, w̃₀)" },
  ]);
}

/**
 * Claim 04.g measured: the gap between MGD's and MGF's Δ at the first two β of one λ, their ratio, and the ratio
 * (1−β₁)/(1−β₂) expected when the gap is linear in 1 − β.
 */
export function deltaGapRatio(entries: MgdEntry[], lambda: number): { ratio: number; expected: number; betas: [number, number] } {
  const at = entries.filter((m) => m.lambda === lambda);
  if (at.length < 2) throw new RangeError(`the Δ gap ratio needs at least 2 values of β at λ = ${lambda}, got ${at.length}`);
  return { ratio: at[0].relDelta / at[1].relDelta, expected: (1 - at[0].beta) / (1 - at[1].beta), betas: [at[0].beta, at[1].beta] };
}

/** Scatter rows {Δ∞^MGF/Δ₀, Δ_K^MGD/Δ₀, β, i} at one λ. */
export function mgdDeltaRows(entries: MgdEntry[], lambda: number, Delta0: number): Row[] {
  checkNumber("Delta0", Delta0, { min: 0, minOpen: true });
  return entries.filter((m) => m.lambda === lambda).flatMap((m) => Array.from(m.DeltaK, (x, j) => ({
    "Δ∞^MGF/Δ₀": m.flow.summary.DeltaInf[j] / Delta0, "Δ_K^MGD/Δ₀": x / Delta0, β: `β = ${m.beta}`, i: j })));
}

/**
 * Claim 04.f measured: ‖w_K − argmin ψ_Δ_K‖ over MGF's own approximate error, for every case; the one farthest
 * from 1 (in log) is returned with all ratios.
 */
export function mgdApproxRatio(entries: MgdEntry[]): { worst: number; ratios: number[] } {
  const ratios = entries.map((m) => m.toApproxOwn / approxError(m.flow)!);
  return { worst: ratios.reduce((a, b) => (Math.abs(Math.log(b)) > Math.abs(Math.log(a)) ? b : a)), ratios };
}

// ── Momentum as a non-uniform initialisation ───────────────────────────────────────────────────────────────────

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
 * @param summary summarizeMomentumRun of the MGF run (valid: Δ∞ > 0 and w̃₀ defined); @param mgfLimit its limit w∞
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
 * @param o gf (GF's limit), mgf (MGF's limit), init (GF from √Δ∞), DeltaInf, Delta0, lambda (for the labels), mean
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

// ── Checks for the Claims cell ─────────────────────────────────────────────────────────────────────────────────

/**
 * Claim 04.e measured: at every λ of the sweep where u ± v crosses, some Δ∞ < 0 and argmin ψ_Δ∞ is undefined.
 * Fails (with a measurement saying so) when no λ of the sweep crosses.
 */
export function crossingEnds(entries: SweepEntry[]): { holds: boolean; measured: string } {
  const crossed = entries.filter((e) => !e.valid);
  if (crossed.length === 0) return { holds: false, measured: `no λ of the sweep crosses (λ = ${entries.map((e) => e.lambda).join(", ")})` };
  const ends = (e: SweepEntry) => approxError(e) === null && Math.min(...e.summary.ratio) < 0;
  return { holds: crossed.every(ends), measured: crossed.map((e) => `λ = ${e.lambda}: min Δ∞/Δ₀ = ${Math.min(...e.summary.ratio).toFixed(3)}`).join("; ") };
}

/** approx. error / ‖w∞ − w∞^GF‖ for every valid λ of the sweep (claim 04.i). */
export function effectRatios(entries: SweepEntry[], gfLimit: Float64Array): { lambda: number; ratio: number }[] {
  return entries.filter((e) => e.valid).map((e) => ({ lambda: e.lambda, ratio: approxError(e)! / distance(e.limit, gfLimit) }));
}
