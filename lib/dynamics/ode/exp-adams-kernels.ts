/**
 * The vector kernels of one exponential Adams step (lib/dynamics/ode/exp-adams.ts): weights, the history's share of
 * the new position and velocity, the θ = 1 terms with the error estimates, and the Adams quadratures.
 */
import type { ExpAdamsWork } from "./exp-adams-work";

/**
 * The weights of the step: predictor (history only), and the correctors for the position (f̃ at θ = 1), the
 * velocity (fₙ₊₁ at θ = 1) and the lower-order velocity of the error estimate; then the predictor and the
 * lower-order velocity one order lower still (for the choice of order), when ke ≥ 2.
 */
export function stepWeights(w: ExpAdamsWork, t: number, h: number, mu: number, ke: number): void {
  const { hist, pred, corr, low, predLo, low2, mom } = w;
  mom.compute(mu, 1, ke + 1);
  pred.setNodes(false, hist.t, ke, t, h);
  pred.integrate(mom.A, mom.E);
  corr.setNodes(true, hist.t, ke, t, h);
  corr.integrate(mom.A, mom.E);
  low.setNodes(true, hist.t, ke - 1, t, h);
  low.integrate(mom.A, mom.E);
  if (ke < 2) return;
  predLo.setNodes(false, hist.t, ke - 1, t, h);
  predLo.integrate(mom.A, mom.E);
  low2.setNodes(true, hist.t, ke - 2, t, h);
  low2.integrate(mom.A, mom.E);
}

/**
 * The history's share of the predicted positions (order ke into xPred, ke − 1 into xPredLo), the corrected position
 * (xNew) and the velocities of orders ke + 1, ke, ke − 1 (pNew, pLow, pLow2), in one pass over the stored forces;
 * the θ = 1 terms are added once the forces there are known. (A hot kernel.)
 */
export function historySums(w: ExpAdamsWork, h: number, mu: number, ke: number): void {
  const { x, p, xPred, xNew, pNew, pLow, xPredLo, pLow2, hist, pred, corr, low, predLo, low2, mom, coef } = w;
  const n = w.dim;
  const hp = h * mom.sPhi1, decay = mom.decay;
  // Per history point i: the six weights, then one pass per component over the points (loads of f only).
  for (let i = 0; i < ke; i++) {
    coef[6 * i] = h * (pred.wI[i] - pred.wP[i]);
    coef[6 * i + 1] = h * (corr.wI[i + 1] - corr.wP[i + 1]);
    coef[6 * i + 2] = i < ke - 1 ? h * (predLo.wI[i] - predLo.wP[i]) : 0;
    coef[6 * i + 3] = mu * corr.wP[i + 1];
    coef[6 * i + 4] = i < ke - 1 ? mu * low.wP[i + 1] : 0;
    coef[6 * i + 5] = i < ke - 2 ? mu * low2.wP[i + 1] : 0;
  }
  const f = hist.f;
  for (let c = 0; c < n; c++) {
    const xb = x[c] + hp * p[c], pb = decay * p[c];
    let s0 = xb, s1 = xb, s2 = xb, s3 = pb, s4 = pb, s5 = pb;
    for (let i = 0, k = 0; i < ke; i++, k += 6) {
      const fi = f[i][c];
      s0 += coef[k] * fi;
      s1 += coef[k + 1] * fi;
      s2 += coef[k + 2] * fi;
      s3 += coef[k + 3] * fi;
      s4 += coef[k + 4] * fi;
      s5 += coef[k + 5] * fi;
    }
    xPred[c] = s0;
    xNew[c] = s1;
    xPredLo[c] = s2;
    pNew[c] = s3;
    pLow[c] = s4;
    pLow2[c] = s5;
  }
}

/**
 * Adds the θ = 1 force term: xNew += w·f̃; stores the largest squared scaled error of x̃ against x (errs[0]) and of the
 * order ke − 1 prediction (errs[1]).
 */
export function finishPosition(w: ExpAdamsWork, h: number, rtol: number, atol: number): void {
  const { x, xPred, xPredLo, xNew, fPred, corr } = w;
  const a = h * (corr.wI[0] - corr.wP[0]);
  let err = 0, errLo = 0;
  for (let c = 0; c < w.dim; c++) {
    const xc = xNew[c] + a * fPred[c];
    xNew[c] = xc;
    const sc = atol + rtol * Math.max(Math.abs(x[c]), Math.abs(xc));
    err = Math.max(err, ((xc - xPred[c]) / sc) ** 2);
    errLo = Math.max(errLo, ((xc - xPredLo[c]) / sc) ** 2);
  }
  w.errs[0] = err;
  w.errs[1] = errLo;
}

/**
 * Adds the θ = 1 force term to the velocities; stores the largest squared scaled error of pNew against pLow (errs[2])
 * and of pLow against pLow2 (errs[3], the error one order lower).
 */
export function finishVelocity(w: ExpAdamsWork, mu: number, rtol: number, atol: number): void {
  const { p, pNew, pLow, pLow2, fNew, corr, low, low2 } = w;
  const a = mu * corr.wP[0], l = mu * low.wP[0], l2 = mu * low2.wP[0];
  let err = 0, errLo = 0;
  for (let c = 0; c < w.dim; c++) {
    const f = fNew[c];
    const pc = pNew[c] + a * f, pl = pLow[c] + l * f;
    pNew[c] = pc;
    const sc = atol + rtol * Math.max(Math.abs(p[c]), Math.abs(pc));
    err = Math.max(err, ((pc - pl) / sc) ** 2);
    errLo = Math.max(errLo, ((pl - (pLow2[c] + l2 * f)) / sc) ** 2);
  }
  w.errs[2] = err;
  w.errs[3] = errLo;
}

/** out[c] += a·v[c] for c < n. */
export function axpy(a: number, v: Float64Array, out: Float64Array, n: number): void {
  for (let c = 0; c < n; c++) out[c] += a * v[c];
}

/** The quadratures I by Adams–Moulton from the new integrand and the history. */
export function quadratureStep(w: ExpAdamsWork, h: number, ke: number): void {
  const { I, INew, gNew, hist, corr } = w;
  const k = w.extras;
  const a0 = h * corr.wI[0];
  for (let c = 0; c < k; c++) INew[c] = I[c] + a0 * gNew[c];
  for (let i = 0; i < ke; i++) axpy(h * corr.wI[i + 1], hist.g[i], INew, k);
}
