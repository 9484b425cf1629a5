import { describe, expect, it } from "vitest";
import * as vl from "vega-lite";
import { bandChart, categoryPoints, heatmap, intervalDots, slopeChart, tickChart } from "../lib/figures/grid";
import type { VegaLiteSpec } from "../lib/figures/spec";

const compiles = (s: unknown): void => void vl.compile(s as VegaLiteSpec);
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("grid charts", () => {
  it("heatmap: ordinal axes in row order, cells coloured by value and labelled", () => {
    const rows = [0, 0.2, 1].flatMap((l) => [0.01, 0.1].map((a) => ({ λ: l, α: a, v: l * 10 + a, label: `${l}/${a}` })));
    const s = heatmap(rows, { x: "λ", y: "α", value: "v", label: "label", title: "t" }) as Any;
    compiles(s);
    expect(s.encoding.x.sort).toEqual([0, 0.2, 1]);
    expect(s.encoding.y.sort).toEqual([0.01, 0.1]);
    expect(s.layer[1].encoding.text).toEqual({ field: "label" });
    expect(s.width).toBe(200);
    expect(() => heatmap(rows, { x: "λ", y: "beta", value: "v" })).toThrow(/field "beta" is not in the rows/);
    expect(() => heatmap([], { x: "λ", y: "α", value: "v" })).toThrow(/non-empty/);
  });

  it("bandChart: symlog x keeps 0 with the smallest positive x as constant; ticks at the data", () => {
    const rows = [0, 0.02, 0.5].map((l) => ({ λ: l, err: 1 + l, lo: 0.9 + l, hi: 1.1 + l, α: "α = 0.1" }));
    const s = bandChart(rows, { x: "λ", y: "err", lo: "lo", hi: "hi", series: "α", xScale: "symlog" }) as Any;
    compiles(s);
    expect(s.encoding.x.scale).toEqual({ type: "symlog", constant: 0.02 });
    expect(s.encoding.x.axis.values).toEqual([0, 0.02, 0.5]);
  });

  it("intervalDots: categories in row order, faceted, symlog scale from the data's span", () => {
    const rows = ["b", "a"].flatMap((r) => ["0.05", "2"].map((l) => ({ regime: r, λ: l, α: "α = 0.1", rel: 10, lo: -50, hi: 300 })));
    const s = intervalDots(rows, { y: "regime", x: "rel", lo: "lo", hi: "hi", color: "λ", facet: "α" }) as Any;
    compiles(s);
    expect(s.spec.layer[0].encoding.y.sort).toEqual(["b", "a"]);
    expect(s.spec.layer[0].encoding.x.scale).toEqual({ type: "symlog", constant: 3 });
  });

  it("categoryPoints, tickChart and slopeChart", () => {
    const pts = [{ i: 0, r: 0.5, kind: "decoy" }, { i: 1, r: 0.9, kind: "other" }, { i: 2, r: 0.7, kind: "support" }];
    const c = categoryPoints(pts, { x: "i", y: "r", category: "kind", highlight: ["decoy", "support"], logY: true }) as Any;
    compiles(c);
    expect(c.encoding.color.scale.domain).toEqual(["decoy", "support", "other"]);
    expect(c.encoding.color.scale.range[2]).toBe("#bbbbbb");
    const t = tickChart([{ x: 0.5, run: "GD", on: true }, { x: 0.9, run: "GD", on: false }], { x: "x", y: "run", highlight: "on" }) as Any;
    compiles(t);
    expect(t.data.values.map((r: Any) => r.on)).toEqual([false, true]); // highlighted drawn last
    const rows = [{ x: 0.1, y: 0.01, s: "a" }, { x: 0.01, y: 0.001, s: "a" }];
    const sl = slopeChart(rows, { x: "x", y: "y", series: "s", slopes: [1, 2] }) as Any;
    compiles(sl);
    const ref2 = sl.data.values.filter((r: Any) => r.s === "slope 2");
    expect(ref2[0].y).toBe(0.01);
    expect(ref2[1].y).toBeCloseTo(1e-4, 18);
    expect(() => slopeChart([{ x: 0, y: 1, s: "a" }], { x: "x", y: "y", series: "s", slopes: [1] })).toThrow(/log-log axes need positive values/);
  });
});
