/**
 * Paired comparisons of sweep rows: each MGF run against GF's run on the same data (same regime, seed, α; λ = 0),
 * summarised per cell (win counts, mean ± sd of the paired differences). Pure functions of rows (notebook 05).
 */
import { mean, sd } from "../core/stats";
import type { Json } from "../sweeps/method";

export type Rows = Record<string, Json>[];

/** One MGF run paired with GF on the same data. */
export interface PairedRun {
  regime: string;
  seed: number;
  alpha: number;
  lambda: number;
  /** Recovery errors ‖w∞ − w*‖ of the run and of GF. */
  err: number;
  gfErr: number;
  /** err − gfErr (< 0: MGF wins). */
  diff: number;
  /** 100·(err/gfErr − 1). */
  relPct: number;
  /** Population errors and their relative change in %. */
  popErr: number;
  gfPopErr: number;
  popRelPct: number;
  signChanges: number;
  errUniform: number | null;
  decoyRank: number | null;
  supRatio: number;
  offRatio: number;
}

const num = (r: Record<string, Json>, k: string): number => {
  const v = r[k];
  if (typeof v !== "number") throw new RangeError(`row field ${k} = ${JSON.stringify(v)} is not a number (regime ${String(r.regime)}, seed ${String(r.seed)}, α ${String(r.alpha)}, λ ${String(r.lambda)})`);
  return v;
};
const regimeOf = (r: Record<string, Json>): string => (typeof r.regime === "string" ? r.regime : "isotropic");
const pairKey = (r: Record<string, Json>): string => JSON.stringify([regimeOf(r), r.seed, r.alpha]);

/**
 * Pair every λ > 0 row with the λ = 0 row of the same regime, seed and α.
 * @param rows flowLimit rows (status ok), e.g. a sweep's rows
 * @returns the paired runs in the order of the rows
 * @throws RangeError naming the (regime, seed, α) whose GF run is missing, or a row that is not ok
 * @example pairedRuns(grid.rows).filter((r) => r.diff < 0).length // MGF wins
 */
export function pairedRuns(rows: Rows): PairedRun[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must be an array of sweep rows");
  const bad = rows.find((r) => r.status !== "ok");
  if (bad) throw new RangeError(`a run did not finish (${String(bad.status)}: ${String(bad.message)}) at regime ${regimeOf(bad)}, seed ${String(bad.seed)}, α ${String(bad.alpha)}, λ ${String(bad.lambda)}`);
  const gf = new Map<string, Record<string, Json>>();
  for (const r of rows) if (r.lambda === 0) gf.set(pairKey(r), r);
  return rows
    .filter((r) => num(r, "lambda") > 0)
    .map((r) => {
      const g = gf.get(pairKey(r));
      if (!g) throw new RangeError(`no GF run (λ = 0) for regime ${regimeOf(r)}, seed ${String(r.seed)}, α ${String(r.alpha)}: include 0 in the λ list`);
      const err = num(r, "err");
      const gfErr = num(g, "err");
      const popErr = num(r, "popErr");
      const gfPopErr = num(g, "popErr");
      return {
        regime: regimeOf(r),
        seed: num(r, "seed"),
        alpha: num(r, "alpha"),
        lambda: num(r, "lambda"),
        err,
        gfErr,
        diff: err - gfErr,
        relPct: 100 * (err / gfErr - 1),
        popErr,
        gfPopErr,
        popRelPct: 100 * (popErr / gfPopErr - 1),
        signChanges: num(r, "signChanges"),
        errUniform: typeof r.errUniform === "number" ? r.errUniform : null,
        decoyRank: typeof r.decoyRank === "number" ? r.decoyRank : null,
        supRatio: num(r, "supRatio"),
        offRatio: num(r, "offRatio"),
      };
    });
}

/** Wins of MGF (smaller error than GF) among paired runs. */
export interface WinCount {
  wins: number;
  total: number;
  /** wins/total (0 for no runs). */
  frac: number;
  /** "wins/total". */
  label: string;
}

/**
 * Count MGF wins (err < GF's err, or popErr < GF's with `by: "popErr"`).
 * @example winCount(pairedRuns(rows).filter((r) => r.regime === "isotropic"))
 */
export function winCount(runs: PairedRun[], by: "err" | "popErr" = "err"): WinCount {
  if (!Array.isArray(runs)) throw new TypeError("runs must be an array of paired runs");
  const wins = runs.filter((r) => (by === "err" ? r.diff < 0 : r.popErr < r.gfPopErr)).length;
  return { wins, total: runs.length, frac: runs.length ? wins / runs.length : 0, label: `${wins}/${runs.length}` };
}

/**
 * "mean ± sd" of a list with fixed digits (sd over n − 1; "–" for an empty list).
 * @example formatMeanSd([1, 2, 3], 2) // "2.00 ± 1.00"
 */
export function formatMeanSd(xs: number[], digits = 4): string {
  if (xs.length === 0) return "–";
  return `${mean(xs).toFixed(digits)} ± ${xs.length > 1 ? sd(xs).toFixed(digits) : "0"}`;
}

/** Summary of one (regime, α, λ) cell over seeds. */
export interface CellSummary {
  regime: string;
  alpha: number;
  lambda: number;
  seeds: number;
  meanErr: number;
  sdErr: number;
  meanGfErr: number;
  sdGfErr: number;
  /** Paired err − err_GF: wins, mean, sd. */
  wins: WinCount;
  meanDiff: number;
  sdDiff: number;
  /** 100·(err/err_GF − 1): mean and sd. */
  meanRelPct: number;
  sdRelPct: number;
  popWins: WinCount;
  meanPopRelPct: number;
  sdPopRelPct: number;
  /** Runs whose decoy is the most shrunk coordinate, and crossing-free runs. */
  decoyMostShrunk: number;
  crossingFree: number;
}

const sdOr0 = (xs: number[]): number => (xs.length > 1 ? sd(xs) : 0);

/**
 * Summaries per (regime, α, λ), λ = 0 included (zero differences), in the order the cells first appear in the rows.
 * @example pairedCells(grid.rows).map((c) => [c.alpha, c.lambda, c.wins.label])
 */
export function pairedCells(rows: Rows): CellSummary[] {
  const paired = pairedRuns(rows);
  const cells = new Map<string, { regime: string; alpha: number; lambda: number; runs: PairedRun[] }>();
  for (const r of rows) {
    const k = JSON.stringify([regimeOf(r), r.alpha, r.lambda]);
    if (!cells.has(k)) cells.set(k, { regime: regimeOf(r), alpha: num(r, "alpha"), lambda: num(r, "lambda"), runs: [] });
  }
  for (const p of paired) cells.get(JSON.stringify([p.regime, p.alpha, p.lambda]))?.runs.push(p);
  const gfRows = rows.filter((r) => r.lambda === 0);
  return Array.from(cells.values()).map(({ regime, alpha, lambda, runs }) => {
    const gf = gfRows.filter((r) => regimeOf(r) === regime && r.alpha === alpha).map((r) => num(r, "err"));
    const errs = lambda === 0 ? gf : runs.map((r) => r.err);
    const diffs = lambda === 0 ? gf.map(() => 0) : runs.map((r) => r.diff);
    const rel = lambda === 0 ? gf.map(() => 0) : runs.map((r) => r.relPct);
    const pop = lambda === 0 ? gf.map(() => 0) : runs.map((r) => r.popRelPct);
    return {
      regime, alpha, lambda,
      seeds: errs.length,
      meanErr: mean(errs), sdErr: sdOr0(errs), meanGfErr: mean(gf), sdGfErr: sdOr0(gf),
      wins: winCount(runs), meanDiff: mean(diffs), sdDiff: sdOr0(diffs), meanRelPct: mean(rel), sdRelPct: sdOr0(rel),
      popWins: winCount(runs, "popErr"), meanPopRelPct: mean(pop), sdPopRelPct: sdOr0(pop),
      decoyMostShrunk: runs.filter((r) => r.decoyRank === 0).length,
      crossingFree: runs.filter((r) => r.signChanges === 0).length,
    };
  });
}

/**
 * The smallest |err − err_GF| among paired runs: the finest difference a win/lose verdict rests on, which the
 * projection's error must stay below.
 * @throws RangeError for no runs
 */
export function smallestPairedDifference(runs: PairedRun[]): { value: number; run: PairedRun } {
  if (!runs.length) throw new RangeError("smallestPairedDifference needs at least one paired run");
  let best = runs[0];
  for (const r of runs) if (Math.abs(r.diff) < Math.abs(best.diff)) best = r;
  return { value: Math.abs(best.diff), run: best };
}
