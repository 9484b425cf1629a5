/**
 * Analyses of notebook 06 (stochastic momentum) on sweep rows of method "toLoss": per-run kinds and gaps between runs
 * (SMGD vs full-batch MGD at the same (γ, β), vs MGF_λ; GD vs MGF), means over seeds, the fitted order of the gaps in
 * 1 − β, the uniformity of the shrinkage of Δ, the ψ residuals, and the modified-equation check that GD at step γ
 * follows MGF at λ = γ/2. Pure functions of rows (w∞ and Δ∞ are stored in them).
 */
import { minPsiInterpolator } from "../bias/interpolators";
import { distance } from "../core/linalg";
import { logLogSlope, mean } from "../core/stats";
import { checkNumber } from "../core/validate";
import { createMomentumStepper } from "../dynamics/optimizers";
import type { Problem } from "../model/problems";
import { median } from "../sweeps/method";
import type { Json } from "../sweeps/method";
import type { RatioStats } from "../sweeps/methods/to-loss";
import type { Rows } from "./paired";

/** A finished toLoss row with the fields the analyses use. */
export interface RunRow extends RatioStats {
  seed: number;
  regime: string;
  kind: "GF" | "MGF" | "MGD" | "SMGD" | "GD" | "SGD";
  lambda: number;
  beta: number | null;
  gamma: number | null;
  batchSize: number | null;
  K: number | null;
  t: number | null;
  err: number;
  testLoss: number | null;
  psiResidual: number | null;
  distGF: number;
  w: Float64Array;
  delta: Float64Array;
}

/**
 * Typed rows of a toLoss sweep (only the finished ones; a run that did not finish is an error naming it).
 * @throws RangeError naming the run that did not finish
 */
export function runRows(rows: Rows): RunRow[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must be an array of sweep rows");
  return rows.map((r) => {
    if (r.status !== "ok") throw new RangeError(`run ${String(r.regime)} (seed ${String(r.seed)}) did not finish: ${String(r.status)} ${String(r.message ?? "")}`);
    const orNull = (k: string): number | null => (typeof r[k] === "number" ? (r[k] as number) : null);
    return {
      ...(r as unknown as RunRow), regime: String(r.regime), beta: orNull("beta"), gamma: orNull("gamma"), batchSize: orNull("batchSize"), K: orNull("K"), t: orNull("t"),
      w: Float64Array.from(r.w as number[]), delta: Float64Array.from(r.delta as number[]),
    };
  });
}

/** Rows matching every given field. */
export function findRuns(runs: RunRow[], q: Partial<Record<keyof RunRow, Json>>): RunRow[] {
  const keys = Object.keys(q) as (keyof RunRow)[];
  return runs.filter((r) => keys.every((k) => r[k] === q[k]));
}

function one(runs: RunRow[], q: Partial<Record<keyof RunRow, Json>>): RunRow {
  const m = findRuns(runs, q);
  if (m.length !== 1) throw new RangeError(`expected one run with ${JSON.stringify(q)}, found ${m.length}: add it to the grid`);
  return m[0];
}

/** The gap between a run and a reference run. */
export interface Gap {
  /** |err − err_ref|. */
  err: number;
  /** ‖w∞ − w∞_ref‖. */
  w: number;
  /** median_j |ln(Δ∞_j/Δ∞_ref,j)| (robust; the max is dominated by one or two coordinates). */
  logDeltaMedian: number;
  /** mean_j ln(Δ∞_j/Δ∞_ref,j), signed: < 0 when the run shrank Δ more than the reference. */
  logDeltaMean: number;
  logDeltaMax: number;
}

/**
 * The gap between two runs (see {@link Gap}), on |Δ∞| (a coordinate whose Δ changed sign counts by its size).
 * @example runGap(smgdRun, mgdRun).err
 */
export function runGap(a: { err: number; w: Float64Array; delta: Float64Array }, b: { err: number; w: Float64Array; delta: Float64Array }): Gap {
  // |Δ|: a large step can flip the sign of a coordinate's Δ (u and v cross); coordinates with a zero are left out
  const l = Array.from(a.delta, (x, j) => Math.log(Math.abs(x) / Math.abs(b.delta[j]))).filter(Number.isFinite);
  if (l.length === 0) throw new RangeError("runGap: no coordinate with Δ∞ ≠ 0 in both runs");
  const abs = l.map(Math.abs);
  return { err: Math.abs(a.err - b.err), w: distance(a.w, b.w), logDeltaMedian: median(abs), logDeltaMean: mean(l), logDeltaMax: Math.max(...abs) };
}

/** An SMGD run with its gaps to full-batch MGD at the same (γ, β, seed) and to MGF at the same λ. */
export interface SmgdGap {
  seed: number;
  lambda: number;
  beta: number;
  batchSize: number;
  vsFull: Gap;
  vsMGF: Gap;
}

/** Gaps of every SMGD run (see {@link SmgdGap}). @throws RangeError if a reference run is missing */
export function smgdGaps(runs: RunRow[]): SmgdGap[] {
  return findRuns(runs, { kind: "SMGD" }).map((r) => ({
    seed: r.seed, lambda: r.lambda, beta: r.beta as number, batchSize: r.batchSize as number,
    vsFull: runGap(r, one(runs, { kind: "MGD", seed: r.seed, lambda: r.lambda, beta: r.beta })),
    vsMGF: runGap(r, one(runs, { kind: "MGF", seed: r.seed, lambda: r.lambda })),
  }));
}

/** Means over seeds of the SMGD gaps, one row per (batch, λ, β), with 1 − β. */
export interface GapPoint {
  series: string;
  batchSize: number;
  lambda: number;
  beta: number;
  oneMinusBeta: number;
  errGap: number;
  logDeltaGap: number;
  errGapMGF: number;
  /** Signed mean ln(Δ∞^SMGD/Δ∞^MGD) of each seed. */
  signedLogDelta: number[];
}

/** Average the gaps over seeds (series "batch b, λ = l"), in the order batch, λ, β. */
export function gapSeries(gaps: SmgdGap[]): GapPoint[] {
  const keys = Array.from(new Set(gaps.map((g) => JSON.stringify([g.batchSize, g.lambda, g.beta])))).map((k) => JSON.parse(k) as [number, number, number]);
  keys.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return keys.map(([b, l, beta]) => {
    const g = gaps.filter((x) => x.batchSize === b && x.lambda === l && x.beta === beta);
    return {
      series: `batch ${b}, λ = ${l}`, batchSize: b, lambda: l, beta, oneMinusBeta: Number((1 - beta).toPrecision(12)),
      errGap: mean(g.map((x) => x.vsFull.err)), logDeltaGap: mean(g.map((x) => x.vsFull.logDeltaMedian)), errGapMGF: mean(g.map((x) => x.vsMGF.err)),
      signedLogDelta: g.map((x) => x.vsFull.logDeltaMean),
    };
  });
}

/** Fitted order of each series' gaps in 1 − β (least squares on log-log). */
export function gapSlopes(points: GapPoint[]): { series: string; errSlope: number; deltaSlope: number; first: GapPoint; last: GapPoint }[] {
  const names = Array.from(new Set(points.map((p) => p.series)));
  return names.map((series) => {
    const g = points.filter((p) => p.series === series).sort((a, b) => b.oneMinusBeta - a.oneMinusBeta);
    if (g.length < 2) throw new RangeError(`series ${series} has ${g.length} β value(s): a slope needs at least 2`);
    const x = g.map((p) => p.oneMinusBeta);
    return { series, errSlope: logLogSlope(x, g.map((p) => p.errGap)), deltaSlope: logLogSlope(x, g.map((p) => p.logDeltaGap)), first: g[0], last: g[g.length - 1] };
  });
}

/** Means over seeds per run (regime id): the table of the notebook. */
export function runTable(runs: RunRow[]): Record<string, string | number | null>[] {
  const ids = Array.from(new Set(runs.map((r) => r.regime)));
  return ids.map((id) => {
    const g = runs.filter((r) => r.regime === id);
    const r0 = g[0];
    const flow = r0.kind === "GF" || r0.kind === "MGF";
    return {
      run: r0.kind, batch: flow ? "flow" : r0.batchSize === null ? "full" : String(r0.batchSize), λ: r0.lambda, β: r0.beta, γ: r0.gamma,
      "recovery error ‖w∞ − w*‖": mean(g.map((r) => r.err)), "test loss": g.every((r) => r.testLoss !== null) ? mean(g.map((r) => r.testLoss as number)) : null,
      "median Δ∞/Δ₀": mean(g.map((r) => r.ratioMedian)), "min Δ∞/Δ₀": mean(g.map((r) => r.ratioMin)),
      "t at stop": r0.t === null ? null : mean(g.map((r) => r.t as number)),
      "max ψ residual": g.every((r) => r.psiResidual !== null) ? Math.max(...g.map((r) => r.psiResidual as number)) : null,
    };
  });
}

/** Uniformity of the shrinkage per run: medians and minima of Δ∞/Δ₀ on and off supp(w*), ln(on)/ln(off), error vs GF. */
export function uniformityRow(runs: RunRow[], label: string, q: Partial<Record<keyof RunRow, Json>>): Record<string, string | number> {
  const g = findRuns(runs, q).sort((a, b) => a.seed - b.seed);
  if (g.length === 0) throw new RangeError(`no run with ${JSON.stringify(q)}: add it to the grid`);
  const gf = g.map((r) => one(runs, { kind: "GF", seed: r.seed }).err);
  const on = mean(g.map((r) => r.ratioMedianOn));
  const off = mean(g.map((r) => r.ratioMedianOff));
  return {
    run: label, "median on": on, "median off": off, "min on": mean(g.map((r) => r.ratioMinOn)), "min off": mean(g.map((r) => r.ratioMinOff)),
    "ln(on)/ln(off)": Math.log(on) / Math.log(off), "recovery error": mean(g.map((r) => r.err)), "err − err_GF": mean(g.map((r, i) => r.err - gf[i])),
  };
}

/**
 * ψ residuals of the stochastic runs per (kind, batch, λ, β), with the full-batch run's and the distance moved from GF;
 * null where a run's Δ∞ has a non-positive coordinate (u and v crossed: ψ_Δ∞ is not defined).
 */
export function psiResidualTable(runs: RunRow[]): Record<string, string | number | null>[] {
  const stochastic = runs.filter((r) => r.kind === "SMGD" || r.kind === "SGD");
  const ids = Array.from(new Set(stochastic.map((r) => r.regime)));
  const maxOrNull = (xs: (number | null)[]): number | null => (xs.some((x) => x === null) || xs.length === 0 ? null : Math.max(...(xs as number[])));
  return ids.map((id) => {
    const g = stochastic.filter((r) => r.regime === id);
    const det = g.map((r) => one(runs, { kind: r.kind === "SGD" ? "GD" : "MGD", seed: r.seed, lambda: r.lambda, beta: r.beta }).psiResidual);
    return {
      run: g[0].kind, batch: g[0].batchSize, λ: g[0].lambda, β: g[0].beta,
      "‖w∞ − argmin ψ_Δ∞‖ (max)": maxOrNull(g.map((r) => r.psiResidual)), "same, full batch (max)": maxOrNull(det),
      "‖w∞ − w∞^GF‖ (min)": Math.min(...g.map((r) => r.distGF)), "max residual / distance": maxOrNull(g.map((r) => (r.psiResidual === null ? null : r.psiResidual / r.distGF))),
    };
  });
}

/** Largest ratio residual(SMGD)/residual(MGD at the same λ, β, seed), over runs where both are defined (0 for none). */
export function residualRatio(runs: RunRow[]): number {
  const ratios = findRuns(runs, { kind: "SMGD" }).flatMap((r) => {
    const d = one(runs, { kind: "MGD", seed: r.seed, lambda: r.lambda, beta: r.beta }).psiResidual;
    return r.psiResidual === null || d === null ? [] : [r.psiResidual / d];
  });
  return ratios.length ? Math.max(...ratios) : 0;
}

/** GD at step γ against MGF at λ = γ/2 and at λ = γ: which path does it follow? */
export interface HalfPathRow {
  gamma: number;
  seed: number;
  /** ln(min Δ∞/Δ₀) of GD, MGF(γ/2), MGF(γ). */
  lnMinGD: number;
  lnMinHalf: number;
  lnMinFull: number;
  /** Gaps of GD to the two flows. */
  toHalf: Gap;
  toFull: Gap;
}

/**
 * GD at step γ follows the modified equation (γ/2)θ̈ + θ̇ + ∇F = 0 to second order, i.e. MGF at λ = γ/2: compare GD's
 * limit with MGF(γ/2) and MGF(γ), seed by seed.
 * @throws RangeError if a flow at γ/2 or γ is missing from the rows
 */
export function modifiedEquationCheck(runs: RunRow[], gammas: number[]): HalfPathRow[] {
  return gammas.flatMap((gamma) => findRuns(runs, { kind: "GD", gamma }).sort((a, b) => a.seed - b.seed).map((gd) => {
    const half = one(runs, { kind: "MGF", seed: gd.seed, lambda: gamma / 2 });
    const full = one(runs, { kind: "MGF", seed: gd.seed, lambda: gamma });
    const ln = (x: number): number => Math.log(Math.abs(x)); // |Δ|, as in runGap
    return { gamma, seed: gd.seed, lnMinGD: ln(gd.ratioMin), lnMinHalf: ln(half.ratioMin), lnMinFull: ln(full.ratioMin), toHalf: runGap(gd, half), toFull: runGap(gd, full) };
  }));
}

/**
 * Cost per iteration (µs) of the stepper at several batch sizes, measured now (best of a few repetitions after a warm-up).
 * @example iterationCosts(p, { batches: [1, 10, 40], gamma: 5e-4, beta: 0.9, alpha: 0.1, iterations: 20000 })
 */
export function iterationCosts(p: Problem, o: { batches: number[]; gamma: number; beta: number; alpha: number; iterations: number }): { batch: number; usPerIteration: number }[] {
  checkNumber("iterations", o.iterations, { min: 1 });
  return o.batches.map((b) => {
    const s = createMomentumStepper(p, { alpha: o.alpha, gamma: o.gamma, beta: o.beta, batchSize: b, seed: 0 });
    s.step(Math.ceil(o.iterations / 10)); // warm-up (JIT)
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      s.step(o.iterations);
      best = Math.min(best, (1000 * (performance.now() - t0)) / o.iterations);
    }
    return { batch: b, usPerIteration: best };
  });
}

/** Total iterations of the discrete runs and the seconds they take at measured costs (full batch = n). */
export function iterationBudget(runs: RunRow[], costs: { batch: number; usPerIteration: number }[], n: number): { iterations: number; seconds: number } {
  const cost = new Map(costs.map((c) => [c.batch, c.usPerIteration]));
  let iterations = 0;
  let us = 0;
  for (const r of runs) {
    if (r.K === null) continue;
    const b = r.batchSize ?? n;
    const c = cost.get(b);
    if (c === undefined) throw new RangeError(`no measured cost for batch size ${b}: add it to the cost cell's batches`);
    iterations += r.K;
    us += r.K * c;
  }
  return { iterations, seconds: us / 1e6 };
}

/** A run's label: "GD, γ = 0.05", "MGD, λ = 0.05, β = 0.9", "SMGD, λ = 0.2, β = 0.9, batch 1", "MGF, λ = 0.2", "GF". */
export function runLabel(r: Pick<RunRow, "kind" | "lambda" | "beta" | "gamma" | "batchSize">): string {
  switch (r.kind) {
    case "GF":
      return "GF";
    case "MGF":
      return `MGF, λ = ${r.lambda}`;
    case "GD":
      return `GD, γ = ${r.gamma}`;
    case "SGD":
      return `SGD, γ = ${r.gamma}, batch ${r.batchSize}`;
    case "MGD":
      return `MGD, λ = ${r.lambda}, β = ${r.beta}`;
    default:
      return `SMGD, λ = ${r.lambda}, β = ${r.beta}, batch ${r.batchSize}`;
  }
}

/**
 * Ticks of Δ∞/Δ₀ per coordinate for some runs of one seed (rows for tickChart), support flagged.
 * @param o seed; runs: filters, one run each; wStar of that seed's problem; Delta0 = 2α²
 */
export function deltaTickRows(runs: RunRow[], o: { seed: number; runs: Partial<Record<keyof RunRow, Json>>[]; wStar: Float64Array; Delta0: number }): { run: string; "Δ∞/Δ₀": number; coordinate: number; "on supp(w*)": boolean }[] {
  return o.runs.flatMap((q) => {
    const r = one(runs, { ...q, seed: o.seed });
    return Array.from(r.delta, (x, j) => ({ run: runLabel(r), "Δ∞/Δ₀": x / o.Delta0, coordinate: j, "on supp(w*)": o.wStar[j] !== 0 }));
  });
}

/** One run by its fields (exactly one must match). @throws RangeError naming the filter otherwise */
export function findRun(runs: RunRow[], q: Partial<Record<keyof RunRow, Json>>): RunRow {
  return one(runs, q);
}

/**
 * The mean SMGD-vs-MGD recovery-error gap of one (λ, β, batch), or null when the grid does not have it.
 * @example meanGap(gapSeries(smgdGaps(runs)), { lambda: 0.05, beta: 0.9, batchSize: 1 })
 */
export function meanGap(points: GapPoint[], q: { lambda: number; beta: number; batchSize: number }): number | null {
  const g = points.find((p) => p.lambda === q.lambda && p.beta === q.beta && p.batchSize === q.batchSize);
  return g ? g.errGap : null;
}

/** Recovery errors of the runs matching `q`, ordered by seed. */
export function errsBySeed(runs: RunRow[], q: Partial<Record<keyof RunRow, Json>>): number[] {
  return findRuns(runs, q).sort((a, b) => a.seed - b.seed).map((r) => r.err);
}

/** Largest ψ residual over distance moved from GF, ‖w∞ − argmin ψ_Δ∞‖/‖w∞ − w∞^GF‖, over the given runs (0 for none). */
export function maxResidualOverMove(runs: RunRow[]): number {
  return runs.reduce((m, r) => (r.psiResidual === null ? m : Math.max(m, r.psiResidual / r.distGF)), 0);
}

/** Largest ψ residual over runs where it is defined, and how many runs have none (a Δ∞ coordinate ≤ 0). */
export function maxResidual(runs: RunRow[]): { max: number; undefinedRuns: number } {
  const xs = runs.flatMap((r) => (r.psiResidual === null ? [] : [r.psiResidual]));
  return { max: xs.length ? Math.max(...xs) : 0, undefinedRuns: runs.length - xs.length };
}

/**
 * A run's limit against argmin ψ_Δ∞ (its own Δ∞) and against GF's solution argmin ψ_Δ₀, computed now; the first is
 * null when Δ∞ has a non-positive coordinate (u and v crossed), and `crossed` counts those coordinates.
 */
export function psiCheck(p: Problem, run: RunRow, Delta0: number): { residual: number | null; toGF: number; crossed: number; minDelta: number; maxRatio: number } {
  const crossed = Array.from(run.delta).filter((x) => !(x > 0)).length;
  return {
    residual: crossed ? null : distance(run.w, minPsiInterpolator(p, run.delta).w),
    toGF: distance(run.w, minPsiInterpolator(p, Delta0).w),
    crossed,
    minDelta: Math.min(...run.delta),
    maxRatio: Math.max(...run.delta) / Delta0,
  };
}
