/**
 * What the library and cells expect of Node's globals, inside the page's Web Worker. Imported first by the
 * worker's entry, so it runs before any library module. `process.versions` has no `node` entry on purpose:
 * Emscripten modules (HiGHS) would otherwise take the Node code path.
 */
export const REPO = "/repo";
export const CWD = `${REPO}/notebooks`;

type Writer = (text: string) => void;
const writers: { stdout: Writer; stderr: Writer } = { stdout: () => {}, stderr: () => {} };

/** Route process.stdout / process.stderr (the worker sends them to the running cell's outputs). */
export function setStreamWriters(stdout: Writer, stderr: Writer): void {
  writers.stdout = stdout;
  writers.stderr = stderr;
}

const stream = (name: "stdout" | "stderr") => ({
  isTTY: false,
  columns: 100,
  write(chunk: unknown): boolean {
    writers[name](typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk as Uint8Array));
    return true;
  },
});

const g = globalThis as Record<string, unknown>;
if (!g.process) {
  const started = performance.now();
  g.process = {
    title: "browser",
    browser: true,
    pid: 1,
    platform: "browser",
    arch: "wasm",
    version: "browser",
    versions: {},
    env: {},
    argv: ["browser"],
    execArgv: [],
    exitCode: undefined,
    cwd: () => CWD,
    chdir: () => { throw new Error("process.chdir is not available in the page"); },
    uptime: () => (performance.now() - started) / 1000,
    hrtime: Object.assign((prev?: [number, number]) => {
      const ns = BigInt(Math.round(performance.now() * 1e6));
      const t: [number, number] = [Number(ns / 1000000000n), Number(ns % 1000000000n)];
      return prev ? [t[0] - prev[0], t[1] - prev[1]] : t;
    }, { bigint: () => BigInt(Math.round(performance.now() * 1e6)) }),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
    on: () => g.process,
    once: () => g.process,
    off: () => g.process,
    emitWarning: (w: unknown) => writers.stderr(`Warning: ${String(w)}\n`),
    stdout: stream("stdout"),
    stderr: stream("stderr"),
  };
}
if (!g.setImmediate) {
  // A macrotask (not a microtask), so that a long loop yielding with setImmediate lets messages through.
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  // (cast: this file is also type-checked with Node's types, whose MessagePort has no onmessage)
  (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
  g.setImmediate = (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
    queue.push(() => fn(...args));
    channel.port2.postMessage(0);
    return queue.length;
  };
  g.clearImmediate = () => {};
}
if (!g.global) g.global = globalThis;
