/**
 * The targets table the benches print: each measured figure beside its reference from the same run, the ratio,
 * the target and whether it is met. Timings on a shared machine are noisy, so every figure is the best of
 * several interleaved rounds.
 */
import { availableParallelism, loadavg } from "node:os";

export interface TargetRow {
  work: string;
  size: string;
  ours: number;
  reference: number;
  /** Name of the reference ("C -O3", "NumPy", …). */
  against: string;
  unit: string;
  /** Largest allowed ours/reference (NaN: informational, no target). */
  maxRatio: number;
  note?: string;
}

/** "load 1.2 / 2 cores": how busy the machine was (timings from a busy machine favour no one reliably). */
export function machineLoad(): string {
  return `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
}

const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : "–");

/** Markdown table of the rows. */
export function printTargets(title: string, rows: TargetRow[]): void {
  console.log(`\n${title}\n`);
  console.log("| work | size | ours | reference | ours / reference | target | met |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const ratio = r.ours / r.reference;
    const target = Number.isNaN(r.maxRatio) ? "–" : `≤ ${r.maxRatio}`;
    const met = Number.isNaN(r.maxRatio) || !Number.isFinite(ratio) ? "–" : ratio <= r.maxRatio ? "yes" : "**no**";
    const note = r.note ? ` (${r.note})` : "";
    console.log(`| ${r.work}${note} | ${r.size} | ${fmt(r.ours)} ${r.unit} | ${fmt(r.reference)} ${r.unit} ${r.against} | ${fmt(ratio)} | ${target} | ${met} |`);
  }
}

/** Best (smallest) value of f() over `rounds` calls. */
export function best(rounds: number, f: () => number): number {
  let b = Infinity;
  for (let i = 0; i < rounds; i++) b = Math.min(b, f());
  return b;
}

/** Milliseconds taken by f. */
export function timeMs(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}
