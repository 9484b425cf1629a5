import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMomentum } from "../lib/dynamics/optimizers";
import { recoveryError, sparseRegression, testLoss } from "../lib/model/problems";
import { aggregateSweep, configHash, gridPoint, gridSize, loadSweep, mergeShards, normalizeSpec, parseShard, runSweep, sweepRows, type SweepProgress, type SweepSpec } from "../lib/sweeps/sweep";

const root = join(__dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const dir = mkdtempSync(join(tmpdir(), "sweep-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Small but varied: 2 problem seeds × 2 α × 3 λ × 2 batch sizes (full and SMGD) × 2 batch seeds = 48 runs,
// one λ (with β = 0.5 and α = 1) diverges.
const spec: SweepSpec = {
  name: "unit",
  problem: { sparse: { n: 20, d: 30, k: 3, nTest: 50 } },
  axes: { seed: [0, 1], alpha: [0.1, 1], lambda: [0.05, 0.3, 40], beta: 0.5, batchSize: [20, 5], batchSeed: [0, 1] },
  stop: { iterations: 60 },
  record: ["wError", "testLoss", "deltaSummary", "w"],
};

/** The text of the "runs" part of a result file. */
const runsPart = (file: string): string => readFileSync(file, "utf8").split('"runs": [')[1];

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(tsx, [join(root, "tools", "sweep-cli.ts"), ...args], { cwd: root });
    let out = "";
    let err = "";
    c.stdout.on("data", (b) => (out += b));
    c.stderr.on("data", (b) => (err += b));
    c.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("grid spec", () => {
  it("enumerates the Cartesian product in AXIS_ORDER, last axis fastest", () => {
    const n = normalizeSpec(spec);
    expect(gridSize(n)).toBe(48);
    expect(gridPoint(n, 0)).toMatchObject({ seed: 0, batchSize: 20, alpha: 0.1, lambda: 0.05, beta: 0.5, batchSeed: 0 });
    expect(gridPoint(n, 1)).toMatchObject({ seed: 0, lambda: 0.05, batchSeed: 1 });
    expect(gridPoint(n, 2)).toMatchObject({ seed: 0, lambda: 0.3, batchSeed: 0 });
    expect(gridPoint(n, 47)).toMatchObject({ seed: 1, batchSize: 5, alpha: 1, lambda: 40, batchSeed: 1 });
  });

  it("rejects bad specs by name before running anything", () => {
    const bad = (patch: Record<string, unknown>): (() => unknown) => () => normalizeSpec({ ...spec, ...patch } as SweepSpec);
    expect(bad({ axes: { lambda: [0.1], gamma: [0.01], beta: [0.5] } })).toThrow(/two of axes/);
    expect(bad({ axes: { lambda: [0.1] } })).toThrow(/two of axes/);
    expect(bad({ axes: { lambda: [0.1], beta: [0.5], eta: [1] } })).toThrow(/unknown axis "eta"/);
    expect(bad({ axes: { lambda: [0.01], gamma: [0.1] } })).toThrow(/gamma = 0.1 exceeds lambda/);
    expect(bad({ method: "mgf", axes: { lambda: [0.1], beta: [0.5] } })).toThrow(/axes.beta does not apply/);
    expect(bad({ method: "mgf", axes: { lambda: [0.1] }, stop: { iterations: 10 } })).toThrow(/needs stop.time/);
    expect(bad({ name: "a/b" })).toThrow(/name must be/);
    expect(bad({ axes: { lambda: [0.1, 0.1], beta: 0.5 } })).toThrow(/repeated/);
    expect(bad({ record: ["wError", "speed"] })).toThrow(/record\[1\]/);
    expect(() => parseShard("3/3")).toThrow(/shard index/);
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
  });

  it("hashes the computation, not the name", () => {
    const a = normalizeSpec(spec);
    expect(configHash(a)).toBe(configHash(normalizeSpec({ ...spec, name: "other" })));
    expect(configHash(a)).not.toBe(configHash(normalizeSpec({ ...spec, stop: { time: 4 } })));
  });
});

describe("runSweep", () => {
  let inProcess: Awaited<ReturnType<typeof runSweep>>;

  it("gives the same records as direct runMomentum calls", async () => {
    const seen: SweepProgress[] = [];
    inProcess = await runSweep(spec, { workers: 0, dir, progress: (p) => seen.push(p) });
    expect(inProcess.runs.map((r) => r.index)).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(seen[seen.length - 1]).toMatchObject({ done: 48, total: 48 });
    const statuses = new Set(inProcess.runs.map((r) => r.status));
    expect(statuses).toEqual(new Set(["ok", "diverged"]));
    // A full-batch run (batched kernel) and an SMGD run (single stepper), checked against runMomentum.
    for (const idx of [0, 2, 13]) {
      const r = inProcess.runs[idx];
      const p = sparseRegression({ n: 20, d: 30, k: 3, nTest: 50, seed: r.seed! });
      const ref = runMomentum(p, { gamma: r.gamma!, beta: r.beta!, alpha: r.alpha, batchSize: r.batchSize!, seed: r.samplerSeed ?? 0, stop: { iterations: 60 } });
      expect(r.w).toEqual(Array.from(ref.w));
      expect(r.loss).toBe(ref.loss);
      expect(r.wError).toBe(recoveryError(p, ref.w));
      expect(r.testLoss).toBe(testLoss(p, ref.w));
    }
    const div = inProcess.runs.find((r) => r.status === "diverged")!;
    expect(div.lambda).toBe(40);
    expect(div.divergedAt).toBeGreaterThan(0);
    expect(div.message).toMatch(/diverged at iteration/);
  });

  it("derives sampler seeds from coordinates: paired across λ and α, independent per run if asked", async () => {
    const smgd = inProcess.runs.filter((r) => r.batchSize === 5);
    const bySeeds = new Map<string, Set<number>>();
    for (const r of smgd) {
      const key = `${r.seed}/${r.batchSeed}`;
      if (!bySeeds.has(key)) bySeeds.set(key, new Set());
      bySeeds.get(key)!.add(r.samplerSeed!);
    }
    expect(bySeeds.size).toBe(4);
    for (const s of bySeeds.values()) expect(s.size).toBe(1);
    expect(new Set(smgd.map((r) => r.samplerSeed)).size).toBe(4);
    expect(inProcess.runs.filter((r) => r.batchSize === 20).every((r) => r.samplerSeed === null)).toBe(true);
    const ind = normalizeSpec({ ...spec, seeding: "independent" });
    const { samplerSeed } = await import("../lib/sweeps/sweep");
    expect(new Set(Array.from({ length: 48 }, (_, i) => samplerSeed(ind, gridPoint(ind, i)))).size).toBe(48);
  });

  it("is bit-identical with 2 worker threads and with another batch size", async () => {
    const two = await runSweep({ ...spec, name: "unit-w2" }, { workers: 2, dir, progress: "none" });
    expect(two.provenance.workers).toBe(2);
    expect(JSON.stringify(two.runs)).toBe(JSON.stringify(inProcess.runs));
    expect(runsPart(join(dir, "unit-w2.json"))).toBe(runsPart(join(dir, "unit.json")));
    const unbatched = await runSweep({ ...spec, name: "unit-b1", batch: 1 }, { workers: 1, dir, progress: "none" });
    expect(JSON.stringify(unbatched.runs)).toBe(JSON.stringify(inProcess.runs));
  });

  it("skips a cached grid unless forced, and recomputes when the config changes", async () => {
    const again = await runSweep(spec, { workers: 0, dir, progress: "none" });
    expect(again.cached).toBe(true);
    expect(again.provenance.createdAt).toBe(inProcess.provenance.createdAt);
    const forced = await runSweep(spec, { workers: 0, dir, progress: "none", force: true });
    expect(forced.cached).toBeUndefined();
    expect(JSON.stringify(forced.runs)).toBe(JSON.stringify(inProcess.runs));
    const changed = await runSweep({ ...spec, stop: { iterations: 50 } }, { workers: 0, dir, progress: "none" });
    expect(changed.cached).toBeUndefined();
    expect(changed.configHash).not.toBe(inProcess.configHash);
  });

  it("stores provenance and reads back with loadSweep", () => {
    const r = loadSweep("unit", { dir });
    expect(r.provenance.library).toEqual({ name: "momentum-dln", version: JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version });
    expect(r.provenance.node).toBe(process.version);
    expect(r.provenance.git === null || /^[0-9a-f]{40}$/.test(r.provenance.git.commit)).toBe(true);
    expect(r.config.axes.lambda).toEqual([0.05, 0.3, 40]);
    expect(() => loadSweep("nope", { dir })).toThrow(/no sweep result/);
  });

  it("averages over seeds and batch seeds", () => {
    const agg = aggregateSweep(inProcess, { by: ["lambda", "batchSize"], value: "wError" });
    expect(agg).toHaveLength(6);
    const cell = agg.find((a) => a.lambda === 0.05 && a.batchSize === 5)!;
    const xs = inProcess.runs.filter((r) => r.lambda === 0.05 && r.batchSize === 5).map((r) => r.wError!);
    expect(cell.n).toBe(8);
    expect(cell.mean).toBeCloseTo(xs.reduce((a, b) => a + b) / 8, 14);
    const blown = agg.find((a) => a.lambda === 40 && a.batchSize === 20)!;
    expect(blown.failed).toBeGreaterThan(0);
    expect(sweepRows(inProcess)[0]).toHaveProperty("deltaMedian");
    expect(() => aggregateSweep(inProcess, { by: ["lambda"], value: "speed" })).toThrow(/not a field/);
  });

  it("runs the momentum flow (mgf) grids", async () => {
    const r = await runSweep({ name: "unit-mgf", method: "mgf", problem: spec.problem, axes: { lambda: [0, 0.2], alpha: 0.1 }, stop: { time: 5 } }, { workers: 0, dir, progress: "none" });
    expect(r.runs.map((x) => [x.status, x.stopReason, x.time])).toEqual([["ok", "time", 5], ["ok", "time", 5]]);
    // GF conserves Δ: Δ∞/Δ₀ = 1 at λ = 0; MGF shrinks it.
    expect(r.runs[0].deltaSummary!.min).toBeCloseTo(1, 6);
    expect(r.runs[1].deltaSummary!.min).toBeLessThan(0.999);
  });
});

describe("shards", () => {
  it("3 shards run as separate processes merge into exactly the unsharded result", async () => {
    const grid = join(dir, "grid.json");
    writeFileSync(grid, JSON.stringify({ ...spec, name: "sharded" }));
    const runs = await Promise.all([0, 1, 2].map((i) => cli(["run", grid, "--shard", `${i}/3`, "--workers", "1", "--dir", dir, "--quiet"])));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    expect(() => mergeShards(["sharded.shard-0-of-3.json", "sharded.shard-1-of-3.json"].map((f) => join(dir, f)), { dir, save: false })).toThrow(/missing shard\(s\) 2\/3/);
    const merged = await cli(["merge", "sharded", "--dir", dir]);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toMatch(/merged 3 shards of sharded: 48 runs/);
    expect(runsPart(join(dir, "sharded.json"))).toBe(runsPart(join(dir, "unit-w2.json")));
    const m = loadSweep("sharded", { dir });
    expect(m.shard).toBeNull();
    expect(m.provenance.shards).toHaveLength(3);
    const bad = await cli(["run", grid, "--shard", "3/3", "--dir", dir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/shard index/);
  });
});
