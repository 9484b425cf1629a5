/**
 * Figure specs of the balancedness and implicit-regularisation notebooks (03, 04): one line per coordinate
 * coloured by whether it lies on the support of w*, scatter plots against the diagonal y = x, and vertical
 * marker lines on top of any chart. All return plain Vega-Lite v5 objects for `show(spec)`.
 */
import { checkRows as rowsOf, quantitativeAxis as axis, SCHEMA, type AxesOptions, type Row, type VegaLiteSpec } from "./spec";

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
}

/**
 * One line per coordinate (e.g. Δ_t/Δ₀ against t), support of w* in red over the other coordinates in grey,
 * optionally one panel per value of `facet`.
 * @param rows long-format rows with the fields x, y, coordinate, onSupport (and facet)
 * @throws TypeError/RangeError if rows is empty or a named field is missing
 * @example await show(coordinateChart(rows, { x: "t", y: "Δ_t/Δ₀", coordinate: "i", onSupport: "on supp w*", facet: "λ", logX: true }))
 */
export function coordinateChart(rows: Row[], o: CoordinateChartOptions): VegaLiteSpec {
  checkRows("rows", rows);
  for (const key of ["x", "y", "coordinate", "onSupport"] as const) checkField(`options.${key}`, rows, o[key]);
  if (o.facet !== undefined) checkField("options.facet", rows, o.facet);
  const bad = rows.findIndex((r) => typeof r[o.onSupport] !== "boolean");
  if (bad >= 0) throw new TypeError(`rows[${bad}][${JSON.stringify(o.onSupport)}] must be a boolean (on the support of w* or not), got ${JSON.stringify(rows[bad][o.onSupport])}`);
  const enc = {
    x: axis(o.x, o.xTitle, o.logX),
    y: axis(o.y, o.yTitle, o.logY),
    detail: { field: o.coordinate, type: "nominal" },
    color: { field: o.onSupport, type: "nominal", title: o.onSupport, scale: { domain: [true, false], range: [ON, OFF] } },
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
 * @param rows rows with numeric fields x and y (and color, shape)
 * @throws TypeError/RangeError if rows is empty, a field is missing, or (log axes) a value is ≤ 0
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
 * @param field the chart's x field
 * @param marks positions and labels
 * @throws TypeError if spec is not a unit or layer spec with inline data
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
