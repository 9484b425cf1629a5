/**
 * Discrete heavy ball (MGD) against the flow of notebook 04: how far MGD's limit is from MGF's limit and from the
 * implicit problems solved with MGD's own Δ_K, and how these distances fall with h = γ/(1−β) at fixed λ.
 */
import { minPsiInterpolator } from "../bias/interpolators";
import { distance } from "../core/linalg";
import { logLogSlope } from "../core/stats";
import { checkNumber } from "../core/validate";
import { runMomentum, type RunResult } from "../dynamics/optimizers";
import { paramsForLambda } from "../model/momentum";
import type { Problem } from "../model/problems";
import { runValidity, type Row } from "./balancedness";
import { approxError, checkList, implicitSweep, type SweepEntry } from "./implicit-bias";

const checkMgd = (entries: unknown): MgdEntry[] =>
  checkList<MgdEntry>("entries", entries, (m) => typeof m.h === "number" && m.DeltaK instanceof Float64Array && !!m.flow, "mgdAgainstFlow");

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
 * @param p problem; @param cases pairs {lambda, beta}; @param o alpha, stopLoss (default 1e-16), flows (sweep entries to reuse)
 * @returns one MgdEntry per case
 * @throws RangeError for an empty case list, a bad (λ, β), or a flow that crosses (its Δ∞ and w̃₀ are not defined)
 * @example mgdAgainstFlow(p, [{ lambda: 0.2, beta: 0.9 }], { alpha: 0.1, flows: sweep })[0].toFlowLimit // 1.9e-3
 */
export function mgdAgainstFlow(p: Problem, cases: { lambda: number; beta: number }[], o: { alpha: number; stopLoss?: number; flows?: SweepEntry[] }): MgdEntry[] {
  if (!Array.isArray(cases) || cases.length === 0) throw new RangeError("cases must be a non-empty array of {lambda, beta}");
  cases.forEach((c, i) => {
    if (!c || typeof c !== "object") throw new TypeError(`cases[${i}] must be an object {lambda, beta}`);
  });
  if (!o || typeof o !== "object") throw new TypeError("options must be an object {alpha, stopLoss?, flows?}");
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

/**
 * The MGD table: one row per (λ, β).
 * @param entries from mgdAgainstFlow
 * @returns rows {λ, β, γ, h, K, distances, max|Δ_K/Δ∞^MGF − 1|, ms}
 * @throws TypeError for malformed entries
 * @example showTable(mgdRows(mgd))
 */
export function mgdRows(entries: MgdEntry[]): Row[] {
  checkMgd(entries);
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
 * @param entries from mgdAgainstFlow; @param lambda a λ with at least two β
 * @returns the h and the two fitted orders
 * @throws RangeError if fewer than 2 values of β were run at that λ
 * @example mgdRate(mgd, 0.2).toFlowLimit // 1.00 on seed 0
 */
export function mgdRate(entries: MgdEntry[], lambda: number): MgdRate {
  checkMgd(entries);
  const at = entries.filter((m) => m.lambda === lambda);
  if (at.length < 2) throw new RangeError(`a rate in h needs at least 2 values of β at λ = ${lambda}, got ${at.length}`);
  const hs = at.map((m) => m.h);
  return { lambda, hs, toFlowLimit: logLogSlope(hs, at.map((m) => m.toFlowLimit)), toExactOwn: logLogSlope(hs, at.map((m) => m.toExactOwn)) };
}

/**
 * Chart rows at one λ: MGD's limit to MGF's limit and to the exact problem with its own Δ_K.
 * @param entries from mgdAgainstFlow; @param lambda the λ
 * @returns rows {h, distance, to}
 * @throws TypeError for malformed entries
 * @example mgdRateChart(mgdRateRows(mgd, 0.2), 0.2)
 */
export function mgdRateRows(entries: MgdEntry[], lambda: number): Row[] {
  checkMgd(entries);
  return entries.filter((m) => m.lambda === lambda).flatMap((m) => [
    { h: m.h, distance: m.toFlowLimit, to: "w∞^MGF" },
    { h: m.h, distance: m.toExactOwn, to: "argmin D_ψΔ_K(·, w̃₀)" },
  ]);
}

/**
 * Claim 04.g measured: the gap between MGD's and MGF's Δ at the first two β of one λ, their ratio, and the ratio
 * (1−β₁)/(1−β₂) expected when the gap is linear in 1 − β.
 * @param entries from mgdAgainstFlow; @param lambda a λ with at least two β
 * @returns ratio, expected and the two β
 * @throws RangeError if fewer than 2 values of β were run at that λ
 * @example deltaGapRatio(mgd, 0.2) // { ratio: 2.016, expected: 2, betas: [0.9, 0.95] }
 */
export function deltaGapRatio(entries: MgdEntry[], lambda: number): { ratio: number; expected: number; betas: [number, number] } {
  checkMgd(entries);
  const at = entries.filter((m) => m.lambda === lambda);
  if (at.length < 2) throw new RangeError(`the Δ gap ratio needs at least 2 values of β at λ = ${lambda}, got ${at.length}`);
  return { ratio: at[0].relDelta / at[1].relDelta, expected: (1 - at[0].beta) / (1 - at[1].beta), betas: [at[0].beta, at[1].beta] };
}

/**
 * Scatter rows of MGD's Δ_K against MGF's Δ∞ per coordinate, at one λ.
 * @param entries from mgdAgainstFlow; @param lambda the λ; @param Delta0 Δ₀ (a number)
 * @returns rows {Δ∞^MGF/Δ₀, Δ_K^MGD/Δ₀, β, i}
 * @throws TypeError/RangeError for a non-positive Δ₀
 * @example mgdDeltaScatter(mgdDeltaRows(mgd, 0.2, 0.02), 0.2)
 */
export function mgdDeltaRows(entries: MgdEntry[], lambda: number, Delta0: number): Row[] {
  checkMgd(entries);
  checkNumber("Delta0", Delta0, { min: 0, minOpen: true });
  return entries.filter((m) => m.lambda === lambda).flatMap((m) => Array.from(m.DeltaK, (x, j) => ({
    "Δ∞^MGF/Δ₀": m.flow.summary.DeltaInf[j] / Delta0, "Δ_K^MGD/Δ₀": x / Delta0, β: `β = ${m.beta}`, i: j })));
}

/**
 * Claim 04.f measured: ‖w_K − argmin ψ_Δ_K‖ over MGF's own approximate error, for every case.
 * @param entries from mgdAgainstFlow
 * @returns the ratio farthest from 1 (in log), and all ratios
 * @throws TypeError for an empty or malformed list
 * @example mgdApproxRatio(mgd).worst // 0.825 on seed 0
 */
export function mgdApproxRatio(entries: MgdEntry[]): { worst: number; ratios: number[] } {
  checkMgd(entries);
  const ratios = entries.map((m) => m.toApproxOwn / approxError(m.flow)!);
  return { worst: ratios.reduce((a, b) => (Math.abs(Math.log(b)) > Math.abs(Math.log(a)) ? b : a)), ratios };
}
