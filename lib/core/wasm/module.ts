/**
 * Loads the WebAssembly kernels (wasm/, compiled by tools/build-wasm.mjs into base64 bytes in
 * kernels-generated.ts) and hands out instances, each with its own memory. Loading is synchronous and needs no
 * file system or network, so it works the same in Node, in tslab's CommonJS and in a browser Web Worker.
 *
 * The plain TypeScript kernels stay the reference: every WebAssembly kernel computes the same sums in the same
 * order, so switching backends changes no bit (the tests check it). `useWasmKernels(false)`, or the environment
 * variable DLN_KERNELS=ts, selects the TypeScript path everywhere; where WebAssembly with 128-bit SIMD is missing
 * it is selected automatically.
 */
import { KERNELS_SHARED_WASM, KERNELS_WASM } from "./kernels-generated";

/** The exported kernels; every pointer is a byte offset into the instance's memory (see wasm/*.ts at the repository root). */
export interface KernelExports {
  passRows(X: number, y: number, w: number, g: number, d: number, rows: number, m: number, grad: number): number;
  dlnUpdate(u: number, v: number, up: number, vp: number, w: number, g: number, c: number, beta: number, d: number): number;
  linearUpdate(w: number, wp: number, g: number, c: number, beta: number, d: number): number;
  batchResiduals(X: number, y: number, W: number, res: number, ss: number, n: number, d: number, pairs: number): void;
  batchGradients(X: number, res: number, G: number, n: number, d: number, pairs: number): void;
  batchUpdate(U: number, V: number, UP: number, VP: number, W: number, G: number, flags: number, p: number, d: number, c0: number, c1: number, b0: number, b1: number): void;
  matVec(X: number, v: number, out: number, n: number, d: number): void;
  matTVec(X: number, r: number, out: number, n: number, d: number): void;
  matTVecCols(X: number, r: number, out: number, n: number, d: number, j0: number, j1: number): void;
  scaleRowsPairs(X: number, s: number, B: number, n: number, d: number): void;
  gramPairs(B: number, J: number, n: number, d: number, p0: number, p1: number): void;
  choleskyPairs(J: number, n: number): number;
  choleskySolvePairs(L: number, n: number, b: number, out: number): void;
  scale(x: number, s: number, d: number): void;
}

/** The parts of the WebAssembly JS API used here (the project compiles without the DOM library). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** A kernel instance with its own memory. */
export interface KernelInstance {
  kernels: KernelExports;
  memory: WasmMemory;
}

const PAGE = 65536;
const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
let enabled = env?.DLN_KERNELS !== "ts";
const compiled: { plain?: WasmModule | null; shared?: WasmModule | null } = {};

/** Decode base64 without Buffer or atob (neither exists everywhere the library runs). */
export function decodeBase64(s: string): Uint8Array {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const value = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) value[alphabet.charCodeAt(i)] = i;
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = value[clean.charCodeAt(i)];
    const b = value[clean.charCodeAt(i + 1)];
    const c = i + 2 < clean.length ? value[clean.charCodeAt(i + 2)] : 0;
    const d = i + 3 < clean.length ? value[clean.charCodeAt(i + 3)] : 0;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = bits >> 16;
    if (o < out.length) out[o++] = (bits >> 8) & 255;
    if (o < out.length) out[o++] = bits & 255;
  }
  return out;
}

function moduleFor(shared: boolean): WasmModule | null {
  const key = shared ? "shared" : "plain";
  if (compiled[key] === undefined) {
    compiled[key] = null;
    if (api) {
      const bytes = decodeBase64(shared ? KERNELS_SHARED_WASM : KERNELS_WASM);
      // validate() is false where 128-bit SIMD (or, for the shared build, threads) is not supported; a browser's
      // main thread may refuse to compile synchronously: either way the TypeScript kernels take over
      try {
        if (api.validate(bytes)) compiled[key] = new api.Module(bytes);
      } catch {
        compiled[key] = null;
      }
    }
  }
  return compiled[key]!;
}

/** True if the WebAssembly kernels are in use (supported here and not switched off). */
export function wasmKernelsEnabled(): boolean {
  return enabled && moduleFor(false) !== null;
}

/**
 * Switch the WebAssembly kernels on or off for the whole library (off = the TypeScript reference kernels,
 * bit-identical and slower). Objects created before the switch keep their backend.
 * @returns the previous setting
 */
export function useWasmKernels(on: boolean): boolean {
  if (typeof on !== "boolean") throw new TypeError(`useWasmKernels needs true or false, got ${String(on)}`);
  const previous = enabled;
  enabled = on;
  return previous;
}

/** True if a shared memory can be made here (Node, or a cross-origin-isolated page). */
export function sharedMemoryAvailable(): boolean {
  if (!wasmKernelsEnabled() || typeof SharedArrayBuffer === "undefined") return false;
  try {
    return moduleFor(true) !== null && new api!.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/**
 * A new kernel instance whose memory holds `bytes` bytes, or null if the WebAssembly kernels are not in use.
 * @param shared a shared memory (for worker threads); needs sharedMemoryAvailable()
 */
export function instantiate(bytes: number, shared = false): KernelInstance | null {
  if (!wasmKernelsEnabled()) return null;
  const module = moduleFor(shared);
  if (module === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = shared ? new api!.Memory({ initial: pages, maximum: 65536, shared: true }) : new api!.Memory({ initial: pages });
  const instance = new api!.Instance(module, { env: { memory, abort: abortFromWasm } });
  return { kernels: instance.exports as unknown as KernelExports, memory };
}

/** The compiled module (for a worker thread that instantiates it on a shared memory). */
export function compiledModule(shared: boolean): WasmModule | null {
  return wasmKernelsEnabled() ? moduleFor(shared) : null;
}

function abortFromWasm(): never {
  throw new Error("WebAssembly kernel aborted (a bug in wasm/)");
}
