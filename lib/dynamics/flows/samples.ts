/** FlowSamples (the points of a flow's path) read from a solver state [u, v, (p_u, p_v), (integrals)]. */
import { dlnWeights, lossAndGradient } from "../../model/dln";
import type { Problem } from "../../model/problems";
import type { PathPoint } from "../trajectory";

/** Running integrals from 0 to t, per coordinate. */
export interface FlowIntegrals {
  /** ∫₀ᵗ g ds with g = ∇L(w_s). */
  g: Float64Array;
  /** ∫₀ᵗ g² ds (elementwise square). */
  g2: Float64Array;
  /** ∫₀ᵗ (ȧ² + ḃ²) ds, ȧ = (u̇+v̇)/(u+v), ḃ = (u̇−v̇)/(u−v). */
  sumSq: Float64Array;
  /** ∫₀ᵗ (ȧ² − ḃ²) ds. */
  diffSq: Float64Array;
}

/** A point of a flow's path, with the velocities (and the running integrals when asked for). */
export interface FlowSample extends PathPoint {
  u: Float64Array;
  v: Float64Array;
  /** u̇ (for GF: −g⊙v). */
  du: Float64Array;
  /** v̇ (for GF: −g⊙u). */
  dv: Float64Array;
  integrals?: FlowIntegrals;
}

/** Builds samples for one flow; `momentum` says whether the state carries the velocities. */
export class SampleMaker {
  private readonly g: Float64Array;
  private readonly r: Float64Array;

  constructor(private readonly p: Problem, private readonly momentum: boolean, private readonly withIntegrals: boolean) {
    this.g = new Float64Array(p.d);
    this.r = new Float64Array(p.n);
  }

  sample(t: number, z: Float64Array): FlowSample {
    const d = this.p.d;
    const u = z.slice(0, d), v = z.slice(d, 2 * d);
    const w = dlnWeights(u, v);
    const loss = lossAndGradient(this.p, w, this.g, this.r);
    let du: Float64Array, dv: Float64Array;
    if (this.momentum) {
      du = z.slice(2 * d, 3 * d);
      dv = z.slice(3 * d, 4 * d);
    } else {
      du = new Float64Array(d);
      dv = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        du[j] = -this.g[j] * v[j];
        dv[j] = -this.g[j] * u[j];
      }
    }
    const sample: FlowSample = { t, w, u, v, du, dv, loss };
    if (this.withIntegrals) {
      const i0 = this.momentum ? 4 * d : 2 * d;
      sample.integrals = { g: z.slice(i0, i0 + d), g2: z.slice(i0 + d, i0 + 2 * d), sumSq: z.slice(i0 + 2 * d, i0 + 3 * d), diffSq: z.slice(i0 + 3 * d, i0 + 4 * d) };
    }
    return sample;
  }
}
