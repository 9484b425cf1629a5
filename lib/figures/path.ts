/**
 * The figures of notebook 01 (momentum's path), built from the outputs of lib/experiments/path.ts: one run on its
 * flow, the collapse of a λ × β grid onto MGF_λ in continuous time (and its absence against k), the path error
 * against h (order 1 against MGF_λ, order 2 against the modified equation), and plain linear regression.
 * Titles, legends and counts are derived from the data.
 */
import { distance } from "../core/linalg";
import type { FirstOrderConstant, GdPathRow, GridRun, LinearFlow, LinearRunRow, ModifiedEquationGridRow, OrderFit, PathErrorRow, SampledFlow, SettleRow } from "../experiments/path";
import { recoveryError, type Problem } from "../model/problems";
import { roundRows, runsOverFlows, sideBySide } from "./composite";
import { logLogChart } from "./loglog";
import { lineChart, type Row, type VegaLiteSpec } from "./spec";

const ERR = "‖w − w*‖";

function checkEvery(every: number): number {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be an integer ≥ 1, got ${every}`);
  return every;
}

/**
 * One MGD run (points, every `every`-th snapshot) on its MGF_λ curve (line): training loss and distance to w*.
 * @param one runAgainstFlow's result
 * @throws RangeError if the problem has no planted w*
 */
export function runOnFlowFigure(problem: Problem, one: GridRun & { flow: SampledFlow }, opts: { every?: number } = {}): VegaLiteSpec {
  const every = checkEvery(opts.every ?? 4);
  const label = `MGD β = ${one.beta}`;
  const row = (s: { t: number; loss: number; w: Float64Array }, src: string): Row => ({ t: s.t, loss: s.loss, [ERR]: recoveryError(problem, s.w), λ: one.lambda, β: src });
  const runs = one.run.points.filter((_, i) => i % every === 0).map((s) => row(s, label));
  const flow = one.flow.flow.points.map((s) => row(s, "MGF"));
  const o = { x: "t", color: "λ", shape: "β", width: 330, height: 230 };
  return sideBySide([
    runsOverFlows(runs, flow, { ...o, y: "loss", logY: true, title: "training loss" }),
    runsOverFlows(runs, flow, { ...o, y: ERR, title: "distance to w*" }),
  ], `MGD (points) on its MGF_λ curve (line), λ = ${one.lambda}`);
}

/** The grid's runs as chart rows (every `every`-th snapshot, k > 0): t, k, loss, ‖w − w*‖, λ, β. */
export function gridRunRows(problem: Problem, runs: GridRun[], every = 5): Row[] {
  checkEvery(every);
  return runs.flatMap((r) => r.run.points.filter((s, i) => s.k > 0 && i % every === 0).map((s) => ({
    t: s.t, k: s.k, loss: s.loss, [ERR]: recoveryError(problem, s.w), λ: r.lambda, β: String(r.beta),
  })));
}

/**
 * The collapse: every run of the grid (points, one shape per β) over the flow of its λ (lines), against continuous
 * time t = kγ/(1−β), for the loss and the distance to w*.
 * @param opts.times the plot times at which the flows were sampled; opts.every thinning of the run snapshots (default 5)
 */
export function collapseFigure(problem: Problem, runs: GridRun[], flows: SampledFlow[], opts: { times: number[]; every?: number }): VegaLiteSpec {
  const runRows = gridRunRows(problem, runs, opts.every ?? 5);
  const flowRows = flows.flatMap((f) => opts.times.map((t) => f.at(t)).map((s) => ({ t: s.t, loss: s.loss, [ERR]: recoveryError(problem, s.w), λ: f.lambda })));
  const o = { x: "t", color: "λ", shape: "β", logX: true, xTitle: "continuous time t = kγ/(1−β)", width: 340, height: 250 };
  return sideBySide([
    runsOverFlows(runRows, flowRows, { ...o, y: "loss", logY: true, title: "training loss" }),
    runsOverFlows(runRows, flowRows, { ...o, y: ERR, title: "distance to w*" }),
  ], `${runs.length} MGD runs (points) over MGF_λ (lines): same λ, same curve`);
}

/** The same runs against the iteration count k: no collapse. */
export function iterationFigure(problem: Problem, runs: GridRun[], opts: { every?: number } = {}): VegaLiteSpec {
  const rows = roundRows(gridRunRows(problem, runs, opts.every ?? 5));
  return lineChart(rows, { x: "k", y: ERR, color: "λ", strokeDash: "β", logX: true, xTitle: "iteration k", title: `The same ${runs.length} runs against k: no collapse`, height: 260 });
}

/**
 * The path error of each run against h, one line per λ, with the references err = h and err = 1.5h (the claim's
 * bound) on log–log axes.
 */
export function pathErrorFigure(errors: PathErrorRow[]): VegaLiteSpec {
  const rows = errors.map((e) => ({ h: e.h, "sup err": e.sup, λ: e.lambda }));
  return logLogChart(rows, {
    x: "h", y: "sup err", color: "λ", xTitle: "h = γ/(1−β)", yTitle: "sup_k ‖w_k − w^MGF(t_k)‖", title: "Path error is linear in h",
    refs: [{ label: "err = h", coefficient: 1, power: 1 }, { label: "err = 1.5h", coefficient: 1.5, power: 1 }],
  });
}

/** Geometric mean of err/h^p over rows: the coefficient of a reference line through the middle of the data. */
function throughData(values: number[], hs: number[], p: number): number {
  const logs = values.map((v, i) => Math.log(v / hs[i] ** p));
  return Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
}

/**
 * Both path errors of each run against h: against MGF_λ at t_k (order 1) and against the modified equation, mass
 * λ(1+β)/2 at t_k + h/2 (order 2), with reference lines of slope 1 and 2 through the middle of each family.
 * @param rows modifiedEquationGrid' rows
 * @param shiftLabel how the second-order reference is sampled, for the legend (default "t_k + h/2")
 */
export function errorOrderFigure(rows: ModifiedEquationGridRow[], shiftLabel = "t_k + h/2"): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError("rows must be a non-empty array (modifiedEquationGrid)");
  const first = "MGF_λ at t_k";
  const second = `mass λ(1+β)/2 at ${shiftLabel}`;
  const data = rows.flatMap((r) => [
    { h: r.h, "sup err": r.firstOrder, λ: r.lambda, against: first },
    { h: r.h, "sup err": r.secondOrder, λ: r.lambda, against: second },
  ]);
  const hs = rows.map((r) => r.h);
  return logLogChart(data, {
    x: "h", y: "sup err", color: "λ", strokeDash: "against", xTitle: "h = γ/(1−β)", yTitle: "sup_k ‖w_k − w^flow‖",
    title: "Against the modified equation the path error is second order", height: 300,
    refs: [
      { label: "slope 1", coefficient: throughData(rows.map((r) => r.firstOrder), hs, 1), power: 1 },
      { label: "slope 2", coefficient: throughData(rows.map((r) => r.secondOrder), hs, 2), power: 2 },
    ],
  });
}

function startLabel(w0: Float64Array): string {
  const n = Math.hypot(...w0);
  return n === 0 ? "w₀ = 0" : `w₀ ≠ 0 (‖w₀‖ = ${n.toPrecision(3)})`;
}

/**
 * Plain linear regression: the distance of each λ's flow to the flow of the smallest λ (the path depends on λ) and
 * to a reference point such as the minimum-ℓ2 interpolator (the limit does not).
 * @param flows linearFlows' flows (sampled at the same times)
 * @param wRef the reference point
 * @param refName its name in the axis title (default "w_ℓ2")
 */
export function linearRegressionFigure(flows: LinearFlow[], wRef: Float64Array, refName = "w_ℓ2"): VegaLiteSpec {
  if (!Array.isArray(flows) || flows.length === 0) throw new TypeError("flows must be a non-empty array (linearFlows)");
  const base = flows.reduce((m, f) => (f.lambda < m.lambda ? f : m));
  const baseName = base.lambda === 0 ? "w_GF(t)" : `w_λ=${base.lambda}(t)`;
  const toRef = `‖w(t) − ${refName}‖`;
  const toBase = `‖w_λ(t) − ${baseName}‖`;
  const rows = flows.flatMap(({ lambda, flow }) => flow.points.map((s, i) => ({
    t: s.t, λ: lambda, [toRef]: Math.max(distance(s.w, wRef), 1e-16), [toBase]: distance(s.w, base.flow.points[i].w),
  })));
  return sideBySide([
    lineChart(roundRows(rows.filter((r) => r.t > 0)), { x: "t", y: toBase, color: "λ", logX: true, title: "the path depends on λ", width: 330, height: 230 }),
    lineChart(roundRows(rows), { x: "t", y: toRef, color: "λ", logY: true, title: "the limit does not", width: 330, height: 230 }),
  ], `Plain linear regression: MGF_λ on w from ${startLabel(flows[0].flow.points[0].w)}`);
}

// ── Tables: the experiments' rows with the column names the notebook prints ──────────────────────────────────────

/** The grid's runs: λ, β, γ, h, K, final loss, ‖w_K − w*‖ and wall time. */
export function gridRunTable(problem: Problem, runs: GridRun[]): Row[] {
  return runs.map((r) => ({
    λ: r.lambda, β: r.beta, γ: r.gamma, h: r.h, K: r.run.iterations, "final loss": r.run.loss, "‖w_K − w*‖": recoveryError(problem, r.run.w), ms: Math.round(r.run.wallMs),
  }));
}

/** flowSettling's rows: loss at T and the drift of ‖w − w*‖ over the last stretch. */
export function settleTable(rows: SettleRow[], tLate: number): Row[] {
  return rows.map((r) => ({ λ: r.lambda, "loss at T": r.lossAtT, [`‖w − w*‖ at t = ${tLate}`]: r.errLate, "‖w − w*‖ at T": r.errAtT, "solver steps": r.steps, ms: Math.round(r.wallMs) }));
}

/** gridPathErrors' rows: sup error, C = err/h, where it peaks, the end-point error. */
export function pathErrorTable(errors: PathErrorRow[]): Row[] {
  return errors.map((e) => ({ λ: e.lambda, β: e.beta, h: e.h, "sup err": e.sup, "C = err/h": e.C, "t of sup": e.tSup, "end err": e.end }));
}

/**
 * Fitted order and constants per λ, next to the constant the modified equation predicts (if given).
 * @param fits orderFits(errors); predicted firstOrderConstants(…) (optional)
 */
export function orderFitTable(fits: OrderFit[], predicted: FirstOrderConstant[] = []): Row[] {
  return fits.map((f) => {
    const p = predicted.find((c) => c.lambda === f.lambda);
    return { λ: f.lambda, "fitted slope": f.slope, "C min": f.Cmin, "C max": f.Cmax, ...(p ? { "C predicted": p.C, "t of sup (predicted)": p.tSup } : {}) };
  });
}

/** modifiedEquationGrid' rows: the three path errors of each run. */
export function modifiedEquationTable(rows: ModifiedEquationGridRow[], shiftLabel = "t_k + h/2"): Row[] {
  return rows.map((r) => ({
    λ: r.lambda, β: r.beta, h: r.h, "mass λ(1+β)/2": r.mass, "vs MGF_λ at t_k": r.firstOrder, "vs mass at t_k": r.massOnly, [`vs mass at ${shiftLabel}`]: r.secondOrder, [`err/h² (${shiftLabel})`]: r.secondOrder / (r.h * r.h),
  }));
}

/** gdPathCheck's rows: GD against the λ = γ/2 and the λ = γ paths. */
export function gdPathTable(rows: GdPathRow[]): Row[] {
  return rows.map((r) => ({ "compared with": `MGF, λ = ${r.lambda} (${r.reading})`, "sup path err": r.sup, "end err": r.end, "max |Δ∞ ratio − 1|": r.deltaDeviation }));
}

/** linearRegressionRuns' rows. */
export function linearRunTable(rows: LinearRunRow[], refName = "w_ℓ2"): Row[] {
  return rows.map((r) => ({ γ: r.gamma, β: r.beta, λ: r.lambda, K: r.iterations, t_K: r.time, [`‖w_K − ${refName}‖`]: r.distance }));
}
