/**
 * The right-hand sides of the flows, as the solvers want them. The network w = u ⊙ v with g = ∇L(w) = Xᵀ(Xw − y)/n
 * (lib/model/dln lossAndGradient; here always by the blocked kernel of flows/gradient.ts, in WebAssembly when the
 * kernels are on):
 *   GF   u̇ = −g⊙v, v̇ = −g⊙u                                  (dopri5, state [u, v, I])
 *   MGF  u̇ = p_u, v̇ = p_v, λṗ_u = −p_u − g⊙v, λṗ_v = −p_v − g⊙u  (dopri5, state [u, v, p_u, p_v, I])
 *   MGF  λẍ + ẋ = f(x), x = (u, v), f = (−g⊙v, −g⊙u)            (expAdams: force f and the integrands apart)
 * and the same flows on plain linear regression (w itself is the parameter, f = −g).
 * The appended integrals I are ∫g, ∫g², ∫(ȧ² + ḃ²), ∫(ȧ² − ḃ²) with ȧ = (u̇+v̇)/(u+v), ḃ = (u̇−v̇)/(u−v).
 * Each kernel allocates nothing per evaluation.
 */
import type { Problem } from "../../model/problems";
import type { DampedSystem } from "../ode/exp-adams";
import type { Rhs } from "../ode/types";
import { gradientKernel, type GradientKernel } from "./gradient";

/** Scratch of one flow: w = u ⊙ v and the gradient g (kept for the integrands). */
export class FlowScratch {
  readonly w: Float64Array;
  readonly g: Float64Array;
  /** [w] and [g], for the gradient kernel. */
  readonly ws: Float64Array[];
  readonly gs: Float64Array[];
  private readonly p: Problem;
  private kernel: GradientKernel | null = null;

  constructor(p: Problem) {
    this.p = p;
    this.w = new Float64Array(p.d);
    this.g = new Float64Array(p.d);
    this.ws = [this.w];
    this.gs = [this.g];
  }

  /** g = ∇L(w) by the blocked kernel (flows/gradient.ts; made on first use, X is copied once per flow). */
  blockedGradient(): void {
    if (this.kernel === null) this.kernel = gradientKernel(this.p);
    this.kernel(this.ws, this.gs);
  }
}

/** g = ∇L(u ⊙ v) for the positions x = [u, v] (into s.g), by the blocked kernel. */
function networkGradient(p: Problem, x: Float64Array, s: FlowScratch): void {
  const d = p.d, w = s.w;
  for (let j = 0; j < d; j++) w[j] = x[j] * x[d + j];
  s.blockedGradient();
}

/** The integrands of ∫g and ∫g² (into out[outOff..], 2d entries). */
export function gradientIntegrands(d: number, g: Float64Array, out: Float64Array, outOff: number): void {
  for (let j = 0; j < d; j++) {
    out[outOff + j] = g[j];
    out[outOff + d + j] = g[j] * g[j];
  }
}

/**
 * The integrands of ∫(ȧ² + ḃ²) and ∫(ȧ² − ḃ²) at positions x = [u, v] and velocities p[pOff..] = [p_u, p_v] (into
 * out[outOff..], 2d entries). ȧ and ḃ are guarded only against an exact zero of u ± v: past a crossing the identities
 * are void anyway.
 */
export function velocityIntegrands(d: number, x: Float64Array, p: Float64Array, pOff: number, out: Float64Array, outOff: number): void {
  for (let j = 0; j < d; j++) {
    const u = x[j], v = x[d + j], pu = p[pOff + j], pv = p[pOff + d + j];
    const s = u + v, dd = u - v;
    const ad = Math.abs(s) > 1e-150 ? (pu + pv) / s : 0;
    const bd = Math.abs(dd) > 1e-150 ? (pu - pv) / dd : 0;
    out[outOff + j] = ad * ad + bd * bd;
    out[outOff + d + j] = ad * ad - bd * bd;
  }
}

/** Gradient flow on the network, state [u, v] (+ the integrals, where ȧ = −g and ḃ = g exactly). */
export function gradientFlowRhs(p: Problem, s: FlowScratch, withIntegrals: boolean): Rhs {
  const d = p.d;
  const iG = 2 * d, iG2 = 3 * d, iS = 4 * d, iD = 5 * d;
  return (t, z, dz) => {
    networkGradient(p, z, s);
    const g = s.g;
    for (let j = 0; j < d; j++) {
      const gj = g[j];
      dz[j] = -gj * z[d + j];
      dz[d + j] = -gj * z[j];
      if (withIntegrals) {
        dz[iG + j] = gj;
        dz[iG2 + j] = gj * gj;
        dz[iS + j] = 2 * gj * gj;
        dz[iD + j] = 0;
      }
    }
  };
}

/** MGF as a first-order system for dopri5, state [u, v, p_u, p_v] (+ the integrals). */
export function momentumFlowRhs(p: Problem, lambda: number, s: FlowScratch, withIntegrals: boolean): Rhs {
  const d = p.d;
  const invLambda = 1 / lambda;
  return (t, z, dz) => {
    networkGradient(p, z, s);
    const g = s.g;
    for (let j = 0; j < d; j++) {
      const u = z[j], v = z[d + j], pu = z[2 * d + j], pv = z[3 * d + j];
      dz[j] = pu;
      dz[d + j] = pv;
      dz[2 * d + j] = (-pu - g[j] * v) * invLambda;
      dz[3 * d + j] = (-pv - g[j] * u) * invLambda;
    }
    if (withIntegrals) {
      gradientIntegrands(d, g, dz, 4 * d);
      velocityIntegrands(d, z, z, 2 * d, dz, 6 * d);
    }
  };
}

/**
 * MGF as a damped system for expAdams: positions [u, v] and the force f = (−g⊙v, −g⊙u). With the integrals, ∫g and
 * ∫g² use the force's g (extras) and ∫(ȧ² ± ḃ²) depend on the velocities only (velocityExtras), so the state is
 * [u, v, p_u, p_v, ∫g, ∫g², ∫(ȧ²+ḃ²), ∫(ȧ²−ḃ²)], the layout of dopri5's. (In s = u ± v coordinates the solver's
 * relative error control would follow Δ = s·d more closely, but v = (s − d)/2 would lose all relative precision while
 * v ≪ u, as at the start: measured, it gained nothing on the identities and broke huge initialisations.)
 */
export function momentumFlowSystem(p: Problem, lambda: number, s: FlowScratch, withIntegrals: boolean): DampedSystem {
  const d = p.d;
  const sys: DampedSystem = {
    lambda,
    dim: 2 * d,
    force: (t, x, out) => {
      for (let j = 0; j < d; j++) s.w[j] = x[j] * x[d + j];
      s.blockedGradient();
      networkForce(d, x, s.g, out);
    },
  };
  if (withIntegrals) {
    sys.extras = 2 * d;
    sys.integrand = (t, x, v, out) => gradientIntegrands(d, s.g, out, 0);
    sys.velocityExtras = 2 * d;
    sys.velocityIntegrand = (t, x, v, out) => velocityIntegrands(d, x, v, 0, out, 0);
  }
  return sys;
}

/** The network force f(x) = (−g⊙v, −g⊙u) from a gradient already in g. (A hot kernel, shared with the batches.) */
export function networkForce(d: number, x: Float64Array, g: Float64Array, out: Float64Array): void {
  for (let j = 0; j < d; j++) {
    out[j] = -g[j] * x[d + j];
    out[d + j] = -g[j] * x[j];
  }
}

/** Plain linear regression: GF ẇ = −g (state [w]) or MGF for dopri5 (state [w, ẇ]). */
export function linearFlowRhs(p: Problem, lambda: number, s: FlowScratch): Rhs {
  const d = p.d;
  const inv = lambda > 0 ? 1 / lambda : 0;
  return (t, z, dz) => {
    for (let j = 0; j < d; j++) s.w[j] = z[j];
    s.blockedGradient();
    if (lambda > 0) {
      for (let j = 0; j < d; j++) {
        dz[j] = z[d + j];
        dz[d + j] = (-z[d + j] - s.g[j]) * inv;
      }
    } else {
      for (let j = 0; j < d; j++) dz[j] = -s.g[j];
    }
  };
}

/** Plain linear regression MGF as a damped system for expAdams: λẅ + ẇ = −g(w). */
export function linearFlowSystem(p: Problem, lambda: number, s: FlowScratch): DampedSystem {
  const d = p.d;
  return {
    lambda,
    dim: d,
    force: (t, x, out) => {
      s.w.set(x.subarray(0, d));
      s.blockedGradient();
      for (let j = 0; j < d; j++) out[j] = -s.g[j];
    },
  };
}
