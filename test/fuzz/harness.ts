// Shared by the fuzz suites: inputs from a seeded generator, the classification of each call's outcome, and the
// tally that `npm run fuzz` prints as a table (tools/fuzz-report.mjs).
//
// Every call must end in one of two ways:
//   ok           it returned, and an independent check in the test accepts the numbers (finite, and they
//                satisfy the problem: residuals, feasibility, optimality where a certificate is cheap);
//   clear error  it threw (or the CLI exited ≠ 0) with a one-line message that names what is wrong.
// Anything else is counted against the library:
//   crash        an engine error (Cannot read properties…, Invalid typed array length, …), a multi-line
//                message or a stack trace, a thrown non-Error;
//   hang         slower than HANG_MS;
//   wrong        it returned numbers that are not finite or do not satisfy the problem.
// A wrong answer in a regime that is a known, open defect of a module another engineer owns is counted apart
// ("known wrong", with the defect named in the report), so the suite stays green until it is fixed and any
// other wrong answer still fails it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export type Outcome = "ok" | "clear error" | "crash" | "hang" | "wrong" | "known wrong";
export const HANG_MS = 60_000; // generous: the machine may be loaded; a real hang is an infinite loop

/** Messages that come from the JavaScript engine rather than from a check: not a named error. */
const ENGINE = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|is not a constructor|Invalid typed array length|Invalid array length|Maximum call stack|Array buffer allocation|out of memory|Unexpected token|Cannot convert|Cannot destructure|undefined \(reading/;

/** Is this thrown value a named, one-line error (ok to throw), or a crash? */
export function classifyThrown(e: unknown): { outcome: Outcome; detail: string } {
  if (!(e instanceof Error)) return { outcome: "crash", detail: `threw a non-Error: ${String(e).slice(0, 100)}` };
  const m = e.message;
  if (!m.trim()) return { outcome: "crash", detail: `${e.name} with an empty message` };
  if (m.includes("\n")) return { outcome: "crash", detail: `multi-line message: ${m.slice(0, 100)}` };
  if (ENGINE.test(m)) return { outcome: "crash", detail: `engine error: ${e.name}: ${m.slice(0, 100)}` };
  return { outcome: "clear error", detail: `${e.name}: ${m.slice(0, 100)}` };
}

/** Classify what the CLI printed for a non-zero exit: one line starting "dln: ", no stack frame. */
export function classifyCliFailure(stderr: string): { outcome: Outcome; detail: string } {
  const lines = stderr.split("\n").filter(Boolean);
  if (lines.length !== 1) return { outcome: "crash", detail: `${lines.length} lines on stderr: ${stderr.slice(0, 120)}` };
  if (!lines[0].startsWith("dln: ")) return { outcome: "crash", detail: `not a dln message: ${lines[0].slice(0, 100)}` };
  if (/\s+at .+:\d+:\d+/.test(stderr) || ENGINE.test(stderr)) return { outcome: "crash", detail: lines[0].slice(0, 120) };
  return { outcome: "clear error", detail: lines[0].slice(0, 120) };
}

/**
 * Call f, check what it returns with `check` (null = the numbers are right, else what is wrong), and classify.
 */
export async function observe<T>(f: () => T | Promise<T>, check: (value: T) => string | null): Promise<{ outcome: Outcome; detail: string }> {
  const t0 = performance.now();
  let result: { outcome: Outcome; detail: string };
  try {
    const v = await f();
    const wrong = check(v);
    result = wrong === null ? { outcome: "ok", detail: "" } : { outcome: "wrong", detail: wrong };
  } catch (e) {
    result = classifyThrown(e);
  }
  const ms = performance.now() - t0;
  if (ms > HANG_MS) return { outcome: "hang", detail: `${Math.round(ms)} ms (${result.outcome}: ${result.detail})` };
  return result;
}

/** Counts per outcome for one area, with the first few bad cases kept for the report. */
export class Tally {
  readonly counts: Record<Outcome, number> = { ok: 0, "clear error": 0, crash: 0, hang: 0, wrong: 0, "known wrong": 0 };
  readonly bad: string[] = [];
  readonly known = new Set<string>();
  constructor(readonly area: string) {}
  /** Count one call; `knownDefect` names the open defect that explains a wrong answer in this input's regime. */
  add(r0: { outcome: Outcome; detail: string }, input: unknown, knownDefect?: string): void {
    const r = r0.outcome === "wrong" && knownDefect ? { outcome: "known wrong" as const, detail: `${knownDefect}: ${r0.detail}` } : r0;
    if (r.outcome === "known wrong") this.known.add(knownDefect!);
    this.counts[r.outcome]++;
    if (r.outcome !== "ok" && r.outcome !== "clear error" && this.bad.length < 5) {
      this.bad.push(`${r.outcome}: ${r.detail} ← ${JSON.stringify(input, (_k, v) => (v instanceof Float64Array ? Array.from(v) : typeof v === "number" && !Number.isFinite(v) ? String(v) : v))?.slice(0, 300)}`);
    }
  }
  get total(): number { return Object.values(this.counts).reduce((a, b) => a + b, 0); }
  /** One line for a failing assertion: what went wrong, with examples. */
  summary(): string { return `${this.area}: ${JSON.stringify(this.counts)}\n${this.bad.join("\n")}`; }
}

const REPORT_DIR = resolve(__dirname, "..", "..", ".cache", "fuzz");

/** Save this suite's tallies for tools/fuzz-report.mjs. */
export function saveTallies(suite: string, tallies: Tally[]): void {
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `${suite}.json`),
    JSON.stringify(tallies.map((t) => ({ area: t.area, ...t.counts, knownDefects: [...t.known], examples: t.bad })), null, 1));
}

// ---------------------------------------------------------------- inputs

/** mulberry32: a tiny seeded generator for the entries (fast-check draws the seed, so failures shrink). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SystemSpec {
  n: number;
  d: number;
  seed: number;
  /** log10 of the scale of X and of y. */
  xExp: number;
  yExp: number;
  /** Rows of different scales (each row's own exponent in ±rowSpread). */
  rowSpread: number;
  /** A defect: a duplicated row (consistent or not), a zero row, a non-finite entry. */
  defect: "none" | "duplicate row" | "contradicting row" | "zero row" | "NaN in X" | "Infinity in y";
}

/** A system Xw = y as the spec says: Gaussian entries, y = X·w° for a sparse w° unless a defect says otherwise. */
export function makeSystem(s: SystemSpec): { X: Float64Array; n: number; d: number; y: Float64Array } {
  const rnd = prng(s.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const { n, d } = s;
  const X = new Float64Array(n * d);
  const rowScale = Array.from({ length: n }, () => 10 ** (s.xExp + Math.round((2 * rnd() - 1) * s.rowSpread)));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = normal() * rowScale[i];
  const w0 = Float64Array.from({ length: d }, (_, j) => (j === 0 || rnd() < 0.4 ? normal() : 0));
  const y = new Float64Array(n);
  const wScale = 10 ** (s.yExp - s.xExp);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < d; j++) acc += (X[i * d + j] / rowScale[i]) * w0[j];
    y[i] = acc * rowScale[i] * wScale;
  }
  if (n >= 2 && (s.defect === "duplicate row" || s.defect === "contradicting row")) {
    X.copyWithin((n - 1) * d, 0, d);
    y[n - 1] = s.defect === "duplicate row" ? y[0] : y[0] * 2 + 10 ** s.yExp;
  }
  if (s.defect === "zero row") X.fill(0, (n - 1) * d, n * d);
  if (s.defect === "NaN in X") X[Math.floor(rnd() * n * d)] = NaN;
  if (s.defect === "Infinity in y") y[Math.floor(rnd() * n)] = Infinity;
  return { X, n, d, y };
}

/**
 * Does w satisfy Xw = y? The largest componentwise backward error over the rows:
 * |x_i·w − y_i| / (Σ_j |x_ij w_j| + |y_i|), computed with the row and w normalised (no overflow). 0 is exact.
 */
export function rowResidual(X: Float64Array, n: number, d: number, y: Float64Array, w: Float64Array): number {
  let wMax = 0;
  for (let j = 0; j < d; j++) wMax = Math.max(wMax, Math.abs(w[j]));
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let xMax = 0;
    for (let j = 0; j < d; j++) xMax = Math.max(xMax, Math.abs(X[i * d + j]));
    if (xMax === 0 || wMax === 0) {
      worst = Math.max(worst, y[i] === 0 ? 0 : 1);
      continue;
    }
    let s = 0;
    let mag = 0;
    for (let j = 0; j < d; j++) {
      const t = (X[i * d + j] / xMax) * (w[j] / wMax);
      s += t;
      mag += Math.abs(t);
    }
    const target = y[i] / xMax / wMax;
    const den = mag + Math.abs(target);
    if (!Number.isFinite(target)) return Infinity;
    worst = Math.max(worst, den === 0 ? 0 : Math.abs(s - target) / den);
  }
  return worst;
}

/** The first entry of v that is not finite, as text, or null. */
export function firstNonFinite(v: ArrayLike<number>, name = "w"): string | null {
  for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) return `${name}[${j}] = ${v[j]}`;
  return null;
}

/**
 * L(w) = ‖Xw − y‖²/(2n) computed here (rows and w scaled: no overflow), with how far a correct implementation may
 * be from it: each residual x_i·w − y_i carries a rounding error up to ~1e-14·(Σ_j|x_ij w_j| + |y_i|), which near
 * an interpolator is large relative to the residual itself.
 */
export function lossWithTolerance(X: Float64Array, n: number, d: number, y: Float64Array, w: Float64Array): { loss: number; tol: number } {
  const wMax = Math.max(0, ...Array.from(w, Math.abs)) || 1;
  const r: number[] = [];
  const err: number[] = [];
  for (let i = 0; i < n; i++) {
    let acc = 0;
    let mag = 0;
    for (let j = 0; j < d; j++) {
      const t = X[i * d + j] * (w[j] / wMax);
      acc += t;
      mag += Math.abs(t);
    }
    r.push(acc * wMax - y[i]);
    err.push(1e-14 * (mag * wMax + Math.abs(y[i])));
  }
  const big = Math.max(0, ...r.map(Math.abs), ...err);
  if (big === 0) return { loss: 0, tol: 0 };
  let s = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    s += (r[i] / big) ** 2;
    t += (2 * Math.abs(r[i] / big) + err[i] / big) * (err[i] / big);
  }
  return { loss: (s * big * big) / (2 * n), tol: (t * big * big) / (2 * n) };
}

/** Does a reported loss agree with L(w) up to rounding (see lossWithTolerance)? */
export function lossAgrees(reported: number, X: Float64Array, n: number, d: number, y: Float64Array, w: Float64Array): string | null {
  const { loss, tol } = lossWithTolerance(X, n, d, y, w);
  return Math.abs(reported - loss) <= 1e-6 * Math.max(reported, loss) + tol + 1e-300 ? null : `reported loss ${reported} ≠ L(w) = ${loss} (± ${tol})`;
}

