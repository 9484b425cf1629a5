/**
 * Where the picture of notebook 03 stops holding: for larger λ some u ± v changes sign, Δ_i can end negative and
 * the log-form identities no longer apply (08-theory.ipynb#no-crossing). Tables, captions and the checks of claims
 * S7.16 and 03.d.
 */
import type { FlowResult } from "../dynamics/flows";
import { checkInteger, checkNumber } from "../core/validate";
import { checkRuns, checkSupport, deltaRatio, type Row, type Trend } from "./balancedness";

const CROSSING = "coordinates with a u ± v sign change";
const NEGATIVE = "Δ∞ < 0 entries";

function checkCrossingRows(rows: unknown): Row[] {
  if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== "object" || typeof r.λ !== "number" || typeof r[CROSSING] !== "number")) {
    throw new TypeError("rows must be the rows of crossingRows (each with a numeric λ and a count of crossing coordinates)");
  }
  return rows as Row[];
}

/**
 * One row per run about crossings (claim S7.16).
 * @param runs momentumFlow results (any sampling); @param Delta0 Δ₀ (number or vector)
 * @returns rows {λ, coordinates with a u ± v sign change, Δ∞ < 0 entries, min Δ∞/Δ₀, first crossing at t (null if
 *   none), loss at T, ms}
 * @throws RangeError/TypeError for an empty or malformed list of runs, or a bad Δ₀
 * @example crossingRows([momentumFlow(p, { lambda: 0.5, T: 300 })], 0.02)[0]["Δ∞ < 0 entries"] // 5 on seed 0
 */
export function crossingRows(runs: FlowResult[], Delta0: number | Float64Array): Row[] {
  return checkRuns("runs", runs).map((r) => {
    const ratio = deltaRatio(r.final, Delta0);
    return { λ: r.lambda, [CROSSING]: new Set(r.signChanges.map((c) => c.coordinate)).size,
      [NEGATIVE]: ratio.filter((x) => x < 0).length, "min Δ∞/Δ₀": Math.min(...ratio),
      "first crossing at t": r.signChanges.length ? r.signChanges[0].time : null, "loss at T": r.final.loss, ms: Math.round(r.stats.wallMs) };
  });
}

/**
 * Chart rows of the two counts of crossingRows, for a line per count against λ.
 * @param rows the rows of crossingRows
 * @returns rows {λ, count, what} (what: "coordinates with a sign change" or "Δ∞ < 0 entries")
 * @throws TypeError if rows are not crossingRows rows
 * @example crossingCountChart(crossingCountRows(crossingRows(runs, 0.02)))
 */
export function crossingCountRows(rows: Row[]): Row[] {
  checkCrossingRows(rows);
  return rows.map((r) => ({ λ: r.λ, count: r[CROSSING], what: "coordinates with a sign change" }))
    .concat(rows.map((r) => ({ λ: r.λ, count: r[NEGATIVE], what: NEGATIVE })));
}

/**
 * Where crossings start.
 * @param rows the rows of crossingRows (any order)
 * @returns the largest λ without a sign change below the smallest λ with one, and that smallest λ (null when absent)
 * @throws TypeError if rows are not crossingRows rows
 * @example crossingOnset(rows) // { lastClean: 0.2, firstCrossing: 0.3 } on seed 0, α = 0.1
 */
export function crossingOnset(rows: Row[]): { lastClean: number | null; firstCrossing: number | null } {
  const sorted = checkCrossingRows(rows).slice().sort((a, b) => (a.λ as number) - (b.λ as number));
  const first = sorted.find((r) => (r[CROSSING] as number) > 0);
  const before = sorted.filter((r) => (r[CROSSING] as number) === 0 && (first === undefined || (r.λ as number) < (first.λ as number)));
  return { lastClean: before.length ? (before[before.length - 1].λ as number) : null, firstCrossing: first ? (first.λ as number) : null };
}

/**
 * A caption (or chart title) saying where the crossings start.
 * @param rows the rows of crossingRows
 * @returns e.g. "crossings start between λ = 0.2 and λ = 0.3"
 * @throws TypeError if rows are not crossingRows rows
 * @example showTable(rows, { caption: crossingCaption(rows) })
 */
export function crossingCaption(rows: Row[]): string {
  const { lastClean, firstCrossing } = crossingOnset(rows);
  if (firstCrossing === null) return `no u ± v crossing for any λ up to ${Math.max(...rows.map((r) => r.λ as number))}`;
  if (lastClean === null) return `u ± v crosses already at the smallest λ = ${firstCrossing}`;
  return `crossings start between λ = ${lastClean} and λ = ${firstCrossing}`;
}

/**
 * Claim S7.16 measured: no crossing for every λ ≤ cleanUpTo, crossings and negative Δ∞ entries for every λ ≥
 * crossingFrom (λ in between are not judged).
 * @param rows the rows of crossingRows; @param cleanUpTo λ up to which no run may cross; @param crossingFrom λ from which every run must
 * @returns holds, and the measurement as "λ: crossings/negative, …"
 * @throws RangeError unless 0 ≤ cleanUpTo < crossingFrom; TypeError for bad rows
 * @example validityRegion(rows, 0.2, 0.3).measured // "0.05: 0/0, …, 0.3: 1/1, …"
 */
export function validityRegion(rows: Row[], cleanUpTo: number, crossingFrom: number): { holds: boolean; measured: string } {
  checkCrossingRows(rows);
  checkNumber("cleanUpTo", cleanUpTo, { min: 0 });
  checkNumber("crossingFrom", crossingFrom, { min: cleanUpTo, minOpen: true });
  const c = (r: Row) => r[CROSSING] as number;
  const neg = (r: Row) => r[NEGATIVE] as number;
  const holds = rows.every((r) => ((r.λ as number) <= cleanUpTo ? c(r) === 0 : (r.λ as number) >= crossingFrom ? c(r) > 0 && neg(r) > 0 : true));
  return { holds, measured: rows.map((r) => `${r.λ}: ${c(r)}/${neg(r)}`).join(", ") };
}

/**
 * Claim 03.d measured: the number of crossing coordinates does not decrease as λ grows.
 * @param rows the rows of crossingRows (any order; sorted by λ here)
 * @returns holds, and the counts as "0 ≤ 1 ≤ 5 …"
 * @throws TypeError if rows are not crossingRows rows
 * @example crossingGrowth(rows).measured // "0 ≤ 0 ≤ 0 ≤ 1 ≤ 5 ≤ 13 ≤ 32 ≤ 68" on seed 0
 */
export function crossingGrowth(rows: Row[]): Trend {
  const c = checkCrossingRows(rows).slice().sort((a, b) => (a.λ as number) - (b.λ as number)).map((r) => r[CROSSING] as number);
  return { holds: c.every((x, i) => i === 0 || x >= c[i - 1]), measured: c.join(" ≤ ") };
}

/**
 * The coordinates 0, n, 2n, … below d (a light sample of coordinates for a chart).
 * @param d dimension ≥ 1; @param n step ≥ 1
 * @returns the indices, ascending
 * @throws TypeError/RangeError for non-integer or out-of-range d, n
 * @example everyNthCoordinate(25, 10) // [0, 10, 20]
 */
export function everyNthCoordinate(d: number, n: number): number[] {
  checkInteger("d", d, { min: 1 });
  checkInteger("n", n, { min: 1 });
  return Array.from({ length: d }, (_, j) => j).filter((j) => j % n === 0);
}

/**
 * Rows of Δ_t/Δ₀ along one run for t ≤ tMax: every coordinate that crosses, and the given others that do not.
 * @param run a flow sampled densely; @param Delta0 Δ₀; @param others coordinates to show for comparison (crossing
 *   ones are not repeated); @param tMax last time shown (default 20)
 * @returns rows {t, Δ_t/Δ₀, i, crosses}
 * @throws RangeError/TypeError for a bad run, coordinate or tMax
 * @example crossingPathChart(crossingPathRows(run, 0.02, everyNthCoordinate(100, 10)), 0.5)
 */
export function crossingPathRows(run: FlowResult, Delta0: number | Float64Array, others: number[], tMax = 20): Row[] {
  checkRuns("run", [run]);
  const crossing = new Set(run.signChanges.map((c) => c.coordinate));
  const rest = checkSupport(others, run.final.u.length, "others").filter((j) => !crossing.has(j));
  checkNumber("tMax", tMax, { min: 0, minOpen: true });
  return run.points.filter((s) => s.t <= tMax).flatMap((s) => {
    const ratio = deltaRatio(s, Delta0);
    return [...crossing, ...rest].map((j) => ({ t: s.t, "Δ_t/Δ₀": ratio[j], i: j, crosses: crossing.has(j) }));
  });
}
