/**
 * The NumPy references of the benchmarks (bench/numpy/*.py): run where python3 has NumPy, skipped (with a note)
 * elsewhere. Nothing in the project needs Python; these only put a familiar baseline beside our numbers.
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the reference's environment: where a machine sets them
 * (to work around old OpenBLAS bugs) they slow a current NumPy down, which would flatter us.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function env(threads?: number): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.OPENBLAS_CORETYPE;
  delete e.OPENBLAS_L2_SIZE;
  if (threads !== undefined) e.OPENBLAS_NUM_THREADS = e.OMP_NUM_THREADS = String(threads);
  return e;
}

/** "NumPy x.y.z (BLAS name)" if python3 has NumPy, else null (and a note is printed once). */
export function numpyVersion(): string | null {
  try {
    const code = "import numpy as np; c = np.show_config(mode='dicts') if hasattr(np, 'show_config') else None; " +
      "b = (c or {}).get('Build Dependencies', {}).get('blas', {}); print(np.__version__, b.get('name', '?'), b.get('version', ''))";
    const [version, blas, blasVersion] = execFileSync("python3", ["-c", code], { encoding: "utf8", env: env(), stdio: ["ignore", "pipe", "pipe"] }).trim().split(" ");
    return `NumPy ${version} (${blas} ${blasVersion ?? ""})`.replace(" )", ")");
  } catch {
    console.log("(NumPy reference skipped: python3 with NumPy not found)");
    return null;
  }
}

/**
 * Run bench/numpy/<script> with the arguments; returns its JSON lines.
 * @param threads BLAS threads (default: OpenBLAS's own choice, all cores)
 */
export function runNumpy<T>(script: string, args: (string | number)[], threads?: number): T[] {
  const out = execFileSync("python3", [join(here, "numpy", script), ...args.map(String)], { encoding: "utf8", env: env(threads), maxBuffer: 1 << 24 });
  return out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as T);
}
