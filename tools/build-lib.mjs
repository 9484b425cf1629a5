#!/usr/bin/env node
// Builds the library for the tslab kernel: build/lib holds every lib/**/*.ts transpiled to CommonJS (esbuild) with
// its declaration file (tsc). notebooks/lib links there, so a notebook's first import parses declarations instead of
// type-checking the whole library's sources with tslab's compiler: measured on this project, the first cell that
// imports ./lib/index took 10–14 s from the sources and 0.7 s from the build (load ≈ 5 on 2 cores).
// Cells are still type-checked against the library's types; the library itself is checked by `npm run typecheck`.
// Runs from `npm ci`/`npm install` (prepare) and before start/test/notebooks:refresh; it skips the work when
// build/lib records the hash of the current sources. After editing lib/ with a kernel open: `npm run build:lib`
// (or `npm run build:lib -- --watch`), then restart the kernel.
// Usage: node tools/build-lib.mjs [--force] [--quiet] [--watch]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, watch, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LIB = join(ROOT, "lib");
const OUT = join(ROOT, "build", "lib");
const STAMP = join(OUT, ".source-hash");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

const args = process.argv.slice(2);
let quiet = args.includes("--quiet");
const log = (s) => { if (!quiet) console.log(s); };

/** Every file under dir (sorted), relative to ROOT. */
function walk(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [relative(ROOT, p)];
  });
}

/** Hash of the sources, this script and the compilers' versions: the build is current when its stamp equals it. */
function sourceHash(files) {
  const h = createHash("sha256");
  const version = (pkg) => JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
  h.update(`esbuild ${version("esbuild")} typescript ${version("typescript")}\n${readFileSync(fileURLToPath(import.meta.url), "utf8")}\n`);
  for (const f of files) h.update(`${f}\n${readFileSync(join(ROOT, f), "utf8")}\n`);
  return h.digest("hex").slice(0, 16);
}

/** Transpile and declare into a fresh folder beside build/lib, then swap it in (a reader never sees half a build). */
async function buildInto(tmp, sources) {
  rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: sources.map((f) => join(ROOT, f)), outdir: tmp, outbase: LIB,
    format: "cjs", platform: "node", target: "es2022", bundle: false, logLevel: "warning",
  });
  // The repository's package.json says "type": "module"; these files are CommonJS, as tslab loads them.
  writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
  const tsconfig = join(tmp, "tsconfig.json");
  writeFileSync(tsconfig, JSON.stringify({
    extends: join(ROOT, "tsconfig.json"),
    compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: LIB, declarationDir: tmp, types: ["node"] },
    include: [join(LIB, "**", "*.ts")],
  }));
  try {
    execFileSync(process.execPath, [TSC, "-p", tsconfig], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`build-lib: declarations failed (run npm run typecheck):\n${String(e.stdout ?? "")}${String(e.stderr ?? "")}`);
  } finally {
    rmSync(tsconfig, { force: true });
  }
}

/** Build build/lib unless it is current; returns true if it built. */
export async function buildLib({ force = false, silent = quiet } = {}) {
  quiet = silent;
  const sources = walk(LIB).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  const digest = sourceHash(sources);
  if (!force && existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === digest) {
    log(`build-lib: build/lib is up to date (${digest})`);
    return false;
  }
  const t0 = performance.now();
  const tmp = `${OUT}.tmp-${process.pid}`;
  mkdirSync(dirname(OUT), { recursive: true });
  await buildInto(tmp, sources);
  writeFileSync(join(tmp, ".source-hash"), `${digest}\n`);
  const old = `${OUT}.old-${process.pid}`;
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(tmp, OUT);
  rmSync(old, { recursive: true, force: true });
  log(`build-lib: ${sources.length} modules → build/lib in ${((performance.now() - t0) / 1000).toFixed(1)} s (${digest})`);
  return true;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    await buildLib({ force: args.includes("--force") });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  if (args.includes("--watch")) {
    console.log("build-lib: watching lib/ (Ctrl-C to stop)");
    let timer = null;
    watch(LIB, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => buildLib().catch((e) => console.error(e.message)), 300);
    });
  }
}
