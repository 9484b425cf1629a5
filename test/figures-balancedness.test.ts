// Chart builders of notebooks 03 and 04 (lib/figures/balancedness.ts): the reference power law, the line styles of
// the per-coordinate chart, and that every builder renders.
import { describe, expect, it } from "vitest";
import {
  coordinateChart, crossingCountChart, crossingPathChart, deltaPathChart, firstOrderScatter, identityResidualChart, logRatioChart,
  powerLabel, powerLawChart,
} from "../lib/figures/balancedness";
import { toSVG } from "../lib/notebook/display";

type Spec = { data?: { values: Record<string, unknown>[] }; title?: string; encoding?: Record<string, { field?: string }>; layer?: Spec[]; mark?: { strokeDash?: number[] } };
const lineMarks = (svg: string) => (svg.match(/aria-roledescription="line mark container"/g) ?? []).length;

describe("powerLawChart", () => {
  it("labels powers", () => {
    expect(powerLabel("λ", 2)).toBe("λ²");
    expect(powerLabel("h", 1)).toBe("h");
    expect(powerLabel("Δ", 0.546)).toBe("Δ^0.546");
    expect(powerLabel("x", 12)).toBe("x¹²");
  });

  it("adds a reference line ∝ x^p through the first point of the reference series, dropping points a log axis cannot show", () => {
    const rows = [{ λ: 0.1, err: 0.02 }, { λ: 0.2, err: 0.09 }, { λ: 0.05, err: 0.004 }, { λ: 0.4, err: null }];
    const spec = powerLawChart(rows, { x: "λ", y: "err", reference: { order: 2 } }) as unknown as Spec;
    const [measured, reference] = spec.layer!;
    expect(reference.data!.values.map((r) => [r.curve, r.err])).toEqual([0.016, 0.064, 0.004].map((e) => ["∝ λ² (through λ = 0.05)", e]));
    expect(reference.mark!.strokeDash).toEqual([5, 4]);
    expect(measured.data!.values.map((r) => r.curve)).toEqual(["measured", "measured", "measured"]);
    expect(measured.encoding!.color.field).toBe("curve");
  });

  it("with a colour field, goes through the named series only", () => {
    const rows = [{ h: 0.01, d: 2e-3, what: "a" }, { h: 0.02, d: 4e-3, what: "a" }, { h: 0.01, d: 1, what: "b" }];
    const spec = powerLawChart(rows, { x: "h", y: "d", color: "what", reference: { series: "a", order: 1 } }) as unknown as Spec;
    expect(spec.layer![1].data!.values.map((r) => [r.what, r.d])).toEqual([["∝ h (through h = 0.01)", 0.002], ["∝ h (through h = 0.01)", 0.004]]);
    const odd = powerLawChart([{ h: 0.0050000000000000044, d: 1 }], { x: "h", y: "d", reference: { order: 1 } }) as unknown as Spec;
    expect(odd.layer![1].data!.values[0].curve).toBe("∝ h (through h = 0.005)");
    expect(() => powerLawChart(rows, { x: "h", y: "d", color: "what", reference: { series: "c", order: 1 } })).toThrow(/series "c" has no point/);
    expect(() => powerLawChart(rows, { x: "h", y: "nope", color: "what", reference: { series: "a", order: 1 } })).toThrow(/nope/);
    expect(() => powerLawChart(rows, { x: "h", y: "d", reference: {} as never })).toThrow(/reference/);
  });

  it("renders measured and reference lines", async () => {
    const svg = await toSVG(powerLawChart([{ λ: 0.1, err: 0.02 }, { λ: 0.2, err: 0.09 }], { x: "λ", y: "err", reference: { order: 2 } }));
    expect(lineMarks(svg)).toBeGreaterThanOrEqual(1);
    expect(svg).toContain("∝ λ² (through λ = 0.1)");
  });
});

describe("the per-coordinate charts of notebooks 03 and 04", () => {
  it("coordinateChart: a strokeDash field splits lines by style, and is checked", () => {
    const rows = [0, 1].flatMap((i) => ["measured", "first order"].flatMap((curve) => [0, 0.1].map((λ) => ({ λ, y: -λ * (i + 1), i, on: i === 0, curve }))));
    const spec = JSON.stringify(coordinateChart(rows, { x: "λ", y: "y", coordinate: "i", onSupport: "on", strokeDash: "curve" }));
    expect(spec).toContain('"strokeDash":{"field":"curve","type":"nominal","title":"curve","scale":{"domain":["measured","first order"]}}');
    expect(() => coordinateChart(rows, { x: "λ", y: "y", coordinate: "i", onSupport: "on", strokeDash: "style" })).toThrow(/style/);
  });

  it("every builder renders with rows of the experiments' shape", async () => {
    const path = [0.1, 1, 10].flatMap((t) => [0, 5].map((i) => ({ t, "Δ_t/Δ₀": 1 - 0.01 * t * (i + 1), i, "on supp w*": i === 5, λ: "λ = 0.1" })));
    const residual = [0.1, 1].flatMap((t) => [{ t, "max residual": 1e-12 * t, identity: "balancedness (claim 7)", λ: "0.1" }, { t, "max residual": 1e-13, identity: "mirror (claim 8)", λ: "0.1" }]);
    const scatter = [0, 1].map((i) => ({ "predicted Δ∞/Δ₀": 0.5 + 0.1 * i, "measured Δ∞/Δ₀": 0.45 + 0.1 * i, λ: "0.1", "on supp w*": i === 0, i }));
    const ratio = [0, 0.1].flatMap((λ) => [{ λ, "ln(Δ∞/Δ₀)": -λ, i: 0, "on supp w*": true, curve: "measured" }, { λ, "ln(Δ∞/Δ₀)": -0.9 * λ, i: 0, "on supp w*": true, curve: "first order" }]);
    const counts = [0.2, 0.5].map((λ) => ({ λ, count: λ > 0.3 ? 2 : 0, what: "coordinates with a sign change" }));
    const crossing = [0, 1].flatMap((t) => [{ t, "Δ_t/Δ₀": 1 - t, i: 3, crosses: true }, { t, "Δ_t/Δ₀": 1, i: 4, crosses: false }]);
    for (const spec of [deltaPathChart(path), identityResidualChart(residual, 1e-10), firstOrderScatter(scatter, "MGF"), logRatioChart(ratio),
      crossingCountChart(counts), crossingPathChart(crossing, 0.5)]) {
      expect(await toSVG(spec)).toContain("<svg");
    }
    expect((crossingPathChart(crossing, 0.5) as unknown as Spec).title).toBe("λ = 0.5: the 1 crossing coordinates (red) against 1 that do not cross");
    expect((firstOrderScatter(scatter, "MGF") as unknown as Spec).title).toContain("∫g²_MGF");
    expect((identityResidualChart(residual, 1e-10) as unknown as Spec).title).toContain("(rtol 1e-10)");
  });
});
