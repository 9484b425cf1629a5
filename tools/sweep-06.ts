/**
 * The SMGD sweep behind notebooks/06-stochastic-momentum.ipynb (science.md §3.6, §4 E8, §7 claim 17), cached
 * because the whole grid takes about a minute (full-batch MGD at β = 0.98, λ = 0.05 alone needs 4·10⁵ iterations
 * of 40 rows per seed).
 *
 * Run:  npx tsx tools/sweep-06.ts                 (writes data/sweeps/06-smgd.json)
 *       npx tsx tools/sweep-06.ts --seeds 0 --out /tmp/06.json   (a quick partial run)
 *
 * For each seed s: the problem sparseRegression({ seed: s }) (n = 40, d = 100, k = 5), α = 0.1, and
 *   - GF: its limit argmin_{Xw=y} ψ_{Δ₀}(w) (exact for GF from u₀ = √2α, v₀ = 0; science.md claim 11)
 *   - MGF_λ (dopri5, rtol 1e-8) for λ ∈ LAMBDAS
 *   - full-batch MGD and SMGD (batch ∈ BATCHES, sampler seed s) for λ ∈ LAMBDAS, β ∈ BETAS, γ = λ(1−β)²
 *   - full-batch GD and SGD (batch 1, sampler seed s) for γ ∈ SGD_GAMMAS
 * Every discrete run stops at the first check with full-batch loss < TOL, checking once per unit of continuous
 * time (every round(1/h) iterations, h = γ/(1−β)), so the stochastic runs do not pay a full-batch loss per step.
 * The notebook defines the same stopping helper (runToLoss) and recomputes a slice of this grid to check it
 * against the file bit for bit.
 */
import { createHash } from "node:crypto";
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createMomentumStepper, type StepperOptions } from "../lib/dynamics/optimizers";
import { momentumFlow } from "../lib/dynamics/flows";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { distance } from "../lib/core/linalg";
import { recoveryError, sparseRegression, type Problem } from "../lib/model/problems";

export const CONFIG = {
  problem: { n: 40, d: 100, k: 5, noise: 0 },
  alpha: 0.1,
  lambdas: [0.05, 0.2],
  betas: [0.9, 0.95, 0.98],
  batches: [1, 10],
  sgdGammas: [0.01, 0.05],
  /** Stop at the first check with full-batch loss below this. */
  tol: 1e-10,
  /** Give up (throw) past this continuous time. */
  maxTime: 5000,
  mgfRtol: 1e-8,
};

/** A finished discrete run: final iterate, Δ∞ = u² − v², iterations, continuous time, loss, wall time. */
export interface RunToLoss {
  w: Float64Array;
  delta: Float64Array;
  K: number;
  t: number;
  loss: number;
  ms: number;
}

/**
 * Run MGD/SMGD until the full-batch loss is < tol, checking once per unit of continuous time.
 * @param p problem; @param opts stepper options (alpha, gamma = γ, beta = β, batchSize, seed)
 * @param tol loss target; @param maxTime continuous-time cap (throws past it)
 */
export function runToLoss(p: Problem, opts: StepperOptions, tol: number, maxTime = 5000): RunToLoss {
  const t0 = performance.now();
  const s = createMomentumStepper(p, opts);
  const every = Math.max(1, Math.round(1 / s.h));
  while (s.loss() >= tol) {
    if (s.t > maxTime) throw new Error(`runToLoss: loss ${s.loss()} ≥ ${tol} at t = ${s.t} (γ = ${s.gamma}, β = ${s.beta}, batch ${s.batchSize})`);
    s.step(every);
  }
  const st = s.state();
  return { w: st.w, delta: st.delta!, K: st.k, t: st.t, loss: st.loss, ms: performance.now() - t0 };
}

export interface SweepRecord {
  seed: number;
  kind: "GF" | "MGF" | "MGD" | "SMGD" | "GD" | "SGD";
  /** Batch size (n = 40 for full batch; null for the flows). */
  batch: number | null;
  lambda: number;
  beta: number | null;
  gamma: number | null;
  K: number | null;
  t: number | null;
  loss: number;
  /** ‖w∞ − w*‖ (the science.md "test err"). */
  err: number;
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
  ratioMedianOn: number;
  ratioMedianOff: number;
  ratioMinOn: number;
  ratioMinOff: number;
  /** ‖w∞ − argmin ψ_{Δ∞}‖ with the run's own Δ∞. */
  psiResidual: number;
  /** ‖w∞ − argmin ψ_{Δ₀}‖ (the GF limit): how far the run moved from GF's solution. */
  distGF: number;
  /** Full-batch reference at the same λ (and β, γ): MGD for SMGD, GD for SGD; null otherwise. */
  vsFull: Gap | null;
  /** Versus MGF_λ (the β → 1 limit at fixed λ); null for GF/MGF and for SGD/GD. */
  vsMGF: Gap | null;
  ms: number;
}

export interface Gap {
  /** |err − err_ref|. */
  err: number;
  /** ‖w∞ − w∞_ref‖. */
  w: number;
  /** median_j |ln(Δ∞_j/Δ∞_ref,j)| (robust; the max is dominated by one or two coordinates). */
  logDeltaMedian: number;
  /** mean_j ln(Δ∞_j/Δ∞_ref,j), signed: < 0 when the run shrank Δ more than the reference. */
  logDeltaMean: number;
  /** max_j |ln(Δ∞_j/Δ∞_ref,j)|. */
  logDeltaMax: number;
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

function ratioStats(p: Problem, delta: Float64Array, Delta0: number) {
  const r = Array.from(delta, (x) => x / Delta0);
  const on = r.filter((_, j) => p.wStar![j] !== 0);
  const off = r.filter((_, j) => p.wStar![j] === 0);
  return {
    ratioMedian: median(r),
    ratioMin: Math.min(...r),
    ratioMax: Math.max(...r),
    ratioMedianOn: median(on),
    ratioMedianOff: median(off),
    ratioMinOn: Math.min(...on),
    ratioMinOff: Math.min(...off),
  };
}

function gap(a: { err: number; w: Float64Array; delta: Float64Array }, b: { err: number; w: Float64Array; delta: Float64Array }): Gap {
  const l = Array.from(a.delta, (x, j) => Math.log(x / b.delta[j]));
  const abs = l.map(Math.abs);
  return {
    err: Math.abs(a.err - b.err),
    w: distance(a.w, b.w),
    logDeltaMedian: median(abs),
    logDeltaMean: l.reduce((s, x) => s + x, 0) / l.length,
    logDeltaMax: Math.max(...abs),
  };
}

/** All records of one seed (see the file comment). */
export function sweepSeed(seed: number, log: (s: string) => void = () => {}): SweepRecord[] {
  const c = CONFIG;
  const p = sparseRegression({ ...c.problem, seed });
  const Delta0 = 2 * c.alpha * c.alpha;
  const gf = minPsiInterpolator(p, Delta0).w;
  type Done = { err: number; w: Float64Array; delta: Float64Array };
  const out: SweepRecord[] = [];
  const record = (
    kind: SweepRecord["kind"],
    meta: { batch: number | null; lambda: number; beta: number | null; gamma: number | null; K: number | null; t: number | null; loss: number; ms: number },
    w: Float64Array,
    delta: Float64Array,
    full: Done | null,
    mgf: Done | null,
  ): Done => {
    const err = recoveryError(p, w);
    const done = { err, w, delta };
    const psiResidual = delta.every((x) => x > 0) ? distance(w, minPsiInterpolator(p, delta).w) : NaN;
    out.push({
      seed, kind, ...meta, err, ...ratioStats(p, delta, Delta0), psiResidual, distGF: distance(w, gf),
      vsFull: full ? gap(done, full) : null, vsMGF: mgf ? gap(done, mgf) : null,
    });
    log(`seed ${seed} ${kind} batch ${meta.batch} λ ${meta.lambda} β ${meta.beta} γ ${meta.gamma}: K ${meta.K}, err ${err.toFixed(4)}, ${meta.ms.toFixed(0)} ms`);
    return done;
  };
  record("GF", { batch: null, lambda: 0, beta: null, gamma: null, K: null, t: null, loss: 0, ms: 0 }, gf, new Float64Array(p.d).fill(Delta0), null, null);
  for (const lambda of c.lambdas) {
    const t0 = performance.now();
    const f = momentumFlow(p, { lambda, alpha: c.alpha, T: c.maxTime, stopLoss: c.tol, rtol: c.mgfRtol, times: [0] });
    const fu = f.final.u;
    const fv = f.final.v;
    const fd = Float64Array.from(fu, (x, j) => x * x - fv[j] * fv[j]);
    const mgf = record("MGF", { batch: null, lambda, beta: null, gamma: null, K: null, t: f.final.t, loss: f.final.loss, ms: performance.now() - t0 }, f.final.w, fd, null, null);
    for (const beta of c.betas) {
      const gamma = lambda * (1 - beta) ** 2;
      const r = runToLoss(p, { alpha: c.alpha, gamma, beta }, c.tol, c.maxTime);
      const full = record("MGD", { batch: p.n, lambda, beta, gamma, K: r.K, t: r.t, loss: r.loss, ms: r.ms }, r.w, r.delta, null, mgf);
      for (const batch of c.batches) {
        const s = runToLoss(p, { alpha: c.alpha, gamma, beta, batchSize: batch, seed }, c.tol, c.maxTime);
        record("SMGD", { batch, lambda, beta, gamma, K: s.K, t: s.t, loss: s.loss, ms: s.ms }, s.w, s.delta, full, mgf);
      }
    }
  }
  for (const gamma of c.sgdGammas) {
    const r = runToLoss(p, { alpha: c.alpha, gamma }, c.tol, c.maxTime);
    const full = record("GD", { batch: p.n, lambda: gamma, beta: 0, gamma, K: r.K, t: r.t, loss: r.loss, ms: r.ms }, r.w, r.delta, null, null);
    const s = runToLoss(p, { alpha: c.alpha, gamma, batchSize: 1, seed }, c.tol, c.maxTime);
    record("SGD", { batch: 1, lambda: gamma, beta: 0, gamma, K: s.K, t: s.t, loss: s.loss, ms: s.ms }, s.w, s.delta, full, null);
  }
  return out;
}

function provenance(root: string, seeds: number[], command: string, wallMs: number) {
  const git = (args: string): string => {
    try {
      return execSync(`git ${args}`, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "unknown";
    }
  };
  const files = ["lib/optimizers.ts", "lib/flows.ts", "lib/ode.ts", "lib/interpolators.ts", "lib/problems.ts", "lib/random.ts", "lib/linalg.ts", "tools/sweep-06.ts"];
  const sha256: Record<string, string> = {};
  for (const f of files) sha256[f] = createHash("sha256").update(readFileSync(join(root, f))).digest("hex").slice(0, 16);
  const dirty = git(`status --porcelain -- ${files.join(" ")}`);
  return {
    command,
    date: new Date().toISOString(),
    gitCommit: git("rev-parse HEAD"),
    // the files the numbers depend on, hashed, since they may be uncommitted when the sweep runs
    uncommittedFiles: dirty === "" ? [] : dirty.split("\n").map((l) => l.slice(3)),
    sha256,
    node: process.version,
    seeds,
    config: CONFIG,
    wallMs,
  };
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const argv = process.argv.slice(2);
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seeds = (arg("--seeds") ?? "0,1,2").split(",").map((x) => {
    const s = Number(x);
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`--seeds must be comma-separated integers ≥ 0, got "${x}"`);
    return s;
  });
  const outPath = arg("--out") ?? join(root, "data", "sweeps", "06-smgd.json");
  const t0 = performance.now();
  const records = seeds.flatMap((s) => sweepSeed(s, (m) => console.log(m)));
  const wallMs = performance.now() - t0;
  const command = `npx tsx tools/sweep-06.ts${argv.length ? " " + argv.join(" ") : ""}`;
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify({ format: "momentum-dln/sweep-06@1", provenance: provenance(root, seeds, command, wallMs), records }, null, 1) + "\n");
  console.log(`wrote ${relative(process.cwd(), outPath)}: ${records.length} records in ${(wallMs / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
