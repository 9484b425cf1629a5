/**
 * The C reference loop of the benchmarks (bench/c/mgd.c, gcc -O3 -march=native): the same MGD iteration on
 * the DLN, so the TypeScript/WebAssembly kernels are measured against it in the same run. Skipped without gcc.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Problem } from "../lib/model/problems";

/** Compile the reference into `dir`; returns the executable, or null (with a note) if gcc is missing or fails. */
export function compileC(dir: string): string | null {
  const src = join(dirname(fileURLToPath(import.meta.url)), "c", "mgd.c");
  const exe = join(dir, "mgd");
  try {
    execFileSync("gcc", ["-O3", "-march=native", "-o", exe, src, "-lm"], { stdio: "pipe" });
    return exe;
  } catch (e) {
    console.log(`(C reference skipped: gcc failed or is missing — ${(e as Error).message.split("\n")[0]})`);
    return null;
  }
}

/** gcc's version line, for the table header. */
export function compilerVersion(): string {
  try {
    return execFileSync("gcc", ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    return "no gcc";
  }
}

/** Write X (row-major) then y as float64 to `dir`; returns the path (the references read this file). */
export function writeProblem(dir: string, p: Problem): string {
  const file = join(dir, `p-${p.n}-${p.d}.bin`);
  const buf = new Float64Array(p.n * p.d + p.n);
  buf.set(p.X);
  buf.set(p.y, p.n * p.d);
  writeFileSync(file, Buffer.from(buf.buffer));
  return file;
}

/**
 * Run K MGD iterations of the C loop `repeats` times on the problem (written to `dir` for the run); returns its
 * fastest µs per iteration and its final loss.
 */
export function runC(exe: string, dir: string, p: Problem, K: number, run: { gamma: number; beta: number; alpha: number }, repeats = 1): { us: number; loss: number } {
  const file = writeProblem(dir, p);
  try {
    return runCFile(exe, file, p, K, run, repeats);
  } finally {
    rmSync(file);
  }
}

/** runC on a problem file already written by writeProblem. */
export function runCFile(exe: string, file: string, p: Problem, K: number, run: { gamma: number; beta: number; alpha: number }, repeats = 1): { us: number; loss: number } {
  let us = Infinity;
  let loss = NaN;
  for (let r = 0; r < repeats; r++) {
    const out = execFileSync(exe, [file, String(p.n), String(p.d), String(K), String(run.gamma), String(run.beta), String(run.alpha)], { encoding: "utf8" });
    const [u, l] = out.trim().split(/\s+/).map(Number);
    us = Math.min(us, u);
    loss = l;
  }
  return { us, loss };
}
