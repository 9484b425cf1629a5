/**
 * Cost of the momentum flows, each target printed beside its reference measured in this same run.
 *
 * 1. MGF at λ ∈ {1e-3, 1e-2, 0.1, 1, 10} against GF at the same tolerance (rtol 1e-8, atol 1e-12), T = 200,
 *    α = 0.1, on the sparse problems 40×100 and 100×500 (seed 0). Target: MGF ≤ 2× GF's wall time at every λ.
 *    The dopri5 column is momentumFlow's solver before the exponential method (method: "dopri5"), where it
 *    finishes in reasonable time.
 * 2. MGF against SciPy's DOP853 at equal accuracy (python3 + SciPy only; skipped with a note otherwise).
 *    Accuracy = the largest |w_j(t) − w_ref,j(t)| over the sample times t ∈ {1, 2, 5, 10, 20, 50, 100, 200},
 *    where w_ref is SciPy's own DOP853 at rtol 1e-13, atol 1e-16 (an independent solver; its agreement with
 *    momentumFlow at the same tolerance is printed, to show how accurate the reference is). SciPy runs at rtol 1e-8 and 1e-10
 *    (atol 1e-12); for each, momentumFlow takes the loosest rtol on 1e-6 … 1e-13 whose error is no larger than
 *    SciPy's, and the two wall times are compared. Target: momentumFlow faster at every λ.
 * Wall times are the best of several repeats, alternating with the reference so that load affects both.
 * Run: npm run bench -- flows
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gradientFlow, momentumFlow, momentumFlowBatched, type FlowMethod, type FlowResult } from "../lib/dynamics/flows";
import { sparseRegression, type Problem } from "../lib/model/problems";
import { runScipy, scipyVersion, type ScipyRun } from "./scipy-reference";

const LAMBDAS = [1e-3, 1e-2, 0.1, 1, 10];
const SIZES: [number, number][] = [[40, 100], [100, 500]];
const T = 200;
const ALPHA = 0.1;
const SAMPLE_TIMES = [1, 2, 5, 10, 20, 50, 100, 200];
/** momentumFlow's (rtol, atol) ladder for the equal-accuracy match. */
const LADDER: [number, number][] = [1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13].map((r) => [r, Math.min(1e-12, r * 1e-2)]);
const SCIPY_RTOLS = [1e-8, 1e-10];
/** dopri5 is stability-limited to steps ≈ 3λ: run it only where that stays under a few seconds. */
const DOPRI5_MIN_LAMBDA: Record<string, number> = { "40x100": 0.01, "100x500": 0.1 };
const REPEATS: Record<string, number> = { "40x100": 9, "100x500": 5 };

type Run = () => FlowResult;

/**
 * Best wall time (ms) of `reps` runs of each function, interleaved, the last result of each, and the median over the
 * repeats of each function's time over the first one's (paired runs: a burst of machine load hits both).
 */
function bestOf(fns: Run[], reps: number): { ms: number[]; last: FlowResult[]; pairRatio: number[] } {
  const ms = fns.map(() => Infinity);
  const last: FlowResult[] = new Array(fns.length);
  const ratios: number[][] = fns.map(() => []);
  for (let r = 0; r < reps; r++) {
    fns.forEach((f, i) => {
      last[i] = f();
      ms[i] = Math.min(ms[i], last[i].stats.wallMs);
      ratios[i].push(last[i].stats.wallMs / last[0].stats.wallMs);
    });
  }
  const median = (a: number[]): number => a.sort((x, y) => x - y)[a.length >> 1];
  return { ms, last, pairRatio: ratios.map(median) };
}

const mgf = (p: Problem, lambda: number, rtol = 1e-8, method: FlowMethod = "auto", times = [T], atol = 1e-12): Run =>
  () => momentumFlow(p, { lambda, alpha: ALPHA, T, times, rtol, atol, method });

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const verdict = (ok: boolean): string => (ok ? "met" : "**MISSED**");

/** Target 1 on one problem: rows of MGF against GF at rtol 1e-8, with each one's path error against its reference. */
function versusGradientFlow(p: Problem, size: string): string[] {
  const gf: Run = () => gradientFlow(p, { alpha: ALPHA, T, times: SAMPLE_TIMES });
  const gfRef = gradientFlow(p, { alpha: ALPHA, T, times: SAMPLE_TIMES, rtol: 1e-13, atol: 1e-16 });
  bestOf([gf, mgf(p, 0.1)], 1); // warm-up (JIT)
  const rows: string[] = [];
  for (const lambda of LAMBDAS) {
    const { ms, last, pairRatio } = bestOf([gf, mgf(p, lambda, 1e-8, "auto", SAMPLE_TIMES)], REPEATS[size]);
    const ratio = pairRatio[1];
    const eM = pathError(last[1].points.map((q) => q.w), mgf(p, lambda, 1e-13, "auto", SAMPLE_TIMES, 1e-16)());
    const eG = pathError(last[0].points.map((q) => q.w), gfRef);
    let d5 = "(skipped: steps ≈ 3λ)";
    if (lambda >= DOPRI5_MIN_LAMBDA[size]) {
      const r = bestOf([gf, mgf(p, lambda, 1e-8, "dopri5", SAMPLE_TIMES)], lambda >= 0.1 ? 3 : 1);
      d5 = `${fmt(r.ms[1])} ms, ${r.last[1].stats.steps} steps (${r.pairRatio[1].toFixed(1)}× GF)`;
    }
    const s = last[1].stats, g = last[0].stats;
    rows.push(
      `| ${size} | ${lambda} | ${fmt(ms[1])} ms, ${s.steps} steps, ${s.fevals} f-evals, error ${eM.toExponential(0)} | ${fmt(ms[0])} ms, ${g.steps} steps, ` +
        `${g.fevals} f-evals, error ${eG.toExponential(0)} | ${ratio.toFixed(2)}× | ${(s.fevals / g.fevals).toFixed(2)}× | ${verdict(ratio <= 2)} | ${d5} |`,
    );
  }
  return rows;
}

/** Batched flows: the five λ together against one by one (no target; same results bit for bit). */
function batchedVersusSingle(p: Problem, size: string): string {
  const runs = LAMBDAS.map((lambda) => ({ lambda, alpha: ALPHA }));
  let one = Infinity, many = Infinity;
  for (let r = 0; r < 3; r++) {
    let t0 = performance.now();
    for (const run of runs) momentumFlow(p, { ...run, T, times: [T] });
    one = Math.min(one, performance.now() - t0);
    t0 = performance.now();
    momentumFlowBatched(p, runs, { T, times: [T] });
    many = Math.min(many, performance.now() - t0);
  }
  return `| ${size} | ${fmt(one)} ms | ${fmt(many)} ms | ${(many / one).toFixed(2)}× |`;
}

/** max_t max_j |w_j(t) − ref_j(t)| over the sample times (ref: a flow, or w at each sample time). */
function pathError(w: ArrayLike<number>[], ref: FlowResult | ArrayLike<number>[]): number {
  const refW = Array.isArray(ref) ? ref : (ref as FlowResult).points.map((s) => s.w);
  let e = 0;
  w.forEach((wt, k) => {
    const r = refW[k];
    for (let j = 0; j < r.length; j++) e = Math.max(e, Math.abs(wt[j] - r[j]));
  });
  return e;
}

/** Our error on the rtol ladder for one λ (one run each), against the reference w at the sample times. */
function ladderErrors(p: Problem, lambda: number, ref: ArrayLike<number>[]): number[] {
  return LADDER.map(([rtol, atol]) => pathError(mgf(p, lambda, rtol, "auto", SAMPLE_TIMES, atol)().points.map((s) => s.w), ref));
}

/**
 * SciPy and momentumFlow timed in alternation, `rounds` rounds (`first` are SciPy runs already made, round 1): the
 * best time of each, and the median over rounds of ours/SciPy's (a burst of machine load hits both).
 */
function alternate(p: Problem, lambda: number, dir: string, first: ScipyRun[], ours: Run[], rounds: number): { scipy: number[]; ours: number[]; ratio: number[] } {
  const sc: number[][] = SCIPY_RTOLS.map((_, c) => [first[c].ms]);
  const mine: number[][] = ours.map(() => []);
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      const cases = SCIPY_RTOLS.map((rtol) => ({ lambda, rtol, atol: 1e-12, repeats: 1 }));
      runScipy(dir, p, { alpha: ALPHA, T, times: SAMPLE_TIMES, cases }).forEach((run, c) => sc[c].push(run.ms));
    }
    ours.forEach((f, i) => mine[i].push(f().stats.wallMs));
  }
  const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1];
  return { scipy: sc.map((a) => Math.min(...a)), ours: mine.map((a) => Math.min(...a)), ratio: mine.map((a, c) => median(a.map((x, r) => x / sc[c][r]))) };
}

/** Target 2 on one problem: rows of momentumFlow against SciPy DOP853 at equal accuracy. */
function versusScipy(p: Problem, size: string, dir: string): string[] {
  const rows: string[] = [];
  for (const lambda of LAMBDAS) {
    const cases = [...SCIPY_RTOLS.map((rtol) => ({ rtol, atol: 1e-12 })), { rtol: 1e-13, atol: 1e-16 }].map((c) => ({ lambda, ...c, repeats: 1 }));
    const sp = runScipy(dir, p, { alpha: ALPHA, T, times: SAMPLE_TIMES, cases });
    const ref = sp[2].w;
    const agreement = pathError(mgf(p, lambda, 1e-13, "auto", SAMPLE_TIMES, 1e-16)().points.map((s) => s.w), ref);
    const errs = ladderErrors(p, lambda, ref);
    const eS = SCIPY_RTOLS.map((_, c) => pathError(sp[c].w, ref));
    const pick = eS.map((e) => errs.findIndex((x) => x <= e));
    const ours = pick.map((k) => mgf(p, lambda, LADDER[Math.max(k, 0)][0], "auto", SAMPLE_TIMES, LADDER[Math.max(k, 0)][1]));
    const slow = sp[0].ms > 2000 || sp[1].ms > 2000;
    const t = alternate(p, lambda, dir, sp, ours, slow ? 1 : 5);
    SCIPY_RTOLS.forEach((rtol, c) => {
      const k = pick[c];
      const sc = `DOP853 rtol ${rtol}: ${fmt(t.scipy[c])} ms, ${sp[c].nfev} f-evals, error ${eS[c].toExponential(1)}`;
      if (k < 0) {
        rows.push(`| ${size} | ${lambda} | ${sc} | no rtol down to 1e-13 reaches it | — | **MISSED** | ${agreement.toExponential(0)} |`);
        return;
      }
      const ratio = t.ratio[c];
      rows.push(
        `| ${size} | ${lambda} | ${sc} | rtol ${LADDER[k][0]}: ${fmt(t.ours[c])} ms, ${ours[c]().stats.fevals} f-evals, error ${errs[k].toExponential(1)} | ` +
          `${ratio.toFixed(3)}× | ${verdict(ratio < 1)} | ${agreement.toExponential(0)} |`,
      );
    });
  }
  return rows;
}

export default async function (): Promise<void> {
  const problems = SIZES.map(([n, d]) => ({ size: `${n}x${d}`, p: sparseRegression({ n, d, seed: 0 }) }));
  console.log(`Target 1: MGF (momentumFlow, method "auto") ≤ 2× GF (gradientFlow) at the same tolerance: rtol 1e-8, atol 1e-12, T = ${T}, α = ${ALPHA}.`);
  console.log("MGF and GF run alternately (9 pairs on 40x100, 5 on 100x500): times are the best of each, MGF / GF is the median of the pair ratios");
  console.log("(robust to load bursts on a shared machine), f-evals the exact count ratio. dopri5 = momentumFlow's solver before this change (method \"dopri5\").");
  console.log(`error = max over t ∈ {${SAMPLE_TIMES.join(", ")}} of ‖w(t) − w_ref(t)‖∞ against the same flow at rtol 1e-13, atol 1e-16.\n`);
  console.log("| problem | λ | MGF (exponential Adams) | GF (dopri5) | MGF / GF time | MGF / GF f-evals | ≤ 2× GF | MGF with dopri5 |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const { size, p } of problems) for (const row of versusGradientFlow(p, size)) console.log(row);

  console.log(`\nBatched flows (momentumFlowBatched, λ ∈ {${LAMBDAS.join(", ")}} sharing X) against the same five flows one by one; results identical bit for bit. Best of 3.\n`);
  console.log("| problem | one by one | batched | ratio |");
  console.log("|---|---|---|---|");
  for (const { size, p } of problems) console.log(batchedVersusSingle(p, size));

  console.log("\nTarget 2: momentumFlow faster than SciPy solve_ivp(DOP853) at equal accuracy.");
  const version = scipyVersion();
  if (!version) return;
  console.log(`${version}. Error = max over t ∈ {${SAMPLE_TIMES.join(", ")}} of ‖w(t) − w_ref(t)‖∞, w_ref = SciPy DOP853 at rtol 1e-13, atol 1e-16;`);
  console.log("\"ref check\" = the same error for momentumFlow at rtol 1e-13, atol 1e-16 (how far the reference is from an independent solver).");
  console.log("For each SciPy run, momentumFlow uses the loosest rtol on 1e-6…1e-13 (atol min(1e-12, rtol/100)) whose error is no larger.");
  console.log("Times: best of 5 rounds, SciPy and momentumFlow alternating (1 round when a SciPy run takes > 2 s); the ratio is the median of the");
  console.log("rounds' ratios. SciPy's time is solve_ivp alone (no interpreter start-up).\n");
  console.log("| problem | λ | SciPy DOP853 | momentumFlow at equal or better accuracy | time ratio | faster | ref check |");
  console.log("|---|---|---|---|---|---|---|");
  const dir = mkdtempSync(join(tmpdir(), "flows-bench-"));
  try {
    for (const { size, p } of problems) for (const row of versusScipy(p, size, dir)) console.log(row);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
