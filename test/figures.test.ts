import { describe, expect, it } from "vitest";
import { planeChart, roundRows, runsOverFlows, sideBySide } from "../lib/figures/composite";
import { coordinateChart, scatterWithDiagonal, withMarks } from "../lib/figures/balancedness";
import { lineChart } from "../lib/figures/spec";
import { toSVG } from "../lib/notebook/display";

describe("figures", () => {
  it("rounds numeric fields only, to the requested significant digits", () => {
    expect(roundRows([{ a: 1.23456789, b: "x", c: 12345.678 }], 3)).toEqual([{ a: 1.23, b: "x", c: 12300 }]);
  });

  it("puts charts side by side and renders them", async () => {
    const rows = [{ t: 0, y: 1 }, { t: 1, y: 2 }];
    const spec = sideBySide([lineChart(rows, { x: "t", y: "y" }), lineChart(rows, { x: "t", y: "y" })], "pair");
    expect((spec as { hconcat?: unknown[] }).hconcat).toHaveLength(2);
    const svg = await toSVG(spec);
    expect((svg.match(/aria-roledescription="line mark container"/g) ?? []).length).toBe(2);
  });

  it("draws runs as points over flows as lines", async () => {
    const flows = [0, 1, 2].map((t) => ({ t, y: t * t, λ: "0.5" }));
    const runs = [0.5, 1.5].map((t) => ({ t, y: t * t, λ: "0.5", β: "0.9" }));
    const svg = await toSVG(runsOverFlows(runs, flows, { x: "t", y: "y", color: "λ", shape: "β" }));
    expect(svg).toContain('aria-roledescription="line mark container"');
    expect(svg).toContain('class="mark-symbol role-mark');
    expect(() => runsOverFlows("x" as never, flows, { x: "t", y: "y", color: "λ" })).toThrow(/runs/);
  });

  it("plane chart: equal axis scales by default, and a slider param filtering the trajectories", () => {
    const trajectories = [0, 1].flatMap((k) => [0, 1, 2].map((i) => ({ w1: i / 2, w2: (k + 1) * i / 4, t: i, run: `r${k}`, lg: k })));
    const spec = planeChart({ x: "w1", y: "w2", trajectories, series: "run", order: "t", width: 400 }) as unknown as Record<string, unknown>;
    // x range 1 → 400 px, y range 1 → 400 px (both padded by 3%)
    expect(spec.height).toBe(400);
    const slid = JSON.stringify(planeChart({ x: "w1", y: "w2", trajectories, series: "run", order: "t", slider: { field: "lg", min: 0, max: 1, step: 1, value: 0, name: "k" } }));
    expect(slid).toContain('"input":"range"');
    expect(slid).toContain("abs(datum[\\\"lg\\\"] - sel) < 0.5");
  });

  it("coordinate chart: one line per coordinate, one panel per facet value; bad fields are named", async () => {
    const rows = [0, 1].flatMap((lam) => [0, 1, 2].flatMap((i) => [0, 1, 2].map((t) => ({ t, r: 1 - 0.1 * t * i, i, on: i === 0, λ: lam }))));
    const svg = await toSVG(coordinateChart(rows, { x: "t", y: "r", coordinate: "i", onSupport: "on", facet: "λ" }));
    expect((svg.match(/aria-roledescription="line mark container"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(() => coordinateChart(rows, { x: "t", y: "nope", coordinate: "i", onSupport: "on" })).toThrow(/nope/);
    expect(() => coordinateChart([{ t: 0, r: 1, i: 0, on: "yes" }], { x: "t", y: "r", coordinate: "i", onSupport: "on" })).toThrow(/must be a boolean/);
  });

  it("scatter with diagonal and labelled marks render; log axes reject values ≤ 0", async () => {
    const rows = [{ a: 1, b: 1.1 }, { a: 2, b: 1.9 }];
    const spec = withMarks(scatterWithDiagonal(rows, { x: "a", y: "b" }), "a", [{ value: 1.5, label: "here" }]);
    const svg = await toSVG(spec);
    expect(svg).toContain("here");
    expect(() => scatterWithDiagonal([{ a: 0, b: 1 }], { x: "a", y: "b", logX: true })).toThrow();
  });
});
