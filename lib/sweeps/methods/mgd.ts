/**
 * Sweep methods "mgd" (GD/MGD/SGD/SMGD with a stop rule) and "mgf" (the momentum flow to a horizon T). Full-batch mgd
 * runs on one problem are advanced together by lib/dynamics/batched.ts, whose kernel is bit-identical to a single
 * run, so results never depend on how runs are grouped.
 */
import { checkChoice, checkInteger, checkNumber } from "../../core/validate";
import { runMomentumBatched, type BatchedOutcome } from "../../dynamics/batched";
import { momentumFlow } from "../../dynamics/flows";
import { DivergenceError, IterationLimitError, runMomentum, type RunResult, type StopRule } from "../../dynamics/optimizers";
import { lambdaOf, paramsForLambda } from "../../model/momentum";
import { recoveryError, testLoss, type Problem } from "../../model/problems";
import { hash32 } from "../hash";
import { checkParamNames, finiteOrNull, median, type Json, type Outcome, type SweepMethod } from "../method";
import { buildProblem, normalizeProblem, problemSeed, type NormalizedProblem } from "../problem-spec";

/** Optional fields of an mgd/mgf record. */
export const RECORD_KEYS = ["wError", "testLoss", "deltaSummary", "deltaRatio", "w"] as const;
export type RecordKey = (typeof RECORD_KEYS)[number];

function checkStop(stop: unknown, flow: boolean): StopRule {
  if (stop === null || typeof stop !== "object") throw new TypeError("stop must be an object { time?, iterations?, loss? }");
  const s = stop as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!["time", "iterations", "loss"].includes(k)) throw new RangeError(`stop has unknown rule "${k}" (allowed: time, iterations, loss)`);
  const out: StopRule = {};
  if (s.iterations !== undefined) out.iterations = checkInteger("stop.iterations", s.iterations, { min: 0 });
  if (s.time !== undefined) out.time = checkNumber("stop.time", s.time, { min: 0, minOpen: true });
  if (s.loss !== undefined) out.loss = checkNumber("stop.loss", s.loss, { min: 0, minOpen: true });
  if (flow && (out.time === undefined || out.iterations !== undefined)) throw new RangeError('method "mgf" needs stop.time (the horizon T) and takes no stop.iterations');
  if (out.time === undefined && out.iterations === undefined && out.loss === undefined) throw new RangeError("stop needs at least one rule: time, iterations or loss");
  return out;
}

function checkRecord(record: unknown): RecordKey[] {
  const r = record ?? ["wError", "testLoss", "deltaSummary"];
  if (!Array.isArray(r)) throw new TypeError(`record must be an array of ${RECORD_KEYS.join(", ")}`);
  r.forEach((x, i) => checkChoice(`record[${i}]`, x, RECORD_KEYS));
  return RECORD_KEYS.filter((k) => r.includes(k));
}

/** The measured fields of a final state (those listed in `record`). */
export function finalFields(p: Problem, record: readonly string[], alpha: number, w: Float64Array, u: Float64Array, v: Float64Array): Record<string, Json> {
  const out: Record<string, Json> = {};
  const want = new Set(record);
  if (want.has("wError")) out.wError = p.wStar ? finiteOrNull(recoveryError(p, w)) : null;
  if (want.has("testLoss")) out.testLoss = p.test ? finiteOrNull(testLoss(p, w)) : null;
  const D0 = 2 * alpha * alpha;
  const ratio = Float64Array.from(u, (x, j) => (x * x - v[j] * v[j]) / D0);
  if (want.has("deltaSummary")) {
    let on = 0;
    let nOn = 0;
    let off = 0;
    for (let j = 0; j < p.d; j++) {
      if (p.wStar && p.wStar[j] !== 0) {
        on += ratio[j];
        nOn++;
      } else off += ratio[j];
    }
    out.deltaSummary = {
      min: finiteOrNull(Math.min(...ratio)),
      median: finiteOrNull(median(ratio)),
      max: finiteOrNull(Math.max(...ratio)),
      support: p.wStar && nOn > 0 ? finiteOrNull(on / nOn) : null,
      offSupport: p.wStar && p.d - nOn > 0 ? finiteOrNull(off / (p.d - nOn)) : null,
    };
  }
  if (want.has("deltaRatio")) out.deltaRatio = Array.from(ratio, finiteOrNull);
  if (want.has("w")) out.w = Array.from(w, finiteOrNull);
  return out;
}

function fromError(q: Record<string, Json>, e: unknown): Outcome {
  const h = ((q.gamma as number) ?? 0) / (1 - ((q.beta as number) ?? 0));
  if (e instanceof DivergenceError) {
    return { status: "diverged", out: { iterations: e.iteration, time: e.iteration * h, loss: finiteOrNull(e.loss), divergedAt: e.iteration, bound: e.bound }, message: e.message };
  }
  if (e instanceof IterationLimitError) return { status: "limit", out: { iterations: e.iteration, time: e.iteration * h, loss: finiteOrNull(e.loss) }, message: e.message };
  throw e;
}

function fromRun(p: Problem, q: Record<string, Json>, r: RunResult): Outcome {
  return {
    status: "ok",
    out: { iterations: r.iterations, time: r.time, loss: finiteOrNull(r.loss), stopReason: r.stopReason, ...finalFields(p, q.record as string[], q.alpha as number, r.w, r.u as Float64Array, r.v as Float64Array) },
  };
}

const MGD_PARAMS = ["lambda", "gamma", "beta", "alpha", "batchSize", "batchSeed", "seeding", "stop", "maxIterations", "record", "batch"] as const;

function momentumParams(params: Record<string, unknown>): { gamma: number; beta: number; lambda: number } {
  const has = (k: string): boolean => params[k] !== undefined && params[k] !== null;
  const given = ["lambda", "gamma", "beta"].filter(has);
  if (given.length === 3) throw new RangeError("give two of lambda, gamma, beta (the third follows from λ = γ/(1−β)²), not all three");
  if (has("lambda") && has("beta")) return paramsForLambda({ lambda: params.lambda as number, beta: params.beta as number });
  if (has("lambda") && has("gamma")) return paramsForLambda({ lambda: params.lambda as number, gamma: params.gamma as number });
  if (has("gamma")) {
    const gamma = checkNumber("gamma", params.gamma, { min: 0, minOpen: true });
    const beta = (params.beta as number | undefined) ?? 0;
    return { gamma, beta, lambda: lambdaOf(gamma, beta) };
  }
  throw new RangeError(`method "mgd" needs two of lambda, gamma, beta (or gamma alone for GD), got ${given.join(", ") || "none"}`);
}

export const mgdMethod: SweepMethod = {
  name: "mgd",
  version: "2",
  summary: "GD/MGD/SGD/SMGD with a stop rule (time, iterations, loss); final loss, wError, testLoss, Δ∞/Δ₀ summary",
  params: MGD_PARAMS,
  normalize(params, problem): Record<string, Json> {
    checkParamNames("mgd", params, MGD_PARAMS);
    const m = momentumParams(params);
    const n = "n" in problem ? problem.n : Infinity;
    const bs = params.batchSize === undefined || params.batchSize === null ? null : checkInteger("batchSize", params.batchSize, { min: 1 });
    if (bs !== null && bs > n) throw new RangeError(`batchSize = ${bs} exceeds the number of samples n = ${n}`);
    const stochastic = bs !== null && bs < n;
    const seeding = checkChoice("seeding", params.seeding ?? "paired", ["paired", "independent"] as const);
    const batchSeed = checkInteger("batchSeed", params.batchSeed ?? 0, { min: 0 });
    const coords = seeding === "paired" ? [problemSeed(problem), batchSeed] : [problemSeed(problem), bs, params.alpha ?? 0.1, m.lambda, m.gamma, m.beta, batchSeed];
    return {
      lambda: m.lambda,
      gamma: m.gamma,
      beta: m.beta,
      alpha: checkNumber("alpha", params.alpha ?? 0.1, { min: 0, minOpen: true }),
      batchSize: stochastic ? bs : null,
      samplerSeed: stochastic ? hash32(`sampler:${JSON.stringify(coords)}`) : null,
      stop: { ...checkStop(params.stop, false) },
      maxIterations: checkInteger("maxIterations", params.maxIterations ?? 1e7, { min: 1 }),
      record: checkRecord(params.record),
    };
  },
  batchKey(q): string | null {
    return q.batchSize === null ? JSON.stringify([q.stop, q.maxIterations, q.record]) : null;
  },
  batchLimit(): number {
    return 16;
  },
  run(p, q): Outcome {
    try {
      const r = runMomentum(p, {
        gamma: q.gamma as number,
        beta: q.beta as number,
        alpha: q.alpha as number,
        batchSize: (q.batchSize as number | null) ?? p.n,
        seed: (q.samplerSeed as number | null) ?? 0,
        stop: q.stop as StopRule,
        maxIterations: q.maxIterations as number,
      });
      return fromRun(p, q, r);
    } catch (e) {
      return fromError(q, e);
    }
  },
  runBatch(p, qs): Outcome[] {
    const runs = qs.map((q) => ({ gamma: q.gamma as number, beta: q.beta as number, alpha: q.alpha as number }));
    let out: BatchedOutcome[];
    try {
      out = runMomentumBatched(p, runs, { stop: qs[0].stop as StopRule, maxIterations: qs[0].maxIterations as number });
    } catch (e) {
      return qs.map((q) => fromError(q, e));
    }
    return qs.map((q, i) => (out[i].result ? fromRun(p, q, out[i].result as RunResult) : fromError(q, out[i].error)));
  },
  probe(): Json {
    const spec = normalizeProblem({ n: 11, d: 12, k: 2, nTest: 5, seed: 1 });
    const p = buildProblem(spec);
    const qs = [0.05, 0.3].map((lambda) => this.normalize({ lambda, beta: 0.5, alpha: 0.3, stop: { iterations: 50 }, record: ["wError", "testLoss", "deltaRatio"] }, spec));
    const single = qs.map((q) => this.run(p, q, spec).out);
    const sgd = this.run(p, this.normalize({ gamma: 0.05, batchSize: 2, alpha: 0.3, stop: { iterations: 50 }, record: ["w"] }, spec), spec).out;
    return [single, (this.runBatch as NonNullable<SweepMethod["runBatch"]>)(p, qs, spec).map((o) => o.out), sgd];
  },
};

const MGF_PARAMS = ["lambda", "alpha", "stop", "rtol", "atol", "record"] as const;

export const mgfMethod: SweepMethod = {
  name: "mgf",
  version: "2",
  summary: "the momentum flow MGF_λ (dopri5) to a horizon T (or a loss); final loss, wError, testLoss, Δ∞/Δ₀ summary",
  params: MGF_PARAMS,
  normalize(params): Record<string, Json> {
    checkParamNames("mgf", params, MGF_PARAMS);
    return {
      lambda: checkNumber("lambda", params.lambda ?? 0, { min: 0 }),
      alpha: checkNumber("alpha", params.alpha ?? 0.1, { min: 0, minOpen: true }),
      stop: { ...checkStop(params.stop, true) },
      rtol: checkNumber("rtol", params.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
      atol: checkNumber("atol", params.atol ?? 1e-12, { min: 0, minOpen: true }),
      record: checkRecord(params.record),
    };
  },
  run(p, q): Outcome {
    const stop = q.stop as StopRule;
    const T = stop.time as number;
    try {
      const r = momentumFlow(p, { lambda: q.lambda as number, alpha: q.alpha as number, T, times: [T], stopLoss: stop.loss, rtol: q.rtol as number, atol: q.atol as number });
      const f = r.final;
      return { status: "ok", out: { iterations: r.stats.steps, time: f.t, loss: finiteOrNull(f.loss), stopReason: f.t < T ? "loss" : "time", ...finalFields(p, q.record as string[], q.alpha as number, f.w, f.u, f.v) } };
    } catch (e) {
      return fromError(q, e);
    }
  },
  probe(): Json {
    const spec = normalizeProblem({ n: 11, d: 12, k: 2, nTest: 5, seed: 1 });
    const p = buildProblem(spec);
    return [0, 0.02, 0.3].map((lambda) => this.run(p, this.normalize({ lambda, alpha: 0.3, stop: { time: 5 }, record: ["wError", "deltaRatio"] }, spec), spec).out);
  },
};
