/**
 * Compare the memo stores data/sweeps/05-sparse-recovery.jsonl and 06-smgd.jsonl with the caches the retired scripts
 * tools/sweep-05.ts / sweep-06.ts wrote (read from git at a commit that still has them), run by run, field by field.
 * Prints the largest absolute and relative differences per field and exits 1 if any run is missing or any difference
 * exceeds the old file's rounding (05 stored 7 significant digits: relative 5e-7; 06 stored full precision).
 *
 *   npx tsx tools/sweep-compare-legacy.ts [COMMIT]        (default 6f3501b, the last commit with the old caches)
 */
import { execFileSync } from "node:child_process";
import { readStores, sweepBackend } from "../lib/sweeps/sweep";
import type { StoredRecord } from "../lib/sweeps/sweep";

type Old = Record<string, unknown>;
const commit = process.argv[2] ?? "6f3501b";
const legacy = (file: string): Old => JSON.parse(execFileSync("git", ["show", `${commit}:${file}`], { encoding: "utf8", maxBuffer: 1 << 28 })) as Old;

function compare(label: string, pairs: [Old, Record<string, unknown>][], fields: string[], relTol: number): boolean {
  let ok = true;
  console.log(`\n${label}: ${pairs.length} runs`);
  console.log("| field | max |new − old| | max relative |");
  console.log("|---|---|---|");
  for (const f of fields) {
    let abs = 0;
    let rel = 0;
    for (const [o, n] of pairs) {
      const a = o[f];
      const b = n[f];
      if (a === null || a === undefined || b === null || b === undefined) {
        if ((a ?? null) !== (b ?? null)) {
          console.log(`  ${f}: old ${String(a)} vs new ${String(b)}`);
          ok = false;
        }
        continue;
      }
      const d = Math.abs((b as number) - (a as number));
      abs = Math.max(abs, d);
      rel = Math.max(rel, d / Math.max(Math.abs(a as number), 1e-300));
    }
    if (rel > relTol) ok = false;
    console.log(`| ${f} | ${abs.toExponential(2)} | ${rel.toExponential(2)} |`);
  }
  return ok;
}

async function main(): Promise<number> {
  const b = sweepBackend();
  const recs = async (name: string): Promise<StoredRecord[]> => Array.from((await readStores(b, [name])).records.values());
  // 05: match by (regime → problem/params, seed, α, λ)
  const old05 = legacy("data/sweeps/05-sparse-recovery.json") as { runs: Old[]; provenance: { config: { regimes: Old[] } } };
  const regimes = new Map(old05.provenance.config.regimes.map((r) => [r.id as string, r]));
  const new05 = await recs("05-sparse-recovery");
  const key05 = (design: unknown, n: unknown, noise: unknown, scale: unknown, rho: unknown, decades: unknown, T: unknown, seed: unknown, alpha: unknown, lambda: unknown): string =>
    JSON.stringify([design, n, noise, scale, rho ?? null, decades, T, seed, alpha, lambda]);
  const byKey = new Map(new05.map((r) => {
    const p = r.problem as Record<string, unknown>;
    return [key05(p.design, p.n, p.noise, p.scale, p.rho, r.params.alphaDecades, r.params.T, p.seed, r.params.alpha, r.params.lambda), { ...r.out }];
  }));
  const pairs05: [Old, Record<string, unknown>][] = [];
  let missing = 0;
  for (const o of old05.runs) {
    const g = regimes.get(o.regime as string) as Old;
    const n = byKey.get(key05(g.design, g.n, g.noise, g.scale, g.rho, g.decades, g.T, o.seed, o.alpha, o.lambda));
    if (n) pairs05.push([o, n]);
    else missing++;
  }
  const f05 = ["err", "popErr", "signChanges", "gmRatio", "supRatio", "offRatio", "errUniform", "decoyRatio", "decoyRank", "wDecoy", "lossAtT", "projectionStep"];
  const ok05 = compare(`05-sparse-recovery (old: 7 significant digits; ${missing} old runs without a new record)`, pairs05, f05, 5e-7) && missing === 0;
  // 06: match by (seed, kind, batch, λ, β, γ)
  const old06 = legacy("data/sweeps/06-smgd.json") as { records: Old[] };
  const new06 = await recs("06-smgd");
  const k06 = (seed: unknown, kind: unknown, lambda: unknown, beta: unknown, batch: unknown): string => JSON.stringify([seed, kind, lambda, beta ?? null, batch ?? null]);
  const by06 = new Map(new06.map((r) => {
    const out = r.out as Record<string, unknown>;
    const kind = out.kind as string;
    const batch = kind === "GF" || kind === "MGF" ? null : (r.params.batchSize as number | null) ?? (r.problem as { n: number }).n;
    const beta = kind === "GF" || kind === "MGF" ? null : r.params.beta;
    return [k06((r.problem as { seed: number }).seed, kind, r.params.lambda, beta, batch), out];
  }));
  const pairs06: [Old, Record<string, unknown>][] = [];
  let missing06 = 0;
  for (const o of old06.records) {
    const n = by06.get(k06(o.seed, o.kind, o.lambda, o.beta, o.batch));
    if (n) pairs06.push([o, n]);
    else missing06++;
  }
  const f06 = ["K", "t", "loss", "err", "ratioMedian", "ratioMin", "ratioMax", "ratioMedianOn", "ratioMedianOff", "ratioMinOn", "ratioMinOff", "psiResidual", "distGF"];
  const ok06 = compare(`06-smgd (old: full precision; ${missing06} old runs without a new record)`, pairs06, f06, 0) && missing06 === 0;
  console.log(`\n${ok05 && ok06 ? "same numbers" : "DIFFERENT"}`);
  return ok05 && ok06 ? 0 : 1;
}

main().then((c) => process.exit(c), (e: Error) => {
  console.error(`sweep-compare-legacy: ${e.message}`);
  process.exit(2);
});
