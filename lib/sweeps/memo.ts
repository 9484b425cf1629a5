/**
 * The store is a memo: asking for a grid returns the stored records of its points at once and computes (then
 * stores) the rest. Stale records (another code version) and records whose hashes do not match their content are
 * reported and recomputed, never trusted. Storage is a {@link StoreBackend} (lines of text: a file in Node, memory in
 * a browser worker); computation is an {@link Executor} (this thread, or worker threads in Node); progress is a
 * callback. Pure (no Node built-ins): lib/sweeps/node.ts adds the file store and the thread pool.
 */
import { getMethod, codeVersion } from "./registry";
import { digest } from "./hash";
import { gridPoints, gridSize, normalizeGrid, pointIdentity, type GridPoint, type GridSpec, type NormalizedGrid } from "./grid";
import type { Json, Outcome } from "./method";
import { buildProblem, type ProblemFileLoader } from "./problem-spec";
import { headerLine, makeRecord, recordLine, sessionLine, verifyLine, type Session, type StoredRecord } from "./record";

/** Where records live: named stores of text lines. */
export interface StoreBackend {
  /** The lines of a store (without line ends), or null if there is none. */
  read(name: string): Promise<string[] | null>;
  /** Append lines durably (each complete, in order). */
  append(name: string, lines: string[]): Promise<void>;
  /** Replace a store's lines atomically (compaction, merge). */
  replace(name: string, lines: string[]): Promise<void>;
  /** Names of the stores whose name starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Where a store lives, for messages (e.g. a file path). */
  describe(name: string): string;
}

/** A unit of work: points on one problem that may be computed together. */
export interface Unit {
  method: string;
  points: GridPoint[];
}

/** Computes units, calling `done` for each point as soon as it is finished. */
export type Executor = (units: Unit[], done: (point: GridPoint, outcome: Outcome) => Promise<void> | void) => Promise<void>;

export interface SweepProgress {
  name: string;
  /** Points computed so far in this call (cached points are not counted). */
  done: number;
  /** Points to compute in this call. */
  total: number;
  /** Points found in the store. */
  cached: number;
  elapsedSec: number;
  rate: number;
  etaSec: number;
  final: boolean;
}

export interface SweepReport {
  /** Points asked for (this shard's, for a shard). */
  points: number;
  cached: number;
  computed: number;
  /** Points whose stored record was stale (another code version) and were recomputed. */
  stale: number;
  /** Lines of the store that were not trusted (not JSON, hashes not matching the content, wrong format). */
  untrusted: number;
  /** Computed points whose run failed with an error (not stored). */
  failed: number;
  /** One line each: what was found wrong in the store, what failed. */
  notes: string[];
}

/** A row of a result: the point's parameters (normalized) and coordinates, its status and what the method measured. */
export type SweepRow = Record<string, Json>;

export interface SweepResult {
  name: string;
  method: string;
  grid: NormalizedGrid;
  /** Points of the grid (or shard), in grid order. */
  points: GridPoint[];
  /** The record of each point (null for a failed run). */
  records: (StoredRecord | null)[];
  rows: SweepRow[];
  report: SweepReport;
  /** Provenance of the sessions that wrote the store (oldest first; this call's last if it computed anything). */
  sessions: Session[];
}

export interface MemoOptions {
  backend: StoreBackend;
  /** Default: compute in this thread. */
  execute?: Executor;
  progress?: (p: SweepProgress) => void;
  /** Run one slice ("i/N" parsed): its records go to the store <name>.shard-<i>-of-<N>. */
  shard?: { index: number; count: number } | null;
  /** Provenance of this session (written before its first record). */
  session?: () => Session;
  loadFile?: ProblemFileLoader;
  /** Recompute every point even if stored (the new records replace the old ones at the next compaction). */
  force?: boolean;
}

/** Store name of a shard. */
export function shardStore(name: string, shard: { index: number; count: number } | null | undefined): string {
  return shard ? `${name}.shard-${shard.index}-of-${shard.count}` : name;
}

/** What a store holds: trusted records by key, stale ones by id, sessions, notes on untrusted lines. */
export interface StoreContents {
  records: Map<string, StoredRecord>;
  staleById: Map<string, StoredRecord>;
  sessions: Session[];
  untrusted: number;
  notes: string[];
}

/**
 * Read and verify stores (later stores win for the same key).
 * @param names store names; @param backend where they live
 */
export async function readStores(backend: StoreBackend, names: string[]): Promise<StoreContents> {
  const c: StoreContents = { records: new Map(), staleById: new Map(), sessions: [], untrusted: 0, notes: [] };
  const codes = new Map<string, string | null>();
  const current = (m: string): string | null => {
    if (!codes.has(m)) {
      let v: string | null = null;
      try {
        v = codeVersion(m);
      } catch {
        v = null; // a method this library no longer has: its records are stale
      }
      codes.set(m, v);
    }
    return codes.get(m) as string | null;
  };
  for (const name of names) {
    const lines = await backend.read(name);
    if (!lines) continue;
    const bad: string[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const v = verifyLine(line, current);
      if (v.kind === "record") c.records.set(v.record.key, v.record);
      else if (v.kind === "stale") c.staleById.set(v.record.id, v.record);
      else if (v.kind === "session") c.sessions.push(v.session);
      else if (v.kind === "bad") bad.push(`line ${i + 1}: ${v.reason}`);
      else if (i !== 0) bad.push(`line ${i + 1}: a header line inside the store`);
    });
    if (bad.length) {
      c.untrusted += bad.length;
      c.notes.push(`${backend.describe(name)}: ${bad.length} line(s) not trusted and ignored (${bad[0]}${bad.length > 1 ? "; …" : ""})`);
    }
  }
  return c;
}

/** Compute units in this thread, yielding between units so a notebook display can update. */
export const inThreadExecutor =
  (loadFile?: ProblemFileLoader): Executor =>
  async (units, done) => {
    for (const u of units) {
      for (const [pt, o] of computeUnit(u, loadFile)) await done(pt, o);
      await new Promise((r) => setTimeout(r, 0));
    }
  };

/** Compute one unit (any thread): batched when the method allows, every error of a run caught as "failed". */
export function computeUnit(u: Unit, loadFile?: ProblemFileLoader): [GridPoint, Outcome][] {
  const m = getMethod(u.method);
  const safe = (f: () => Outcome): Outcome => {
    try {
      return f();
    } catch (e) {
      return { status: "failed", out: {}, message: e instanceof Error ? e.message : String(e) };
    }
  };
  let problem: ReturnType<typeof buildProblem>;
  try {
    problem = buildProblem(u.points[0].problem, loadFile);
  } catch (e) {
    return u.points.map((pt) => [pt, { status: "failed", out: {}, message: (e as Error).message }]);
  }
  if (u.points.length > 1 && m.runBatch) {
    const outs = safe(() => ({ status: "ok", out: { batch: (m.runBatch as NonNullable<typeof m.runBatch>)(problem, u.points.map((p) => p.params), u.points[0].problem) as unknown as Json } }));
    if (outs.status === "failed") return u.points.map((pt) => [pt, outs]);
    return u.points.map((pt, i) => [pt, (outs.out.batch as unknown as Outcome[])[i]]);
  }
  return u.points.map((pt) => [pt, safe(() => m.run(problem, pt.params, pt.problem))]);
}

/** Group points into units: batchable points on the same problem together (in grid order), others alone. */
export function planUnits(method: string, points: GridPoint[], loadFile?: ProblemFileLoader): Unit[] {
  const m = getMethod(method);
  const units: Unit[] = [];
  const open = new Map<string, Unit>();
  for (const pt of points) {
    let key: string | null = null;
    try {
      key = m.batchKey && m.runBatch ? m.batchKey(pt.params, buildProblem(pt.problem, loadFile)) : null;
    } catch {
      key = null; // the problem cannot be built: the unit will fail on its own
    }
    if (key === null) {
      units.push({ method, points: [pt] });
      continue;
    }
    const k = `${JSON.stringify(pt.problem)}|${key}`;
    let u = open.get(k);
    if (!u) {
      u = { method, points: [] };
      open.set(k, u);
      units.push(u);
    }
    u.points.push(pt);
    if (u.points.length >= (m.batchLimit?.(pt.params) ?? 16)) open.delete(k);
  }
  return units;
}

function row(pt: GridPoint, rec: StoredRecord | null, outcome: Outcome | null): SweepRow {
  const status = rec ? rec.status : "failed";
  const out = rec ? rec.out : outcome?.out ?? {};
  const message = rec?.message ?? outcome?.message;
  return { ...pt.params, ...pt.coords, status, ...out, ...(message !== undefined && status !== "ok" ? { message } : {}) };
}

/**
 * Return a grid's records: stored ones at once, the rest computed (each stored as soon as it finishes).
 * @param spec the grid; @param o backend, executor, progress callback, shard, session provenance
 * @returns points, records, rows in grid order, and a report (cached / computed / stale / untrusted / failed, notes)
 * @throws TypeError/RangeError for a bad grid, before anything runs
 * @example const r = await memoSweep({ name: "demo", method: "flowLimit", axes: { lambda: [0, 0.1], seed: [0, 1] } }, { backend: memoryBackend() })
 */
export async function memoSweep(spec: GridSpec, o: MemoOptions): Promise<SweepResult> {
  const t0 = Date.now();
  const grid = normalizeGrid(spec);
  const points = gridPoints(grid, { shard: o.shard, loadFile: o.loadFile });
  const code = codeVersion(grid.method);
  const target = shardStore(grid.name, o.shard);
  const stores = target === grid.name ? [grid.name] : [grid.name, target];
  const have = await readStores(o.backend, stores);
  const records: (StoredRecord | null)[] = new Array(points.length).fill(null);
  const outcomes: (Outcome | null)[] = new Array(points.length).fill(null);
  const todo: GridPoint[] = [];
  // points of one grid with equal inputs (e.g. a batch seed of a full-batch run) are computed once
  const sameAs = new Map<string, number[]>();
  let stale = 0;
  points.forEach((pt, i) => {
    const key = makeKey(grid.method, pt, code);
    const r = o.force ? undefined : have.records.get(key);
    if (r) records[i] = r;
    else if (sameAs.has(key)) (sameAs.get(key) as number[]).push(i);
    else {
      if (have.staleById.has(pt.id)) stale++;
      sameAs.set(key, [i]);
      todo.push(pt);
    }
  });
  const report: SweepReport = { points: points.length, cached: points.filter((_, i) => records[i] !== null).length, computed: 0, stale, untrusted: have.untrusted, failed: 0, notes: [...have.notes] };
  if (stale) report.notes.push(`${o.backend.describe(grid.name)}: ${stale} stored record(s) were computed by another version of "${grid.method}" (stale): recomputed`);
  const position = new Map(points.map((p, i) => [p.index, i]));
  const progress = (final: boolean): void => {
    if (!o.progress) return;
    const elapsedSec = (Date.now() - t0) / 1000;
    const done = report.computed + report.failed;
    const rate = elapsedSec > 0 ? done / elapsedSec : 0;
    o.progress({ name: grid.name, done, total: todo.length, cached: report.cached, elapsedSec, rate, etaSec: rate > 0 ? (todo.length - done) / rate : Infinity, final });
  };
  if (todo.length) {
    let header = (await o.backend.read(target)) === null;
    let sessionWritten = false;
    progress(false);
    await (o.execute ?? inThreadExecutor(o.loadFile))(planUnits(grid.method, todo, o.loadFile), async (pt, outcome) => {
      const i = position.get(pt.index) as number;
      const copies = sameAs.get(makeKey(grid.method, pt, code)) as number[];
      for (const j of copies) outcomes[j] = outcome;
      if (outcome.status === "failed") {
        report.failed++;
        if (report.failed <= 3) report.notes.push(`point ${pt.index} ${JSON.stringify(pt.coords)} failed: ${outcome.message}`);
      } else {
        const rec = makeRecord(grid.method, pt, code, outcome);
        const lines: string[] = [];
        if (header) lines.push(headerLine(grid.name));
        if (!sessionWritten) lines.push(sessionLine({ ...(o.session?.() ?? {}), method: grid.method, code, grid: grid.name }));
        lines.push(recordLine(rec));
        header = false;
        sessionWritten = true;
        await o.backend.append(target, lines);
        for (const j of copies) records[j] = rec;
        report.computed++;
      }
      progress(false);
    });
    progress(true);
  }
  if (report.failed > 3) report.notes.push(`… ${report.failed} runs failed in all`);
  const sessions = [...have.sessions, ...(report.computed > 0 && o.session ? [{ ...o.session(), method: grid.method, code, grid: grid.name }] : [])];
  return { name: grid.name, method: grid.method, grid, points, records, rows: points.map((pt, i) => row(pt, records[i], outcomes[i])), report, sessions };
}

function makeKey(method: string, pt: GridPoint, code: string): string {
  return digest(`${pointIdentity(method, pt.problem, pt.params)}\n${code}`); // the key makeRecord writes
}

/**
 * The canonical text of a store: header, sessions, then the trusted current records sorted by their inputs (one per
 * key). Equal records give equal record lines whatever order, thread or shard computed them.
 */
export function canonicalLines(name: string, c: StoreContents): string[] {
  const recs = Array.from(c.records.values()).map((r) => ({ r, sortKey: `${r.method}\n${JSON.stringify(r.problem)}\n${JSON.stringify(r.params)}` }));
  recs.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return [headerLine(name), ...c.sessions.map(sessionLine), ...recs.map((x) => recordLine(x.r))];
}

/**
 * Rewrite a store canonically (drops untrusted lines and stale records), optionally merging other stores (shards).
 * @returns the number of records kept and of lines dropped
 */
export async function compactStore(backend: StoreBackend, name: string, extra: string[] = []): Promise<{ records: number; dropped: number }> {
  const c = await readStores(backend, [name, ...extra]);
  await backend.replace(name, canonicalLines(name, c));
  return { records: c.records.size, dropped: c.untrusted + c.staleById.size };
}

/** Only the record lines of a store's text (what must be equal between a sharded and an unsharded run). */
export function recordLines(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('{"check"'));
}

export { gridSize };
