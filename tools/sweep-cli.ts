/**
 * `npm run sweep -- …`: run a grid of runs (lib/sweep.ts) from a JSON spec, one shard of it, or merge shards.
 *
 *   npm run sweep -- run GRID.json [--workers N] [--shard i/N] [--force] [--dir DIR] [--quiet]
 *   npm run sweep -- GRID.json …                  (same as run)
 *   npm run sweep -- merge NAME [--dir DIR]       (joins DIR/NAME.shard-<i>-of-<N>.json into DIR/NAME.json)
 *   npm run sweep -- show NAME [--dir DIR]        (provenance and a status count)
 *
 * Exit codes: 0 done (or cached), 1 a run-time error, 2 bad usage or a bad spec.
 */
import { readFileSync } from "node:fs";
import { loadSweep, mergeShards, runSweep, sweepPath, type SweepSpec } from "../lib/sweeps/sweep";

const USAGE = `usage:
  npm run sweep -- run GRID.json [--workers N] [--shard i/N] [--force] [--dir DIR] [--quiet]
  npm run sweep -- merge NAME [--dir DIR]
  npm run sweep -- show NAME [--dir DIR]
GRID.json: { "name", "method": "mgd"|"mgf", "problem": { "sparse": {n, d, k, noise} } | { "file": "data/….json" },
             "axes": { "seed", "alpha", "lambda", "gamma", "beta", "batchSize", "batchSeed" }, "stop": { "time"|"iterations"|"loss" },
             "record": ["wError", "testLoss", "deltaSummary", "deltaRatio", "w"] }   (see examples/sweep-grid.json)`;

class Usage extends Error {}

function parse(argv: string[]): { verb: string; target: string; flags: Record<string, string | boolean> } {
  const flags: Record<string, string | boolean> = {};
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") flags.help = true;
    else if (a === "--force" || a === "--quiet") flags[a.slice(2)] = true;
    else if (a === "--workers" || a === "--shard" || a === "--dir") {
      if (i + 1 >= argv.length) throw new Usage(`${a} needs a value`);
      flags[a.slice(2)] = argv[++i];
    } else if (/^--(workers|shard|dir)=/.test(a)) {
      const [k, v] = a.slice(2).split(/=(.*)/s);
      flags[k] = v;
    } else if (a.startsWith("-")) throw new Usage(`unknown option ${a}`);
    else pos.push(a);
  }
  if (flags.help) return { verb: "help", target: "", flags };
  let verb = pos[0] ?? "";
  if (verb.endsWith(".json")) pos.unshift((verb = "run"));
  if (!["run", "merge", "show"].includes(verb)) throw new Usage(verb ? `unknown command ${JSON.stringify(verb)}` : "missing command");
  if (pos.length !== 2) throw new Usage(`${verb} takes exactly one argument, got ${pos.length - 1}`);
  return { verb, target: pos[1], flags };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`sweep: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { verb, target, flags } = args;
  if (verb === "help") {
    console.log(USAGE);
    return 0;
  }
  const dir = typeof flags.dir === "string" ? flags.dir : undefined;
  if (verb === "merge") {
    const r = mergeShards(target, { dir });
    console.log(`merged ${r.provenance.shards?.length} shards of ${r.name}: ${r.runs.length} runs → ${sweepPath(r.name, { dir })}`);
    return 0;
  }
  if (verb === "show") {
    const r = loadSweep(target, { dir });
    const counts: Record<string, number> = {};
    for (const x of r.runs) counts[x.status] = (counts[x.status] ?? 0) + 1;
    console.log(JSON.stringify({ name: r.name, configHash: r.configHash, total: r.total, shard: r.shard, runs: r.runs.length, status: counts, provenance: r.provenance }, null, 2));
    return 0;
  }
  let spec: SweepSpec;
  try {
    spec = JSON.parse(readFileSync(target, "utf8")) as SweepSpec;
  } catch (e) {
    console.error(`sweep: cannot read the grid spec ${target}: ${(e as Error).message}`);
    return 2;
  }
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  const shard = typeof flags.shard === "string" ? flags.shard : undefined;
  let r;
  try {
    r = await runSweep(spec, { workers, shard, force: flags.force === true, dir, progress: flags.quiet ? "none" : "auto" });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) {
      console.error(`sweep: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const file = sweepPath(r.name, { dir, shard: r.shard });
  if (r.cached) console.log(`cached: ${file} has the same config (hash ${r.configHash}); pass --force to recompute`);
  else {
    const bad = r.runs.filter((x) => x.status !== "ok").length;
    console.log(
      `${r.name}${r.shard ? ` shard ${r.shard.index}/${r.shard.count}` : ""}: ${r.runs.length} of ${r.total} runs in ${(r.provenance.wallMs / 1000).toFixed(1)} s ` +
        `on ${r.provenance.workers} worker(s)${bad ? `, ${bad} diverged/failed` : ""} → ${file}`,
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`sweep: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
