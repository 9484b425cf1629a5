/**
 * Cached grids for notebooks/05-sparse-recovery.ipynb: recovery error of the GF/MGF limits over λ × α on the
 * isotropic Gaussian design, and paired GF-vs-MGF runs in other regimes (n, label noise, data scale, spread
 * initialisations, decoy and Toeplitz designs). Every run: flowLimit (a run to T, then the exact projection to the
 * limit, lib/designs.ts) on seeded data; GF and MGF of one seed share the same data (paired).
 *
 * Run:   npx tsx tools/sweep-05.ts                 (all of it, 2 worker processes)
 *        npx tsx tools/sweep-05.ts --jobs=1 --seeds=3 --out=/tmp/x.json   (smaller / elsewhere)
 * Writes data/sweeps/05-sparse-recovery.json with provenance (config, seeds, git commit, date, command, wall time).
 * Same code + same config → the same numbers (runs are independent and seeded).
 */
import { execSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decoyRegression, populationError, spreadAlpha, toeplitzRegression } from "../lib/model/designs";
import { flowLimit } from "../lib/bias/limit";
import { geometricMean } from "../lib/core/stats";
import { minPsiInterpolator } from "../lib/bias/interpolators";
import { sparseRegression } from "../lib/model/problems";
import type { Problem } from "../lib/model/problems";

export interface Regime {
  id: string;
  design: "sparse" | "decoy" | "toeplitz";
  n: number;
  noise: number;
  scale: number;
  rho?: number;
  /** Spread of a per-coordinate α over this many decades (same geometric mean); 0 = uniform α. */
  decades: number;
  alphas: number[];
  lambdas: number[];
  /** Run length before projecting (scaled by 1/ε² for data scale ε, since time runs ε² slower). */
  T: number;
}

const base = { design: "sparse" as const, n: 40, noise: 0, scale: 1, decades: 0, T: 200 };
const few = { alphas: [0.01, 0.1], lambdas: [0, 0.05, 0.2, 2] };
export const CONFIG = {
  d: 100,
  k: 5,
  nTest: 0,
  rtol: 1e-8,
  seeds: 10,
  regimes: [
    { ...base, id: "isotropic", alphas: [0.01, 0.1, 0.3, 1], lambdas: [0, 0.02, 0.05, 0.1, 0.2, 0.5, 2, 8] },
    { ...base, ...few, id: "n=20", n: 20 },
    { ...base, ...few, id: "n=60", n: 60 },
    { ...base, ...few, id: "n=80", n: 80 },
    { ...base, ...few, id: "noise σ=0.1", noise: 0.1 },
    { ...base, ...few, id: "noise σ=0.5", noise: 0.5 },
    { ...base, ...few, id: "scale ε=0.5", scale: 0.5, T: 800 },
    { ...base, ...few, id: "scale ε=2", scale: 2, T: 50 },
    { ...base, ...few, id: "α spread 2 decades", decades: 2 },
    { ...base, id: "decoy ρ=0.9", design: "decoy" as const, rho: 0.9, alphas: [0.01, 0.1, 0.3], lambdas: [0, 0.05, 0.2, 2] },
    { ...base, ...few, id: "decoy ρ=0.7", design: "decoy" as const, rho: 0.7 },
    { ...base, ...few, id: "Toeplitz ρ=0.5", design: "toeplitz" as const, rho: 0.5 },
  ] as Regime[],
};

export interface RunRecord {
  regime: string;
  seed: number;
  alpha: number;
  lambda: number;
  /** ‖w∞ − w*‖₂. */
  err: number;
  /** ½(w∞ − w*)ᵀΣ(w∞ − w*) with the design's exact Σ. */
  popErr: number;
  /** Coordinates where u ± v changed sign (0 = crossing-free run). */
  signChanges: number;
  /** Geometric mean of |Δ∞|/Δ₀ (1 for GF). */
  gmRatio: number;
  /** Mean of |Δ∞|/Δ₀ on supp(w*) and off it. */
  supRatio: number;
  offRatio: number;
  /** ‖argmin ψ_{cΔ₀} − w*‖ with c = gmRatio: GF from a uniformly shrunk init (null for GF). */
  errUniform: number | null;
  /** Decoy designs: |Δ∞|/Δ₀ at the decoy, its rank among all coordinates (0 = most shrunk), and w∞ at the decoy. */
  decoyRatio?: number;
  decoyRank?: number;
  wDecoy?: number;
  /** Training loss at T before the projection, and the size of the projection step. */
  lossAtT: number;
  projectionStep: number;
}

export function makeData(r: Regime, seed: number): Problem {
  const o = { n: r.n, d: CONFIG.d, k: CONFIG.k, seed, noise: r.noise, nTest: CONFIG.nTest, scale: r.scale };
  if (r.design === "decoy") return decoyRegression({ ...o, rho: r.rho });
  if (r.design === "toeplitz") return toeplitzRegression({ ...o, rho: r.rho });
  return sparseRegression(o);
}

export function initAlpha(r: Regime, alpha: number, seed: number): number | Float64Array {
  return r.decades > 0 ? spreadAlpha(alpha, CONFIG.d, { decades: r.decades, seed: 1000 + seed }) : alpha;
}

const round = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(7)) : x);

function oneRun(r: Regime, seed: number, alpha: number, lambda: number): RunRecord {
  const p = makeData(r, seed);
  const a = initAlpha(r, alpha, seed);
  const lim = flowLimit(p, { lambda, alpha: a, T: r.T, rtol: CONFIG.rtol });
  const d = p.d;
  const wStar = p.wStar as Float64Array;
  const D0 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const aj = typeof a === "number" ? a : a[j];
    D0[j] = 2 * aj * aj;
  }
  const ratio = Float64Array.from(lim.DeltaInf, (x, j) => x / D0[j]);
  let sup = 0, ns = 0, off = 0, no = 0, err = 0;
  for (let j = 0; j < d; j++) {
    if (wStar[j] !== 0) { sup += ratio[j]; ns++; } else { off += ratio[j]; no++; }
    err += (lim.w[j] - wStar[j]) ** 2;
  }
  const gm = geometricMean(ratio);
  let errUniform: number | null = null;
  if (lambda > 0) {
    const wu = minPsiInterpolator(p, Float64Array.from(D0, (x) => gm * x)).w;
    let e = 0;
    for (let j = 0; j < d; j++) e += (wu[j] - wStar[j]) ** 2;
    errUniform = round(Math.sqrt(e));
  }
  const rec: RunRecord = {
    regime: r.id, seed, alpha, lambda,
    err: round(Math.sqrt(err)),
    popErr: round(populationError(p, lim.w)),
    signChanges: lim.signChanges,
    gmRatio: round(gm),
    supRatio: round(sup / ns),
    offRatio: round(off / no),
    errUniform,
    lossAtT: round(lim.lossAtT),
    projectionStep: round(lim.projectionStep),
  };
  if (r.design === "decoy") {
    const D = p.meta.decoy as number;
    rec.decoyRatio = round(ratio[D]);
    rec.decoyRank = Array.from(ratio).filter((x) => x < ratio[D]).length;
    rec.wDecoy = round(lim.w[D]);
  }
  return rec;
}

interface Task { regime: number; seed: number; alpha: number; lambda: number }

function tasks(seeds: number): Task[] {
  const out: Task[] = [];
  CONFIG.regimes.forEach((r, i) => {
    for (let seed = 0; seed < seeds; seed++) for (const alpha of r.alphas) for (const lambda of r.lambdas) out.push({ regime: i, seed, alpha, lambda });
  });
  return out;
}

function arg(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const seeds = Number(arg("seeds", String(CONFIG.seeds)));
  const all = tasks(seeds);
  const worker = arg("worker", "");
  if (worker) {
    // child: run every m-th task from i, print one JSON line per run
    const [i, m] = worker.split("/").map(Number);
    for (let t = i; t < all.length; t += m) {
      const k = all[t];
      process.stdout.write(JSON.stringify({ t, rec: oneRun(CONFIG.regimes[k.regime], k.seed, k.alpha, k.lambda) }) + "\n");
    }
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const out = arg("out", join(here, "..", "data", "sweeps", "05-sparse-recovery.json"));
  const jobs = Math.max(1, Number(arg("jobs", "2")));
  const start = Date.now();
  const results: RunRecord[] = new Array(all.length);
  let done = 0;
  await Promise.all(
    Array.from({ length: jobs }, (_, i) => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--worker=${i}/${jobs}`, `--seeds=${seeds}`], { stdio: ["ignore", "pipe", "inherit"] });
      let buf = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const { t, rec } = JSON.parse(line) as { t: number; rec: RunRecord };
          results[t] = rec;
          if (++done % 100 === 0) process.stderr.write(`${done}/${all.length} runs, ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
        }
      });
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker ${i} exited with ${code}`))));
    })),
  );
  if (results.some((r) => r === undefined)) throw new Error("some runs are missing");
  const root = join(here, "..");
  let commit = "unknown", dirty = "";
  try {
    commit = execSync("git rev-parse HEAD", { cwd: root }).toString().trim();
    dirty = execSync("git status --porcelain -- lib tools/sweep-05.ts", { cwd: root }).toString().trim();
  } catch { /* not a git checkout */ }
  // content hashes of the code the numbers depend on (uncommitted files are not pinned by the commit)
  const sources: Record<string, string> = {};
  const deps = ["lib/designs.ts", "lib/flows.ts", "lib/ode.ts", "lib/balancedness.ts", "lib/interpolators.ts", "lib/entropy.ts", "lib/linalg.ts", "lib/problems.ts", "lib/random.ts", "lib/dln.ts", "lib/validate.ts", "tools/sweep-05.ts"];
  for (const f of deps) {
    sources[f] = createHash("sha256").update(readFileSync(join(root, f))).digest("hex").slice(0, 16);
  }
  const doc = {
    format: "momentum-dln/sweep-05@1",
    provenance: {
      command: `npx tsx tools/sweep-05.ts${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}`,
      gitCommit: commit,
      uncommittedChanges: dirty ? dirty.split("\n").filter((l) => deps.includes(l.slice(3).trim())) : [],
      sourceSha256: sources,
      date: new Date().toISOString(),
      node: process.version,
      wallSeconds: Math.round((Date.now() - start) / 100) / 10,
      method: "w∞ = flowLimit(p, {lambda, alpha, T}) = momentumFlow to T (dopri5, rtol) + projectToLimit; err = ‖w∞ − w*‖₂; GF = λ = 0; paired: one data set per (regime, seed)",
      config: { ...CONFIG, seeds: Array.from({ length: seeds }, (_, s) => s), spreadSeed: "1000 + seed" },
    },
    runs: results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(doc) + "\n");
  console.log(`wrote ${out}: ${results.length} runs in ${doc.provenance.wallSeconds} s`);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
