/**
 * The figure and tables of notebook 00: the shape of the hyperbolic entropy ψ_Δ in one dimension for several Δ, next
 * to |w| and w², and the tables of shape ratios and unit costs. Labels are derived from the Δ values.
 */
import { psi } from "../bias/entropy";
import { psiShapeRatio, unitEntryCosts, type CoordinateChoice } from "../experiments/entropy-shape";
import { checkNumberList } from "../experiments/path";
import { roundRows } from "./composite";
import { lineChart, type Row, type VegaLiteSpec } from "./spec";

const Y = "ψ_Δ(w) / ψ_Δ(1)";

/**
 * ψ_Δ(w)/ψ_Δ(1) on a grid of w for each Δ, with the references |w| (ℓ1) and w² (ℓ2): the shape goes from quadratic
 * (large Δ) to absolute value (small Δ).
 * @param Deltas Δ > 0, each once; opts.from, opts.to the range of w (default −2, 2); opts.points (default 161)
 */
export function psiShapeChart(Deltas: number[], opts: { from?: number; to?: number; points?: number } = {}): VegaLiteSpec {
  const D = checkNumberList("Deltas", Deltas, { min: 0, minOpen: true });
  const from = opts.from ?? -2, to = opts.to ?? 2, m = opts.points ?? 161;
  if (!(to > from) || !Number.isInteger(m) || m < 2) throw new RangeError(`need from < to and an integer points ≥ 2, got from = ${from}, to = ${to}, points = ${m}`);
  const grid = Array.from({ length: m }, (_, i) => from + (i * (to - from)) / (m - 1));
  const rows = D.flatMap((d) => {
    const at1 = psi(Float64Array.of(1), d);
    return grid.map((w) => ({ w, [Y]: psi(Float64Array.of(w), d) / at1, Δ: `Δ = ${d}` }));
  });
  const refs = grid.flatMap((w) => [{ w, [Y]: Math.abs(w), Δ: "|w| (ℓ1)" }, { w, [Y]: w * w, Δ: "w² (ℓ2)" }]);
  return lineChart(roundRows([...rows, ...refs]), { x: "w", y: Y, color: "Δ", title: "The hyperbolic entropy goes from ℓ2 (large Δ) to ℓ1 (small Δ)", height: 300 });
}

/** Δ and the shape ratio ψ(½)/ψ(1) for each Δ. */
export function shapeRatioTable(Deltas: number[]): Row[] {
  return checkNumberList("Deltas", Deltas, { min: 0, minOpen: true }).map((d) => ({ Δ: d, "ψ(½)/ψ(1)": psiShapeRatio(d) }));
}

/** Δ_i and the cost ψ_Δ(e_i) of a unit entry in coordinate i. */
export function unitCostTable(Deltas: number[]): Row[] {
  const costs = unitEntryCosts(Deltas);
  return Deltas.map((d, i) => ({ Δ_i: d, "ψ_Δ(e_i)": costs[i] }));
}

/** The two-coordinate experiment as a table: Δ_i, the unit cost and the interpolator's entry, per coordinate. */
export function coordinateChoiceTable(c: CoordinateChoice): Row[] {
  return [0, 1].map((i) => ({ coordinate: i + 1, Δ_i: c.Delta[i], "ψ_Δ(e_i)": c.costs[i], "w_i of argmin ψ_Δ": c.w[i], preferred: c.preferred === null ? "tie" : c.preferred === i + 1 ? "yes" : "no" }));
}
