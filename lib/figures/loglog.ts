/**
 * A log–log chart of long-format rows with reference power laws y = c·x^p drawn as dashed grey lines: the picture
 * of "the error is of order p in h". Both axes scale to the data (and the reference lines over the data's x range),
 * so new points never fall outside the frame.
 */
import { roundRows } from "./composite";
import { checkRows, SCHEMA, type Row, type VegaLiteSpec } from "./spec";

/** A reference power law y = coefficient·x^power, labelled at the right end of the x range. */
export interface ReferenceLine {
  label: string;
  coefficient: number;
  power: number;
}

/** Options of {@link logLogChart}. */
export interface LogLogOptions {
  /** Field names of the two (positive) quantities. */
  x: string;
  y: string;
  /** Field that splits the rows into coloured series (connected lines with points). */
  color?: string;
  /** Field that splits series by line style. */
  strokeDash?: string;
  /** Reference lines (default none). */
  refs?: ReferenceLine[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
}

function positiveValues(rows: Row[], field: string): number[] {
  return rows.map((r, i) => {
    const v = r[field];
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`rows[${i}][${JSON.stringify(field)}] must be a positive finite number on a log axis, got ${JSON.stringify(v)}`);
    }
    return v;
  });
}

/** [lo, hi] widened by a factor `pad` on each side of a log axis. */
function logDomain(values: number[], pad: number): [number, number] {
  const lo = Math.min(...values), hi = Math.max(...values);
  return [Number((lo / pad).toPrecision(4)), Number((hi * pad).toPrecision(4))];
}

function checkRefs(refs: unknown): ReferenceLine[] {
  if (refs === undefined) return [];
  if (!Array.isArray(refs)) throw new TypeError("refs must be an array of { label, coefficient, power }");
  return refs.map((r, i) => {
    if (!r || typeof r.label !== "string") throw new TypeError(`refs[${i}].label must be a string`);
    if (!(r.coefficient > 0) || !Number.isFinite(r.coefficient)) throw new RangeError(`refs[${i}].coefficient must be a positive number, got ${r.coefficient}`);
    if (!Number.isFinite(r.power)) throw new RangeError(`refs[${i}].power must be a finite number, got ${r.power}`);
    return r as ReferenceLine;
  });
}

/**
 * Log–log line chart (lines with points) of `rows`, with reference power laws.
 * @param rows long-format rows; the x and y fields must be positive
 * @param o fields, reference lines, titles and size
 * @throws TypeError/RangeError for empty rows, a non-positive value on an axis or a bad reference line
 * @example logLogChart(rows, { x: "h", y: "sup err", color: "λ", refs: [{ label: "err = h", coefficient: 1, power: 1 }] })
 */
export function logLogChart(rows: Row[], o: LogLogOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  const xs = positiveValues(rows, o.x);
  const ys = positiveValues(rows, o.y);
  const refs = checkRefs(o.refs);
  const xEnds = [Math.min(...xs), Math.max(...xs)];
  const refRows = refs.flatMap((r) => xEnds.map((x) => ({ [o.x]: x, [o.y]: r.coefficient * x ** r.power, ref: r.label })));
  const xScale = { type: "log", nice: false, domain: logDomain(xs, 1.15) };
  const yScale = { type: "log", nice: false, domain: logDomain([...ys, ...refRows.map((r) => r[o.y] as number)], 1.3) };
  const x = { field: o.x, type: "quantitative", scale: xScale, title: o.xTitle ?? o.x };
  const y = { field: o.y, type: "quantitative", scale: yScale, title: o.yTitle ?? o.y };
  const enc: Record<string, unknown> = { x, y };
  if (o.color) enc.color = { field: o.color, type: "nominal" };
  if (o.strokeDash) enc.strokeDash = { field: o.strokeDash, type: "nominal", legend: { symbolType: "stroke", symbolStrokeColor: "#333", labelLimit: 320 } };
  const detail = [o.color, o.strokeDash].filter((f): f is string => Boolean(f));
  const layers: Record<string, unknown>[] = [];
  if (refRows.length) {
    layers.push({ data: { values: roundRows(refRows) }, mark: { type: "line", color: "#888", strokeDash: [4, 3], clip: true }, encoding: { x, y, detail: { field: "ref" } } });
    // labels sit on their line at 70 % of the x range (in log scale), clear of the frame
    const xLabel = Math.exp(0.3 * Math.log(xEnds[0]) + 0.7 * Math.log(xEnds[1]));
    const labels = refs.map((r) => ({ [o.x]: xLabel, [o.y]: r.coefficient * xLabel ** r.power, ref: r.label }));
    layers.push({
      data: { values: roundRows(labels) },
      mark: { type: "text", align: "right", dx: -4, dy: -6, color: "#555", clip: true },
      encoding: { x, y, text: { field: "ref" } },
    });
  }
  // lines and points in separate layers, so that a strokeDash legend shows dashes rather than dots
  const data = { values: roundRows(rows) };
  layers.push({ data, mark: { type: "line", clip: true }, encoding: { ...enc, ...(detail.length ? { detail: detail.map((f) => ({ field: f })) } : {}), order: { field: o.x } } });
  layers.push({ data, mark: { type: "point", filled: true, size: 30, clip: true }, encoding: { x, y, ...(o.color ? { color: enc.color } : {}) } });
  return { $schema: SCHEMA, ...(o.title ? { title: o.title } : {}), width: o.width ?? 420, height: o.height ?? 260, layer: layers } as unknown as VegaLiteSpec;
}
