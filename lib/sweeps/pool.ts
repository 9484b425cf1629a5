/**
 * The Node executor: units computed on worker threads (lib/sweeps/worker.ts), each point reported as soon as its
 * unit finishes. Falls back to this thread when workers cannot start (e.g. no tsx). Node only.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { inThreadExecutor, type Executor, type Unit } from "./memo";
import type { Outcome } from "./method";
import { nodeFileLoader } from "./node-files";

class WorkerStartError extends Error {}

/**
 * An executor on `workers` threads (default: all cores; 0 = this thread).
 * @param root repository root (for the worker entry and problem files)
 * @param onFallback told when workers could not start and the units run in this thread instead
 */
export function threadPoolExecutor(root: string, workers = availableParallelism(), onFallback?: (why: string) => void): Executor {
  const local = inThreadExecutor(nodeFileLoader(root));
  if (workers === 0) return local;
  return async (units, done) => {
    const finished = new Set<number>();
    try {
      await runPool(root, units, workers, async (id, results) => {
        finished.add(id);
        const byIndex = new Map(units[id].points.map((p) => [p.index, p]));
        for (const [index, o] of results) await done(byIndex.get(index) as Unit["points"][number], o);
      });
    } catch (e) {
      if (!(e instanceof WorkerStartError)) throw e;
      onFallback?.(e.message);
      await local(units.filter((_, i) => !finished.has(i)), done);
    }
  };
}

function runPool(root: string, units: Unit[], workers: number, onUnit: (id: number, results: [number, Outcome][]) => Promise<void>): Promise<void> {
  const entry = pathToFileURL(join(root, "lib", "sweeps", "worker-entry.mjs"));
  const pool: Worker[] = [];
  let next = 0;
  let pending = units.length;
  let started = false;
  return new Promise<void>((resolvePool, reject) => {
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(e);
    };
    const feed = (w: Worker): void => {
      if (next < units.length) {
        const id = next++;
        w.postMessage({ type: "unit", id, unit: units[id] });
      } else w.postMessage({ type: "exit" });
    };
    const count = Math.min(workers, units.length);
    if (count === 0) return resolvePool();
    for (let q = 0; q < count; q++) {
      const w = new Worker(entry, { workerData: { root }, execArgv: [] });
      pool.push(w);
      w.on("message", (msg: { type: string; id: number; results?: [number, Outcome][]; message?: string }) => {
        if (msg.type === "ready") {
          started = true;
          feed(w);
        } else if (msg.type === "result") {
          onUnit(msg.id, msg.results as [number, Outcome][]).then(
            () => {
              if (--pending === 0) {
                for (const x of pool) x.postMessage({ type: "exit" });
                resolvePool();
              } else feed(w);
            },
            (e: Error) => fail(e),
          );
        } else if (msg.type === "error") fail(new Error(`sweep worker failed on unit ${msg.id}: ${msg.message}`));
      });
      w.on("error", (e) => fail(started ? e : new WorkerStartError(`a sweep worker could not start (${e.message})`)));
      w.on("exit", (code) => {
        if (code !== 0 && pending > 0) fail(new Error(`a sweep worker exited with code ${code}`));
      });
    }
  });
}
