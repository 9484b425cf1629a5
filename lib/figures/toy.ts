/**
 * The figures and tables of notebook 07 (the 2-D picture): trajectories of MGF_λ in the (w₁, w₂) plane with the
 * interpolation line and landmark interpolators, the same with a λ slider, the second coordinate of the limit
 * against λ, and u ± v and Δ along one flow. Axes, legends and labels are derived from the data.
 */
import type { LambdaFlow, ToyLimit, DiscreteLimitRow, CrossingThreshold } from "../experiments/toy";
import { thinByArcLength } from "../experiments/toy";
import type { FlowResult } from "../dynamics/flows";
import type { Problem } from "../model/problems";
import { balancedness } from "../model/dln";
import { planeChart, roundRows, sideBySide } from "./composite";
import { lineChart, type Row, type VegaLiteSpec } from "./spec";

const W1 = "w₁";
const W2 = "w₂";

/** A labelled point of the plane (e.g. an interpolator). */
export interface Landmark {
  w: Float64Array;
  label: string;
}

/**
 * A landmark labelled with its name and its coordinates to 3 decimals, e.g. "min-ℓ2 (0.8, 0.4)".
 * @example landmark("ℓ1", Float64Array.of(1, 0)).label // "ℓ1 (1, 0)"
 */
export function landmark(name: string, w: Float64Array): Landmark {
  return { w, label: `${name} (${Array.from(w, (x) => Number(x.toFixed(3))).join(", ")})` };
}

function checkPlaneProblem(problem: Problem): void {
  if (problem.n !== 1 || problem.d !== 2) throw new RangeError(`the plane figures need one sample in two dimensions (n = 1, d = 2), got n = ${problem.n}, d = ${problem.d}`);
}

/**
 * The interpolation line {w : x₁w₁ + x₂w₂ = y} of a one-sample 2-D problem, as two rows spanning w₁ ∈ [lo, hi]
 * (or w₂ if x₂ = 0 makes the line vertical).
 */
export function interpolationLine(problem: Problem, lo: number, hi: number): Row[] {
  checkPlaneProblem(problem);
  const [x1, x2] = problem.X;
  const y = problem.y[0];
  if (x2 === 0) return [lo, hi].map((w2) => ({ [W1]: y / x1, [W2]: w2 }));
  return [lo, hi].map((w1) => ({ [W1]: w1, [W2]: (y - x1 * w1) / x2 }));
}

function padded(values: number[], pad = 0.03): [number, number] {
  const lo = Math.min(...values), hi = Math.max(...values);
  const m = pad * Math.max(hi - lo, 1e-9) + pad;
  return [Number((lo - m).toPrecision(4)), Number((hi + m).toPrecision(4))];
}

function planeRows(flows: LambdaFlow[], series: (f: LambdaFlow) => string | number, m: number, seriesField: string): Row[] {
  return flows.flatMap((f) => thinByArcLength(f.flow.points, m).map((s, i) => ({ [W1]: s.w[0], [W2]: s.w[1], i, [seriesField]: series(f) })));
}

function landmarkRows(landmarks: Landmark[]): Row[] {
  return landmarks.map((l) => ({ [W1]: l.w[0], [W2]: l.w[1], label: l.label }));
}

/** Domains padded around the trajectories, landmarks and limits (not the interpolation line, which is clipped). */
function planeDomains(rows: Row[]): { x: [number, number]; y: [number, number] } {
  return { x: padded(rows.map((r) => r[W1] as number)), y: padded(rows.map((r) => r[W2] as number)) };
}

/** "λ = 0.5" for a flow. */
const lambdaLabel = (f: LambdaFlow) => `λ = ${f.lambda}`;

/**
 * MGF_λ trajectories (thinned to m points evenly in arc length) in the (w₁, w₂) plane, with their limits (diamonds),
 * the interpolation line (grey) and labelled landmarks.
 * @param opts.landmarks labelled points (e.g. the ℓ1 and min-ℓ2 interpolators); opts.m points per trajectory (default 150)
 */
export function toyPlaneFigure(problem: Problem, flows: LambdaFlow[], opts: { landmarks?: Landmark[]; m?: number; width?: number; height?: number } = {}): VegaLiteSpec {
  checkPlaneProblem(problem);
  const trajectories = planeRows(flows, lambdaLabel, opts.m ?? 150, "λ");
  const limits = flows.map((f) => ({ [W1]: f.flow.final.w[0], [W2]: f.flow.final.w[1], λ: lambdaLabel(f) }));
  const markers = landmarkRows(opts.landmarks ?? []);
  const dom = planeDomains([...trajectories, ...limits, ...markers]);
  return planeChart({
    x: W1, y: W2, trajectories, series: "λ", order: "i", line: interpolationLine(problem, dom.x[0], dom.x[1]), markers, limits,
    xDomain: dom.x, yDomain: dom.y, width: opts.width ?? 520, height: opts.height ?? 330, title: "MGF_λ trajectories in the (w₁, w₂) plane (axes not to the same scale)",
  });
}

/**
 * One trajectory per λ of a log-spaced grid, picked by a slider over log₁₀ λ, over a background flow (e.g. GF) in grey
 * dashes; the label in the corner gives λ and the limit.
 * @param grid flows at λ = 10^(log values), evenly spaced in log₁₀ λ; opts.initialLambda the slider's start (nearest grid value)
 */
export function toySliderFigure(problem: Problem, grid: LambdaFlow[], opts: { background?: LambdaFlow; landmarks?: Landmark[]; initialLambda: number; m?: number }): VegaLiteSpec {
  checkPlaneProblem(problem);
  if (!Array.isArray(grid) || grid.length < 2) throw new RangeError("grid must hold at least two flows");
  const logs = grid.map((f) => Number(Math.log10(f.lambda).toFixed(6)));
  const step = Number((logs[1] - logs[0]).toFixed(6));
  if (!(step > 0)) throw new RangeError("the grid's λ must increase");
  const value = logs.reduce((a, l) => (Math.abs(l - Math.log10(opts.initialLambda)) < Math.abs(a - Math.log10(opts.initialLambda)) ? l : a));
  const trajectories = grid.flatMap((f, k) => thinByArcLength(f.flow.points, opts.m ?? 120).map((s, i) => ({ [W1]: s.w[0], [W2]: s.w[1], i, "log10 λ": logs[k] })));
  const limits = grid.map((f, k) => ({
    [W1]: f.flow.final.w[0], [W2]: f.flow.final.w[1], "log10 λ": logs[k],
    label: `λ = ${f.lambda.toPrecision(2)}: w∞ = (${f.flow.final.w[0].toFixed(3)}, ${f.flow.final.w[1].toFixed(3)})${f.flow.signChanges.length ? ", u − v crosses 0" : ""}`,
  }));
  const background = opts.background ? planeRows([opts.background], lambdaLabel, 150, "log10 λ") : undefined;
  const markers = landmarkRows(opts.landmarks ?? []);
  const dom = planeDomains([...trajectories, ...limits, ...markers, ...(background ?? [])]);
  return planeChart({
    x: W1, y: W2, trajectories, series: "log10 λ", order: "i", background, line: interpolationLine(problem, dom.x[0], dom.x[1]), markers, limits,
    slider: { field: "log10 λ", min: logs[0], max: logs[logs.length - 1], step, value, name: "log₁₀ λ ", labelField: "label" },
    xDomain: dom.x, yDomain: dom.y, width: 520, height: 330, title: "Drag the slider: MGF_λ trajectory for λ = 10^(slider)",
  });
}

/**
 * The second coordinate of the limit against λ (log axis), coloured by whether some u ± v changed sign; a GF flow
 * (λ = 0) is drawn one decade left of the smallest λ.
 */
export function limitVsLambdaChart(flows: LambdaFlow[]): VegaLiteSpec {
  const pos = flows.filter((f) => f.lambda > 0);
  if (pos.length === 0) throw new RangeError("limitVsLambdaChart needs flows with λ > 0");
  const gfAt = Math.min(...pos.map((f) => f.lambda)) / 10;
  const rows = flows.map((f) => ({
    λ: f.lambda > 0 ? f.lambda : gfAt, "w₂∞": f.flow.final.w[1],
    crossing: f.lambda === 0 ? `GF, λ = 0 (at ${Number(gfAt.toPrecision(2))})` : f.flow.signChanges.length ? "u ± v changes sign" : "no sign change",
  }));
  return lineChart(rows, { x: "λ", y: "w₂∞", color: "crossing", logX: true, points: true, title: "Second coordinate of the limit against λ", height: 240 });
}

/**
 * Along one flow: u ± v per coordinate, and Δᵢ(t)/Δᵢ(0) = (u − v)(u + v)/Δ₀ (negative once a factor has crossed zero).
 */
export function crossingFigure(flow: FlowResult): VegaLiteSpec {
  const d0 = balancedness(flow.points[0].u, flow.points[0].v);
  const coords = Array.from({ length: flow.final.w.length }, (_, i) => i);
  const uv = flow.points.flatMap((s) => coords.flatMap((i) => [
    { t: s.t, value: s.u[i] - s.v[i], series: `u${i + 1} − v${i + 1}` },
    { t: s.t, value: s.u[i] + s.v[i], series: `u${i + 1} + v${i + 1}` },
  ]));
  const delta = flow.points.flatMap((s) => coords.map((i) => ({ t: s.t, "Δᵢ(t)/Δ₀": (s.u[i] ** 2 - s.v[i] ** 2) / d0[i], coordinate: `i = ${i + 1}` })));
  return sideBySide([
    lineChart(roundRows(uv), { x: "t", y: "value", color: "series", yTitle: "u ± v", title: "u ± v per coordinate", width: 330, height: 230 }),
    lineChart(roundRows(delta), { x: "t", y: "Δᵢ(t)/Δ₀", color: "coordinate", title: "balancedness Δᵢ = (u − v)(u + v)", width: 330, height: 230 }),
  ], `λ = ${flow.lambda}: ${flow.signChanges.length ? "u − v crosses zero" : "no sign change"}`, "independent");
}

/** An integer written with subscript digits (1 → ₁). */
function subscript(k: number): string {
  return String(k).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[Number(c)]);
}

/** limitSummary rows: λ, T, the limit, the loss, Δ∞/Δ₀ per coordinate, sign changes, solver time. */
export function limitTable(rows: ToyLimit[]): Row[] {
  return rows.map((r) => {
    const ratios: Row = {};
    r.deltaRatio.forEach((x, i) => (ratios[`Δ∞,${i + 1}/Δ₀`] = x));
    const ws: Row = {};
    r.w.forEach((x, i) => (ws[`w${subscript(i + 1)}∞`] = x));
    return { λ: r.lambda, T: r.T, ...ws, "final loss": r.loss, ...ratios, "u±v sign changes": r.signChanges, ms: Math.round(r.wallMs) };
  });
}

/** The first sign changes of one flow. */
export function signChangeTable(flow: FlowResult): Row[] {
  return flow.signChanges.map((c) => ({ coordinate: c.coordinate + 1, which: c.which, "first crossing at t": c.time }));
}

/** discreteLimits rows. */
export function discreteLimitTable(rows: DiscreteLimitRow[]): Row[] {
  return rows.map((r) => ({ λ: r.lambda, γ: r.gamma, β: r.beta, K: r.iterations, "‖w_K − w^MGF(T)‖": r.distance }));
}

/** A one-line account of a crossing bisection. */
export function crossingSummary(c: CrossingThreshold): string {
  const which = c.which === "both" ? "u ± v" : c.which.replace("-", " − ").replace("+", " + ");
  return c.bracketOk
    ? `first ${which} sign change at λc ≈ ${c.lambdaC.toFixed(4)} (bracket [${c.lo.toPrecision(6)}, ${c.hi.toPrecision(6)}])`
    : `no bisection: the bracket [${c.lo}, ${c.hi}] does not have "no ${which} sign change" at its left end and one at its right end`;
}
