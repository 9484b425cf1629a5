/**
 * The sweep system for Node (tools, tests, notebooks on tslab): everything of lib/sweeps/core.ts plus the file store,
 * worker threads, provenance, shards, merge and compaction. Node only.
 */
export * from "./core";
export { runSweep, compactSweep, mergeShards, describeStore, sweepBackend, sweepFile, baseProvenance, progressLine, terminalProgress, type SweepOptions } from "./node";
export { fileBackend, checkStoreDir, storeFile } from "./file-backend";
export { repositoryRoot, defaultStoreDir, nodeFileLoader } from "./node-files";
export { threadPoolExecutor } from "./pool";
