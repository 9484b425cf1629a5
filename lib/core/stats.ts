/**
 * Summary statistics the experiments report with: geometric mean, correlation. Plain functions on Float64Array.
 */
import { checkPositiveVector, checkVector } from "./validate";

/**
 * Sample (Pearson) correlation of two equally long vectors.
 * @throws RangeError if the lengths differ, are < 2, or a vector is constant
 */
export function correlation(a: Float64Array, b: Float64Array): number {
  checkVector("a", a);
  checkVector("b", b, a.length);
  if (a.length < 2) throw new RangeError(`correlation needs at least 2 entries, got ${a.length}`);
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.length;
  mb /= a.length;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  if (saa === 0 || sbb === 0) throw new RangeError("correlation is undefined for a constant vector");
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Geometric mean (Π v_i)^{1/d} of a positive vector, computed in the log domain.
 * @throws RangeError if an entry is ≤ 0
 * @example geometricMean(Float64Array.of(1, 100)) // 10
 */
export function geometricMean(v: Float64Array): number {
  checkPositiveVector("v", v);
  if (v.length === 0) throw new RangeError("v must not be empty");
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.log(v[i]);
  return Math.exp(s / v.length);
}

function checkSample(name: string, xs: ArrayLike<number>, min = 1): void {
  if (xs == null || typeof xs.length !== "number") throw new TypeError(`${name} must be an array of numbers`);
  if (xs.length < min) throw new RangeError(`${name} needs at least ${min} value${min > 1 ? "s" : ""}, got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    if (typeof xs[i] !== "number" || !Number.isFinite(xs[i])) throw new RangeError(`${name}[${i}] must be a finite number, got ${xs[i]}`);
  }
}

/**
 * Sum of a list of finite numbers (0 for an empty list).
 * @example sum([1, 2, 3]) // 6
 */
export function sum(xs: ArrayLike<number>): number {
  checkSample("xs", xs, 0);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

/**
 * Arithmetic mean.
 * @throws RangeError for an empty list or a non-finite entry
 * @example mean([1, 2, 3]) // 2
 */
export function mean(xs: ArrayLike<number>): number {
  checkSample("xs", xs);
  return sum(xs) / xs.length;
}

/**
 * Sample standard deviation (n − 1 in the denominator; 0 for a single value).
 * @example sd([1, 2, 3]) // 1
 */
export function sd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  if (xs.length === 1) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/**
 * Least-squares slope and intercept of y against x.
 * @throws RangeError if the lengths differ, there are fewer than 2 points, or x is constant
 * @example linearFit([0, 1, 2], [1, 3, 5]) // { slope: 2, intercept: 1 }
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number } {
  checkSample("x", x, 2);
  checkSample("y", y, 2);
  if (x.length !== y.length) throw new RangeError(`x and y must have the same length, got ${x.length} and ${y.length}`);
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  if (sxx === 0) throw new RangeError("linearFit needs at least two distinct x values");
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * Slope of log y against log x (the order p of y ∝ x^p), by least squares.
 * @throws RangeError if an entry is ≤ 0 (or as linearFit)
 * @example logLogSlope([0.1, 0.2, 0.4], [0.01, 0.04, 0.16]) // 2
 */
export function logLogSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSample("x", x, 2);
  checkSample("y", y, 2);
  for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) throw new RangeError(`x[${i}] must be > 0 for a log-log slope, got ${x[i]}`);
  for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) throw new RangeError(`y[${i}] must be > 0 for a log-log slope, got ${y[i]}`);
  return linearFit(Array.from(x, Math.log), Array.from(y, Math.log)).slope;
}
