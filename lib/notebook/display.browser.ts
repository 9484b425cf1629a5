/**
 * Display in the site's pages (the bundler puts this file in place of display.ts; same exports). Cells run in a
 * Web Worker: a display bundle goes to the page through the writer the worker installs as
 * `globalThis.__notebookDisplay` (the counterpart of tslab's lastWriteDisplayData), and the page renders the
 * Vega-Lite spec with vega-embed. `toSVG` asks the page, which has vega loaded, for the SVG text.
 */
import type { Row, VegaLiteSpec } from "../figures/spec";
import { tableBundle } from "./table";

export { tableBundle };

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

export interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

type WriteDisplay = (bundle: DisplayBundle, update: boolean) => void;
type RenderSVG = (spec: VegaLiteSpec) => Promise<string>;

const hooks = globalThis as { __notebookDisplay?: WriteDisplay; __notebookToSVG?: RenderSVG };

/** True when a page worker has installed its display writer (so displays reach the page). */
export function inKernel(): boolean {
  return typeof hooks.__notebookDisplay === "function";
}

/**
 * Render a Vega-Lite spec to an SVG string (by the page's vega).
 * @throws Error naming the problem if the spec does not compile, or outside a page.
 */
export async function toSVG(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== "object") throw new TypeError(`spec must be a Vega-Lite object, got ${typeof spec}`);
  if (typeof hooks.__notebookToSVG !== "function") throw new Error("toSVG needs the page's vega (no page is attached)");
  return hooks.__notebookToSVG(spec);
}

/** Send a bundle to the page (no-op without one); `id` + `update` overwrite an earlier display. */
export function display(data: Record<string, unknown>, options: { id?: string; update?: boolean } = {}): DisplayBundle {
  const bundle: DisplayBundle = { data, metadata: {}, transient: options.id ? { display_id: options.id } : {} };
  hooks.__notebookDisplay?.(bundle, options.update ?? false);
  return bundle;
}

/** The display bundle of a chart: the Vega-Lite spec, its SVG rendering and a text stand-in. */
export async function chartBundle(spec: VegaLiteSpec): Promise<Record<string, unknown>> {
  const svg = await toSVG(spec);
  return { [VEGALITE_MIME]: spec, "image/svg+xml": svg, "text/plain": chartText(spec) };
}

const chartText = (spec: VegaLiteSpec): string => `<Vega-Lite chart: ${typeof spec.title === "string" ? spec.title : "chart"}>`;

/**
 * Show a chart. The page draws it with vega-embed and adds the SVG of what it drew to the cell's outputs, so
 * the worker does not render it a second time.
 * @example await show(lineChart(rows, { x: "t", y: "loss" }))
 */
export async function show(spec: VegaLiteSpec): Promise<void> {
  if (spec === null || typeof spec !== "object") throw new TypeError(`spec must be a Vega-Lite object, got ${typeof spec}`);
  display({ [VEGALITE_MIME]: spec, "text/plain": chartText(spec) });
}

/** Show a table of records (one row per object, columns from the first row). */
export function showTable(rows: Row[], options: { caption?: string; digits?: number } = {}): void {
  if (!Array.isArray(rows)) throw new TypeError("rows must be an array of objects");
  const bundle = tableBundle(rows, options);
  if (inKernel()) display(bundle);
  else console.log(bundle["text/plain"]);
}
