/**
 * JSON command line for scripted runs and cross-checks (e.g. against an independent NumPy implementation):
 *   npm run --silent dln -- <verb> <input.json | ->
 * prints one JSON object on stdout. Bad input prints a one-line message on stderr and exits with status 2.
 * Verbs (X is an array of rows, alpha a number or an array):
 *   gd | mgd        {X, y, alpha, gamma, beta?, iterations, batchSize?, seed?}
 *   gf              {X, y, alpha, T, rtol?}
 *   mgf             {X, y, alpha, lambda, T, rtol?}
 *   interpolate     {X, y, delta, offset?}   argmin ψ_Δ(w) − ⟨offset, w⟩ s.t. Xw = y
 *   basis-pursuit   {X, y}                   argmin ‖w‖₁ s.t. Xw = y
 *   min-norm        {X, y}                   argmin ‖w‖₂ s.t. Xw = y
 */
import { readFileSync } from "node:fs";
import { balancedness } from "../lib/model/dln";
import { gradientFlow, momentumFlow } from "../lib/dynamics/flows";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { minNormInterpolator } from "../lib/bias/min-norm";
import { basisPursuit } from "../lib/bias/l1";
import { runMomentum } from "../lib/dynamics/optimizers";
import { makeProblem, type Problem } from "../lib/model/problems";

type Input = Record<string, unknown>;

class UsageError extends Error {}

const VERBS = ["gd", "mgd", "gf", "mgf", "interpolate", "basis-pursuit", "min-norm"] as const;
type Verb = (typeof VERBS)[number];

function field<T>(input: Input, name: string, required = true): T {
  if (required && !(name in input)) throw new UsageError(`missing field "${name}"`);
  return input[name] as T;
}

/** A number or an array of numbers from JSON as what lib/ expects. */
function scalarOrVector(input: Input, name: string): number | Float64Array {
  const v = field<unknown>(input, name);
  if (typeof v === "number") return v;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x)) throw new UsageError(`${name}[${i}] must be a finite number, got ${JSON.stringify(x)}`);
    });
    return Float64Array.from(v as number[]);
  }
  throw new UsageError(`${name} must be a number or an array of numbers, got ${JSON.stringify(v)}`);
}

function vector(input: Input, name: string): Float64Array {
  const v = scalarOrVector(input, name);
  if (typeof v === "number") throw new UsageError(`${name} must be an array of numbers, got a number`);
  return v;
}

function problem(input: Input): Problem {
  return makeProblem({ X: field<number[][]>(input, "X"), y: field<number[]>(input, "y") });
}

const out = (a: Float64Array | undefined) => (a ? Array.from(a) : undefined);

async function run(verb: Verb, input: Input): Promise<object> {
  const p = problem(input);
  switch (verb) {
    case "gd":
    case "mgd": {
      const beta = verb === "gd" ? 0 : field<number>(input, "beta");
      if (verb === "gd" && input.beta !== undefined && input.beta !== 0) throw new UsageError(`verb "gd" takes no beta (got ${input.beta}); use "mgd"`);
      const r = runMomentum(p, {
        alpha: scalarOrVector(input, "alpha"),
        gamma: field<number>(input, "gamma"),
        beta,
        batchSize: field<number | undefined>(input, "batchSize", false),
        seed: field<number | undefined>(input, "seed", false),
        stop: { iterations: field<number>(input, "iterations") },
      });
      return { w: out(r.w), u: out(r.u), v: out(r.v), delta: out(r.delta), loss: r.loss, iterations: r.iterations, time: r.time, lambda: r.lambda, h: r.h };
    }
    case "gf":
    case "mgf": {
      const opts = { alpha: scalarOrVector(input, "alpha"), T: field<number>(input, "T"), rtol: field<number | undefined>(input, "rtol", false), times: [field<number>(input, "T")] };
      const r = verb === "gf" ? gradientFlow(p, opts) : momentumFlow(p, { ...opts, lambda: field<number>(input, "lambda") });
      const f = r.final;
      return { w: out(f.w), u: out(f.u), v: out(f.v), delta: out(balancedness(f.u, f.v)), loss: f.loss, T: f.t, lambda: r.lambda, signChanges: r.signChanges, stats: r.stats };
    }
    case "interpolate": {
      const offset = input.offset === undefined ? undefined : vector(input, "offset");
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

async function main(): Promise<void> {
  const [verb, file] = process.argv.slice(2);
  if (!verb || !(VERBS as readonly string[]).includes(verb) || !file) {
    throw new UsageError(`usage: npm run --silent dln -- <${VERBS.join("|")}> <input.json | ->${verb && !(VERBS as readonly string[]).includes(verb) ? ` (unknown verb "${verb}")` : ""}`);
  }
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new UsageError(`${file} must hold a JSON object`);
  process.stdout.write(JSON.stringify(await run(verb as Verb, input as Input)) + "\n");
}

main().catch((e: Error) => {
  // Validation errors of lib/ (RangeError/TypeError) are the user's input too: report them the same way.
  const known = e instanceof UsageError || e instanceof RangeError || e instanceof TypeError;
  process.stderr.write(`dln: ${known ? "" : `${e.name}: `}${e.message}\n`);
  process.exit(known ? 2 : 1);
});
