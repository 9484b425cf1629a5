// lib/figures/loglog.ts and lib/figures/path.ts: the log–log chart with reference lines and notebook 01's figures
// and tables, built from small runs on the 2-D toy.
import { describe, expect, it } from "vitest";
import { logLogChart } from "../lib/figures/loglog";
import {
  collapseFigure, errorOrderFigure, gdPathTable, gridRunTable, iterationFigure, linearRegressionFigure, modifiedEquationTable, orderFitTable,
  pathErrorFigure, pathErrorTable, runOnFlowFigure,
} from "../lib/figures/path";
import { gdPathCheck, gridFlows, gridPathErrors, linearFlows, modifiedEquationGrid, momentumGrid, orderFits, runAgainstFlow } from "../lib/experiments/path";
import { toyProblem } from "../lib/model/problems";
import { toSVG } from "../lib/notebook/display";

const toy = toyProblem();
const alpha = 0.1;
type Layer = { data?: { values: Record<string, unknown>[] }; encoding: { y?: { scale?: { domain?: number[] } } } };

describe("logLogChart", () => {
  const rows = [0.01, 0.1, 1].map((h) => ({ h, err: 0.5 * h, λ: 1 }));
  it("scales both axes to the data and the reference lines; labels the references", async () => {
    const spec = logLogChart(rows, { x: "h", y: "err", color: "λ", refs: [{ label: "err = 2h", coefficient: 2, power: 1 }] }) as unknown as { layer: Layer[] };
    const [lo, hi] = spec.layer[0].encoding.y!.scale!.domain!;
    expect(lo).toBeLessThan(0.005); // the smallest point
    expect(hi).toBeGreaterThan(2); // the reference at h = 1
    const svg = await toSVG(spec as never);
    expect(svg).toContain("err = 2h");
  });
  it("a new point outside the old range moves the axis (nothing is drawn under it)", () => {
    const spec = logLogChart([...rows, { h: 1e-4, err: 1e-6, λ: 2 }], { x: "h", y: "err" }) as unknown as { layer: Layer[] };
    const [lo] = spec.layer[0].encoding.y!.scale!.domain!;
    expect(lo).toBeLessThan(1e-6);
  });
  it("rejects non-positive values and bad reference lines, naming them", () => {
    expect(() => logLogChart([{ h: 0, err: 1 }], { x: "h", y: "err" })).toThrow(/rows\[0\]\["h"\] must be a positive finite number/);
    expect(() => logLogChart([], { x: "h", y: "err" })).toThrow(/non-empty/);
    expect(() => logLogChart(rows, { x: "h", y: "err", refs: [{ label: "x", coefficient: -1, power: 1 }] })).toThrow(/refs\[0\].coefficient/);
  });
});

describe("notebook 01's figures and tables", () => {
  const T = 10;
  const times = [0.5, 1, 2, 5, 10];
  const runs = momentumGrid(toy, { lambdas: [0.5, 2], betas: [0.9, 0.95], alpha, T, times });
  const flows = gridFlows(toy, runs, { alpha, times });
  const errors = gridPathErrors(runs, flows);

  it("titles carry the counts and the λ of the data", async () => {
    const collapse = JSON.stringify(collapseFigure(toy, runs, flows, { times }));
    expect(collapse).toContain("4 MGD runs (points) over MGF_λ (lines)");
    expect(JSON.stringify(iterationFigure(toy, runs))).toContain("The same 4 runs against k");
    const one = runAgainstFlow(toy, { lambda: 0.5, beta: 0.9, alpha, T: 5, times: [1, 2] });
    const svg = await toSVG(runOnFlowFigure(toy, one));
    expect(svg).toContain("λ = 0.5");
  });
  it("error figures render with their reference lines", async () => {
    expect(await toSVG(pathErrorFigure(errors))).toContain("err = 1.5h");
    const m = modifiedEquationGrid(toy, runs, flows, { alpha });
    const svg = await toSVG(errorOrderFigure(m));
    expect(svg).toContain("slope 2");
    expect(svg).toContain("mass λ(1+β)/2 at t_k + h/2");
    expect(modifiedEquationTable(m, "t_k + 0.5h")[0]).toHaveProperty("vs mass at t_k + 0.5h");
  });
  it("tables: one row per run or per λ, with the notebook's column names", () => {
    expect(gridRunTable(toy, runs).map((r) => r.K)).toEqual([200, 400, 50, 100]);
    expect(pathErrorTable(errors)[0]).toHaveProperty("C = err/h");
    const fits = orderFits(errors);
    expect(orderFitTable(fits).map((r) => r.λ)).toEqual([0.5, 2]);
    expect(orderFitTable(fits, [{ lambda: 2, C: 0.7, tSup: 1 }])[1]).toMatchObject({ "C predicted": 0.7 });
    const gd = gdPathCheck(toy, { gamma: 0.2, alpha, T: 10 });
    expect(gdPathTable(gd.rows)[0]["compared with"]).toBe("MGF, λ = 0.1 (modified equation)");
  });
  it("linear regression figure: the start and the reference flow are named from the data", () => {
    const lin = linearFlows(toy, { lambdas: [0.5, 2], T: 10, times: [0, 5, 10] });
    const s = JSON.stringify(linearRegressionFigure(lin, Float64Array.of(0.8, 0.4)));
    expect(s).toContain("from w₀ = 0");
    expect(s).toContain("‖w_λ(t) − w_λ=0.5(t)‖");
    const moved = linearFlows(toy, { lambdas: [0, 2], T: 10, times: [0, 10], w0: Float64Array.of(3, 4) });
    const s2 = JSON.stringify(linearRegressionFigure(moved, Float64Array.of(0.8, 0.4)));
    expect(s2).toContain("w₀ ≠ 0 (‖w₀‖ = 5.00)");
    expect(s2).toContain("w_GF(t)");
  });
});
