/**
 * Recompute some points of a sweep result now (in this thread, bypassing the store) and compare them with the stored
 * records field by field: a notebook's live check that its store holds what the code computes. Pure.
 */
import type { SweepResult } from "./memo";
import { computeUnit } from "./memo";
import type { Json } from "./method";

/** A table row: the point's coordinates, then stored and recomputed values (arrays and objects as JSON text). */
export type VerifyRow = Record<string, string | number | boolean | null>;

function cell(v: Json | undefined): string | number | boolean | null {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return v === undefined || v === null ? null : JSON.stringify(v);
}

function numericDiff(a: Json, b: Json): number {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return Math.max(0, ...a.map((x, i) => numericDiff(x, b[i])));
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : Infinity;
}

/**
 * Recompute the points whose coordinates match `where` and compare with their records.
 * @param result a sweep result; @param where fields a row must match (coordinates, parameters or outputs such as
 *   kind), or a list of such filters (a row matching any is recomputed); @param fields the output fields to show (all
 *   are compared)
 * @returns one row per point (coordinates, stored and live values of `fields`) and the largest difference of any field
 * @throws RangeError if no point matches or a matching point has no record
 * @example verifyPoints(grid, { seed: 0, alpha: 0.1 }, ["err"]).maxDiff // 0
 */
export function verifyPoints(result: SweepResult, where: Record<string, Json> | Record<string, Json>[], fields: string[]): { rows: VerifyRow[]; maxDiff: number; ms: number } {
  const t0 = Date.now();
  const filters = Array.isArray(where) ? where : [where];
  const idx = result.rows.map((_, i) => i).filter((i) => filters.some((f) => Object.entries(f).every(([k, v]) => result.rows[i][k] === v)));
  if (idx.length === 0) throw new RangeError(`no point of ${result.name} has the coordinates ${JSON.stringify(where)}`);
  let maxDiff = 0;
  const rows = idx.map((i) => {
    const rec = result.records[i];
    if (!rec) throw new RangeError(`point ${JSON.stringify(result.points[i].coords)} has no record (its run failed)`);
    const [[, live]] = computeUnit({ method: result.method, points: [result.points[i]] });
    for (const k of new Set([...Object.keys(rec.out), ...Object.keys(live.out)])) maxDiff = Math.max(maxDiff, numericDiff(rec.out[k] ?? null, live.out[k] ?? null));
    const row: VerifyRow = {};
    for (const [k, v] of Object.entries(result.points[i].coords)) row[k] = cell(v);
    for (const f of fields) {
      row[`${f} (stored)`] = cell(rec.out[f]);
      row[`${f} (now)`] = cell(live.out[f]);
    }
    return row;
  });
  return { rows, maxDiff, ms: Date.now() - t0 };
}
