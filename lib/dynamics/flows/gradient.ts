/**
 * The gradient g = ∇L(w) = Xᵀ(Xw − y)/n of lib/model/dln (lossAndGradient), evaluated the fast way for the flows by
 * the MGD kernel passRows (lib/dynamics/mgd-kernels.ts): rows of X in blocks of eight, whose residuals share the loads
 * of w and whose contribution to g is added while they are in cache, so X is read once per gradient. Every run's sums
 * run in the same order alone or in a batch, so batched and single flows agree bit for bit; against lossAndGradient
 * the result differs only by rounding (the order of the sums). Every flow (GF and MGF, on the network and on plain
 * regression, with either solver) takes its gradient from here: gradientKernel runs passRows in WebAssembly
 * (wasm/mgd.ts, the same bits) when the kernels are in use, blockedGradients in TypeScript otherwise.
 */
import { createArena } from "../../core/wasm/arena";
import { passRows } from "../mgd-kernels";
import type { Problem } from "../../model/problems";

/**
 * gᵣ = Xᵀ(X·wᵣ − y)/n for every run r (w and g: one array of length d per run).
 * @param p the problem shared by the runs
 * @param w the regression vectors
 * @param g written: the gradients
 */
export function blockedGradients(p: Problem, w: Float64Array[], g: Float64Array[]): void {
  tsGradients(p, allRows(p.n), w, g);
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** blockedGradients over a prepared list of every row (the kernel's fallback makes it once, not per call). */
function tsGradients(p: Problem, all: Int32Array, w: Float64Array[], g: Float64Array[]): void {
  const { n, d, X, y } = p;
  const inv = 1 / n;
  for (let r = 0; r < w.length; r++) {
    const gr = g[r];
    passRows(X, y, w[r], gr, d, all, n, true);
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
  if (a === null) {
    const all = allRows(n);
    return (w, g) => tsGradients(p, all, w, g);
  }
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
