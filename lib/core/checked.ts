/**
 * The linalg kernels as the public surface (lib/index.ts) offers them: the same arithmetic as core/linalg.ts, bit
 * for bit, after checking every argument (types, lengths, finite entries, sizes within MAX_ENTRIES). The library's
 * own hot loops call the unchecked kernels in linalg.ts with sizes they have already checked.
 */
import * as k from "./linalg";
import { checkSize, checkVector } from "./validate";

/** A result beyond the double range is an error, not an Infinity or a NaN handed back. */
function finiteResult<T extends number | Float64Array>(what: string, v: T): T {
  const ok = typeof v === "number" ? Number.isFinite(v) : v.every(Number.isFinite);
  if (!ok) throw new RangeError(`${what} overflows the double range (the entries are too large)`);
  return v;
}

/** n, d and X (n×d row-major, finite), as every matrix kernel needs them. */
function checkMatrix(X: unknown, n: unknown, d: unknown): void {
  checkSize("n", n, 1);
  checkSize("d", d, 1);
  checkSize("n·d", (n as number) * (d as number));
  checkVector("X", X, (n as number) * (d as number));
}

/** An optional output buffer of the given length (entries are overwritten, so they need not be finite). */
function checkOut(out: unknown, length: number): void {
  if (out === undefined) return;
  if (!(out instanceof Float64Array)) throw new TypeError(`out must be a Float64Array, got ${out === null ? "null" : typeof out}`);
  if (out.length !== length) throw new RangeError(`out must have length ${length}, got length ${out.length}`);
}

/**
 * out = X·v for X n×d row-major.
 * @throws TypeError/RangeError naming a bad argument
 * @example matVec(Float64Array.from([1, 2, 3, 4]), 2, 2, Float64Array.from([1, 1])) // [3, 7]
 */
export function matVec(X: Float64Array, n: number, d: number, v: Float64Array, out?: Float64Array): Float64Array {
  checkMatrix(X, n, d);
  checkVector("v", v, d);
  checkOut(out, n);
  return finiteResult("matVec: X·v", k.matVec(X, n, d, v, out));
}

/**
 * out = Xᵀ·r for X n×d row-major.
 * @throws TypeError/RangeError naming a bad argument
 * @example matTVec(Float64Array.from([1, 2, 3, 4]), 2, 2, Float64Array.from([1, 1])) // [4, 6]
 */
export function matTVec(X: Float64Array, n: number, d: number, r: Float64Array, out?: Float64Array): Float64Array {
  checkMatrix(X, n, d);
  checkVector("r", r, n);
  checkOut(out, d);
  return finiteResult("matTVec: Xᵀ·r", k.matTVec(X, n, d, r, out));
}

/** a·b. @throws TypeError/RangeError for non-finite entries or lengths that differ */
export function dot(a: Float64Array, b: Float64Array): number {
  checkVector("a", a);
  checkVector("b", b, a.length);
  return finiteResult("dot: a·b", k.dot(a, b));
}

/** ‖a‖₂ (scaled: no overflow for huge entries). @throws TypeError/RangeError for non-finite entries */
export function norm2(a: Float64Array): number {
  return k.norm2(checkVector("a", a));
}

/** ‖a‖∞ = max |a_i|. @throws TypeError/RangeError for non-finite entries */
export function normInf(a: Float64Array): number {
  return k.normInf(checkVector("a", a));
}

/** ‖a‖₁. @throws TypeError/RangeError for non-finite entries */
export function norm1(a: Float64Array): number {
  return finiteResult("norm1: ‖a‖₁", k.norm1(checkVector("a", a)));
}

/** ‖a − b‖₂. @throws TypeError/RangeError for non-finite entries or lengths that differ */
export function distance(a: Float64Array, b: Float64Array): number {
  checkVector("a", a);
  checkVector("b", b, a.length);
  const plain = k.distance(a, b);
  if (Number.isFinite(plain)) return plain;
  // The squares overflowed: the scaled norm of a − b, unless a − b itself is beyond the range.
  return finiteResult("distance: ‖a − b‖", k.norm2(finiteResult("distance: a − b", a.map((x, i) => x - b[i]))));
}
