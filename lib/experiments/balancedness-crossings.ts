/**
 * Where the picture of notebook 03 stops holding: for larger λ some u ± v changes sign, Δ_i can end negative and
 * the log-form identities no longer apply (08-theory.ipynb#no-crossing). Tables, captions and the checks of claims
 * S7.16 and 03.d.
 */
import type { FlowResult } from "../dynamics/flows";
import { checkInteger, checkNumber } from "../core/validate";
import { checkRuns, checkSupport, deltaRatio, type Row, type Trend } from "./balancedness";

/**
 * One row per run about crossings (claim S7.16): coordinates with a u ± v sign change, Δ∞ < 0 entries, min Δ∞/Δ₀,
 * the first crossing time (null if none), the loss at T and the time taken.
 */
export function crossingRows(runs: FlowResult[], Delta0: number | Float64Array): Row[] {
  return checkRuns("runs", runs).map((r) => {
    const ratio = deltaRatio(r.final, Delta0);
    return { λ: r.lambda, "coordinates with a u ± v sign change": new Set(r.signChanges.map((c) => c.coordinate)).size,
      "Δ∞ < 0 entries": ratio.filter((x) => x < 0).length, "min Δ∞/Δ₀": Math.min(...ratio),
      "first crossing at t": r.signChanges.length ? r.signChanges[0].time : null, "loss at T": r.final.loss, ms: Math.round(r.stats.wallMs) };
  });
}

/** Chart rows {λ, count, what} of the two counts of crossingRows. */
export function crossingCountRows(rows: Row[]): Row[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must be the rows of crossingRows");
  return rows.map((r) => ({ λ: r.λ, count: r["coordinates with a u ± v sign change"], what: "coordinates with a sign change" }))
    .concat(rows.map((r) => ({ λ: r.λ, count: r["Δ∞ < 0 entries"], what: "Δ∞ < 0 entries" })));
}

/** Where crossings start: the largest λ without a sign change below the smallest λ with one (null if none). */
export function crossingOnset(rows: Row[]): { lastClean: number | null; firstCrossing: number | null } {
  if (!Array.isArray(rows)) throw new TypeError("rows must be the rows of crossingRows");
  const sorted = rows.slice().sort((a, b) => (a.λ as number) - (b.λ as number));
  const first = sorted.find((r) => (r["coordinates with a u ± v sign change"] as number) > 0);
  const before = sorted.filter((r) => (r["coordinates with a u ± v sign change"] as number) === 0 && (first === undefined || (r.λ as number) < (first.λ as number)));
  return { lastClean: before.length ? (before[before.length - 1].λ as number) : null, firstCrossing: first ? (first.λ as number) : null };
}

/** A caption (or chart title) saying where the crossings start, from crossingRows. */
export function crossingCaption(rows: Row[]): string {
  const { lastClean, firstCrossing } = crossingOnset(rows);
  if (firstCrossing === null) return `no u ± v crossing for any λ up to ${Math.max(...rows.map((r) => r.λ as number))}`;
  if (lastClean === null) return `u ± v crosses already at the smallest λ = ${firstCrossing}`;
  return `crossings start between λ = ${lastClean} and λ = ${firstCrossing}`;
}

/**
 * Claim S7.16 measured: no crossing for every λ ≤ cleanUpTo, crossings and negative Δ∞ entries for every λ ≥ crossingFrom.
 * @returns holds, and the measurement as "λ: crossings/negative, …"
 */
export function validityRegion(rows: Row[], cleanUpTo: number, crossingFrom: number): { holds: boolean; measured: string } {
  checkNumber("cleanUpTo", cleanUpTo, { min: 0 });
  checkNumber("crossingFrom", crossingFrom, { min: cleanUpTo, minOpen: true });
  const c = (r: Row) => r["coordinates with a u ± v sign change"] as number;
  const neg = (r: Row) => r["Δ∞ < 0 entries"] as number;
  const holds = rows.every((r) => ((r.λ as number) <= cleanUpTo ? c(r) === 0 : (r.λ as number) >= crossingFrom ? c(r) > 0 && neg(r) > 0 : true));
  return { holds, measured: rows.map((r) => `${r.λ}: ${c(r)}/${neg(r)}`).join(", ") };
}

/** Claim 03.d measured: the number of crossing coordinates does not decrease as λ grows (rows of crossingRows). */
export function crossingGrowth(rows: Row[]): Trend {
  const c = rows.slice().sort((a, b) => (a.λ as number) - (b.λ as number)).map((r) => r["coordinates with a u ± v sign change"] as number);
  return { holds: c.every((x, i) => i === 0 || x >= c[i - 1]), measured: c.join(" ≤ ") };
}

/** The coordinates 0, n, 2n, … below d. */
export function everyNthCoordinate(d: number, n: number): number[] {
  checkInteger("d", d, { min: 1 });
  checkInteger("n", n, { min: 1 });
  return Array.from({ length: d }, (_, j) => j).filter((j) => j % n === 0);
}

/**
 * Rows {t, Δ_t/Δ₀, i, crosses} for t ≤ tMax: every coordinate that crosses, and the given others that do not.
 * @param run a flow sampled densely; @param others coordinates to show for comparison (crossing ones are not repeated)
 */
export function crossingPathRows(run: FlowResult, Delta0: number | Float64Array, others: number[], tMax = 20): Row[] {
  checkRuns("run", [run]);
  const crossing = new Set(run.signChanges.map((c) => c.coordinate));
  const rest = checkSupport(others, run.final.u.length).filter((j) => !crossing.has(j));
  checkNumber("tMax", tMax, { min: 0, minOpen: true });
  return run.points.filter((s) => s.t <= tMax).flatMap((s) => {
    const ratio = deltaRatio(s, Delta0);
    return [...crossing, ...rest].map((j) => ({ t: s.t, "Δ_t/Δ₀": ratio[j], i: j, crosses: crossing.has(j) }));
  });
}
