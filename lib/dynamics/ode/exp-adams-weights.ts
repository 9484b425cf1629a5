/**
 * Quadrature weights of the exponential Adams method (lib/dynamics/ode/exp-adams.ts): the Lagrange basis on the step's
 * nodes, and its integrals against 1 and against the damping kernel e^{−μ(s−θ)} over [0, s], through φ-functions.
 */
import { phiFunctions } from "./phi";

/** Highest order of the predictor (the corrector has one more node). */
export const MAX_ORDER = 12;

/**
 * Lagrange basis on nodes θᵢ (units of h), as monomial coefficients C[i][j] of θʲ: the node polynomial Π(θ − θⱼ) once,
 * then each basis polynomial by synthetic division by (θ − θᵢ), O(count²) in all.
 */
function lagrangeMonomials(nodes: Float64Array, count: number, C: Float64Array[], poly: Float64Array): void {
  poly.fill(0);
  poly[0] = 1;
  for (let j = 0; j < count; j++) {
    for (let a = j + 1; a >= 1; a--) poly[a] = poly[a - 1] - nodes[j] * poly[a];
    poly[0] = -nodes[j] * poly[0];
  }
  for (let i = 0; i < count; i++) {
    const row = C[i], ti = nodes[i];
    // q = poly/(θ − θᵢ): q[count−1] = poly[count], q[a−1] = poly[a] + θᵢ·q[a]
    row[count - 1] = poly[count];
    for (let a = count - 1; a >= 1; a--) row[a - 1] = poly[a] + ti * row[a];
    let denom = 1;
    for (let j = 0; j < count; j++) if (j !== i) denom *= ti - nodes[j];
    for (let a = 0; a < count; a++) row[a] /= denom;
  }
}

/**
 * Quadrature weights of one Adams formula over θ ∈ [0, s]: for the basis polynomial ℓᵢ of each node,
 * wI = ∫₀ˢ ℓᵢ, wP = ∫₀ˢ e^{−μ(s−θ)} ℓᵢ dθ (so the velocity weight is μ·wP and the position weight wI − wP).
 */
export class AdamsWeights {
  readonly nodes = new Float64Array(MAX_ORDER + 1);
  readonly wI = new Float64Array(MAX_ORDER + 1);
  readonly wP = new Float64Array(MAX_ORDER + 1);
  count = 0;
  private readonly C = Array.from({ length: MAX_ORDER + 1 }, () => new Float64Array(MAX_ORDER + 1));
  private readonly poly = new Float64Array(MAX_ORDER + 2);

  /** Nodes: optionally θ = 1 first, then the history times (tₙ₋ᵢ − tₙ)/h for i < histCount. */
  setNodes(withEnd: boolean, histT: Float64Array, histCount: number, tn: number, h: number): void {
    let c = 0;
    if (withEnd) this.nodes[c++] = 1;
    for (let i = 0; i < histCount; i++) this.nodes[c++] = (histT[i] - tn) / h;
    this.count = c;
    lagrangeMonomials(this.nodes, c, this.C, this.poly);
  }

  /** Weights over [0, s] given the moments A_j = ∫₀ˢ θʲ and E_j = ∫₀ˢ e^{−μ(s−θ)} θʲ. */
  integrate(A: Float64Array, E: Float64Array): void {
    for (let i = 0; i < this.count; i++) {
      const row = this.C[i];
      let a = 0, e = 0;
      for (let j = 0; j < this.count; j++) {
        a += row[j] * A[j];
        e += row[j] * E[j];
      }
      this.wI[i] = a;
      this.wP[i] = e;
    }
  }
}

/** Moments over [0, s] for μ: A_j = s^{j+1}/(j+1), E_j = s^{j+1} j! φ_{j+1}(−μs); also e^{−μs} and s·φ₁(−μs). */
export class Moments {
  readonly A = new Float64Array(MAX_ORDER + 2);
  readonly E = new Float64Array(MAX_ORDER + 2);
  private readonly phi = new Float64Array(MAX_ORDER + 3);
  decay = 1;
  sPhi1 = 0;

  compute(mu: number, s: number, count: number): void {
    phiFunctions(-mu * s, count + 1, this.phi);
    let sp = s; // s^{j+1}
    let fact = 1; // j!
    for (let j = 0; j < count; j++) {
      this.A[j] = sp / (j + 1);
      this.E[j] = sp * fact * this.phi[j + 1];
      sp *= s;
      fact *= j + 1;
    }
    this.decay = this.phi[0];
    this.sPhi1 = s * this.phi[1];
  }
}

