/**
 * JSON command line for scripted runs and cross-checks (e.g. against an independent NumPy implementation):
 *   npm run --silent dln -- <verb> <input.json | ->
 * prints one JSON object on stdout. Every failure is one line on stderr, never a stack trace: status 2 when the
 * input is refused (a missing, unknown or inapplicable field, a wrong type, a value out of range, a system with no
 * interpolator, one that no solver can meet in double precision: the library's RangeError/TypeError), status 1
 * when a run or flow fails (divergence, overflow, the integrator's step limit). A result is printed only if every
 * number in it is finite.
 * Verbs (X is an array of rows, alpha a number or an array):
 *   gd | mgd        {X, y, alpha, gamma, beta (mgd only), iterations, batchSize?, seed?}
 *   gf              {X, y, alpha, T, rtol?}
 *   mgf             {X, y, alpha, lambda, T, rtol?}
 *   interpolate     {X, y, delta, offset?}   argmin ψ_Δ(w) − ⟨offset, w⟩ s.t. Xw = y
 *   basis-pursuit   {X, y}                   argmin ‖w‖₁ s.t. Xw = y
 *   min-norm        {X, y}                   argmin ‖w‖₂ s.t. Xw = y
 * In-process use (tests): `await dln(verb, input)` returns {status, stdout, stderr} and never throws.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { balancedness } from "../lib/model/dln";
import { gradientFlow, momentumFlow } from "../lib/dynamics/flows";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { minNormInterpolator } from "../lib/bias/min-norm";
import { basisPursuit } from "../lib/bias/l1";
import { runMomentum } from "../lib/dynamics/optimizers";
import { makeProblem, type Problem } from "../lib/model/problems";

type Input = Record<string, unknown>;

/** The input is refused (status 2). */
class UsageError extends Error {}
/** A valid input whose run could not finish, said in the CLI's terms (status 1). */
class RunFailure extends Error {}

export const VERBS = ["gd", "mgd", "gf", "mgf", "interpolate", "basis-pursuit", "min-norm"] as const;
export type Verb = (typeof VERBS)[number];

/** The fields each verb takes: required ones, then optional ones. Anything else in the input is refused. */
export const FIELDS: Record<Verb, { required: string[]; optional: string[] }> = {
  gd: { required: ["X", "y", "alpha", "gamma", "iterations"], optional: ["batchSize", "seed"] },
  mgd: { required: ["X", "y", "alpha", "gamma", "beta", "iterations"], optional: ["batchSize", "seed"] },
  gf: { required: ["X", "y", "alpha", "T"], optional: ["rtol"] },
  mgf: { required: ["X", "y", "alpha", "lambda", "T"], optional: ["rtol"] },
  interpolate: { required: ["X", "y", "delta"], optional: ["offset"] },
  "basis-pursuit": { required: ["X", "y"], optional: [] },
  "min-norm": { required: ["X", "y"], optional: [] },
};

const distance = (a: string, b: string): number => {
  // Levenshtein, for "did you mean": field names are short.
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
};

/** Refuse fields the verb does not take, saying what was probably meant or which verb takes it. */
function checkFields(verb: Verb, input: Input): void {
  const { required, optional } = FIELDS[verb];
  const allowed = [...required, ...optional];
  for (const key of Object.keys(input)) {
    if (allowed.includes(key)) continue;
    const users = VERBS.filter((v) => FIELDS[v].required.includes(key) || FIELDS[v].optional.includes(key));
    if (users.length > 0) {
      const hint = key === "beta" && verb === "gd" ? ' (momentum: use "mgd")' : ` (it is a field of ${users.map((v) => `"${v}"`).join(", ")})`;
      throw new UsageError(`field "${key}" does not apply to verb "${verb}"${hint}`);
    }
    const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase() || distance(a, key) <= 2);
    throw new UsageError(`unknown field "${key}" for verb "${verb}"${near ? ` (did you mean "${near}"?)` : ""}; ` +
      `it takes ${[...required, ...optional.map((o) => `${o}?`)].join(", ")}`);
  }
  for (const key of required) if (!(key in input)) throw new UsageError(`missing field "${key}" (verb "${verb}" takes ${required.join(", ")})`);
}

const show = (v: unknown) => (v === undefined ? "undefined" : JSON.stringify(v));

/** A number field (present: checkFields ran). The library checks the range; null or a string is refused here. */
function num(input: Input, name: string): number {
  const v = input[name];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new UsageError(`${name} must be a finite number, got ${show(v)}`);
  return v;
}
const optionalNum = (input: Input, name: string): number | undefined => (name in input ? num(input, name) : undefined);

/** A number or an array of numbers from JSON as what lib/ expects. */
function scalarOrVector(input: Input, name: string): number | Float64Array {
  const v = input[name];
  if (typeof v === "number") return num(input, name);
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x)) throw new UsageError(`${name}[${i}] must be a finite number, got ${show(x)}`);
    });
    return Float64Array.from(v as number[]);
  }
  throw new UsageError(`${name} must be a number or an array of numbers, got ${show(v)}`);
}

function vector(input: Input, name: string): Float64Array {
  const v = scalarOrVector(input, name);
  if (typeof v === "number") throw new UsageError(`${name} must be an array of numbers, got a number`);
  return v;
}

function problem(input: Input): Problem {
  if (!Array.isArray(input.X)) throw new UsageError(`X must be an array of rows, got ${show(input.X)?.slice(0, 40)}`);
  if (!Array.isArray(input.y)) throw new UsageError(`y must be an array of numbers, got ${show(input.y)?.slice(0, 40)}`);
  return makeProblem({ X: input.X as number[][], y: input.y as number[] });
}

const out = (a: Float64Array | undefined) => (a ? Array.from(a) : undefined);

/** Flows: the integrator's limits, said as what they mean for a CLI user (who cannot set maxSteps). */
function flowError(verb: Verb, T: number, e: Error): Error {
  const m = /maxSteps = (\d+) exceeded at t = (\S+) \(step size h = ([^)]+)\)/.exec(e.message);
  if (!m) return e;
  if (!Number.isFinite(Number(m[3]))) {
    return new RunFailure(`${verb}: the flow's state stopped being finite (overflow) at t = ${m[2]}; scale X, y or alpha down`);
  }
  return new RunFailure(`${verb}: the integrator reached its step limit (${m[1]} steps, fixed by the library: the CLI cannot ` +
    `raise it) at t = ${Number(m[2]).toPrecision(4)} before T = ${T}; ask for a smaller T or a looser rtol`);
}

async function runVerb(verb: Verb, input: Input): Promise<object> {
  checkFields(verb, input);
  const p = problem(input);
  switch (verb) {
    case "gd":
    case "mgd": {
      const r = runMomentum(p, {
        alpha: scalarOrVector(input, "alpha"),
        gamma: num(input, "gamma"),
        beta: verb === "gd" ? 0 : num(input, "beta"),
        batchSize: optionalNum(input, "batchSize"),
        seed: optionalNum(input, "seed"),
        stop: { iterations: num(input, "iterations") },
      });
      return { w: out(r.w), u: out(r.u), v: out(r.v), delta: out(r.delta), loss: r.loss, iterations: r.iterations, time: r.time, lambda: r.lambda, h: r.h };
    }
    case "gf":
    case "mgf": {
      const T = num(input, "T");
      const opts = { alpha: scalarOrVector(input, "alpha"), T, rtol: optionalNum(input, "rtol"), times: [T] };
      let r;
      try {
        r = verb === "gf" ? gradientFlow(p, opts) : momentumFlow(p, { ...opts, lambda: num(input, "lambda") });
      } catch (e) {
        throw e instanceof RangeError || e instanceof TypeError ? e : flowError(verb, T, e as Error);
      }
      const f = r.final;
      return { w: out(f.w), u: out(f.u), v: out(f.v), delta: out(balancedness(f.u, f.v)), loss: f.loss, T: f.t, lambda: r.lambda, signChanges: r.signChanges, stats: r.stats };
    }
    case "interpolate": {
      const offset = "offset" in input ? vector(input, "offset") : undefined;
      const r = minPsiInterpolator(p, scalarOrVector(input, "delta"), { offset });
      return { w: out(r.w), nu: out(r.nu), iterations: r.iterations, kktResidual: r.kktResidual };
    }
    case "basis-pursuit": {
      const r = await basisPursuit(p);
      return { w: out(r.w), objective: r.objective, status: r.status, residual: r.residual };
    }
    case "min-norm":
      return { w: out(minNormInterpolator(p)) };
  }
}

/** The path of the first number in `v` that is not finite (JSON would print it as null), or null. */
function nonFinite(v: unknown, path: string): string | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = nonFinite(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const bad = nonFinite(x, path ? `${path}.${k}` : k);
      if (bad) return bad;
    }
  }
  return null;
}

/** One line, whatever the message holds. */
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, " ").trim();

/**
 * Run one verb on one parsed input, as the command line would: never throws.
 * @returns the status (0 ok, 1 could not compute, 2 input refused), the JSON line for stdout, the line for stderr
 */
export async function dln(verb: string, input: unknown): Promise<{ status: 0 | 1 | 2; stdout: string; stderr: string }> {
  try {
    if (!(VERBS as readonly string[]).includes(verb)) throw new UsageError(`unknown verb ${JSON.stringify(verb)}; verbs: ${VERBS.join(", ")}`);
    if (input === null || typeof input !== "object" || Array.isArray(input)) throw new UsageError("the input must be a JSON object");
    const result = await runVerb(verb as Verb, input as Input);
    const bad = nonFinite(result, "");
    if (bad) throw new RunFailure(`${verb}: the result is not finite (${bad}); nothing printed`);
    return { status: 0, stdout: JSON.stringify(result) + "\n", stderr: "" };
  } catch (e) {
    // Validation errors of lib/ (RangeError/TypeError) are about the user's input too: status 2, like ours.
    const err = e instanceof Error ? e : new Error(String(e));
    const refused = err instanceof UsageError || err instanceof RangeError || err instanceof TypeError;
    const prefix = refused || err instanceof RunFailure ? "" : `${err.name}: `; // e.g. "DivergenceError: "
    return { status: refused ? 2 : 1, stdout: "", stderr: `dln: ${oneLine(prefix + err.message)}\n` };
  }
}

async function main(argv: string[]): Promise<number> {
  const [verb, file, ...extra] = argv;
  if (!verb || !file || extra.length > 0 || !(VERBS as readonly string[]).includes(verb)) {
    const unknown = verb && !(VERBS as readonly string[]).includes(verb) ? ` (unknown verb "${verb}")` : "";
    process.stderr.write(`dln: usage: npm run --silent dln -- <${VERBS.join("|")}> <input.json | ->${unknown}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    process.stderr.write(`dln: cannot read ${file}: ${oneLine((e as Error).message)}\n`);
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`dln: ${file} is not valid JSON: ${oneLine((e as Error).message)}\n`);
    return 2;
  }
  const r = await dln(verb, input);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.status;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A reader that closes the pipe early (| head) is not an error of ours: stop quietly, as other tools do.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`dln: internal error: ${oneLine(String((e as Error)?.message ?? e))}\n`);
    process.exitCode = 1;
  });
}
