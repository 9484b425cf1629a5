/**
 * The problem of a sweep point as plain data: a design (isotropic "sparse", "decoy", "toeplitz") with its sizes,
 * noise, data scale ε, correlation ρ and seed, or a data file. Regimes of an experiment are values of these fields
 * (axes of a grid), not code. Pure: a file problem needs a loader from the caller (Node: lib/sweeps/node.ts).
 */
import { decoyRegression, toeplitzRegression } from "../model/designs";
import { sparseRegression, type Problem } from "../model/problems";
import { checkChoice, checkInteger, checkNumber } from "../core/validate";

export const DESIGNS = ["sparse", "decoy", "toeplitz"] as const;
export type Design = (typeof DESIGNS)[number];

/** Fields a grid may set or sweep for the problem (every other field is a method parameter). */
export const PROBLEM_FIELDS = ["design", "n", "d", "k", "noise", "nTest", "scale", "rho", "seed", "file"] as const;
export type ProblemField = (typeof PROBLEM_FIELDS)[number];

/** A problem as given in a grid (defaults: sparse, n 40, d 100, k 5, noise 0, nTest 1000, scale 1, seed 0). */
export interface ProblemOptions {
  design?: Design;
  n?: number;
  d?: number;
  k?: number;
  noise?: number;
  nTest?: number;
  scale?: number;
  /** Decoy: correlation of the decoy with Xw* (default 0.9); Toeplitz: Σ_ij = ρ^|i−j| (default 0.5). */
  rho?: number;
  seed?: number;
  /** A problem file (data/….json, relative to the repository root); excludes every other field. */
  file?: string;
  /** Content hash of the file (filled in by the loader: the file is part of the record's inputs). */
  fileHash?: string;
}

/** A synthetic problem with every field filled in (rho null for the isotropic design), or a file with its hash. */
export type NormalizedProblem =
  | { design: Design; n: number; d: number; k: number; noise: number; nTest: number; scale: number; rho: number | null; seed: number }
  | { file: string; fileHash: string };

/** Loads a problem file: the problem and a hash of the file's content. */
export type ProblemFileLoader = (file: string) => { problem: Problem; hash: string };

/**
 * Fill in the defaults of a problem and validate it.
 * @param o the problem fields of a grid point
 * @param loadFile needed only for a file problem
 * @returns the canonical problem (its JSON is part of every record's key)
 * @throws TypeError/RangeError naming the field
 * @example normalizeProblem({ design: "decoy", seed: 3 }).rho // 0.9
 */
export function normalizeProblem(o: ProblemOptions, loadFile?: ProblemFileLoader): NormalizedProblem {
  if (o === null || typeof o !== "object") throw new TypeError("problem must be an object such as { design: \"sparse\", n: 40 }");
  for (const k of Object.keys(o)) {
    if (!(PROBLEM_FIELDS as readonly string[]).includes(k) && k !== "fileHash") throw new RangeError(`problem has unknown field "${k}" (allowed: ${PROBLEM_FIELDS.join(", ")})`);
  }
  if (o.file !== undefined) {
    if (typeof o.file !== "string" || o.file === "") throw new TypeError(`problem.file must be a path, got ${JSON.stringify(o.file)}`);
    const extra = Object.keys(o).filter((k) => k !== "file" && k !== "fileHash" && (o as Record<string, unknown>)[k] !== undefined);
    if (extra.length) throw new RangeError(`problem.file excludes the other problem fields (got ${extra.join(", ")}): a file has fixed data`);
    if (o.fileHash !== undefined) return { file: o.file, fileHash: o.fileHash };
    if (!loadFile) throw new RangeError(`problem.file ${JSON.stringify(o.file)} needs a file loader (files are read in Node only)`);
    return { file: o.file, fileHash: loadFile(o.file).hash };
  }
  const design = checkChoice("problem.design", o.design ?? "sparse", DESIGNS);
  const d = checkInteger("problem.d", o.d ?? 100, { min: design === "sparse" ? 1 : 2 });
  const rho =
    design === "sparse"
      ? null
      : design === "decoy"
        ? checkNumber("problem.rho", o.rho ?? 0.9, { min: 0, max: 1, maxOpen: true })
        : checkNumber("problem.rho", o.rho ?? 0.5, { min: -1, max: 1, minOpen: true, maxOpen: true });
  if (design === "sparse" && o.rho !== undefined && o.rho !== null) throw new RangeError(`problem.rho = ${o.rho} needs design "decoy" or "toeplitz"`);
  return {
    design,
    n: checkInteger("problem.n", o.n ?? 40, { min: 1 }),
    d,
    k: checkInteger("problem.k", o.k ?? 5, { min: design === "sparse" ? 0 : 1, max: design === "sparse" ? d : d - 1 }),
    noise: checkNumber("problem.noise", o.noise ?? 0, { min: 0 }),
    nTest: checkInteger("problem.nTest", o.nTest ?? 1000, { min: 0 }),
    scale: checkNumber("problem.scale", o.scale ?? 1, { min: 0, minOpen: true }),
    rho,
    seed: checkInteger("problem.seed", o.seed ?? 0, { min: 0, max: 2 ** 32 - 1 }),
  };
}

const cache = new Map<string, Problem>();

/**
 * The Problem of a normalized problem (seeded, so bit-identical on every call; a few recent ones are cached).
 * @throws RangeError for a file problem without a loader
 */
export function buildProblem(p: NormalizedProblem, loadFile?: ProblemFileLoader): Problem {
  const key = JSON.stringify(p);
  let out = cache.get(key);
  if (out) return out;
  if ("file" in p) {
    if (!loadFile) throw new RangeError(`problem.file ${JSON.stringify(p.file)} needs a file loader (files are read in Node only)`);
    out = loadFile(p.file).problem;
  } else {
    const o = { n: p.n, d: p.d, k: p.k, noise: p.noise, nTest: p.nTest, scale: p.scale, seed: p.seed };
    out = p.design === "decoy" ? decoyRegression({ ...o, rho: p.rho as number }) : p.design === "toeplitz" ? toeplitzRegression({ ...o, rho: p.rho as number }) : sparseRegression(o);
  }
  if (cache.size >= 16) cache.delete(cache.keys().next().value as string);
  cache.set(key, out);
  return out;
}

/** The seed of a normalized problem (0 for a file). */
export function problemSeed(p: NormalizedProblem): number {
  return "seed" in p ? p.seed : 0;
}
