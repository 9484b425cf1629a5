/**
 * The limit w∞ of GF or MGF from a finite run: integrate to time T, then project the state with the exact identities
 * (projectToLimit). Keeps small α, where the flows converge slowly, cheap.
 */
import { momentumFlow } from "../dynamics/flows";
import type { Problem } from "../model/problems";
import { checkNumber } from "../core/validate";
import { projectToLimit } from "./balancedness";

export interface FlowLimit {
  /** The projected limit w∞. */
  w: Float64Array;
  /** |Δ∞| from the projection (Δ₀ for GF). */
  DeltaInf: Float64Array;
  /** Training loss of the run at time T (before projecting). */
  lossAtT: number;
  /** Coordinates whose u ± v changed sign during the run (0 ⇒ the log-form identities hold along the whole run). */
  signChanges: number;
  /** ‖projected − w_T‖₂: how far the run still was from its limit. */
  projectionStep: number;
}

/**
 * The limit of GF (λ = 0) or MGF_λ from u₀ = √2α, v₀ = 0: run momentumFlow to time T, then project the state to the
 * limit with projectToLimit (exact for GF; for MGF it drops only the tail integrals λ∫_T^∞(ȧ² ± ḃ²); notebooks/08-theory.ipynb#projection).
 * This keeps small α (slow convergence) cheap; check T against a long run when changing the setting.
 * @param p problem; @param opts lambda (λ ≥ 0, default 0), alpha (α, scalar or per coordinate, default 0.1),
 *   T (default 200), rtol (default 1e-8)
 * @throws what momentumFlow/projectToLimit throw (bad options, blow-up, a u ± v exactly 0 at T)
 * @example recoveryError(p, flowLimit(p, { lambda: 0.1, alpha: 0.01 }).w)
 */
export function flowLimit(p: Problem, opts: { lambda?: number; alpha?: number | Float64Array; T?: number; rtol?: number } = {}): FlowLimit {
  if (opts == null || typeof opts !== "object") throw new TypeError("opts must be an object {lambda, alpha, T}");
  const lambda = checkNumber("lambda", opts.lambda ?? 0, { min: 0 });
  const T = checkNumber("T", opts.T ?? 200, { min: 0, minOpen: true });
  const run = momentumFlow(p, { lambda, alpha: opts.alpha ?? 0.1, T, times: [T], rtol: opts.rtol });
  const proj = projectToLimit(p, run.final, lambda);
  let step = 0;
  for (let j = 0; j < p.d; j++) step += (proj.w[j] - run.final.w[j]) ** 2;
  return { w: proj.w, DeltaInf: proj.DeltaInf, lossAtT: run.final.loss, signChanges: run.signChanges.length, projectionStep: Math.sqrt(step) };
}
