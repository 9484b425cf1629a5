import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dln as dlnInProcess } from "../tools/dln-cli";

const root = join(__dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

/** Runs the CLI like `npm run --silent dln -- verb -` with the input on stdin. */
function dln(verb: string, input: unknown): { status: number | null; out: Record<string, unknown> | null; err: string } {
  const r = spawnSync(tsx, [join(root, "tools", "dln-cli.ts"), verb, "-"], { input: typeof input === "string" ? input : JSON.stringify(input), encoding: "utf8" });
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : null, err: r.stderr };
}

const toy = { X: [[1, 0.5]], y: [1], alpha: 0.1 };

/** The CLI's own function, in this process: what the command would print and its status. */
async function dlnHere(verb: string, input: unknown): Promise<{ status: number | null; out: Record<string, unknown> | null; err: string }> {
  const r = await dlnInProcess(verb, input);
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : null, err: r.stderr };
}

describe("dln command line", () => {
  it("runs as a process: reads stdin, prints one JSON line, exits 0", () => {
    const r = dln("min-norm", { X: toy.X, y: toy.y });
    expect(r.status).toBe(0);
    expect(r.out!.w).toEqual([0.8, 0.4].map((x) => expect.closeTo(x, 12)));
  });

  it("answers every verb with one JSON object", async () => {
    const dln = dlnHere;
    const mgd = await dln("mgd", { ...toy, gamma: 0.005, beta: 0.9, iterations: 4000 });
    expect(mgd.status).toBe(0);
    expect(Object.keys(mgd.out!)).toEqual(expect.arrayContaining(["w", "u", "v", "delta", "loss"]));
    expect(mgd.out!.lambda).toBeCloseTo(0.5, 12);

    const gd = await dln("gd", { ...toy, gamma: 0.005, iterations: 40000 });
    const gf = await dln("gf", { ...toy, T: 200 });
    // GD at small step follows GF: same limit to O(γ)
    const wGd = gd.out!.w as number[];
    const wGf = gf.out!.w as number[];
    expect(Math.hypot(wGd[0] - wGf[0], wGd[1] - wGf[1])).toBeLessThan(0.01);
    // GF conserves Δ = 2α²
    for (const d of gf.out!.delta as number[]) expect(d).toBeCloseTo(0.02, 8);

    const mgf = await dln("mgf", { ...toy, lambda: 0.5, T: 200 });
    const wMgd = mgd.out!.w as number[];
    const wMgf = mgf.out!.w as number[];
    expect(Math.hypot(wMgd[0] - wMgf[0], wMgd[1] - wMgf[1])).toBeLessThan(0.02);

    const ip = await dln("interpolate", { X: toy.X, y: toy.y, delta: 0.02 });
    expect((ip.out!.w as number[])[1]).toBeCloseTo(wGf[1], 6); // GF limit = argmin ψ_{Δ0}
    expect(ip.out!.kktResidual as number).toBeLessThan(1e-10);
    expect((await dln("min-norm", { X: toy.X, y: toy.y })).out!.w).toEqual([0.8, 0.4].map((x) => expect.closeTo(x, 12)));
    expect((await dln("basis-pursuit", { X: toy.X, y: toy.y })).out!.w).toEqual([expect.closeTo(1, 9), expect.closeTo(0, 9)]);
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
  ])("rejects bad input for %s with a clear message and exit 2", async (verb, input, message) => {
    // Input that only the process sees (text that is not JSON, a verb that main() refuses) goes through it.
    const r = typeof input === "string" || verb === "fly" ? dln(verb, input) : await dlnHere(verb, input);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("dln: fields it does not know or that do not apply are refused (the library would refuse them too)", () => {
  it.each([
    ["gd", { ...toy, gamma: 0.01, iterations: 10, batchsize: 1 }, /unknown field "batchsize" for verb "gd" \(did you mean "batchSize"\?\)/],
    ["gf", { ...toy, T: 1, lambda: 0.5 }, /field "lambda" does not apply to verb "gf" \(it is a field of "mgf"\)/],
    ["gd", { ...toy, gamma: 0.01, iterations: 10, beta: 0.9 }, /field "beta" does not apply to verb "gd" \(momentum: use "mgd"\)/],
    ["mgd", { ...toy, gamma: 0.01, iterations: 10, beta: null }, /beta must be a finite number, got null/],
    ["mgd", { ...toy, gamma: "0.01", beta: 0.5, iterations: 10 }, /gamma must be a finite number, got "0.01"/],
    ["gd", { ...toy, gamma: 0.01, iterations: 10, seed: null }, /seed must be a finite number, got null/],
    ["min-norm", { X: toy.X, y: toy.y, alpha: 0.1 }, /field "alpha" does not apply to verb "min-norm"/],
    ["interpolate", { X: toy.X, y: toy.y, delta: 1, Delta: 1 }, /unknown field "Delta" for verb "interpolate" \(did you mean "delta"\?\)/],
    ["mgf", { ...toy, lambda: 0.5, T: 1, maxSteps: 10 }, /unknown field "maxSteps" for verb "mgf"/],
    ["basis-pursuit", { X: "1, 2", y: [1] }, /X must be an array of rows, got "1, 2"/],
    ["gf", [1, 2], /the input must be a JSON object/],
  ])("%s %j", async (verb, input, message) => {
    const r = await dlnInProcess(verb, input);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("dln: failures of valid input are one honest line", () => {
  it("a flow that overflows says so (it looped 1e6 times on h = NaN and advised raising maxSteps)", async () => {
    const r = await dlnInProcess("gf", { X: [[1e154, 1]], y: [1e154], alpha: 1, T: 1 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not finite|overflow|blows up/i);
    expect(r.stderr).not.toMatch(/raise maxSteps/);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("a flow whose T needs more steps than the library allows says the CLI cannot raise the limit", async () => {
    const r = await dlnInProcess("gf", { ...toy, T: 3e6 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dln: gf: the integrator reached its step limit \(1000000 steps, fixed by the library: the CLI cannot raise it\) at t = \S+ before T = 3000000; ask for a smaller T/);
  });

  it("a diverging run names the iteration and the bound", async () => {
    const r = await dlnInProcess("gd", { ...toy, gamma: 50, iterations: 1000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dln: DivergenceError: .*iteration/i);
  });

  it("a closed output pipe ends the process quietly (was an EPIPE stack trace)", async () => {
    const child = spawn(tsx, [join(root, "tools", "dln-cli.ts"), "min-norm", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b) => { stderr += b; });
    child.stdout.destroy(); // the reader goes away before the answer is written
    child.stdin.end(JSON.stringify({ X: [[1, 0.5]], y: [1] }));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
