/**
 * Chart builders for grids of runs (notebooks 05 and 06): a labelled heatmap over two ordinal axes, lines with an
 * error band, interval dots per category, coloured point clouds per coordinate, ticks per run, and log-log lines with
 * reference slopes. Specs only (nothing rendered here); every axis and domain follows the rows given.
 */
import { checkRows, SCHEMA, type Row, type VegaLiteSpec } from "./spec";

function need(rows: Row[], fields: (string | undefined)[]): void {
  if (rows.length === 0) return;
  for (const f of fields) {
    if (f !== undefined && !(f in rows[0])) throw new RangeError(`field ${JSON.stringify(f)} is not in the rows (fields: ${Object.keys(rows[0]).join(", ")})`);
  }
}

function head(rows: Row[], title?: string): Record<string, unknown> {
  return { $schema: SCHEMA, ...(title ? { title } : {}), data: { values: rows } };
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  x: string;
  y: string;
  /** Quantitative field that colours the cells. */
  value: string;
  /** Text written in each cell (default: the value with 3 significant digits). */
  label?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  legend?: string;
  /** Vega colour scheme (default "orangered"); a diverging one ("blueorange") is centred at `mid`. */
  scheme?: string;
  mid?: number;
  width?: number;
  height?: number;
}

/**
 * A heatmap over two ordinal axes (in the order of the rows), each cell coloured by `value` and labelled.
 * @throws TypeError/RangeError for rows that are not an array of objects or a field not in them
 * @example heatmap(cells, { x: "λ", y: "α", value: "rel %", label: "label" })
 */
export function heatmap(rows: Row[], o: HeatmapOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.x, o.y, o.value, o.label]);
  const uniq = (f: string): Row[string][] => Array.from(new Set(rows.map((r) => r[f])));
  const scale: Record<string, unknown> = { scheme: o.scheme ?? "orangered" };
  if (o.mid !== undefined) scale.domainMid = o.mid;
  return {
    ...head(rows, o.title),
    width: o.width ?? Math.max(200, 55 * uniq(o.x).length),
    height: o.height ?? Math.max(80, 30 * uniq(o.y).length),
    encoding: {
      x: { field: o.x, type: "ordinal", title: o.xTitle ?? o.x, sort: uniq(o.x) },
      y: { field: o.y, type: "ordinal", title: o.yTitle ?? o.y, sort: uniq(o.y) },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: o.value, type: "quantitative", title: o.legend ?? o.value, scale } } },
      { mark: { type: "text", fontSize: 10 }, encoding: { text: o.label ? { field: o.label } : { field: o.value, format: ".3~g" } } },
    ],
  } as unknown as VegaLiteSpec;
}

/** Options of {@link bandChart}. */
export interface BandOptions {
  x: string;
  y: string;
  lo: string;
  hi: string;
  /** Field of the series (one line and band each). */
  series?: string;
  /** x scale: "linear" (default), "log", or "symlog" (keeps 0, e.g. λ = 0). */
  xScale?: "linear" | "log" | "symlog";
  /** Tick values of the x axis (default: the x values of the rows). */
  xTicks?: number[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
}

/**
 * Lines of `y` against `x` with a band from `lo` to `hi` (e.g. mean ± one sd over seeds), one per series.
 * @example bandChart(rows, { x: "λ", y: "err", lo: "lo", hi: "hi", series: "α", xScale: "symlog" })
 */
export function bandChart(rows: Row[], o: BandOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.x, o.y, o.lo, o.hi, o.series]);
  const xs = (o.xTicks ?? Array.from(new Set(rows.map((r) => r[o.x] as number)))).filter((v) => typeof v === "number");
  const positive = xs.filter((v) => v > 0);
  const scale =
    o.xScale === "symlog" ? { type: "symlog", constant: positive.length ? Math.min(...positive) : 1 } : o.xScale === "log" ? { type: "log", nice: false } : { zero: false };
  const x = { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale, axis: { values: xs, format: "~g" } };
  const color = o.series ? { color: { field: o.series, type: "nominal" } } : {};
  return {
    ...head(rows, o.title),
    width: o.width ?? 460,
    height: o.height ?? 280,
    encoding: { x, ...color },
    layer: [
      { mark: { type: "errorband", opacity: 0.2 }, encoding: { y: { field: o.lo, type: "quantitative", title: o.yTitle ?? o.y, scale: { zero: false } }, y2: { field: o.hi } } },
      { mark: { type: "line", point: true }, encoding: { y: { field: o.y, type: "quantitative" } } },
    ],
  } as unknown as VegaLiteSpec;
}

/** Options of {@link intervalDots}. */
export interface IntervalDotsOptions {
  /** Category on the y axis (in the order of the rows). */
  y: string;
  x: string;
  lo: string;
  hi: string;
  /** Colour and vertical offset within a category. */
  color?: string;
  /** One panel per value. */
  facet?: string;
  /** x scale: "symlog" (default, for % changes that span decades) or "linear". */
  xScale?: "symlog" | "linear";
  /** A vertical reference line (default 0). */
  reference?: number;
  title?: string;
  xTitle?: string;
  width?: number;
  height?: number;
}

/**
 * A dot (x) with an interval (lo–hi) per category, coloured, optionally faceted, with a reference line.
 * @example intervalDots(rows, { y: "regime", x: "rel", lo: "lo", hi: "hi", color: "λ", facet: "α" })
 */
export function intervalDots(rows: Row[], o: IntervalDotsOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.y, o.x, o.lo, o.hi, o.color, o.facet]);
  const cats = Array.from(new Set(rows.map((r) => r[o.y])));
  const enc: Record<string, unknown> = { y: { field: o.y, type: "nominal", sort: cats, title: null } };
  if (o.color) Object.assign(enc, { color: { field: o.color, type: "nominal" }, yOffset: { field: o.color, type: "nominal" } });
  const span = Math.max(...rows.map((r) => Math.max(Math.abs(r[o.lo] as number), Math.abs(r[o.hi] as number))).filter(Number.isFinite), 1);
  const scale = (o.xScale ?? "symlog") === "symlog" ? { type: "symlog", constant: Math.max(span / 100, 1e-12) } : { zero: false };
  const unit = {
    width: o.width ?? 260,
    height: o.height ?? Math.max(120, 26 * cats.length),
    layer: [
      { mark: "rule", encoding: { ...enc, x: { field: o.lo, type: "quantitative", scale, title: o.xTitle ?? o.x }, x2: { field: o.hi } } },
      { mark: { type: "point", filled: true }, encoding: { ...enc, x: { field: o.x, type: "quantitative" } } },
      { mark: { type: "rule", color: "black" }, encoding: { x: { datum: o.reference ?? 0 } } },
    ],
  };
  if (!o.facet) return { ...head(rows, o.title), ...unit } as unknown as VegaLiteSpec;
  return { ...head(rows, o.title), facet: { column: { field: o.facet, type: "nominal", title: null } }, spec: unit, resolve: { scale: { x: "shared" } } } as unknown as VegaLiteSpec;
}

/** Options of {@link categoryPoints}. */
export interface CategoryPointsOptions {
  x: string;
  y: string;
  /** Field of the category; `highlight` lists the categories drawn large and in colour, in this order. */
  category: string;
  highlight: string[];
  /** Colours of the highlighted categories (then grey for the rest). */
  colors?: string[];
  logY?: boolean;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
}

/**
 * A point cloud (e.g. one point per coordinate) where a few categories (the decoy, the support) stand out.
 * @example categoryPoints(rows, { x: "coordinate", y: "Δ∞/Δ₀", category: "kind", highlight: ["decoy", "support"], logY: true })
 */
export function categoryPoints(rows: Row[], o: CategoryPointsOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.x, o.y, o.category]);
  const others = Array.from(new Set(rows.map((r) => String(r[o.category])))).filter((c) => !o.highlight.includes(c));
  const palette = o.colors ?? ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e"];
  const test = o.highlight.map((c) => `datum[${JSON.stringify(o.category)}] === ${JSON.stringify(c)}`).join(" || ") || "false";
  return {
    ...head(rows, o.title),
    width: o.width ?? 480,
    height: o.height ?? 240,
    mark: { type: "point", filled: true },
    encoding: {
      x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: { zero: false } },
      y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: o.logY ? { type: "log", nice: false } : { zero: false } },
      color: { field: o.category, type: "nominal", scale: { domain: [...o.highlight, ...others], range: [...o.highlight.map((_, i) => palette[i % palette.length]), ...others.map(() => "#bbbbbb")] } },
      size: { condition: { test, value: 90 }, value: 25 },
      order: { condition: { test, value: 1 }, value: 0 },
    },
  } as unknown as VegaLiteSpec;
}

/** Options of {@link tickChart}. */
export interface TickChartOptions {
  x: string;
  /** One row of ticks per value (in the order of the rows). */
  y: string;
  /** Boolean field drawn large and orange (e.g. on the support of w*). */
  highlight: string;
  title?: string;
  xTitle?: string;
  width?: number;
}

/**
 * Ticks of `x` per category `y`, highlighted ticks drawn on top (e.g. Δ∞/Δ₀ per coordinate, one row per run).
 * @example tickChart(rows, { x: "Δ∞/Δ₀", y: "run", highlight: "on supp(w*)" })
 */
export function tickChart(rows: Row[], o: TickChartOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.x, o.y, o.highlight]);
  const cats = Array.from(new Set(rows.map((r) => r[o.y])));
  const sorted = rows.slice().sort((a, b) => Number(a[o.highlight] === true) - Number(b[o.highlight] === true));
  return {
    ...head(sorted, o.title),
    width: o.width ?? 480,
    height: Math.max(100, 40 * cats.length),
    mark: { type: "tick", thickness: 2 },
    encoding: {
      x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: { zero: false } },
      y: { field: o.y, type: "nominal", sort: cats, title: null, axis: { labelLimit: 300 } },
      size: { condition: { test: `datum[${JSON.stringify(o.highlight)}] === true`, value: 26 }, value: 14 },
      color: { field: o.highlight, type: "nominal", title: o.highlight, scale: { domain: [false, true], range: ["#4e79a7", "#f28e2b"] } },
    },
  } as unknown as VegaLiteSpec;
}

/** Options of {@link slopeChart}. */
export interface SlopeChartOptions {
  x: string;
  y: string;
  series: string;
  /** Reference slopes drawn dashed through the first point of the first series (e.g. [1, 2]). */
  slopes: number[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
}

/**
 * Measured series on log-log axes with dashed reference lines of given slopes anchored at the first point.
 * @throws RangeError if a value is not positive (log axes)
 * @example slopeChart(rows, { x: "1 − β", y: "gap", series: "series", slopes: [1, 2] })
 */
export function slopeChart(rows: Row[], o: SlopeChartOptions): VegaLiteSpec {
  checkRows("rows", rows, true);
  need(rows, [o.x, o.y, o.series]);
  const bad = rows.findIndex((r) => !((r[o.x] as number) > 0) || !((r[o.y] as number) > 0));
  if (bad >= 0) throw new RangeError(`rows[${bad}] has a non-positive ${o.x} or ${o.y}: log-log axes need positive values`);
  const xs = rows.map((r) => r[o.x] as number);
  const [x0, x1] = [Math.max(...xs), Math.min(...xs)];
  const a = rows[0];
  const refs: Row[] = o.slopes.flatMap((s) => [x0, x1].map((x) => ({ [o.x]: x, [o.y]: (a[o.y] as number) * (x / (a[o.x] as number)) ** s, [o.series]: `slope ${s}`, line: "reference" })));
  const data = [...rows.map((r) => ({ ...r, line: "measured" })), ...refs];
  const series = Array.from(new Set(rows.map((r) => String(r[o.series]))));
  const palette = ["#4e79a7", "#e15759", "#76b7b2", "#f28e2b", "#59a14f", "#b07aa1"];
  return {
    ...head(data, o.title),
    width: o.width ?? 420,
    height: o.height ?? 280,
    mark: { type: "line", point: true },
    encoding: {
      x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: { type: "log", nice: false } },
      y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: { type: "log", nice: false } },
      color: {
        field: o.series,
        type: "nominal",
        scale: { domain: [...series, ...o.slopes.map((s) => `slope ${s}`)], range: [...series.map((_, i) => palette[i % palette.length]), ...o.slopes.map((_, i) => (i % 2 ? "#cccccc" : "#999999"))] },
      },
      strokeDash: { field: "line", type: "nominal", scale: { domain: ["measured", "reference"], range: [[1, 0], [4, 3]] } },
    },
  } as unknown as VegaLiteSpec;
}
