import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMomentum } from "../lib/dynamics/optimizers";
import { recoveryError, sparseRegression, testLoss } from "../lib/model/problems";
import {
  aggregateSweep, canonicalJSON, checkStoreDir, codeVersion, digest, fileBackend, gridPoint, gridPoints, gridSize, makeRecord, memoSweep,
  memoryBackend, normalizeGrid, parseShard, recordLines, runSweep, verifyLine, type GridSpec, type SweepProgress,
} from "../lib/sweeps/sweep";

const root = join(__dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "sweep-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 2 problem seeds × 2 α × 3 λ × 2 batch sizes (full and SMGD) × 2 batch seeds = 48 runs; λ = 40 diverges.
const spec: GridSpec = {
  name: "unit",
  method: "mgd",
  problem: { n: 20, d: 30, k: 3, nTest: 50 },
  params: { beta: 0.5, stop: { iterations: 60 }, record: ["wError", "testLoss", "deltaSummary", "w"] },
  axes: { seed: [0, 1], batchSize: [20, 5], alpha: [0.1, 1], lambda: [0.05, 0.3, 40], batchSeed: [0, 1] },
};

/** Run the CLI as one node process (so a kill reaches the whole computation). */
function cli(args: string[], onSpawn?: (c: ChildProcess) => void): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ["--import", "tsx", join(root, "tools", "sweep-cli.ts"), ...args], { cwd: root });
    onSpawn?.(c);
    let out = "";
    let err = "";
    c.stdout.on("data", (b) => (out += b));
    c.stderr.on("data", (b) => (err += b));
    c.on("close", (code, signal) => resolve({ code, signal, out, err }));
  });
}

const lines = (file: string): string[] => readFileSync(file, "utf8").split("\n").filter((l) => l !== "");

describe("grid", () => {
  it("enumerates the Cartesian product in the order of the axes, last axis fastest", () => {
    const g = normalizeGrid(spec);
    expect(gridSize(g)).toBe(48);
    expect(gridPoint(g, 0).coords).toEqual({ seed: 0, batchSize: 20, alpha: 0.1, lambda: 0.05, batchSeed: 0 });
    expect(gridPoint(g, 1).coords).toMatchObject({ lambda: 0.05, batchSeed: 1 });
    expect(gridPoint(g, 2).coords).toMatchObject({ lambda: 0.3, batchSeed: 0 });
    expect(gridPoint(g, 47).coords).toEqual({ seed: 1, batchSize: 5, alpha: 1, lambda: 40, batchSeed: 1 });
    // full batch (batchSize = n) is normalized to null; derived γ = λ(1−β)²
    expect(gridPoint(g, 0).params).toMatchObject({ batchSize: null, samplerSeed: null, gamma: 0.05 * 0.25 });
  });

  it("takes regimes: objects setting problem fields and parameters at once, labelled by id", () => {
    const g = normalizeGrid({ name: "r", method: "flowLimit", axes: { regime: [{ id: "iso" }, { id: "decoy", design: "decoy", rho: 0.7, T: 100 }], lambda: [0, 0.1] } });
    const pts = gridPoints(g);
    expect(pts.map((p) => p.coords)).toEqual([{ regime: "iso", lambda: 0 }, { regime: "iso", lambda: 0.1 }, { regime: "decoy", lambda: 0 }, { regime: "decoy", lambda: 0.1 }]);
    expect(pts[2].problem).toMatchObject({ design: "decoy", rho: 0.7 });
    expect(pts[2].params).toMatchObject({ T: 100, lambda: 0 });
    // the same point asked by another grid has the same identity
    const other = gridPoints(normalizeGrid({ name: "o", method: "flowLimit", problem: { design: "decoy", rho: 0.7 }, params: { T: 100 }, axes: { lambda: [0] } }));
    expect(other[0].id).toBe(pts[2].id);
  });

  it("rejects bad grids by name before running anything", () => {
    const bad = (patch: Record<string, unknown>): (() => unknown) => () => gridPoints(normalizeGrid({ ...spec, ...patch } as GridSpec));
    expect(bad({ axes: { eta: [1] } })).toThrow(/unknown axis "eta"/);
    expect(bad({ axes: { beta: [0.5] } })).toThrow(/"beta" is both an axis and a fixed parameter/);
    expect(bad({ params: { lambda: 0.1, gamma: 0.01, beta: 0.5, stop: { iterations: 5 } }, axes: {} })).toThrow(/two of lambda, gamma, beta/);
    expect(bad({ params: { stop: { iterations: 5 } }, axes: { lambda: [0.01], gamma: [0.1] } })).toThrow(/gamma = 0.1 exceeds lambda/);
    expect(bad({ method: "sgd" })).toThrow(/method must be one of/);
    expect(bad({ name: "a/b" })).toThrow(/name must be/);
    expect(bad({ axes: { lambda: [0.1, 0.1] } })).toThrow(/repeated value/);
    expect(bad({ params: { beta: 0.5, stop: { iterations: 5 }, record: ["wError", "speed"] }, axes: { lambda: [0.1] } })).toThrow(/record\[1\]/);
    expect(() => gridPoints(normalizeGrid({ name: "f", method: "flowLimit", axes: { lambda: [-1] } }))).toThrow(/point 0: lambda/);
    expect(() => gridPoints(normalizeGrid({ name: "f", method: "flowLimit", params: { speed: 1 } }))).toThrow(/no parameter "speed"/);
    expect(() => parseShard("3/3")).toThrow(/shard index/);
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
  });
});

describe("hashes and records", () => {
  it("canonical JSON sorts keys, so equal values hash equally", () => {
    expect(canonicalJSON({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(digest("abc")).toBe("ba7816bf8f01cfea"); // SHA-256 test vector (FIPS 180-2)
    expect(() => canonicalJSON({ x: NaN })).toThrow(/value.x is NaN/);
  });

  it("a record's hashes catch an edited output, an edited input and another code version", () => {
    const g = normalizeGrid({ name: "h", method: "flowLimit", problem: { n: 6, d: 12, k: 2, nTest: 0 }, params: { T: 5 } });
    const pt = gridPoint(g, 0);
    const code = codeVersion("flowLimit");
    const rec = makeRecord("flowLimit", pt, code, { status: "ok", out: { err: 0.5 } });
    const current = (): string => code;
    expect(verifyLine(canonicalJSON(rec), current).kind).toBe("record");
    expect(verifyLine(canonicalJSON({ ...rec, out: { err: 0.4 } }), current)).toMatchObject({ kind: "bad", reason: expect.stringMatching(/edited by hand/) });
    const editedInput = { ...rec, params: { ...rec.params, lambda: 1 } };
    const { check: _c, ...body } = editedInput;
    expect(verifyLine(canonicalJSON({ ...body, check: digest(canonicalJSON(body)) }), current)).toMatchObject({ kind: "bad", reason: expect.stringMatching(/key does not match/) });
    expect(verifyLine(canonicalJSON(rec), () => "flowLimit@0:other").kind).toBe("stale");
    expect(verifyLine('{"check":"1', current)).toMatchObject({ kind: "bad", reason: expect.stringMatching(/not JSON/) });
  });
});

describe("the store is a memo", () => {
  const small: GridSpec = { name: "memo", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 10 }, axes: { seed: [0, 1], lambda: [0, 0.1] } };

  it("computes what is missing, stores it, and returns the stored part at once", async () => {
    const b = memoryBackend();
    const seen: SweepProgress[] = [];
    const first = await memoSweep(small, { backend: b, progress: (p) => seen.push(p) });
    expect(first.report).toMatchObject({ points: 4, cached: 0, computed: 4, failed: 0 });
    expect(seen[seen.length - 1]).toMatchObject({ done: 4, total: 4, final: true });
    const wider = await memoSweep({ ...small, axes: { seed: [0, 1], lambda: [0, 0.1, 1] } }, { backend: b });
    expect(wider.report).toMatchObject({ points: 6, cached: 4, computed: 2 });
    expect(wider.rows.filter((r) => r.lambda !== 1)).toEqual(first.rows);
    expect(wider.rows.every((r) => r.status === "ok" && typeof r.err === "number")).toBe(true);
  });

  it("does not trust a hand-edited or truncated record: it says so and recomputes it", async () => {
    const b = memoryBackend();
    const first = await memoSweep(small, { backend: b });
    const text = b.dump("memo") as string;
    const edited = text.replace(/"err":([0-9.e-]+)/, '"err":0.001');
    expect(edited).not.toBe(text);
    const b2 = memoryBackend({ memo: `${edited}{"check":"abc` });
    const again = await memoSweep(small, { backend: b2 });
    expect(again.report).toMatchObject({ cached: 3, computed: 1, untrusted: 2 });
    expect(again.report.notes.join("\n")).toMatch(/2 line\(s\) not trusted.*edited by hand/);
    expect(again.rows).toEqual(first.rows);
  });

  it("recomputes records of another code version (stale) and says so", async () => {
    const b = memoryBackend();
    await memoSweep(small, { backend: b });
    const old = (b.dump("memo") as string).split("\n").filter((l) => l.startsWith('{"check"')).map((l) => {
      const { check: _c, ...r } = JSON.parse(l);
      const code = "flowLimit@0:0000000000000000";
      const body = { ...r, code, key: digest(`${canonicalJSON({ method: r.method, problem: r.problem, params: r.params })}\n${code}`) };
      return canonicalJSON({ ...body, check: digest(canonicalJSON(body)) });
    });
    const r = await memoSweep(small, { backend: memoryBackend({ memo: old.join("\n") }) });
    expect(r.report).toMatchObject({ cached: 0, computed: 4, stale: 4, untrusted: 0 });
    expect(r.report.notes[0]).toMatch(/4 stored record\(s\) were computed by another version of "flowLimit" \(stale\): recomputed/);
  });

  it("does not store failed runs", async () => {
    const b = memoryBackend();
    // a problem file cannot be loaded in memory: every run fails, nothing is stored
    const r = await memoSweep({ name: "fail", method: "mgd", problem: { file: "nope.json", fileHash: "x" }, params: { gamma: 0.1, stop: { iterations: 2 } } }, { backend: b });
    expect(r.report).toMatchObject({ computed: 0, failed: 1 });
    expect(r.rows[0]).toMatchObject({ status: "failed", message: expect.stringMatching(/needs a file loader/) });
    expect(b.dump("fail")).toBeNull();
  });
});

describe("methods", () => {
  it("mgd records equal direct runMomentum calls; sampler seeds are paired across λ and α", async () => {
    const r = await memoSweep(spec, { backend: memoryBackend() });
    expect(new Set(r.rows.map((x) => x.status))).toEqual(new Set(["ok", "diverged"]));
    for (const i of [0, 2, 13]) {
      const pt = r.points[i];
      const p = sparseRegression({ n: 20, d: 30, k: 3, nTest: 50, seed: pt.coords.seed as number });
      const q = pt.params;
      const ref = runMomentum(p, { gamma: q.gamma as number, beta: 0.5, alpha: q.alpha as number, batchSize: (q.batchSize as number | null) ?? 20, seed: (q.samplerSeed as number | null) ?? 0, stop: { iterations: 60 } });
      expect(r.rows[i].w).toEqual(Array.from(ref.w));
      expect(r.rows[i].loss).toBe(ref.loss);
      expect(r.rows[i].wError).toBe(recoveryError(p, ref.w));
      expect(r.rows[i].testLoss).toBe(testLoss(p, ref.w));
    }
    const div = r.rows.find((x) => x.status === "diverged")!;
    expect(div.lambda).toBe(40);
    expect(div.message).toMatch(/diverged at iteration/);
    const smgd = r.points.filter((p) => p.coords.batchSize === 5);
    const seeds = new Map<string, Set<number>>();
    for (const p of smgd) {
      const k = `${p.coords.seed}/${p.coords.batchSeed}`;
      seeds.set(k, (seeds.get(k) ?? new Set()).add(p.params.samplerSeed as number));
    }
    expect(seeds.size).toBe(4);
    for (const s of seeds.values()) expect(s.size).toBe(1);
    const ind = gridPoints(normalizeGrid({ ...spec, params: { ...spec.params, seeding: "independent" } }));
    expect(new Set(ind.filter((p) => p.coords.batchSize === 5).map((p) => p.params.samplerSeed)).size).toBe(24);
    const agg = aggregateSweep(r, { by: ["lambda", "batchSize"], value: "wError" });
    expect(agg).toHaveLength(6);
    expect(agg.find((a) => a.lambda === 40 && a.batchSize === 20)!.failed).toBeGreaterThan(0);
  });

  it("flowLimit: GF keeps Δ (ratios 1, no uniform-shrink error), MGF shrinks it; decoy fields only on decoy designs", async () => {
    const r = await memoSweep({ name: "fl", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 20 }, axes: { design: ["sparse", "decoy"], lambda: [0, 0.2] } }, { backend: memoryBackend() });
    const [gf, mgf, gfD, mgfD] = r.rows;
    expect(gf.gmRatio as number).toBeCloseTo(1, 5);
    expect(gf.errUniform).toBeNull();
    expect(mgf.gmRatio as number).toBeLessThan(1);
    expect(typeof mgf.errUniform).toBe("number");
    expect(gf.decoyRank).toBeNull();
    expect(mgfD.decoyRank).toEqual(expect.any(Number));
    expect(gfD.signChanges).toBe(0);
  });

  it("toLoss: every run stops below the loss tolerance, GF is the exact ψ limit, kinds follow the parameters", async () => {
    const r = await memoSweep(
      { name: "tl", method: "toLoss", problem: { n: 10, d: 20, k: 2, nTest: 20 }, params: { tol: 1e-8, alpha: 0.3 }, axes: { regime: [{ id: "GF", dynamics: "limit" }, { id: "MGF", dynamics: "flow", lambda: 0.1 }, { id: "MGD", lambda: 0.1, beta: 0.5 }, { id: "SMGD", lambda: 0.1, beta: 0.5, batchSize: 2 }, { id: "SGD", gamma: 0.05, batchSize: 1 }] } },
      { backend: memoryBackend() },
    );
    expect(r.rows.map((x) => x.status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    for (const x of r.rows.slice(1)) expect(x.loss as number).toBeLessThan(1e-8);
    expect(r.rows[0]).toMatchObject({ K: null, t: null, loss: 0, psiResidual: 0, distGF: 0, ratioMin: 1, ratioMax: 1 });
    expect(r.points[3].params).toMatchObject({ samplerSeed: 0, batchSize: 2 });
    expect((r.rows[4].w as number[]).length).toBe(20);
    expect(() => gridPoints(normalizeGrid({ name: "x", method: "toLoss", params: { dynamics: "limit", beta: 0.5 } }))).toThrow(/"beta" does not apply to dynamics "limit"/);
  });
});

describe("Node: threads, files, shards, interruptions, errors", () => {
  it("2 worker threads give the same record lines as this thread", async () => {
    const a = join(dir, "threads-a");
    const b = join(dir, "threads-b");
    const r0 = await runSweep(spec, { workers: 0, dir: a });
    const r2 = await runSweep(spec, { workers: 2, dir: b });
    expect(r2.rows).toEqual(r0.rows);
    const { compactSweep } = await import("../lib/sweeps/sweep");
    await compactSweep("unit", { dir: a });
    await compactSweep("unit", { dir: b });
    expect(recordLines(lines(join(b, "unit.jsonl")))).toEqual(recordLines(lines(join(a, "unit.jsonl"))));
    expect(recordLines(lines(join(a, "unit.jsonl")))).toHaveLength(36); // full-batch runs do not depend on the batch seed: 12 points share records
    const session = JSON.parse(lines(join(a, "unit.jsonl"))[1]).session;
    expect(session).toMatchObject({ node: process.version, workers: 0, method: "mgd", library: { name: "momentum-dln" } });
  });

  it("the file store ends a line cut short by a kill before appending, so only that line is lost", async () => {
    const d = join(dir, "torn");
    const f = fileBackend(d);
    await memoSweep({ name: "t", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 5 }, axes: { lambda: [0] } }, { backend: f });
    writeFileSync(join(d, "t.jsonl"), `${readFileSync(join(d, "t.jsonl"), "utf8")}{"check":"00`);
    const r = await memoSweep({ name: "t", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 5 }, axes: { lambda: [0, 0.1] } }, { backend: f });
    expect(r.report).toMatchObject({ cached: 1, computed: 1, untrusted: 1 });
    const again = await memoSweep({ name: "t", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 5 }, axes: { lambda: [0, 0.1] } }, { backend: f });
    expect(again.report).toMatchObject({ cached: 2, computed: 0, untrusted: 1 });
  });

  it("3 shards as separate processes merge into exactly the unsharded records", async () => {
    const d = join(dir, "shards");
    const grid = join(dir, "grid.json");
    writeFileSync(grid, JSON.stringify(spec));
    const runs = await Promise.all([0, 1, 2].map((i) => cli(["run", grid, "--shard", `${i}/3`, "--workers", "1", "--dir", d, "--quiet"])));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const merged = await cli(["merge", "unit", "--dir", d]);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toMatch(/merged 3 shards of unit: 36 records/);
    const whole = join(dir, "shards-whole");
    await runSweep(spec, { workers: 0, dir: whole });
    const { compactSweep } = await import("../lib/sweeps/sweep");
    await compactSweep("unit", { dir: whole });
    expect(recordLines(lines(join(d, "unit.jsonl")))).toEqual(recordLines(lines(join(whole, "unit.jsonl"))));
    const missing = await cli(["merge", "unit", "--dir", join(dir, "shards-none")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no shard stores unit.shard-<i>-of-<N>.jsonl/);
  }, 120_000);

  it("a run killed with SIGKILL (then SIGINT) keeps its finished runs; the re-run computes only the rest and ends equal", async () => {
    const d = join(dir, "killed");
    const slow: GridSpec = { name: "slow", method: "mgd", problem: { n: 20, d: 30, k: 3, nTest: 0 }, params: { beta: 0.5, stop: { iterations: 40000 }, batchSize: 5 }, axes: { seed: [0, 1, 2], lambda: [0.01, 0.02, 0.03, 0.04] } };
    const grid = join(dir, "slow.json");
    writeFileSync(grid, JSON.stringify(slow));
    const file = join(d, "slow.jsonl");
    const killed = await cli(["run", grid, "--workers", "1", "--dir", d, "--quiet"], (c) => {
      const timer = setInterval(() => {
        if (existsSync(file) && recordLines(lines(file)).length >= 3) {
          clearInterval(timer);
          c.kill("SIGKILL");
        }
      }, 20);
      c.on("close", () => clearInterval(timer));
    });
    expect(killed.signal).toBe("SIGKILL");
    const kept = recordLines(lines(file)).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(12);
    // SIGINT on the re-run: it says so in one line and keeps what it finished
    const interrupted = await cli(["run", grid, "--workers", "1", "--dir", d, "--quiet"], (c) => {
      const timer = setInterval(() => {
        if (recordLines(lines(file)).length >= kept + 1) {
          clearInterval(timer);
          c.kill("SIGINT");
        }
      }, 20);
      c.on("close", () => clearInterval(timer));
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.err).toMatch(/SIGINT: stopped; every finished run is stored/);
    const kept2 = recordLines(lines(file)).length;
    expect(kept2).toBeGreaterThan(kept);
    const rerun = await cli(["run", grid, "--workers", "1", "--dir", d, "--quiet"]);
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toMatch(new RegExp(`12 points, ${kept2} cached, ${12 - kept2} computed`));
    const whole = join(dir, "whole");
    const straight = await cli(["run", grid, "--workers", "1", "--dir", whole, "--quiet"]);
    expect(straight.code, straight.err).toBe(0);
    expect(recordLines(lines(file))).toEqual(recordLines(lines(join(whole, "slow.jsonl"))));
  }, 180_000);

  it("user errors are one line on stderr with exit 2; an unusable --dir is found before any work", async () => {
    const grid = join(dir, "grid.json");
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "x");
    const t0 = Date.now();
    const badDir = await cli(["run", grid, "--dir", join(blocker, "sub")]);
    expect(badDir.code).toBe(2);
    expect(badDir.err.trim().split("\n")).toHaveLength(1);
    expect(badDir.err).toMatch(/cannot write sweep results to .*a-file\/sub: (ENOTDIR|EEXIST)/);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(() => checkStoreDir(join(blocker, "sub"))).toThrow(RangeError);
    for (const args of [["merge", "none", "--dir", dir], ["show", "none", "--dir", dir], ["run", join(dir, "missing.json")], ["frobnicate", "x"], ["run", grid, "--shard", "3/3"]]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    }
  }, 120_000);

  it("show reports a corrupt store in one line; a grid where every run fails exits 1 and stores nothing", async () => {
    const d = join(dir, "corrupt");
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "junk.jsonl"), "this is not a store\n\u0000\u0001\n");
    const show = await cli(["show", "junk", "--dir", d]);
    expect(show.code).toBe(0);
    expect(show.err.trim().split("\n")).toHaveLength(1);
    expect(show.err).toMatch(/2 line\(s\) not trusted/);
    const failing = join(dir, "failing.json");
    writeFileSync(failing, JSON.stringify({ name: "failing", method: "mgd", problem: { n: 20, d: 30, k: 3, nTest: 0 }, params: { beta: 0.5, stop: { iterations: 2000 } }, axes: { lambda: [400, 800] } }));
    const r = await cli(["run", failing, "--dir", d, "--workers", "0", "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/every run of failing failed or diverged/);
  }, 60_000);
});

describe("the shipped stores and examples", () => {
  it("the grid files are the notebooks' default grids, and the example grid is valid", async () => {
    const { sparseRecoveryGrids } = await import("../lib/experiments/sparse-grids");
    const { smgdDefaultGrid } = await import("../lib/experiments/stochastic-grids");
    const file = (name: string): unknown => JSON.parse(readFileSync(join(root, "data", "sweeps", name), "utf8"));
    expect(file("05-sparse-recovery.grid.json"), "regenerate the grid file from sparseRecoveryGrids()").toEqual(JSON.parse(JSON.stringify(sparseRecoveryGrids())));
    expect(file("06-smgd.grid.json"), "regenerate the grid file from smgdDefaultGrid()").toEqual(JSON.parse(JSON.stringify([smgdDefaultGrid()])));
    expect(gridPoints(normalizeGrid(JSON.parse(readFileSync(join(root, "examples", "sweep-grid.json"), "utf8")))).length).toBe(72);
  });

  it("hold every point of those grids, trusted and computed by the current code (else: npm run sweep -- run <grid file>)", async () => {
    const { sparseRecoveryGrids } = await import("../lib/experiments/sparse-grids");
    const { smgdDefaultGrid } = await import("../lib/experiments/stochastic-grids");
    const shipped = fileBackend(join(root, "data", "sweeps"));
    const readOnly = { ...shipped, append: async (): Promise<void> => { throw new Error("the shipped store lacks a point"); } };
    for (const g of [...sparseRecoveryGrids(), smgdDefaultGrid()]) {
      const r = await memoSweep(g, { backend: readOnly, execute: async () => { throw new Error(`${g.name} lacks points or holds stale ones: regenerate it`); } });
      expect(r.report, g.name).toMatchObject({ cached: r.report.points, computed: 0, stale: 0, untrusted: 0 });
    }
  }, 120_000);
});

describe("the browser-safe core", () => {
  it("lib/sweeps/core.ts and everything it imports use no Node built-in (a Web Worker can run it)", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gm)) {
        const spec = m[1];
        if (spec.startsWith(".")) visit(join(file, "..", `${spec}.ts`).replace(/\.ts\.ts$/, ".ts"));
        else if (spec.startsWith("node:") || ["fs", "path", "os", "child_process", "worker_threads", "url", "crypto"].includes(spec)) bad.push(`${file.slice(root.length + 1)} imports ${spec}`);
      }
    };
    visit(join(root, "lib", "sweeps", "core.ts"));
    expect(seen.size).toBeGreaterThan(15);
    expect(bad).toEqual([]);
  });
});
