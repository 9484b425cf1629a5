/**
 * Custom figure specs shared by several notebook cells (lineChart in plot.ts covers the rest): discrete runs
 * drawn over their continuous-time flows, charts side by side, and trajectories in the (w₁, w₂) plane with an
 * optional slider. All return plain Vega-Lite v5 objects for `show(spec)`.
 */
import { checkRows, quantitativeAxis, SCHEMA, type AxesOptions, type Row, type VegaLiteSpec } from "./spec";

/**
 * Rows with every number rounded to `digits` significant digits (strings and booleans kept): a chart needs no
 * more, and committed notebooks stay small. Integers are kept as they are.
 * @param rows long-format rows
 * @param digits significant digits, integer in [1, 17] (default 4)
 * @example roundRows([{ t: 0.123456, y: 2 }], 3) // [{ t: 0.123, y: 2 }]
 */
export function roundRows(rows: Row[], digits = 4): Row[] {
  checkRows("rows", rows);
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) throw new RangeError(`digits must be an integer in [1, 17], got ${digits}`);
  return rows.map((r) => {
    const out: Row = {};
    for (const k of Object.keys(r)) {
      const v = r[k];
      out[k] = typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(digits)) : v;
    }
    return out;
  });
}

function numbersOf(rows: Row[], field: string): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const v = r[field];
    if (typeof v === "number" && Number.isFinite(v)) out.push(v);
  }
  return out;
}

/**
 * Charts next to each other (hconcat). Each child keeps its own inline data; their `$schema` is dropped.
 * @param specs two or more Vega-Lite unit or layer specs (e.g. from lineChart)
 * @param title optional overall title
 * @param colors "shared" (default: one colour legend, for panels that colour the same field) or "independent"
 *   (one legend per panel, for panels that colour different things)
 * @example await show(sideBySide([lineChart(a, {x: "t", y: "loss"}), lineChart(b, {x: "t", y: "err"})]))
 */
export function sideBySide(specs: VegaLiteSpec[], title?: string, colors: "shared" | "independent" = "shared"): VegaLiteSpec {
  if (!Array.isArray(specs) || specs.length === 0) throw new RangeError("sideBySide needs a non-empty array of specs");
  const children = specs.map((s) => {
    const { $schema: _drop, ...rest } = s as unknown as Record<string, unknown>;
    return rest;
  });
  if (colors !== "shared" && colors !== "independent") throw new RangeError(`colors must be "shared" or "independent", got ${String(colors)}`);
  const resolve = colors === "independent" ? { resolve: { scale: { color: "independent" } } } : {};
  return { $schema: SCHEMA, ...(title ? { title } : {}), hconcat: children, ...resolve } as unknown as VegaLiteSpec;
}

/** Options of {@link runsOverFlows}. */
export interface RunsOverFlowsOptions extends AxesOptions {
  /** Field shared by runs and flows that picks the colour (e.g. "λ"): a run and its flow get the same colour. */
  color: string;
  /** Field of the run rows that picks the point shape (e.g. "β"). */
  shape?: string;
}

/**
 * Discrete runs (points) drawn over continuous-time flows (lines): points sitting on the line of their own
 * colour is the picture of "MGD follows MGF_λ".
 * @param runs rows of the discrete runs (fields x, y, color, shape)
 * @param flows rows of the flows (fields x, y, color), drawn as lines in the order of x
 */
export function runsOverFlows(runs: Row[], flows: Row[], o: RunsOverFlowsOptions): VegaLiteSpec {
  checkRows("runs", runs);
  checkRows("flows", flows);
  const x = quantitativeAxis(o.x, o.xTitle, o.logX);
  const y = quantitativeAxis(o.y, o.yTitle, o.logY);
  const color = { field: o.color, type: "nominal" };
  return {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 480,
    height: o.height ?? 280,
    layer: [
      { data: { values: roundRows(flows) }, mark: { type: "line", clip: true, strokeWidth: 1.5 }, encoding: { x, y, color } },
      {
        data: { values: roundRows(runs) },
        mark: { type: "point", clip: true, size: 22, opacity: 0.8, aria: false }, // no per-point aria labels: keeps the SVG small
        encoding: { x, y, color, ...(o.shape ? { shape: { field: o.shape, type: "nominal" } } : {}) },
      },
    ],
  } as unknown as VegaLiteSpec;
}

/** A slider over one numeric field of the trajectory rows: only rows within step/2 of its value are drawn. */
export interface PlaneSlider {
  /** Numeric field of trajectories and limits the slider selects on (e.g. "log10 λ"). */
  field: string;
  min: number;
  max: number;
  step: number;
  /** Initial value (what the static SVG shows). */
  value: number;
  /** Label next to the slider. */
  name: string;
  /** Field of the limit rows with a text to print in the corner for the selected value. */
  labelField?: string;
}

/** Options of {@link planeChart}. */
export interface PlaneOptions {
  /** Field names of the two coordinates (e.g. "w₁", "w₂"). */
  x: string;
  y: string;
  /** Trajectory rows: x, y, the `order` field and the `series` field. */
  trajectories: Row[];
  /** Field that separates trajectories (colour in the static chart). */
  series: string;
  /** Field giving the order along a trajectory (time). */
  order: string;
  /** Trajectories drawn in grey dashes under everything (same fields), always visible. */
  background?: Row[];
  /** The interpolation set: rows with x, y, drawn as a thin grey line in the order of x. */
  line?: Row[];
  /** Labelled reference points: rows with x, y and `label`. */
  markers?: Row[];
  /** End points of the trajectories: rows with x, y and the series (and slider) field. */
  limits?: Row[];
  slider?: PlaneSlider;
  title?: string;
  /** Plot width in pixels (default 420). */
  width?: number;
  /** Plot height in pixels; default: equal axis scales (one unit as long on both axes). */
  height?: number;
  /** Axis ranges; default: the range of all rows, padded by 3%. */
  xDomain?: [number, number];
  yDomain?: [number, number];
}

/**
 * Trajectories in a 2-D parameter plane with equal axis scales, the interpolation line, labelled reference
 * points and the limits; with `slider`, a range input (Vega-Lite param) picks which trajectory is drawn.
 * The axis ranges are fixed from all rows, so they do not jump while the slider moves.
 */
export function planeChart(o: PlaneOptions): VegaLiteSpec {
  const traj = checkRows("trajectories", o.trajectories);
  const bg = o.background ? checkRows("background", o.background) : [];
  const line = o.line ? checkRows("line", o.line) : [];
  const markers = o.markers ? checkRows("markers", o.markers) : [];
  const limits = o.limits ? checkRows("limits", o.limits) : [];
  const all = [...traj, ...bg, ...line, ...markers, ...limits];
  const range = (field: string, given?: [number, number]): [number, number] => {
    if (given) return given;
    const v = numbersOf(all, field);
    if (v.length === 0) throw new RangeError(`planeChart: no numeric values in field "${field}"`);
    const lo = Math.min(...v), hi = Math.max(...v);
    const pad = 0.03 * Math.max(hi - lo, 1e-9);
    return [lo - pad, hi + pad];
  };
  const xd = range(o.x, o.xDomain);
  const yd = range(o.y, o.yDomain);
  const width = o.width ?? 420;
  const height = o.height ?? Math.round((width * (yd[1] - yd[0])) / (xd[1] - xd[0]));
  const x = { field: o.x, type: "quantitative", scale: { domain: xd, nice: false, zero: false } };
  const y = { field: o.y, type: "quantitative", scale: { domain: yd, nice: false, zero: false } };
  const s = o.slider;
  const param = "sel";
  const filter = s ? [{ filter: `abs(datum[${JSON.stringify(s.field)}] - ${param}) < ${s.step / 2}` }] : [];
  const color = s ? { value: "#d62728" } : { field: o.series, type: "nominal" };
  const layers: Record<string, unknown>[] = [];
  if (line.length) {
    layers.push({ data: { values: roundRows(line) }, mark: { type: "line", color: "#999", strokeWidth: 1, clip: true }, encoding: { x, y, order: { field: o.x } } });
  }
  if (bg.length) {
    layers.push({
      data: { values: roundRows(bg) },
      mark: { type: "line", color: "#777", strokeDash: [4, 3], strokeWidth: 1.2, clip: true },
      encoding: { x, y, detail: { field: o.series }, order: { field: o.order } },
    });
  }
  layers.push({
    data: { values: roundRows(traj) },
    transform: filter,
    mark: { type: "line", strokeWidth: 1.6, clip: true },
    encoding: { x, y, color, detail: { field: o.series }, order: { field: o.order } },
  });
  if (limits.length) {
    layers.push({
      data: { values: limits },
      transform: filter,
      mark: { type: "point", filled: true, size: 60, shape: "diamond", clip: true },
      encoding: { x, y, color, tooltip: Object.keys(limits[0]).map((f) => ({ field: f })) },
    });
  }
  if (markers.length) {
    layers.push({ data: { values: markers }, mark: { type: "point", shape: "square", size: 70, color: "black", filled: true }, encoding: { x, y } });
    layers.push({
      data: { values: markers },
      mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 11 },
      encoding: { x, y, text: { field: "label" } },
    });
  }
  if (s?.labelField && limits.length) {
    layers.push({
      data: { values: limits },
      transform: filter,
      mark: { type: "text", align: "left", baseline: "top", fontSize: 12 },
      encoding: { x: { value: 6 }, y: { value: 6 }, text: { field: s.labelField } },
    });
  }
  const spec: Record<string, unknown> = {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width,
    height,
    layer: layers,
  };
  if (s) spec.params = [{ name: param, value: s.value, bind: { input: "range", min: s.min, max: s.max, step: s.step, name: s.name } }];
  return spec as unknown as VegaLiteSpec;
}
