/**
 * Snapshot schedules of a run: which iterates k a run records (k = 0 and the final iterate are always added).
 */
import { checkInteger, checkNumber } from "../core/validate";
import { iterationsForTime } from "../model/momentum";

/**
 * When to take snapshots. k = 0 and the final iterate are always included.
 * - `every`: k = 0, m, 2m, …
 * - `logSpaced`: `count` values of k log-spaced in [1, K] (rounded, duplicates dropped), where K is the horizon
 *   of the stop rule (`iterations` or `time`; needs one of them)
 * - `perDecade`: k = round(10^(i/m)), i = 0, 1, … (log-spaced without a horizon, for loss-stopped runs)
 * - `times`: continuous times t, each taken at the first iterate with k·h ≥ t (the same rounding as stop.time)
 * - `iterations`: explicit values of k
 */
export type SnapshotSchedule =
  | { every: number }
  | { logSpaced: number }
  | { perDecade: number }
  | { times: number[] }
  | { iterations: number[] };

/** Next snapshot index strictly after k (Infinity if none). */
export type NextSnapshot = (k: number) => number;

function sortedList(ks: number[]): NextSnapshot {
  const list = Array.from(new Set(ks)).sort((a, b) => a - b);
  let i = 0;
  return (k) => {
    while (i < list.length && list[i] <= k) i++;
    return i < list.length ? list[i] : Infinity;
  };
}

export function snapshotPlan(schedule: SnapshotSchedule | undefined, horizon: number, gamma: number, beta: number): NextSnapshot {
  if (schedule === undefined) return () => Infinity;
  if (schedule === null || typeof schedule !== "object") throw new TypeError("snapshots must be an object such as { every: 100 }");
  const keys = Object.keys(schedule);
  const kinds = ["every", "logSpaced", "perDecade", "times", "iterations"];
  if (keys.length !== 1 || !kinds.includes(keys[0])) {
    throw new RangeError(`snapshots must have exactly one of ${kinds.join(", ")}, got {${keys.join(", ")}}`);
  }
  const s = schedule as Record<string, unknown>;
  if ("every" in s) {
    const m = checkInteger("snapshots.every", s.every, { min: 1 });
    return (k) => (Math.floor(k / m) + 1) * m;
  }
  if ("logSpaced" in s) {
    const count = checkInteger("snapshots.logSpaced", s.logSpaced, { min: 2 });
    if (!Number.isFinite(horizon)) {
      throw new RangeError("snapshots.logSpaced needs a horizon: give stop.iterations or stop.time, or use snapshots.perDecade for a loss-stopped run");
    }
    const ks: number[] = [];
    for (let i = 0; i < count; i++) ks.push(Math.round(Math.pow(Math.max(horizon, 1), i / (count - 1))));
    return sortedList(ks);
  }
  if ("perDecade" in s) {
    const m = checkInteger("snapshots.perDecade", s.perDecade, { min: 1 });
    return (k) => {
      // Smallest round(10^(i/m)) > k.
      let i = k < 1 ? 0 : Math.max(0, Math.floor(m * Math.log10(k)) - 1);
      while (Math.round(Math.pow(10, i / m)) <= k) i++;
      return Math.round(Math.pow(10, i / m));
    };
  }
  const listName = "times" in s ? "times" : "iterations";
  const list = s[listName];
  if (!Array.isArray(list)) throw new TypeError(`snapshots.${listName} must be an array of numbers`);
  const ks = list.map((x, i) =>
    listName === "times"
      ? iterationsForTime(checkNumber(`snapshots.times[${i}]`, x, { min: 0 }), gamma, beta)
      : checkInteger(`snapshots.iterations[${i}]`, x, { min: 0 }),
  );
  return sortedList(ks);
}

