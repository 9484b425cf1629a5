import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

/** Runs the CLI like `npm run --silent dln -- verb -` with the input on stdin. */
function dln(verb: string, input: unknown): { status: number | null; out: Record<string, unknown> | null; err: string } {
  const r = spawnSync(tsx, [join(root, "tools", "dln-cli.ts"), verb, "-"], { input: typeof input === "string" ? input : JSON.stringify(input), encoding: "utf8" });
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : null, err: r.stderr };
}

const toy = { X: [[1, 0.5]], y: [1], alpha: 0.1 };

describe("dln command line", () => {
  it("answers every verb with one JSON object", () => {
    const mgd = dln("mgd", { ...toy, gamma: 0.005, beta: 0.9, iterations: 4000 });
    expect(mgd.status).toBe(0);
    expect(Object.keys(mgd.out!)).toEqual(expect.arrayContaining(["w", "u", "v", "delta", "loss"]));
    expect(mgd.out!.lambda).toBeCloseTo(0.5, 12);

    const gd = dln("gd", { ...toy, gamma: 0.005, iterations: 40000 });
    const gf = dln("gf", { ...toy, T: 200 });
    // GD at small step follows GF: same limit to O(γ)
    const wGd = gd.out!.w as number[];
    const wGf = gf.out!.w as number[];
    expect(Math.hypot(wGd[0] - wGf[0], wGd[1] - wGf[1])).toBeLessThan(0.01);
    // GF conserves Δ = 2α²
    for (const d of gf.out!.delta as number[]) expect(d).toBeCloseTo(0.02, 8);

    const mgf = dln("mgf", { ...toy, lambda: 0.5, T: 200 });
    const wMgd = mgd.out!.w as number[];
    const wMgf = mgf.out!.w as number[];
    expect(Math.hypot(wMgd[0] - wMgf[0], wMgd[1] - wMgf[1])).toBeLessThan(0.02);

    const ip = dln("interpolate", { X: toy.X, y: toy.y, delta: 0.02 });
    expect((ip.out!.w as number[])[1]).toBeCloseTo(wGf[1], 6); // GF limit = argmin ψ_{Δ0}
    expect(ip.out!.kktResidual as number).toBeLessThan(1e-10);
    expect(dln("min-norm", { X: toy.X, y: toy.y }).out!.w).toEqual([0.8, 0.4].map((x) => expect.closeTo(x, 12)));
    expect(dln("basis-pursuit", { X: toy.X, y: toy.y }).out!.w).toEqual([expect.closeTo(1, 9), expect.closeTo(0, 9)]);
  });

  it.each([
    ["mgd", { ...toy, gamma: 0.1, beta: 1, iterations: 3 }, /beta must lie in \[0, 1\), got 1/],
    ["mgd", { ...toy, gamma: 0, beta: 0.5, iterations: 3 }, /gamma must lie in \(0, ∞\), got 0/],
    ["gd", { ...toy, gamma: 0.1 }, /missing field "iterations"/],
    ["mgf", { ...toy, lambda: -1, T: 3 }, /lambda must lie in \[0, ∞\), got -1/],
    ["gf", { X: [[1, 0.5], [1]], y: [1, 2], alpha: 0.1, T: 1 }, /X\[1\] must have length 2/],
    ["gf", { X: [[1, "a"]], y: [1], alpha: 0.1, T: 1 }, /X\[0\]\[1\] must be a finite number/],
    ["gf", { X: [[1, 0.5]], y: [1, 2], alpha: 0.1, T: 1 }, /y must have length 1/],
    ["gf", { ...toy, alpha: [0.1], T: 1 }, /alpha must have length 2/],
    ["interpolate", { X: toy.X, y: toy.y, delta: -1 }, /Delta must lie in \(0, ∞\), got -1/],
    ["mgf", "not json", /not valid JSON/],
    ["fly", toy, /unknown verb "fly"/],
  ])("rejects bad input for %s with a clear message and exit 2", (verb, input, message) => {
    const r = dln(verb, input);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split("\n").filter(Boolean)).toHaveLength(verb === "fly" ? 1 : 1);
  });
});
