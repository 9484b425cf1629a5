import { describe, expect, it } from "vitest";
import { lineChart } from "../lib/figures/spec";
import { chartBundle, inKernel, show, showTable, tableBundle, toSVG, VEGALITE_MIME } from "../lib/notebook/display";

const rows = Array.from({ length: 50 }, (_, i) => ({ t: i, loss: Math.exp(-i / 10), series: i % 2 ? "a" : "b" }));

describe("plot", () => {
  it("renders a line chart to SVG with one path per series", async () => {
    const svg = await toSVG(lineChart(rows, { x: "t", y: "loss", color: "series", logY: true, title: "decay" }));
    expect(svg.startsWith("<svg")).toBe(true);
    // one line-mark container per series, each holding one path
    expect((svg.match(/aria-roledescription="line mark container"/g) ?? []).length).toBe(2);
    expect((svg.match(/<path aria-label="t: \d+; loss: [^"]*; series: [ab]"/g) ?? []).length).toBe(2);
    expect(svg).toContain("decay");
  });

  it("draws points when asked", async () => {
    const svg = await toSVG(lineChart(rows, { x: "t", y: "loss", points: true }));
    expect(svg).toContain('aria-roledescription="symbol mark container"');
    expect((svg.match(/<path aria-label="t: \d+; loss: /g) ?? []).length).toBe(rows.length);
  });

  it("show() outside a kernel returns the three-part bundle and does not throw", async () => {
    expect(inKernel()).toBe(false);
    const spec = lineChart(rows, { x: "t", y: "loss" });
    await expect(show(spec)).resolves.toBeUndefined(); // a cell ending in show() prints nothing else
    const data = await chartBundle(spec);
    expect(Object.keys(data).sort()).toEqual(["image/svg+xml", "text/plain", VEGALITE_MIME].sort());
    expect(data[VEGALITE_MIME]).toBe(spec);
    expect(data["text/html"]).toBeUndefined(); // html would outrank the vega renderer in JupyterLab
  });

  it("rejects a spec that does not compile, naming the problem", async () => {
    await expect(toSVG({ mark: "nonsense" } as never)).rejects.toThrow(/does not compile|Invalid mark/);
    await expect(toSVG(null as never)).rejects.toThrow(TypeError);
  });

  it("formats tables as escaped HTML and aligned text", () => {
    const b = tableBundle([{ name: "<a>", value: 1.23456789e-7, n: 3 }], { caption: "cap" });
    expect(b["text/html"]).toContain("&lt;a&gt;");
    expect(b["text/html"]).toContain("1.235e-7");
    expect(b["text/plain"].split("\n")[0]).toBe("cap");
    expect(() => showTable("x" as never)).toThrow(TypeError);
  });
});
