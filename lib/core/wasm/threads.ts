/**
 * Worker threads for the large kernels (Node only): the caller and the workers share one WebAssembly memory and
 * split a job into chunks that each takes from a shared counter, so nobody waits on a thread that is slow to
 * start or descheduled (the caller simply takes the remaining chunks). Every chunk computes its entries with the
 * same code whoever runs it, so the results do not depend on the number of threads or on timing: bit for bit
 * the single-threaded kernels.
 *
 * Jobs are synchronous for the caller (it blocks in Atomics.wait, which Node allows on its main thread). Where
 * worker threads or shared memory are missing (a browser page that is not cross-origin isolated, a Web Worker)
 * there is no pool and the kernels run on the calling thread; nor is there inside a worker thread (a parallel sweep
 * already keeps every core busy). The workers are unref'd: they never keep a
 * process alive. `useKernelThreads(false)` or DLN_KERNEL_THREADS=0 switches them off.
 */
import { compiledModule, type KernelExports, type WasmMemory } from "./module";

/** The kernels a job can split: the Newton matrix, its row scaling, X·v by rows, Xᵀ·r by coordinates. */
export const Op = { gram: 1, matVec: 2, matTVec: 3, scaleRows: 4 } as const;
export type OpCode = (typeof Op)[keyof typeof Op];

// Layout of the control block (Int32): job sequence, next chunk (tagged with the job), chunks done, chunk count,
// op, memory id, error flag, then 8 arguments and the chunk bounds.
const SEQ = 0;
const NEXT = 1;
const DONE = 2;
const CHUNKS = 3;
const OP = 4;
const MEMORY = 5;
const ERROR = 6;
const WORKED = 7;
const ARGS = 8;
const BOUNDS = 16;
const MAX_CHUNKS = 64;

/**
 * One chunk [lo, hi) of a job. Self-contained (no outer names): its source text is also the workers' copy.
 * Arguments: gram (B, J, n, d) over row pairs; matVec (X, v, out, n, d) over rows; matTVec (X, r, out, n, d)
 * over coordinates; scaleRows (X, s, B, n, d) over row pairs.
 */
function runChunk(k: KernelExports, op: number, a: Int32Array, lo: number, hi: number): void {
  if (op === 1) k.gramPairs(a[0], a[1], a[2], a[3], lo, hi);
  else if (op === 2) k.matVec(a[0] + lo * a[4] * 8, a[1], a[2] + lo * 8, hi - lo, a[4]);
  else if (op === 3) k.matTVecCols(a[0], a[1], a[2], a[3], a[4], lo, hi);
  else if (op === 4) k.scaleRowsPairs(a[0] + 2 * lo * a[4] * 8, a[1], a[2] + lo * a[4] * 16, Math.min(a[3], 2 * hi) - 2 * lo, a[4]);
}

/** The workers' loop (CommonJS source, run with eval). */
function workerSource(): string {
  return `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { ctrl, port, module } = workerData;
const runChunk = ${runChunk.toString()};
let seen = 0, memoryId = -1, kernels = null;
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    memoryId = m.message.id;
    kernels = new WebAssembly.Instance(module, { env: { memory: m.message.memory, abort() { throw new Error("kernel abort"); } } }).exports;
  }
  if (kernels === null || Atomics.load(ctrl, ${MEMORY}) !== memoryId) continue;
  for (;;) {
    const v = Atomics.load(ctrl, ${NEXT});
    if ((v >>> 16) !== (seen & 0xffff) || (v & 0xffff) >= Atomics.load(ctrl, ${CHUNKS})) break;
    if (Atomics.compareExchange(ctrl, ${NEXT}, v, v + 1) !== v) continue;
    const c = v & 0xffff;
    try { runChunk(kernels, ctrl[${OP}], ctrl.subarray(${ARGS}, ${ARGS + 8}), ctrl[${BOUNDS} + c], ctrl[${BOUNDS + 1} + c]); }
    catch (e) { Atomics.store(ctrl, ${ERROR}, 1); }
    Atomics.add(ctrl, ${WORKED}, 1);
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
}`;
}

export interface KernelPool {
  /** Threads that take chunks, the caller included. */
  readonly threads: number;
  /**
   * Run a job on the shared memory: chunk c covers [bounds[c], bounds[c + 1]). The caller's `kernels` must be an
   * instance on `memory` (a shared memory); returns when every chunk is done.
   */
  run(kernels: KernelExports, memory: WasmMemory, op: OpCode, args: number[], bounds: number[]): void;
  /** Chunks run by the workers so far (for tests and benchmarks). */
  workerChunks(): number;
}

interface NodeWorker {
  unref(): void;
  on(event: string, f: (...a: unknown[]) => void): void;
}
interface WorkerThreads {
  isMainThread: boolean;
  Worker: new (src: string, opts: object) => NodeWorker;
  MessageChannel: new () => { port1: { postMessage(m: unknown): void }; port2: object };
}
interface NodeProcess {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

const proc = (globalThis as { process?: NodeProcess }).process;
let enabled = proc?.env?.DLN_KERNEL_THREADS !== "0";
let pool: KernelPool | null | undefined;
let online: Promise<void> = Promise.resolve();
const memoryIds = new WeakMap<object, number>();
let nextMemoryId = 0;

/**
 * Switch the worker threads of the large kernels on or off (results are the same bits either way).
 * @returns the previous setting
 */
export function useKernelThreads(on: boolean): boolean {
  if (typeof on !== "boolean") throw new TypeError(`useKernelThreads needs true or false, got ${String(on)}`);
  const previous = enabled;
  enabled = on;
  return previous;
}

function cores(): number {
  const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return Math.max(1, os?.availableParallelism?.() ?? 1);
}

function createPool(): KernelPool | null {
  const wt = proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
  const module = compiledModule(true);
  const workers = Math.min(cores(), 4) - 1;
  // Not from inside a worker thread: a sweep already runs one worker per core, more threads would only compete.
  if (!wt || !wt.isMainThread || module === null || workers < 1 || typeof SharedArrayBuffer === "undefined") return null;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (BOUNDS + MAX_CHUNKS + 1)));
  const channels: { postMessage(m: unknown): void }[] = [];
  const starts: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(workerSource(), { eval: true, workerData: { ctrl, port: port2, module }, transferList: [port2] });
    // referenced until it is online (so that awaiting kernelThreadsReady keeps the process alive), then unref'd
    starts.push(new Promise((resolve) => worker.on("online", () => {
      worker.unref();
      resolve();
    })));
    worker.on("error", () => undefined); // a dead worker only means the caller takes every chunk
    channels.push(port1);
  }
  online = Promise.all(starts).then(() => undefined);
  let seq = 0;
  let posted = -1;
  return {
    threads: workers + 1,
    workerChunks: () => Atomics.load(ctrl, WORKED),
    run(kernels, memory, op, args, bounds) {
      const chunks = bounds.length - 1;
      if (chunks > MAX_CHUNKS) throw new RangeError(`at most ${MAX_CHUNKS} chunks per job, got ${chunks}`);
      if (!memoryIds.has(memory)) memoryIds.set(memory, nextMemoryId++);
      const id = memoryIds.get(memory)!;
      if (id !== posted) for (const port of channels) port.postMessage({ id, memory });
      posted = id;
      ctrl[MEMORY] = id;
      ctrl[OP] = op;
      for (let i = 0; i < args.length; i++) ctrl[ARGS + i] = args[i];
      for (let c = 0; c <= chunks; c++) ctrl[BOUNDS + c] = bounds[c];
      ctrl[CHUNKS] = chunks;
      ctrl[DONE] = 0;
      ctrl[ERROR] = 0;
      seq++;
      Atomics.store(ctrl, NEXT, (seq & 0xffff) << 16);
      Atomics.store(ctrl, SEQ, seq);
      Atomics.notify(ctrl, SEQ);
      takeChunks(ctrl, kernels);
      waitForChunks(ctrl, chunks);
    },
  };
}

/** The caller's share: chunks from the shared counter until none is left. */
function takeChunks(ctrl: Int32Array, kernels: KernelExports): void {
  const chunks = ctrl[CHUNKS];
  for (;;) {
    const v = Atomics.load(ctrl, NEXT);
    const c = v & 0xffff;
    if (c >= chunks) return;
    if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
    runChunk(kernels, ctrl[OP], ctrl.subarray(ARGS, ARGS + 8), ctrl[BOUNDS + c], ctrl[BOUNDS + c + 1]);
    Atomics.add(ctrl, DONE, 1);
  }
}

/** Block until every chunk is done (a worker may still be finishing one). */
function waitForChunks(ctrl: Int32Array, chunks: number): void {
  const t0 = Date.now();
  for (let done = Atomics.load(ctrl, DONE); done < chunks; done = Atomics.load(ctrl, DONE)) {
    Atomics.wait(ctrl, DONE, done, 100);
    if (Date.now() - t0 > 600_000) throw new Error("kernel worker thread did not finish its chunk within 10 minutes");
  }
  if (ctrl[ERROR] !== 0) throw new Error("a kernel worker thread failed (a bug in lib/core/wasm)");
}

/** The pool (created on first use), or null where worker threads, shared memory or the switch say no. */
export function kernelPool(): KernelPool | null {
  if (!enabled) return null;
  if (pool === undefined) pool = createPool();
  return pool;
}

/**
 * Resolves once the workers are running (they start in the background; until then the caller takes every
 * chunk). Benchmarks await it; nothing else needs to.
 */
export async function kernelThreadsReady(): Promise<number> {
  const p = kernelPool();
  await online;
  return p?.threads ?? 1;
}

/**
 * Chunk bounds for `parts` chunks of [0, total) with equal work when the work of item i grows like (i + 1)^power
 * (power 0: equal sizes; 1: a triangle, as the Gram's row pairs), each bound a multiple of `step`.
 */
export function chunkBounds(total: number, parts: number, power: 0 | 1, step = 1): number[] {
  const bounds = [0];
  for (let c = 1; c < parts; c++) {
    const x = power === 0 ? (total * c) / parts : total * Math.sqrt(c / parts);
    const b = Math.min(total, Math.round(x / step) * step);
    if (b > bounds[bounds.length - 1]) bounds.push(b);
  }
  if (bounds[bounds.length - 1] < total) bounds.push(total);
  return bounds;
}
