// Addressing helpers shared by the kernels. Every array argument is a byte offset into the imported memory;
// Float64 arrays are 8-byte aligned, and the JS side (lib/core/wasm/workspace.ts) places each at a 16-byte boundary.

/** a[i] of a Float64 array at byte offset a. */
@inline export function at(a: usize, i: i32): f64 {
  return load<f64>(a + (<usize>i << 3));
}

/** a[i] = x. */
@inline export function put(a: usize, i: i32, x: f64): void {
  store<f64>(a + (<usize>i << 3), x);
}

/** a[i] of an Int32 array at byte offset a. */
@inline export function atI32(a: usize, i: i32): i32 {
  return load<i32>(a + (<usize>i << 2));
}

/** The pair (a[i], a[i + 1]) as one f64x2. */
@inline export function pairAt(a: usize, i: i32): v128 {
  return v128.load(a + (<usize>i << 3));
}

/** (a[i], a[i + 1]) = v. */
@inline export function putPair(a: usize, i: i32, v: v128): void {
  v128.store(a + (<usize>i << 3), v);
}

/** (a[i], a[i]). */
@inline export function splatAt(a: usize, i: i32): v128 {
  return v128.load64_splat(a + (<usize>i << 3));
}

/** acc + x·y, lane by lane, rounded twice (no fused multiply-add: the TypeScript reference cannot fuse). */
@inline export function madd(acc: v128, x: v128, y: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, y));
}

/** (lane 0 of a, lane 0 of b). */
@inline export function lows(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 0, 2);
}

/** (lane 1 of a, lane 1 of b). */
@inline export function highs(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 1, 3);
}

/** 0 if x is finite, NaN otherwise (x − x): summing these flags detects any non-finite entry in any order. */
@inline export function finiteFlag(x: v128): v128 {
  return f64x2.sub(x, x);
}
