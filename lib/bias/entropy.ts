/**
 * The hyperbolic entropy ψ_Δ, the potential of the diagonal-linear-network mirror flow (notebooks/08-theory.ipynb#conventions):
 *
 *   ψ_Δ(w) = ¼ Σ_i [ 2w_i·arcsinh(2w_i/Δ_i) − √(4w_i² + Δ_i²) + Δ_i ],
 *   ∇ψ_Δ(w)_i = ½·arcsinh(2w_i/Δ_i),   ∇²ψ_Δ(w) = diag(1/√(4w_i² + Δ_i²)).
 *
 * Δ (the balancedness u² − v²) is a positive number or one positive entry per coordinate. Every formula below
 * is written so that it neither overflows nor cancels catastrophically, from Δ = 1e-300 to |w| = 1e300:
 * with δ = Δ/2 and H = hypot(w, δ) = ½√(4w² + Δ²),
 *   ψ_i = ½ [ w·arcsinh(w/δ) − w²/(H + δ) ]       (the two terms differ by a factor ≥ 2, so no cancellation),
 * and the Bregman divergence uses the conjugate form (a sum of two non-negative terms, see bregmanPsi).
 */
import { checkVector, positiveScalarOrVector } from "../core/validate";

/** arcsinh(x/δ) without overflow of x/δ (δ > 0). */
export function asinhRatio(x: number, delta: number): number {
  const r = x / delta;
  if (Math.abs(r) < 1e300) return Math.asinh(r);
  // asinh(r) = sign·(ln 2|r| + O(r⁻²)); r⁻² < 1e-600 is far below rounding.
  const s = Math.LN2 + Math.log(Math.abs(x)) - Math.log(delta);
  return x < 0 ? -s : s;
}

/**
 * arcsinh(b/δ) − arcsinh(a/δ), accurate also when a ≈ b (where the plain difference cancels).
 * Uses asinh(p) − asinh(q) = asinh(p√(1+q²) − q√(1+p²)) rewritten without cancellation for a, b of one sign.
 */
export function asinhRatioDiff(b: number, a: number, delta: number): number {
  if (a === b) return 0;
  if ((a >= 0 && b >= 0) || (a <= 0 && b <= 0)) {
    // asinh(b/δ) − asinh(a/δ) = asinh((b² − a²)/(b·H_a + a·H_b)), H = hypot(·, δ): for one sign nothing
    // cancels, and asinh has condition number ≤ 1. Scaled by M = max(H_a, H_b) so that nothing overflows.
    const Ha = Math.hypot(a, delta);
    const Hb = Math.hypot(b, delta);
    const M = Math.max(Ha, Hb);
    const den = b * (Ha / M) + a * (Hb / M);
    const arg = (b - a) * ((b + a) / M / den);
    if (Number.isFinite(arg)) return Math.asinh(arg);
  }
  // opposite signs: the two arcsinh values add in magnitude, so the plain difference is accurate
  return asinhRatio(b, delta) - asinhRatio(a, delta);
}

/** φ(x) = eˣ − 1 − x ≥ 0, accurate near 0 (series) and for large |x|. */
export function expm1MinusX(x: number): number {
  if (Math.abs(x) < 0.5) {
    // Σ_{k≥2} x^k/k!; 18 terms leave < 1e-19 relative error for |x| < 0.5
    let term = (x * x) / 2;
    let s = term;
    for (let k = 3; k <= 20; k++) {
      term *= x / k;
      s += term;
    }
    return s;
  }
  return Math.expm1(x) - x;
}

/** An output buffer of the given length. */
function checkOut(out: unknown, length: number): void {
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out === null ? "null" : typeof out}`);
  if (out.length !== length) throw new RangeError(`out must have length ${length}, got length ${out.length}`);
}

function deltaVector(Delta: number | Float64Array, d: number): Float64Array {
  return positiveScalarOrVector("Delta", Delta, d);
}

/** ψ for one coordinate, with δ = Δ/2. */
function psiCoord(w: number, delta: number): number {
  if (w === 0) return 0;
  const H = Math.hypot(w, delta);
  return 0.5 * (w * asinhRatio(w, delta) - w * (w / (H + delta)));
}

/**
 * ψ_Δ(w), the hyperbolic entropy.
 * @param w regression vector (the paper's β)
 * @param Delta balancedness Δ > 0: a number or one entry per coordinate
 * @returns ψ_Δ(w) ≥ 0 (0 only at w = 0)
 * @throws TypeError/RangeError for non-finite w or non-positive Δ
 * @example psi(Float64Array.from([1]), 2) // = ½(asinh 1 − (√2 − 1)) ≈ 0.2336
 */
export function psi(w: Float64Array, Delta: number | Float64Array): number {
  checkVector("w", w);
  const D = deltaVector(Delta, w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += psiCoord(w[i], 0.5 * D[i]);
  return s;
}

/**
 * ∇ψ_Δ(w)_i = ½·arcsinh(2w_i/Δ_i).
 * @param w regression vector; @param Delta Δ > 0 (number or vector); @param out optional output buffer
 */
export function gradPsi(w: Float64Array, Delta: number | Float64Array, out?: Float64Array): Float64Array {
  checkVector("w", w);
  const D = deltaVector(Delta, w.length);
  out ??= new Float64Array(w.length); // after the checks: a bad argument must not fail here first
  checkOut(out, w.length);
  for (let i = 0; i < w.length; i++) out[i] = 0.5 * asinhRatio(w[i], 0.5 * D[i]);
  return out;
}

/**
 * Diagonal of ∇²ψ_Δ(w): 1/√(4w_i² + Δ_i²) = 1/(2·hypot(w_i, Δ_i/2)).
 * @param w regression vector; @param Delta Δ > 0 (number or vector); @param out optional output buffer
 */
export function hessianPsiDiag(w: Float64Array, Delta: number | Float64Array, out?: Float64Array): Float64Array {
  checkVector("w", w);
  const D = deltaVector(Delta, w.length);
  out ??= new Float64Array(w.length); // after the checks: a bad argument must not fail here first
  checkOut(out, w.length);
  for (let i = 0; i < w.length; i++) out[i] = 1 / (2 * Math.hypot(w[i], 0.5 * D[i]));
  return out;
}

/**
 * Inverse map of ∇ψ_Δ: the w with ∇ψ_Δ(w) = θ, i.e. w_i = (Δ_i/2)·sinh(2θ_i). Throws if it overflows.
 * @param theta dual (mirror) coordinates; @param Delta Δ > 0 (number or vector)
 */
export function gradPsiInverse(theta: Float64Array, Delta: number | Float64Array, out?: Float64Array): Float64Array {
  checkVector("theta", theta);
  const D = deltaVector(Delta, theta.length);
  out ??= new Float64Array(theta.length); // after the checks: a bad argument must not fail here first
  checkOut(out, theta.length);
  for (let i = 0; i < theta.length; i++) {
    const t = 2 * theta[i];
    const a = Math.abs(t);
    // for |2θ| > 20, sinh = e^{|2θ|}/2 to 1e-17 relative; combine logs so tiny Δ does not overflow e^{2θ}
    const mag = a < 20 ? 0.5 * D[i] * Math.sinh(a) : Math.exp(a + Math.log(0.25 * D[i]));
    if (!Number.isFinite(mag)) throw new RangeError(`gradPsiInverse: (Delta[${i}]/2)·sinh(2·theta[${i}]) overflows (theta = ${theta[i]}, Delta = ${D[i]})`);
    out[i] = t < 0 ? -mag : mag;
  }
  return out;
}

/** Bregman divergence for one coordinate: D(w, wt) with δ = Δ/2. */
function bregmanCoord(w: number, wt: number, delta: number): number {
  if (w === wt) return 0;
  // Conjugate form: with t = asinh(w/δ), e = asinh(wt/δ) − t, and φ(x) = eˣ − 1 − x,
  //   D = (Δ/8)[e^t φ(e) + e^{−t} φ(−e)],  Δe^t/2 = H + w,  Δe^{−t}/2 = H − w   (H = hypot(w, δ)),
  // a sum of two non-negative terms, so nothing cancels.
  const e = asinhRatioDiff(wt, w, delta);
  const H = Math.hypot(w, delta);
  const Ht = Math.hypot(wt, delta);
  // H ± w without cancellation: H − w = δ²/(H + w) for w > 0
  const plus = w >= 0 ? H + w : delta * (delta / (H - w));
  const minus = w <= 0 ? H - w : delta * (delta / (H + w));
  const plusT = wt >= 0 ? Ht + wt : delta * (delta / (Ht - wt));
  const minusT = wt <= 0 ? Ht - wt : delta * (delta / (Ht + wt));
  // (H + w)e^{e} = H̃ + w̃, so for large e use the closed form instead of overflowing e^{e}
  const t1 = e > 1 ? plusT - plus * (1 + e) : plus * expm1MinusX(e);
  const t2 = -e > 1 ? minusT - minus * (1 - e) : minus * expm1MinusX(-e);
  return 0.25 * (t1 + t2);
}

/**
 * Bregman divergence D_ψΔ(w, w̃) = ψ_Δ(w) − ψ_Δ(w̃) − ⟨∇ψ_Δ(w̃), w − w̃⟩ ≥ 0, computed without cancellation
 * (accurate to a few ulps even when w ≈ w̃).
 * @param w first point; @param wTilde base point w̃; @param Delta Δ > 0 (number or vector)
 * @returns D ≥ 0, exactly 0 at w = w̃
 */
export function bregmanPsi(w: Float64Array, wTilde: Float64Array, Delta: number | Float64Array): number {
  checkVector("w", w);
  checkVector("wTilde", wTilde, w.length);
  const D = deltaVector(Delta, w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) s += bregmanCoord(w[i], wTilde[i], 0.5 * D[i]);
  return s;
}

/** Per-coordinate terms of ψ_Δ(w) (their sum is psi(w, Delta)); useful for plots of the penalty per coordinate. */
export function psiTerms(w: Float64Array, Delta: number | Float64Array, out?: Float64Array): Float64Array {
  checkVector("w", w);
  const D = deltaVector(Delta, w.length);
  out ??= new Float64Array(w.length); // after the checks: a bad argument must not fail here first
  checkOut(out, w.length);
  for (let i = 0; i < w.length; i++) out[i] = psiCoord(w[i], 0.5 * D[i]);
  return out;
}
