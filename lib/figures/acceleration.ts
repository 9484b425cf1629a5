/**
 * The figures and tables of notebook 02 (the acceleration rule): iteration counts and continuous times K·h of the
 * sweeps, the rule's plans and contenders, and the stability map over (γ, β) with the heavy-ball bound, lines of
 * constant λ and the line h = T/(iteration cap). Titles, legends and labels are derived from the data.
 */
import type { ContenderRow, LossRun, SpeedupRun } from "../experiments/acceleration";
import type { StabilityMap } from "../dynamics/stability";
import { heavyBallStability, type AccelerationPlan } from "../model/momentum";
import { lineChart, SCHEMA, type Row, type VegaLiteSpec } from "./spec";

/** A sweep with the label its series gets (e.g. "fixed λ = 0.2"). */
export interface LabelledSweep {
  label: string;
  runs: LossRun[];
}

function sweepRows(sweeps: LabelledSweep[]): Row[] {
  if (!Array.isArray(sweeps) || sweeps.length === 0) throw new TypeError("sweeps must be a non-empty array of { label, runs }");
  return sweeps.flatMap((s) => s.runs.map((r) => ({ β: r.beta, K: r.K, "K·h": r.Kh, sweep: s.label })));
}

/** Iterations K to the loss target against β, one line per sweep (log scale). */
export function iterationCountChart(sweeps: LabelledSweep[], eps: number): VegaLiteSpec {
  const target = eps < 1e-3 ? eps.toExponential() : String(eps);
  return lineChart(sweepRows(sweeps), { x: "β", y: "K", color: "sweep", logY: true, title: `Iterations K to reach loss < ${target}` });
}

/**
 * The continuous time K·h against β, one line per sweep, over a shaded band of ±`band` around the mean; the y axis
 * spans at least ±5 % of the mean and always the data.
 * @param band half-width of the band, relative (default 0.03)
 */
export function timeConstancyChart(sweeps: LabelledSweep[], band = 0.03): VegaLiteSpec {
  const rows = sweepRows(sweeps);
  if (!(band > 0 && band < 1)) throw new RangeError(`band must lie in (0, 1), got ${band}`);
  const kh = rows.map((r) => r["K·h"] as number);
  const m = kh.reduce((a, b) => a + b, 0) / kh.length;
  const pad = Math.max(0.05, 1.5 * band);
  const scale = { domain: [Math.min((1 - pad) * m, 0.99 * Math.min(...kh)), Math.max((1 + pad) * m, 1.01 * Math.max(...kh))] };
  return {
    $schema: SCHEMA,
    title: `…but the continuous time K·h stays the same (band: ±${100 * band} % around the mean)`,
    width: 480, height: 240,
    layer: [
      { data: { values: [{ lo: (1 - band) * m, hi: (1 + band) * m }] }, mark: { type: "rect", color: "#ddd", opacity: 0.6 },
        encoding: { y: { field: "lo", type: "quantitative", scale }, y2: { field: "hi" } } },
      { data: { values: rows }, mark: { type: "line", point: true },
        encoding: { x: { field: "β", type: "quantitative" }, y: { field: "K·h", type: "quantitative", scale, title: "K·h (continuous time)" },
          color: { field: "sweep", type: "nominal" } } },
    ],
  } as unknown as VegaLiteSpec;
}

/** Rows of a fixed-λ sweep: β, γ, λ, the second-order mass, h, K, K·h, ‖w − w*‖. */
export function fixedLambdaTable(runs: LossRun[]): Row[] {
  return runs.map((r) => ({ β: r.beta, γ: r.gamma, λ: r.lambda, "mass λ(1+β)/2": r.mass, h: r.h, K: r.K, "K·h": r.Kh, "‖w − w*‖": r.recovery }));
}

/** Rows of a fixed-γ sweep: β, λ, K, K·h, the measured and predicted speed-ups over the smallest β, ‖w − w*‖. */
export function fixedGammaTable(runs: SpeedupRun[]): Row[] {
  const ref = Math.min(...runs.map((r) => r.beta));
  const measured = ref === 0 ? "K_GD/K" : `K(β = ${ref})/K`;
  const predicted = ref === 0 ? "1/(1−β)" : `(1 − ${ref})/(1−β)`;
  return runs.map((r) => ({ β: r.beta, λ: r.lambda, K: r.K, "K·h": r.Kh, [measured]: r.speedup, [predicted]: r.predicted, "‖w − w*‖": r.recovery }));
}

/** The rule's plans: the target λ, the step limit, (γ, β), h, K and the note. */
export function planTable(plans: { label: string; plan: AccelerationPlan }[]): Row[] {
  return plans.map(({ label, plan: p }) => ({
    plan: label, "target λ": p.mass, limit: p.limit, γ: p.gamma, β: p.beta, "λ = γ/(1−β)²": p.lambda, h: p.h, K: p.iterations,
    ...(p.predictedPathError === null ? {} : { "predicted path err": p.predictedPathError }),
  }));
}

/** The contenders' runs: prediction, measurement, time per iteration, and distance to the flow of the target λ. */
export function contenderTable(rows: ContenderRow[]): Row[] {
  return rows.map((r) => ({
    run: r.label, γ: r.gamma, β: r.beta, "λ = γ/(1−β)²": r.lambda, "mass λ(1+β)/2": r.mass, "K predicted": Math.round(r.Kpredicted), K: r.K,
    "K/K_pred": r.K / r.Kpredicted, "wall ms": r.wallMs, "µs/iter": (1000 * r.wallMs) / r.K, "‖w − w*‖": r.recovery,
    "target λ": r.target, "‖w_K − w^MGF(t_K)‖, target": r.targetDistance,
  }));
}

/**
 * Per β (every `every`-th, and the last `last`), the largest γ of the grid that did not diverge against the bound.
 * @param every keep every every-th β (default 4); last also keep the last few (default 4)
 */
export function stabilityEdgeTable(map: StabilityMap, every = 4, last = 4): Row[] {
  const n = map.boundary.length;
  return map.boundary.filter((_, i) => i % every === 0 || i >= n - last).map((r) => ({
    β: r.beta, "largest γ not diverged": r.gammaStable ?? "none", "bound 2(1+β)/L": r.bound, ratio: r.gammaStable === null ? 0 : r.gammaStable / r.bound, "λ there": r.lambdaStable ?? "none",
  }));
}

const r4 = (x: number) => Number(x.toPrecision(4)); // keeps committed charts small

/** Options of {@link stabilityMapChart}. */
export interface StabilityMapChartOptions {
  /** The continuous time the path needs: draws the line h = γ/(1−β) = T/(iteration cap) (omit to leave it out). */
  T?: number;
  /** λ of the dashed lines of constant λ = γ/(1−β)² (default 0.2, 2, 20, 200, 2000). */
  lambdas?: number[];
  width?: number;
  height?: number;
}

function mapLayer(values: Row[], mark: Record<string, unknown>, x: object, y: object, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { data: { values }, mark, encoding: { x: { field: "γ", type: "quantitative", scale: x }, y: { field: "β", type: "quantitative", scale: y }, ...extra } };
}

/**
 * The stability map: one rectangle per (γ, β) cell coloured by the outcome, the heavy-ball bound γ = 2(1+β)/L
 * (solid), lines of constant λ (dashed) and the line h = T/(iteration cap) (dotted).
 * @param map stabilityMap's result (γ log-spaced, β evenly spaced)
 */
export function stabilityMapChart(map: StabilityMap, o: StabilityMapChartOptions = {}): VegaLiteSpec {
  if (!map || !Array.isArray(map.cells) || map.cells.length < 4) throw new TypeError("map must be a stabilityMap result with at least 2 γ and 2 β");
  const gammas = Array.from(new Set(map.cells.map((c) => c.gamma))).sort((a, b) => a - b);
  const betas = Array.from(new Set(map.cells.map((c) => c.beta))).sort((a, b) => a - b);
  if (gammas.length < 2 || betas.length < 2) throw new RangeError("stabilityMapChart needs at least 2 values of γ and of β");
  const ratio = Math.sqrt(gammas[1] / gammas[0]);
  const dBeta = (betas[1] - betas[0]) / 2;
  const [gMin, gMax, bMax] = [gammas[0], gammas[gammas.length - 1], betas[betas.length - 1]];
  const xs = { type: "log", domain: [gMin / ratio, gMax * ratio] };
  const ys = { domain: [betas[0] - dBeta, bMax + dBeta] };
  const rects = map.cells.map((c) => ({ g0: r4(c.gamma / ratio), g1: r4(c.gamma * ratio), b0: r4(c.beta - dBeta), b1: r4(c.beta + dBeta), γ: r4(c.gamma), β: r4(c.beta), λ: r4(c.lambda), outcome: c.outcome, K: c.iterations }));
  const fine = Array.from({ length: 100 }, (_, i) => betas[0] + ((Math.min(0.995, bMax + dBeta) - betas[0]) * i) / 99);
  const inRange = (r: Row) => (r.γ as number) >= gMin / ratio && (r.γ as number) <= gMax * ratio;
  const lambdas = o.lambdas ?? [0.2, 2, 20, 200, 2000];
  const lambdaLines = lambdas.flatMap((l) => fine.map((b) => ({ γ: r4(l * (1 - b) ** 2), β: r4(b), λ: `λ = ${l}` })).filter(inRange));
  const lambdaLabels = lambdas.map((l) => {
    const b = Math.max(0, 1 - Math.sqrt((0.8 * gMax) / l)); // the label sits near the right edge
    return { γ: r4(l * (1 - b) ** 2), β: r4(b), text: `λ = ${l}` };
  }).filter(inRange);
  const layers = [
    { data: { values: rects }, mark: { type: "rect", aria: false },
      encoding: { x: { field: "g0", type: "quantitative", scale: xs, title: "step size γ" }, x2: { field: "g1" },
        y: { field: "b0", type: "quantitative", scale: ys, title: "momentum β" }, y2: { field: "b1" },
        color: { field: "outcome", type: "nominal", scale: { domain: ["converged", "not converged", "diverged"], range: ["#59a14f", "#e0e0e0", "#e15759"] } },
        tooltip: [{ field: "γ", format: ".3g" }, { field: "β", format: ".3f" }, { field: "λ", format: ".3g" }, { field: "outcome" }, { field: "K" }] } },
    mapLayer(lambdaLines, { type: "line", strokeDash: [4, 3], color: "#555", clip: true }, xs, ys, { detail: { field: "λ" }, order: { field: "β" } }),
    mapLayer(lambdaLabels, { type: "text", align: "right", dx: -3, dy: -4, fontSize: 10, color: "#333" }, xs, ys, { text: { field: "text" } }),
    mapLayer(fine.map((b) => ({ γ: r4(heavyBallStability(b, map.L)), β: r4(b) })), { type: "line", color: "black", strokeWidth: 2, clip: true }, xs, ys, { order: { field: "β" } }),
  ];
  const bAt = (b: number) => Math.min(b, bMax);
  const marks = [{ γ: r4(heavyBallStability(bAt(0.15), map.L)), β: r4(bAt(0.15)), text: "2(1+β)/L" }];
  if (o.T !== undefined) {
    const hCap = o.T / map.iterations;
    layers.push(mapLayer(fine.map((b) => ({ γ: r4(hCap * (1 - b)), β: r4(b) })).filter(inRange), { type: "line", color: "#1f5fa0", strokeDash: [1, 2], strokeWidth: 2, clip: true }, xs, ys, { order: { field: "β" } }));
    marks.push({ γ: r4(hCap * (1 - bAt(0.45))), β: r4(bAt(0.45)), text: `h = T/${map.iterations}` });
  }
  layers.push(mapLayer(marks.filter(inRange), { type: "text", align: "left", dx: 4, fontSize: 11, fontWeight: "bold" }, xs, ys, { text: { field: "text" } }));
  return {
    $schema: SCHEMA, title: `Stability of MGD on the DLN: outcome of ${map.iterations} iterations per (γ, β)`,
    width: o.width ?? 480, height: o.height ?? 360, layer: layers,
  } as unknown as VegaLiteSpec;
}
