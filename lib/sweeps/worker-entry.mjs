// Entry of a sweep worker thread. Workers cannot assume a TypeScript loader (vitest, tslab and tsx each load
// lib/*.ts their own way in the main thread), so this plain-JS entry imports the TypeScript worker through
// tsx's scoped API (tsx 4: tsImport registers a namespaced loader for this import graph only).
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const mod = await tsImport("./worker.ts", import.meta.url);
mod.serveWorker(workerData);
