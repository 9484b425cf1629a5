/**
 * The worker-thread side of the Node executor: computes units sent by lib/sweeps/pool.ts with the same code as the
 * main thread (computeUnit), so results do not depend on which thread computes a point. Entry:
 * lib/sweeps/worker-entry.mjs (plain JS, loads this file through tsx). Node only.
 * Protocol: main → worker { type: "unit", id, unit } | { type: "exit" }; worker → main { type: "ready" } |
 * { type: "result", id, results: [pointIndex, outcome][] } | { type: "error", id, message }.
 */
import { parentPort } from "node:worker_threads";
import { computeUnit, type Unit } from "./memo";
import { nodeFileLoader } from "./node-files";

/** The message loop of a sweep worker thread. */
export function serveWorker(init: { root: string }): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorker must run in a worker thread");
  const loadFile = nodeFileLoader(init.root);
  port.on("message", (msg: { type: string; id: number; unit: Unit }) => {
    if (msg.type === "exit") {
      port.close();
      return;
    }
    try {
      const results = computeUnit(msg.unit, loadFile).map(([pt, o]) => [pt.index, o]);
      port.postMessage({ type: "result", id: msg.id, results });
    } catch (e) {
      port.postMessage({ type: "error", id: msg.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage({ type: "ready" });
}
