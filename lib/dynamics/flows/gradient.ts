/**
 * The gradient g = ∇L(w) = Xᵀ(Xw − y)/n of lib/model/dln (lossAndGradient), evaluated the fast way for the flows:
 * rows of X in blocks of eight, whose residuals share the loads of w (eight
 * independent sums) and whose contribution to g is added while they are in cache, so X is read once per gradient
 * (the MGD kernel of lib/dynamics/optimizers.ts does the same). For several runs at once (a batch), each block of
 * rows serves every run before the next is read. Every run's sums run in the same order whether it is alone or in a
 * batch, so batched and single flows agree bit for bit; against lossAndGradient the result differs only by rounding
 * (the order of the sums). Every flow (GF and MGF, on the network and on plain regression, with either solver) takes
 * its gradient from here.
 *
 * gradientKernel runs the same sums in WebAssembly (passRows of wasm/mgd.ts, the MGD kernel, whose arithmetic and
 * order are those of block8 and row1 below) when the kernels are in use: the same bits, 2.5–5× faster.
 */
import { createArena } from "../../core/wasm/arena";
import type { Problem } from "../../model/problems";

/** One block of eight rows starting at row i, for one run: residual sums, then g += Σ r_k x_k. (A hot kernel.) */
function block8(X: Float64Array, y: Float64Array, d: number, i: number, w: Float64Array, g: Float64Array): void {
  const b0 = i * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d, b4 = b3 + d, b5 = b4 + d, b6 = b5 + d, b7 = b6 + d;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  for (let j = 0; j < d; j++) {
    const wj = w[j];
    s0 += X[b0 + j] * wj;
    s1 += X[b1 + j] * wj;
    s2 += X[b2 + j] * wj;
    s3 += X[b3 + j] * wj;
    s4 += X[b4 + j] * wj;
    s5 += X[b5 + j] * wj;
    s6 += X[b6 + j] * wj;
    s7 += X[b7 + j] * wj;
  }
  const r0 = s0 - y[i], r1 = s1 - y[i + 1], r2 = s2 - y[i + 2], r3 = s3 - y[i + 3];
  const r4 = s4 - y[i + 4], r5 = s5 - y[i + 5], r6 = s6 - y[i + 6], r7 = s7 - y[i + 7];
  for (let j = 0; j < d; j++) {
    g[j] += X[b0 + j] * r0 + X[b1 + j] * r1 + (X[b2 + j] * r2 + X[b3 + j] * r3) + (X[b4 + j] * r4 + X[b5 + j] * r5 + (X[b6 + j] * r6 + X[b7 + j] * r7));
  }
}

/** One leftover row i for one run. */
function row1(X: Float64Array, y: Float64Array, d: number, i: number, w: Float64Array, g: Float64Array): void {
  const b = i * d;
  let s = 0;
  for (let j = 0; j < d; j++) s += X[b + j] * w[j];
  const r = s - y[i];
  for (let j = 0; j < d; j++) g[j] += X[b + j] * r;
}

/**
 * gᵣ = Xᵀ(X·wᵣ − y)/n for every run r (w and g: one array of length d per run).
 * @param p the problem shared by the runs
 * @param w the regression vectors
 * @param g written: the gradients
 */
export function blockedGradients(p: Problem, w: Float64Array[], g: Float64Array[]): void {
  const { n, d, X, y } = p;
  const R = w.length;
  for (let r = 0; r < R; r++) g[r].fill(0);
  let i = 0;
  for (; i + 7 < n; i += 8) for (let r = 0; r < R; r++) block8(X, y, d, i, w[r], g[r]);
  for (; i < n; i++) for (let r = 0; r < R; r++) row1(X, y, d, i, w[r], g[r]);
  const inv = 1 / n;
  for (let r = 0; r < R; r++) {
    const gr = g[r];
    for (let j = 0; j < d; j++) gr[j] *= inv;
  }
}

/** gᵣ = ∇L(wᵣ) for every run r of one problem, as blockedGradients computes it. */
export type GradientKernel = (w: Float64Array[], g: Float64Array[]) => void;

/**
 * The gradient kernel of a problem: X and y copied once into a WebAssembly arena, then one passRows per run (the
 * bits of blockedGradients); blockedGradients itself when the WebAssembly kernels are off.
 * @param p the problem shared by the runs
 */
export function gradientKernel(p: Problem): GradientKernel {
  const { n, d } = p;
  const a = createArena({ X: n * d, y: n, w: d, g: d }, { all: n });
  if (a === null) return (w, g) => blockedGradients(p, w, g);
  a.f64.X.set(p.X);
  a.f64.y.set(p.y);
  for (let i = 0; i < n; i++) a.i32.all[i] = i;
  const { kernels: k, ptr } = a;
  const aw = a.f64.w, ag = a.f64.g;
  const inv = 1 / n;
  return (w, g) => {
    for (let r = 0; r < w.length; r++) {
      aw.set(w[r]);
      k.passRows(ptr.X, ptr.y, ptr.w, ptr.g, d, ptr.all, n, 1);
      const gr = g[r];
      for (let j = 0; j < d; j++) gr[j] = ag[j] * inv;
    }
  };
}
