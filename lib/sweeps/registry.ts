/**
 * The sweep methods by name, and each method's code version: a hash of its name, its hand-kept version and the
 * numbers of its probe (plus a probe of the problem designs). Records carry the code version they were computed
 * with; a record of another version is stale and recomputed. Pure (no Node built-ins).
 */
import { checkChoice } from "../core/validate";
import { canonicalJSON, digest } from "./hash";
import type { Json, SweepMethod } from "./method";
import { flowLimitMethod } from "./methods/flow-limit";
import { mgdMethod, mgfMethod } from "./methods/mgd";
import { toLossMethod } from "./methods/to-loss";
import { buildProblem, normalizeProblem } from "./problem-spec";

export const METHODS: Record<string, SweepMethod> = {
  mgd: mgdMethod,
  mgf: mgfMethod,
  flowLimit: flowLimitMethod,
  toLoss: toLossMethod,
};
export const METHOD_NAMES = Object.keys(METHODS);

/**
 * A method by name.
 * @throws RangeError naming the allowed methods
 */
export function getMethod(name: unknown): SweepMethod {
  return METHODS[checkChoice("method", name, METHOD_NAMES)];
}

/** Numbers of a tiny instance of every design: changes when the data generators change. */
function problemProbe(): Json {
  return (["sparse", "decoy", "toeplitz"] as const).map((design) => {
    const p = buildProblem(normalizeProblem({ design, n: 3, d: 5, k: 2, nTest: 2, noise: 0.1, scale: 2, seed: 7 }));
    return [Array.from(p.X), Array.from(p.y), Array.from(p.wStar as Float64Array), Array.from(p.test?.X ?? [])];
  });
}

const versions = new Map<string, string>();

/**
 * The code version of a method: 16 hex digits that change when the method's version tag or the numbers it produces
 * (on its probe) change. Computed once per process (a few milliseconds).
 * @example codeVersion("flowLimit") // e.g. "flowLimit@1:3f9a…"
 */
export function codeVersion(name: string): string {
  let v = versions.get(name);
  if (!v) {
    const m = getMethod(name);
    v = `${m.name}@${m.version}:${digest(canonicalJSON([m.probe(), problemProbe()]))}`;
    versions.set(name, v);
  }
  return v;
}
