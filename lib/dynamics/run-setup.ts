/**
 * Checks and the start state shared by the single-run stepper (optimizers.ts) and the batched runner
 * (batched.ts): the problem, option keys, the initial (u, v) or w, and the divergence threshold.
 */
import { dlnWeights, initDLN, type DlnState } from "../model/dln";
import type { Problem } from "../model/problems";
import { checkInteger, checkVector } from "../core/validate";

export type Model = "dln" | "linear";

/** The start of a run: (u₀, v₀) and w₀ = u₀⊙v₀ for the DLN; w₀ alone (u, v null) for the linear model. */
export interface StartState {
  u: Float64Array | null;
  v: Float64Array | null;
  w: Float64Array;
}

/** Throws naming the first bad field of p (n, d, X, y). */
export function checkProblem(p: Problem): void {
  if (p === null || typeof p !== "object") throw new TypeError("p must be a Problem (see sparseRegression, makeProblem)");
  const n = checkInteger("p.n", p.n, { min: 1 });
  const d = checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, n * d);
  checkVector("p.y", p.y, n);
}

/** Throws a RangeError naming the first key of o that is not allowed. */
export function checkKeys(name: string, o: object, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw new RangeError(`unknown ${name} "${key}"; allowed: ${allowed.join(", ")}`);
  }
}

/**
 * The checked start of a run: `init` copied, or the DLN's u₀ = √2α, v₀ = 0 (initDLN; α defaults to 0.1), or
 * w₀ = 0 for the linear model.
 */
export function initialState(
  p: Problem,
  model: Model,
  alpha: number | Float64Array | undefined,
  init: DlnState | { w: Float64Array } | undefined,
): StartState {
  const d = p.d;
  if (alpha !== undefined && init !== undefined) throw new RangeError("give alpha or init, not both");
  if (model === "linear") {
    if (alpha !== undefined) throw new RangeError('alpha is the DLN initialisation scale; model "linear" starts from init.w (default 0)');
    if (init === undefined) return { u: null, v: null, w: new Float64Array(d) };
    if (init === null || typeof init !== "object" || !("w" in init)) throw new TypeError('init must be { w: Float64Array } for model "linear"');
    return { u: null, v: null, w: Float64Array.from(checkVector("init.w", init.w, d)) };
  }
  let s: DlnState;
  if (init === undefined) s = initDLN(alpha ?? 0.1, d);
  else {
    if (init === null || typeof init !== "object" || !("u" in init) || !("v" in init)) throw new TypeError('init must be { u, v } (Float64Arrays) for model "dln"');
    s = { u: Float64Array.from(checkVector("init.u", init.u, d)), v: Float64Array.from(checkVector("init.v", init.v, d)) };
  }
  return { u: s.u, v: s.v, w: dlnWeights(s.u, s.v) };
}

/** A run has diverged once its loss exceeds 1e6·max(L(w₀), 1) (or is not finite). */
export function divergenceLimit(loss0: number): number {
  return 1e6 * Math.max(loss0, 1);
}

/** The `why` of a DivergenceError for a loss that broke the limit. */
export function lossDivergenceReason(loss: number, limit: number): string {
  return Number.isFinite(loss) ? `loss exceeds 1e6·max(L(w₀), 1) = ${limit.toPrecision(3)}` : "loss is not finite";
}
