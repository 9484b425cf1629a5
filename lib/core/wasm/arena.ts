/**
 * An arena: named Float64/Int32 arrays laid out in one WebAssembly memory, each at a 64-byte boundary, with
 * the byte offsets the kernels take. The memory is sized once and never grows, so the views stay valid for the
 * arena's lifetime; it is freed with the arena (garbage collected like any object).
 */
import { instantiate, type KernelExports, type WasmMemory } from "./module";

export interface Arena<F extends string, I extends string> {
  kernels: KernelExports;
  memory: WasmMemory;
  /** Float64 views by name. */
  f64: Record<F, Float64Array>;
  /** Int32 views by name. */
  i32: Record<I, Int32Array>;
  /** Byte offset of each array, for the kernels. */
  ptr: Record<F | I, number>;
}

const ALIGN = 64;

/**
 * Lay out the arrays in a new kernel instance; null when the WebAssembly kernels are not in use.
 * @param f64 lengths of the Float64 arrays by name
 * @param i32 lengths of the Int32 arrays by name
 * @param shared put the arena in a shared memory (for worker threads)
 */
export function createArena<F extends string, I extends string = never>(
  f64: Record<F, number>,
  i32: Record<I, number> = {} as Record<I, number>,
  shared = false,
): Arena<F, I> | null {
  const ptr = {} as Record<F | I, number>;
  let top = ALIGN; // offset 0 is left unused
  const place = (name: F | I, bytes: number): void => {
    ptr[name] = top;
    top += Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
  };
  for (const name of Object.keys(f64) as F[]) place(name, 8 * f64[name]);
  for (const name of Object.keys(i32) as I[]) place(name, 4 * i32[name]);
  const inst = instantiate(top, shared);
  if (inst === null) return null;
  const buffer = inst.memory.buffer;
  const f = {} as Record<F, Float64Array>;
  const i = {} as Record<I, Int32Array>;
  for (const name of Object.keys(f64) as F[]) f[name] = new Float64Array(buffer, ptr[name], f64[name]);
  for (const name of Object.keys(i32) as I[]) i[name] = new Int32Array(buffer, ptr[name], i32[name]);
  return { kernels: inst.kernels, memory: inst.memory, f64: f, i32: i, ptr };
}
