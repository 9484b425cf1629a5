/**
 * Rows for the tables and charts of notebook 05, built from the analyses (labels derived from the values, never
 * hard-coded). Pure.
 */
import type { Row } from "../core/row";
import { monotonicity, describeException } from "./sparse-recovery";
import type { CellSummary, Rows } from "./paired";
import type { DecompositionSummary } from "./sparse-recovery";
import type { ProjectionCheck } from "./sparse-mechanism";

const pm = (m: number, s: number, digits: number): string => `${m.toFixed(digits)} ± ${s.toFixed(digits)}`;

/** Heatmap cells: λ, α, mean % change of the error vs GF, and its label. */
export function heatmapRows(cells: CellSummary[]): Row[] {
  return cells.map((c) => ({ λ: c.lambda, α: c.alpha, "% vs GF": c.meanRelPct, label: `${c.meanRelPct.toFixed(1)}%` }));
}

/** Error-band rows: mean error ± one sd over seeds, one series per α. */
export function bandRows(cells: CellSummary[]): Row[] {
  return cells.map((c) => ({ λ: c.lambda, α: `α = ${c.alpha}`, "‖w∞ − w*‖": c.meanErr, lo: c.meanErr - c.sdErr, hi: c.meanErr + c.sdErr }));
}

/** Paired table of MGF cells (λ > 0): wins, Δerr mean ± sd, mean relative change. */
export function pairedTableRows(cells: CellSummary[]): Row[] {
  return cells.filter((c) => c.lambda > 0).map((c) => ({
    α: c.alpha, λ: c.lambda, "MGF better": c.wins.label, "Δerr = MGF − GF": pm(c.meanDiff, c.sdDiff, 4), "mean Δerr/err_GF": `${c.meanRelPct.toFixed(2)}%`,
  }));
}

/** Decoy table: GF's error, wins in ‖·‖₂ and in population loss, decoy most shrunk, crossing-free runs. */
export function decoyTableRows(cells: CellSummary[]): Row[] {
  return cells.filter((c) => c.lambda > 0).map((c) => ({
    α: c.alpha, λ: c.lambda, "err GF": pm(c.meanGfErr, c.sdGfErr, 3), "MGF better (‖·‖₂)": c.wins.label, Δerr: pm(c.meanDiff, c.sdDiff, 3),
    "MGF better (population loss)": c.popWins.label, "Δ pop. loss (%)": pm(c.meanPopRelPct, c.sdPopRelPct, 1),
    "decoy most shrunk": `${c.decoyMostShrunk}/${c.seeds}`, "crossing-free": `${c.crossingFree}/${c.seeds}`,
  }));
}

/** Weak-decoy / Toeplitz table: regime, α, λ, GF's error, wins, Δerr. */
export function weakTableRows(cells: CellSummary[]): Row[] {
  return cells.filter((c) => c.lambda > 0).map((c) => ({ regime: c.regime, α: c.alpha, λ: c.lambda, "err GF": pm(c.meanGfErr, c.sdGfErr, 3), "MGF better": c.wins.label, Δerr: pm(c.meanDiff, c.sdDiff, 4) }));
}

/** Interval dots: relative change in % (mean ± sd) per regime, α and λ. */
export function regimeDotRows(cells: CellSummary[]): Row[] {
  return cells.filter((c) => c.lambda > 0).map((c) => ({ regime: c.regime, α: `α = ${c.alpha}`, λ: String(c.lambda), rel: c.meanRelPct, lo: c.meanRelPct - c.sdRelPct, hi: c.meanRelPct + c.sdRelPct }));
}

/** The projection check as a table. */
export function projectionRows(c: ProjectionCheck, o: { T: number; tLong: number }): Row[] {
  return [
    { quantity: `training loss at t = ${o.T}`, value: c.lossAtT },
    { quantity: `training loss at t = ${o.tLong}`, value: c.lossLong },
    { quantity: `‖w(${o.T}) − w(${o.tLong})‖  (raw state, not converged)`, value: c.rawGap },
    { quantity: `‖proj(${o.T}) − w(${o.tLong})‖`, value: c.projToLong },
    { quantity: `‖proj(${o.T}) − proj(${o.tLong})‖  (the dropped tail)`, value: c.projGap },
    { quantity: `recovery error ‖proj(${o.T}) − w*‖`, value: c.err },
  ];
}

/** The crossing-free decomposition per regime as table rows. */
export function decompositionRows(s: DecompositionSummary[]): Row[] {
  return s.map((d) => ({
    regime: d.regime, runs: d.runs, "uniform shrink lowers GF's error": `${d.uniformHelps}/${d.runs}`, "shape raises it again": `${d.shapeRaises}/${d.runs}`,
    "mean Δ∞/Δ₀ on support": d.runs ? d.meanSupportRatio : null, "off support": d.runs ? d.meanOffSupportRatio : null,
  }));
}

/** Monotonicity in λ per α: the stated claim's λ set on its seeds and on all seeds, every λ, λ ≤ small, GF best. */
export interface MonotonicityTable {
  rows: Row[];
  /** Totals over the claim's α (claim seeds / all seeds), over all α (λ ≤ small, GF best). */
  claimCount: number;
  claimTotal: number;
  claimAllSeeds: number;
  claimAllTotal: number;
  smallCount: number;
  gfBestCount: number;
  total: number;
  exceptions: string[];
  /** The λ, α and seeds of the claim that the grid has (the claim is checked on these). */
  claimLambdas: number[];
  claimAlphas: number[];
  claimSeeds: number[];
}

/**
 * Count, per α, the seeds whose error never decreases as λ grows, over several λ sets.
 * @param rows isotropic flowLimit rows; @param o the grid's alphas, seeds, lambdas; the claim's λ, α and seeds (kept
 *   where the grid has them); `small`: the largest λ of the "small λ" set
 * @example monotonicityTable(iso.rows, { alphas, seeds, lambdas, claimLambdas: [0, 0.05, 0.2], claimAlphas: [0.1], claimSeeds: [0, 1], small: 0.5 })
 */
export function monotonicityTable(rows: Rows, o: { alphas: number[]; seeds: number[]; lambdas: number[]; claimLambdas: number[]; claimAlphas: number[]; claimSeeds: number[]; small: number }): MonotonicityTable {
  const claimLambdas = o.claimLambdas.filter((l) => o.lambdas.includes(l));
  const claimAlphas = o.claimAlphas.filter((a) => o.alphas.includes(a));
  const claimSeeds = o.claimSeeds.filter((s) => o.seeds.includes(s));
  const smallL = o.lambdas.filter((l) => l <= o.small);
  const n = o.seeds.length;
  let claimCount = 0;
  let claimAll = 0;
  let smallCount = 0;
  let best = 0;
  const exceptions: string[] = [];
  const out = o.alphas.map((alpha) => {
    const inClaim = claimAlphas.includes(alpha);
    const c = monotonicity(rows, { alphas: [alpha], seeds: claimSeeds, lambdas: claimLambdas });
    const cAll = monotonicity(rows, { alphas: [alpha], seeds: o.seeds, lambdas: claimLambdas });
    const all = monotonicity(rows, { alphas: [alpha], seeds: o.seeds, lambdas: o.lambdas });
    const small = monotonicity(rows, { alphas: [alpha], seeds: o.seeds, lambdas: smallL });
    if (inClaim) {
      claimCount += c.monotone.count;
      claimAll += cAll.monotone.count;
    }
    smallCount += small.monotone.count;
    best += all.gfBest.count;
    exceptions.push(...all.exceptions.map(describeException));
    return {
      α: alpha,
      [`claim's λ set, seeds ${claimSeeds.join(", ")}`]: inClaim ? c.monotone.label : "–",
      "claim's λ set, all seeds": inClaim ? cAll.monotone.label : "–",
      [`all ${o.lambdas.length} λ`]: all.monotone.label,
      [`λ ≤ ${o.small}`]: small.monotone.label,
      "GF best": all.gfBest.label,
    };
  });
  return {
    rows: out, claimCount, claimTotal: claimAlphas.length * claimSeeds.length, claimAllSeeds: claimAll, claimAllTotal: claimAlphas.length * n,
    smallCount, gfBestCount: best, total: o.alphas.length * n, exceptions, claimLambdas, claimAlphas, claimSeeds,
  };
}
