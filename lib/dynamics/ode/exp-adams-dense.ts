/**
 * The dense output of an exponential Adams step (lib/dynamics/ode/exp-adams.ts): the step's exact-damping formulas
 * integrated over [0, θ] instead of [0, 1], so θ = 1 returns the step's end state and the velocity's fast initial
 * transient e^{−t/λ} is reproduced inside a step however long. The velocity quadratures J are integrated on it by
 * Gauss–Legendre, on pieces one λ long while that transient is still above rounding.
 */
import { AdamsWeights, Moments } from "./exp-adams-weights";
import { axpy } from "./exp-adams-kernels";
import type { DampedSystem, ExpAdamsWork } from "./exp-adams-work";
import type { Interpolant } from "./types";

/** Gauss–Legendre nodes and weights on [0, 1]. */
function gaussRule(x: number[], w: number[]): { x: Float64Array; w: Float64Array } {
  const n = x.length;
  const nodes = new Float64Array(2 * n), weights = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    nodes[2 * i] = 0.5 - 0.5 * x[i];
    nodes[2 * i + 1] = 0.5 + 0.5 * x[i];
    weights[2 * i] = weights[2 * i + 1] = 0.5 * w[i];
  }
  return { x: nodes, w: weights };
}
// 4 points (exact to degree 7) for smooth pieces; 8 points (degree 15) for pieces inside the transient.
const GAUSS4 = gaussRule([0.3399810435848563, 0.8611363115940526], [0.6521451548625461, 0.3478548451374538]);
const GAUSS8 = gaussRule(
  [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363],
  [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763],
);
/** The transient e^{−(t−t₀)/λ} is below rounding after this many λ. */
const TRANSIENT_SPAN = 40;

export class ExpAdamsDense {
  private t0 = 0;
  private h = 0;
  private ke = 0;
  /** (tₙ − t_start)/λ: how far the initial transient has decayed at the step start. */
  private age = 0;
  /** The step's starting state: the solver's buffers, left alone until the next attempt (see ExpAdamsWork.advance). */
  private x0: Float64Array;
  private p0: Float64Array;
  private I0: Float64Array;
  private J0: Float64Array;
  private readonly wx = new AdamsWeights();
  private readonly mom = new Moments();
  private readonly xq: Float64Array;
  private readonly pq: Float64Array;
  private readonly hq: Float64Array;
  readonly interpolate: Interpolant;

  constructor(private readonly w: ExpAdamsWork, private readonly sys: DampedSystem) {
    this.x0 = w.x;
    this.p0 = w.p;
    this.I0 = w.I;
    this.J0 = w.J;
    this.xq = new Float64Array(w.dim);
    this.pq = new Float64Array(w.dim);
    this.hq = new Float64Array(w.velocityExtras);
    const interpolate: Interpolant = (tq, out, count) => this.evaluate(tq, out, count ?? out.length);
    interpolate.component = (tq, i) => this.component(tq, i);
    this.interpolate = interpolate;
  }

  /** Remember the step just accepted (before the history shifts and the state advances); age as above. */
  build(t: number, h: number, ke: number, age: number): void {
    const w = this.w;
    this.t0 = t;
    this.h = h;
    this.ke = ke;
    this.age = age;
    this.x0 = w.x;
    this.p0 = w.p;
    this.I0 = w.I;
    this.J0 = w.J;
    this.wx.setNodes(true, w.hist.t, ke, t, h);
    [w.fPred, w.fPredOld] = [w.fPredOld, w.fPred];
  }

  /** x(θ) and ẋ(θ) into xs, ps; sets the moments and weights for θ (then I(θ) can be read with `quadratures`). */
  positionVelocity(th: number, xs: Float64Array, ps: Float64Array): void {
    const { w, h, ke, wx, mom } = this;
    const n = w.dim;
    const mu = h / this.sys.lambda;
    mom.compute(mu, th, ke + 1);
    wx.integrate(mom.A, mom.E);
    const hist = w.hist; // still the step's history: it shifts only after the hook returns
    const hp = h * mom.sPhi1;
    const ax = h * (wx.wI[0] - wx.wP[0]), ap = mu * wx.wP[0];
    for (let c = 0; c < n; c++) {
      xs[c] = this.x0[c] + hp * this.p0[c] + ax * w.fPredOld[c];
      ps[c] = mom.decay * this.p0[c] + ap * w.fNew[c];
    }
    for (let i = 0; i < ke; i++) {
      axpy(h * (wx.wI[i + 1] - wx.wP[i + 1]), hist.f[i], xs, n);
      axpy(mu * wx.wP[i + 1], hist.f[i], ps, n);
    }
  }

  /** Position or velocity entry i (< 2·dim) at tq alone. */
  private component(tq: number, i: number): number {
    const { w, h, ke, wx, mom } = this;
    const n = w.dim;
    const th = h === 0 ? 0 : (tq - this.t0) / h;
    const mu = h / this.sys.lambda;
    mom.compute(mu, th, ke + 1);
    wx.integrate(mom.A, mom.E);
    const hist = w.hist;
    if (i < n) {
      let x = this.x0[i] + h * mom.sPhi1 * this.p0[i] + h * (wx.wI[0] - wx.wP[0]) * w.fPredOld[i];
      for (let k = 0; k < ke; k++) x += h * (wx.wI[k + 1] - wx.wP[k + 1]) * hist.f[k][i];
      return x;
    }
    const c = i - n;
    let p = mom.decay * this.p0[c] + mu * wx.wP[0] * w.fNew[c];
    for (let k = 0; k < ke; k++) p += mu * wx.wP[k + 1] * hist.f[k][c];
    return p;
  }

  /** ∫ over [0, θ] of the velocity integrands H, times h, into out (Gauss–Legendre pieces; see the file comment). */
  velocityIntegral(thEnd: number, out: Float64Array): void {
    out.fill(0);
    if (thEnd <= 0 || !this.sys.velocityIntegrand) return;
    const mu = this.h / this.sys.lambda;
    const layerEnd = Math.min(thEnd, Math.max(0, (TRANSIENT_SPAN - this.age) / mu));
    const pieces = Math.ceil(layerEnd * mu);
    let a = 0;
    for (let k = 0; k < pieces; k++) {
      const b = Math.min(layerEnd, (k + 1) / mu);
      this.gaussPiece(a, b, GAUSS8, out);
      a = b;
    }
    if (a < thEnd) this.gaussPiece(a, thEnd, GAUSS4, out);
  }

  private gaussPiece(a: number, b: number, rule: { x: Float64Array; w: Float64Array }, out: Float64Array): void {
    const { xq, pq, hq } = this;
    const len = b - a;
    for (let q = 0; q < rule.x.length; q++) {
      const th = a + len * rule.x[q];
      this.positionVelocity(th, xq, pq);
      this.sys.velocityIntegrand!(this.t0 + th * this.h, xq, pq, hq);
      const wq = this.h * len * rule.w[q];
      for (let c = 0; c < hq.length; c++) out[c] += wq * hq[c];
    }
  }

  /** The state [x, p, I, J] at tq into out; only the first `count` entries are guaranteed (skip J if count allows). */
  private evaluate(tq: number, out: Float64Array, count: number): void {
    const { w, h, ke } = this;
    const n = w.dim, k = w.extras;
    const th = h === 0 ? 0 : (tq - this.t0) / h;
    this.positionVelocity(th, out.subarray(0, n), out.subarray(n, 2 * n));
    if (count <= 2 * n) return;
    const wx = this.wx;
    const Is = out.subarray(2 * n, 2 * n + k);
    const ai = h * wx.wI[0];
    for (let c = 0; c < k; c++) Is[c] = this.I0[c] + ai * w.gNew[c];
    for (let i = 0; i < ke; i++) axpy(h * wx.wI[i + 1], w.hist.g[i], Is, k);
    if (count <= 2 * n + k || w.velocityExtras === 0) return;
    const Js = out.subarray(2 * n + k, 2 * n + k + w.velocityExtras);
    this.velocityIntegral(th, Js);
    for (let c = 0; c < Js.length; c++) Js[c] += this.J0[c];
  }
}
