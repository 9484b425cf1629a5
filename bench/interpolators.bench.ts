/**
 * Cost of the implicit-regularisation solver minPsiInterpolator (dual Newton) on sparse problems (k = 5 at
 * 40 × 100, k = 20 at 400 × 4000; seed 0) for uniform Δ ∈ {1e-8, 1e-4, 1e-2, 1}, beside a NumPy dual Newton
 * (bench/numpy/dual_newton.py: the same method with a new Newton matrix and Cholesky factor every iteration, run
 * where python3 has NumPy; with OpenBLAS's default threads and with one thread, the faster one is the target's
 * reference) measured in the same run, in interleaved rounds (best of each). Both stop at the same
 * relative residual ‖Xw − y‖/‖y‖ ≤ 1e-12, printed for each. Target: ours ≤ NumPy at both sizes for every Δ.
 * Also: the TypeScript reference kernels at 40 × 100, and basis pursuit (HiGHS LP) at 40 × 100, for scale.
 * Run: npm run bench -- interpolators
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minPsiInterpolator, type MinPsiResult } from "../lib/bias/interpolators";
import { basisPursuit } from "../lib/bias/l1";
import { useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";
import { kernelThreadsReady } from "../lib/core/wasm/threads";
import { sparseRegression, type Problem } from "../lib/model/problems";
import { writeProblem } from "./c-reference";
import { numpyVersion, runNumpy } from "./numpy-reference";
import { best, machineLoad, printTargets, timeMs, type TargetRow } from "./targets";

const DELTAS = [1e-8, 1e-4, 1e-2, 1];
const SIZES = [
  { n: 40, d: 100, k: 5, rounds: 7 },
  { n: 400, d: 4000, k: 20, rounds: 3 },
];

interface NumpyRun {
  delta: number;
  ms: number;
  iterations: number;
  residual: number;
}

interface Measured {
  ours: { ms: number; r: MinPsiResult }[];
  /** NumPy with OpenBLAS's default threads, and with one thread (faster on a busy machine). */
  numpy: NumpyRun[];
  numpy1: NumpyRun[];
}

/** Interleaved rounds: every Δ ours, then every Δ NumPy (one process per round); the best time of each. */
function measure(p: Problem, file: string, rounds: number, withNumpy: boolean): Measured {
  const ours = DELTAS.map(() => ({ ms: Infinity, r: null as unknown as MinPsiResult }));
  const numpy: NumpyRun[] = DELTAS.map((delta) => ({ delta, ms: Infinity, iterations: NaN, residual: NaN }));
  const numpy1: NumpyRun[] = numpy.map((r) => ({ ...r }));
  for (let round = 0; round < rounds; round++) {
    DELTAS.forEach((D, i) => {
      let r!: MinPsiResult;
      const ms = timeMs(() => (r = minPsiInterpolator(p, D)));
      if (ms < ours[i].ms) ours[i] = { ms, r };
    });
    if (!withNumpy) continue;
    for (const [threads, best] of [[undefined, numpy], [1, numpy1]] as const) {
      runNumpy<NumpyRun>("dual_newton.py", [file, p.n, p.d, DELTAS.join(","), 1], threads).forEach((run, i) => {
        if (run.ms < best[i].ms) best[i] = run;
      });
    }
  }
  return { ours, numpy, numpy1 };
}

export default async function (): Promise<void> {
  const threads = await kernelThreadsReady();
  const numpy = numpyVersion();
  console.log(`minPsiInterpolator: WebAssembly kernels ${wasmKernelsEnabled() ? "on" : "OFF"}, ${threads} thread(s); reference: ${numpy ?? "NumPy skipped"}; ${machineLoad()}\n`);
  console.log("| size | Δ | ours ms | Newton iterations (new factors) | ours ‖Xw−y‖/‖y‖ | NumPy ms (all cores; 1 thread) | NumPy iterations | NumPy ‖Xw−y‖/‖y‖ |");
  console.log("|---|---|---|---|---|---|---|---|");
  const dir = mkdtempSync(join(tmpdir(), "bench-psi-"));
  const rows: TargetRow[] = [];
  const e = (x: number): string => (Number.isFinite(x) ? x.toExponential(1) : "–");
  try {
    for (const { n, d, k, rounds } of SIZES) {
      const p = sparseRegression({ n, d, k, seed: 0, nTest: 0 });
      const file = writeProblem(dir, p);
      minPsiInterpolator(p, 1e-2); // warm-up (JIT)
      const m = measure(p, file, rounds, numpy !== null);
      DELTAS.forEach((D, i) => {
        const { ms, r } = m.ours[i];
        const np = m.numpy[i];
        const np1 = m.numpy1[i];
        console.log(`| ${n} × ${d} | ${D} | ${ms.toFixed(1)} | ${r.iterations} (${r.factorizations}) | ${e(r.kktResidual)} | ${np.ms.toFixed(1)}; ${np1.ms.toFixed(1)} | ${np.iterations} | ${e(np.residual)} |`);
        // the target is against the faster NumPy of the two in this run
        const fast = np1.ms < np.ms;
        rows.push({ work: `argmin ψ_Δ, Δ = ${D}`, size: `${n} × ${d}`, ours: ms, reference: fast ? np1.ms : np.ms, against: fast ? "NumPy (1 thread)" : "NumPy", unit: "ms", maxRatio: 1 });
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await references(rows);
  printTargets("Targets (best of interleaved rounds; same stopping residual 1e-12):", rows);
}

/** Informational rows at 40 × 100: the TypeScript reference kernels, and basis pursuit by HiGHS. */
async function references(rows: TargetRow[]): Promise<void> {
  const p = sparseRegression({ seed: 0 });
  const ours = best(5, () => timeMs(() => minPsiInterpolator(p, 1e-8)));
  const previous = useWasmKernels(false);
  const ts = best(5, () => timeMs(() => minPsiInterpolator(p, 1e-8)));
  useWasmKernels(previous);
  rows.push({ work: "argmin ψ_Δ, Δ = 1e-8", size: "40 × 100", ours, reference: ts, against: "TypeScript reference kernels", unit: "ms", maxRatio: NaN });
  await basisPursuit(p); // loads HiGHS's WebAssembly module
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await basisPursuit(p);
    times.push(performance.now() - t);
  }
  rows.push({ work: "basis pursuit (HiGHS LP), for scale", size: "40 × 100", ours, reference: Math.min(...times), against: "HiGHS", unit: "ms", maxRatio: NaN, note: "ours: Δ = 1e-8" });
}
