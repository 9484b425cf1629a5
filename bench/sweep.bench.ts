/**
 * Sweep speed, measured in one run:
 * 1. kernels — µs per iteration of one MGD run on the DLN (lib/optimizers.ts's fused stepper), of a plain C
 *    loop (bench/c/mgd.c, gcc -O3 -march=native, if gcc exists) and per run of R = 16 runs advanced together
 *    (lib/batched.ts), at (n, d) = (40, 100), (200, 1000), (1000, 10000). Single and batched timings are
 *    interleaved and the best of several repetitions is kept, because the machines are shared.
 *    Targets: single ≤ 2× C; batched per run ≥ 2× cheaper than single at 40 × 100.
 * 2. parallel speed-up — a 200-run grid (lib/sweeps) on 1 worker thread vs all cores.
 * 3. the memo — notebook 05 asking for one λ column that is not in its store (4 α × 10 seeds = 40 flowLimit runs;
 *    the GF column is read from a copy of the shipped store), against a reference (the same number of stored points).
 * Run: npm run bench -- sweep      (part 3 alone: SWEEP_BENCH=column npm run bench -- sweep)
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createBatchedStepper } from "../lib/dynamics/batched";
import { compileC, runC } from "./c-reference";
import { createMomentumStepper } from "../lib/dynamics/optimizers";
import { sparseRegression } from "../lib/model/problems";
import { runSweep, storeFile, defaultStoreDir, type GridSpec } from "../lib/sweeps/sweep";
import { recoveryGrid, SPARSE_STORE } from "../lib/experiments/sparse-grids";

const R = 16;
const GAMMA = 0.002;
const BETA = 0.9;
const ALPHA = 0.1;

const fmt = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : "–");

/** Best µs per call of f(k) over `reps` repetitions, k iterations each. */
function best(f: (k: number) => void, k: number, reps: number): number {
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f(k);
    b = Math.min(b, ((performance.now() - t0) * 1000) / k);
  }
  return b;
}

async function kernels(dir: string): Promise<void> {
  const exe = compileC(dir);
  console.log(`Kernels: MGD on the DLN, γ = ${GAMMA}, β = ${BETA}, α = ${ALPHA}; batched: R = ${R} runs with γ ∈ [${GAMMA}, ${2 * GAMMA}) sharing X; C: ${exe ? "gcc -O3 -march=native" : "skipped (no gcc)"}\n`);
  console.log("| n × d | single µs/it | C µs/it | single / C | batched µs/it per run | single / batched-per-run |");
  console.log("|---|---|---|---|---|---|");
  for (const [n, d, kSingle, reps] of [
    [40, 100, 4000, 9],
    [200, 1000, 60, 7],
    [1000, 10000, 3, 3],
  ]) {
    const p = sparseRegression({ n, d, seed: 0, nTest: 0 });
    const runs = Array.from({ length: R }, (_, r) => ({ gamma: GAMMA * (1 + r / R), beta: BETA, alpha: ALPHA }));
    const single = createMomentumStepper(p, runs[0]);
    const batched = createBatchedStepper(p, runs);
    const kBatched = Math.max(1, Math.round(kSingle / 4));
    single.step(kSingle); // warm-up
    batched.step(kBatched);
    let s = Infinity;
    let b = Infinity;
    for (let rep = 0; rep < reps; rep++) {
      s = Math.min(s, best((k) => single.step(k), kSingle, 1));
      b = Math.min(b, best((k) => batched.step(k), kBatched, 1) / R);
    }
    let c = NaN;
    if (exe) c = runC(exe, dir, p, kSingle * 4, { gamma: GAMMA, beta: BETA, alpha: ALPHA }, 3).us;
    console.log(`| ${n} × ${d} | ${fmt(s)} | ${fmt(c)} | ${fmt(s / c)} | ${fmt(b)} | ${fmt(s / b)} |`);
  }
}

async function speedup(dir: string): Promise<void> {
  const cores = availableParallelism();
  const spec: GridSpec = {
    name: "bench-speedup",
    method: "mgd",
    problem: { n: 40, d: 100, k: 5, nTest: 200 },
    params: { beta: 0.9, stop: { time: 20 } },
    axes: { seed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], alpha: [0.01, 0.1, 0.3, 1], lambda: [0.05, 0.1, 0.2, 0.5, 2] },
  };
  const timed = async (workers: number, sub: string): Promise<{ s: number; rows: string }> => {
    const t0 = performance.now();
    const r = await runSweep(spec, { workers, dir: join(dir, sub), force: true });
    return { s: (performance.now() - t0) / 1000, rows: JSON.stringify(r.rows) };
  };
  const one = await timed(1, "one");
  const all = await timed(cores, "all");
  const n = 200;
  console.log(`\nParallel speed-up: ${n}-run grid (10 seeds × 4 α × 5 λ, β = 0.9, t = 20, n × d = 40 × 100), ${cores} cores, records stored as they finish\n`);
  console.log("| workers | wall s | runs/s | speed-up | records identical |");
  console.log("|---|---|---|---|---|");
  console.log(`| 1 | ${fmt(one.s)} | ${fmt(n / one.s)} | 1 | – |`);
  console.log(`| ${cores} | ${fmt(all.s)} | ${fmt(n / all.s)} | ${fmt(one.s / all.s)} | ${one.rows === all.rows ? "yes" : "NO"} |`);
}

async function newColumn(dir: string): Promise<void> {
  const cores = availableParallelism();
  copyFileSync(storeFile(defaultStoreDir(), SPARSE_STORE), storeFile(dir, SPARSE_STORE));
  const grid = (lambdas: number[]): GridSpec => recoveryGrid({ alphas: [0.01, 0.1, 0.3, 1], lambdas, seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  const t0 = performance.now();
  const stored = await runSweep(grid([0, 0.2]), { dir, workers: cores });
  const tStored = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const fresh = await runSweep(grid([0, 1]), { dir, workers: cores });
  const tFresh = (performance.now() - t1) / 1000;
  console.log(`\nNotebook 05, one λ column not in the store (λ = 1: 4 α × 10 seeds, flowLimit to T = 200 + projection), ${cores} worker threads\n`);
  console.log("| request | points | from the store | computed | wall s |");
  console.log("|---|---|---|---|---|");
  console.log(`| λ ∈ {0, 0.2} (stored) | ${stored.report.points} | ${stored.report.cached} | ${stored.report.computed} | ${fmt(tStored)} |`);
  console.log(`| λ ∈ {0, 1} (λ = 1 new) | ${fresh.report.points} | ${fresh.report.cached} | ${fresh.report.computed} | ${fmt(tFresh)} |`);
  console.log(`\nper computed run: ${fmt(tFresh / Math.max(1, fresh.report.computed))} s of wall time on ${cores} threads`);
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-sweep-"));
  try {
    if (process.env.SWEEP_BENCH === "column") return await newColumn(dir);
    await kernels(dir);
    await speedup(dir);
    await newColumn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
