/**
 * x ** y as the notebooks' kernel computes it. Node 20's V8 computes Math.pow and `**` with its port of fdlibm's
 * algorithm (e_pow.c, Sun Microsystems 1993, freely redistributable; written here anew from the algorithm); newer
 * V8 builds (Chromium's) call the C library's pow instead, which differs in the last bit for about one input in ten. One last bit is enough for an ODE solver's
 * step control to take other steps, so a flow computed in the page would differ from the kernel's, and the sweep
 * store (whose code versions fingerprint the numbers a method computes) would call every stored flow stale.
 * The page's worker therefore installs this function as Math.pow, and the bundler turns `**` into Math.pow.
 * Checked bit for bit against Node's Math.pow (test/fdlibm-pow.test.ts).
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;

const high = (x: number): number => ((f64[0] = x), u32[HI] | 0);
const low = (x: number): number => ((f64[0] = x), u32[LO]);
const withLow = (x: number, lo: number): number => ((f64[0] = x), (u32[LO] = lo), f64[0]);
const withHigh = (x: number, hi: number): number => ((f64[0] = x), (u32[HI] = hi), f64[0]);
const fromWords = (hi: number, lo: number): number => ((u32[HI] = hi), (u32[LO] = lo), f64[0]);

const BP = [1.0, 1.5];
const DP_H = [0.0, 5.84962487220764160156e-1]; // log2(1.5), high bits
const DP_L = [0.0, 1.35003920212974897128e-8]; // log2(1.5), tail
const TWO53 = 9007199254740992.0;
const HUGE = 1.0e300;
const TINY = 1.0e-300;
const TWO_M54 = 5.55111512312578270212e-17; // 2⁻⁵⁴
// (3/2)·(log(x) − 2s − (2/3)s³) on the reduced interval
const L1 = 5.99999999999994648725e-1, L2 = 4.28571428578550184252e-1, L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1, L5 = 2.30660745775561754067e-1, L6 = 2.06975017800338417784e-1;
// exp's polynomial
const P1 = 1.66666666666666019037e-1, P2 = -2.77777777770155933842e-3, P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6, P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1, LG2_H = 6.93147182464599609375e-1, LG2_L = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17; // −(1024 − log2(overflow threshold + ½ ulp))
const CP = 9.61796693925975554329e-1, CP_H = 9.61796700954437255859e-1, CP_L = -7.02846165095275826516e-9; // 2/(3 ln 2)
const IVLN2 = 1.44269504088896338700, IVLN2_H = 1.44269502162933349609, IVLN2_L = 1.92596299112661746887e-8; // 1/ln 2

/** 0: y is not an integer, 1: an odd integer, 2: an even integer (looked at only for x < 0). */
function integerKind(iy: number, ly: number): number {
  if (iy >= 0x43400000) return 2;
  if (iy < 0x3ff00000) return 0;
  const k = (iy >> 20) - 0x3ff;
  if (k > 20) {
    const j = ly >>> (52 - k);
    return (j << (52 - k)) >>> 0 === ly ? 2 - (j & 1) : 0;
  }
  if (ly !== 0) return 0;
  const j = iy >> (20 - k);
  return j << (20 - k) === iy ? 2 - (j & 1) : 0;
}

/** x ** y where y is ±∞, ±1, 2 or ½ (undefined: not one of those). */
function specialY(x: number, y: number, hx: number, ix: number, lx: number, hy: number, iy: number): number | undefined {
  if (iy === 0x7ff00000) {
    if (((ix - 0x3ff00000) | lx) === 0) return y - y; // (±1) ** ±∞ is NaN in JavaScript
    if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // (|x| > 1) ** ±∞ = ∞, 0
    return hy < 0 ? -y : 0; // (|x| < 1) ** ∓∞ = ∞, 0
  }
  if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
  if (hy === 0x40000000) return x * x;
  if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x);
  return undefined;
}

/** x ** y for x = ±0, ±∞, ±1 (undefined otherwise). */
function specialX(x: number, hx: number, ix: number, lx: number, hy: number, yisint: number): number | undefined {
  if (lx !== 0 || (ix !== 0x7ff00000 && ix !== 0 && ix !== 0x3ff00000)) return undefined;
  let z = Math.abs(x);
  if (hy < 0) z = 1 / z;
  if (hx < 0) {
    if (((ix - 0x3ff00000) | yisint) === 0) z = NaN; // (−1) ** non-integer
    else if (yisint === 1) z = -z;
  }
  return z;
}

/** log2(ax) as t1 + t2, t1 with its low word cleared, for |y| ≤ 2³¹ (the general case). */
function log2Split(ax: number, ix: number): [number, number] {
  let n = 0;
  if (ix < 0x00100000) {
    ax *= TWO53; // subnormal x
    n -= 53;
    ix = high(ax);
  }
  n += (ix >> 20) - 0x3ff;
  const j = ix & 0x000fffff;
  ix = j | 0x3ff00000;
  let k: number;
  if (j <= 0x3988e) k = 0; // |x| < √(3/2)
  else if (j < 0xbb67a) k = 1; // |x| < √3
  else {
    k = 0;
    n += 1;
    ix -= 0x00100000;
  }
  ax = withHigh(ax, ix);
  // ss = s_h + s_l = (x − 1)/(x + 1) or (x − 1.5)/(x + 1.5)
  let u = ax - BP[k];
  let v = 1 / (ax + BP[k]);
  const ss = u * v;
  const sH = withLow(ss, 0);
  let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
  let tL = ax - (tH - BP[k]);
  const sL = v * ((u - sH * tH) - sH * tL);
  let s2 = ss * ss;
  let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
  r += sL * (sH + ss);
  s2 = sH * sH;
  tH = withLow(3.0 + s2 + r, 0);
  tL = r - ((tH - 3.0) - s2);
  u = sH * tH;
  v = sL * tH + tL * ss;
  const pH = withLow(u + v, 0);
  const pL = v - (pH - u);
  const zH = CP_H * pH;
  const zL = CP_L * pH + pL * CP + DP_L[k];
  const t = n;
  const t1 = withLow(((zH + zL) + DP_H[k]) + t, 0);
  return [t1, zL - (((t1 - t) - DP_H[k]) - zH)];
}

/** log2(ax) as t1 + t2 when |y| > 2³¹ and x is within 2⁻²⁰ of 1: a few terms of the series suffice. */
function log2NearOne(ax: number): [number, number] {
  const t = ax - 1;
  const w = (t * t) * (0.5 - t * (3.3333333333333331e-1 - t * 0.25));
  const u = IVLN2_H * t;
  const v = t * IVLN2_L - w * IVLN2;
  const t1 = withLow(u + v, 0);
  return [t1, v - (t1 - u)];
}

/** s · 2^(pH + pL), with over- and underflow (z = pH + pL, j and i its words). */
function exp2(pH: number, pL: number, s: number): number {
  const z0 = pH + pL;
  const j = high(z0);
  const i0 = low(z0);
  if (j >= 0x40900000) {
    if (((j - 0x40900000) | i0) !== 0 || pL + OVT > z0 - pH) return s * HUGE * HUGE; // z ≥ 1024
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    if (((j - 0xc090cc00) | i0) !== 0 || pL <= z0 - pH) return s * TINY * TINY; // z ≤ −1075
  }
  const i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  let n = 0;
  if (i > 0x3fe00000) {
    // |z| > ½: n = [z + ½]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = withLow(pL + pH, 0);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  let z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const t1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  // V8's port divides by (t1 − 2) − (w + z·w) where fdlibm divides by t1 − 2 and then subtracts w + z·w: the kernel
  // computes V8's form, so this does too
  const r = (z * t1) / ((t1 - 2) - (w + z * w));
  z = 1 - (r - z);
  const hz = (high(z) + (n << 20)) | 0;
  // a subnormal result: scale in two exact steps and one rounding, as scalbn does
  z = hz >> 20 <= 0 ? (z * fromWords((n + 54 + 0x3ff) << 20, 0)) * TWO_M54 : withHigh(z, hz);
  return s * z;
}

/**
 * x ** y, bit for bit as fdlibm (and so Node 20's V8) computes it, with JavaScript's special cases.
 * @param x the base; @param y the exponent
 * @returns x raised to y
 * @example fdlibmPow(2, 0.5) // 1.4142135623730951
 */
export function fdlibmPow(x: number, y: number): number {
  const hx = high(x), lx = low(x), hy = high(y), ly = low(y);
  const ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1; // x ** 0 = 1, even for NaN
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return NaN;
  const yisint = hx < 0 ? integerKind(iy, ly) : 0;
  if (ly === 0) {
    const r = specialY(x, y, hx, ix, lx, hy, iy);
    if (r !== undefined) return r;
  }
  const rx = specialX(x, hx, ix, lx, hy, yisint);
  if (rx !== undefined) return rx;
  const negative = hx < 0;
  if (negative && yisint === 0) return NaN; // (x < 0) ** non-integer
  const s = negative && yisint === 1 ? -1 : 1;
  let t1: number, t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2³¹: over- or underflow unless x is very close to 1
    if (iy > 0x43f00000) {
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    [t1, t2] = log2NearOne(Math.abs(x));
  } else {
    [t1, t2] = log2Split(Math.abs(x), ix);
  }
  // (y1 + y2)·(t1 + t2), y1 = y with its low word cleared
  const y1 = withLow(y, 0);
  return exp2(y1 * t1, (y - y1) * t1 + y * t2, s);
}

/** Math.pow for the page's worker: the common y = 2 inline, everything else as fdlibm does it. */
export const pagePow = (x: number, y: number): number => (y === 2 ? x * x : fdlibmPow(x, y));
