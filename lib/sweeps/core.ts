/**
 * The browser-safe part of the sweep system (no fs, worker_threads or child_process): grids, methods, records,
 * hashing, the memo and the in-memory backend. A Web Worker imports this; Node code imports lib/sweeps/sweep.ts.
 */
export { canonicalJSON, digest, hash32 } from "./hash";
export { DESIGNS, PROBLEM_FIELDS, normalizeProblem, buildProblem, type ProblemOptions, type NormalizedProblem, type ProblemFileLoader } from "./problem-spec";
export type { SweepMethod, Outcome, Json } from "./method";
export { METHODS, METHOD_NAMES, getMethod, codeVersion } from "./registry";
export { normalizeGrid, gridPoint, gridPoints, gridSize, parseShard, type GridSpec, type NormalizedGrid, type GridPoint, type AxisValue } from "./grid";
export { STORE_FORMAT, makeRecord, verifyLine, type StoredRecord, type Session } from "./record";
export {
  memoSweep, readStores, computeUnit, planUnits, inThreadExecutor, canonicalLines, compactStore, recordLines, shardStore,
  type StoreBackend, type Executor, type Unit, type SweepProgress, type SweepReport, type SweepResult, type SweepRow, type MemoOptions,
} from "./memo";
export { memoryBackend } from "./memory-backend";
export { selectRows, aggregateSweep, provenanceLine, combineRows, type AggregateRow } from "./query";
export { flowLimitMethod, summarizeLimit, initAlpha, type LimitSummary } from "./methods/flow-limit";
export { toLossMethod, runToLoss, ratioStats, runKind, type RunToLoss, type RatioStats } from "./methods/to-loss";
export { mgdMethod, mgfMethod, RECORD_KEYS, type RecordKey } from "./methods/mgd";
export { verifyPoints, type VerifyRow } from "./verify";
