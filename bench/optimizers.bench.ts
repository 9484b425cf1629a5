/**
 * MGD speed on the DLN, measured in one run beside its references:
 * - single run: µs per iteration of createMomentumStepper (WebAssembly kernels), of the same stepper on the
 *   TypeScript reference kernels, of a plain C loop (bench/c/mgd.c, gcc -O3 -march=native, if gcc exists) and of
 *   a NumPy loop (bench/numpy/mgd.py, if python3 has NumPy). Targets: ≤ 1.3× C at 40 × 100, ≤ 1.1× C at
 *   1000 × 10000.
 * - batched: µs per run per iteration of R = 16 runs advanced together (createBatchedStepper). Targets: ≤ C's
 *   single run, and ≥ 2× cheaper than our own single run.
 * The final losses of the loops are compared to show they compute the same thing.
 * Run: npm run bench -- optimizers
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBatchedStepper } from "../lib/dynamics/batched";
import { createMomentumStepper } from "../lib/dynamics/optimizers";
import { useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";
import { sparseRegression, type Problem } from "../lib/model/problems";
import { compileC, compilerVersion, runCFile, writeProblem } from "./c-reference";
import { numpyVersion, runNumpy } from "./numpy-reference";
import { best, machineLoad, printTargets, timeMs, type TargetRow } from "./targets";

const RUN = { gamma: 0.002, beta: 0.9, alpha: 0.1 };
const R = 16;
const ROUNDS = 5;
const SIZES: Array<[number, number, number]> = [
  // n, d, target ratio to C (NaN: no target at this size)
  [40, 100, 1.3],
  [200, 1000, NaN],
  [1000, 10000, 1.1],
];

/** Iterations that take about `ms` milliseconds for our stepper (after a warm-up). */
function calibrate(p: Problem, ms: number): number {
  const s = createMomentumStepper(p, RUN);
  let k = 1;
  let t = 0;
  while (t < 50) {
    k *= 2;
    t = timeMs(() => s.step(k));
  }
  return Math.max(4, Math.round((ms * k) / t));
}

/** µs per iteration of one fresh single-run stepper on the current backend, and its final loss. */
function single(p: Problem, K: number): { us: number; loss: number } {
  const s = createMomentumStepper(p, RUN);
  const ms = timeMs(() => s.step(K));
  return { us: (1000 * ms) / K, loss: s.loss() };
}

/** µs per run per iteration of R batched runs (γ spread over [γ, 2γ)). */
function batched(p: Problem, K: number): number {
  const runs = Array.from({ length: R }, (_, r) => ({ ...RUN, gamma: RUN.gamma * (1 + r / R) }));
  const k = Math.max(2, Math.round(K / 4));
  const s = createBatchedStepper(p, runs);
  return (1000 * timeMs(() => s.step(k))) / k / R;
}

/**
 * Rounds interleaving ours (single and batched) with C, keeping each one's best: the machine is shared, and the
 * minimum is the least disturbed estimate of what each loop costs.
 */
function measure(p: Problem, K: number, exe: string | null, file: string): { ours: number; loss: number; batch: number; c: number; cLoss: number } {
  const out = { ours: Infinity, loss: NaN, batch: Infinity, c: Infinity, cLoss: NaN };
  for (let round = 0; round < ROUNDS; round++) {
    const s = single(p, K);
    out.ours = Math.min(out.ours, s.us);
    out.loss = s.loss;
    out.batch = Math.min(out.batch, batched(p, K));
    if (exe) {
      const c = runCFile(exe, file, p, K, RUN);
      out.c = Math.min(out.c, c.us);
      out.cLoss = c.loss;
    }
  }
  return out;
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-mgd-"));
  try {
    const exe = compileC(dir);
    const numpy = numpyVersion();
    console.log(`MGD on the DLN, γ = ${RUN.gamma}, β = ${RUN.beta}, α = ${RUN.alpha}; WebAssembly kernels ${wasmKernelsEnabled() ? "on" : "OFF"}; ` +
      `C: ${exe ? `${compilerVersion()}, -O3 -march=native` : "skipped"}; ${numpy ?? "NumPy skipped"}; ${machineLoad()}\n`);
    console.log("| n × d | iterations | ours µs/it | TS reference µs/it | C µs/it | NumPy µs/it | batched µs/it per run (R = 16) | final loss: ours; |ours − C| |");
    console.log("|---|---|---|---|---|---|---|---|");
    const rows: TargetRow[] = [];
    for (const [n, d, target] of SIZES) {
      const p = sparseRegression({ n, d, seed: 0, nTest: 0 });
      const K = calibrate(p, 400);
      const file = writeProblem(dir, p);
      const m = measure(p, K, exe, file);
      const ours = { us: m.ours, loss: m.loss };
      const c = { us: exe ? m.c : NaN, loss: m.cLoss };
      const b = m.batch;
      const previous = useWasmKernels(false);
      const ts = best(2, () => single(p, Math.max(4, Math.round(K / 3))).us);
      useWasmKernels(previous);
      const np = numpy ? runNumpy<{ us: number }>("mgd.py", [file, n, d, Math.max(4, Math.round(K / 4)), RUN.gamma, RUN.beta, RUN.alpha, 3])[0].us : NaN;
      const f = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : "–");
      console.log(`| ${n} × ${d} | ${K} | ${f(ours.us)} | ${f(ts)} | ${f(c.us)} | ${f(np)} | ${f(b)} | ${ours.loss.toExponential(4)}; ${f(Math.abs(ours.loss - c.loss))} |`);
      const size = `${n} × ${d}`;
      rows.push({ work: "MGD step", size, ours: ours.us, reference: c.us, against: "C -O3", unit: "µs", maxRatio: target });
      rows.push({ work: "batched MGD, per run", size, ours: b, reference: c.us, against: "C -O3 single run", unit: "µs", maxRatio: 1 });
      rows.push({ work: "batched MGD, per run", size, ours: b, reference: ours.us, against: "our single run", unit: "µs", maxRatio: 0.5 });
      rmSync(file);
    }
    printTargets("Targets (best of interleaved rounds; ratio < 1 means faster than the reference):", rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
