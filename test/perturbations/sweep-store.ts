// The sweep store of perturbation runs: a temporary copy of data/sweeps, so that the points a perturbed notebook
// computes are stored there (the run exercises the memo) and never in the repository's tracked stores. Kernels inherit
// the environment of the test process, and lib/sweeps reads MOMENTUM_DLN_SWEEPS.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Point the sweep store at a fresh copy of data/sweeps (once per test process) and return its folder. */
export function useTemporarySweepStore(): string {
  const existing = process.env.MOMENTUM_DLN_SWEEPS;
  if (existing && existing.includes("perturb-sweeps-")) return existing;
  const src = resolve(__dirname, "..", "..", "data", "sweeps");
  const dir = mkdtempSync(join(tmpdir(), "perturb-sweeps-"));
  for (const f of readdirSync(src)) if (f.endsWith(".jsonl")) copyFileSync(join(src, f), join(dir, f));
  process.env.MOMENTUM_DLN_SWEEPS = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
