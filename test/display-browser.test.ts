// The page's display (lib/notebook/display.browser.ts) stands in for display.ts in the browser bundle: it must
// export the same values, format tables identically and send bundles through the worker's writer.
import { afterEach, describe, expect, it } from "vitest";
import * as kernelDisplay from "../lib/notebook/display";
import * as pageDisplay from "../lib/notebook/display.browser";

const hooks = globalThis as { __notebookDisplay?: unknown; __notebookToSVG?: unknown };
afterEach(() => {
  delete hooks.__notebookDisplay;
  delete hooks.__notebookToSVG;
});

describe("display.browser.ts", () => {
  it("exports exactly the values display.ts exports (the bundler swaps one for the other)", () => {
    expect(Object.keys(pageDisplay).sort()).toEqual(Object.keys(kernelDisplay).sort());
  });

  it("is outside a page until a writer is installed, and then sends every bundle to it", async () => {
    expect(pageDisplay.inKernel()).toBe(false);
    const sent: { data: Record<string, unknown>; update: boolean; id?: string }[] = [];
    hooks.__notebookDisplay = (b: { data: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) =>
      sent.push({ data: b.data, update, id: b.transient.display_id });
    expect(pageDisplay.inKernel()).toBe(true);
    const rows = [{ λ: 0.5, err: 1.23456789e-7, k: 3 }];
    pageDisplay.showTable(rows, { caption: "c" });
    await pageDisplay.show({ title: "t", mark: "point", data: { values: [] } });
    pageDisplay.display({ "text/plain": "50%" }, { id: "p", update: true });
    expect(sent[0].data).toEqual(kernelDisplay.tableBundle(rows, { caption: "c" }));
    expect(sent[1].data).toEqual({ [pageDisplay.VEGALITE_MIME]: { title: "t", mark: "point", data: { values: [] } }, "text/plain": "<Vega-Lite chart: t>" });
    expect(sent[2]).toEqual({ data: { "text/plain": "50%" }, update: true, id: "p" });
  });

  it("rejects a spec that is not an object, and toSVG asks the page's renderer", async () => {
    await expect(pageDisplay.show(null as never)).rejects.toThrow(/spec must be a Vega-Lite object, got object/);
    const spec = { mark: "point" as const, data: { values: [] } };
    await expect(pageDisplay.toSVG(spec)).rejects.toThrow(/needs the page's vega/);
    hooks.__notebookToSVG = async () => "<svg></svg>";
    expect(await pageDisplay.chartBundle(spec)).toEqual({ [pageDisplay.VEGALITE_MIME]: spec, "image/svg+xml": "<svg></svg>", "text/plain": "<Vega-Lite chart: chart>" });
  });
});
