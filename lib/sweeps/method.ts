/**
 * What a sweep method is: a named computation of one record from (problem, parameters), with parameter validation,
 * an optional batched form, and a probe whose numbers fingerprint the code (a change of the numbers a method
 * produces changes its code version, so stored records of the old code are detected as stale, not trusted).
 * Pure (no Node built-ins).
 */
import type { Problem } from "../model/problems";
import type { NormalizedProblem } from "./problem-spec";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A run's outcome: "ok"; "diverged" or "limit" (deterministic outcomes, stored); "failed" (an error: never stored). */
export interface Outcome {
  status: "ok" | "diverged" | "limit" | "failed";
  out: Record<string, Json>;
  message?: string;
}

export interface SweepMethod {
  /** Name used in grids and records. */
  name: string;
  /** Bumped by hand when the meaning of a record's fields changes (the probe catches changed numbers). */
  version: string;
  /** One line: what a record holds. */
  summary: string;
  /** Parameter names (anything else in a grid that is not a problem field is rejected). */
  params: readonly string[];
  /**
   * Fill in defaults, validate and canonicalise the parameters of one point (derived values included, e.g. γ from
   * λ and β), throwing a RangeError/TypeError that names the parameter.
   */
  normalize(params: Record<string, unknown>, problem: NormalizedProblem): Record<string, Json>;
  /** Compute one record. Errors that mean "this run diverged" become outcomes; anything else may throw. */
  run(problem: Problem, params: Record<string, Json>, spec: NormalizedProblem): Outcome;
  /** Points with equal non-null keys (and the same problem) may be computed together by runBatch. */
  batchKey?(params: Record<string, Json>, problem: Problem): string | null;
  runBatch?(problem: Problem, params: Record<string, Json>[], spec: NormalizedProblem): Outcome[];
  /** Largest batch (default 16). */
  batchLimit?(params: Record<string, Json>): number;
  /**
   * A small deterministic computation through the same code; its output fingerprints the code version. Probes use
   * n = 11 rows: one block of eight and three left over, so the order of the blocked kernels' sums is part of it.
   */
  probe(): Json;
}

/** A finite number or null (non-finite values are not storable). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Median of a list (a copy is sorted). */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Reject parameter names a method does not know. */
export function checkParamNames(method: string, params: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(params)) {
    if (!allowed.includes(k)) throw new RangeError(`method "${method}" has no parameter "${k}" (parameters: ${allowed.join(", ")}; problem fields go in problem or axes)`);
  }
}
