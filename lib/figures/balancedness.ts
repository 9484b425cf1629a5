/**
 * Figure specs of the balancedness and implicit-regularisation notebooks (03, 04): one line per coordinate
 * coloured by whether it lies on the support of w*, scatter plots against the diagonal y = x, and vertical
 * marker lines on top of any chart. All return plain Vega-Lite v5 objects for `show(spec)`.
 */
import { checkRows as rowsOf, lineChart, quantitativeAxis as axis, SCHEMA, type AxesOptions, type ChartOptions, type Row, type VegaLiteSpec } from "./spec";
import { roundRows } from "./composite";

/** Colours of the two classes of coordinates: on the support of w* (red) and off it (grey). */
const ON = "#d62728";
const OFF = "#9a9a9a";

const checkRows = (name: string, rows: unknown): Row[] => rowsOf(name, rows, true);

function checkField(name: string, rows: Row[], field: string): void {
  if (typeof field !== "string" || !(field in rows[0])) {
    throw new RangeError(`${name} = ${JSON.stringify(field)} is not a field of the rows (fields: ${Object.keys(rows[0]).join(", ")})`);
  }
}

/** Options of {@link coordinateChart}. */
export interface CoordinateChartOptions extends AxesOptions {
  /** Field naming the coordinate: one line per value. */
  coordinate: string;
  /** Boolean field: true for coordinates on the support of w* (drawn in red, on top). */
  onSupport: string;
  /** Optional field for small multiples side by side (e.g. "λ"). */
  facet?: string;
  /** Optional field for the line style (e.g. "curve"): the value met first in the rows is drawn solid, the next dashed. */
  strokeDash?: string;
}

/**
 * One line per coordinate (e.g. Δ_t/Δ₀ against t), support of w* in red over the other coordinates in grey,
 * optionally one panel per value of `facet` and a line style per value of `strokeDash`.
 * @param rows long-format rows with the fields x, y, coordinate, onSupport (and facet, strokeDash)
 * @param o the fields, titles, log axes and size
 * @returns a Vega-Lite spec
 * @throws TypeError/RangeError if rows is empty, a named field is missing, or onSupport is not boolean
 * @example await show(coordinateChart(rows, { x: "t", y: "Δ_t/Δ₀", coordinate: "i", onSupport: "on supp w*", facet: "λ", logX: true }))
 */
export function coordinateChart(rows: Row[], o: CoordinateChartOptions): VegaLiteSpec {
  checkRows("rows", rows);
  for (const key of ["x", "y", "coordinate", "onSupport"] as const) checkField(`options.${key}`, rows, o[key]);
  if (o.facet !== undefined) checkField("options.facet", rows, o.facet);
  if (o.strokeDash !== undefined) checkField("options.strokeDash", rows, o.strokeDash);
  const bad = rows.findIndex((r) => typeof r[o.onSupport] !== "boolean");
  if (bad >= 0) throw new TypeError(`rows[${bad}][${JSON.stringify(o.onSupport)}] must be a boolean (on the support of w* or not), got ${JSON.stringify(rows[bad][o.onSupport])}`);
  const enc = {
    x: axis(o.x, o.xTitle, o.logX),
    y: axis(o.y, o.yTitle, o.logY),
    detail: { field: o.coordinate, type: "nominal" },
    color: { field: o.onSupport, type: "nominal", title: o.onSupport, scale: { domain: [true, false], range: [ON, OFF] } },
    // styles in order of first appearance: the first value (e.g. "measured") gets the solid line
    ...(o.strokeDash !== undefined ? { strokeDash: { field: o.strokeDash, type: "nominal", title: o.strokeDash, scale: { domain: [...new Set(rows.map((r) => r[o.strokeDash as string]))] } } } : {}),
  };
  // two layers so that the support lines are drawn last, on top of the grey ones
  const pick = (on: boolean) => ({ filter: `datum[${JSON.stringify(o.onSupport)}] === ${on}` });
  const unit = {
    width: o.width ?? 260,
    height: o.height ?? 240,
    layer: [
      { transform: [pick(false)], mark: { type: "line", clip: true, strokeWidth: 1, opacity: 0.5 }, encoding: enc },
      { transform: [pick(true)], mark: { type: "line", clip: true, strokeWidth: 1.6 }, encoding: enc },
    ],
  };
  const head = { $schema: SCHEMA, ...(o.title ? { title: o.title } : {}), data: { values: rows } };
  if (o.facet === undefined) return { ...head, ...unit } as unknown as VegaLiteSpec;
  return { ...head, facet: { column: { field: o.facet, type: "nominal", header: { labelFontSize: 12 } } }, spec: unit } as unknown as VegaLiteSpec;
}

/** Options of {@link scatterWithDiagonal}. */
export interface ScatterOptions extends AxesOptions {
  /** Field for the colour of the points (e.g. "λ"). */
  color?: string;
  /** Field for the point shape (e.g. "on supp w*"). */
  shape?: string;
}

/**
 * Points (x, y) over the diagonal y = x: a point on the line means prediction = measurement.
 * The diagonal spans the range of both fields, so it is drawn whatever the scales.
 * @param rows rows with numeric fields x and y (and color, shape); @param o the fields, titles, log axes and size
 * @returns a Vega-Lite layer spec
 * @throws TypeError/RangeError if rows is empty, a field is missing, or (log axes) a value is ≤ 0
 * @example await show(scatterWithDiagonal(rows, { x: "predicted", y: "measured", logX: true, logY: true }))
 */
export function scatterWithDiagonal(rows: Row[], o: ScatterOptions): VegaLiteSpec {
  checkRows("rows", rows);
  checkField("options.x", rows, o.x);
  checkField("options.y", rows, o.y);
  if (o.color !== undefined) checkField("options.color", rows, o.color);
  if (o.shape !== undefined) checkField("options.shape", rows, o.shape);
  let lo = Infinity, hi = -Infinity;
  for (const r of rows) {
    for (const f of [o.x, o.y]) {
      const v = r[f];
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      if ((o.logX || o.logY) && v <= 0) throw new RangeError(`scatterWithDiagonal: field ${f} has value ${v} ≤ 0 on a log axis`);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(lo <= hi)) throw new RangeError("scatterWithDiagonal: no finite numeric values in the x and y fields");
  const x = axis(o.x, o.xTitle, o.logX, 8);
  const y = axis(o.y, o.yTitle, o.logY, 8);
  const diagonal = [{ [o.x]: lo, [o.y]: lo }, { [o.x]: hi, [o.y]: hi }];
  const enc: Record<string, unknown> = { x, y, tooltip: Object.keys(rows[0]).map((f) => ({ field: f })) };
  if (o.color) enc.color = { field: o.color, type: "nominal" };
  if (o.shape) enc.shape = { field: o.shape, type: "nominal" };
  return {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 360,
    height: o.height ?? 320,
    layer: [
      { data: { values: diagonal }, mark: { type: "line", color: "#555", strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x, y } },
      { data: { values: rows }, mark: { type: "point", filled: true, size: 28, opacity: 0.75 }, encoding: enc },
    ],
  } as unknown as VegaLiteSpec;
}

/**
 * Vertical marker lines, each labelled, drawn over a single-view chart (e.g. from lineChart): "Δ₀ = 2α²" on a
 * sweep over Δ, "first crossing" on a sweep over λ. The chart's own data and scales are kept.
 * @param spec a unit spec with inline data (lineChart, scatter) — not a facet or concat
 * @param field the chart's x field; @param marks positions and labels
 * @returns a layer spec
 * @throws TypeError if spec is not a unit or layer spec, or marks is not an array
 * @example withMarks(lineChart(rows, { x: "Δ", y: "distance" }), "Δ", [{ value: 0.02, label: "Δ₀" }])
 */
export function withMarks(spec: VegaLiteSpec, field: string, marks: { value: number; label: string }[]): VegaLiteSpec {
  const s = spec as unknown as Record<string, unknown>;
  if (s === null || typeof s !== "object" || !("mark" in s || "layer" in s)) throw new TypeError("withMarks needs a unit or layer spec (e.g. from lineChart)");
  if (!Array.isArray(marks)) throw new TypeError("marks must be an array of {value, label}");
  const { $schema: _drop, title, width, height, ...view } = s;
  const x = { field, type: "quantitative" };
  const rows = marks.map((m) => ({ [field]: m.value, label: m.label }));
  return {
    $schema: SCHEMA,
    ...(title !== undefined ? { title } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    layer: [
      view,
      { data: { values: rows }, mark: { type: "rule", color: "#444", strokeDash: [2, 2] }, encoding: { x } },
      { data: { values: rows }, mark: { type: "text", align: "left", dx: 4, baseline: "top", fontSize: 11 }, encoding: { x, y: { value: 4 }, text: { field: "label" } } },
    ],
  } as unknown as VegaLiteSpec;
}

const SUPERSCRIPT: Record<string, string> = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", ".": "·", "-": "⁻" };

/**
 * x^p as text: "λ²", "h", "Δ^0.55" (superscripts for integer powers).
 * @param x the variable's name; @param p the power
 * @returns the label
 * @example powerLabel("λ", 2) // "λ²"
 */
export function powerLabel(x: string, p: number): string {
  if (p === 1) return x;
  const t = String(Number(p.toPrecision(3)));
  return Number.isInteger(p) ? x + Array.from(t, (c) => SUPERSCRIPT[c] ?? c).join("") : `${x}^${t}`;
}

/** Options of {@link powerLawChart}. */
export interface PowerLawOptions extends ChartOptions {
  /** Field that splits the rows into series; without it the rows are one series, named `reference.series`. */
  color?: string;
  /** The order p of the reference line ∝ x^p, and the series it passes through (at its smallest x; default "measured"). */
  reference: { order: number; series?: string };
}

/**
 * Measured series on log-log axes with a dashed reference line ∝ x^p through the first point of one series: the
 * picture of "this error is O(λ²)" or "this distance falls like h". Points a log axis cannot show are dropped;
 * numbers are rounded to 4 digits.
 * @param rows long rows {x, y, color?}; @param o fields, the reference order and series, titles
 * @returns a layer spec (measured lines, then the reference)
 * @throws TypeError for a missing reference or field; RangeError if the reference series has no point with x > 0 and y > 0
 * @example powerLawChart(rows, { x: "λ", y: "err", reference: { order: 2 } })
 */
export function powerLawChart(rows: Row[], o: PowerLawOptions): VegaLiteSpec {
  checkRows("rows", rows);
  if (!o || !o.reference || !Number.isFinite(o.reference.order)) throw new TypeError("options.reference must be { order, series? } with a finite order");
  const series = o.reference.series ?? "measured";
  const color = o.color ?? "curve";
  const all = o.color === undefined ? rows.map((r) => ({ ...r, [color]: series })) : rows;
  for (const key of ["x", "y"] as const) checkField(`options.${key}`, all, o[key]);
  checkField("options.color", all, color);
  const pos = (r: Row, f: string) => typeof r[f] === "number" && (r[f] as number) > 0;
  const base = all.filter((r) => r[color] === series && pos(r, o.x) && pos(r, o.y));
  if (base.length === 0) throw new RangeError(`powerLawChart: series ${JSON.stringify(series)} has no point with ${o.x} > 0 and ${o.y} > 0`);
  const first = base.reduce((a, b) => ((b[o.x] as number) < (a[o.x] as number) ? b : a));
  const x0 = first[o.x] as number, y0 = first[o.y] as number;
  const label = `∝ ${powerLabel(o.x, o.reference.order)} (through ${o.x} = ${Number(x0.toPrecision(4))})`;
  const line = base.map((r) => ({ [o.x]: r[o.x], [o.y]: y0 * ((r[o.x] as number) / x0) ** o.reference.order, [color]: label }));
  const measured = lineChart(roundRows(all.filter((r) => pos(r, o.x) && pos(r, o.y))), { logX: true, logY: true, ...o, color }) as unknown as Record<string, unknown>;
  const { $schema, title, width, height, data, mark: _mark, encoding } = measured as { encoding: Record<string, unknown> } & Record<string, unknown>;
  const enc = { ...encoding, color: { ...(encoding.color as object), legend: { labelLimit: 320 } } }; // the reference label is long
  // the reference is dashed, so a series lying exactly on it stays visible
  return {
    $schema, ...(title !== undefined ? { title } : {}), width, height,
    layer: [
      { data, mark: { type: "line", clip: true }, encoding: enc },
      { data: { values: roundRows(line) }, mark: { type: "line", clip: true, strokeDash: [5, 4] }, encoding: enc },
    ],
  } as unknown as VegaLiteSpec;
}

/**
 * Δ_t/Δ₀ per coordinate along MGF, one panel per λ.
 * @param rows the rows of deltaPathRows; @param title chart title
 * @returns a faceted Vega-Lite spec
 * @throws as coordinateChart
 * @example await show(deltaPathChart(deltaPathRows(runs, 0.02, supportOf(p))))
 */
export function deltaPathChart(rows: Row[], title = "Δ_t/Δ₀ per coordinate along MGF (support of w* in red)"): VegaLiteSpec {
  return coordinateChart(roundRows(rows), { x: "t", y: "Δ_t/Δ₀", coordinate: "i", onSupport: "on supp w*", facet: "λ", logX: true, title, width: 230, height: 220 });
}

/**
 * Residuals of the two exact identities along the runs, log-log.
 * @param rows the rows of residualRows; @param rtol the solver tolerance, named in the title if given
 * @returns a Vega-Lite spec
 * @throws TypeError if rows is not an array
 * @example await show(identityResidualChart(residualRows(check), 1e-10))
 */
export function identityResidualChart(rows: Row[], rtol?: number): VegaLiteSpec {
  const tol = rtol === undefined ? "" : ` (rtol ${rtol})`;
  return lineChart(roundRows(rows, 3), { x: "t", y: "max residual", color: "λ", strokeDash: "identity", logX: true, logY: true,
    title: `Residual of the exact MGF identities along the run${tol}`, height: 260 });
}

/**
 * First-order prediction against the measured Δ∞/Δ₀, one point per coordinate.
 * @param rows the rows of firstOrderRows; @param integralsFrom whose ∫g² predicted ("GF" or "MGF"), named in the title
 * @returns a Vega-Lite spec
 * @throws as scatterWithDiagonal (a value ≤ 0 on the log axes)
 * @example await show(firstOrderScatter(firstOrderRows(runs, gf, 0.02, support)))
 */
export function firstOrderScatter(rows: Row[], integralsFrom: "GF" | "MGF" = "GF"): VegaLiteSpec {
  const title = `First-order prediction Δ₀·exp(−2λ∫g²_${integralsFrom}) against Δ∞ (one point per coordinate)`;
  return scatterWithDiagonal(roundRows(rows), { x: "predicted Δ∞/Δ₀", y: "measured Δ∞/Δ₀", color: "λ", shape: "on supp w*", logX: true, logY: true, title });
}

/**
 * ln(Δ∞/Δ₀) against λ per coordinate, with the first-order lines of the support dashed.
 * @param rows the rows of logRatioRows
 * @returns a Vega-Lite spec
 * @throws as coordinateChart
 * @example await show(logRatioChart(logRatioRows(runs, gf, 0.02, support)))
 */
export function logRatioChart(rows: Row[]): VegaLiteSpec {
  return coordinateChart(roundRows(rows), { x: "λ", y: "ln(Δ∞/Δ₀)", coordinate: "i", onSupport: "on supp w*", strokeDash: "curve",
    title: "ln(Δ∞/Δ₀) against λ per coordinate: first order −2λ∫g² (dashed) and measured", width: 420, height: 280 });
}

/**
 * Counts of crossing coordinates and negative Δ∞ entries against λ.
 * @param rows the rows of crossingCountRows; @param title chart title
 * @returns a Vega-Lite spec
 * @throws TypeError if rows is not an array
 * @example await show(crossingCountChart(crossingCountRows(rows), crossingCaption(rows)))
 */
export function crossingCountChart(rows: Row[], title = "Validity region: where u ± v starts to cross"): VegaLiteSpec {
  return lineChart(rows, { x: "λ", y: "count", color: "what", logX: true, points: true, title, width: 380, height: 220 });
}

/**
 * Δ_t/Δ₀ of the crossing coordinates (red) and of other coordinates (grey) along one run; the title counts both
 * from the rows.
 * @param rows the rows of crossingPathRows; @param lambda λ of the run, for the title
 * @returns a Vega-Lite spec
 * @throws as coordinateChart
 * @example await show(crossingPathChart(crossingPathRows(run, 0.02, others), 0.5))
 */
export function crossingPathChart(rows: Row[], lambda: number): VegaLiteSpec {
  checkRows("rows", rows);
  const count = (c: boolean) => new Set(rows.filter((r) => r.crosses === c).map((r) => r.i)).size;
  const title = `λ = ${lambda}: the ${count(true)} crossing coordinates (red) against ${count(false)} that do not cross`;
  return coordinateChart(roundRows(rows), { x: "t", y: "Δ_t/Δ₀", coordinate: "i", onSupport: "crosses", title, width: 480, height: 260 });
}
