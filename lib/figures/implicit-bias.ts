/**
 * Figure specs of notebook 04 (implicit regularisation), built from the rows of lib/experiments/implicit-bias: the
 * ψ_Δ bridge, the approximate problem's error against λ, the one-GF-run predictor, MGD's rate in h and MGD's Δ
 * against MGF's. All return plain Vega-Lite v5 objects for `show(spec)`.
 */
import { roundRows } from "./composite";
import { lineChart, type Row, type VegaLiteSpec } from "./spec";
import { powerLawChart, scatterWithDiagonal, withMarks } from "./balancedness";

/**
 * Distance of argmin ψ_Δ to basis pursuit and to the minimum-ℓ2 interpolator against Δ, with a marker at the Δ₀
 * of the series.
 * @param rows the rows of bridgeRows; @param mark the Δ to mark and its label
 * @returns a layer spec
 * @throws TypeError if rows is not an array
 * @example await show(bridgeChart(bridgeRows(bridge), { value: 0.02, label: "Δ₀ = 2α²" }))
 */
export function bridgeChart(rows: Row[], mark: { value: number; label: string }): VegaLiteSpec {
  const chart = lineChart(roundRows(rows), { x: "Δ", y: "distance", color: "to", logX: true, logY: true,
    title: "argmin ψ_Δ: from min-ℓ2 (large Δ) to basis pursuit (small Δ)", height: 260 });
  return withMarks(chart, "Δ", [mark]);
}

/**
 * The approximate problem's error, momentum's effect and ‖w̃₀‖ against λ, with ∝ λ² through the error.
 * @param rows the rows of implicitSweepChartRows
 * @returns a layer spec
 * @throws as powerLawChart
 * @example await show(implicitSweepChart(implicitSweepChartRows(sweep, psi0.w)))
 */
export function implicitSweepChart(rows: Row[]): VegaLiteSpec {
  return powerLawChart(rows, { x: "λ", y: "value", color: "what", reference: { series: "approx. error", order: 2 },
    title: "The approximation error grows like λ², momentum's effect like λ", height: 260 });
}

/**
 * The one-GF-run predictor and argmin ψ at the measured Δ∞: distance to MGF's limit against λ, ∝ λ² dashed.
 * @param rows the rows of oneRunChartRows
 * @returns a layer spec
 * @throws as powerLawChart
 * @example await show(oneRunChart(oneRunChartRows(oneRunPredictor(p, sweep, gf, 0.02))))
 */
export function oneRunChart(rows: Row[]): VegaLiteSpec {
  return powerLawChart(rows, { x: "λ", y: "error", color: "predictor", reference: { series: "one GF run: Δ₀·exp(−2λ∫g²)", order: 2 },
    title: "Distance to MGF's limit: a predictor from one GF run against the measured Δ∞", height: 260 });
}

/**
 * MGD's limit against the flow's prediction as h → 0 at one λ, with ∝ h dashed.
 * @param rows the rows of mgdRateRows; @param lambda the λ, for the title
 * @returns a layer spec
 * @throws as powerLawChart
 * @example await show(mgdRateChart(mgdRateRows(mgd, 0.2), 0.2))
 */
export function mgdRateChart(rows: Row[], lambda: number): VegaLiteSpec {
  return powerLawChart(rows, { x: "h", y: "distance", color: "to", reference: { series: "w∞^MGF", order: 1 },
    title: `λ = ${lambda}: MGD's limit approaches the flow's prediction like h`, width: 420, height: 260 });
}

/**
 * MGD's Δ_K against MGF's Δ∞ per coordinate, one colour per β.
 * @param rows the rows of mgdDeltaRows; @param lambda the λ, for the title
 * @returns a layer spec
 * @throws as scatterWithDiagonal
 * @example await show(mgdDeltaScatter(mgdDeltaRows(mgd, 0.2, 0.02), 0.2))
 */
export function mgdDeltaScatter(rows: Row[], lambda: number): VegaLiteSpec {
  return scatterWithDiagonal(roundRows(rows), { x: "Δ∞^MGF/Δ₀", y: "Δ_K^MGD/Δ₀", color: "β", logX: true, logY: true,
    title: `λ = ${lambda}: MGD shrinks Δ a little less than MGF; β → 1 closes the gap` });
}
