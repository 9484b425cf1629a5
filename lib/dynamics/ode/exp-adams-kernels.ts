/**
 * The vector kernels of one exponential Adams step (lib/dynamics/ode/exp-adams.ts): weights, the history's share of
 * the new position and velocity, the θ = 1 terms with the error estimates, and the Adams quadratures.
 */
import type { ExpAdamsWork } from "./exp-adams-work";

/** out[c] += a·v[c] for c < n. */
export function axpy(a: number, v: Float64Array, out: Float64Array, n: number): void {
  for (let c = 0; c < n; c++) out[c] += a * v[c];
}

/**
 * The weights of the step: predictor (history only), and the correctors for the position (f̃ at θ = 1), the
 * velocity (fₙ₊₁ at θ = 1) and the lower-order velocity of the error estimate.
 */
export function stepWeights(w: ExpAdamsWork, t: number, h: number, mu: number, ke: number): void {
  const { hist, pred, corr, low, mom } = w;
  mom.compute(mu, 1, ke + 1);
  pred.setNodes(false, hist.t, ke, t, h);
  pred.integrate(mom.A, mom.E);
  corr.setNodes(true, hist.t, ke, t, h);
  corr.integrate(mom.A, mom.E);
  low.setNodes(true, hist.t, ke - 1, t, h);
  low.integrate(mom.A, mom.E);
}

/**
 * The history's share of the predicted position (into xPred) and of the corrected position and velocities (into
 * xNew, pNew, pLow), in one pass over the stored forces; the θ = 1 terms are added once the forces there are known.
 * (A hot kernel.)
 */
export function historySums(w: ExpAdamsWork, h: number, mu: number, ke: number): void {
  const { x, p, xPred, xNew, pNew, pLow, hist, pred, corr, low, mom } = w;
  const n = w.dim;
  const hp = h * mom.sPhi1, decay = mom.decay;
  for (let c = 0; c < n; c++) {
    const xb = x[c] + hp * p[c], pb = decay * p[c];
    xPred[c] = xb;
    xNew[c] = xb;
    pNew[c] = pb;
    pLow[c] = pb;
  }
  for (let i = 0; i < ke; i++) {
    const fi = hist.f[i];
    const a = h * (pred.wI[i] - pred.wP[i]), b = h * (corr.wI[i + 1] - corr.wP[i + 1]);
    const e = mu * corr.wP[i + 1], l = i < ke - 1 ? mu * low.wP[i + 1] : 0;
    for (let c = 0; c < n; c++) {
      const f = fi[c];
      xPred[c] += a * f;
      xNew[c] += b * f;
      pNew[c] += e * f;
      pLow[c] += l * f;
    }
  }
}

/** Adds the θ = 1 force term: xNew += w·f̃; returns the squared scaled error of x̃ against x summed over x. */
export function finishPosition(w: ExpAdamsWork, h: number, rtol: number, atol: number): number {
  const { x, xPred, xNew, fPred, corr } = w;
  const a = h * (corr.wI[0] - corr.wP[0]);
  let err = 0;
  for (let c = 0; c < w.dim; c++) {
    const xc = xNew[c] + a * fPred[c];
    xNew[c] = xc;
    const sc = atol + rtol * Math.max(Math.abs(x[c]), Math.abs(xc));
    err += ((xc - xPred[c]) / sc) ** 2;
  }
  return err;
}

/** Adds the θ = 1 force term to both velocities; returns the squared scaled error of pNew against pLow. */
export function finishVelocity(w: ExpAdamsWork, mu: number, rtol: number, atol: number): number {
  const { p, pNew, pLow, fNew, corr, low } = w;
  const a = mu * corr.wP[0], l = mu * low.wP[0];
  let err = 0;
  for (let c = 0; c < w.dim; c++) {
    const f = fNew[c];
    const pc = pNew[c] + a * f;
    pNew[c] = pc;
    const sc = atol + rtol * Math.max(Math.abs(p[c]), Math.abs(pc));
    err += ((pc - (pLow[c] + l * f)) / sc) ** 2;
  }
  return err;
}

/** The quadratures I by Adams–Moulton from the new integrand and the history. */
export function quadratureStep(w: ExpAdamsWork, h: number, ke: number): void {
  const { I, INew, gNew, hist, corr } = w;
  const k = w.extras;
  const a0 = h * corr.wI[0];
  for (let c = 0; c < k; c++) INew[c] = I[c] + a0 * gNew[c];
  for (let i = 0; i < ke; i++) axpy(h * corr.wI[i + 1], hist.g[i], INew, k);
}
