/**
 * Reading sweep results: rows of one grid filtered by coordinates, and averages over the axes left out. Pure.
 */
import type { SweepResult, SweepRow } from "./memo";
import type { Json } from "./method";

/** Mean, sd (n − 1), min, max of one numeric field over the ok rows sharing the `by` coordinates. */
export interface AggregateRow {
  [axis: string]: Json;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  /** Rows with a finite value. */
  n: number;
  /** Rows that diverged, hit a limit or failed (left out of the statistics). */
  failed: number;
}

/**
 * Rows whose coordinates match `where` (every given field equal).
 * @example selectRows(r, { lambda: 0.2, alpha: 0.1 })
 */
export function selectRows(result: SweepResult, where: Record<string, Json> = {}): SweepRow[] {
  if (!result || !Array.isArray(result.rows)) throw new TypeError("result must be a sweep result (runSweep, sweep)");
  const keys = Object.keys(where);
  return result.rows.filter((r) => keys.every((k) => r[k] === where[k]));
}

/**
 * Average a numeric field over the axes not in `by` (seeds, batch seeds, …).
 * @param result a sweep result; @param opts by: the coordinates kept; value: a numeric field of the rows
 * @throws RangeError if a `by` name is not an axis of the grid or `value` is not a field of the rows
 * @example aggregateSweep(r, { by: ["lambda", "alpha"], value: "err" })
 */
export function aggregateSweep(result: SweepResult, opts: { by: string[]; value: string }): AggregateRow[] {
  if (!opts || !Array.isArray(opts.by)) throw new TypeError('opts must be { by: ["lambda", …], value: "err" }');
  const axes = Object.keys(result.grid.axes);
  opts.by.forEach((k, i) => {
    if (!axes.includes(k)) throw new RangeError(`by[${i}] = ${JSON.stringify(k)} is not an axis of ${result.name} (axes: ${axes.join(", ")})`);
  });
  const ok = result.rows.find((r) => r.status === "ok");
  if (ok && !(opts.value in ok)) throw new RangeError(`value ${JSON.stringify(opts.value)} is not a field of the rows (fields: ${Object.keys(ok).join(", ")})`);
  const groups = new Map<string, { key: Record<string, Json>; xs: number[]; failed: number }>();
  for (const r of result.rows) {
    const key: Record<string, Json> = {};
    for (const k of opts.by) key[k] = r[k];
    const id = JSON.stringify(opts.by.map((k) => key[k]));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, xs: [], failed: 0 }));
    const x = r[opts.value];
    if (r.status !== "ok") g.failed++;
    else if (typeof x === "number" && Number.isFinite(x)) g.xs.push(x);
  }
  return Array.from(groups.values()).map(({ key, xs, failed }) => {
    const n = xs.length;
    const mean = n ? xs.reduce((a, b) => a + b, 0) / n : null;
    const sd = n > 1 && mean !== null ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
    return { ...key, mean, sd, min: n ? Math.min(...xs) : null, max: n ? Math.max(...xs) : null, n, failed };
  });
}

/**
 * One line on where a result came from: points stored and computed now, and the session(s) that computed the stored
 * records of this method (command, git commit, Node version, date).
 * @example provenanceLine(grid) // "320 points: 320 from the store, 0 computed now; computed by `npm run sweep -- …` at git 1a2b3c4d5e, Node v20.20.2, 2026-11-30"
 */
export function provenanceLine(result: SweepResult): string {
  if (!result || !result.report) throw new TypeError("result must be a sweep result (runSweep, sweep)");
  const r = result.report;
  const mine = result.sessions.filter((s) => s.method === result.method);
  const last = mine[mine.length - 1] as Record<string, Json> | undefined;
  const git = last?.git as { commit?: string; dirty?: boolean } | null | undefined;
  const who = last
    ? `; last computed${last.command ? ` by \`${String(last.command)}\`` : ""}${git?.commit ? ` at git ${git.commit.slice(0, 10)}${git.dirty ? " (lib with uncommitted changes)" : ""}` : ""}, Node ${String(last.node)}, ${String(last.createdAt).slice(0, 10)}`
    : "";
  return `${result.name}: ${r.points} points, ${r.cached} from the store, ${r.computed} computed now${r.failed ? `, ${r.failed} failed` : ""}${who}`;
}

/**
 * The rows of several results as one list, each point once (grids that overlap share points: a point asked by two
 * grids is the same record).
 * @example pairedRuns(combineRows([iso, others, decoy]))
 */
export function combineRows(results: SweepResult[]): SweepResult["rows"] {
  if (!Array.isArray(results)) throw new TypeError("results must be an array of sweep results");
  const seen = new Set<string>();
  const out: SweepResult["rows"] = [];
  for (const r of results) {
    r.points.forEach((p, i) => {
      if (seen.has(p.id)) return;
      seen.add(p.id);
      out.push(r.rows[i]);
    });
  }
  return out;
}
