/**
 * `npm run sweep -- …`: compute a grid of runs (lib/sweeps) from a JSON file, one shard of it, merge shards, show or
 * compact a store. Results go to data/sweeps/<name>.jsonl as each run finishes, so an interrupted sweep loses
 * nothing: re-running it computes only what is missing.
 *
 *   npm run sweep -- run GRID.json [--workers N] [--shard i/N] [--force] [--dir DIR] [--quiet]
 *   npm run sweep -- GRID.json …                  (same as run)
 *   npm run sweep -- merge NAME [--dir DIR]       (joins DIR/NAME.shard-<i>-of-<N>.jsonl into DIR/NAME.jsonl)
 *   npm run sweep -- show NAME [--dir DIR]        (records by method and status, sessions, untrusted lines)
 *   npm run sweep -- compact NAME [--dir DIR]     (rewrite canonically, dropping untrusted and stale records)
 *
 * GRID.json holds one grid or a list of grids (e.g. data/sweeps/05-sparse-recovery.grid.json, run in order).
 * Exit codes: 0 done; 1 every run of the grid failed or diverged, or an internal error; 2 a user error (one line).
 */
import { readFileSync } from "node:fs";
import { compactSweep, describeStore, mergeShards, parseShard, runSweep, shardStore, sweepFile, type GridSpec } from "../lib/sweeps/sweep";

const USAGE = `usage:
  npm run sweep -- run GRID.json [--workers N] [--shard i/N] [--force] [--dir DIR] [--quiet]
  npm run sweep -- merge NAME [--dir DIR]
  npm run sweep -- show NAME [--dir DIR]
  npm run sweep -- compact NAME [--dir DIR]
GRID.json: a grid or a list of grids, each { "name", "method": "flowLimit"|"toLoss"|"mgd"|"mgf", "problem": {design, n, d, k, noise, scale, rho, …},
             "params": {…fixed method parameters…}, "axes": { "seed": […], "lambda": […], "regime": [{…}, …], … } }
             (see examples/sweep-grid.json)`;

class UserError extends Error {}

interface Args {
  verb: string;
  target: string;
  flags: Record<string, string | boolean>;
}

function parse(argv: string[]): Args {
  const flags: Record<string, string | boolean> = {};
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") flags.help = true;
    else if (a === "--force" || a === "--quiet") flags[a.slice(2)] = true;
    else if (a === "--workers" || a === "--shard" || a === "--dir") {
      if (i + 1 >= argv.length) throw new UserError(`${a} needs a value`);
      flags[a.slice(2)] = argv[++i];
    } else if (/^--(workers|shard|dir)=/.test(a)) {
      const [k, v] = a.slice(2).split(/=(.*)/s);
      flags[k] = v;
    } else if (a.startsWith("-")) throw new UserError(`unknown option ${a}`);
    else pos.push(a);
  }
  if (flags.help) return { verb: "help", target: "", flags };
  let verb = pos[0] ?? "";
  if (verb.endsWith(".json")) pos.unshift((verb = "run"));
  if (!["run", "merge", "show", "compact"].includes(verb)) throw new UserError(verb ? `unknown command ${JSON.stringify(verb)} (run, merge, show, compact)` : "missing command (run, merge, show, compact)");
  if (pos.length !== 2) throw new UserError(`${verb} takes exactly one argument, got ${pos.length - 1}`);
  return { verb, target: pos[1], flags };
}

function readGrid(file: string): GridSpec | GridSpec[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`cannot read the grid file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as GridSpec | GridSpec[];
  } catch (e) {
    throw new UserError(`the grid file ${file} is not JSON: ${(e as Error).message}`);
  }
}

/** Run the grid file (one grid, or a list of grids run in order); the exit code is the worst of the grids'. */
async function run(args: Args, dir: string | undefined): Promise<number> {
  const specs = readGrid(args.target);
  let code = 0;
  for (const spec of Array.isArray(specs) ? specs : [specs]) code = Math.max(code, await runOne(spec, args, dir));
  return code;
}

async function runOne(spec: GridSpec, args: Args, dir: string | undefined): Promise<number> {
  const { flags } = args;
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  const shard = typeof flags.shard === "string" ? flags.shard : undefined;
  const progress = flags.quiet ? "none" : process.stderr.isTTY ? "bar" : "lines";
  const command = `npm run sweep -- ${process.argv.slice(2).join(" ")}`;
  const r = await runSweep(spec, { workers, shard, force: flags.force === true, dir, progress, provenance: { command } });
  for (const note of r.report.notes) console.error(`sweep: ${note}`);
  const sh = shard ? ` shard ${shard}` : "";
  const s = shard ? parseShard(shard) : null;
  const file = sweepFile(r.name, { dir, shard: s });
  if (r.report.computed > 0) await compactSweep(shardStore(r.name, s), { dir });
  const notOk = r.rows.filter((x) => x.status !== "ok").length;
  console.log(`${r.name}${sh}: ${r.points.length} points, ${r.report.cached} cached, ${r.report.computed} computed${r.report.stale ? ` (${r.report.stale} stale records replaced)` : ""}` +
    `${notOk ? `, ${notOk} not ok (diverged, limit or failed)` : ""} → ${file}`);
  if (r.points.length > 0 && notOk === r.points.length) {
    const first = r.rows.find((x) => x.message !== undefined);
    console.error(`sweep: every run of ${r.name}${sh} failed or diverged${first ? ` (first: ${String(first.message).split("\n")[0]})` : ""}; failed runs are not stored`);
    return 1;
  }
  return r.report.failed > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (args.verb === "help") {
    console.log(USAGE);
    return 0;
  }
  const dir = typeof args.flags.dir === "string" ? args.flags.dir : undefined;
  if (args.verb === "merge") {
    const m = await mergeShards(args.target, { dir });
    console.log(`merged ${m.shards} shards of ${args.target}: ${m.records} records → ${sweepFile(args.target, { dir })}`);
    return 0;
  }
  if (args.verb === "compact") {
    const c = await compactSweep(args.target, { dir });
    console.log(`${sweepFile(args.target, { dir })}: ${c.records} records kept, ${c.dropped} untrusted or stale dropped`);
    return 0;
  }
  if (args.verb === "show") {
    const s = await describeStore(args.target, { dir });
    for (const n of s.notes) console.error(`sweep: ${n}`);
    console.log(JSON.stringify({ file: s.file, records: s.records, byStatus: s.byStatus, stale: s.stale, untrusted: s.untrusted, sessions: s.sessions }, null, 2));
    return 0;
  }
  return run(args, dir);
}

// Finished runs are already on disk (each appended and fsync'd as it completes): say so and stop.
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    console.error(`sweep: ${sig}: stopped; every finished run is stored, re-run the same command to compute only the rest`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const user = e instanceof UserError || e instanceof RangeError || e instanceof TypeError;
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`sweep: ${msg.split("\n")[0]}${e instanceof UserError && /command|argument|option|needs a value/.test(msg) ? " (npm run sweep -- --help)" : ""}`);
    process.exit(user ? 2 : 1);
  },
);
