// Fuzz: the dln command line, every verb, with inputs built from random systems of scale 1e-150…1e150 and then
// mutated (an extra or misspelt field, a missing field, a wrong type, null, ±1e400 = ±Infinity after JSON.parse,
// ragged rows). Most inputs run in-process through the CLI's own function (dln(verb, input), exactly what the
// process prints); a sample also runs as a real process. Status 0 must print finite numbers that satisfy the
// problem; any other status must print one line "dln: …" on stderr, never a stack trace.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { dln, FIELDS, VERBS, type Verb } from "../../tools/dln-cli";
import { classifyCliFailure, HANG_MS, lossAgrees, makeSystem, rowResidual, saveTallies, Tally, type Outcome, type SystemSpec } from "./harness";

const ROOT = resolve(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

const system: fc.Arbitrary<SystemSpec> = fc.record({
  n: fc.integer({ min: 1, max: 4 }),
  d: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  xExp: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -150, max: 150 })),
  yExp: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -150, max: 150 })),
  rowSpread: fc.constantFrom(0, 3),
  defect: fc.constantFrom("none", "none", "none", "duplicate row", "zero row"),
});

type Mutation = { kind: "none" } | { kind: "extra"; field: string } | { kind: "drop"; index: number }
  | { kind: "type"; index: number; value: unknown } | { kind: "infinite"; index: number } | { kind: "ragged" };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constantFrom("batchsize", "Delta", "lambda", "beta", "maxSteps", "rtol", "seed", "offset", "x").map((field) => ({ kind: "extra" as const, field })) },
  { weight: 1, arbitrary: fc.nat(8).map((index) => ({ kind: "drop" as const, index })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(8), fc.constantFrom<unknown>(null, "1", [], {}, true, [[1]])).map(([index, value]) => ({ kind: "type" as const, index, value })) },
  { weight: 1, arbitrary: fc.nat(8).map((index) => ({ kind: "infinite" as const, index })) },
  { weight: 1, arbitrary: fc.constant({ kind: "ragged" as const }) },
);

/** A plausible input for the verb (parameters of moderate or extreme size), then the mutation. */
function buildInput(verb: Verb, s: SystemSpec, knobs: { alphaExp: number; gammaExp: number; T: number; lambda: number; deltaExp: number }, m: Mutation): Record<string, unknown> {
  const { X, n, d, y } = makeSystem(s);
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
  const all: Record<string, unknown> = {
    X: rows, y: Array.from(y), alpha: 10 ** knobs.alphaExp, gamma: 10 ** knobs.gammaExp, beta: 0.5, iterations: 50,
    T: knobs.T, lambda: knobs.lambda, delta: 10 ** knobs.deltaExp, batchSize: 1, seed: 3, rtol: 1e-8, offset: Array.from({ length: d }, () => 0.1),
  };
  const { required, optional } = FIELDS[verb];
  const input: Record<string, unknown> = {};
  for (const k of required) input[k] = all[k];
  for (const k of optional) if (k !== "batchSize" && k !== "offset") input[k] = all[k];
  const keys = Object.keys(input);
  if (m.kind === "extra") input[m.field] = all[m.field] ?? 1;
  if (m.kind === "drop") delete input[keys[m.index % keys.length]];
  if (m.kind === "type") input[keys[m.index % keys.length]] = m.value;
  if (m.kind === "infinite") {
    const k = keys[m.index % keys.length];
    if (k === "X") (input.X as number[][])[0][0] = Infinity;
    else if (k === "y") (input.y as number[])[0] = -Infinity;
    else input[k] = Infinity;
  }
  if (m.kind === "ragged") (input.X as number[][])[0] = [...(input.X as number[][])[0], 1];
  return input;
}

/** What a successful answer must satisfy: finite numbers everywhere, and the verb's own problem. */
function checkAnswer(verb: Verb, input: Record<string, unknown>, out: Record<string, unknown>): string | null {
  const text = JSON.stringify(out);
  if (/null/.test(text)) return `a number printed as null: ${text.slice(0, 120)}`;
  const rows = input.X as number[][];
  const n = rows.length;
  const d = rows[0].length;
  const X = Float64Array.from(rows.flat());
  const y = Float64Array.from(input.y as number[]);
  const w = Float64Array.from(out.w as number[]);
  if (verb === "min-norm" || verb === "basis-pursuit" || verb === "interpolate") {
    const res = rowResidual(X, n, d, y, w);
    return res <= (verb === "basis-pursuit" ? 1e-6 : 1e-9) ? null : `w does not satisfy Xw = y (row residual ${res})`;
  }
  // Runs and flows print loss = L(w): recompute it, up to rounding.
  return lossAgrees(out.loss as number, X, n, d, y, w);
}

const args = fc.record({
  verb: fc.constantFrom(...VERBS),
  s: system,
  knobs: fc.record({
    alphaExp: fc.oneof(fc.integer({ min: -3, max: 0 }), fc.integer({ min: -150, max: 150 })),
    gammaExp: fc.integer({ min: -6, max: 1 }),
    T: fc.constantFrom(1, 10, 100),
    lambda: fc.constantFrom(0.1, 1, 4),
    deltaExp: fc.oneof(fc.integer({ min: -6, max: 2 }), fc.integer({ min: -150, max: 150 })),
  }),
  m: mutation,
});


const tallies = { inProcess: new Tally("dln CLI, in process (dln(verb, input))"), spawned: new Tally("dln CLI, as a process") };
afterAll(() => saveTallies("cli", Object.values(tallies)));

/** Classify one CLI answer. */
function classify(verb: Verb, input: Record<string, unknown>, status: number | null, stdout: string, stderr: string): { outcome: Outcome; detail: string } {
  if (status === 0) {
    if (stderr) return { outcome: "crash", detail: `status 0 with stderr: ${stderr.slice(0, 100)}` };
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(stdout);
    } catch {
      return { outcome: "crash", detail: `status 0 but stdout is not JSON: ${stdout.slice(0, 100)}` };
    }
    const wrong = checkAnswer(verb, input, out);
    return wrong ? { outcome: "wrong", detail: wrong } : { outcome: "ok", detail: "" };
  }
  if (stdout) return { outcome: "crash", detail: `status ${status} with stdout: ${stdout.slice(0, 100)}` };
  return classifyCliFailure(stderr);
}

describe("fuzz: dln command line", () => {
  it("in process: every verb answers with checked numbers or one clear line", async () => {
    await fc.assert(fc.asyncProperty(args, async ({ verb, s, knobs, m }) => {
      const input = buildInput(verb, s, knobs, m);
      const t0 = performance.now();
      const a = await dln(verb, input); // never throws: it returns what the process would print
      const ms = performance.now() - t0;
      tallies.inProcess.add(ms > HANG_MS ? { outcome: "hang", detail: `${Math.round(ms)} ms` } : classify(verb, input, a.status, a.stdout, a.stderr), { verb, input });
      return true;
    }), { seed: 41, numRuns: 400 });
    expect(tallies.inProcess.counts.crash + tallies.inProcess.counts.wrong + tallies.inProcess.counts.hang, tallies.inProcess.summary()).toBe(0);
  });

  it("as a process: the same, for a sample (exit status, stdout, stderr)", () => {
    const sample = fc.sample(args, { numRuns: 4, seed: 42 });
    for (const { verb, s, knobs, m } of sample) {
      const input = buildInput(verb, s, knobs, m);
      // JSON turns ±Infinity into null; write it as 1e999 so the process sees what JSON.parse makes of it.
      const text = JSON.stringify(input, (_k, v) => (v === Infinity ? "__INF__" : v === -Infinity ? "__NINF__" : v))
        .replace(/"__INF__"/g, "1e999").replace(/"__NINF__"/g, "-1e999");
      const t0 = Date.now();
      const p = spawnSync(TSX, [join(ROOT, "tools", "dln-cli.ts"), verb, "-"], { input: text, encoding: "utf8", timeout: 60_000 });
      const r = p.error ? { outcome: "hang" as const, detail: String(p.error) } : classify(verb, input, p.status, p.stdout, p.stderr);
      tallies.spawned.add(Date.now() - t0 > 60_000 ? { outcome: "hang", detail: "timeout" } : r, { verb, input });
    }
    // Text that is not JSON, and a verb that does not exist, only reach the process.
    for (const [verb, text] of [["gf", "{ not json"], ["fly", "{}"], ["gf", "[1, 2]"]]) {
      const p = spawnSync(TSX, [join(ROOT, "tools", "dln-cli.ts"), verb, "-"], { input: text, encoding: "utf8", timeout: 60_000 });
      tallies.spawned.add(p.status === 2 ? classifyCliFailure(p.stderr) : { outcome: "crash", detail: `status ${p.status}` }, { verb, text });
    }
    expect(tallies.spawned.counts.crash + tallies.spawned.counts.wrong + tallies.spawned.counts.hang, tallies.spawned.summary()).toBe(0);
  });
});
