/**
 * Batched network flows: several runs on one data set (different λ, α or initial states) advance together, one solver
 * step each per round, and the force evaluations of a round share one pass over X (flows/gradient.ts: each block of
 * eight rows serves every run before the next is read). Each run's sums run in the order they run in alone, so each
 * run is bit-for-bit the flow momentumFlow computes on its own: a sweep may group runs into batches any way it likes.
 * Runs that the "auto" rule gives to dopri5 (λ = 0, or method "dopri5") are integrated one after the other, as
 * momentumFlow would. Measured (`npm run bench -- flows`), a batch of five λ on 40×100 or 100×500 takes as long as the
 * five flows one by one: X stays in cache there and the kernel is compute-bound, so sharing its reads saves nothing.
 */
import type { DlnState } from "../../model/dln";
import { checkLambda } from "../../model/momentum";
import type { Problem } from "../../model/problems";
import type { ForceRequest } from "../ode/exp-adams";
import type { OdeResult } from "../ode/types";
import type { FlowOptions } from "../flows";
import { checkOptionsObject, COMMON_FLOW_KEYS, dlnFlowSettings, rejectUnknownKeys } from "./options";
import { DlnFlowJob, withContext, type FlowResult } from "./run";
import { gradientKernel, type GradientKernel } from "./gradient";
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

/** Options shared by every run of a batch: momentumFlow's, less those of a run (RUN_KEYS). */
export type BatchedFlowOptions = Omit<FlowOptions, "lambda" | "alpha" | "init">;

const RUN_KEYS = ["lambda", "alpha", "init"] as const;
const SHARED_KEYS = [...COMMON_FLOW_KEYS, "integrals", "stopLoss"] as const;

/** A run being stepped: its job, its stepper and the force evaluation it waits for. */
interface Active {
  index: number;
  job: DlnFlowJob;
  steps: Generator<ForceRequest, OdeResult, void>;
  pending: ForceRequest;
}

/** The forces of all waiting runs: their gradients by the batch's kernel (flows/gradient.ts), then f = (−g⊙v, −g⊙u). */
function batchedForces(p: Problem, gradients: GradientKernel, active: Active[]): void {
  const d = p.d;
  const ws = active.map((a) => a.job.scratch.w), gs = active.map((a) => a.job.scratch.g);
  active.forEach((a, k) => {
    const x = a.pending.x, w = ws[k];
    for (let j = 0; j < d; j++) w[j] = x[j] * x[d + j];
  });
  gradients(ws, gs);
  active.forEach((a, k) => networkForce(d, a.pending.x, gs[k], a.pending.out));
}

/** Resume a run after its force was written; false when it has finished (its result is stored). */
function resume(a: Active, results: FlowResult[]): boolean {
  const r = withContext(`${a.job.context}, run ${a.index}`, () => a.steps.next());
  // Casts, not narrowing: tslab compiles without strictNullChecks, where `done` does not narrow the union.
  if (r.done) {
    results[a.index] = a.job.result(r.value as OdeResult);
    return false;
  }
  a.pending = r.value as ForceRequest;
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
  const gradients = gradientKernel(p);
  while (active.length > 0) {
    batchedForces(p, gradients, active);
    active = active.filter((a) => resume(a, results));
  }
  return results;
}
