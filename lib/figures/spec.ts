/**
 * Chart specs: plain Vega-Lite v5 objects built from rows of records. Nothing here renders or displays (that is
 * lib/notebook/display.ts), so the builders run anywhere, including a browser.
 */
import type { TopLevelSpec } from "vega-lite";

export type VegaLiteSpec = TopLevelSpec;

export type { Row } from "../core/row";
import type { Row } from "../core/row";

/** The Vega-Lite v5 schema every spec names (an identifier for renderers; never fetched). */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** What every chart builder takes: the two fields, titles, log axes and size. */
export interface AxesOptions {
  x: string;
  y: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

/**
 * A quantitative axis encoding. Log axes keep to the data range (nice: false) instead of whole decades;
 * `padding` (pixels) keeps points at the edges whole.
 */
export function quantitativeAxis(field: string, title: string | undefined, log: boolean | undefined, padding = 0): Record<string, unknown> {
  const scale = log ? { type: "log", nice: false } : { zero: false };
  return { field, type: "quantitative", title: title ?? field, scale: padding > 0 ? { ...scale, padding } : scale };
}

/** Rows for a chart: an array of objects (non-empty if asked). */
export function checkRows(name: string, rows: unknown, nonEmpty = false): Row[] {
  if (!Array.isArray(rows)) throw new TypeError(`${name} must be an array of row objects, got ${typeof rows}`);
  if (nonEmpty && rows.length === 0) throw new RangeError(`${name} must be a non-empty array of row objects`);
  return rows as Row[];
}

export interface ChartOptions extends AxesOptions {
  /** Field that splits the data into coloured series. */
  color?: string;
  /** Field that splits series by line style (e.g. "run" vs "flow"). */
  strokeDash?: string;
  /** Draw points instead of lines. */
  points?: boolean;
}

/** Line (or point) chart of long-format rows. */
export function lineChart(rows: Row[], o: ChartOptions): VegaLiteSpec {
  checkRows("rows", rows);
  const enc: Record<string, unknown> = { x: quantitativeAxis(o.x, o.xTitle, o.logX), y: quantitativeAxis(o.y, o.yTitle, o.logY) };
  if (o.color) enc.color = { field: o.color, type: "nominal" };
  if (o.strokeDash) enc.strokeDash = { field: o.strokeDash, type: "nominal" };
  return {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 480,
    height: o.height ?? 280,
    data: { values: rows },
    mark: o.points ? { type: "point", filled: true } : { type: "line", clip: true },
    encoding: enc,
  } as VegaLiteSpec;
}
