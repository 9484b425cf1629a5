/**
 * Sweep method "toLoss": a run until the full-batch training loss falls below a tolerance, with the per-run summaries
 * notebook 06 reads. Three dynamics: "discrete" (MGD; SMGD when batchSize < n; GD/SGD when β = 0), "flow" (MGF_λ,
 * dopri5, stopped at the loss) and "limit" (GF's exact limit argmin_{Xw=y} ψ_{Δ₀}). Records keep w∞ and Δ∞ so
 * that gaps between runs (SMGD vs MGD, vs MGF) are computed by lib/experiments/stochastic.ts.
 */
import { minPsiInterpolator } from "../../bias/interpolators";
import { distance } from "../../core/linalg";
import { checkChoice, checkInteger, checkNumber } from "../../core/validate";
import { momentumFlow } from "../../dynamics/flows";
import { createMomentumStepper, DivergenceError, type StepperOptions } from "../../dynamics/optimizers";
import { lambdaOf } from "../../model/momentum";
import { recoveryError, testLoss, type Problem } from "../../model/problems";
import { checkParamNames, finiteOrNull, median, type Json, type Outcome, type SweepMethod } from "../method";
import { buildProblem, normalizeProblem, problemSeed, type NormalizedProblem } from "../problem-spec";

/** A discrete run stopped at the loss: final iterate, Δ∞ = u² − v², iterations K, continuous time t, loss. */
export interface RunToLoss {
  w: Float64Array;
  delta: Float64Array;
  K: number;
  t: number;
  loss: number;
}

/**
 * Run MGD/SMGD (γ = gamma, β = beta; batchSize < n for SMGD) until the full-batch loss is < tol, checking once per
 * unit of continuous time (every round(1/h) iterations, h = γ/(1−β)), so that stochastic runs do not pay a
 * full-batch loss per step.
 * @param p problem; @param opts stepper options (alpha, gamma, beta, batchSize, seed of the sampler)
 * @param tol loss target > 0 (default 1e-10); @param maxTime continuous-time cap (default 5000)
 * @returns the final state
 * @throws RangeError if the loss is still ≥ tol past maxTime (naming γ, β, the batch and the loss); DivergenceError on a blow-up
 * @example runToLoss(sparseRegression({ seed: 0 }), { alpha: 0.1, gamma: 0.05, batchSize: 1 }).K
 */
export function runToLoss(p: Problem, opts: StepperOptions, tol = 1e-10, maxTime = 5000): RunToLoss {
  checkNumber("tol", tol, { min: 0, minOpen: true });
  checkNumber("maxTime", maxTime, { min: 0, minOpen: true });
  const s = createMomentumStepper(p, opts);
  const every = Math.max(1, Math.round(1 / s.h));
  while (s.loss() >= tol) {
    if (s.t > maxTime) throw new RangeError(`runToLoss: loss ${s.loss()} ≥ tol = ${tol} at t = ${s.t} > maxTime = ${maxTime} (γ = ${s.gamma}, β = ${s.beta}, batch ${s.batchSize})`);
    s.step(every);
  }
  const st = s.state();
  return { w: st.w, delta: st.delta as Float64Array, K: st.k, t: st.t, loss: st.loss };
}

/** Δ∞/Δ₀ statistics over all coordinates, on supp(w*) and off it. */
export interface RatioStats {
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
  ratioMedianOn: number;
  ratioMedianOff: number;
  ratioMinOn: number;
  ratioMinOff: number;
}

/**
 * Δ∞/Δ₀ statistics of a run (see {@link RatioStats}).
 * @throws RangeError if p has no w* or w* has an empty support or no zero
 */
export function ratioStats(p: Problem, delta: Float64Array, Delta0: number): RatioStats {
  if (!p.wStar) throw new RangeError("ratioStats needs a problem with a planted wStar");
  const wStar = p.wStar;
  const r = Array.from(delta, (x) => x / Delta0);
  const on = r.filter((_, j) => wStar[j] !== 0);
  const off = r.filter((_, j) => wStar[j] === 0);
  if (on.length === 0 || off.length === 0) throw new RangeError("ratioStats needs w* with both zero and non-zero entries");
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

const PARAMS = ["dynamics", "lambda", "gamma", "beta", "alpha", "batchSize", "samplerSeed", "tol", "maxTime", "rtol"] as const;

/** The kind of a record's run, as the notebook names it: GF, MGF, MGD, SMGD, GD or SGD. */
export function runKind(q: { dynamics: Json; beta?: Json; batchSize?: Json }): "GF" | "MGF" | "MGD" | "SMGD" | "GD" | "SGD" {
  if (q.dynamics === "limit") return "GF";
  if (q.dynamics === "flow") return "MGF";
  const stochastic = q.batchSize !== null && q.batchSize !== undefined;
  return q.beta === 0 ? (stochastic ? "SGD" : "GD") : stochastic ? "SMGD" : "MGD";
}

function normalizeDiscrete(params: Record<string, unknown>, problem: NormalizedProblem, base: Record<string, Json>): Record<string, Json> {
  const given = (["lambda", "gamma", "beta"] as const).filter((k) => params[k] !== undefined && params[k] !== null);
  let gamma: number;
  let beta: number;
  if (given.length === 2 && given.includes("lambda") && given.includes("beta")) {
    const lambda = checkNumber("lambda", params.lambda, { min: 0, minOpen: true });
    beta = checkNumber("beta", params.beta, { min: 0, max: 1, maxOpen: true });
    gamma = lambda * (1 - beta) ** 2; // as notebook 06's cached grid has always computed it
  } else if (given.length === 1 && given[0] === "gamma") {
    gamma = checkNumber("gamma", params.gamma, { min: 0, minOpen: true });
    beta = 0;
  } else if (given.length === 2 && given.includes("gamma") && given.includes("beta")) {
    gamma = checkNumber("gamma", params.gamma, { min: 0, minOpen: true });
    beta = checkNumber("beta", params.beta, { min: 0, max: 1, maxOpen: true });
  } else {
    throw new RangeError(`dynamics "discrete" needs lambda and beta, gamma and beta, or gamma alone (GD), got ${given.join(", ") || "none"}`);
  }
  const lambda = params.lambda !== undefined && params.lambda !== null && beta !== 0 ? (params.lambda as number) : lambdaOf(gamma, beta);
  const n = "n" in problem ? problem.n : Infinity;
  const bs = params.batchSize === undefined || params.batchSize === null ? null : checkInteger("batchSize", params.batchSize, { min: 1 });
  if (bs !== null && bs > n) throw new RangeError(`batchSize = ${bs} exceeds the number of samples n = ${n}`);
  const batchSize = bs !== null && bs < n ? bs : null;
  const samplerSeed = batchSize === null ? null : checkInteger("samplerSeed", params.samplerSeed ?? problemSeed(problem), { min: 0, max: 2 ** 32 - 1 });
  return { ...base, lambda, gamma, beta, batchSize, samplerSeed };
}

function finish(p: Problem, kind: string, w: Float64Array, delta: Float64Array, Delta0: number, run: { K: number | null; t: number | null; loss: number }): Outcome {
  const gf = minPsiInterpolator(p, Delta0).w;
  const psiResidual = delta.every((x) => x > 0) ? distance(w, minPsiInterpolator(p, delta).w) : null;
  return {
    status: "ok",
    out: {
      kind,
      K: run.K,
      t: run.t,
      loss: run.loss,
      err: recoveryError(p, w),
      testLoss: p.test ? finiteOrNull(testLoss(p, w)) : null,
      ...ratioStats(p, delta, Delta0),
      psiResidual,
      distGF: distance(w, gf),
      w: Array.from(w),
      delta: Array.from(delta),
    },
  };
}

export const toLossMethod: SweepMethod = {
  name: "toLoss",
  version: "1",
  summary: "MGD/SMGD/GD/SGD (or MGF, or GF's exact limit) until the full-batch loss < tol; err, test loss, Δ∞/Δ₀ stats, ψ residual, w∞, Δ∞",
  params: PARAMS,
  normalize(params, problem): Record<string, Json> {
    checkParamNames("toLoss", params, PARAMS);
    if ("file" in problem) throw new RangeError('method "toLoss" needs a synthetic problem with a planted w* (not a file)');
    const dynamics = checkChoice("dynamics", params.dynamics ?? "discrete", ["discrete", "flow", "limit"] as const);
    const alpha = checkNumber("alpha", params.alpha ?? 0.1, { min: 0, minOpen: true });
    const stopAt = {
      tol: checkNumber("tol", params.tol ?? 1e-10, { min: 0, minOpen: true }),
      maxTime: checkNumber("maxTime", params.maxTime ?? 5000, { min: 0, minOpen: true }),
    };
    const unused = (names: string[]): void => {
      for (const k of names) if (params[k] !== undefined && params[k] !== null) throw new RangeError(`parameter "${k}" does not apply to dynamics "${dynamics}"`);
    };
    // tol, maxTime and rtol may be shared by a grid mixing dynamics: they are dropped where they do not apply
    if (dynamics === "limit") {
      unused(["gamma", "beta", "batchSize", "samplerSeed"]);
      if (params.lambda !== undefined && params.lambda !== null && params.lambda !== 0) throw new RangeError(`dynamics "limit" is GF's limit (λ = 0), got lambda = ${String(params.lambda)}`);
      return { dynamics, alpha, lambda: 0 };
    }
    if (dynamics === "flow") {
      unused(["gamma", "beta", "batchSize", "samplerSeed"]);
      const lambda = checkNumber("lambda", params.lambda ?? 0, { min: 0 });
      return { dynamics, alpha, lambda, ...stopAt, rtol: checkNumber("rtol", params.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }) };
    }
    return normalizeDiscrete(params, problem, { dynamics, alpha, ...stopAt });
  },
  run(p, q): Outcome {
    const alpha = q.alpha as number;
    const Delta0 = 2 * alpha * alpha;
    if (q.dynamics === "limit") return finish(p, "GF", minPsiInterpolator(p, Delta0).w, new Float64Array(p.d).fill(Delta0), Delta0, { K: null, t: null, loss: 0 });
    if (q.dynamics === "flow") {
      const f = momentumFlow(p, { lambda: q.lambda as number, alpha, T: q.maxTime as number, stopLoss: q.tol as number, rtol: q.rtol as number, times: [0] });
      const { u, v } = f.final;
      if (f.final.loss >= (q.tol as number)) return { status: "limit", out: { t: f.final.t, loss: f.final.loss }, message: `MGF loss ${f.final.loss} ≥ tol at t = ${f.final.t}` };
      return finish(p, "MGF", f.final.w, Float64Array.from(u, (x, j) => x * x - v[j] * v[j]), Delta0, { K: null, t: f.final.t, loss: f.final.loss });
    }
    try {
      const r = runToLoss(
        p,
        { alpha, gamma: q.gamma as number, beta: q.beta as number, batchSize: (q.batchSize as number | null) ?? p.n, seed: (q.samplerSeed as number | null) ?? 0 },
        q.tol as number,
        q.maxTime as number,
      );
      return finish(p, runKind(q as { dynamics: Json }), r.w, r.delta, Delta0, { K: r.K, t: r.t, loss: r.loss });
    } catch (e) {
      if (e instanceof DivergenceError) return { status: "diverged", out: { K: e.iteration, loss: finiteOrNull(e.loss), bound: e.bound }, message: e.message };
      if (e instanceof RangeError && /^runToLoss:/.test(e.message)) return { status: "limit", out: {}, message: e.message };
      throw e;
    }
  },
  probe(): Json {
    const spec = normalizeProblem({ n: 11, d: 12, k: 2, nTest: 5, seed: 1 });
    const p = buildProblem(spec);
    const runs = [
      { dynamics: "limit", alpha: 0.3 },
      { dynamics: "flow", alpha: 0.3, lambda: 0.05, tol: 1e-6 },
      { alpha: 0.3, lambda: 0.05, beta: 0.5, tol: 1e-6 },
      { alpha: 0.3, lambda: 0.05, beta: 0.5, batchSize: 2, tol: 1e-6 },
      { alpha: 0.3, gamma: 0.05, batchSize: 1, tol: 1e-6 },
    ];
    return runs.map((r) => this.run(p, this.normalize(r, spec), spec).out);
  },
};
