/**
 * The SciPy peer of the flows benchmark: MGF solved by scipy.integrate.solve_ivp(method="DOP853"), the way a
 * NumPy user would write it, timed inside Python (perf_counter around solve_ivp, so interpreter start-up and data
 * loading are not counted). The script is written to a temp dir and run with python3; nothing else in the project
 * needs Python, and the bench says so plainly when python3 or SciPy is missing.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../lib/model/problems";

const SCRIPT = String.raw`
import json, sys, time, math
import numpy as np
from scipy.integrate import solve_ivp

spec = json.load(open(sys.argv[1]))
n, d = spec["n"], spec["d"]
X = np.array(spec["X"]).reshape(n, d)
y = np.array(spec["y"])
times = np.array(spec["times"])
T = spec["T"]
z0 = np.concatenate((np.full(d, math.sqrt(2) * spec["alpha"]), np.zeros(3 * d)))
out = []
for case in spec["cases"]:
    lam, rtol, atol = case["lambda"], case["rtol"], case["atol"]
    def rhs(t, z):
        u, v, pu, pv = z[:d], z[d:2*d], z[2*d:3*d], z[3*d:]
        g = X.T @ (X @ (u * v) - y) / n
        return np.concatenate((pu, pv, (-pu - g * v) / lam, (-pv - g * u) / lam))
    best = math.inf
    for rep in range(case["repeats"]):
        t0 = time.perf_counter()
        sol = solve_ivp(rhs, (0.0, T), z0, method="DOP853", rtol=rtol, atol=atol, t_eval=times)
        best = min(best, time.perf_counter() - t0)
        if best > 2.0:
            break
    w = (sol.y[:d] * sol.y[d:2*d]).T
    out.append({"ms": best * 1000, "nfev": int(sol.nfev), "status": int(sol.status), "w": w.tolist()})
json.dump(out, open(sys.argv[2], "w"))
`;

/** One SciPy solve: best wall time (ms), right-hand-side evaluations, and w = u ⊙ v at the sample times. */
export interface ScipyRun {
  ms: number;
  nfev: number;
  status: number;
  w: number[][];
}

/** "python3 3.x, SciPy 1.y", or null with the reason printed when either is missing. */
export function scipyVersion(): string | null {
  try {
    return execFileSync("python3", ["-c", "import sys, scipy, numpy; print(f'python3 {sys.version.split()[0]}, SciPy {scipy.__version__}, NumPy {numpy.__version__}')"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (e) {
    const why = (e as { code?: string }).code === "ENOENT" ? "python3 is not on PATH" : "python3 cannot import scipy and numpy";
    console.log(`SciPy comparison SKIPPED: ${why}. (Nothing else in the project needs Python.)`);
    return null;
  }
}

/**
 * Solve MGF from u₀ = √2α, v₀ = 0 for each case with SciPy's DOP853 and return its runs.
 * @param dir a temp dir for the script and the data
 */
export function runScipy(
  dir: string,
  p: Problem,
  spec: { alpha: number; T: number; times: number[]; cases: { lambda: number; rtol: number; atol: number; repeats: number }[] },
): ScipyRun[] {
  const script = join(dir, "mgf_dop853.py");
  const input = join(dir, "input.json");
  const output = join(dir, "output.json");
  writeFileSync(script, SCRIPT);
  writeFileSync(input, JSON.stringify({ n: p.n, d: p.d, X: Array.from(p.X), y: Array.from(p.y), ...spec }));
  execFileSync("python3", [script, input, output], { stdio: ["ignore", "ignore", "inherit"], maxBuffer: 1 << 26 });
  return JSON.parse(readFileSync(output, "utf8")) as ScipyRun[];
}
