/**
 * Argument checks shared by every public function. Each throws a RangeError or TypeError whose message
 * names the argument, the value received and what is allowed, so a modified notebook cell fails with a
 * sentence rather than a NaN plot.
 */

function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Float64Array) return `Float64Array(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value === null) return "null";
  return typeof value;
}

/** A finite number, optionally inside [min, max] (bounds inclusive unless `open` says otherwise). */
export function checkNumber(
  name: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${show(value)}`);
  }
  const { min, max, minOpen = false, maxOpen = false } = range;
  const lowOk = min === undefined || (minOpen ? value > min : value >= min);
  const highOk = max === undefined || (maxOpen ? value < max : value <= max);
  if (!lowOk || !highOk) {
    const lo = min === undefined ? "(-∞" : `${minOpen ? "(" : "["}${min}`;
    const hi = max === undefined ? "∞)" : `${max}${maxOpen ? ")" : "]"}`;
    throw new RangeError(`${name} must lie in ${lo}, ${hi}, got ${value}`);
  }
  return value;
}

/** A safe integer, optionally inside [min, max]. */
export function checkInteger(name: string, value: unknown, range: { min?: number; max?: number } = {}): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${show(value)}`);
  }
  return checkNumber(name, value, range);
}

/** A Float64Array of the given length (if any) with finite entries. */
export function checkVector(name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new TypeError(`${name} must be a Float64Array, got ${show(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must have length ${length}, got length ${value.length}`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) {
      throw new RangeError(`${name}[${i}] must be finite, got ${value[i]}`);
    }
  }
  return value;
}

/** A vector whose entries are all > 0 (for α and Δ). */
export function checkPositiveVector(name: string, value: unknown, length?: number): Float64Array {
  const v = checkVector(name, value, length);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0)) throw new RangeError(`${name}[${i}] must be > 0, got ${v[i]}`);
  }
  return v;
}

/** Scalar-or-vector parameter (α, Δ): a positive number is broadcast to length d. */
export function positiveScalarOrVector(name: string, value: unknown, d: number): Float64Array {
  if (typeof value === "number") {
    checkNumber(name, value, { min: 0, minOpen: true });
    return new Float64Array(d).fill(value);
  }
  return checkPositiveVector(name, value, d);
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${show(value)}`);
  }
  return value as T;
}

/**
 * The most entries any one array of the library may have (5·10⁷ doubles, 400 MB): a size beyond it is a typo
 * (d: 1e9) that would otherwise freeze the machine in an allocation, so it is refused up front.
 */
export const MAX_ENTRIES = 50_000_000;

/**
 * A size (a length, or a product of dimensions such as n·d) that the library will allocate: an integer in
 * [min, MAX_ENTRIES].
 * @param name what it is, as the user wrote it ("d", "n·d")
 * @throws TypeError if not an integer; RangeError if out of range (the message says why there is a maximum)
 */
export function checkSize(name: string, value: unknown, min = 0): number {
  const v = checkInteger(name, value, { min });
  if (v > MAX_ENTRIES) throw new RangeError(`${name} must be at most ${MAX_ENTRIES} (5e7 doubles, 400 MB per array), got ${v}`);
  return v;
}
