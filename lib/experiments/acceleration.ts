/**
 * The analyses of notebook 02 (the acceleration rule): iteration counts to a loss target at fixed λ and at fixed γ
 * (K·h is a constant of the path), the speed-up of momentum at fixed γ, the rule's plans run against the alternatives
 * (with the distance of each run's end point to the flow it is meant to follow), and summary statistics of a
 * stability map (against the trivial predictor "never diverges").
 *
 * Names: `gamma` = γ, `beta` = β (momentum), `lambda` = λ = γ/(1−β)², `mass` = γ(1+β)/(2(1−β)²) (the λ of the path
 * followed to second order), `h` = γ/(1−β), `K` the iterations to reach loss < eps, `eps` = ε.
 */
import { distance } from "../core/linalg";
import { logLogSlope, mean } from "../core/stats";
import { checkInteger, checkNumber } from "../core/validate";
import { runMomentum, type RunResult } from "../dynamics/optimizers";
import type { StabilityMap } from "../dynamics/stability";
import { accelerationRule, massOf, paramsForLambda, type AccelerationPlan, type AccelerationSpec } from "../model/momentum";
import { recoveryError, type Problem } from "../model/problems";
import { checkNumberList, sampledFlow, secondOrderPathError, unionOfTimes, type SecondOrderError } from "./path";

/** One run to the loss target. */
export interface LossRun {
  gamma: number;
  beta: number;
  /** λ = γ/(1−β)². */
  lambda: number;
  /** γ(1+β)/(2(1−β)²). */
  mass: number;
  h: number;
  /** Iterations to the first iterate with loss < eps. */
  K: number;
  /** K·h: the continuous time the run needed. */
  Kh: number;
  /** ‖w_K − w*‖. */
  recovery: number;
  run: RunResult;
}

function checkOptions<T>(name: string, opts: T): T {
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name} needs an options object`);
  return opts;
}

/**
 * MGD at (γ, β) until the training loss is below eps.
 * @param opts.gamma γ > 0; opts.beta β ∈ [0, 1); opts.alpha α; opts.eps loss target > 0
 * @throws RangeError if the problem has no planted w* (for the recovery error), or as runMomentum
 * @example iterationsToLoss(sparseRegression(), { gamma: 0.2, beta: 0, alpha: 0.1, eps: 1e-6 }).K // 941 (seed 0)
 */
export function iterationsToLoss(problem: Problem, opts: { gamma: number; beta: number; alpha: number; eps: number }): LossRun {
  checkOptions("iterationsToLoss", opts);
  const eps = checkNumber("eps", opts.eps, { min: 0, minOpen: true });
  const run = runMomentum(problem, { alpha: opts.alpha, gamma: opts.gamma, beta: opts.beta, stop: { loss: eps } });
  return {
    gamma: run.gamma, beta: run.beta, lambda: run.lambda, mass: massOf(run.gamma, run.beta), h: run.h,
    K: run.iterations, Kh: run.iterations * run.h, recovery: recoveryError(problem, run.w), run,
  };
}

/**
 * Fixed λ: for each β, γ = λ(1−β)² and a run to the loss target. If MGD follows MGF_λ, K·h is the same for every β
 * and K grows like 1/(1−β).
 * @param opts.lambda λ > 0; opts.betas momenta β ∈ [0, 1); opts.alpha α; opts.eps loss target
 */
export function fixedLambdaSweep(problem: Problem, opts: { lambda: number; betas: number[]; alpha: number; eps: number }): LossRun[] {
  checkOptions("fixedLambdaSweep", opts);
  const betas = checkNumberList("betas", opts.betas, { min: 0, max: 1, maxOpen: true });
  return betas.map((beta) => iterationsToLoss(problem, { gamma: paramsForLambda({ lambda: opts.lambda, beta }).gamma, beta, alpha: opts.alpha, eps: opts.eps }));
}

/** A run of a fixed-γ sweep, with its speed-up over the sweep's smallest β. */
export interface SpeedupRun extends LossRun {
  /** K of the reference run (the smallest β of the sweep; plain GD if β = 0 is in it) divided by K. */
  speedup: number;
  /** The speed-up the time rescaling predicts, (1 − β_ref)/(1 − β) (1/(1−β) against GD). */
  predicted: number;
}

/**
 * Fixed γ: runs to the loss target for each β, with the speed-up over the smallest β of the list. If K·h is a constant
 * of the path (and barely depends on λ), the speed-up is (1 − β_ref)/(1 − β).
 * @param opts.gamma γ > 0; opts.betas momenta; opts.alpha α; opts.eps loss target
 */
export function fixedGammaSweep(problem: Problem, opts: { gamma: number; betas: number[]; alpha: number; eps: number }): SpeedupRun[] {
  checkOptions("fixedGammaSweep", opts);
  const betas = checkNumberList("betas", opts.betas, { min: 0, max: 1, maxOpen: true });
  const runs = betas.map((beta) => iterationsToLoss(problem, { gamma: opts.gamma, beta, alpha: opts.alpha, eps: opts.eps }));
  const ref = runs.reduce((a, r) => (r.beta < a.beta ? r : a));
  return runs.map((r) => ({ ...r, speedup: ref.K / r.K, predicted: (1 - ref.beta) / (1 - r.beta) }));
}

/**
 * max/min − 1 of positive numbers: how far from constant a list is.
 * @example relativeSpread([100, 101, 102]) // 0.02
 */
export function relativeSpread(xs: number[]): number {
  const v = checkNumberList("xs", Array.from(new Set(xs)), { min: 0, minOpen: true });
  return Math.max(...v) / Math.min(...v) - 1;
}

/**
 * The speed-up ratio measured/predicted farthest from 1 over the runs other than the reference.
 * @throws RangeError if the sweep has a single β
 */
export function worstSpeedup(runs: SpeedupRun[]): { beta: number; ratio: number } {
  const ref = Math.min(...runs.map((r) => r.beta));
  const others = runs.filter((r) => r.beta !== ref);
  if (others.length === 0) throw new RangeError("worstSpeedup needs at least two β in the sweep");
  return others.map((r) => ({ beta: r.beta, ratio: r.speedup / r.predicted })).reduce((a, b) => (Math.abs(b.ratio - 1) > Math.abs(a.ratio - 1) ? b : a));
}

/**
 * Slope of log K against log γ over a sweep: −½ if K = T/√(γλ) at fixed λ.
 * @throws RangeError for fewer than two distinct γ
 */
export function iterationSlope(runs: LossRun[]): number {
  return logLogSlope(runs.map((r) => r.gamma), runs.map((r) => r.K));
}

/** The mean continuous time K·h over runs: the T(λ) the rule predicts iteration counts with. */
export function meanTime(runs: LossRun[]): number {
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError("runs must be a non-empty array of runs to the loss target");
  return mean(runs.map((r) => r.Kh));
}

/** One contender of the rule table: what to run and which path it is meant to follow. */
export interface Contender {
  label: string;
  gamma: number;
  beta: number;
  /** The λ of the flow whose limit the run should reach (default: its own mass γ(1+β)/(2(1−β)²)). */
  target?: number;
  /** True for a plan of the acceleration rule (labelledPlan sets it). */
  rule?: boolean;
}

/** A contender's run: the prediction K = T/h, the measured K, the time per run, and where it ended. */
export interface ContenderRow {
  label: string;
  gamma: number;
  beta: number;
  lambda: number;
  mass: number;
  h: number;
  target: number;
  /** T/h. */
  Kpredicted: number;
  K: number;
  /** Best wall-clock time over the repeats (ms). */
  wallMs: number;
  recovery: number;
  /** ‖w_K − w^MGF_target(t_K)‖: is the run on the path it was meant to follow? */
  targetDistance: number;
  /** A plan of the acceleration rule? */
  rule: boolean;
}

/**
 * Run each contender to the loss target (best wall time of `repeats` runs: the runs are deterministic, only the
 * clock varies), predict K = T/h, and measure the distance of the end point to the flow of its target λ at t_K.
 * @param opts.contenders what to run; opts.alpha α; opts.eps loss target; opts.T the time of the path (meanTime);
 *   opts.repeats timed repeats ≥ 1 (default 3)
 */
export function runContenders(problem: Problem, opts: { contenders: Contender[]; alpha: number; eps: number; T: number; repeats?: number }): ContenderRow[] {
  checkOptions("runContenders", opts);
  if (!Array.isArray(opts.contenders) || opts.contenders.length === 0) throw new TypeError("contenders must be a non-empty array of { label, gamma, beta }");
  const T = checkNumber("T", opts.T, { min: 0, minOpen: true });
  const repeats = checkInteger("repeats", opts.repeats ?? 3, { min: 1, max: 100 });
  const runs = opts.contenders.map((c) => {
    let best = Infinity;
    let r = iterationsToLoss(problem, { gamma: c.gamma, beta: c.beta, alpha: opts.alpha, eps: opts.eps });
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      r = iterationsToLoss(problem, { gamma: c.gamma, beta: c.beta, alpha: opts.alpha, eps: opts.eps });
      best = Math.min(best, performance.now() - t0);
    }
    return { c, r, best, target: checkNumber(`target of "${c.label}"`, c.target ?? r.mass, { min: 0, minOpen: true }) };
  });
  const targets = Array.from(new Set(runs.map((x) => x.target)));
  const flows = new Map(targets.map((lambda) => [lambda, sampledFlow(problem, {
    lambda, alpha: opts.alpha, times: unionOfTimes(runs.filter((x) => x.target === lambda).map((x) => x.r.run.time)), rtol: 1e-10, atol: 1e-14,
  })]));
  return runs.map(({ c, r, best, target }) => ({
    label: c.label, gamma: r.gamma, beta: r.beta, lambda: r.lambda, mass: r.mass, h: r.h, target, Kpredicted: T / r.h, K: r.K, wallMs: best, recovery: r.recovery,
    targetDistance: distance(r.run.w, flows.get(target)!.at(r.run.time).w), rule: c.rule === true,
  }));
}

/** What a stability map says, in a few numbers. */
export interface StabilityStats {
  cells: number;
  converged: number;
  notConverged: number;
  diverged: number;
  /** Fraction of cells where the heavy-ball bound γ < 2(1+β)/L predicts diverged / not diverged correctly. */
  boundAccuracy: number;
  /** Fraction of cells the trivial predictor "never diverges" gets right (the share of cells that did not diverge). */
  trivialAccuracy: number;
  /** Mistakes of the trivial predictor divided by mistakes of the bound (∞ if the bound makes none). */
  errorRatio: number;
  /** At the largest β of the map: the largest γ that did not diverge, the bound there, and their ratio. */
  topEdge: { beta: number; gammaStable: number | null; bound: number; ratio: number };
}

/**
 * Summary of a stability map: outcome counts, the accuracy of the heavy-ball bound, the accuracy of the trivial
 * predictor "never diverges" (a bound is only useful if it beats it), and the edge at the largest β.
 * @param map stabilityMap's result
 */
export function stabilityStats(map: StabilityMap): StabilityStats {
  if (!map || !Array.isArray(map.cells) || map.cells.length === 0) throw new TypeError("map must be a stabilityMap result with cells");
  const count = (o: string) => map.cells.filter((c) => c.outcome === o).length;
  const cells = map.cells.length;
  const diverged = count("diverged");
  const trivialAccuracy = (cells - diverged) / cells;
  const top = map.boundary.reduce((a, b) => (b.beta > a.beta ? b : a));
  return {
    cells, converged: count("converged"), notConverged: count("not converged"), diverged,
    boundAccuracy: map.agreement, trivialAccuracy,
    errorRatio: (1 - trivialAccuracy) / (1 - map.agreement),
    topEdge: { beta: top.beta, gammaStable: top.gammaStable, bound: top.bound, ratio: top.gammaStable === null ? 0 : top.gammaStable / top.bound },
  };
}

/**
 * n values evenly spaced from a to b inclusive.
 * @example linearSpace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linearSpace(a: number, b: number, n: number): number[] {
  checkNumber("a", a);
  checkNumber("b", b);
  checkInteger("n", n, { min: 2 });
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}

/** A plan of the acceleration rule as a contender: its label (derived from the spec), (γ, β), target and the plan. */
export interface LabelledPlan extends Contender {
  label: string;
  target: number;
  rule: true;
  plan: AccelerationPlan;
}

/**
 * The rule's plan for a spec, labelled from its values ("rule, λ = 0.2, γ ≤ γ_max").
 * @param spec accelerationRule's spec
 * @param gammaMaxName the name to print for gammaMax (default: its value)
 */
export function labelledPlan(spec: AccelerationSpec, gammaMaxName?: string): LabelledPlan {
  const plan = accelerationRule(spec);
  const cap = spec.pathTolerance === undefined ? "" : `, path err ≤ ${spec.pathTolerance}`;
  return { label: `rule, λ = ${plan.mass}, γ ≤ ${gammaMaxName ?? spec.gammaMax}${cap}`, gamma: plan.gamma, beta: plan.beta, target: plan.mass, rule: true, plan };
}

/** Does the rule's accuracy cap deliver the path error it promises? */
export interface AccuracyCapCheck {
  /** The plan without the cap, and its measured second-order path error (which gives C₂). */
  uncapped: LabelledPlan;
  uncappedError: SecondOrderError;
  /** The plan with the cap at pathTolerance, using that C₂, and its measured path error. */
  capped: LabelledPlan;
  cappedError: SecondOrderError;
  /** cappedError.sup / pathTolerance: 1 if the O(h²) model is exact (≤ 1 is what the cap promises). */
  ratio: number;
}

/**
 * Measure C₂ on the rule's uncapped plan (sup path error / h² against the mass-λ flow, half a step later), re-plan
 * with the accuracy cap pathTolerance, and measure the capped plan's path error.
 * @param spec.lambda, spec.gammaMax, spec.T as accelerationRule; spec.pathTolerance > 0; spec.alpha α
 * @param gammaMaxName the name to print for gammaMax in the labels
 */
export function accuracyCapCheck(problem: Problem, spec: { lambda: number; gammaMax: number; T: number; pathTolerance: number; alpha: number }, gammaMaxName?: string): AccuracyCapCheck {
  checkOptions("accuracyCapCheck", spec);
  const tol = checkNumber("pathTolerance", spec.pathTolerance, { min: 0, minOpen: true });
  const base = { lambda: spec.lambda, gammaMax: spec.gammaMax, T: spec.T };
  const uncapped = labelledPlan(base, gammaMaxName);
  const uncappedError = secondOrderPathError(problem, { gamma: uncapped.gamma, beta: uncapped.beta, alpha: spec.alpha, T: spec.T });
  const capped = labelledPlan({ ...base, pathTolerance: tol, errorConstant: uncappedError.C2 }, gammaMaxName);
  const cappedError = secondOrderPathError(problem, { gamma: capped.gamma, beta: capped.beta, alpha: spec.alpha, T: spec.T });
  return { uncapped, uncappedError, capped, cappedError, ratio: cappedError.sup / tol };
}

/**
 * The first-order rule's answer for a target λ when GD's step allows it: plain GD at γ = λ (which, by the modified
 * equation, follows the λ/2 path instead).
 */
export function firstOrderContender(lambda: number): Contender {
  checkNumber("lambda", lambda, { min: 0, minOpen: true });
  return { label: `first-order rule: GD at γ = λ = ${lambda}`, gamma: lambda, beta: 0, target: lambda };
}

/**
 * How well K = T/h predicts the measured K for the rule's plans at one target λ.
 * @returns the number of plans and max |K/K_pred − 1| over them
 * @throws RangeError if no plan targets λ
 */
export function planAgreement(rows: ContenderRow[], lambda: number): { plans: number; maxDeviation: number } {
  const mine = rows.filter((r) => r.rule && r.target === lambda);
  if (mine.length === 0) throw new RangeError(`no plan of the rule targets λ = ${lambda}; plans target {${Array.from(new Set(rows.filter((r) => r.rule).map((r) => r.target))).join(", ")}}`);
  return { plans: mine.length, maxDeviation: Math.max(...mine.map((r) => Math.abs(r.K / r.Kpredicted - 1))) };
}

/**
 * The rule's largest-step plan at a target λ against the first-order rule's GD at γ = λ (firstOrderContender): how
 * much farther from the MGF_λ limit the first-order answer ends, and how many more iterations it takes.
 * @throws RangeError if either run is missing from `rows`
 */
export function compareWithFirstOrder(rows: ContenderRow[], lambda: number): { rule: ContenderRow; firstOrder: ContenderRow; distanceRatio: number; iterationRatio: number } {
  const firstOrder = rows.find((r) => !r.rule && r.target === lambda && r.beta === 0 && r.gamma === lambda);
  const plans = rows.filter((r) => r.rule && r.target === lambda);
  if (!firstOrder || plans.length === 0) throw new RangeError(`compareWithFirstOrder needs a plan of the rule at λ = ${lambda} and the run firstOrderContender(${lambda})`);
  const rule = plans.reduce((a, r) => (r.h > a.h ? r : a));
  return { rule, firstOrder, distanceRatio: firstOrder.targetDistance / rule.targetDistance, iterationRatio: firstOrder.K / rule.K };
}

/**
 * ‖w − w*‖ of a sweep's runs in increasing β, and whether it strictly increases (at fixed γ, a larger β is a larger λ,
 * and on the default data a larger λ recovers w* worse).
 */
export function recoveryAlongBeta(runs: LossRun[]): { betas: number[]; values: number[]; increasing: boolean } {
  if (!Array.isArray(runs) || runs.length === 0) throw new TypeError("runs must be a non-empty array of runs to the loss target");
  const sorted = runs.slice().sort((a, b) => a.beta - b.beta);
  const values = sorted.map((r) => r.recovery);
  return { betas: sorted.map((r) => r.beta), values, increasing: values.every((v, i) => i === 0 || v > values[i - 1]) };
}
