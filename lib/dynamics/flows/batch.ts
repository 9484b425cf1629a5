/**
 * Batched network flows: several runs on one data set (different λ, α or initial states) advance together, one solver
 * step each per round, and the force evaluations of a round are done four runs at a time:
 *
 *   residuals Rᵣ = X·wᵣ − y and gradients gᵣ = Xᵀ·Rᵣ/n for the four runs r, row by row of X,
 *
 * so each entry of X is loaded once per group. Every sum runs in exactly the order of lib/model/dln lossAndGradient
 * (over j within a row, over rows i for the gradient), so each run is bit-for-bit the flow momentumFlow computes on its
 * own: a sweep may group runs into batches any way it likes. Runs that the "auto" rule gives to dopri5 (λ = 0, or
 * method "dopri5") are integrated one after the other, as momentumFlow would.
 */
import type { DlnState } from "../../model/dln";
import { checkLambda } from "../../model/momentum";
import type { Problem } from "../../model/problems";
import type { ForceRequest } from "../ode/exp-adams";
import type { OdeResult } from "../ode/types";
import { checkOptionsObject, COMMON_FLOW_KEYS, dlnFlowSettings, rejectUnknownKeys } from "./options";
import { DlnFlowJob, withContext, type FlowResult } from "./run";
import { networkForce } from "./systems";

/** One run of a batch. */
export interface BatchedFlowRun {
  /** λ ≥ 0 (default 0: gradient flow). */
  lambda?: number;
  /** Initialisation scale α (default 0.1); ignored if `init` is given. */
  alpha?: number | Float64Array;
  /** Explicit initial (u₀, v₀). */
  init?: DlnState;
}

/** Options shared by every run of a batch (as for momentumFlow). */
export interface BatchedFlowOptions {
  T: number;
  times?: number[];
  rtol?: number;
  atol?: number;
  integrals?: boolean;
  stopLoss?: number;
  maxSteps?: number;
  method?: "auto" | "dopri5" | "exp-adams";
}

const RUN_KEYS = ["lambda", "alpha", "init"] as const;
const SHARED_KEYS = [...COMMON_FLOW_KEYS, "integrals", "stopLoss"] as const;

/** A run being stepped: its job, its stepper and the force evaluation it waits for. */
interface Active {
  index: number;
  job: DlnFlowJob;
  steps: Generator<ForceRequest, OdeResult, void>;
  pending: ForceRequest;
}

/**
 * Residuals r = X·w − y of up to four runs at once: each row of X is read once for the group, and each run's sum
 * runs over j in lossAndGradient's order. (A hot kernel.)
 */
function groupResiduals(p: Problem, w: Float64Array[], r: Float64Array[]): void {
  const { n, d, X, y } = p;
  const m = w.length;
  const w0 = w[0], w1 = w[m > 1 ? 1 : 0], w2 = w[m > 2 ? 2 : 0], w3 = w[m > 3 ? 3 : 0];
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const x = X[row + j];
      s0 += x * w0[j];
      s1 += x * w1[j];
      s2 += x * w2[j];
      s3 += x * w3[j];
    }
    const yi = y[i];
    r[0][i] = s0 - yi;
    if (m > 1) r[1][i] = s1 - yi;
    if (m > 2) r[2][i] = s2 - yi;
    if (m > 3) r[3][i] = s3 - yi;
  }
}

/**
 * Gradient sums g += Xᵀ·r of up to four runs at once, rows in order; a row where some run's residual is exactly 0 is
 * skipped for that run, as lossAndGradient's matTVec skips it. (A hot kernel.)
 */
function groupGradients(p: Problem, r: Float64Array[], g: Float64Array[]): void {
  const { n, d, X } = p;
  const m = r.length;
  for (const gi of g) gi.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let all = m === 4;
    for (let k = 0; k < m; k++) if (r[k][i] === 0) all = false;
    if (all) {
      const a0 = r[0][i], a1 = r[1][i], a2 = r[2][i], a3 = r[3][i];
      const g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3];
      for (let j = 0; j < d; j++) {
        const x = X[row + j];
        g0[j] += x * a0;
        g1[j] += x * a1;
        g2[j] += x * a2;
        g3[j] += x * a3;
      }
      continue;
    }
    for (let k = 0; k < m; k++) {
      const a = r[k][i];
      if (a === 0) continue;
      const gk = g[k];
      for (let j = 0; j < d; j++) gk[j] += X[row + j] * a;
    }
  }
}

/** The forces of all waiting runs, in groups of four: g = Xᵀ(X·w − y)/n, then f = (−g⊙v, −g⊙u). */
function batchedForces(p: Problem, active: Active[]): void {
  const d = p.d;
  const inv = 1 / p.n;
  for (let start = 0; start < active.length; start += 4) {
    const group = active.slice(start, start + 4);
    const w = group.map((a) => a.job.scratch.w), r = group.map((a) => a.job.scratch.r), g = group.map((a) => a.job.scratch.g);
    group.forEach((a, k) => {
      const x = a.pending.x;
      for (let j = 0; j < d; j++) w[k][j] = x[j] * x[d + j];
    });
    groupResiduals(p, w, r);
    groupGradients(p, r, g);
    group.forEach((a, k) => {
      for (let j = 0; j < d; j++) g[k][j] *= inv;
      networkForce(d, a.pending.x, g[k], a.pending.out);
    });
  }
}

/** Resume a run after its force was written; false when it has finished (its result is stored). */
function resume(a: Active, results: FlowResult[]): boolean {
  const r = withContext(`${a.job.context}, run ${a.index}`, () => a.steps.next());
  if (r.done) {
    results[a.index] = a.job.result(r.value);
    return false;
  }
  a.pending = r.value;
  return true;
}

/**
 * Several network flows on the same problem at once (one per entry of `runs`), each identical bit for bit to
 * momentumFlow(p, { ...opts, ...run }).
 * @param p regression problem (shared by every run)
 * @param runs per run: lambda (λ ≥ 0), alpha (α) or init
 * @param opts shared: T, times, rtol, atol, integrals, stopLoss, maxSteps, method
 * @returns one FlowResult per run, in order
 * @throws RangeError/TypeError for bad or unknown options (naming the run); Error naming the run and t if a solver fails.
 * @example momentumFlowBatched(sparseRegression(), [{ lambda: 0.01 }, { lambda: 0.1 }, { lambda: 1 }], { T: 200 })
 */
export function momentumFlowBatched(p: Problem, runs: BatchedFlowRun[], opts: BatchedFlowOptions): FlowResult[] {
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError(`runs must be a non-empty array of { lambda, alpha | init }, got ${Array.isArray(runs) ? "array(0)" : typeof runs}`);
  checkOptionsObject("momentumFlowBatched", opts);
  rejectUnknownKeys("momentumFlowBatched", opts, SHARED_KEYS);
  const jobs = runs.map((run, k) => {
    checkOptionsObject(`momentumFlowBatched: runs[${k}]`, run);
    rejectUnknownKeys(`momentumFlowBatched: runs[${k}]`, run, RUN_KEYS);
    const lambda = checkLambda(run.lambda ?? 0, true);
    return new DlnFlowJob(p, lambda, dlnFlowSettings(p, { ...opts, alpha: run.alpha, init: run.init }), "momentumFlowBatched");
  });
  const results: FlowResult[] = new Array(jobs.length);
  let active: Active[] = [];
  jobs.forEach((job, index) => {
    if (job.solver === "dopri5") {
      results[index] = job.result(job.solve());
      return;
    }
    const a: Active = { index, job, steps: job.expAdams().steps, pending: null as unknown as ForceRequest };
    if (resume(a, results)) active.push(a);
  });
  while (active.length > 0) {
    batchedForces(p, active);
    active = active.filter((a) => resume(a, results));
  }
  return results;
}
