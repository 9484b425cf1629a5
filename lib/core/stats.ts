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
