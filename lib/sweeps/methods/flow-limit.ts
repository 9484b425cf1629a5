/**
 * Sweep method "flowLimit": the limit w∞ of GF (λ = 0) or MGF_λ from u₀ = √2α, v₀ = 0, by a run to time T and the
 * exact projection to the limit (lib/bias/limit.ts), with the per-run summaries notebook 05 reads: recovery error,
 * population error, u ± v sign changes, Δ∞/Δ₀ on and off the support, the error of a uniformly shrunk init, decoy
 * statistics, the loss at T and the size of the projection step.
 */
import { flowLimit, type FlowLimit } from "../../bias/limit";
import { minPsiInterpolator } from "../../bias/interpolators";
import { geometricMean } from "../../core/stats";
import { checkNumber } from "../../core/validate";
import { populationError, spreadAlpha } from "../../model/designs";
import type { Problem } from "../../model/problems";
import { checkParamNames, type Json, type Outcome, type SweepMethod } from "../method";
import { buildProblem, normalizeProblem, problemSeed, type NormalizedProblem } from "../problem-spec";

/** The per-run summary of a projected limit (every field a finite number, or null where it does not apply). */
export interface LimitSummary {
  /** Recovery error ‖w∞ − w*‖₂. */
  err: number;
  /** Population excess loss ½(w∞ − w*)ᵀΣ(w∞ − w*) with the design's exact Σ. */
  popErr: number;
  /** Coordinates where u ± v changed sign during the run (0 = crossing-free). */
  signChanges: number;
  /** Geometric mean c of |Δ∞|/Δ₀ (1 for GF). */
  gmRatio: number;
  /** Mean of |Δ∞|/Δ₀ on supp(w*) and off it. */
  supRatio: number;
  offRatio: number;
  /** ‖argmin ψ_{cΔ₀} − w*‖: GF from a uniformly shrunk init (null for λ = 0). */
  errUniform: number | null;
  /** Decoy designs: |Δ∞|/Δ₀ at the decoy, its rank (0 = most shrunk) and w∞ at the decoy (null otherwise). */
  decoyRatio: number | null;
  decoyRank: number | null;
  wDecoy: number | null;
  /** Training loss at T (before projecting) and ‖projection − w_T‖. */
  lossAtT: number;
  projectionStep: number;
}

/**
 * The initial α of a point: scalar α, or α spread over `decades` decades with the same geometric mean (the spread's
 * seed is 1000 + the problem seed, so the spread is paired with the data).
 * @example initAlpha(0.1, 0, 100, 3) // 0.1
 */
export function initAlpha(alpha: number, decades: number, d: number, seed: number): number | Float64Array {
  return decades > 0 ? spreadAlpha(alpha, d, { decades, seed: 1000 + seed }) : alpha;
}

function sqDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return Math.sqrt(s);
}

/**
 * Summarise a projected limit (see {@link LimitSummary}).
 * @param p a problem with a planted w*; @param lim flowLimit's result; @param alpha the init (scalar or per coordinate)
 * @param lambda λ of the run (the uniform-shrink error is computed for λ > 0 only)
 * @throws RangeError if p has no w*
 */
export function summarizeLimit(p: Problem, lim: FlowLimit, alpha: number | Float64Array, lambda: number): LimitSummary {
  if (!p.wStar) throw new RangeError("summarizeLimit needs a problem with a planted wStar");
  const d = p.d;
  const wStar = p.wStar;
  const D0 = Float64Array.from({ length: d }, (_, j) => 2 * (typeof alpha === "number" ? alpha : alpha[j]) ** 2);
  const ratio = Float64Array.from(lim.DeltaInf, (x, j) => x / D0[j]);
  let sup = 0;
  let ns = 0;
  let off = 0;
  let no = 0;
  for (let j = 0; j < d; j++) {
    if (wStar[j] !== 0) {
      sup += ratio[j];
      ns++;
    } else {
      off += ratio[j];
      no++;
    }
  }
  const gm = geometricMean(ratio);
  const errUniform = lambda > 0 ? sqDist(minPsiInterpolator(p, Float64Array.from(D0, (x) => gm * x)).w, wStar) : null;
  const decoy = p.meta.kind === "decoy" ? (p.meta.decoy as number) : null;
  return {
    err: sqDist(lim.w, wStar),
    popErr: populationError(p, lim.w),
    signChanges: lim.signChanges,
    gmRatio: gm,
    supRatio: sup / ns,
    offRatio: off / no,
    errUniform,
    decoyRatio: decoy === null ? null : ratio[decoy],
    decoyRank: decoy === null ? null : Array.from(ratio).filter((x) => x < ratio[decoy]).length,
    wDecoy: decoy === null ? null : lim.w[decoy],
    lossAtT: lim.lossAtT,
    projectionStep: lim.projectionStep,
  };
}

const PARAMS = ["lambda", "alpha", "alphaDecades", "T", "rtol"] as const;

export const flowLimitMethod: SweepMethod = {
  name: "flowLimit",
  version: "1",
  summary: "GF/MGF limit by a run to T + projectToLimit; err, popErr, Δ∞/Δ₀ on/off support, uniform-shrink error, decoy stats",
  params: PARAMS,
  normalize(params, problem): Record<string, Json> {
    checkParamNames("flowLimit", params, PARAMS);
    if ("file" in problem) throw new RangeError('method "flowLimit" needs a synthetic problem with a planted w* (not a file)');
    return {
      lambda: checkNumber("lambda", params.lambda ?? 0, { min: 0 }),
      alpha: checkNumber("alpha", params.alpha ?? 0.1, { min: 0, minOpen: true }),
      alphaDecades: checkNumber("alphaDecades", params.alphaDecades ?? 0, { min: 0, max: 20 }),
      T: checkNumber("T", params.T ?? 200, { min: 0, minOpen: true }),
      rtol: checkNumber("rtol", params.rtol ?? 1e-8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    };
  },
  run(p, q, spec: NormalizedProblem): Outcome {
    const a = initAlpha(q.alpha as number, q.alphaDecades as number, p.d, problemSeed(spec));
    const lim = flowLimit(p, { lambda: q.lambda as number, alpha: a, T: q.T as number, rtol: q.rtol as number });
    return { status: "ok", out: { ...summarizeLimit(p, lim, a, q.lambda as number) } };
  },
  probe(): Json {
    const out: Json[] = [];
    for (const design of ["sparse", "decoy"] as const) {
      const spec = normalizeProblem({ design, n: 11, d: 12, k: 2, nTest: 0, seed: 1 });
      const p = buildProblem(spec);
      for (const lambda of [0, 0.02, 0.3]) {
        const q = this.normalize({ lambda, alpha: 0.3, alphaDecades: design === "decoy" ? 1 : 0, T: 5 }, spec);
        out.push(this.run(p, q, spec).out);
      }
    }
    return out;
  },
};
