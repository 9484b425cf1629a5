/**
 * A grid of sweep points: a method, a base problem and base parameters, and axes whose Cartesian product gives the
 * points (the first axis varies slowest). An axis may be any problem field (seed, n, noise, scale, design, rho, …),
 * any parameter of the method (lambda, alpha, beta, …), or "regime": a list of objects each setting several problem
 * fields and parameters at once, with an optional `id` label. Every point is validated before anything runs. Pure.
 */
import { canonicalJSON, digest } from "./hash";
import type { Json, SweepMethod } from "./method";
import { getMethod } from "./registry";
import { normalizeProblem, PROBLEM_FIELDS, type NormalizedProblem, type ProblemFileLoader, type ProblemOptions } from "./problem-spec";

export type AxisValue = number | string | boolean | null | { [k: string]: Json };

/** A grid as written in a notebook cell or a JSON file. */
export interface GridSpec {
  /** Store name: data/sweeps/<name>.jsonl (letters, digits, '.', '_', '-'). */
  name: string;
  /** "flowLimit", "toLoss", "mgd" or "mgf". */
  method: string;
  description?: string;
  /** Problem fields shared by every point. */
  problem?: ProblemOptions;
  /** Method parameters shared by every point. */
  params?: Record<string, unknown>;
  /** Axes: a value or a list of values each; "regime" takes objects. */
  axes?: Record<string, AxisValue | AxisValue[]>;
}

export interface NormalizedGrid {
  name: string;
  method: string;
  description: string | null;
  problem: ProblemOptions;
  params: Record<string, Json>;
  axes: Record<string, AxisValue[]>;
}

/** One point of a grid. */
export interface GridPoint {
  /** Position in the grid (mixed radix over the axes, last axis fastest). */
  index: number;
  /** The axis values of the point (a regime by its id). */
  coords: Record<string, Json>;
  problem: NormalizedProblem;
  params: Record<string, Json>;
  /** Hash of (method, problem, params): the point's identity in the store, whatever the grid. */
  id: string;
}

const NAME_RE = /^[A-Za-z0-9._-]+$/;
const isProblemField = (k: string): boolean => (PROBLEM_FIELDS as readonly string[]).includes(k);

function axisList(name: string, v: unknown): AxisValue[] {
  const arr = Array.isArray(v) ? v : [v];
  if (arr.length === 0) throw new RangeError(`axes.${name} is empty: give at least one value`);
  const seen = new Set<string>();
  arr.forEach((x, i) => {
    if (typeof x === "number" && !Number.isFinite(x)) throw new RangeError(`axes.${name}[${i}] = ${x} is not a finite number`);
    if (name === "regime" && (x === null || typeof x !== "object" || Array.isArray(x))) throw new TypeError(`axes.regime[${i}] must be an object of problem fields and parameters, got ${JSON.stringify(x)}`);
    const c = canonicalJSON(x, `axes.${name}[${i}]`);
    if (seen.has(c)) throw new RangeError(`axes.${name} has a repeated value ${c}`);
    seen.add(c);
  });
  return arr as AxisValue[];
}

/**
 * Validate a grid (not its points; see {@link gridPoints}).
 * @throws TypeError/RangeError naming the field
 */
export function normalizeGrid(spec: GridSpec): NormalizedGrid {
  if (spec === null || typeof spec !== "object") throw new TypeError("grid must be an object { name, method, problem?, params?, axes }");
  const allowed = ["name", "method", "description", "problem", "params", "axes"];
  for (const k of Object.keys(spec)) if (!allowed.includes(k)) throw new RangeError(`grid has unknown field "${k}" (allowed: ${allowed.join(", ")})`);
  if (typeof spec.name !== "string" || !NAME_RE.test(spec.name)) throw new TypeError(`grid name must be letters, digits, '.', '_', '-', got ${JSON.stringify(spec.name)}`);
  const method = getMethod(spec.method);
  const problem = spec.problem ?? {};
  if (problem === null || typeof problem !== "object") throw new TypeError("grid problem must be an object of problem fields");
  const params = (spec.params ?? {}) as Record<string, Json>;
  if (params === null || typeof params !== "object") throw new TypeError("grid params must be an object of method parameters");
  const axesIn = spec.axes ?? {};
  if (axesIn === null || typeof axesIn !== "object") throw new TypeError("grid axes must be an object such as { lambda: [0, 0.2], seed: [0, 1] }");
  const axes: Record<string, AxisValue[]> = {};
  for (const [k, v] of Object.entries(axesIn)) {
    if (k !== "regime" && !isProblemField(k) && !method.params.includes(k)) {
      throw new RangeError(`axes has unknown axis "${k}" (allowed: regime, problem fields ${PROBLEM_FIELDS.join(", ")}, parameters of "${method.name}": ${method.params.join(", ")})`);
    }
    if (k in problem || k in params) throw new RangeError(`"${k}" is both an axis and a fixed ${k in problem ? "problem field" : "parameter"}: give it once`);
    axes[k] = axisList(k, v);
  }
  return { name: spec.name, method: method.name, description: spec.description ?? null, problem: { ...problem }, params: { ...params }, axes };
}

/** Number of points of a grid. */
export function gridSize(grid: NormalizedGrid): number {
  return Object.values(grid.axes).reduce((n, v) => n * v.length, 1);
}

function regimeLabel(v: AxisValue): Json {
  if (v !== null && typeof v === "object" && typeof (v as Record<string, Json>).id === "string") return (v as Record<string, Json>).id;
  return typeof v === "object" && v !== null ? canonicalJSON(v) : v;
}

/** The identity text of a point (what its record's hashes cover, besides the code version). */
export function pointIdentity(method: string, problem: NormalizedProblem, params: Record<string, Json>): string {
  return canonicalJSON({ method, problem, params });
}

/**
 * The point at a grid index: coordinates, normalized problem and parameters, identity hash.
 * @throws RangeError/TypeError naming the bad field of this point
 */
export function gridPoint(grid: NormalizedGrid, index: number, loadFile?: ProblemFileLoader): GridPoint {
  const method: SweepMethod = getMethod(grid.method);
  const names = Object.keys(grid.axes);
  const coords: Record<string, Json> = {};
  const prob: Record<string, unknown> = { ...grid.problem };
  const params: Record<string, unknown> = { ...grid.params };
  let rest = index;
  for (let a = names.length - 1; a >= 0; a--) {
    const k = names[a];
    const vals = grid.axes[k];
    const v = vals[rest % vals.length];
    rest = Math.floor(rest / vals.length);
    if (k === "regime") {
      coords.regime = regimeLabel(v);
      for (const [f, x] of Object.entries(v as Record<string, Json>)) {
        if (f === "id") continue;
        if (isProblemField(f)) prob[f] = x;
        else if (method.params.includes(f)) params[f] = x;
        else throw new RangeError(`regime ${JSON.stringify(coords.regime)} has unknown field "${f}" (problem fields or parameters of "${method.name}")`);
      }
    } else {
      coords[k] = v as Json;
      if (isProblemField(k)) prob[k] = v;
      else params[k] = v;
    }
  }
  const orderedCoords: Record<string, Json> = {};
  for (const k of names) orderedCoords[k] = coords[k];
  const problem = normalizeProblem(prob as ProblemOptions, loadFile);
  const q = method.normalize(params, problem);
  return { index, coords: orderedCoords, problem, params: q, id: digest(pointIdentity(method.name, problem, q)) };
}

/**
 * Every point of a grid (or of one shard of it: the indices ≡ shard.index mod shard.count), validated.
 * @throws the first point's validation error, prefixed with its coordinates
 */
export function gridPoints(grid: NormalizedGrid, options: { shard?: { index: number; count: number } | null; loadFile?: ProblemFileLoader } = {}): GridPoint[] {
  const out: GridPoint[] = [];
  const n = gridSize(grid);
  const s = options.shard ?? null;
  for (let i = 0; i < n; i++) {
    if (s && i % s.count !== s.index) continue;
    try {
      out.push(gridPoint(grid, i, options.loadFile));
    } catch (e) {
      if (e instanceof RangeError || e instanceof TypeError) {
        const E = e instanceof RangeError ? RangeError : TypeError;
        throw new E(`${grid.name}, point ${i}: ${e.message}`);
      }
      throw e;
    }
  }
  return out;
}

/**
 * Parse "i/N" (0 ≤ i < N) or check `{ index, count }`.
 * @throws RangeError/TypeError naming the bad part
 * @example parseShard("2/5") // { index: 2, count: 5 }
 */
export function parseShard(s: { index: number; count: number } | string): { index: number; count: number } {
  let index: unknown;
  let count: unknown;
  if (typeof s === "string") {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
    if (!m) throw new RangeError(`shard must look like "i/N" with 0 ≤ i < N (e.g. "0/4"), got ${JSON.stringify(s)}`);
    index = Number(m[1]);
    count = Number(m[2]);
  } else if (s !== null && typeof s === "object") {
    index = s.index;
    count = s.count;
  } else throw new TypeError(`shard must be "i/N" or { index, count }, got ${typeof s}`);
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw new RangeError(`shard count N must be an integer ≥ 1, got ${String(count)}`);
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`shard index i must be an integer in [0, ${count - 1}], got ${String(index)}`);
  return { index, count };
}
