#!/usr/bin/env node
// The in-page runtime of the site, written into <site>/runtime/:
//   worker.js      the library bundled for the browser + the cell runner (a function; the page starts it as a Blob worker)
//   notebook.js    the page controller: editors (CodeMirror), Run / Run all / Restore / Stop, window.notebook
//   notebook.css   its styles
//   files.js       the files a cell or the library may read (data/, package.json, the notebooks' titles, sources, claims)
//   highs.wasm.js  HiGHS's WebAssembly (gzip, base64), loaded only when a cell solves an LP
//   mathjs.js      mathjs (gzip, base64), loaded only when a cell imports it (worker/shims/mathjs-lazy.ts)
// Node built-ins are replaced by the shims in worker/shims; a library file X.ts with a sibling X.browser.ts by that
// file (display, the sweep store). Every `**` becomes Math.pow, which the worker's prelude makes the kernel's.
// Bundling needs esbuild plugins (async API); buildSite is synchronous, so it runs `node build-runtime.mjs --bundle DIR`
// as a child process, and bundles are cached in .cache/site-runtime/<hash of the sources>.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { builtinModules } from "node:module";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const HERE = join(ROOT, "tools", "site");
const LIB = join(ROOT, "lib");
const CACHE = join(ROOT, ".cache", "site-runtime");
const HIGHS_MJS = join(ROOT, "node_modules", "highs", "build", "highs.mjs");
const CLAIMS_MIME = "application/vnd.momentum-dln.claims+json";

/** Files below dir (recursive), as paths relative to `base`, optionally filtered. */
function walk(dir, base = dir, keep = () => true) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p, base, keep);
    return keep(p) ? [relative(base, p)] : [];
  }).sort();
}

const libFiles = () => walk(LIB, LIB, (p) => p.endsWith(".ts") && !p.endsWith(".d.ts") && !p.endsWith(".browser.ts"));

/** Names the library exports only as types (`export interface X`, `export type X =`, `type X` in export lists). */
export function libTypeNames() {
  const names = new Set();
  for (const f of libFiles()) {
    const src = readFileSync(join(LIB, f), "utf8");
    for (const m of src.matchAll(/export\s+(?:declare\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
    for (const m of src.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
      for (const part of m[2].split(",")) {
        const t = /^\s*(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
        if (t && (m[1] || t[1])) names.add(t[3] ?? t[2]);
      }
    }
  }
  return [...names].sort();
}

// ---------------------------------------------------------------- bundling (child process)

const SHIMS = {
  fs: "shims/fs.ts", "fs/promises": "shims/fs-promises.ts", path: "shims/path.ts", os: "shims/os.ts", crypto: "shims/crypto.ts", url: "shims/url.ts", module: "shims/module.ts",
  child_process: "shims/unavailable.ts", worker_threads: "shims/unavailable.ts",
};

/** The file the page bundle uses for a library file: its sibling X.browser.ts if there is one (same exports, tested). */
export function browserVariant(path) {
  const variant = path.replace(/\.ts$/, ".browser.ts");
  return variant !== path && existsSync(variant) ? variant : path;
}

/** esbuild plugin: Node built-ins → shims; highs → the byte-fed loader; X.ts → X.browser.ts; the lib table. */
function browserPlugin() {
  return {
    name: "notebook-browser",
    setup(build) {
      build.onResolve({ filter: /^virtual:lib-modules$/ }, () => ({ path: "lib-modules", namespace: "virtual" }));
      build.onLoad({ filter: /.*/, namespace: "virtual" }, () => {
        const files = libFiles();
        const imports = files.map((f, i) => `import * as m${i} from ${JSON.stringify(join(LIB, f))};`).join("\n");
        const table = files.map((f, i) => `${JSON.stringify("lib/" + f.replace(/\.ts$/, ""))}: m${i}`).join(",\n");
        return { contents: `${imports}\nexport default {\n${table}\n};\n`, loader: "js", resolveDir: ROOT };
      });
      // mathjs only where it is imported dynamically (the theory notebook's symbolic derivatives): loaded on demand
      build.onResolve({ filter: /^mathjs$/ }, (args) => (args.kind === "dynamic-import" ? { path: join(HERE, "worker", "shims", "mathjs-lazy.ts") } : undefined));
      build.onResolve({ filter: /^highs-original$/ }, () => ({ path: HIGHS_MJS }));
      build.onResolve({ filter: /^highs$/ }, () => ({ path: join(HERE, "worker", "shims", "highs.ts") }));
      build.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/ }, (args) => {
        const name = args.path.replace(/^node:/, "");
        if (SHIMS[name]) return { path: join(HERE, "worker", SHIMS[name]) };
        if (builtinModules.includes(name)) return { path: join(HERE, "worker", "shims", "missing.cjs") };
        return undefined;
      });
      // X.ts → X.browser.ts where one exists (display, the sweep store); import.meta.url and __dirname → the file's
      // place in the page's file system (/repo/…), as Node gives each module its own.
      build.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        const inLib = args.path.startsWith(LIB + sep);
        if (!inLib && args.path !== HIGHS_MJS) return undefined;
        const file = browserVariant(args.path);
        const pagePath = `/repo/${relative(ROOT, args.path).split(sep).join("/")}`;
        let contents = readFileSync(file, "utf8").replace(/\bimport\.meta\.url\b/g, JSON.stringify(`file://${pagePath}`));
        if (inLib && /\b__dirname\b/.test(contents)) contents = `const __dirname = ${JSON.stringify(dirname(pagePath))};\n${contents}`;
        return { contents, loader: file.endsWith(".ts") ? "ts" : "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

async function bundle(outDir) {
  const esbuild = await import("esbuild");
  const common = { bundle: true, format: "iife", platform: "browser", target: "es2022", minify: true, keepNames: true, write: false, logLevel: "error", legalComments: "none" };
  // The prelude installs the kernel's Math.pow before the worker bundle starts (its `**` become Math.pow calls).
  const prelude = await esbuild.build({ ...common, entryPoints: [join(HERE, "worker", "prelude.ts")] });
  const worker = await esbuild.build({
    ...common,
    entryPoints: [join(HERE, "worker", "main.ts")],
    plugins: [browserPlugin()],
    define: { __LIB_TYPE_NAMES__: JSON.stringify(libTypeNames()) },
    supported: { "exponent-operator": false },
  });
  const mathjs = await esbuild.build({
    ...common,
    stdin: { contents: 'import * as math from "mathjs";\nself.__notebookMathjs = math;\n', resolveDir: ROOT },
    supported: { "exponent-operator": false },
  });
  const page = await esbuild.build({ ...common, entryPoints: [join(HERE, "page", "main.ts")] });
  mkdirSync(outDir, { recursive: true });
  // The worker's source is the body of a function: the page turns fn.toString() into a Blob worker.
  writeFileSync(join(outDir, "worker.js"), `window.__notebookWorkerMain = function () {\n${prelude.outputFiles[0].text}${worker.outputFiles[0].text}};\n`);
  writeFileSync(join(outDir, "notebook.js"), page.outputFiles[0].text);
  writeAsset(outDir, "highs.wasm", readFileSync(join(ROOT, "node_modules", "highs", "build", "highs.wasm")));
  writeAsset(outDir, "mathjs", Buffer.from(mathjs.outputFiles[0].text));
}

/** Hash of everything a bundle is made from, so a cached bundle is reused only for the same sources. */
function sourceHash() {
  const h = createHash("sha256");
  const inputs = [
    ...libFiles().map((f) => join(LIB, f)),
    ...walk(LIB, LIB, (p) => p.endsWith(".browser.ts")).map((f) => join(LIB, f)),
    ...walk(HERE, HERE, (p) => /\.(ts|mjs|cjs)$/.test(p)).map((f) => join(HERE, f)),
    join(ROOT, "package-lock.json"),
  ];
  for (const f of inputs) h.update(f).update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

/** The cached bundle folder for the current sources, bundling (in a child process) if needed. */
export function runtimeBundles() {
  const dir = join(CACHE, sourceHash());
  if (existsSync(join(dir, "notebook.js"))) return dir;
  // Bundle next to the cache entry, then rename: a concurrent build never sees a half-written folder.
  const tmp = `${dir}.tmp-${process.pid}`;
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--bundle", tmp], { stdio: ["ignore", "inherit", "inherit"] });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another build got there first
  }
  const hourAgo = Date.now() - 3600_000;
  for (const old of readdirSync(CACHE)) {
    const p = join(CACHE, old);
    if (p !== dir && statSync(p).mtimeMs < hourAgo) rmSync(p, { recursive: true, force: true });
  }
  return dir;
}

// ---------------------------------------------------------------- files and assets

/** A notebook without its bulky outputs: sources, and the claims records of its Claims cell (for the ledger). */
export function reducedNotebook(nb) {
  const cells = nb.cells.map((c) => {
    if (c.cell_type !== "code") return { cell_type: c.cell_type, metadata: {}, source: c.source };
    const outputs = (c.outputs ?? []).filter((o) => o.data?.[CLAIMS_MIME]).map((o) => ({ output_type: o.output_type, data: { [CLAIMS_MIME]: o.data[CLAIMS_MIME] }, metadata: {} }));
    return { cell_type: "code", execution_count: c.execution_count ?? null, metadata: {}, outputs, source: c.source };
  });
  return { cells, metadata: nb.metadata ?? {}, nbformat: nb.nbformat, nbformat_minor: nb.nbformat_minor };
}

/** The files a page's worker gets, keyed by path in the repository. */
export function siteFiles(notebooks) {
  const files = {};
  for (const f of walk(join(ROOT, "data"), ROOT, (p) => /\.(json|jsonl|md|csv|txt)$/.test(p))) files[f] = readFileSync(join(ROOT, f), "utf8");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  files["package.json"] = JSON.stringify({ name: pkg.name, version: pkg.version, description: pkg.description, type: pkg.type }, null, 2) + "\n";
  // The library finds the repository root two folders above lib/sweeps (lib/sweeps/node-files.ts, repositoryRoot):
  // that folder must exist in the page's file system.
  files["lib/sweeps/worker-entry.mjs"] = "// Sweeps run inside the page's worker: see tools/site/worker/shims/os.ts\n";
  for (const { file, nb } of notebooks) files[`notebooks/${file}`] = JSON.stringify(reducedNotebook(nb));
  // The series list tells the ledger which notebooks count (lib/notebook/series.ts).
  files["notebooks/series.json"] = JSON.stringify({ notebooks: notebooks.map(({ file }) => file.replace(/\.ipynb$/, "")) }) + "\n";
  return files;
}

/**
 * Write a binary asset as <dir>/<name>.js: gzip, then base64 (a script is the one file a file:// page can load;
 * the page unpacks it with the browser's DecompressionStream). HiGHS's 3.5 MB of WebAssembly ship as 1.7 MB.
 */
export function writeAsset(dir, name, bytes) {
  const data = gzipSync(bytes, { level: 9 }).toString("base64");
  writeFileSync(join(dir, `${name}.js`), `(window.__notebookAssets = window.__notebookAssets || {})[${JSON.stringify(name)}] = "${data}";\n`);
}

/**
 * Write <out>/runtime/. Called by build-site for every build.
 * @param {string} out the site folder
 * @param {{file: string, nb: object}[]} notebooks the notebooks of the site
 * @returns {{bytes: number}} size of runtime/
 */
export function writeRuntime(out, notebooks) {
  const dir = join(out, "runtime");
  mkdirSync(dir, { recursive: true });
  cpSync(runtimeBundles(), dir, { recursive: true });
  writeFileSync(join(dir, "notebook.css"), readFileSync(join(HERE, "page", "notebook.css")));
  writeFileSync(join(dir, "files.js"), `window.__notebookFiles = ${JSON.stringify(siteFiles(notebooks))};\n`);
  return { bytes: readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0) };
}

/** The tags a notebook page needs (relative to the page). */
export const RUNTIME_HEAD = `<link rel="stylesheet" href="runtime/notebook.css">\n<script defer src="runtime/notebook.js"></script>\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf("--bundle");
  if (i < 0) {
    console.error("usage: node tools/site/build-runtime.mjs --bundle DIR");
    process.exit(2);
  }
  await bundle(resolve(process.argv[i + 1]));
}
