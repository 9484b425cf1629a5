/**
 * Analyses of notebook 05 on sweep rows (flowLimit records): monotonicity of the recovery error in λ, seed by seed;
 * regime summaries; the data-scale equivalence of cached limits; the uniform/shape decomposition of MGF's shrinkage
 * over crossing-free runs. Pure functions of rows; paired statistics come from ./paired.
 */
import { mean } from "../core/stats";
import { formatMeanSd, pairedRuns, winCount, type PairedRun, type Rows, type WinCount } from "./paired";

const regimeOf = (r: Record<string, unknown>): string => (typeof r.regime === "string" ? r.regime : "isotropic");

function errAt(rows: Rows, regime: string, seed: number, alpha: number, lambda: number): { err: number; signChanges: number } {
  const r = rows.find((x) => regimeOf(x) === regime && x.seed === seed && x.alpha === alpha && x.lambda === lambda);
  if (!r || typeof r.err !== "number") throw new RangeError(`no finished run for regime ${regime}, seed ${seed}, α ${alpha}, λ ${lambda}: add it to the grid`);
  return { err: r.err, signChanges: r.signChanges as number };
}

/** Where a λ sequence first decreases (beyond the relative tolerance), or null if it never does. */
export interface MonotoneBreak {
  lambdaBefore: number;
  lambda: number;
  errBefore: number;
  err: number;
  signChangesBefore: number;
  signChanges: number;
  gfErr: number;
}

/**
 * Is ‖w∞(λ) − w*‖ non-decreasing over the sorted λ list for one (regime, α, seed)? (a decrease smaller than the
 * relative tolerance counts as equal)
 * @returns null if monotone, else the first decrease
 * @example firstDecrease(rows, { alpha: 0.1, seed: 4, lambdas: [0, 0.5, 2] })
 */
export function firstDecrease(rows: Rows, o: { regime?: string; alpha: number; seed: number; lambdas: number[]; tol?: number }): MonotoneBreak | null {
  const regime = o.regime ?? "isotropic";
  const ls = o.lambdas.slice().sort((a, b) => a - b);
  const at = ls.map((l) => errAt(rows, regime, o.seed, o.alpha, l));
  const gfErr = ls[0] === 0 ? at[0].err : errAt(rows, regime, o.seed, o.alpha, 0).err;
  for (let i = 1; i < ls.length; i++) {
    if (at[i].err < at[i - 1].err * (1 - (o.tol ?? 1e-6))) {
      return { lambdaBefore: ls[i - 1], lambda: ls[i], errBefore: at[i - 1].err, err: at[i].err, signChangesBefore: at[i - 1].signChanges, signChanges: at[i].signChanges, gfErr };
    }
  }
  return null;
}

/** Is GF (λ = 0) at least as good as every λ of the list, for one (regime, α, seed)? */
export function gfIsBest(rows: Rows, o: { regime?: string; alpha: number; seed: number; lambdas: number[] }): boolean {
  const regime = o.regime ?? "isotropic";
  const gf = errAt(rows, regime, o.seed, o.alpha, 0).err;
  return o.lambdas.every((l) => errAt(rows, regime, o.seed, o.alpha, l).err >= gf);
}

/** Counts of (α, seed) sequences with a property, over the α list and seeds given. */
export interface SequenceCount {
  count: number;
  total: number;
  label: string;
}

/**
 * Count the (α, seed) sequences in which the error is non-decreasing over `lambdas` (and, separately, GF is best).
 * @returns monotone and gfBest counts, and the exceptions (sequences that are not monotone) with where they break
 * @example monotonicity(rows, { alphas: [0.1, 0.3, 1], seeds: [0, 1], lambdas: [0, 0.05, 0.1, 0.2, 0.5, 2, 8] })
 */
export function monotonicity(rows: Rows, o: { regime?: string; alphas: number[]; seeds: number[]; lambdas: number[] }): { monotone: SequenceCount; gfBest: SequenceCount; exceptions: ({ alpha: number; seed: number } & MonotoneBreak)[] } {
  if (!o || !Array.isArray(o.alphas) || !Array.isArray(o.seeds) || !Array.isArray(o.lambdas)) throw new TypeError("monotonicity needs { alphas, seeds, lambdas } arrays");
  const exceptions: ({ alpha: number; seed: number } & MonotoneBreak)[] = [];
  let best = 0;
  for (const alpha of o.alphas) {
    for (const seed of o.seeds) {
      const b = firstDecrease(rows, { regime: o.regime, alpha, seed, lambdas: o.lambdas });
      if (b) exceptions.push({ alpha, seed, ...b });
      if (gfIsBest(rows, { regime: o.regime, alpha, seed, lambdas: o.lambdas })) best++;
    }
  }
  const total = o.alphas.length * o.seeds.length;
  const count = total - exceptions.length;
  return { monotone: { count, total, label: `${count}/${total}` }, gfBest: { count: best, total, label: `${best}/${total}` }, exceptions };
}

/** One line for a monotonicity exception. */
export function describeException(e: { alpha: number; seed: number } & MonotoneBreak): string {
  return `α = ${e.alpha}, seed ${e.seed}: err(λ = ${e.lambda}) = ${e.err.toFixed(4)} < err(λ = ${e.lambdaBefore}) = ${e.errBefore.toFixed(4)} (u ± v crossings: ${e.signChangesBefore} and ${e.signChanges}; GF ${e.gfErr.toFixed(4)})`;
}

/** Per regime: MGF wins over all its cells, and "wins/n: mean ± sd of Δerr" in chosen (α, λ) cells. */
export function regimeSummary(rows: Rows, o: { regimes: string[]; cells: { alpha: number; lambda: number }[] }): Record<string, string | number>[] {
  const paired = pairedRuns(rows);
  return o.regimes.map((id) => {
    const mine = paired.filter((r) => r.regime === id);
    const out: Record<string, string | number> = { regime: id, "MGF better (all cells)": winCount(mine).label };
    for (const c of o.cells) {
      const cell = mine.filter((r) => r.alpha === c.alpha && r.lambda === c.lambda);
      out[`α=${c.alpha}, λ=${c.lambda}`] = cell.length ? `${winCount(cell).label}: ${formatMeanSd(cell.map((r) => r.diff), 3)}` : "–";
    }
    return out;
  });
}

/**
 * The data-scale equivalence on cached limits: MGF(εX, εy; λ) has the limit of MGF(X, y; λε²), so a scaled regime's
 * error at λ equals the isotropic error at λε². Compares every scaled run whose λε² is in the isotropic rows.
 * @param rows rows of both the scaled regimes and the isotropic one; @param scales regime id → ε
 * @returns the largest |difference| and the number of pairs compared
 */
export function scaleEquivalence(rows: Rows, scales: Record<string, number>): { maxGap: number; pairs: number } {
  let maxGap = 0;
  let pairs = 0;
  const iso = new Map<string, number>();
  for (const r of rows) if (regimeOf(r) === "isotropic" && typeof r.err === "number") iso.set(JSON.stringify([r.seed, r.alpha, r.lambda]), r.err);
  for (const r of rows) {
    const eps = scales[regimeOf(r)];
    if (eps === undefined || typeof r.err !== "number" || (r.lambda as number) === 0) continue;
    const other = iso.get(JSON.stringify([r.seed, r.alpha, (r.lambda as number) * eps * eps]));
    if (other === undefined) continue;
    maxGap = Math.max(maxGap, Math.abs(r.err - other));
    pairs++;
  }
  if (pairs === 0) throw new RangeError("scaleEquivalence found no scaled run whose λε² is in the isotropic rows");
  return { maxGap, pairs };
}

/** The uniform/shape split of crossing-free MGF runs of one regime (λ > 0, no u ± v sign change). */
export interface DecompositionSummary {
  regime: string;
  runs: number;
  /** Runs where the uniform shrink cΔ₀ lowers GF's error, where the shape raises it above the uniform shrink, lowers it. */
  uniformHelps: number;
  shapeRaises: number;
  shapeLowers: number;
  meanSupportRatio: number;
  meanOffSupportRatio: number;
  /** uniformHelps/runs, shapeRaises/runs, shapeLowers/runs (0 when there is no crossing-free run). */
  uniformHelpsFrac: number;
  shapeRaisesFrac: number;
  shapeLowersFrac: number;
}

/**
 * Over crossing-free runs: does the uniform shrink help, does the shape of Δ∞ raise or lower the error?
 * @example decompositionSummary(pairedRuns(rows), ["isotropic", "decoy ρ=0.9"])
 */
export function decompositionSummary(paired: PairedRun[], regimes: string[]): DecompositionSummary[] {
  return regimes.map((regime) => {
    const c = paired.filter((r) => r.regime === regime && r.signChanges === 0 && r.errUniform !== null);
    const uniformHelps = c.filter((r) => (r.errUniform as number) < r.gfErr).length;
    const shapeRaises = c.filter((r) => r.err > (r.errUniform as number)).length;
    const shapeLowers = c.filter((r) => r.err < (r.errUniform as number)).length;
    const frac = (k: number): number => (c.length ? k / c.length : 0);
    return {
      regime,
      runs: c.length,
      uniformHelps,
      shapeRaises,
      shapeLowers,
      uniformHelpsFrac: frac(uniformHelps),
      shapeRaisesFrac: frac(shapeRaises),
      shapeLowersFrac: frac(shapeLowers),
      meanSupportRatio: c.length ? mean(c.map((r) => r.supRatio)) : NaN,
      meanOffSupportRatio: c.length ? mean(c.map((r) => r.offRatio)) : NaN,
    };
  });
}

/**
 * The parts of the seed-1 verdict ("MGF generalises better than GF"): wins on isotropic data, wins in the regimes
 * without a strong decoy, wins with the strong decoy at small α (recovery error), and population-loss wins with the
 * decoy at the largest α.
 */
export function seed1Findings(paired: PairedRun[], o: { isotropic: string; strongDecoy: string; smallAlpha: number; largeAlpha: number }): { isotropic: WinCount; others: WinCount; decoySmallAlpha: WinCount; decoyLargeAlphaPop: WinCount } {
  const others = paired.filter((r) => r.regime !== o.isotropic && r.regime !== o.strongDecoy);
  const decoy = paired.filter((r) => r.regime === o.strongDecoy);
  return {
    isotropic: winCount(paired.filter((r) => r.regime === o.isotropic)),
    others: winCount(others),
    decoySmallAlpha: winCount(decoy.filter((r) => r.alpha === o.smallAlpha)),
    decoyLargeAlphaPop: winCount(decoy.filter((r) => r.alpha === o.largeAlpha), "popErr"),
  };
}
