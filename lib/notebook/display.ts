/**
 * Display in a notebook. `toSVG` renders a Vega-Lite spec in Node (vega 5 View, no browser) and `show` sends one
 * display bundle {vega-lite, svg, text}: live Jupyter picks the interactive chart, GitHub and other static viewers
 * the SVG. Outside a tslab kernel (vitest, node) `show` only returns the bundle and `showTable` prints text.
 */
import { createRequire } from "node:module";
import { join, sep } from "node:path";
import * as vega from "vega";
import * as vl from "vega-lite";
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

/** The kernel's display writer if this code runs inside tslab, else null (found without loading tslab). */
function kernelDisplay(): WriteDisplay | null {
  const req = createRequire(join(process.cwd(), "noop.js"));
  const tail = `${sep}tslab${sep}dist${sep}jupyter.js`;
  const key = Object.keys(req.cache).find((k) => k.endsWith(tail));
  const write = key ? (req.cache[key]?.exports as { lastWriteDisplayData?: WriteDisplay }).lastWriteDisplayData : null;
  return typeof write === "function" ? write : null;
}

/** True when running inside a tslab kernel (so displays reach a notebook). */
export function inKernel(): boolean {
  return kernelDisplay() !== null;
}

/**
 * Render a Vega-Lite spec to an SVG string in Node.
 * @throws Error naming the problem if the spec does not compile.
 */
export async function toSVG(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== "object") throw new TypeError(`spec must be a Vega-Lite object, got ${typeof spec}`);
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (e) {
    throw new Error(`Vega-Lite spec does not compile: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Send a bundle to the notebook (no-op outside a kernel); `id` + `update` overwrite an earlier display. */
export function display(data: Record<string, unknown>, options: { id?: string; update?: boolean } = {}): DisplayBundle {
  const bundle: DisplayBundle = { data, metadata: {}, transient: options.id ? { display_id: options.id } : {} };
  kernelDisplay()?.(bundle, options.update ?? false);
  return bundle;
}

/** The display bundle of a chart: the Vega-Lite spec, its SVG rendering and a text stand-in. */
export async function chartBundle(spec: VegaLiteSpec): Promise<Record<string, unknown>> {
  const svg = await toSVG(spec);
  const title = typeof spec.title === "string" ? spec.title : "chart";
  return { [VEGALITE_MIME]: spec, "image/svg+xml": svg, "text/plain": `<Vega-Lite chart: ${title}>` };
}

/**
 * Show a chart: interactive Vega-Lite in Jupyter, static SVG on GitHub and in exports. Returns nothing, so a
 * cell ending in `await show(...)` prints nothing else.
 * @example await show(lineChart(rows, { x: "t", y: "loss" }))
 */
export async function show(spec: VegaLiteSpec): Promise<void> {
  display(await chartBundle(spec));
}

/** Show a table of records (one row per object, columns from the first row). */
export function showTable(rows: Row[], options: { caption?: string; digits?: number } = {}): void {
  if (!Array.isArray(rows)) throw new TypeError("rows must be an array of objects");
  const bundle = tableBundle(rows, options);
  if (inKernel()) display(bundle);
  else console.log(bundle["text/plain"]);
}
